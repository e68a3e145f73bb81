import { pointsForOrder, type EarningLine } from "../domain/earning";
import { pointsToTakeBack, refundedBasis, type RefundedLine } from "../domain/reversal";
import type { SqlExecutor } from "../db/types";
import type { WebhookOrder, WebhookRefund } from "../webhooks/payloads";
import { appendLedgerEntry } from "./ledger.server";
import { ensureMember, findMember } from "./members.server";
import { markCodesUsed } from "./redemptions.server";
import type { ShopContext } from "./shops.server";

interface LoyaltyOrderRow {
  id: number;
  order_id: string;
  order_name: string | null;
  customer_id: string | null;
  currency_code: string;
  earning_lines: string;
  basis_minor: number | string;
  earned_points: number;
  reversed_points: number;
  earned_at: unknown;
  cancelled_at: unknown;
}

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
async function lockOrder(db: SqlExecutor, shop: string, orderId: string, now: string): Promise<LoyaltyOrderRow & { fresh: boolean }> {
  const { changes } = await db.run(
    `INSERT INTO "loyalty_orders" ("shop", "order_id", "created_at", "updated_at") VALUES (?, ?, ?, ?)
     ON CONFLICT ("shop", "order_id") DO NOTHING`,
    [shop, orderId, now, now],
  );
  const lock = db.dialect === "postgres" ? " FOR UPDATE" : "";
  const row = (await db.get<LoyaltyOrderRow>(
    `SELECT * FROM "loyalty_orders" WHERE "shop" = ? AND "order_id" = ?${lock}`,
    [shop, orderId],
  ))!;
  // A row this event created has no refunds recorded before it.
  return { ...row, fresh: changes === 1 };
}

async function recordRefund(db: SqlExecutor, shop: string, refund: WebhookRefund, now: string): Promise<boolean> {
  const { changes } = await db.run(
    `INSERT INTO "order_refunds" ("shop", "order_id", "refund_id", "lines", "created_at") VALUES (?, ?, ?, ?, ?)
     ON CONFLICT ("shop", "refund_id") DO NOTHING`,
    [shop, refund.orderId, refund.refundId, JSON.stringify(refund.lines), now],
  );
  return changes === 1;
}

/**
 * Brings the points taken back for an order up to what its refunds and cancellation call for,
 * with one ledger entry for the difference. The source key names the level reached
 * ("order:1:reversed-to:40"): whichever event gets there first writes it, exactly once, and a
 * refund seen earlier inside an order payload is still taken back when its own webhook is late.
 */
async function reconcileReversals(
  db: SqlExecutor,
  shop: string,
  order: LoyaltyOrderRow,
  now: string,
  knownMemberId?: number,
): Promise<number> {
  const label = order.order_name ?? `#${order.order_id}`;
  const reason = order.cancelled_at ? `Order ${label} cancelled` : `Refund on order ${label}`;
  if (order.earned_points <= 0 || !order.customer_id) return 0;
  const refunds = await db.all<{ lines: string }>(
    'SELECT "lines" FROM "order_refunds" WHERE "shop" = ? AND "order_id" = ?',
    [shop, order.order_id],
  );
  const lines = JSON.parse(order.earning_lines) as EarningLine[];
  const target = pointsToTakeBack({
    earnedPoints: order.earned_points,
    basisMinor: Number(order.basis_minor),
    refundedBasisMinor: refundedBasis(lines, refunds.map((r) => JSON.parse(r.lines) as RefundedLine[])),
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
  await db.run('UPDATE "loyalty_orders" SET "reversed_points" = ?, "updated_at" = ? WHERE "id" = ?', [
    target,
    now,
    order.id,
  ]);
  order.reversed_points = target;
  return delta;
}

/** orders/paid, orders/fulfilled and orders/cancelled. */
export async function applyOrderEvent(
  db: SqlExecutor,
  shop: ShopContext,
  order: WebhookOrder,
  event: OrderEvent,
  now: string,
): Promise<OrderOutcome> {
  const row = await lockOrder(db, shop.domain, order.orderId, now);
  // Refunds the order already carries count as received, whatever became of their own webhooks.
  for (const refund of order.refunds) await recordRefund(db, shop.domain, refund, now);
  if (event === "paid" && order.discountCodes.length) await markCodesUsed(db, shop.domain, order.discountCodes, order.orderId, now);
  if (!order.customer) return { result: "no customer" };

  const memberId = await ensureMember(db, shop.domain, order.customer, now);
  const identityChanged =
    row.customer_id !== order.customer.customerId || row.currency_code !== order.currency || row.order_name !== order.name;
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

/** Timestamps as UTC ISO text: read back as text (SQLite) or Date (PostgreSQL), sent with offsets by Shopify. */
function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Writes the order's row back in one statement (the row is locked by lockOrder). */
async function saveOrder(db: SqlExecutor, row: LoyaltyOrderRow, now: string) {
  await db.run(
    `UPDATE "loyalty_orders" SET "customer_id" = ?, "order_name" = ?, "currency_code" = ?, "earning_lines" = ?,
       "basis_minor" = ?, "earned_points" = ?, "earned_at" = ?, "cancelled_at" = ?, "updated_at" = ?
     WHERE "id" = ?`,
    [
      row.customer_id,
      row.order_name,
      row.currency_code,
      row.earning_lines,
      Number(row.basis_minor),
      row.earned_points,
      isoOrNull(row.earned_at),
      isoOrNull(row.cancelled_at),
      now,
      row.id,
    ],
  );
}

async function earnForOrder(
  db: SqlExecutor,
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
  const decision = pointsForOrder(
    { currency: order.currency, customerTags: order.customer?.tags ?? [], lines: order.lines },
    shop.program,
  );
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
export async function applyRefund(
  db: SqlExecutor,
  shop: ShopContext,
  refund: WebhookRefund,
  now: string,
): Promise<OrderOutcome> {
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
export async function orderPointsForCustomer(db: SqlExecutor, shop: string, customerId: string, orderId: string): Promise<OrderPoints> {
  const row = await db.get<Pick<LoyaltyOrderRow, "customer_id" | "earned_points" | "reversed_points" | "earned_at" | "cancelled_at">>(
    'SELECT "customer_id", "earned_points", "reversed_points", "earned_at", "cancelled_at" FROM "loyalty_orders" WHERE "shop" = ? AND "order_id" = ?',
    [shop, orderId],
  );
  if (!row || row.customer_id !== customerId) return { state: "pending", earnedPoints: null };
  if (row.cancelled_at) return { state: "cancelled", earnedPoints: 0 };
  if (!row.earned_at) return { state: "pending", earnedPoints: null };
  return { state: "earned", earnedPoints: Math.max(0, row.earned_points - row.reversed_points) };
}
