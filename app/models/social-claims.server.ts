import { prepare } from "../db/prepared";
import type { Db } from "../db/types";
import type { Ok, Refused } from "../domain/result";
import { socialClaimCheck } from "../domain/storefront-ways-to-earn";
import { rearmJob, type JobHandler } from "../jobs/queue.server";
import { awardEvent, readMemberFacts } from "./awards.server";
import type { ShopEarning } from "./earning-rules.server";
import { findMember } from "./members.server";
import { loadShopContext } from "./shops.server";
import type { MemberEarningFacts } from "../domain/shopper-ways-to-earn";

// A shopper says they followed the shop on a social network: nobody can check it, so the points
// follow after a short delay (the time it takes to follow), by a durable job that awards through
// the one decision every way to earn goes through. The claim is idempotent per member and rule.

export const SOCIAL_CLAIM_JOB = "ways_to_earn.social_claim";
/** How long after a claim its points are credited (tests shorten it). */
export const DEFAULT_SOCIAL_CLAIM_DELAY_MS = 15_000;

export type SocialClaimResult =
  | Ok<{ status: "pending"; availableAt: string }>
  | Ok<{ status: "done" }>
  | Refused<"way_to_earn_not_found" | "not_claimable" | "way_to_earn_off" | "way_to_earn_not_eligible">;

const claimKey = (shop: string, ruleId: number, customerId: string) => `social:${shop}:${ruleId}:${customerId}`;

const claimJob = prepare((q, p: { shop: string; key: string }) =>
  q.selectFrom("jobs").select(["run_at"]).where("shop", "=", p.shop).where("job_key", "=", p.key),
);

/**
 * Books the award of a social follow for a member: 202-style `pending` with when it lands, or
 * `done` when they already earned it. A repeat while pending keeps the first time.
 */
export async function claimSocialFollow(
  db: Db,
  claim: { shop: string; customerId: string; ruleId: number; earning: ShopEarning; member: MemberEarningFacts | null; timeZone: string },
  { now, delayMs = DEFAULT_SOCIAL_CLAIM_DELAY_MS }: { now: Date; delayMs?: number },
): Promise<SocialClaimResult> {
  const rule = claim.earning.rules.find((candidate) => candidate.id === claim.ruleId);
  const check = socialClaimCheck(rule, claim.member, now.toISOString(), claim.timeZone);
  if (!check.ok) return check;
  if (check.done) return { ok: true, status: "done" };
  const key = claimKey(claim.shop, claim.ruleId, claim.customerId);
  const payload = { ruleId: claim.ruleId, customerId: claim.customerId };
  await rearmJob(db, { shop: claim.shop, kind: SOCIAL_CLAIM_JOB, key, payload, runAt: new Date(now.getTime() + delayMs) }, now);
  const job = await claimJob.first(db, { shop: claim.shop, key });
  return { ok: true, status: "pending", availableAt: new Date(job!.run_at).toISOString() };
}

/** The delay is over: the follow is awarded as an action (once ever, by its source key), in one transaction. */
export async function awardSocialFollow(db: Db, shop: string, ruleId: number, customerId: string, now: Date) {
  const context = await loadShopContext(db, shop, { now });
  if (!context.installed) return { credited: [] };
  const at = now.toISOString();
  await db.query
    .insertInto("members")
    .values({ shop, customer_id: customerId, balance: 0, created_at: at, updated_at: at })
    .onConflict((conflict) => conflict.columns(["shop", "customer_id"]).doNothing())
    .execute();
  const member = await findMember(db, shop, customerId);
  if (!member || member.redacted_at) return { credited: [] };
  const read = await readMemberFacts(db, member.id);
  if (!read) return { credited: [] };
  const event = { type: "action" as const, ruleId, key: customerId, photo: false, at, customerTags: read.facts.tags };
  return awardEvent(db, context, read.facts, event, { now: at });
}

export function socialClaimJobHandlers(): Record<string, JobHandler> {
  return {
    [SOCIAL_CLAIM_JOB]: async ({ db, shop, payload, now }) => {
      const { ruleId, customerId } = payload as { ruleId?: unknown; customerId?: unknown };
      if (!Number.isSafeInteger(ruleId) || typeof customerId !== "string") throw new Error(`social claim job has a bad payload: ${JSON.stringify(payload)}`);
      await db.transaction((tx) => awardSocialFollow(tx, shop, ruleId as number, customerId, now));
    },
  };
}
