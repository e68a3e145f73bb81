import { earningLines, type EarningLine } from "../domain/earning";
import {
  decideAwards,
  orderDisqualified,
  type Award,
  type BreakdownLine,
  type EarningEvent,
  type EarningRuleKind,
  type RuleContent,
} from "../domain/ways-to-earn";
import { enqueueJob, type JobHandler } from "../jobs/queue.server";
import { creditAwards, creditedSourceKeys, heldOrderBonuses, memberHistory, parseRuleAwards, recordDryRuns, type MemberFacts } from "./awards.server";
import { reversalTakingExpiryIntoAccount } from "./expiry.server";
import { addressDigest, phoneDigest } from "../domain/referrals";
import { pointsToTakeBack, refundedBasis, type RefundedLine } from "../domain/reversal";
import { sql, type Selectable } from "kysely";
import { lockedForUpdate, upsertInserted, upsertLocksAndTells } from "../db/dialect";
import { prepare } from "../db/prepared";
import type { DB, Db } from "../db/types";
import type { WebhookOrder, WebhookRefund } from "../webhooks/payloads";
import { appendLedgerEntry } from "./ledger.server";
import { ensureMember, findMember } from "./members.server";
import { markCodesUsed } from "./redemptions.server";
import { attributeReferralOrder, cancelReferralForOrder, mayBeReferred } from "./referrals.server";
import { scheduleMetafieldSync } from "./metafields.server";
import type { ShopContext } from "./shops.server";
import { recordTierActivity, tierContext, type TierContext } from "./tiers.server";
import { applyPaidMemberships } from "./paid-memberships.server";
import { firePointsEarnedTrigger } from "./flow.server";
import { tierById, tierOrderAward } from "../domain/tiers";

/** The ways to earn an order event is decided by (decideOrder in app/domain/ways-to-earn.ts). */
const ORDER_RULE_KINDS: ReadonlySet<string> = new Set(["purchase", "nth_order", "first_order"]);

type LoyaltyOrderRow = Selectable<DB["loyalty_orders"]>;

export type OrderEvent = "paid" | "fulfilled" | "cancelled";

/** What applying an order event did, for logs and tests. */
export interface OrderOutcome {
  result: "earned" | "not earned" | "already earned" | "reversed" | "recorded" | "no customer";
  detail?: string;
  points?: number;
}

/**
 * Every event of one order goes through its loyalty_orders row, created if missing and locked:
 * on PostgreSQL two transactions touching the same order (a refund and the paid event, say)
 * would otherwise each miss the other's write; SQLite has a single writer already.
 */
const createOrderRow = prepare((q, p: { shop: string; orderId: string; now: string }) =>
  q
    .insertInto("loyalty_orders")
    .values({ shop: p.shop, order_id: p.orderId, created_at: p.now, updated_at: p.now })
    .onConflict((conflict) => conflict.columns(["shop", "order_id"]).doNothing()),
);

const lockedOrderRow = prepare((q, p: { shop: string; orderId: string }, dialect) =>
  lockedForUpdate(dialect, q.selectFrom("loyalty_orders").selectAll().where("shop", "=", p.shop).where("order_id", "=", p.orderId)),
);

/** PostgreSQL: the row created or locked in one round trip, and whether it was created. */
const createdOrLockedOrderRow = prepare((q, p: { shop: string; orderId: string; now: string }) =>
  q
    .insertInto("loyalty_orders")
    .values({ shop: p.shop, order_id: p.orderId, created_at: p.now, updated_at: p.now })
    .onConflict((conflict) => conflict.columns(["shop", "order_id"]).doUpdateSet((eb) => ({ updated_at: eb.ref("loyalty_orders.updated_at") })))
    .returningAll()
    .returning(upsertInserted.as("fresh")),
);

async function lockOrder(db: Db, shop: string, orderId: string, now: string): Promise<LoyaltyOrderRow & { fresh: boolean }> {
  if (upsertLocksAndTells(db.dialect)) return (await createdOrLockedOrderRow.first(db, { shop, orderId, now }))!;
  const changes = await createOrderRow.run(db, { shop, orderId, now });
  const row = (await lockedOrderRow.first(db, { shop, orderId }))!;
  // A row this event created has no refunds recorded before it.
  return { ...row, fresh: changes === 1 };
}

const insertRefund = prepare((q, p: { shop: string; orderId: string; refundId: string; lines: string; now: string }) =>
  q
    .insertInto("order_refunds")
    .values({ shop: p.shop, order_id: p.orderId, refund_id: p.refundId, lines: p.lines, created_at: p.now })
    .onConflict((conflict) => conflict.columns(["shop", "refund_id"]).doNothing()),
);

async function recordRefund(db: Db, shop: string, refund: WebhookRefund, now: string): Promise<boolean> {
  const changes = await insertRefund.run(db, { shop, orderId: refund.orderId, refundId: refund.refundId, lines: JSON.stringify(refund.lines), now });
  return changes === 1;
}

const refundLines = prepare((q, p: { shop: string; orderId: string }) =>
  q.selectFrom("order_refunds").select("lines").where("shop", "=", p.shop).where("order_id", "=", p.orderId),
);

const setReversedPoints = prepare((q, p: { id: number; reversedPoints: number; now: string }) =>
  q.updateTable("loyalty_orders").set({ reversed_points: p.reversedPoints, updated_at: p.now }).where("id", "=", p.id),
);

/**
 * Brings the points taken back for an order up to what its refunds and cancellation call for,
 * with one ledger entry for the difference. The source key names the level reached
 * ("order:1:reversed-to:40"): whichever event gets there first writes it, exactly once, and a
 * refund seen earlier inside an order payload is still taken back when its own webhook is late.
 */
async function reversalTarget(db: Db, shop: string, order: LoyaltyOrderRow): Promise<number> {
  const refunds = await refundLines.all(db, { shop, orderId: order.order_id });
  const lines = JSON.parse(order.earning_lines) as EarningLine[];
  return pointsToTakeBack({
    earnedPoints: order.earned_points,
    basisMinor: order.basis_minor,
    refundedBasisMinor: refundedBasis(
      lines,
      refunds.map((r) => JSON.parse(r.lines) as RefundedLine[]),
    ),
    cancelled: Boolean(order.cancelled_at),
  });
}

async function reconcileReversals(db: Db, shop: string, order: LoyaltyOrderRow, now: string, knownMemberId?: number): Promise<number> {
  const label = order.order_name ?? `#${order.order_id}`;
  const reason = order.cancelled_at ? `Order ${label} cancelled` : `Refund on order ${label}`;
  if (order.earned_points <= 0 || !order.customer_id) return 0;
  // Pending points are not in the ledger yet: the shopper's pending figure shrinks instead.
  if (isPending(order)) {
    await refreshPending(db, shop, order);
    return 0;
  }
  const target = await reversalTarget(db, shop, order);
  const delta = target - order.reversed_points;
  if (delta <= 0) return 0;
  const memberId = knownMemberId ?? (await findMember(db, shop, order.customer_id))?.id;
  if (!memberId) return 0;
  // Points of the order that already expired left the balance once: they are not taken again.
  const take = await reversalTakingExpiryIntoAccount(db, shop, memberId, order.order_id, { target, wanted: delta });
  if (take === 0) {
    await setReversedPoints.run(db, { id: order.id, reversedPoints: target, now });
    order.reversed_points = target;
    return 0;
  }
  const { inserted } = await appendLedgerEntry(
    db,
    {
      shop,
      memberId,
      delta: -take,
      kind: order.cancelled_at ? "cancel_reversal" : "refund_reversal",
      sourceKey: `order:${order.order_id}:reversed-to:${target}`,
      orderId: order.order_id,
      actor: { type: "system" },
      reason: take < delta ? `${reason} (${(delta - take).toLocaleString("en-US")} of its points had already expired)` : reason,
      // Towards tiers, a refund counts against the day its order earned.
      countsAt: isoOrNull(order.earned_at),
    },
    now,
  );
  if (!inserted) return 0;
  await setReversedPoints.run(db, { id: order.id, reversedPoints: target, now });
  order.reversed_points = target;
  return take;
}

/** orders/paid, orders/fulfilled and orders/cancelled. */
export async function applyOrderEvent(db: Db, shop: ShopContext, order: WebhookOrder, event: OrderEvent, now: string): Promise<OrderOutcome> {
  const row = await lockOrder(db, shop.domain, order.orderId, now);
  // Refunds the order already carries count as received, whatever became of their own webhooks.
  for (const refund of order.refunds) await recordRefund(db, shop.domain, refund, now);
  if (event === "paid" && order.discountCodes.length) await markCodesUsed(db, shop.domain, order.discountCodes, order.orderId, now);
  // Referrals: queried only for an order that used a code or carries the referral attribute, or a cancellation.
  if (event === "paid" && mayBeReferred(order)) await attributeReferralOrder(db, shop, order, now);
  if (event === "cancelled" || order.cancelledAt || order.refunds.length) await cancelReferralForOrder(db, shop.domain, order.orderId, now);
  if (!order.customer) return { result: "no customer" };

  const memberId = await ensureMember(db, shop.domain, order.customer, now);
  const identityChanged = row.customer_id !== order.customer.customerId || row.currency_code !== order.currency || row.order_name !== order.name;
  row.customer_id = order.customer.customerId;
  row.currency_code = order.currency;
  row.order_name = order.name;

  let outcome: OrderOutcome = { result: "recorded" };
  if (event === "cancelled" && !row.cancelled_at) {
    row.cancelled_at = order.cancelledAt ?? now;
    // A cancelled order stops counting towards stamp cards and first-order bonuses.
    if (row.qualifying_number !== null) {
      await countQualifyingOrder.first(db, { id: memberId, delta: -1 });
      row.qualifying_number = null;
    }
    await saveOrder(db, row, now);
  } else if (event === shop.program.earnTrigger && !row.earned_at) {
    outcome = await earnForOrder(db, shop, order, row, memberId, now);
  } else {
    if (event === shop.program.earnTrigger) outcome = { result: "already earned" };
    if (identityChanged) await saveOrder(db, row, now);
  }

  const noRefunds = row.fresh && order.refunds.length === 0;
  const tiers = await tierContext(db, shop.domain);
  await countOrderTowardsTiers(db, shop.domain, row, memberId, now, { noRefunds, context: tiers });
  const paidLines = event === "paid" && !row.cancelled_at ? order.lines : null;
  await applyPaidMemberships(db, shop.domain, { orderId: order.orderId, memberId, paidLines, now, context: tiers });
  if (noRefunds && !row.cancelled_at) return outcome;
  const reversed = await reconcileReversals(db, shop.domain, row, now, memberId);
  return reversed > 0 ? { result: "reversed", points: reversed } : outcome;
}

/** Timestamps as UTC ISO text (Shopify sends them with offsets). */
function isoOrNull(value: string | null): string | null {
  if (value === null) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const saveOrderRow = prepare(
  (
    q,
    p: {
      id: number;
      customerId: string | null;
      orderName: string | null;
      currencyCode: string;
      earningLines: string;
      basisMinor: number;
      earnedPoints: number;
      earnedAt: string | null;
      cancelledAt: string | null;
      pendingUntil: string | null;
      pendingAwards: string | null;
      postedAt: string | null;
      qualifyingNumber: number | null;
      now: string;
    },
  ) =>
    q
      .updateTable("loyalty_orders")
      .set({
        customer_id: p.customerId,
        order_name: p.orderName,
        currency_code: p.currencyCode,
        earning_lines: p.earningLines,
        basis_minor: p.basisMinor,
        earned_points: p.earnedPoints,
        earned_at: p.earnedAt,
        cancelled_at: p.cancelledAt,
        pending_until: p.pendingUntil,
        pending_awards: p.pendingAwards,
        posted_at: p.postedAt,
        qualifying_number: p.qualifyingNumber,
        updated_at: p.now,
      })
      .where("id", "=", p.id),
);

/** Writes the order's row back in one statement (the row is locked by lockOrder). */
async function saveOrder(db: Db, row: LoyaltyOrderRow, now: string) {
  await saveOrderRow.run(db, {
    id: row.id,
    customerId: row.customer_id,
    orderName: row.order_name,
    currencyCode: row.currency_code,
    earningLines: row.earning_lines,
    basisMinor: row.basis_minor,
    earnedPoints: row.earned_points,
    earnedAt: isoOrNull(row.earned_at),
    cancelledAt: isoOrNull(row.cancelled_at),
    pendingUntil: isoOrNull(row.pending_until),
    pendingAwards: row.pending_awards,
    postedAt: isoOrNull(row.posted_at),
    qualifyingNumber: row.qualifying_number,
    now,
  });
}

const countQualifyingOrder = prepare((q, p: { id: number; delta: number }) =>
  q
    .updateTable("members")
    .set((eb) => ({ qualifying_orders: eb("qualifying_orders", "+", p.delta) }))
    .where("id", "=", p.id)
    .returning(["qualifying_orders", "rule_awards", "customer_id"]),
);

/**
 * The order's arrival on the member's row, in one statement: its customer tags as the order gives
 * them, one more qualifying order when it counts, and their last order (win-back messages count from it; never moved back).
 */
const memberTakesOrder = prepare((q, p: { id: number; delta: number; tags: string; at: string; phoneKey: string | null; addressKey: string | null }) =>
  q
    .updateTable("members")
    .set((eb) => ({
      qualifying_orders: eb("qualifying_orders", "+", p.delta),
      tags: p.tags,
      // The referral rules' digests of the phone and address this order gives (an order without them keeps the last).
      phone_key: eb.fn.coalesce(eb.val(p.phoneKey), eb.ref("phone_key")),
      address_key: eb.fn.coalesce(eb.val(p.addressKey), eb.ref("address_key")),
      last_order_at: sql<string>`CASE WHEN "last_order_at" IS NULL OR "last_order_at" < ${p.at} THEN ${p.at} ELSE "last_order_at" END`,
    }))
    .where("id", "=", p.id)
    .returning(["qualifying_orders", "rule_awards", "customer_id", "tier_id"]),
);

/**
 * The order's ways to earn and campaigns, decided once when its earn trigger arrives: the member's
 * qualifying-order count moves first (its row lock orders concurrent orders of one member), so
 * the nth-order and first-order rules see the true number.
 */
async function earnForOrder(db: Db, shop: ShopContext, order: WebhookOrder, row: LoyaltyOrderRow, memberId: number, now: string): Promise<OrderOutcome> {
  if (row.cancelled_at || order.cancelledAt) {
    await saveOrder(db, row, now);
    return { result: "not earned", detail: "order is cancelled" };
  }
  const customerTags = order.customer?.tags ?? [];
  const lines = earningLines({ currency: order.currency, customerTags, lines: order.lines }, shop.program);
  const basisMinor = lines.reduce((sum, line) => sum + line.basisMinor, 0);
  const qualifies = orderDisqualified(shop.program, customerTags, basisMinor) === null;
  const counted = (await memberTakesOrder.first(db, {
    id: memberId,
    delta: qualifies ? 1 : 0,
    tags: JSON.stringify(customerTags.map((tag) => tag.toLowerCase())),
    at: now,
    phoneKey: phoneDigest(order.phone),
    addressKey: addressDigest(order.shippingAddress),
  }))!;
  const member: MemberFacts = {
    id: memberId,
    customerId: counted.customer_id,
    qualifyingOrders: counted.qualifying_orders - (qualifies ? 1 : 0),
    tags: customerTags,
    ruleAwards: parseRuleAwards(counted.rule_awards),
  };
  if (qualifies) row.qualifying_number = counted.qualifying_orders;
  // Only the ways to earn on orders can apply: the limits of the others (a birthday's once a year) need no read here.
  const history = await memberHistory(
    db,
    shop.domain,
    member,
    shop.earning.rules.filter((rule) => ORDER_RULE_KINDS.has(rule.kind)),
  );
  const event: EarningEvent = {
    type: "order",
    at: now,
    orderId: order.orderId,
    currency: order.currency,
    customerTags,
    lines: lines.map((line) => ({ lineItemId: line.lineItemId, productId: line.productId ?? null, basisMinor: line.basisMinor })),
  };
  const decision = decideAwards(event, shop.earning.rules, shop.earning.campaigns, history, { program: shop.program, timeZone: shop.timeZone });
  await recordDryRuns(db, shop.domain, memberId, decision.dryRun, now);
  // The member's tier (as it stood before this order) multiplies the purchase points; its extras add to the campaigns'.
  const tiers = counted.tier_id === null ? null : (await tierContext(db, shop.domain)).program;
  const tierAward = tiers ? tierOrderAward(decision.awards, tierById(tiers, counted.tier_id), order.orderId) : null;
  const awards = await awardsStillToCredit(
    db,
    shop,
    order.orderId,
    memberId,
    row.qualifying_number,
    tierAward ? [...decision.awards, tierAward] : decision.awards,
  );
  const total = awards.reduce((sum, award) => sum + award.points, 0);
  row.earning_lines = JSON.stringify(lines);
  row.basis_minor = basisMinor;
  row.earned_points = total;
  row.earned_at = now;
  if (total <= 0) {
    await saveOrder(db, row, now);
    return { result: "not earned", detail: decision.skipped[0]?.reason ?? "order too small to earn a point" };
  }
  if (shop.pendingDays > 0) {
    const availableOn = new Date(Date.parse(now) + shop.pendingDays * 86_400_000).toISOString();
    row.pending_until = availableOn;
    row.pending_awards = JSON.stringify(awards);
    await saveOrder(db, row, now);
    await setPendingPoints(db, shop.domain, memberId, order.orderId, total, availableOn);
    await enqueueJob(
      db,
      {
        shop: shop.domain,
        kind: PENDING_POINTS_JOB,
        key: `pending:${shop.domain}:${order.orderId}`,
        payload: { orderId: order.orderId },
        runAt: new Date(availableOn),
      },
      new Date(now),
    );
    return { result: "earned", detail: `pending until ${availableOn}`, points: total };
  }
  row.posted_at = now;
  await saveOrder(db, row, now);
  const credited = await creditAwards(db, shop.domain, member, awards, { now, orderId: order.orderId });
  // The unique source keys are the backstop should the order's row ever disagree with the ledger.
  if (credited.length === 0) return { result: "already earned" };
  await firePointsEarnedTrigger(
    db,
    shop.domain,
    { memberId, customerId: member.customerId, orderId: order.orderId, orderName: order.name, awards: credited },
    new Date(now),
  );
  return { result: "earned", points: credited.reduce((sum, award) => sum + award.points, 0) };
}

/**
 * The order's awards less those the member already has:
 * - a key that is not the order's own and is in the ledger (a first-order bonus is keyed by the
 *   customer: after a cancelled first order the next one is "first" again but is not paid twice);
 * - a stamp card's bonus when the member holds one for every full card of their qualifying orders
 *   (a cancelled earlier order lowers the count, and reaching the same number again must not pay
 *   that card twice; a cancelled bonus order gave its bonus back, so the card pays again).
 * What is left is what the order earns: refunds and cancellation take back shares of it, never of
 * a bonus the order did not get.
 */
async function awardsStillToCredit(db: Db, shop: ShopContext, orderId: string, memberId: number, qualifyingNumber: number | null, awards: readonly Award[]) {
  const ownKey = (key: string) => key === `order:${orderId}:earn` || key.endsWith(`:${orderId}`);
  const credited = await creditedSourceKeys(
    db,
    shop.domain,
    awards.filter((award) => !ownKey(award.sourceKey)).map((award) => award.sourceKey),
  );
  const kept: Award[] = [];
  for (const award of awards) {
    if (credited.has(award.sourceKey)) continue;
    const rule = award.ruleId === null ? undefined : shop.earning.rules.find((candidate) => candidate.id === award.ruleId);
    if (rule?.kind === "nth_order" && rule.everyNth && qualifyingNumber !== null) {
      const cards = Math.floor(qualifyingNumber / rule.everyNth);
      if ((await heldOrderBonuses(db, shop.domain, memberId, rule.id)) >= cards) continue;
    }
    kept.push(award);
  }
  return kept;
}

export const PENDING_POINTS_JOB = "points.post_pending";

interface PendingEntry {
  orderId: string;
  points: number;
  availableOn: string;
}

function parsePending(json: string): PendingEntry[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as PendingEntry[]).filter((entry) => typeof entry?.orderId === "string") : [];
  } catch {
    return [];
  }
}

/** The member's row lists their pending points (shopper reads find them there); points 0 drops the order's entry. */
async function setPendingPoints(db: Db, shop: string, memberId: number, orderId: string, points: number, availableOn: string | null) {
  const member = await db.query.selectFrom("members").select("pending_points").where("id", "=", memberId).executeTakeFirst();
  if (!member) return;
  const entries = parsePending(member.pending_points).filter((entry) => entry.orderId !== orderId);
  if (points > 0 && availableOn) entries.push({ orderId, points, availableOn });
  entries.sort((a, b) => a.availableOn.localeCompare(b.availableOn));
  const next = JSON.stringify(entries);
  if (next === member.pending_points) return;
  // The storefront's metafields show pending points: a change without a balance change still needs a sync.
  await db.query.updateTable("members").set({ pending_points: next, synced_points: null }).where("id", "=", memberId).execute();
  await scheduleMetafieldSync(db, shop, new Date());
}

const isPending = (row: LoyaltyOrderRow) => row.pending_until !== null && row.posted_at === null;

/**
 * A pending order's points after its refunds and cancellation so far: what the shopper sees
 * waiting. Nothing reaches the ledger until the window ends.
 */
async function refreshPending(db: Db, shop: string, row: LoyaltyOrderRow) {
  if (!row.customer_id) return;
  const member = await findMember(db, shop, row.customer_id);
  if (!member) return;
  const target = await reversalTarget(db, shop, row);
  await setPendingPoints(db, shop, member.id, row.order_id, row.earned_points - target, row.pending_until);
}

/**
 * The pending window of an order ended: its awards go to the ledger as decided, then refunds
 * seen meanwhile are taken back in the same transaction; a cancelled order posts nothing. Runs
 * under the order's row lock, once (posted_at), however often the job runs.
 */
export async function postPendingPoints(db: Db, shop: string, orderId: string, now: string): Promise<"posted" | "dropped" | "already posted" | "not pending"> {
  const row = await lockOrder(db, shop, orderId, now);
  if (row.posted_at !== null) return "already posted";
  if (row.pending_until === null || !row.customer_id) return "not pending";
  const member = await findMember(db, shop, row.customer_id);
  if (!member) return "not pending";
  row.posted_at = now;
  await saveOrder(db, row, now);
  await setPendingPoints(db, shop, member.id, orderId, 0, null);
  if (row.cancelled_at) {
    await setReversedPoints.run(db, { id: row.id, reversedPoints: row.earned_points, now });
    return "dropped";
  }
  const awards = JSON.parse(row.pending_awards ?? "[]") as Award[];
  const credited = await creditAwards(db, shop, { id: member.id, ruleAwards: parseRuleAwards(member.rule_awards) }, awards, { now, orderId });
  await firePointsEarnedTrigger(
    db,
    shop,
    { memberId: member.id, customerId: member.customer_id, orderId, orderName: row.order_name, awards: credited },
    new Date(now),
  );
  await reconcileReversals(db, shop, row, now, member.id);
  return "posted";
}

export function pendingPointsJobHandlers(): Record<string, JobHandler> {
  return {
    [PENDING_POINTS_JOB]: async ({ db, shop, payload, now }) => {
      const orderId = String((payload as { orderId?: unknown }).orderId ?? "");
      await db.transaction((tx) => postPendingPoints(tx, shop, orderId, now.toISOString()));
    },
  };
}

/** refunds/create: recorded even before the order is known; points follow once it has earned. */
export async function applyRefund(db: Db, shop: ShopContext, refund: WebhookRefund, now: string): Promise<OrderOutcome> {
  const row = await lockOrder(db, shop.domain, refund.orderId, now);
  await recordRefund(db, shop.domain, refund, now);
  await cancelReferralForOrder(db, shop.domain, refund.orderId, now);
  const reversed = await reconcileReversals(db, shop.domain, row, now);
  if (row.customer_id) {
    const member = await findMember(db, shop.domain, row.customer_id);
    if (member) {
      const tiers = await tierContext(db, shop.domain);
      await countOrderTowardsTiers(db, shop.domain, row, member.id, now, { noRefunds: false, context: tiers });
      await applyPaidMemberships(db, shop.domain, { orderId: refund.orderId, memberId: member.id, paidLines: null, now, context: tiers });
    }
  }
  return reversed > 0 ? { result: "reversed", points: reversed } : { result: "recorded" };
}

const setTierCounted = prepare((q, p: { id: number; minor: number; orders: number }) =>
  q.updateTable("loyalty_orders").set({ tier_counted_minor: p.minor, tier_counted_orders: p.orders }).where("id", "=", p.id),
);

/**
 * What the order counts towards tiers: 1 order and its merchandise (the basis it earns on, in shop
 * currency, net of refunds) once it qualified, nothing once cancelled; moved by the difference from
 * what it counted before (its row is locked), on the day it earned.
 */
async function countOrderTowardsTiers(
  db: Db,
  shop: string,
  row: LoyaltyOrderRow,
  memberId: number,
  now: string,
  { noRefunds, context }: { noRefunds: boolean; context: TierContext },
) {
  if (!context.program) return;
  const counts = row.qualifying_number !== null && !row.cancelled_at && row.earned_at !== null;
  let minor = 0;
  if (counts) {
    minor = Number(row.basis_minor);
    if (!noRefunds) {
      const refunds = await refundLines.all(db, { shop, orderId: row.order_id });
      minor -= refundedBasis(
        JSON.parse(row.earning_lines) as EarningLine[],
        refunds.map((r) => JSON.parse(r.lines) as RefundedLine[]),
      );
    }
    minor = Math.max(0, minor);
  }
  const orders = counts ? 1 : 0;
  const deltaMinor = minor - Number(row.tier_counted_minor);
  const deltaOrders = orders - row.tier_counted_orders;
  if (deltaMinor === 0 && deltaOrders === 0) return;
  await setTierCounted.run(db, { id: row.id, minor, orders });
  row.tier_counted_minor = minor;
  row.tier_counted_orders = orders;
  await recordTierActivity(
    db,
    shop,
    memberId,
    { amountMinor: deltaMinor, orders: deltaOrders },
    { at: isoOrNull(row.earned_at) ?? now, now, sourceKey: `order:${row.order_id}:counted:${orders}:${minor}`, context },
  );
}

/** One award an order earned, as the thank-you page names it: the base points, a stamp card or first-order bonus, a campaign's bonus. */
export interface OrderAward {
  kind: "earned" | "order_bonus" | "campaign_bonus" | "tier_bonus";
  points: number;
  ruleId: number | null;
  /** The rule's kind (an order bonus: nth_order or first_order), null when the rule is gone. */
  ruleKind: EarningRuleKind | null;
  campaignId: number | null;
  /** The campaign's name (shoppers' words per locale in `content`); null for rules. */
  name: string | null;
  content: Record<string, RuleContent>;
  /** How the award came to its points, in the app's words ("Double points weekend: 2x"). */
  labels: string[];
}

/** What one order did for its customer's points, as the thank-you page shows it. */
export type OrderPoints =
  | {
      state: "earned";
      /** Net of what refunds took back. */
      earnedPoints: number;
      /** What the order's ways to earn and campaigns awarded, before refunds. */
      awards: OrderAward[];
      reversedPoints: number;
      /** While the points wait out the shop's pending window: when they become available; null once posted. */
      pendingUntil: string | null;
    }
  /** Not earned yet: the order's paid (or fulfilled) webhook has not been applied, or the program never earns on it. */
  | { state: "pending"; earnedPoints: null }
  | { state: "cancelled"; earnedPoints: 0 };

const ORDER_AWARD_KINDS: ReadonlySet<string> = new Set(["earned", "order_bonus", "campaign_bonus", "tier_bonus"]);

/** The awards the ledger holds for the order (its earn, bonus and campaign entries for this member). */
async function postedOrderAwards(db: Db, shop: string, customerId: string, orderId: string): Promise<Award[]> {
  const rows = await db.query
    .selectFrom("ledger_entries as e")
    .innerJoin("members as m", "m.id", "e.member_id")
    .select(["e.kind", "e.delta", "e.rule_id", "e.campaign_id", "e.breakdown", "e.source_key", "e.reason"])
    .where("e.shop", "=", shop)
    .where("e.order_id", "=", orderId)
    .where("m.shop", "=", shop)
    .where("m.customer_id", "=", customerId)
    .where("e.kind", "in", ["earned", "order_bonus", "campaign_bonus", "tier_bonus"])
    .where("e.delta", ">", 0)
    .orderBy("e.id")
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    sourceKey: row.source_key,
    points: row.delta,
    ruleId: row.rule_id,
    campaignId: row.campaign_id,
    breakdown: parseBreakdown(row.breakdown),
    reason: row.reason,
  }));
}

function parseBreakdown(json: string | null): BreakdownLine[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((line): line is BreakdownLine => typeof line?.label === "string") : [];
  } catch {
    return [];
  }
}

function parseAwards(json: string | null): Award[] {
  try {
    const value = JSON.parse(json ?? "[]") as unknown;
    return Array.isArray(value) ? (value as Award[]).filter((award) => Number.isInteger(award?.points) && award.points > 0) : [];
  } catch {
    return [];
  }
}

function contentOf(json: string | null | undefined): Record<string, RuleContent> {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as Record<string, RuleContent>;
    const content: Record<string, RuleContent> = {};
    for (const [locale, entry] of Object.entries(value ?? {})) {
      if (typeof entry?.title === "string" && entry.title) content[locale] = { title: entry.title };
    }
    return content;
  } catch {
    return {};
  }
}

/** The awards named for shoppers: each campaign's name and words, each rule's kind and words, read by id within the shop. */
async function namedAwards(db: Db, shop: string, awards: readonly Award[]): Promise<OrderAward[]> {
  const kept = awards.filter((award) => ORDER_AWARD_KINDS.has(award.kind));
  const ruleIds = [...new Set(kept.map((award) => award.ruleId).filter((id): id is number => id !== null))];
  const campaignIds = [...new Set(kept.map((award) => award.campaignId).filter((id): id is number => id !== null))];
  const rules = ruleIds.length
    ? await db.query.selectFrom("earning_rules").select(["id", "kind", "content"]).where("shop", "=", shop).where("id", "in", ruleIds).execute()
    : [];
  const campaigns = campaignIds.length
    ? await db.query.selectFrom("campaigns").select(["id", "name", "content"]).where("shop", "=", shop).where("id", "in", campaignIds).execute()
    : [];
  return kept.map((award) => {
    const rule = rules.find((r) => r.id === award.ruleId);
    const campaign = campaigns.find((c) => c.id === award.campaignId);
    return {
      kind: award.kind as OrderAward["kind"],
      points: award.points,
      ruleId: award.ruleId,
      ruleKind: rule?.kind ?? null,
      campaignId: award.campaignId,
      name: campaign?.name ?? null,
      content: contentOf(campaign?.content ?? rule?.content),
      labels: award.breakdown.map((line) => line.label),
    };
  });
}

/**
 * The points an order earned for this customer, net of what refunds took back, and the awards it
 * was made of: from the ledger once posted, from the order's pending awards while they wait. Another
 * customer's order reads as pending, exactly like an order the app has not seen: nothing leaks.
 */
export async function orderPointsForCustomer(db: Db, shop: string, customerId: string, orderId: string): Promise<OrderPoints> {
  const row = await db.query.selectFrom("loyalty_orders").selectAll().where("shop", "=", shop).where("order_id", "=", orderId).executeTakeFirst();
  if (!row || row.customer_id !== customerId) return { state: "pending", earnedPoints: null };
  if (row.cancelled_at) return { state: "cancelled", earnedPoints: 0 };
  if (!row.earned_at) return { state: "pending", earnedPoints: null };
  const waiting = row.pending_until !== null && row.posted_at === null;
  const awards = waiting ? parseAwards(row.pending_awards) : await postedOrderAwards(db, shop, customerId, orderId);
  // Refunds inside the pending window take nothing from the ledger yet: they shrink what will post.
  const reversedPoints = waiting ? await reversalTarget(db, shop, row) : row.reversed_points;
  return {
    state: "earned",
    earnedPoints: Math.max(0, row.earned_points - reversedPoints),
    awards: await namedAwards(db, shop, awards),
    reversedPoints,
    pendingUntil: waiting ? new Date(row.pending_until!).toISOString() : null,
  };
}
