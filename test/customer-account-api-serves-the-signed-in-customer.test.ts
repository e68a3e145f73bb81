import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appendLedgerEntry } from "../app/models/ledger.server";
import { applyOrderEvent } from "../app/models/orders.server";
import { loadShopContext } from "../app/models/shops.server";
import { parseOrder } from "../app/webhooks/payloads";
import { orderPayload } from "./support/shopify-payloads";
import { balanceOf, recordEntry } from "./support/members";
import { customerAccountSessionToken } from "./support/remix-app";
import { useExtensionApi } from "./support/simulated-shop";

const SHOP = "account-test.myshopify.com";
const OTHER = "account-other.myshopify.com";

const fixture = useExtensionApi([SHOP, OTHER], customerAccountSessionToken);
const { call } = fixture;
const redeem = (token: string, rewardId: number, idempotencyKey = randomUUID()) =>
  call("/api/customer-account/redemptions", { token, method: "POST", body: { rewardId, idempotencyKey } });
const cancel = (token: string, redemptionId: number) => call(`/api/customer-account/redemptions/${redemptionId}/return`, { token, method: "POST" });

describe("customer account: rewards, redeem, codes, cancel", () => {
  it("answers the token's customer's points and which rewards they can afford, with CORS headers", async () => {
    const shopper = await fixture.shop.shopper(1200);
    const response = await call("/api/customer-account/rewards", { token: shopper.token() });
    expect(response).toMatchObject({ status: 200, cors: "*", body: { customerId: shopper.customerId, points: 1200 } });
    expect(response.body.rewards.map((r: { pointsCost: number; affordable: boolean }) => [r.pointsCost, r.affordable])).toEqual([
      [500, true],
      [2000, false],
    ]);
  });

  it("redeems into a code for this customer, lists it as unused, and cancelling it returns the points and deletes the code", async () => {
    const shopper = await fixture.shop.shopper(1200);
    const redeemed = await redeem(shopper.token(), await fixture.shop.rewardCosting(500));
    expect(redeemed).toMatchObject({ status: 201, cors: "*", body: { ok: true, balance: 700, redemption: { status: "issued", points: 500 } } });
    const { code, id } = redeemed.body.redemption;
    expect(fixture.shop.discounts().filter((d) => d.code === code)).toMatchObject([{ usageLimit: 1, customerIds: [Number(shopper.customerId)] }]);

    const listed = await call("/api/customer-account/redemptions", { token: shopper.token() });
    expect(listed).toMatchObject({ status: 200, cors: "*" });
    expect(listed.body.codes).toEqual([expect.objectContaining({ id, code, status: "issued", points: 500, rewardName: "5 off your order" })]);

    expect(await cancel(shopper.token(), id)).toMatchObject({ status: 200, cors: "*", body: { ok: true, balance: 1200, redemption: { status: "cancelled" } } });
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(1200);
    expect(fixture.shop.discounts().some((d) => d.code === code)).toBe(false);
    expect((await call("/api/customer-account/redemptions", { token: shopper.token() })).body.codes).toEqual([]);
    // Cancelling again gives nothing twice.
    expect(await cancel(shopper.token(), id)).toMatchObject({ status: 200, body: { balance: 1200 } });
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(1200);
  });

  it("lists only issued codes: a used one is gone from the list and cannot be cancelled", async () => {
    const shopper = await fixture.shop.shopper(1500);
    const kept = (await redeem(shopper.token(), await fixture.shop.rewardCosting(500))).body.redemption;
    const used = (await redeem(shopper.token(), await fixture.shop.rewardCosting(500))).body.redemption;
    await fixture.database.db.raw.run(`UPDATE "redemptions" SET "status" = 'used' WHERE "id" = ?`, [used.id]);
    const { body } = await call("/api/customer-account/redemptions", { token: shopper.token() });
    expect(body.codes.map((c: { id: number }) => c.id)).toEqual([kept.id]);
    expect(await cancel(shopper.token(), used.id)).toMatchObject({ status: 409, body: { error: "not_returnable" } });
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(500);
  });

  it("refuses a reward the balance does not cover with 422", async () => {
    const shopper = await fixture.shop.shopper(300);
    expect(await redeem(shopper.token(), await fixture.shop.rewardCosting(500))).toMatchObject({
      status: 422,
      body: { error: "insufficient_points", balance: 300 },
    });
  });
});

describe("customer account: activity", () => {
  it("answers the last ten entries, newest first, signed, with the customer note but never a staff reason", async () => {
    const shopper = await fixture.shop.shopper(0);
    for (let i = 1; i <= 11; i++) await recordEntry(fixture.database.db, SHOP, shopper.id, i * 10, { at: new Date(Date.UTC(2026, 0, i)) });
    await appendLedgerEntry(
      fixture.database.db,
      {
        shop: SHOP,
        memberId: shopper.id,
        delta: -25,
        kind: "manual_adjustment",
        sourceKey: `test:${randomUUID()}`,
        actor: { type: "staff", id: "1", name: "Staff" },
        reason: "internal: suspected abuse",
        customerNote: "Correction for a duplicate order",
      },
      new Date(Date.UTC(2026, 0, 20)).toISOString(),
    );
    const { status, cors, body } = await call("/api/customer-account/activity", { token: shopper.token() });
    expect({ status, cors }).toEqual({ status: 200, cors: "*" });
    expect(body.entries).toHaveLength(10);
    expect(body.entries[0]).toEqual({
      id: expect.any(Number),
      kind: "manual_adjustment",
      delta: -25,
      createdAt: "2026-01-20T00:00:00.000Z",
      note: "Correction for a duplicate order",
    });
    expect(body.entries.slice(1).map((e: { delta: number }) => e.delta)).toEqual([110, 100, 90, 80, 70, 60, 50, 40, 30]);
    expect(JSON.stringify(body)).not.toContain("suspected abuse");
  });

  it("answers an empty list to a customer with no points yet", async () => {
    const token = customerAccountSessionToken({ shop: SHOP, customerId: "99999999" });
    expect(await call("/api/customer-account/activity", { token })).toMatchObject({ status: 200, body: { entries: [] } });
  });
});

describe("customer account: ways to earn and pending points", () => {
  it("answers the stamp card's progress and the points waiting out the pending window, for the token's customer only", async () => {
    const { raw } = fixture.database.db;
    const now = new Date().toISOString();
    const { id: ruleId } = (await raw.get<{ id: number }>(
      `INSERT INTO "earning_rules" ("shop", "kind", "status", "points", "every_nth", "content", "position", "created_at", "updated_at")
       VALUES (?, 'nth_order', 'live', 200, 5, ?, 1, ?, ?) RETURNING "id"`,
      [SHOP, JSON.stringify({ en: { title: "Every 5th order" } }), now, now],
    ))!;
    await raw.run('UPDATE "shops" SET "pending_days" = 14 WHERE "domain" = ?', [SHOP]);
    try {
      const shopper = await fixture.shop.shopper(10);
      const someoneElse = await fixture.shop.shopper(0);
      for (const price of ["30.00", "40.00"]) {
        const payload = orderPayload({ customerId: Number(shopper.customerId), lines: [{ price }] });
        await fixture.database.db.transaction(async (tx) =>
          applyOrderEvent(tx, await loadShopContext(tx, SHOP), parseOrder(payload), "paid", new Date().toISOString()),
        );
      }
      const mine = (await call("/api/customer-account/rewards", { token: shopper.token() })).body;
      expect(mine.points).toBe(10);
      expect(mine.waysToEarn.find((way: { id: number }) => way.id === ruleId)).toMatchObject({
        kind: "nth_order",
        points: 200,
        progress: { done: 2, of: 5 },
        done: false,
        content: { en: { title: "Every 5th order" } },
      });
      expect(mine.pendingPoints.map((pending: { points: number }) => pending.points).sort()).toEqual([30, 40]);
      const inFourteenDays = Date.now() + 14 * 86_400_000;
      for (const pending of mine.pendingPoints) expect(Math.abs(Date.parse(pending.availableOn) - inFourteenDays)).toBeLessThan(60_000);

      const theirs = (await call("/api/customer-account/rewards", { token: someoneElse.token() })).body;
      expect(theirs.waysToEarn.find((way: { id: number }) => way.id === ruleId).progress).toEqual({ done: 0, of: 5 });
      expect(theirs.pendingPoints).toEqual([]);
    } finally {
      await raw.run('UPDATE "earning_rules" SET "status" = \'off\' WHERE "id" = ?', [ruleId]);
      await raw.run('UPDATE "shops" SET "pending_days" = 0 WHERE "domain" = ?', [SHOP]);
    }
  });
});

describe("customer account: who may ask", () => {
  const paths = ["/api/customer-account/rewards", "/api/customer-account/redemptions", "/api/customer-account/activity"];

  it.each(paths)("%s answers 401 not_logged_in to a token without a customer", async (path) => {
    expect(await call(path, { token: customerAccountSessionToken({ shop: SHOP }) })).toMatchObject({
      status: 401,
      cors: "*",
      body: { error: "not_logged_in" },
    });
  });

  it.each([
    ["no token", undefined],
    ["a token signed with another secret", customerAccountSessionToken({ shop: SHOP, customerId: "1", secret: "someone-elses-secret" })],
    ["an expired token", customerAccountSessionToken({ shop: SHOP, customerId: "1", expiresIn: -120 })],
  ])("answers 401 JSON with CORS headers to %s", async (_name, token) => {
    for (const path of paths) expect(await call(path, { token }), path).toMatchObject({ status: 401, cors: "*", body: { error: "unauthorized" } });
  });

  it("answers the CORS preflight without a token", async () => {
    const response = await call("/api/customer-account/redemptions", {
      method: "OPTIONS",
      headers: { "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization" },
    });
    expect(response.status).toBe(204);
    expect(response.cors).toBe("*");
  });

  it("a forged token cannot redeem or cancel someone's points", async () => {
    const shopper = await fixture.shop.shopper(900);
    const { id } = (await redeem(shopper.token(), await fixture.shop.rewardCosting(500))).body.redemption;
    const forged = customerAccountSessionToken({ shop: SHOP, customerId: shopper.customerId, secret: "guessed-secret" });
    expect((await redeem(forged, await fixture.shop.rewardCosting(500))).status).toBe(401);
    expect((await cancel(forged, id)).status).toBe(401);
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(400);
  });

  it("keeps shops apart: codes, activity, redeeming and cancelling never cross shops", async () => {
    const mine = await fixture.shop.shopper(1500);
    const theirs = await fixture.other.shopper(700);
    const { id } = (await redeem(mine.token(), await fixture.shop.rewardCosting(500))).body.redemption;
    // The same customer id under the other shop's token is nobody there.
    const sameIdElsewhere = customerAccountSessionToken({ shop: OTHER, customerId: mine.customerId });
    expect(await call("/api/customer-account/rewards", { token: sameIdElsewhere })).toMatchObject({ status: 200, body: { points: 0 } });
    expect(await call("/api/customer-account/redemptions", { token: sameIdElsewhere })).toMatchObject({ status: 200, body: { codes: [] } });
    expect(await call("/api/customer-account/activity", { token: sameIdElsewhere })).toMatchObject({ status: 200, body: { entries: [] } });
    expect((await call("/api/customer-account/redemptions", { token: theirs.token() })).body.codes).toEqual([]);
    expect((await redeem(theirs.token(), await fixture.shop.rewardCosting(500))).status).toBe(404);
    expect((await cancel(theirs.token(), id)).status).toBe(404);
    expect((await cancel(sameIdElsewhere, id)).status).toBe(404);
    expect(await balanceOf(fixture.database.db, mine.id)).toBe(1000);
    expect(await balanceOf(fixture.database.db, theirs.id)).toBe(700);
  });

  it("answers 405 to the wrong method", async () => {
    const shopper = await fixture.shop.shopper(0);
    expect((await call("/api/customer-account/activity", { token: shopper.token(), method: "POST", body: {} })).status).toBe(405);
    expect((await call("/api/customer-account/redemptions", { token: shopper.token(), method: "PUT", body: {} })).status).toBe(405);
  });
});
