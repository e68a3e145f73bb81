import { prepare } from "../db/prepared";
import type { Database, Db } from "../db/types";
import {
  flowAdjustmentReason,
  flowAdjustmentSourceKey,
  flowRefusal,
  FLOW_TRIGGERS,
  pointsEarnedProperties,
  pointsExpiringProperties,
  rewardRedeemedProperties,
  tierChangedProperties,
  type FlowPointsAdjustment,
  type FlowRefusal,
  type FlowTriggerHandle,
  type FlowTriggerProperties,
  type FlowTriggerUseChange,
} from "../domain/flow";
import { tierById, tierName, type TierConfig } from "../domain/tiers";
import { enqueueJob, PermanentJobFailure, type JobHandler } from "../jobs/queue.server";
import type { AdminGraphql } from "../shopify/admin-api.server";
import { FLOW_TRIGGER_RECEIVE } from "../shopify/queries";
import { appendLedgerEntry, findEntryBySource } from "./ledger.server";
import { ensureMember } from "./members.server";

// Shopify Flow. Which shops use which trigger is what Flow's lifecycle callback said last
// (flow_trigger_uses); a trigger fires only for those, as a durable job enqueued in the
// transaction of the change it reports (one job per business event, by its unique key), whose
// handler sends flowTriggerReceive. The "Adjust loyalty points" action is one ledger entry per
// action run.

export const FLOW_TRIGGER_JOB = "flow.trigger";

const upsertTriggerUse = prepare((q, p: { shop: string; handle: string; active: boolean; at: string }) =>
  q
    .insertInto("flow_trigger_uses")
    .values({ shop: p.shop, handle: p.handle, active: p.active, updated_at: p.at })
    .onConflict((conflict) =>
      conflict
        .columns(["shop", "handle"])
        .doUpdateSet((eb) => ({ active: eb.ref("excluded.active"), updated_at: eb.ref("excluded.updated_at") }))
        // Callbacks may arrive out of order: an older one does not undo a newer one.
        .where("flow_trigger_uses.updated_at", "<=", p.at),
    ),
);

/** Records what a lifecycle callback says: the shop uses the trigger (a workflow with it is on), or no longer does. */
export async function recordFlowTriggerUse(db: Db, change: FlowTriggerUseChange): Promise<void> {
  await upsertTriggerUse.run(db, change);
}

const triggerUse = prepare((q, p: { shop: string; handle: string }) =>
  q.selectFrom("flow_trigger_uses").select("active").where("shop", "=", p.shop).where("handle", "=", p.handle),
);

/** Whether the shop has a workflow on that starts with the trigger: one primary-key read. */
export async function shopUsesFlowTrigger(db: Db, shop: string, handle: FlowTriggerHandle): Promise<boolean> {
  const row = await triggerUse.first(db, { shop, handle });
  return Boolean(row?.active);
}

export interface FlowTriggerEvent {
  shop: string;
  handle: FlowTriggerHandle;
  /** The business event, unique for the trigger in the shop (a ledger source key, a redemption): it is sent once. */
  eventKey: string;
  /** Built only when the shop uses the trigger (so a shop without Flow pays one read). */
  properties: () => Promise<FlowTriggerProperties> | FlowTriggerProperties;
}

export const flowTriggerJobKey = (shop: string, handle: string, eventKey: string) => `flow:${shop}:${handle}:${eventKey}`;

/**
 * Sends the trigger for this event, once, if the shop uses it: a job in the caller's
 * transaction, so it exists exactly when the change it reports does. True when enqueued.
 */
export async function fireFlowTrigger(db: Db, event: FlowTriggerEvent, now: Date = new Date()): Promise<boolean> {
  if (!(await shopUsesFlowTrigger(db, event.shop, event.handle))) return false;
  const properties = await event.properties();
  await enqueueJob(
    db,
    {
      shop: event.shop,
      kind: FLOW_TRIGGER_JOB,
      key: flowTriggerJobKey(event.shop, event.handle, event.eventKey),
      payload: { handle: event.handle, properties },
      runAt: now,
    },
    now,
  );
  return true;
}

/**
 * The points expiry job calls this for a member whose points expire soon: the "Loyalty points
 * about to expire" trigger, once per member and expiry instant.
 */
export async function firePointsExpiringTrigger(
  db: Db,
  shop: string,
  member: { customerId: string; balance: number },
  points: number,
  expiresAt: Date | string,
  now: Date = new Date(),
): Promise<boolean> {
  const at = new Date(expiresAt).toISOString();
  return fireFlowTrigger(
    db,
    {
      shop,
      handle: FLOW_TRIGGERS.pointsExpiring,
      eventKey: `customer:${member.customerId}:${at}`,
      properties: () => pointsExpiringProperties({ customerId: member.customerId, points, balance: member.balance, expiresAt: at }),
    },
    now,
  );
}

const memberBalance = prepare((q, p: { id: number }) => q.selectFrom("members").select("balance").where("id", "=", p.id));

/** After an order's points are in the ledger (at once, or when its pending window ends): "Loyalty points earned", once per order. */
export async function firePointsEarnedTrigger(
  db: Db,
  shop: string,
  earned: { memberId: number; customerId: string; orderId: string; orderName: string | null; awards: readonly { points: number; reason: string }[] },
  now: Date = new Date(),
): Promise<boolean> {
  const points = earned.awards.reduce((sum, award) => sum + award.points, 0);
  if (points <= 0) return false;
  return fireFlowTrigger(
    db,
    {
      shop,
      handle: FLOW_TRIGGERS.pointsEarned,
      eventKey: `order:${earned.orderId}`,
      properties: async () =>
        pointsEarnedProperties({
          customerId: earned.customerId,
          orderId: earned.orderId,
          points,
          balance: (await memberBalance.first(db, { id: earned.memberId }))?.balance ?? 0,
          reason: [...new Set(earned.awards.map((award) => award.reason))].join(" · ") || `Order ${earned.orderName ?? earned.orderId}`,
        }),
    },
    now,
  );
}

const redemptionFacts = prepare((q, p: { shop: string; memberId: number; rewardId: number }) =>
  q
    .selectFrom("members")
    .innerJoin("rewards", (join) => join.on("rewards.shop", "=", p.shop).on("rewards.id", "=", p.rewardId))
    .select(["members.customer_id", "members.balance", "rewards.name"])
    .where("members.shop", "=", p.shop)
    .where("members.id", "=", p.memberId),
);

/** A redemption was issued (its code or store credit made in Shopify): "Loyalty reward redeemed", once per redemption. */
export async function fireRewardRedeemedTrigger(
  db: Db,
  redemption: { id: number; shop: string; member_id: number; reward_id: number; points: number; code: string | null },
  now: Date = new Date(),
): Promise<boolean> {
  return fireFlowTrigger(
    db,
    {
      shop: redemption.shop,
      handle: FLOW_TRIGGERS.rewardRedeemed,
      eventKey: `redemption:${redemption.id}`,
      properties: async () => {
        const facts = (await redemptionFacts.first(db, { shop: redemption.shop, memberId: redemption.member_id, rewardId: redemption.reward_id }))!;
        return rewardRedeemedProperties({
          customerId: facts.customer_id,
          rewardName: facts.name,
          pointsSpent: redemption.points,
          balance: facts.balance,
          code: redemption.code,
        });
      },
    },
    now,
  );
}

/** A tier change as tier_changes records it: from one tier (or none) to another (or none), under its unique source key. */
export interface FlowTierChange {
  memberId: number;
  fromTierId: number | null;
  toTierId: number | null;
  sourceKey: string;
}

const customersOfMembers = (db: Db, shop: string, ids: readonly number[]) =>
  db.query.selectFrom("members").select(["id", "customer_id"]).where("shop", "=", shop).where("id", "in", ids).execute();

/** Tier changes just written (one, or an evaluation batch's): "Loyalty tier changed", once per change. One read when the shop does not use it. */
export async function fireTierChangedTriggers(
  db: Db,
  shop: string,
  program: { tiers: readonly TierConfig[] },
  changes: readonly FlowTierChange[],
  now: Date = new Date(),
): Promise<number> {
  if (changes.length === 0 || !(await shopUsesFlowTrigger(db, shop, FLOW_TRIGGERS.tierChanged))) return 0;
  const customers = new Map<number, string>();
  for (let from = 0; from < changes.length; from += 500) {
    const ids = changes.slice(from, from + 500).map((change) => change.memberId);
    for (const row of await customersOfMembers(db, shop, ids)) customers.set(row.id, row.customer_id);
  }
  const nameOf = (id: number | null) => {
    const tier = tierById(program, id);
    return tier ? tierName(tier, "en") : null;
  };
  const rankOf = (id: number | null) => tierById(program, id)?.rank ?? 0;
  let fired = 0;
  for (const change of changes) {
    const customerId = customers.get(change.memberId);
    if (!customerId) continue;
    const properties = tierChangedProperties({
      customerId,
      tierName: nameOf(change.toTierId),
      previousTierName: nameOf(change.fromTierId),
      upgraded: rankOf(change.toTierId) > rankOf(change.fromTierId),
    });
    await enqueueJob(
      db,
      {
        shop,
        kind: FLOW_TRIGGER_JOB,
        key: flowTriggerJobKey(shop, FLOW_TRIGGERS.tierChanged, change.sourceKey),
        payload: { handle: FLOW_TRIGGERS.tierChanged, properties },
        runAt: now,
      },
      now,
    );
    fired++;
  }
  return fired;
}

/** Shopify's answer names the payload (or the trigger) as wrong: the same request can only fail again. */
const refusesThePayload = (errors: readonly { field?: string[] | null; message: string }[]) =>
  errors.some((e) => (e.field ?? []).some((f) => f === "payload" || f === "handle") || /payload|schema|handle|invalid|not found/i.test(e.message));

/** Sends one trigger. Network errors and throttling retry with the queue's backoff; a payload Shopify refuses fails the job at once. */
export async function sendFlowTrigger(admin: AdminGraphql, handle: string, properties: FlowTriggerProperties): Promise<void> {
  const { flowTriggerReceive } = await admin.request(FLOW_TRIGGER_RECEIVE, { handle, payload: properties });
  if (!flowTriggerReceive) throw new Error("flowTriggerReceive returned no result");
  const errors = flowTriggerReceive.userErrors;
  if (errors.length === 0) return;
  const message = `flowTriggerReceive ${handle}: ${errors.map((e) => e.message).join("; ")}`;
  throw refusesThePayload(errors) ? new PermanentJobFailure(message) : new Error(message);
}

export function flowJobHandlers(deps: { adminFor(shop: string): Promise<AdminGraphql | null> }): Record<string, JobHandler> {
  return {
    [FLOW_TRIGGER_JOB]: async ({ db, shop, payload }) => {
      const { handle, properties } = payload as { handle: FlowTriggerHandle; properties: FlowTriggerProperties };
      // The shop turned its workflows off since: Flow would drop it anyway.
      if (!(await shopUsesFlowTrigger(db, shop, handle))) return;
      const admin = await deps.adminFor(shop);
      if (!admin) return; // uninstalled: no workflow to start
      await sendFlowTrigger(admin, handle, properties);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The "Adjust loyalty points" action

export type FlowAdjustmentResult = { ok: true; points: number; balance: number; entryId: number; replayed: boolean } | FlowRefusal;

const installedShop = prepare((q, p: { shop: string }) =>
  q.selectFrom("shops").select("domain").where("domain", "=", p.shop).where("uninstalled_at", "is", null).where("redacted_at", "is", null),
);

const memberOfCustomer = prepare((q, p: { shop: string; customerId: string }) =>
  q.selectFrom("members").select(["id", "redacted_at"]).where("shop", "=", p.shop).where("customer_id", "=", p.customerId),
);

const balanceOfMember = prepare((q, p: { id: number }) => q.selectFrom("members").select("balance").where("id", "=", p.id));

/**
 * Applies one action run, once: the ledger entry's source key is the run's id, so the same run
 * sent again (Flow retries on a timeout or a 5xx) finds its entry, changes nothing and answers
 * the same. A customer the program does not know yet becomes a member when points are added
 * (Flow names customers of the shop, as orders do); taking points from one is refused. A
 * redacted member is not found.
 */
export async function applyFlowPointsAdjustment(db: Database, adjustment: FlowPointsAdjustment, now: string): Promise<FlowAdjustmentResult> {
  const { shop, runId, customerId, points, reason } = adjustment;
  if (!(await installedShop.first(db, { shop }))) return flowRefusal("not_installed");
  const sourceKey = flowAdjustmentSourceKey(runId);
  return db.transaction(async (tx): Promise<FlowAdjustmentResult> => {
    const existing = await memberOfCustomer.first(tx, { shop, customerId });
    const answer = async (
      entry: { id: number; member_id: number; delta: number },
      replayed: boolean,
      memberId = existing?.id,
    ): Promise<FlowAdjustmentResult> => {
      if (replayed && (entry.member_id !== memberId || entry.delta !== points)) return flowRefusal("run_conflict");
      const { balance } = (await balanceOfMember.first(tx, { id: entry.member_id }))!;
      return { ok: true, points: entry.delta, balance, entryId: entry.id, replayed };
    };
    const earlier = await findEntryBySource(tx, shop, sourceKey);
    if (earlier) return answer(earlier, true);
    if (existing?.redacted_at) return flowRefusal("member_not_found", "This customer's data was erased: the program has no member for them.");
    if (!existing && points < 0) return flowRefusal("member_not_found");
    const memberId =
      existing?.id ??
      (await ensureMember(
        tx,
        shop,
        { customerId, email: null, firstName: null, lastName: null, tags: [], updatedAt: null, accountState: null, emailMarketingState: null, locale: null },
        now,
      ));
    const { inserted } = await appendLedgerEntry(
      tx,
      { shop, memberId, delta: points, kind: "manual_adjustment", sourceKey, actor: { type: "system" }, reason: flowAdjustmentReason(reason) },
      now,
    );
    // Not inserted: the same run, applied by a concurrent request since the read above.
    return answer((await findEntryBySource(tx, shop, sourceKey))!, !inserted, memberId);
  });
}
