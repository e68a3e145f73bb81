import { pointsForOrder, type EarningLine } from "../domain/earning";
import { pointsToTakeBack, refundedBasis, type RefundedLine } from "../domain/reversal";
import type { Selectable } from "kysely";
import { lockedForUpdate, upsertInserted, upsertLocksAndTells } from "../db/dialect";
import { prepare } from "../db/prepared";
import type { DB, Db } from "../db/types";
import type { WebhookOrder, WebhookRefund } from "../webhooks/payloads";
import { appendLedgerEntry } from "./ledger.server";
import { ensureMember, findMember } from "./members.server";
import { markCodesUsed } from "./redemptions.server";
import type { ShopContext } from "./shops.server";

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
async function reconcileReversals(db: Db, shop: string, order: LoyaltyOrderRow, now: string, knownMemberId?: number): Promise<number> {
  const label = order.order_name ?? `#${order.order_id}`;
  const reason = order.cancelled_at ? `Order ${label} cancelled` : `Refund on order ${label}`;
  if (order.earned_points <= 0 || !order.customer_id) return 0;
  const refunds = await refundLines.all(db, { shop, orderId: order.order_id });
  const lines = JSON.parse(order.earning_lines) as EarningLine[];
  const target = pointsToTakeBack({
    earnedPoints: order.earned_points,
    basisMinor: order.basis_minor,
    refundedBasisMinor: refundedBasis(
      lines,
      refunds.map((r) => JSON.parse(r.lines) as RefundedLine[]),
    ),
    cancelled: Boolean(order.cancelled_at),
  });
  const delta = target - order.reversed_points;
  if (delta <= 0) return 0;
  const memberId = knownMemberId ?? (await findMember(db, shop, order.customer_id))?.id;
  if (!memberId) return 0;
  const { inserted } = await appendLedgerEntry(
    db,
    {
      shop,
      memberId,
      delta: -delta,
      kind: order.cancelled_at ? "cancel_reversal" : "refund_reversal",
      sourceKey: `order:${order.order_id}:reversed-to:${target}`,
      orderId: order.order_id,
      actor: { type: "system" },
      reason,
    },
    now,
  );
  if (!inserted) return 0;
  await setReversedPoints.run(db, { id: order.id, reversedPoints: target, now });
  order.reversed_points = target;
  return delta;
}

/** orders/paid, orders/fulfilled and orders/cancelled. */
export async function applyOrderEvent(db: Db, shop: ShopContext, order: WebhookOrder, event: OrderEvent, now: string): Promise<OrderOutcome> {
  const row = await lockOrder(db, shop.domain, order.orderId, now);
  // Refunds the order already carries count as received, whatever became of their own webhooks.
  for (const refund of order.refunds) await recordRefund(db, shop.domain, refund, now);
  if (event === "paid" && order.discountCodes.length) await markCodesUsed(db, shop.domain, order.discountCodes, order.orderId, now);
  if (!order.customer) return { result: "no customer" };

  const memberId = await ensureMember(db, shop.domain, order.customer, now);
  const identityChanged = row.customer_id !== order.customer.customerId || row.currency_code !== order.currency || row.order_name !== order.name;
  row.customer_id = order.customer.customerId;
  row.currency_code = order.currency;
  row.order_name = order.name;
  const label = order.name ?? `#${order.orderId}`;

  let outcome: OrderOutcome = { result: "recorded" };
  if (event === "cancelled" && !row.cancelled_at) {
    row.cancelled_at = order.cancelledAt ?? now;
    await saveOrder(db, row, now);
  } else if (event === shop.program.earnTrigger && !row.earned_at) {
    outcome = await earnForOrder(db, shop, order, row, memberId, label, now);
  } else {
    if (event === shop.program.earnTrigger) outcome = { result: "already earned" };
    if (identityChanged) await saveOrder(db, row, now);
  }

  if (row.fresh && order.refunds.length === 0 && !row.cancelled_at) return outcome;
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
    now,
  });
}

async function earnForOrder(
  db: Db,
  shop: ShopContext,
  order: WebhookOrder,
  row: LoyaltyOrderRow,
  memberId: number,
  label: string,
  now: string,
): Promise<OrderOutcome> {
  if (row.cancelled_at || order.cancelledAt) {
    await saveOrder(db, row, now);
    return { result: "not earned", detail: "order is cancelled" };
  }
  const decision = pointsForOrder({ currency: order.currency, customerTags: order.customer?.tags ?? [], lines: order.lines }, shop.program);
  row.earning_lines = JSON.stringify(decision.lines);
  row.basis_minor = decision.basisMinor;
  row.earned_points = decision.earns ? decision.points : 0;
  row.earned_at = now;
  await saveOrder(db, row, now);
  if (!decision.earns) return { result: "not earned", detail: decision.reason };
  const { inserted } = await appendLedgerEntry(
    db,
    {
      shop: shop.domain,
      memberId,
      delta: decision.points,
      kind: "earned",
      sourceKey: `order:${order.orderId}:earn`,
      orderId: order.orderId,
      actor: { type: "system" },
      reason: `Order ${label}`,
    },
    now,
  );
  // The unique source key is the backstop should the order's row ever disagree with the ledger.
  if (!inserted) return { result: "already earned" };
  return { result: "earned", points: decision.points };
}

/** refunds/create: recorded even before the order is known; points follow once it has earned. */
export async function applyRefund(db: Db, shop: ShopContext, refund: WebhookRefund, now: string): Promise<OrderOutcome> {
  const row = await lockOrder(db, shop.domain, refund.orderId, now);
  await recordRefund(db, shop.domain, refund, now);
  const reversed = await reconcileReversals(db, shop.domain, row, now);
  return reversed > 0 ? { result: "reversed", points: reversed } : { result: "recorded" };
}

/** What one order did for its customer's points, as the thank-you page shows it. */
export type OrderPoints =
  | { state: "earned"; earnedPoints: number }
  /** Not earned yet: the order's paid (or fulfilled) webhook has not been applied, or the program never earns on it. */
  | { state: "pending"; earnedPoints: null }
  | { state: "cancelled"; earnedPoints: 0 };

/**
 * The points an order earned for this customer, net of what refunds took back. Another
 * customer's order reads as pending, exactly like an order the app has not seen: nothing leaks.
 */
export async function orderPointsForCustomer(db: Db, shop: string, customerId: string, orderId: string): Promise<OrderPoints> {
  const row = await db.query
    .selectFrom("loyalty_orders")
    .select(["customer_id", "earned_points", "reversed_points", "earned_at", "cancelled_at"])
    .where("shop", "=", shop)
    .where("order_id", "=", orderId)
    .executeTakeFirst();
  if (!row || row.customer_id !== customerId) return { state: "pending", earnedPoints: null };
  if (row.cancelled_at) return { state: "cancelled", earnedPoints: 0 };
  if (!row.earned_at) return { state: "pending", earnedPoints: null };
  return { state: "earned", earnedPoints: Math.max(0, row.earned_points - row.reversed_points) };
}
