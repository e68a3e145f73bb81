import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { applyOrderEvent, applyRefund } from "../app/models/orders.server";
import { loadShopContext } from "../app/models/shops.server";
import { parseOrder, parseRefund } from "../app/webhooks/payloads";
import { balanceOf } from "./support/members";
import { newId, orderPayload } from "./support/shopify-payloads";
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

  /** The order's paid webhook as the app applies it: one 70.00 line, under the shop's ways to earn and campaigns now. */
  const earnOrder = async (customerId: string) => {
    const payload = orderPayload({ customerId: Number(customerId), lines: [{ price: "70.00" }] });
    const { db } = fixture.database;
    const now = new Date().toISOString();
    await db.transaction(async (tx) => applyOrderEvent(tx, await loadShopContext(tx, SHOP), parseOrder(payload), "paid", now));
    return String(payload.id);
  };
  /** A live double-points campaign running now, for the length of `run`. */
  const duringDoublePoints = async <T>(run: () => Promise<T>, { pendingDays = 0 } = {}) => {
    const { raw } = fixture.database.db;
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    const { id } = (await raw.get<{ id: number }>(
      `INSERT INTO "campaigns" ("shop", "name", "status", "starts_at", "ends_at", "multiplier_percent", "content", "created_at", "updated_at")
       VALUES (?, 'Double points weekend', 'live', ?, ?, 200, ?, ?, ?) RETURNING "id"`,
      [SHOP, at(-3_600_000), at(86_400_000), JSON.stringify({ he: { title: "סוף שבוע כפול" } }), at(0), at(0)],
    ))!;
    await raw.run('UPDATE "shops" SET "pending_days" = ? WHERE "domain" = ?', [pendingDays, SHOP]);
    try {
      return { campaignId: id, result: await run() };
    } finally {
      await raw.run('UPDATE "campaigns" SET "status" = \'off\' WHERE "id" = ?', [id]);
      await raw.run('UPDATE "shops" SET "pending_days" = 0 WHERE "domain" = ?', [SHOP]);
    }
  };

  it("answers the awards the order was made of: its base points and each campaign's bonus, with the campaign's name and words", async () => {
    const shopper = await fixture.shop.shopper(0);
    const { campaignId, result: orderId } = await duringDoublePoints(() => earnOrder(shopper.customerId));
    const { body } = await call(`/api/checkout/order-points?orderId=gid://shopify/OrderIdentity/${orderId}`, { token: shopper.token() });
    expect(body).toMatchObject({ state: "earned", earnedPoints: 140, reversedPoints: 0, pendingUntil: null, points: 140 });
    expect(body.awards).toEqual([
      expect.objectContaining({ kind: "earned", points: 70, campaignId: null, ruleKind: "purchase", name: null, labels: ["1 per 1 USD"] }),
      expect.objectContaining({
        kind: "campaign_bonus",
        points: 70,
        campaignId,
        ruleId: null,
        name: "Double points weekend",
        content: { he: { title: "סוף שבוע כפול" } },
        labels: ["Double points weekend: 2x"],
      }),
    ]);
  });

  it("answers pending points with the date they become available, from the order's awards before they reach the ledger", async () => {
    const shopper = await fixture.shop.shopper(25);
    const before = Date.now();
    const { result: orderId } = await duringDoublePoints(() => earnOrder(shopper.customerId), { pendingDays: 14 });
    const { body } = await call(`/api/checkout/order-points?orderId=${orderId}`, { token: shopper.token() });
    expect(body).toMatchObject({ state: "earned", earnedPoints: 140, points: 25 });
    expect(body.awards.map((a: { kind: string; points: number }) => [a.kind, a.points])).toEqual([
      ["earned", 70],
      ["campaign_bonus", 70],
    ]);
    const availableOn = Date.parse(body.pendingUntil);
    expect(availableOn - before).toBeGreaterThanOrEqual(14 * 86_400_000);
    expect(availableOn - before).toBeLessThan(14 * 86_400_000 + 60_000);
  });

  it("answers pending points net of a refund inside the window, which takes nothing from the ledger yet", async () => {
    const shopper = await fixture.shop.shopper(25);
    const { result: orderId } = await duringDoublePoints(() => earnOrder(shopper.customerId), { pendingDays: 14 });
    const { db } = fixture.database;
    const [line] = (await db.raw.get<{ earning_lines: string }>('SELECT "earning_lines" FROM "loyalty_orders" WHERE "shop" = ? AND "order_id" = ?', [
      SHOP,
      orderId,
    ]))!.earning_lines
      .match(/"lineItemId":"(\d+)"/)!
      .slice(1);
    const refund = { id: newId(), order_id: Number(orderId), refund_line_items: [{ line_item_id: Number(line), quantity: 1 }] };
    await db.transaction(async (tx) => applyRefund(tx, await loadShopContext(tx, SHOP), parseRefund(refund), new Date().toISOString()));
    const { body } = await call(`/api/checkout/order-points?orderId=${orderId}`, { token: shopper.token() });
    expect(body).toMatchObject({ state: "earned", earnedPoints: 0, reversedPoints: 140, points: 25 });
    expect(body.pendingUntil).not.toBeNull();
  });

  it("answers the awards to the order's customer only: another customer, or the same id in another shop, sees nothing", async () => {
    const shopper = await fixture.shop.shopper(0);
    const someoneElse = await fixture.shop.shopper(0);
    const { result: orderId } = await duringDoublePoints(() => earnOrder(shopper.customerId));
    const sameIdElsewhere = checkoutSessionToken({ shop: OTHER, customerId: shopper.customerId });
    for (const token of [someoneElse.token(), sameIdElsewhere]) {
      const { body } = await call(`/api/checkout/order-points?orderId=${orderId}`, { token });
      expect(body).toEqual({ orderId, state: "pending", earnedPoints: null, points: 0, tierProgress: null });
    }
  });

  it("answers 400 without an order id", async () => {
    const shopper = await fixture.shop.shopper(0);
    expect((await call("/api/checkout/order-points?orderId=abc", { token: shopper.token() })).status).toBe(400);
  });
});
