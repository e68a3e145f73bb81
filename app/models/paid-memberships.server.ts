import { sql } from "kysely";
import { prepare } from "../db/prepared";
import type { Db } from "../db/types";
import { heldPaidTier, membershipLines, membershipWindows, paidTierLinks, type PurchasedLine } from "../domain/paid-membership";
import type { RefundedLine } from "../domain/reversal";
import { evaluateTier, tierById } from "../domain/tiers";
import { applyTierChange, memberTierOf, tierContext, type TierContext } from "./tiers.server";

// Paid memberships in the order path (issue 13): an order's paid event records the memberships its
// lines buy; that event, the order's refunds and its cancellation then bring the member's paid
// tier in step (app/domain/paid-membership.ts decides the windows). Everything runs in the
// webhook's transaction, under the member's row lock, and is keyed so a redelivery changes nothing.

const insertMembership = prepare(
  (q, p: { shop: string; memberId: number; orderId: string; lineItemId: string; tierId: number; units: number; daysPerUnit: number; now: string }) =>
    q
      .insertInto("paid_memberships")
      .values({
        shop: p.shop,
        member_id: p.memberId,
        order_id: p.orderId,
        line_item_id: p.lineItemId,
        tier_id: p.tierId,
        units: p.units,
        days_per_unit: p.daysPerUnit,
        starts_at: p.now,
        ends_at: p.now,
        created_at: p.now,
      })
      .onConflict((conflict) => conflict.columns(["shop", "order_id", "line_item_id"]).doNothing()),
);

const orderMemberships = prepare((q, p: { shop: string; orderId: string }) =>
  q.selectFrom("paid_memberships").select(["member_id"]).where("shop", "=", p.shop).where("order_id", "=", p.orderId).limit(1),
);

/** Takes the member's row lock (a write that changes nothing) and reads their tier as it stands. */
const lockMemberTier = prepare((q, p: { id: number }) =>
  q
    .updateTable("members")
    .set({ paid_until: sql`"paid_until"` })
    .where("id", "=", p.id)
    .returning(["tier_id", "tier_reached_at", "tier_kept_until", "tier_manual", "tier_manual_until", "paid_tier_id", "paid_until", "tier_total"]),
);

const memberMemberships = prepare((q, p: { memberId: number }) =>
  q
    .selectFrom("paid_memberships as m")
    .leftJoin("loyalty_orders as o", (join) => join.onRef("o.shop", "=", "m.shop").onRef("o.order_id", "=", "m.order_id"))
    .select([
      "m.id",
      "m.order_id",
      "m.line_item_id",
      "m.tier_id",
      "m.units",
      "m.days_per_unit",
      "m.created_at",
      "m.starts_at",
      "m.ends_at",
      "m.ended_at",
      "o.cancelled_at",
    ])
    .where("m.member_id", "=", p.memberId)
    .orderBy("m.id"),
);

const orderRefunds = prepare((q, p: { shop: string; orderId: string }) =>
  q.selectFrom("order_refunds").select("lines").where("shop", "=", p.shop).where("order_id", "=", p.orderId),
);

const setWindow = prepare((q, p: { id: number; startsAt: string; endsAt: string; endedAt: string | null }) =>
  q.updateTable("paid_memberships").set({ starts_at: p.startsAt, ends_at: p.endsAt, ended_at: p.endedAt }).where("id", "=", p.id),
);

const setPaidTier = prepare((q, p: { id: number; tierId: number | null; until: string | null }) =>
  q.updateTable("members").set({ paid_tier_id: p.tierId, paid_until: p.until, synced_points: null }).where("id", "=", p.id),
);

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * For an order event or refund of a member: records the memberships a paid order's lines buy,
 * then, when the order holds any, reconciles the member's paid tier. Nothing at all for a shop
 * whose tiers sell no membership.
 */
export async function applyPaidMemberships(
  db: Db,
  shop: string,
  {
    orderId,
    memberId,
    paidLines,
    now,
    context,
  }: { orderId: string; memberId: number; paidLines: readonly PurchasedLine[] | null; now: string; context?: TierContext },
): Promise<void> {
  const tiers = context ?? (await tierContext(db, shop));
  if (!tiers.program) return;
  const links = paidTierLinks(tiers.program);
  if (!links.length) return;
  let bought = false;
  if (paidLines) {
    for (const line of membershipLines(links, paidLines)) {
      bought = true;
      await insertMembership.run(db, {
        shop,
        memberId,
        orderId,
        lineItemId: line.lineItemId,
        tierId: line.tierId,
        units: line.units,
        daysPerUnit: line.daysPerUnit,
        now,
      });
    }
  }
  if (!bought && !(await orderMemberships.first(db, { shop, orderId }))) return;
  await reconcilePaidTier(db, shop, memberId, now, tiers);
}

/**
 * The member's memberships against their orders' refunds and cancellations: each window moved to
 * what the rules say, the member's paid tier and its end date, and the tier change that follows
 * (into the paid tier; back to what the member qualifies for once it is refunded). Other changes
 * (a kept tier running out) wait for the daily evaluation, as always.
 */
export async function reconcilePaidTier(db: Db, shop: string, memberId: number, now: string, context: TierContext): Promise<void> {
  const { program, timeZone } = context;
  if (!program) return;
  const member = await lockMemberTier.first(db, { id: memberId });
  if (!member) return;
  const rows = await memberMemberships.all(db, { memberId });
  const refunded = new Map<string, number>();
  for (const orderId of new Set(rows.map((row) => row.order_id))) {
    for (const refund of await orderRefunds.all(db, { shop, orderId })) {
      for (const line of JSON.parse(refund.lines) as RefundedLine[]) {
        const key = `${orderId}:${line.lineItemId}`;
        refunded.set(key, (refunded.get(key) ?? 0) + line.quantity);
      }
    }
  }
  const windows = membershipWindows(
    rows.map((row) => ({
      id: row.id,
      tierId: row.tier_id,
      boughtAt: iso(row.created_at)!,
      units: row.units,
      daysPerUnit: row.days_per_unit,
      refundedUnits: refunded.get(`${row.order_id}:${row.line_item_id}`) ?? 0,
      cancelled: row.cancelled_at !== null,
    })),
  );
  const stored = new Map(rows.map((row) => [row.id, row]));
  for (const window of windows) {
    const row = stored.get(window.id)!;
    const endedAt = window.ended ? (iso(row.ended_at) ?? now) : null;
    if (iso(row.starts_at) === window.startsAt && iso(row.ends_at) === window.endsAt && iso(row.ended_at) === endedAt) continue;
    await setWindow.run(db, { id: window.id, startsAt: window.startsAt, endsAt: window.endsAt, endedAt });
  }

  const held = heldPaidTier(windows, (tierId) => tierById(program, tierId)?.rank ?? null, now);
  const before = memberTierOf(member);
  if ((before.paid?.tierId ?? null) === (held?.tierId ?? null) && iso(before.paid?.until ?? null) === iso(held?.until ?? null)) return;
  await setPaidTier.run(db, { id: memberId, tierId: held?.tierId ?? null, until: held?.until ?? null });

  // A membership that ended now (refunded, cancelled) is over: it no longer holds the tier.
  const paidBefore = before.paid && Date.parse(before.paid.until) > Date.parse(now) ? before.paid : null;
  const current = { ...before, paid: held ?? (paidBefore ? { tierId: paidBefore.tierId, until: now } : null) };
  const decision = evaluateTier(program, current, Number(member.tier_total), now, timeZone);
  if (!decision.change || !["paid", "paid_ended", "qualified"].includes(decision.reason)) return;
  await applyTierChange(db, shop, program, memberId, current, decision, {
    now,
    timeZone,
    sourceKey: `paid:${memberId}:${current.tierId ?? 0}>${decision.toTierId ?? 0}:${held?.until ?? "ended"}`,
  });
}
