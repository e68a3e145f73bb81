import { loadExpiryPolicy, pointsExpiringFor } from "./expiry.server";
import type { PointsExpiring } from "../domain/expiry";
import { sql } from "kysely";
import { memberTierFacts, tierMetafieldValue, tierTag } from "../domain/tier-view";
import { readTierProgramConfig, tierContext } from "./tiers.server";
import { prepare } from "../db/prepared";
import type { Db, DbTransaction } from "../db/types";
import { rearmJob, RetryLater, type JobHandler } from "../jobs/queue.server";
import type { AdminGraphql } from "../shopify/admin-api.server";
import { CUSTOMER_TAGS_ADD, CUSTOMER_TAGS_REMOVE, LOYALTY_METAFIELD_DEFINITION_CREATE, MEMBER_METAFIELDS_SET } from "../shopify/queries";
import { pointsNeeded } from "../domain/rewards";
import { listEnabledRewards } from "./rewards.server";
import { readShopEarning } from "./earning-rules.server";
import { parseRuleAwards } from "./awards.server";
import { memberEarningMetafield } from "../domain/storefront-ways-to-earn";
import { parsePendingPoints } from "../domain/shopper-ways-to-earn";
import { parseList } from "./json-columns.server";
import { ensureReferralCode, getReferralProgram, referralUrl } from "./referrals.server";

/** The customer metafields the storefront, checkout and customer account read (app-owned). */
export const LOYALTY_NAMESPACE = "$app:loyalty";
export const METAFIELD_SYNC_JOB = "metafields.sync";
export const METAFIELD_SETUP_JOB = "metafields.setup";

/** metafieldsSet takes 25 metafields a call: 8 members with three keys each. */
const MEMBERS_PER_CALL = 8;
/** With the tier metafield, four per member: 6 members keep a call within metafieldsSet's 25. */
const MEMBERS_PER_CALL_WITH_TIERS = 6;
const CALLS_PER_RUN = 20;

/**
 * After any balance change of a shop's member: the shop's sync job is due now (coalesced). In a
 * transaction (many webhooks of one shop, say) the job is re-armed once, just before it commits.
 */
export async function scheduleMetafieldSync(db: Db | DbTransaction, shop: string, now: Date = new Date()) {
  const rearmSync = () => rearmJob(db, { shop, kind: METAFIELD_SYNC_JOB, key: `metafields:${shop}`, runAt: now }, now);
  if ("beforeCommit" in db) db.beforeCommit(`metafields:${shop}`, rearmSync);
  else await rearmSync();
}

export interface NextReward {
  name: string;
  pointsCost: number;
  pointsToGo: number;
}

/** The cheapest reward (a variable one at its smallest amount) the member cannot afford yet, or null when they can afford them all. */
export function nextRewardFor(balance: number, rewards: readonly (Parameters<typeof pointsNeeded>[0] & { name: string })[]): NextReward | null {
  const next = rewards
    .map((reward) => ({ name: reward.name, pointsCost: pointsNeeded(reward) }))
    .filter((r) => r.pointsCost > balance)
    .sort((a, b) => a.pointsCost - b.pointsCost)[0];
  return next ? { ...next, pointsToGo: next.pointsCost - balance } : null;
}

/**
 * Writes the balance, next reward and ways to earn done of members whose metafields are behind
 * (their balance moved, or a write of their pending points or ways done set synced_points to
 * NULL), batched. A member whose row moved while the call was in flight stays behind and is
 * written again. Throttling or failures throw, and the job backs off.
 */
const membersBehind = prepare((q, p: { shop: string; limit: number }) =>
  q
    .selectFrom("members")
    .select([
      "id",
      "customer_id",
      "balance",
      "qualifying_orders",
      "tags",
      "rule_awards",
      "pending_points",
      "tier_id",
      "tier_kept_until",
      "tier_manual",
      "tier_manual_until",
      "paid_tier_id",
      "paid_until",
      "tier_total",
      "tier_tag",
      "last_activity_at",
      "referral_code",
    ])
    .where("shop", "=", p.shop)
    .where((eb) => eb.or([eb("synced_points", "is", null), eb("synced_points", "<>", eb.ref("balance"))]))
    .where("redacted_at", "is", null)
    .orderBy("id")
    .limit(p.limit),
);

const markSynced = prepare((q, p: { id: number; balance: number; ruleAwards: string; pendingPoints: string; qualifyingOrders: number; tierId: number }) =>
  q
    .updateTable("members")
    .set({ synced_points: p.balance })
    .where("id", "=", p.id)
    .where("balance", "=", p.balance)
    .where("rule_awards", "=", p.ruleAwards)
    .where("pending_points", "=", p.pendingPoints)
    .where("qualifying_orders", "=", p.qualifyingOrders)
    // A tier change during the write leaves the member behind, for the next run (0: no tier).
    .where(sql<number>`COALESCE("tier_id", 0)`, "=", p.tierId),
);

const setTierTag = prepare((q, p: { id: number; tag: string | null }) => q.updateTable("members").set({ tier_tag: p.tag }).where("id", "=", p.id));

function userErrorsOf(payload: { userErrors: { message: string }[] } | null | undefined, mutation: string) {
  if (!payload) throw new Error(`${mutation} returned no result`);
  if (payload.userErrors.length) throw new Error(`${mutation}: ${payload.userErrors.map((e) => e.message).join("; ")}`);
}

const shopTimeZone = prepare((q, p: { shop: string }) => q.selectFrom("shops").select("time_zone").where("domain", "=", p.shop));

/** Member tags as the earning metafield needs them; an unreadable list reads as none (the sync must not stall on it). */
function tagsOf(json: string): string[] {
  try {
    return parseList(json, "members.tags");
  } catch {
    return [];
  }
}

export async function syncMemberMetafields(db: Db, shop: string, admin: AdminGraphql): Promise<{ synced: number; more: boolean }> {
  const rewards = await listEnabledRewards(db, shop);
  const now = new Date();
  const { rules } = await readShopEarning(db, shop, now);
  const timeZone = (await shopTimeZone.first(db, { shop }))?.time_zone ?? "UTC";
  const expiry = await loadExpiryPolicy(db, shop);
  const { program: tiers } = await tierContext(db, shop);
  // Shops that set tiers up (running or turned off since) get the tier metafield; the others never need it.
  const withTiers = tiers !== null || (await readTierProgramConfig(db, shop)) !== null;
  // Shops running referrals: the member's link rides in the earning metafield, so the storefront paints it at first paint.
  const referrals = (await getReferralProgram(db, shop)).enabled;
  const perCall = withTiers ? MEMBERS_PER_CALL_WITH_TIERS : MEMBERS_PER_CALL;
  let synced = 0;
  for (let call = 0; call < CALLS_PER_RUN; call++) {
    const members = await membersBehind.all(db, { shop, limit: perCall });
    if (members.length === 0) return { synced, more: false };
    const expiring = new Map<number, PointsExpiring | null>();
    for (const member of members) {
      const next = await pointsExpiringFor(db, shop, expiry, { id: member.id, balance: member.balance, lastActivityAt: member.last_activity_at }, now);
      expiring.set(member.id, next);
    }
    const codes = new Map<number, string>();
    if (referrals) for (const member of members) codes.set(member.id, member.referral_code ?? (await ensureReferralCode(db, shop, member.id)));
    const referralOf = (id: number) => {
      const code = codes.get(id);
      return code ? { referral: { code, url: referralUrl(shop, code) } } : {};
    };
    const earningOf = (member: (typeof members)[number]) => ({
      ...memberEarningMetafield(
        rules,
        {
          qualifyingOrders: member.qualifying_orders,
          tags: tagsOf(member.tags),
          ruleAwards: parseRuleAwards(member.rule_awards),
          pending: parsePendingPoints(member.pending_points),
        },
        now.toISOString(),
        timeZone,
      ),
      // Only where the shop runs expiry, so the others' metafields stay as they were.
      ...(expiry.kind === "off" ? {} : { expiring: expiring.get(member.id) ?? null }),
      ...referralOf(member.id),
    });
    const metafields = members.flatMap((member) => {
      const ownerId = `gid://shopify/Customer/${member.customer_id}`;
      return [
        { ownerId, namespace: LOYALTY_NAMESPACE, key: "points", type: "number_integer", value: String(member.balance) },
        { ownerId, namespace: LOYALTY_NAMESPACE, key: "next_reward", type: "json", value: JSON.stringify(nextRewardFor(member.balance, rewards)) },
        { ownerId, namespace: LOYALTY_NAMESPACE, key: "earning", type: "json", value: JSON.stringify(earningOf(member)) },
        // The tier for the storefront and the tier-perks Function; `{"id":null}` once the shop runs no tiers.
        ...(withTiers
          ? [
              {
                ownerId,
                namespace: LOYALTY_NAMESPACE,
                key: "tier",
                type: "json",
                value: JSON.stringify(tiers ? tierMetafieldValue(tiers, memberTierFacts(member), "en", now.toISOString(), timeZone) : { id: null, next: null }),
              },
            ]
          : []),
      ];
    });
    const { metafieldsSet } = await admin.request(MEMBER_METAFIELDS_SET, { metafields });
    if (!metafieldsSet) throw new Error("metafieldsSet returned no result");
    if (metafieldsSet.userErrors.length) throw new Error(metafieldsSet.userErrors.map((e) => e.message).join("; "));
    // The tier tag, for members whose tier (or the shop's prefix) moved since it was last written:
    // the old tag off, then the new one on; a failure leaves tier_tag as it was, so the retry redoes both.
    for (const member of members) {
      const tag = tierTag(tiers, member.tier_id, "en");
      if (tag === member.tier_tag) continue;
      const id = `gid://shopify/Customer/${member.customer_id}`;
      if (member.tier_tag) userErrorsOf((await admin.request(CUSTOMER_TAGS_REMOVE, { id, tags: [member.tier_tag] })).tagsRemove, "tagsRemove");
      if (tag) userErrorsOf((await admin.request(CUSTOMER_TAGS_ADD, { id, tags: [tag] })).tagsAdd, "tagsAdd");
      await setTierTag.run(db, { id: member.id, tag });
    }
    for (const member of members) {
      await markSynced.run(db, {
        id: member.id,
        balance: member.balance,
        ruleAwards: member.rule_awards,
        pendingPoints: member.pending_points,
        qualifyingOrders: member.qualifying_orders,
        tierId: member.tier_id ?? 0,
      });
    }
    synced += members.length;
  }
  return { synced, more: true };
}

/** The definitions that let the storefront read the metafields (checkout and accounts declare them in their toml). */
export async function createLoyaltyMetafieldDefinitions(admin: AdminGraphql) {
  for (const [key, type, name] of [
    ["points", "number_integer", "Loyalty points"],
    ["next_reward", "json", "Next loyalty reward"],
    ["earning", "json", "Loyalty ways to earn done"],
    ["tier", "json", "Loyalty VIP tier"],
  ] as const) {
    const { metafieldDefinitionCreate } = await admin.request(LOYALTY_METAFIELD_DEFINITION_CREATE, {
      definition: { name, namespace: LOYALTY_NAMESPACE, key, type, ownerType: "CUSTOMER", access: { storefront: "PUBLIC_READ" } },
    });
    const errors = (metafieldDefinitionCreate?.userErrors ?? []).filter((e) => e.code !== "TAKEN");
    if (errors.length) throw new Error(errors.map((e) => e.message).join("; "));
  }
}

export function metafieldJobHandlers(deps: { adminFor(shop: string): Promise<AdminGraphql | null> }): Record<string, JobHandler> {
  return {
    [METAFIELD_SYNC_JOB]: async ({ db, shop, now }) => {
      const admin = await deps.adminFor(shop);
      if (!admin) return; // uninstalled: nothing to keep fresh
      const { more } = await syncMemberMetafields(db, shop, admin);
      if (more) await scheduleMetafieldSync(db, shop, now);
    },
    [METAFIELD_SETUP_JOB]: async ({ shop }) => {
      const admin = await deps.adminFor(shop);
      if (!admin) throw new RetryLater("no offline session yet");
      await createLoyaltyMetafieldDefinitions(admin);
    },
  };
}
