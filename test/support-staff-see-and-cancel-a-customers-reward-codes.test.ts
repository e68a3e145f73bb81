import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { balanceOf } from "./support/members";
import { checkoutSessionToken, routeDataRequest, sessionToken } from "./support/remix-app";
import { useExtensionApi } from "./support/simulated-shop";

// The customer page in the admin lists the customer's reward codes; support can cancel an unused
// one: it is deleted in Shopify and the points come back, recorded as that staff member's doing.

const SHOP = "support-codes.myshopify.com";
const OTHER = "support-codes-other.myshopify.com";
const CUSTOMER_ROUTE = "routes/app.customers.$id";

const fixture = useExtensionApi([SHOP, OTHER], checkoutSessionToken);

async function redeemed(points: number) {
  const shopper = await fixture.shop.shopper(points);
  const response = await fixture.call("/api/checkout/redemptions", {
    token: shopper.token(),
    method: "POST",
    body: { rewardId: await fixture.shop.rewardCosting(500), idempotencyKey: randomUUID() },
  });
  expect(response.status).toBe(201);
  return { shopper, redemption: response.body.redemption as { id: number; code: string } };
}

const page = async (memberId: number, shop = SHOP) =>
  fixture.app.handle(routeDataRequest(`/app/customers/${memberId}`, CUSTOMER_ROUTE, { token: sessionToken({ shop }) }));
const cancel = (memberId: number, redemptionId: number, { shop = SHOP, userId = "88001" } = {}) =>
  fixture.app.handle(
    routeDataRequest(`/app/customers/${memberId}`, CUSTOMER_ROUTE, {
      method: "POST",
      token: sessionToken({ shop, userId }),
      form: { intent: "cancelCode", redemptionId: String(redemptionId) },
    }),
  );

describe("reward codes on the customer page", () => {
  it("lists the customer's codes with their status, points and value", async () => {
    const { shopper, redemption } = await redeemed(700);
    const response = await page(shopper.id);
    expect(response.status).toBe(200);
    const { codes } = (await response.json()) as { codes: unknown[] };
    expect(codes).toEqual([
      expect.objectContaining({ id: redemption.id, rewardName: "5 off your order", points: 500, value: "5.00 USD", code: redemption.code, status: "issued" }),
    ]);
  });

  it("cancels an unused code: deleted in Shopify, points back, the staff member on the ledger entry", async () => {
    const { shopper, redemption } = await redeemed(500);
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(0);
    const response = await cancel(shopper.id, redemption.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ intent: "cancelCode", ok: true, code: redemption.code, points: 500 });
    expect(fixture.shop.discounts().some((d) => d.code === redemption.code)).toBe(false);
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(500);
    const entry = await fixture.database.db.raw.get<{ delta: number; actor_type: string; actor_id: string; reason: string }>(
      `SELECT "delta", "actor_type", "actor_id", "reason" FROM "ledger_entries" WHERE "member_id" = ? AND "kind" = 'redemption_returned'`,
      [shopper.id],
    );
    expect(entry).toEqual({ delta: 500, actor_type: "staff", actor_id: "88001", reason: "Returned: code cancelled by staff" });
    // Twice is harmless: still cancelled, the points returned once.
    expect(await (await cancel(shopper.id, redemption.id)).json()).toMatchObject({ ok: true });
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(500);
    const { codes } = (await (await page(shopper.id)).json()) as { codes: { status: string }[] };
    expect(codes[0].status).toBe("cancelled");
  });

  it("refuses to cancel a used code with a clear message, and changes nothing", async () => {
    const { shopper, redemption } = await redeemed(500);
    await fixture.database.db.raw.run(`UPDATE "redemptions" SET "status" = 'used' WHERE "id" = ?`, [redemption.id]);
    const response = await cancel(shopper.id, redemption.id);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ intent: "cancelCode", ok: false, message: "This code cannot be returned (used)." });
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(0);
  });

  it("answers 404 for another customer's code, and for another shop's customer", async () => {
    const { redemption } = await redeemed(500);
    const someoneElse = await fixture.shop.shopper(0);
    expect((await cancel(someoneElse.id, redemption.id)).status).toBe(404);
    const { shopper } = await redeemed(500);
    expect((await page(shopper.id, OTHER)).status).toBe(404);
    expect((await cancel(shopper.id, redemption.id, { shop: OTHER })).status).toBe(404);
    expect(fixture.shop.discounts().some((d) => d.code === redemption.code)).toBe(true);
  });
});
