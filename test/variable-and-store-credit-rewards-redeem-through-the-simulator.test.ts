import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { runDueJobs } from "../app/jobs/queue.server";
import { redemptionJobHandlers } from "../app/models/redemptions.server";
import { adminClientForShop } from "../app/shopify/admin-api.server";
import { REWARD_STORE_CREDIT } from "../app/shopify/queries";
import { balanceOf } from "./support/members";
import { redemptionLeftByACrash } from "./support/redemptions";
import { customerAccountSessionToken } from "./support/remix-app";
import { useExtensionApi } from "./support/simulated-shop";

// The two rewards that are not a fixed code, redeemed through the customer account API of the
// production build against the simulator's schema-checked Admin API: a variable amount the
// customer picks, and store credit added to the customer's Shopify store credit account.

const SHOP = "variable-rewards.myshopify.com";
const OTHER = "variable-rewards-other.myshopify.com";

const fixture = useExtensionApi([SHOP, OTHER], customerAccountSessionToken);
const redeem = (token: string, body: Record<string, unknown>) =>
  fixture.call("/api/customer-account/redemptions", { token, method: "POST", body: { idempotencyKey: randomUUID(), ...body } });
const rewardsOf = async (token: string) => (await fixture.call("/api/customer-account/rewards", { token })).body;

const addReward = (columns: Record<string, string | number | null>) => fixture.shop.addReward(columns);

describe("a variable reward", () => {
  it("offers the range the balance buys, then becomes a code for exactly the amount picked", async () => {
    const rewardId = await addReward({
      name: "Pick your discount",
      kind: "variable",
      points_cost: 100,
      value_minor: 100,
      min_amount_minor: 500,
      max_amount_minor: 2000,
    });
    const shopper = await fixture.shop.shopper(1250);
    const token = shopper.token();
    const listed = await rewardsOf(token);
    expect(listed).toMatchObject({ points: 1250, currency: "USD", currencyDecimals: 2 });
    expect(listed.rewards.find((r: { id: number }) => r.id === rewardId)).toMatchObject({
      kind: "variable",
      pointsCost: 100,
      valueMinor: 100,
      minAmountMinor: 500,
      maxAmountMinor: 2000,
      maxAffordableMinor: 1200,
      pointsNeeded: 500,
      affordable: true,
    });

    const response = await redeem(token, { rewardId, amount: "12.00" });
    expect(response).toMatchObject({ status: 201, body: { ok: true, balance: 50, redemption: { status: "issued", points: 1200, valueMinor: 1200 } } });
    const [discount] = fixture.shop.discounts().filter((d) => d.code === response.body.redemption.code);
    expect(discount).toMatchObject({ kind: "basic", value: { kind: "amount", amountMinor: 1200 }, usageLimit: 1, customerIds: [Number(shopper.customerId)] });
    // 50 points left buy less than the smallest amount.
    expect((await rewardsOf(token)).rewards.find((r: { id: number }) => r.id === rewardId)).toMatchObject({ affordable: false, maxAffordableMinor: null });
  });

  it("refuses an amount it cannot give, with a clear message and every point kept", async () => {
    const rewardId = await addReward({
      name: "Any amount",
      kind: "variable",
      points_cost: 50,
      value_minor: 100,
      min_amount_minor: 200,
      max_amount_minor: 1000,
    });
    const shopper = await fixture.shop.shopper(400);
    const token = shopper.token();
    const cases: [unknown, number, string, RegExp][] = [
      [undefined, 422, "invalid_amount", /choose an amount/],
      ["ten", 422, "invalid_amount", /not a decimal amount/],
      ["4.555", 422, "invalid_amount", /more precision than USD allows/],
      ["4.50", 422, "invalid_amount", /whole number of steps/],
      ["1.00", 422, "invalid_amount", /outside what this reward allows/],
      ["11.00", 422, "invalid_amount", /outside what this reward allows/],
      ["9.00", 422, "insufficient_points", /needs 450 points; you have 400/],
    ];
    for (const [amount, status, error, message] of cases) {
      const response = await redeem(token, { rewardId, ...(amount === undefined ? {} : { amount }) });
      expect(response, String(amount)).toMatchObject({ status, body: { ok: false, error } });
      expect(response.body.message, String(amount)).toMatch(message);
    }
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(400);
    expect(fixture.shop.discounts().filter((d) => d.customerIds?.includes(Number(shopper.customerId)))).toEqual([]);
    expect(await redeem(token, { rewardId, amount: "8" })).toMatchObject({ status: 201, body: { balance: 0, redemption: { points: 400, valueMinor: 800 } } });
  });
});

describe("a store credit reward", () => {
  it("credits the customer's store credit account in the shop's currency, with no code and nothing to expire", async () => {
    const rewardId = await addReward({ name: "$6 store credit", kind: "store_credit", points_cost: 600, value_minor: 600 });
    const shopper = await fixture.shop.shopper(700);
    const token = shopper.token();
    const response = await redeem(token, { rewardId });
    expect(response).toMatchObject({
      status: 201,
      body: { ok: true, balance: 100, redemption: { status: "issued", points: 600, valueMinor: 600, code: null, expiresAt: null } },
    });
    const accounts = [...fixture.simulator.store.shop(SHOP).storeCreditAccounts.values()].filter((a) => a.customerId === Number(shopper.customerId));
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ currency: "USD", transactions: [{ amountMinor: 600, balanceAfterMinor: 600 }] });
    const jobs = await fixture.database.db.raw.all<{ kind: string }>('SELECT "kind" FROM "jobs" WHERE "shop" = ? AND "job_key" LIKE ?', [
      SHOP,
      `redemption:${response.body.redemption.id}:%`,
    ]);
    expect(jobs.map((j) => j.kind)).not.toContain("redemption.expire");
    // It is not listed among codes to copy or cancel, and cannot be "cancelled" for points.
    const codes = await fixture.call("/api/customer-account/redemptions", { token });
    expect(codes.body.codes.map((c: { id: number }) => c.id)).not.toContain(response.body.redemption.id);
    const cancel = await fixture.call(`/api/customer-account/redemptions/${response.body.redemption.id}/return`, { token, method: "POST" });
    expect(cancel.status).toBe(409);
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(100);
    // Shopify's transaction is recorded, so a lost answer elsewhere can never claim this credit.
    const row = await fixture.database.db.raw.get<{ shopify_discount_id: string }>('SELECT "shopify_discount_id" FROM "redemptions" WHERE "id" = ?', [
      response.body.redemption.id,
    ]);
    expect(row!.shopify_discount_id).toMatch(/^gid:\/\/shopify\/StoreCreditAccountCreditTransaction\/\d+$/);
  });

  it("is found in Shopify after the app stopped before recording it, so the shopper is never paid twice", async () => {
    const rewardId = await addReward({ name: "$4 store credit", kind: "store_credit", points_cost: 400, value_minor: 400 });
    const shopper = await fixture.shop.shopper(1000);
    const { db, sessions } = fixture.database;
    const admin = (await adminClientForShop(sessions, SHOP))!;
    // Two redemptions as a crash leaves them: points taken, pending, the settle job due.
    const crash = () => redemptionLeftByACrash(db, { shop: SHOP, memberId: shopper.id, rewardId, points: 400 });
    const credited = await crash();
    const lost = await crash();
    // Shopify made the first one's credit before the app stopped; the second never reached it.
    await admin.request(REWARD_STORE_CREDIT, {
      id: `gid://shopify/Customer/${shopper.customerId}`,
      creditInput: { creditAmount: { amount: "4.00", currencyCode: "USD" } },
    });
    await runDueJobs(db, redemptionJobHandlers({ adminFor: (shop) => adminClientForShop(sessions, shop) }), { now: new Date(Date.now() + 1000) });
    const statuses = await db.raw.all<{ status: string }>('SELECT "status" FROM "redemptions" WHERE "id" IN (?, ?) ORDER BY "id"', [credited, lost]);
    expect(statuses.map((r) => r.status)).toEqual(["issued", "failed"]);
    expect(await balanceOf(db, shopper.id)).toBe(600);
  });
});
