import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { startAppServer } from "./support/app-server";
import { orderPayload, refundPayload } from "./support/shopify-payloads";

const A = "tenant-a.myshopify.com";
const B = "tenant-b.myshopify.com";
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startAppServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, A);
  await installShop(database.db, B);
  app = await startAppServer(database.db);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const balance = async (shop: string, customerId: number) =>
  (await database.db.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [shop, String(customerId)]))
    ?.balance;

describe("one shop can never read or change another's points", () => {
  it("the same customer and order ids in two shops are two members and two orders", async () => {
    const order = orderPayload();
    await app.deliver({ topic: "orders/paid", shop: A, payload: order });
    await app.deliver({ topic: "orders/paid", shop: B, payload: { ...order, line_items: [order.line_items[1]] } });
    expect(await balance(A, order.customer!.id)).toBe(97);
    expect(await balance(B, order.customer!.id)).toBe(25);
  });

  it("a refund delivered for shop B does not touch shop A's order with the same id", async () => {
    const order = orderPayload();
    await app.deliver({ topic: "orders/paid", shop: A, payload: order });
    await app.deliver({ topic: "refunds/create", shop: B, payload: refundPayload(order, [[0, 2], [1, 1]]) });
    expect(await balance(A, order.customer!.id)).toBe(97);
  });

  it("a cancellation delivered for shop B does not take shop A's points", async () => {
    const order = orderPayload();
    await app.deliver({ topic: "orders/paid", shop: A, payload: order });
    await app.deliver({ topic: "orders/cancelled", shop: B, payload: { ...order, cancelled_at: "2026-11-22T00:00:00Z" } });
    expect(await balance(A, order.customer!.id)).toBe(97);
  });
});
