import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { redeemReward, type RedemptionDeps } from "../app/models/redemptions.server";
import type { AdminGraphql } from "../app/shopify/admin-api.server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./support/database";
import { createMember, recordEntry } from "./support/members";

const SHOP = "redeem-test.myshopify.com";
const OTHER = "redeem-other.myshopify.com";
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  for (const shop of [SHOP, OTHER]) {
    await installShop(database.db, shop);
    const now = new Date().toISOString();
    await database.db.raw.run(
      `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "code_lifetime_days", "created_at", "updated_at")
       VALUES (?, '5 off your order', 'fixed_amount', 500, 500, 30, ?, ?)`,
      [shop, now, now],
    );
  }
});
afterAll(async () => {
  await database.drop();
});
afterEach(async () => {
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

/** A stand-in Admin API: records what it was asked, answers as Shopify does. */
function shopifyStub(
  answer: (variables: Record<string, unknown>) => unknown = () => ({
    discountCodeBasicCreate: { codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${Math.floor(Math.random() * 1e9)}` }, userErrors: [] },
  }),
) {
  const calls: { document: string; variables: Record<string, unknown> }[] = [];
  const admin: AdminGraphql = {
    async request<T>(document: string, variables?: Record<string, unknown>) {
      calls.push({ document, variables: variables ?? {} });
      await new Promise((resolve) => setTimeout(resolve, 1));
      return answer(variables ?? {}) as T;
    },
  };
  const deps: RedemptionDeps = { db: database.db, adminFor: async () => admin };
  return { deps, calls };
}

const rewardId = async (shop = SHOP) =>
  (await database.db.raw.get<{ id: number }>('SELECT "id" FROM "rewards" WHERE "shop" = ? ORDER BY "id" LIMIT 1', [shop]))!.id;
const memberWith = async (points: number) => {
  const member = await createMember(database.db, SHOP);
  if (points) await recordEntry(database.db, SHOP, member.id, points);
  return member;
};
const balance = async (id: number) => (await database.db.raw.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "id" = ?', [id]))!.balance;

describe("redeeming points for a discount", () => {
  it("takes the points and creates a single-use code restricted to the customer", async () => {
    const member = await memberWith(1200);
    const { deps, calls } = shopifyStub();
    const result = await redeemReward(deps, { shop: SHOP, customerId: member.customerId, rewardId: await rewardId(), requestKey: randomUUID() });
    expect(result).toMatchObject({ ok: true, balance: 700, redemption: { status: "issued", points: 500, valueMinor: 500 } });
    expect(result.ok && result.redemption.code).toMatch(/^PTS-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const input = calls[0].variables.basicCodeDiscount as Record<string, unknown>;
    expect(input).toMatchObject({
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: [`gid://shopify/Customer/${member.customerId}`] } },
      customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
    });
    expect(await balance(member.id)).toBe(700);
  });

  it("returns the same redemption for a repeat with the same idempotency key", async () => {
    const member = await memberWith(1200);
    const { deps, calls } = shopifyStub();
    const request = { shop: SHOP, customerId: member.customerId, rewardId: await rewardId(), requestKey: randomUUID() };
    const first = await redeemReward(deps, request);
    const again = await redeemReward(deps, request);
    expect(again).toMatchObject({ ok: true, repeated: true, redemption: { id: first.ok && first.redemption.id } });
    expect(calls).toHaveLength(1);
    expect(await balance(member.id)).toBe(700);
  });

  it("refuses when the balance is short, and writes nothing", async () => {
    const member = await memberWith(499);
    const { deps, calls } = shopifyStub();
    const result = await redeemReward(deps, { shop: SHOP, customerId: member.customerId, rewardId: await rewardId(), requestKey: randomUUID() });
    expect(result).toMatchObject({ ok: false, reason: "insufficient_points", balance: 499 });
    expect(calls).toHaveLength(0);
    expect(await balance(member.id)).toBe(499);
  });

  it.each([
    [
      "refuses the discount",
      () => ({ discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["code"], message: "Code must be unique", code: "TAKEN" }] } }),
    ],
    [
      "cannot be reached",
      () => {
        throw new Error("connect ECONNREFUSED");
      },
    ],
  ])("gives the points back at once when Shopify %s", async (_name, answer) => {
    const member = await memberWith(800);
    const { deps } = shopifyStub(answer);
    const result = await redeemReward(deps, { shop: SHOP, customerId: member.customerId, rewardId: await rewardId(), requestKey: randomUUID() });
    expect(result).toMatchObject({ ok: false, reason: "discount_not_created", balance: 800, redemption: { status: "failed" } });
    const kinds = await database.db.raw.all<{ kind: string; delta: number }>(
      'SELECT "kind", "delta" FROM "ledger_entries" WHERE "member_id" = ? ORDER BY "id"',
      [member.id],
    );
    expect(kinds.slice(1)).toEqual([
      { kind: "redeemed", delta: -500 },
      { kind: "redemption_returned", delta: 500 },
    ]);
  });

  it("answers a repeat of a failed redemption as the failure it was, and never asks Shopify twice", async () => {
    const member = await memberWith(800);
    const { deps, calls } = shopifyStub(() => {
      throw new Error("connect ECONNREFUSED");
    });
    const request = { shop: SHOP, customerId: member.customerId, rewardId: await rewardId(), requestKey: randomUUID() };
    await redeemReward(deps, request);
    const again = await redeemReward(deps, request);
    expect(again).toMatchObject({ ok: false, reason: "discount_not_created", balance: 800, redemption: { status: "failed", code: null } });
    expect(calls).toHaveLength(1);
  });

  it("answers a repeat that arrives while Shopify is still creating the discount with 409, not a code that may never exist", async () => {
    const member = await memberWith(800);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { deps, calls } = shopifyStub(() => ({
      discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/77" }, userErrors: [] },
    }));
    const slow: RedemptionDeps = {
      ...deps,
      adminFor: async (shop) => {
        const admin = (await deps.adminFor(shop))!;
        return { request: async (document, variables) => (await held, admin.request(document, variables)) } as AdminGraphql;
      },
    };
    const request = { shop: SHOP, customerId: member.customerId, rewardId: await rewardId(), requestKey: randomUUID() };
    const first = redeemReward(slow, request);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await redeemReward(slow, request)).toMatchObject({ ok: false, reason: "redemption_pending", balance: 300 });
    release();
    expect(await first).toMatchObject({ ok: true, redemption: { status: "issued" } });
    expect(await redeemReward(slow, request)).toMatchObject({ ok: true, repeated: true, redemption: { status: "issued" } });
    expect(calls).toHaveLength(1);
  });

  it("never redeems another shop's reward", async () => {
    const member = await memberWith(1000);
    const { deps } = shopifyStub();
    const result = await redeemReward(deps, { shop: SHOP, customerId: member.customerId, rewardId: await rewardId(OTHER), requestKey: randomUUID() });
    expect(result).toMatchObject({ ok: false, reason: "reward_not_found" });
  });

  it("200 concurrent redemptions against one balance succeed exactly floor(balance / cost) times", async () => {
    const member = await memberWith(2250);
    const { deps, calls } = shopifyStub();
    const id = await rewardId();
    const results = await Promise.all(
      Array.from({ length: 200 }, () => redeemReward(deps, { shop: SHOP, customerId: member.customerId, rewardId: id, requestKey: randomUUID() })),
    );
    const issued = results.filter((r) => r.ok);
    expect(issued).toHaveLength(4);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === "insufficient_points")).toBe(true);
    expect(await balance(member.id)).toBe(250);
    expect(calls).toHaveLength(4);
    const rows = await database.db.raw.all<{ status: string; n: number }>(
      'SELECT "status", COUNT(*) AS "n" FROM "redemptions" WHERE "member_id" = ? GROUP BY "status"',
      [member.id],
    );
    expect(rows).toEqual([{ status: "issued", n: 4 }]);
  });
});
