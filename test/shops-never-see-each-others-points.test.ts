import { describe, expect, it } from "vitest";
import { useWebhookApp } from "./support/webhook-app";
import { orderPayload, refundPayload } from "./support/shopify-payloads";

const A = "tenant-a.myshopify.com";
const B = "tenant-b.myshopify.com";
const fixture = useWebhookApp([A, B]);

const balance = async (shop: string, customerId: number) =>
  (await fixture.database.db.raw.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [shop, String(customerId)]))
    ?.balance;

describe("one shop can never read or change another's points", () => {
  it("the same customer and order ids in two shops are two members and two orders", async () => {
    const order = orderPayload();
    await fixture.app.deliver({ topic: "orders/paid", shop: A, payload: order });
    await fixture.app.deliver({ topic: "orders/paid", shop: B, payload: { ...order, line_items: [order.line_items[1]] } });
    expect(await balance(A, order.customer!.id)).toBe(97);
    expect(await balance(B, order.customer!.id)).toBe(25);
  });

  it("a refund delivered for shop B does not touch shop A's order with the same id", async () => {
    const order = orderPayload();
    await fixture.app.deliver({ topic: "orders/paid", shop: A, payload: order });
    await fixture.app.deliver({
      topic: "refunds/create",
      shop: B,
      payload: refundPayload(order, [
        [0, 2],
        [1, 1],
      ]),
    });
    expect(await balance(A, order.customer!.id)).toBe(97);
  });

  it("a cancellation delivered for shop B does not take shop A's points", async () => {
    const order = orderPayload();
    await fixture.app.deliver({ topic: "orders/paid", shop: A, payload: order });
    await fixture.app.deliver({ topic: "orders/cancelled", shop: B, payload: { ...order, cancelled_at: "2026-11-22T00:00:00Z" } });
    expect(await balance(A, order.customer!.id)).toBe(97);
  });
});
