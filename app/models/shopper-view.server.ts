import { prepare } from "../db/prepared";
import type { Db } from "../db/types";
import { pointsNeeded, type RewardDefinition } from "../domain/rewards";
import { listEnabledRewards } from "./rewards.server";
import { parsePendingPoints, type MemberEarningFacts } from "../domain/shopper-ways-to-earn";
import { parseRuleAwards } from "./awards.server";
import type { MemberTierFacts } from "../domain/tier-view";
import type { ExpiryPolicy } from "../domain/expiry";
import { expiryPolicyOf } from "./expiry.server";

/** The member's tags as a shopper read needs them; a broken record reads as none (the read must not fail on it). */
function parseTags(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

// What a shopper's read (storefront panel, checkout, customer account) starts from, in one
// indexed statement: the shop's row (installed, currency, catalogue version) and the member's.
// Facts a shopper sees about themselves belong on the member's row, kept there by the write that
// changes them (as the balance is kept by the ledger trigger), so that each new one is a column
// in this statement rather than another query on every read.

/** The shop and the member, as one read sees them; null when the shop does not have the app installed. */
export interface ShopperView {
  currencyCode: string;
  /** Moves on every change to the shop's rewards (a database trigger). */
  catalogueVersion: number;
  /** Moves on every change to the shop's ways to earn and campaigns (a database trigger). */
  programVersion: number;
  timeZone: string;
  /** Points expiry, as the shop runs it. */
  expiryPolicy: ExpiryPolicy;
  /** The shop's referral program while it is on (null: off), as the shopper's read needs it. */
  referrals: { referrerPoints: number; referrerRewardId: number | null } | null;
  /** Null for a customer the program has not met yet. */
  member: {
    id: number;
    balance: number;
    birthday: string | null;
    /** The last earn or redemption (expiry after inactivity counts from it). */
    lastActivityAt: string | null;
    referralCode: string | null;
    earning: MemberEarningFacts;
    tier: MemberTierFacts;
  } | null;
}

const shopAndMember = prepare((q, p: { shop: string; customerId: string }) =>
  q
    .selectFrom("shops as s")
    .leftJoin("members as m", (join) => join.onRef("m.shop", "=", "s.domain").on("m.customer_id", "=", p.customerId))
    .leftJoin("referral_programs as rp", "rp.shop", "s.domain")
    .select([
      "s.currency_code",
      "s.catalogue_version",
      "s.program_version",
      "s.time_zone",
      "s.expiry_policy",
      "s.expiry_months",
      "s.uninstalled_at",
      "s.redacted_at",
      "m.id as member_id",
      "m.balance",
      "m.birthday",
      "m.qualifying_orders",
      "m.tags",
      "m.rule_awards",
      "m.pending_points",
      "m.tier_id",
      "m.tier_kept_until",
      "m.tier_manual",
      "m.tier_manual_until",
      "m.paid_tier_id",
      "m.paid_until",
      "m.tier_total",
      "m.last_activity_at",
      "m.referral_code",
      "rp.enabled as referrals_enabled",
      "rp.referrer_points",
      "rp.referrer_reward_id",
    ])
    .where("s.domain", "=", p.shop),
);

export async function readShopperView(db: Db, shop: string, customerId: string): Promise<ShopperView | null> {
  const row = await shopAndMember.first(db, { shop, customerId });
  if (!row || row.uninstalled_at !== null || row.redacted_at !== null) return null;
  return {
    currencyCode: row.currency_code,
    catalogueVersion: row.catalogue_version,
    programVersion: row.program_version,
    timeZone: row.time_zone,
    expiryPolicy: expiryPolicyOf(row),
    referrals: row.referrals_enabled ? { referrerPoints: row.referrer_points ?? 0, referrerRewardId: row.referrer_reward_id ?? null } : null,
    member:
      row.member_id === null
        ? null
        : {
            id: row.member_id,
            balance: row.balance ?? 0,
            birthday: row.birthday ?? null,
            lastActivityAt: row.last_activity_at ?? null,
            referralCode: row.referral_code ?? null,
            earning: {
              qualifyingOrders: row.qualifying_orders ?? 0,
              tags: parseTags(row.tags ?? "[]"),
              ruleAwards: parseRuleAwards(row.rule_awards ?? "{}"),
              pending: parsePendingPoints(row.pending_points ?? "[]"),
            },
            tier: {
              tierId: row.tier_id ?? null,
              keptUntil: row.tier_kept_until ?? null,
              manual: Boolean(row.tier_manual),
              manualUntil: row.tier_manual_until ?? null,
              paidTierId: row.paid_tier_id ?? null,
              paidUntil: row.paid_until ?? null,
              total: Number(row.tier_total ?? 0),
            },
          },
  };
}

/**
 * The enabled rewards of a shop as shoppers see them, cheapest first by what a redemption really
 * costs, kept in memory per shop and read again when the shop's catalogue version moves. The
 * version comes from the caller's read of the shop row, made before this; rewards read after it
 * are at least that new, so an entry is never older than its version says.
 *
 * @example const rewards = await catalogue(db, shop, view.catalogueVersion);
 */
export type RewardCatalogue = (db: Db, shop: string, version: number) => Promise<readonly RewardDefinition[]>;

/** Shops whose catalogue one process keeps; past it the least recently loaded is dropped. */
const CATALOGUES_KEPT = 10_000;

export function rewardCatalogue({ kept = CATALOGUES_KEPT } = {}): RewardCatalogue {
  const catalogues = new Map<string, { version: number; rewards: readonly RewardDefinition[] }>();
  return async (db, shop, version) => {
    const known = catalogues.get(shop);
    if (known && known.version === version) return known.rewards;
    // A variable reward's per-step cost would put it first whatever its minimum.
    const rewards = (await listEnabledRewards(db, shop)).sort((a, b) => pointsNeeded(a) - pointsNeeded(b) || a.id - b.id);
    catalogues.delete(shop);
    catalogues.set(shop, { version, rewards });
    if (catalogues.size > kept) catalogues.delete(catalogues.keys().next().value!);
    return rewards;
  };
}
