import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClientForToken } from "../../app/shopify/admin-api.server";
import { SHOP_CURRENCY_QUERY } from "../../app/shopify/queries";
import { startAppServer } from "../../test/support/app-server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "../../test/support/database";
import { TEST_API_KEY, TEST_API_SECRET } from "../../test/support/signing";
import { startSimulator, type RunningSimulator } from "../server";

const SHOP = "sim-points.myshopify.com";
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startAppServer>>;
let simulator: RunningSimulator;

const control = async (path: string, body: unknown = {}) => {
  const response = await fetch(`${simulator.url}/control/shops/${SHOP}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const balanceOf = async (customerId: number) =>
  (await database.db.raw.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [SHOP, String(customerId)]))
    ?.balance;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  app = await startAppServer(database);
  simulator = await startSimulator({ appUrl: app.origin, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, retryScheduleMs: [10, 20] });
});
afterAll(async () => {
  await simulator?.close();
  await app?.close();
  await database?.drop();
});

describe("a simulated shop in front of the app's real server", () => {
  it("places, pays, refunds and cancels through the control API, and the app keeps the points ledger", async () => {
    expect((await control("", { currency: "USD" })).status).toBe(201);
    const customer = await control("/customers", { email: "ada@example.com", firstName: "Ada" });
    expect(customer.json.webhooks).toEqual([{ topic: "customers/create", webhookId: expect.any(String), state: "delivered", attempts: 1 }]);
    const customerId = customer.json.result.id as number;

    const placed = await control("/orders", {
      customerId,
      lines: [
        { title: "Tea", price: "40.00", quantity: 2, discount: "8.00" },
        { title: "Cup", price: "25.50" },
      ],
      shipping: "5.00",
    });
    expect(placed.json.webhooks.map((w: { topic: string; state: string }) => [w.topic, w.state])).toEqual([["orders/create", "not-subscribed"]]);
    const order = placed.json.result;
    const paid = await control(`/orders/${order.id}/pay`);
    expect(paid.json.webhooks.map((w: { topic: string; state: string }) => [w.topic, w.state])).toEqual([
      ["orders/paid", "delivered"],
      ["orders/updated", "not-subscribed"],
    ]);
    // 2 x 40.00 - 8.00 + 25.50 = 97.50 of merchandise: 97 points.
    expect(await balanceOf(customerId)).toBe(97);

    await control(`/orders/${order.id}/refund`, { lines: [{ lineItemId: order.lines[1].id, quantity: 1 }] });
    // The app takes back floor(97 x 25.50 / 97.50) = 25 points and keeps 72 (app/domain/reversal.ts).
    expect(await balanceOf(customerId)).toBe(72);
    await control(`/orders/${order.id}/cancel`, { reason: "customer" });
    expect(await balanceOf(customerId)).toBe(0);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });

  it("answers control errors with 404 and 422 and a message", async () => {
    expect(await control("/orders/123/pay")).toEqual({ status: 404, json: { error: `no order 123 in ${SHOP}` } });
    expect((await control("/orders", { lines: [] })).status).toBe(422);
  });

  it("serves the app's Admin client through LOYALTY_SIMULATOR and SHOPIFY_ADMIN_API_ORIGIN", async () => {
    const token = (await control("/install")).json.access_token as string;
    const saved = { ...process.env };
    Object.assign(process.env, { LOYALTY_SIMULATOR: "1", SHOPIFY_ADMIN_API_ORIGIN: simulator.url, SHOPIFY_APP_URL: app.origin });
    try {
      const result = await adminClientForToken(SHOP, token).request(SHOP_CURRENCY_QUERY);
      expect(result).toEqual({ shop: { currencyCode: "USD", ianaTimezone: "Etc/UTC" } });
      await expect(adminClientForToken(SHOP, "shpat_wrong").request(SHOP_CURRENCY_QUERY)).rejects.toThrow(/Admin API request/);
    } finally {
      process.env = saved;
    }
  });

  it("lists every delivery with its attempts", async () => {
    const log = await fetch(`${simulator.url}/control/deliveries?wait=1`).then((r) => r.json() as Promise<{ topic: string; state: string }[]>);
    expect(log.filter((entry) => entry.state === "delivered").map((entry) => entry.topic)).toEqual([
      "customers/create",
      "orders/paid",
      "refunds/create",
      "refunds/create",
      "orders/cancelled",
    ]);
  });
});
