import { describe, expect, it } from "vitest";
import { useWebhookApp } from "./support/webhook-app";
import { newId, orderPayload, refundPayload } from "./support/shopify-payloads";

const SHOP = "points-test.myshopify.com";
const fixture = useWebhookApp([SHOP]);

const balanceOf = async (customerId: number, shop = SHOP) =>
  (await fixture.database.db.raw.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [shop, String(customerId)]))
    ?.balance;
const entriesOf = (customerId: number) =>
  fixture.database.db.raw.all<{ delta: number; kind: string; source_key: string }>(
    `SELECT e."delta", e."kind", e."source_key" FROM "ledger_entries" e JOIN "members" m ON m."id" = e."member_id"
     WHERE m."shop" = ? AND m."customer_id" = ? ORDER BY e."id"`,
    [SHOP, String(customerId)],
  );
const paid = (payload: unknown, webhookId?: string) => fixture.app.deliver({ topic: "orders/paid", shop: SHOP, payload, webhookId });

describe("orders/paid", () => {
  it("awards one point per dollar of merchandise after discounts, without shipping or tax", async () => {
    // 2 x 40.00 - 8.00 discount + 25.50 = 97.50 merchandise; shipping 5.00 and tax 7.30 do not earn.
    const order = orderPayload();
    const response = await paid(order);
    expect(response).toEqual({ status: 200, body: { ok: true, status: "applied" } });
    expect(await balanceOf(order.customer!.id)).toBe(97);
    expect(await entriesOf(order.customer!.id)).toEqual([{ delta: 97, kind: "earned", source_key: `order:${order.id}:earn` }]);
  });

  it("excludes tax included in prices", async () => {
    const order = orderPayload({ taxesIncluded: true, lines: [{ price: "120.00", tax: "20.00" }] });
    await paid(order);
    expect(await balanceOf(order.customer!.id)).toBe(100);
  });

  it("earns once for a redelivery with the same webhook id", async () => {
    const order = orderPayload();
    const first = await paid(order, "same-delivery-id");
    const second = await paid(order, "same-delivery-id");
    expect(first.body.status).toBe("applied");
    expect(second).toEqual({ status: 200, body: { ok: true, status: "duplicate" } });
    expect(await balanceOf(order.customer!.id)).toBe(97);
  });

  it("earns once when the same order arrives under two webhook ids", async () => {
    const order = orderPayload();
    await paid(order);
    await paid(order);
    expect(await entriesOf(order.customer!.id)).toHaveLength(1);
    expect(await balanceOf(order.customer!.id)).toBe(97);
  });

  it("earns once from 50 concurrent deliveries of one order", async () => {
    const order = orderPayload();
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => paid(order, i % 2 ? `dup-${order.id}` : undefined)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(await entriesOf(order.customer!.id)).toHaveLength(1);
    expect(await balanceOf(order.customer!.id)).toBe(97);
  });

  it("gives nothing to an order without a customer", async () => {
    const order = orderPayload({ customerId: null });
    expect((await paid(order)).status).toBe(200);
    expect(await fixture.database.db.raw.get('SELECT COUNT(*) AS "n" FROM "ledger_entries" WHERE "order_id" = ?', [String(order.id)])).toEqual({ n: 0 });
  });

  it.each([
    ["JPY", "1500", 1500],
    ["KWD", "12.345", 12],
    ["USD", "0.99", 0],
  ])("handles %s amounts exactly", async (currency, price, points) => {
    const order = orderPayload({ currency, lines: [{ price }] });
    await paid(order);
    expect((await balanceOf(order.customer!.id)) ?? 0).toBe(points);
  });

  it("ignores webhooks for a shop that is not installed", async () => {
    const order = orderPayload();
    const response = await fixture.app.deliver({ topic: "orders/paid", shop: "stranger.myshopify.com", payload: order });
    expect(response).toEqual({ status: 200, body: { ok: true, status: "ignored" } });
    expect(await balanceOf(order.customer!.id, "stranger.myshopify.com")).toBeUndefined();
  });
});

describe("refunds and cancellations", () => {
  it("takes back points in proportion to the refunded merchandise", async () => {
    const order = orderPayload({ lines: [{ price: "10.00", quantity: 4 }, { price: "60.00" }] });
    await paid(order);
    expect(await balanceOf(order.customer!.id)).toBe(100);
    await fixture.app.deliver({ topic: "refunds/create", shop: SHOP, payload: refundPayload(order, [[0, 1]]) });
    expect(await balanceOf(order.customer!.id)).toBe(90);
    await fixture.app.deliver({
      topic: "refunds/create",
      shop: SHOP,
      payload: refundPayload(order, [
        [0, 3],
        [1, 1],
      ]),
    });
    expect(await balanceOf(order.customer!.id)).toBe(0);
    expect((await entriesOf(order.customer!.id)).map((e) => e.delta)).toEqual([100, -10, -90]);
  });

  it("handles a refund that arrives before the paid event", async () => {
    const order = orderPayload({ lines: [{ price: "50.00", quantity: 2 }] });
    await fixture.app.deliver({ topic: "refunds/create", shop: SHOP, payload: refundPayload(order, [[0, 1]]) });
    expect(await balanceOf(order.customer!.id)).toBeUndefined();
    await paid(order);
    expect(await balanceOf(order.customer!.id)).toBe(50);
    expect((await entriesOf(order.customer!.id)).map((e) => [e.kind, e.delta])).toEqual([
      ["earned", 100],
      ["refund_reversal", -50],
    ]);
  });

  it("cancellation takes back what remains, never more than was earned", async () => {
    const order = orderPayload({ lines: [{ price: "30.00", quantity: 3 }] });
    await paid(order);
    await fixture.app.deliver({ topic: "refunds/create", shop: SHOP, payload: refundPayload(order, [[0, 1]]) });
    await fixture.app.deliver({ topic: "orders/cancelled", shop: SHOP, payload: { ...order, cancelled_at: "2026-11-22T10:00:00Z" } });
    // A late refund for the rest changes nothing: everything is already taken back.
    await fixture.app.deliver({ topic: "refunds/create", shop: SHOP, payload: refundPayload(order, [[0, 2]]) });
    expect((await entriesOf(order.customer!.id)).map((e) => [e.kind, e.delta])).toEqual([
      ["earned", 90],
      ["refund_reversal", -30],
      ["cancel_reversal", -60],
    ]);
    expect(await balanceOf(order.customer!.id)).toBe(0);
  });

  it("lets the balance go below zero when the points were already spent, and shows it", async () => {
    const order = orderPayload({ lines: [{ price: "20.00" }] });
    await paid(order);
    const member = await fixture.database.db.raw.get<{ id: number }>('SELECT "id" FROM "members" WHERE "customer_id" = ?', [String(order.customer!.id)]);
    await fixture.database.db.raw.run(
      `INSERT INTO "ledger_entries" ("shop", "member_id", "delta", "kind", "source_key", "actor_type", "reason", "created_at")
       VALUES (?, ?, -20, 'manual_adjustment', ?, 'system', 'spent', ?)`,
      [SHOP, member!.id, `test:${newId()}`, new Date().toISOString()],
    );
    await fixture.app.deliver({ topic: "refunds/create", shop: SHOP, payload: refundPayload(order, [[0, 1]]) });
    expect(await balanceOf(order.customer!.id)).toBe(-20);
  });
});
