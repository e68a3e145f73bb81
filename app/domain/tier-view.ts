import { tierById, tierName, windowEnd, type TierBasis, type TierConfig, type TierProgramConfig } from "./tiers";

// A member's tier as shoppers see it (the storefront, checkout, customer account and the
// customer's tier metafield), from the member's row and the shop's program. Pure.

/** The tier columns of a member's row. */
export interface MemberTierFacts {
  tierId: number | null;
  keptUntil: string | null;
  manual: boolean;
  manualUntil: string | null;
  paidTierId: number | null;
  paidUntil: string | null;
  /** The qualifying total as of the member's last qualifying event or evaluation. */
  total: number;
}

/** The tier columns of a member's row as read (SQLite gives booleans as 0/1 and big totals as bigint). */
export interface MemberTierColumns {
  tier_id: number | null;
  tier_kept_until: string | null;
  tier_manual: boolean | number;
  tier_manual_until: string | null;
  paid_tier_id: number | null;
  paid_until: string | null;
  tier_total: number | bigint | string;
}

export function memberTierFacts(row: MemberTierColumns): MemberTierFacts {
  return {
    tierId: row.tier_id,
    keptUntil: row.tier_kept_until,
    manual: Boolean(row.tier_manual),
    manualUntil: row.tier_manual_until,
    paidTierId: row.paid_tier_id,
    paidUntil: row.paid_until,
    total: Number(row.tier_total),
  };
}

export interface TierPerks {
  multiplierPercent: number;
  entryBonusPoints: number;
  birthdayPoints: number | null;
  freeShipping: boolean;
  memberPrice: { percent: number; collectionIds: readonly string[] } | null;
}

export interface NextTier {
  id: number;
  name: string;
  names: Readonly<Record<string, string>>;
  /** What is left, in the basis's unit: points, minor units of shop currency, or orders. */
  remaining: number;
  basis: TierBasis;
  /** The end of the window the total is counted over (null: it never ends). */
  by: string | null;
}

/** The member's tier, or null when they hold none; `next` is the tier above (null at the top). */
export interface ShopperTier {
  id: number;
  rank: number;
  name: string;
  names: Readonly<Record<string, string>>;
  perks: TierPerks;
  /** Until when it is held at least: the paid membership's or staff placement's end, or the keep date; null: for good. */
  until: string | null;
  next: NextTier | null;
}

export function tierPerks(tier: TierConfig): TierPerks {
  return {
    multiplierPercent: tier.multiplierPercent,
    entryBonusPoints: tier.entryBonusPoints,
    birthdayPoints: tier.birthdayPoints,
    freeShipping: tier.freeShipping,
    memberPrice: tier.memberPricePercent > 0 ? { percent: tier.memberPricePercent, collectionIds: tier.memberPriceCollectionIds } : null,
  };
}

/** The tier above a rank and what the total still needs to reach it, or null at the top. */
export function nextTierFrom(program: TierProgramConfig, rank: number, total: number, locale: string, now: string, timeZone: string): NextTier | null {
  const next = [...program.tiers].sort((a, b) => a.rank - b.rank).find((tier) => tier.rank > rank);
  if (!next) return null;
  return {
    id: next.id,
    name: tierName(next, locale),
    names: next.names,
    remaining: Math.max(0, next.threshold - total),
    basis: program.basis,
    by: windowEnd(program.period, now, timeZone),
  };
}

/** The member's tier as shoppers see it; null for a shop without running tiers or a member holding none. */
export function shopperTier(
  program: TierProgramConfig | null,
  facts: MemberTierFacts | null,
  locale: string,
  now: string,
  timeZone: string,
): ShopperTier | null {
  if (!program || !facts) return null;
  const tier = tierById(program, facts.tierId);
  if (!tier) return null;
  const t = Date.parse(now);
  const paid = facts.paidTierId === tier.id && facts.paidUntil !== null && t < Date.parse(facts.paidUntil) ? facts.paidUntil : null;
  const until = paid ?? (facts.manual ? facts.manualUntil : facts.keptUntil);
  return {
    id: tier.id,
    rank: tier.rank,
    name: tierName(tier, locale),
    names: tier.names,
    perks: tierPerks(tier),
    until,
    next: nextTierFrom(program, tier.rank, facts.total, locale, now, timeZone),
  };
}

/** For a member without a tier in a shop running tiers: the first tier and what it needs; null otherwise. */
export function firstTierProgress(
  program: TierProgramConfig | null,
  facts: MemberTierFacts | null,
  locale: string,
  now: string,
  timeZone: string,
): NextTier | null {
  if (!program || (facts && tierById(program, facts.tierId))) return null;
  return nextTierFrom(program, 0, facts?.total ?? 0, locale, now, timeZone);
}

/**
 * The customer's `$app:loyalty.tier` metafield (json): the tier with its perks for the storefront
 * and the tier-perks Function, or `{ "id": null, "next": … }` for a member below the first tier.
 */
export function tierMetafieldValue(program: TierProgramConfig, facts: MemberTierFacts, primaryLocale: string, now: string, timeZone: string) {
  const tier = shopperTier(program, facts, primaryLocale, now, timeZone);
  if (!tier) return { id: null, next: firstTierProgress(program, facts, primaryLocale, now, timeZone) };
  return {
    id: tier.id,
    rank: tier.rank,
    name: tier.name,
    names: tier.names,
    until: tier.until,
    freeShipping: tier.perks.freeShipping,
    memberPrice: tier.perks.memberPrice,
    multiplierPercent: tier.perks.multiplierPercent,
    next: tier.next,
  };
}

/** Whether a reward limited to some tiers (null: every member) is open to a member holding `tierId`. */
export function tierAllowsReward(tierIds: readonly number[] | null, tierId: number | null): boolean {
  return tierIds === null || (tierId !== null && tierIds.includes(tierId));
}

/**
 * The customer tag that names the member's tier for Shopify segments and email tools ("VIP: " and
 * Gold give "VIP: Gold"), in the shop's primary language; null when the shop keeps no tags or the
 * member holds no tier. Shopify trims tags and keeps at most 255 characters.
 */
export function tierTag(program: TierProgramConfig | null, tierId: number | null, primaryLocale: string): string | null {
  if (!program?.tagPrefix) return null;
  const tier = tierById(program, tierId);
  if (!tier) return null;
  const tag = `${program.tagPrefix}${tierName(tier, primaryLocale)}`.trim();
  return tag ? tag.slice(0, 255) : null;
}
