import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { balanceOf } from "./support/members";
import { checkoutSessionToken } from "./support/remix-app";
import { useExtensionApi } from "./support/simulated-shop";

const SHOP = "checkout-test.myshopify.com";
const OTHER = "checkout-other.myshopify.com";

const fixture = useExtensionApi([SHOP, OTHER], checkoutSessionToken);
const { call } = fixture;
const redeem = (token: string, rewardId: number, idempotencyKey = randomUUID()) =>
  call("/api/checkout/redemptions", { token, method: "POST", body: { rewardId, idempotencyKey } });

describe("GET /api/checkout/rewards", () => {
  it("answers the token's customer's points and which rewards they can afford, with CORS headers", async () => {
    const shopper = await fixture.shop.shopper(1200);
    const response = await call("/api/checkout/rewards", { token: shopper.token() });
    expect(response).toMatchObject({ status: 200, cors: "*", body: { customerId: shopper.customerId, points: 1200 } });
    expect(response.body.rewards.map((r: { pointsCost: number; affordable: boolean }) => [r.pointsCost, r.affordable])).toEqual([
      [500, true],
      [2000, false],
    ]);
  });

  it("answers the CORS preflight without a token", async () => {
    const response = await call("/api/checkout/rewards", {
      method: "OPTIONS",
      headers: { "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    expect(response.status).toBe(204);
    expect(response.cors).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
  });

  it("answers a guest (no sub) 401 not_logged_in", async () => {
    expect(await call("/api/checkout/rewards", { token: checkoutSessionToken({ shop: SHOP }) })).toMatchObject({
      status: 401,
      cors: "*",
      body: { error: "not_logged_in" },
    });
  });

  it.each([
    ["no token", undefined],
    ["a token signed with another secret", checkoutSessionToken({ shop: SHOP, customerId: "1", secret: "someone-elses-secret" })],
    ["an expired token", checkoutSessionToken({ shop: SHOP, customerId: "1", expiresIn: -120 })],
  ])("answers 401 JSON with CORS headers to %s", async (_name, token) => {
    expect(await call("/api/checkout/rewards", { token })).toMatchObject({ status: 401, cors: "*", body: { error: "unauthorized" } });
  });

  it("answers 404 for a shop that has not installed the app", async () => {
    const token = checkoutSessionToken({ shop: "nobody.myshopify.com", customerId: "1" });
    expect(await call("/api/checkout/rewards", { token })).toMatchObject({ status: 404, body: { error: "not_installed" } });
  });

  it("answers 405 to the wrong method", async () => {
    const shopper = await fixture.shop.shopper(0);
    expect((await call("/api/checkout/rewards", { token: shopper.token(), method: "POST", body: {} })).status).toBe(405);
  });
});

describe("POST /api/checkout/redemptions and /return", () => {
  const rewardOf = async (shopDomain: string, cost = 500) =>
    (await fixture.database.db.raw.get<{ id: number }>('SELECT "id" FROM "rewards" WHERE "shop" = ? AND "points_cost" = ?', [shopDomain, cost]))!.id;

  it("turns points into a single-use code for this customer, once per idempotency key", async () => {
    const shopper = await fixture.shop.shopper(1200);
    const key = randomUUID();
    const first = await redeem(shopper.token(), await rewardOf(SHOP), key);
    expect(first).toMatchObject({ status: 201, cors: "*", body: { ok: true, balance: 700, redemption: { status: "issued", points: 500 } } });
    const again = await redeem(shopper.token(), await rewardOf(SHOP), key);
    expect(again).toMatchObject({ status: 200, body: { repeated: true, redemption: { id: first.body.redemption.id } } });
    const created = fixture.shop.discounts().filter((d) => d.code === first.body.redemption.code);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ usageLimit: 1, customerIds: [Number(shopper.customerId)] });
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(700);
  });

  it("refuses a reward the balance does not cover with 422", async () => {
    const shopper = await fixture.shop.shopper(1200);
    expect(await redeem(shopper.token(), await rewardOf(SHOP, 2000))).toMatchObject({ status: 422, body: { error: "insufficient_points", balance: 1200 } });
  });

  it("gives the points back and deletes the code when it could not be applied to the checkout", async () => {
    const shopper = await fixture.shop.shopper(600);
    const { body } = await redeem(shopper.token(), await rewardOf(SHOP));
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(100);
    const returned = await call(`/api/checkout/redemptions/${body.redemption.id}/return`, { token: shopper.token(), method: "POST" });
    expect(returned).toMatchObject({ status: 200, cors: "*", body: { ok: true, balance: 600, redemption: { status: "cancelled" } } });
    expect(fixture.shop.discounts().some((d) => d.code === body.redemption.code)).toBe(false);
    // A second return is harmless and gives nothing twice.
    expect(await call(`/api/checkout/redemptions/${body.redemption.id}/return`, { token: shopper.token(), method: "POST" })).toMatchObject({
      status: 200,
      body: { balance: 600 },
    });
  });

  it("a guest cannot redeem", async () => {
    expect(await redeem(checkoutSessionToken({ shop: SHOP }), await rewardOf(SHOP))).toMatchObject({ status: 401, body: { error: "not_logged_in" } });
  });

  it("a forged token cannot redeem someone's points", async () => {
    const shopper = await fixture.shop.shopper(900);
    const forged = checkoutSessionToken({ shop: SHOP, customerId: shopper.customerId, secret: "guessed-secret" });
    expect((await redeem(forged, await rewardOf(SHOP))).status).toBe(401);
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(900);
  });

  it("keeps shops apart: another shop's token sees its own customer, cannot redeem or return across shops", async () => {
    const mine = await fixture.shop.shopper(1500);
    const theirs = await fixture.other.shopper(700);
    // The same customer id under the other shop's token is nobody there.
    const sameIdElsewhere = checkoutSessionToken({ shop: OTHER, customerId: mine.customerId });
    expect(await call("/api/checkout/rewards", { token: sameIdElsewhere })).toMatchObject({ status: 200, body: { points: 0 } });
    expect(await call("/api/checkout/rewards", { token: theirs.token() })).toMatchObject({ status: 200, body: { points: 700 } });
    expect((await redeem(theirs.token(), await rewardOf(SHOP))).status).toBe(404);
    const { body } = await redeem(mine.token(), await rewardOf(SHOP));
    expect((await call(`/api/checkout/redemptions/${body.redemption.id}/return`, { token: theirs.token(), method: "POST" })).status).toBe(404);
    expect((await call(`/api/checkout/redemptions/${body.redemption.id}/return`, { token: sameIdElsewhere, method: "POST" })).status).toBe(404);
    expect(await balanceOf(fixture.database.db, mine.id)).toBe(1000);
    expect(await balanceOf(fixture.database.db, theirs.id)).toBe(700);
  });
});

describe("GET /api/checkout/order-points", () => {
  const recordOrder = async (shopDomain: string, orderId: string, customerId: string, earned: number, reversed = 0) => {
    const now = new Date().toISOString();
    await fixture.database.db.raw.run(
      `INSERT INTO "loyalty_orders" ("shop", "order_id", "customer_id", "earned_points", "reversed_points", "earned_at", "created_at", "updated_at")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [shopDomain, orderId, customerId, earned, reversed, now, now, now],
    );
  };

  it("answers what the order earned net of refunds, and the balance", async () => {
    const shopper = await fixture.shop.shopper(340);
    await recordOrder(SHOP, "7001", shopper.customerId, 120, 20);
    expect(await call("/api/checkout/order-points?orderId=gid://shopify/OrderIdentity/7001", { token: shopper.token() })).toMatchObject({
      status: 200,
      cors: "*",
      body: { orderId: "7001", state: "earned", earnedPoints: 100, points: 340 },
    });
  });

  it("answers pending for an order the app has not seen yet, and for another customer's order", async () => {
    const shopper = await fixture.shop.shopper(50);
    const someoneElse = await fixture.shop.shopper(0);
    await recordOrder(SHOP, "7002", someoneElse.customerId, 80);
    for (const orderId of ["7002", "gid://shopify/Order/7999"]) {
      expect(await call(`/api/checkout/order-points?orderId=${orderId}`, { token: shopper.token() })).toMatchObject({
        status: 200,
        body: { state: "pending", earnedPoints: null, points: 50 },
      });
    }
  });

  it("answers 400 without an order id", async () => {
    const shopper = await fixture.shop.shopper(0);
    expect((await call("/api/checkout/order-points?orderId=abc", { token: shopper.token() })).status).toBe(400);
  });
});
