import { startOfLocalDay } from "./local-days";
import { localDate } from "./ways-to-earn";

// VIP tiers, the pure rules (issue 13; not wired into webhooks or reads yet): what qualifies a
// member, over which window, which tier a total reaches, how long a reached tier is kept, and
// what an evaluation does with a member's tier. Every rule here is a function of its inputs.

/** What counts towards a tier. */
export type TierBasis = "points_earned" | "amount_spent" | "orders";

/** The window the qualifying total is counted over. */
export type TierPeriod = { kind: "lifetime" } | { kind: "calendar_year" } | { kind: "rolling"; months: number };

/**
 * How long a reached tier is kept. `period_and_next`: the rest of the period in which it was
 * reached and the whole next one (for a rolling window: one window from when it was reached);
 * `rolling`: only while the rolling total still qualifies.
 */
export type TierRetention = "period_and_next" | "rolling";

/** @example { id: 2, rank: 2, threshold: 500, multiplierPercent: 150 } */
export interface TierDefinition {
  id: number;
  /** 1 is the lowest tier; ranks are distinct and thresholds rise with them. */
  rank: number;
  /** In points, minor units of shop currency, or orders, as the basis says. */
  threshold: number;
  /** The tier's points multiplier on purchases (100 = none). */
  multiplierPercent: number;
}

export interface TierProgram {
  basis: TierBasis;
  period: TierPeriod;
  retention: TierRetention;
  tiers: readonly TierDefinition[];
}

/** The instant a qualifying window starts for an evaluation at `now` (null: lifetime, no start). */
export function windowStart(period: TierPeriod, now: string, timeZone: string): string | null {
  if (period.kind === "lifetime") return null;
  const today = localDate(now, timeZone);
  if (period.kind === "calendar_year") return zonedMidnight(today.year, 1, 1, timeZone);
  return zonedMidnight(...addMonths(today.year, today.month, today.day, -period.months), timeZone);
}

/** Year, month, day moved by whole months, the day clamped to the target month's length. */
export function addMonths(year: number, month: number, day: number, months: number): [number, number, number] {
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const length = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return [targetYear, targetMonth, Math.min(day, length)];
}

/** The UTC instant a calendar date starts in a time zone (an unknown zone reads as UTC). */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): string {
  return startOfLocalDay(`${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`, timeZone).toISOString();
}

/** The highest tier a qualifying total reaches, or null below the first threshold. */
export function tierForTotal(tiers: readonly TierDefinition[], total: number): TierDefinition | null {
  let reached: TierDefinition | null = null;
  for (const tier of tiers) if (total >= tier.threshold && (!reached || tier.rank > reached.rank)) reached = tier;
  return reached;
}

/**
 * Until when a tier reached at `reachedAt` is kept, whatever the total does afterwards (null:
 * for good). Calendar year: to the end of the next calendar year. Rolling N months: N months
 * after it was reached. Lifetime totals never fall, so a lifetime tier is kept for good.
 */
export function keptUntil(period: TierPeriod, retention: TierRetention, reachedAt: string, timeZone: string): string | null {
  if (period.kind === "lifetime") return null;
  if (retention === "rolling") return reachedAt;
  const reached = localDate(reachedAt, timeZone);
  if (period.kind === "calendar_year") return zonedMidnight(reached.year + 2, 1, 1, timeZone);
  return zonedMidnight(...addMonths(reached.year, reached.month, reached.day, period.months), timeZone);
}

/** A member's tier as stored: what they hold, since when, until when it is kept at least, and how they got it. */
export interface MemberTier {
  tierId: number | null;
  reachedAt: string | null;
  keptUntil: string | null;
  /** A staff placement holds until its end date (null: until staff change it). */
  manual: { until: string | null } | null;
  /** A paid membership holds until it ends. */
  paid: { tierId: number; until: string } | null;
}

export type TierChangeReason = "qualified" | "evaluation" | "manual" | "manual_ended" | "paid" | "paid_ended";

export type TierDecision = { change: false } | { change: true; toTierId: number | null; reason: TierChangeReason; keptUntil: string | null };

const rankOf = (tiers: readonly TierDefinition[], id: number | null) => (id === null ? 0 : (tiers.find((tier) => tier.id === id)?.rank ?? 0));

/**
 * On an event that moves the qualifying total (in the webhook's transaction): an upgrade as soon
 * as the total reaches a higher tier; never a downgrade (that waits for evaluation). A manual
 * placement or a paid membership above what the total reaches stays.
 */
export function upgradeOnEvent(program: TierProgram, member: MemberTier, total: number, now: string, timeZone: string): TierDecision {
  const qualified = tierForTotal(program.tiers, total);
  if (!qualified || qualified.rank <= rankOf(program.tiers, member.tierId)) return { change: false };
  return { change: true, toTierId: qualified.id, reason: "qualified", keptUntil: keptUntil(program.period, program.retention, now, timeZone) };
}

/**
 * At evaluation (a daily job, or a recompute after the merchant changed the tiers): the tier the
 * member should hold now. Held in this order: a running paid membership, a running manual
 * placement, a reached tier still kept, else what the total qualifies for now (which may be lower:
 * the only way down).
 */
export function evaluateTier(program: TierProgram, member: MemberTier, total: number, now: string, timeZone: string): TierDecision {
  const t = Date.parse(now);
  const qualified = tierForTotal(program.tiers, total);
  const qualifiedRank = qualified?.rank ?? 0;
  const currentRank = rankOf(program.tiers, member.tierId);
  const stillKept = member.keptUntil === null ? member.tierId !== null && program.period.kind === "lifetime" : t < Date.parse(member.keptUntil);

  if (member.paid && t < Date.parse(member.paid.until)) {
    const paidRank = rankOf(program.tiers, member.paid.tierId);
    if (paidRank >= qualifiedRank) return member.tierId === member.paid.tierId ? { change: false } : change(member.paid.tierId, "paid", member.paid.until);
  }
  if (member.manual && (member.manual.until === null || t < Date.parse(member.manual.until))) return { change: false };

  const endedReason: TierChangeReason | null =
    member.paid && t >= Date.parse(member.paid.until) && member.tierId === member.paid.tierId
      ? "paid_ended"
      : member.manual && member.manual.until !== null && t >= Date.parse(member.manual.until)
        ? "manual_ended"
        : null;

  if (qualifiedRank > currentRank) return change(qualified!.id, "qualified", keptUntil(program.period, program.retention, now, timeZone));
  if (qualifiedRank === currentRank) return endedReason ? change(member.tierId, endedReason, member.keptUntil) : { change: false };
  if (!endedReason && stillKept) return { change: false };
  return change(qualified?.id ?? null, endedReason ?? "evaluation", qualified ? keptUntil(program.period, program.retention, now, timeZone) : null);
}

const change = (toTierId: number | null, reason: TierChangeReason, until: string | null): TierDecision => ({
  change: true,
  toTierId,
  reason,
  keptUntil: until,
});

/**
 * How a tier's multiplier and a campaign's combine, stated once: their extras add. A Gold member
 * (1.5x) in a double-points campaign (2x) earns 1 + 0.5 + 1 = 2.5x the purchase points, rounded
 * down once.
 */
export function combinedMultiplierPercent(tierPercent: number, campaignPercent: number): number {
  return 100 + Math.max(0, tierPercent - 100) + Math.max(0, campaignPercent - 100);
}

/** What is left to reach the next tier, or null at the top. */
export function progressToNext(tiers: readonly TierDefinition[], total: number): { tierId: number; remaining: number } | null {
  const current = tierForTotal(tiers, total)?.rank ?? 0;
  const next = [...tiers].sort((a, b) => a.rank - b.rank).find((tier) => tier.rank > current);
  return next ? { tierId: next.id, remaining: Math.max(0, next.threshold - total) } : null;
}

/** One tier as the shop configured it (the `tiers` table, read by app/models/tiers.server.ts). */
export interface TierConfig extends TierDefinition {
  /** { "<locale>": "<name>" }; the shop's primary locale is always there. */
  names: Readonly<Record<string, string>>;
  /** Points once per member per tier per period when the tier is reached (0: none). */
  entryBonusPoints: number;
  /** The tier's own birthday points in place of the birthday rule's (null: the rule's). */
  birthdayPoints: number | null;
  /** Perks applied at checkout by the tier-perks Shopify Function. */
  freeShipping: boolean;
  /** Whole percent off (0: none) on the collections listed, or on every product when the list is empty. */
  memberPricePercent: number;
  memberPriceCollectionIds: readonly string[];
  /** Paid membership: buying this product (or only this variant) holds the tier for paidDurationDays. */
  paidProductId: string | null;
  paidVariantId: string | null;
  paidDurationDays: number | null;
}

/** A tier's perks and membership settings when it has none: no multiplier, no bonus, nothing at checkout, not sold. */
export const TIER_WITHOUT_PERKS = {
  multiplierPercent: 100,
  entryBonusPoints: 0,
  birthdayPoints: null,
  freeShipping: false,
  memberPricePercent: 0,
  memberPriceCollectionIds: [],
  paidProductId: null,
  paidVariantId: null,
  paidDurationDays: null,
} as const satisfies Omit<TierConfig, "id" | "rank" | "threshold" | "names">;

/** A shop's tier program as configured: the pure rules' TierProgram and the settings around it. */
export interface TierProgramConfig extends TierProgram {
  enabled: boolean;
  /** Whether staff adjustments count towards a points-earned total. */
  adjustmentsCount: boolean;
  /** Customer tags kept in step ("VIP: " gives "VIP: Gold"); null: no tags. */
  tagPrefix: string | null;
  tiers: readonly TierConfig[];
}

/** A tier's name in a locale: the locale's, else its language's, else the first one given. */
export function tierName(tier: Pick<TierConfig, "names">, locale: string): string {
  const names = tier.names;
  return names[locale] ?? names[locale.split("-")[0]] ?? Object.values(names)[0] ?? "";
}

/** A member's qualifying activity summed over a window, for every basis at once (tier_activity rows). */
export interface ActivitySums {
  points: number;
  adjustedPoints: number;
  amountMinor: number;
  orders: number;
}

/** The qualifying total the program's basis reads from a window's sums (never below zero: refunds never make it negative). */
export function qualifyingTotal(program: Pick<TierProgramConfig, "basis" | "adjustmentsCount">, sums: ActivitySums): number {
  const total =
    program.basis === "amount_spent"
      ? sums.amountMinor
      : program.basis === "orders"
        ? sums.orders
        : sums.points + (program.adjustmentsCount ? sums.adjustedPoints : 0);
  return Math.max(0, total);
}

/** The first local day ("YYYY-MM-DD") a window counts at `now`, or null for lifetime. */
export function windowStartDay(period: TierPeriod, now: string, timeZone: string): string | null {
  if (period.kind === "lifetime") return null;
  const today = localDate(now, timeZone);
  const [year, month, day] = period.kind === "calendar_year" ? [today.year, 1, 1] : addMonths(today.year, today.month, today.day, -period.months);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** When the window being counted at `now` ends (the date progress must be made by), or null when it never does. */
export function windowEnd(period: TierPeriod, now: string, timeZone: string): string | null {
  if (period.kind !== "calendar_year") return null;
  return zonedMidnight(localDate(now, timeZone).year + 1, 1, 1, timeZone);
}

/**
 * The period an entry bonus is paid once in: "ever" for a lifetime program, the calendar year, or
 * for a rolling N-month window the N-month block (counted from year 0) the tier was reached in.
 */
export function tierPeriodKey(period: TierPeriod, at: string, timeZone: string): string {
  if (period.kind === "lifetime") return "ever";
  const date = localDate(at, timeZone);
  if (period.kind === "calendar_year") return String(date.year);
  const block = Math.floor((date.year * 12 + date.month - 1) / Math.max(1, period.months));
  return `m${period.months}b${block}`;
}

/**
 * The tier's multiplier on a purchase: the extra points beyond the purchase rule's, rounded down
 * once (campaign extras are apart and add, as combinedMultiplierPercent states).
 */
export function tierExtraPoints(purchasePoints: number, multiplierPercent: number): number {
  if (purchasePoints <= 0 || multiplierPercent <= 100) return 0;
  return Math.floor((purchasePoints * (multiplierPercent - 100)) / 100);
}

/** A tier by id in a program (null: none, or a tier since removed). */
export function tierById(program: Pick<TierProgramConfig, "tiers">, id: number | null): TierConfig | null {
  return id === null ? null : (program.tiers.find((tier) => tier.id === id) ?? null);
}

/**
 * The tier's multiplier on an order, as one more award beside the purchase and campaign awards:
 * the extra on the purchase rule's points (kind "earned"), or null when there is none. Refunds
 * take it back in proportion, as the order's other awards.
 */
export function tierOrderAward(
  awards: readonly { kind: string; points: number }[],
  tier: Pick<TierConfig, "id" | "names" | "multiplierPercent"> | null,
  orderId: string,
): {
  kind: "tier_bonus";
  sourceKey: string;
  points: number;
  ruleId: null;
  campaignId: null;
  breakdown: { label: string; points: number; multiplierPercent: number }[];
  reason: string;
} | null {
  if (!tier) return null;
  const purchase = awards.filter((award) => award.kind === "earned").reduce((sum, award) => sum + award.points, 0);
  const points = tierExtraPoints(purchase, tier.multiplierPercent);
  if (points <= 0) return null;
  const label = `${tierName(tier, "en")}: ${tier.multiplierPercent / 100}x`;
  return {
    kind: "tier_bonus",
    sourceKey: `tier:${orderId}`,
    points,
    ruleId: null,
    campaignId: null,
    breakdown: [{ label, points, multiplierPercent: tier.multiplierPercent }],
    reason: `Tier multiplier (${label})`,
  };
}

/**
 * A tier's own birthday points in place of the birthday rule's (the rule still decides whether
 * and when a birthday pays; the tier only says how much). Other awards pass unchanged; a tier
 * without its own birthday points changes nothing.
 */
export function tierBirthdayAwards<A extends { kind: string; points: number; breakdown: { label: string; points: number }[]; reason: string }>(
  awards: readonly A[],
  tier: Pick<TierConfig, "names" | "birthdayPoints"> | null,
): A[] {
  if (!tier || tier.birthdayPoints === null) return [...awards];
  const points = tier.birthdayPoints;
  const label = `${tierName(tier, "en")} birthday`;
  return awards.map((award) =>
    award.kind === "birthday" ? { ...award, points, breakdown: [{ label, points }], reason: `${award.reason} (${label}: ${points})` } : award,
  );
}
