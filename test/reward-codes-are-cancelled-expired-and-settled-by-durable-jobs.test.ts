import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { backoffMs, enqueueJob, runDueJobs } from "../app/jobs/queue.server";
import { metafieldJobHandlers } from "../app/models/metafields.server";
import { markCodesUsed, redeemReward, redemptionJobHandlers, returnUnusedRedemption, type RedemptionDeps } from "../app/models/redemptions.server";
import type { AdminGraphql } from "../app/shopify/admin-api.server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./support/database";
import { createMember, recordEntry } from "./support/members";
import { redemptionLeftByACrash } from "./support/redemptions";

const SHOP = "lifecycle-test.myshopify.com";
let database: TestDatabase;
let rewardId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  const now = new Date().toISOString();
  rewardId = (await database.db.raw.get<{ id: number }>(
    `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "code_lifetime_days", "created_at", "updated_at")
     VALUES (?, '5 off', 'fixed_amount', 500, 500, 30, ?, ?) RETURNING "id"`,
    [SHOP, now, now],
  ))!.id;
});
afterAll(async () => {
  await database.drop();
});
afterEach(async () => {
  expect(await ledgerMismatches(database.db)).toEqual([]);
  await database.db.raw.run('DELETE FROM "jobs"');
});

/** Shopify's ids are unique across the shop, whichever stand-in made them. */
let shopifyIds = 1000;

/** A stand-in Admin API with switchable answers; records every call. */
function shopify() {
  const calls: { document: string; variables: Record<string, unknown> }[] = [];
  const state = {
    deleteFails: false,
    /** Shopify makes the discount, then the answer is lost on the way back (a timeout). */
    createAnswerLost: false,
    /** Looking a code up fails (an outage, a scope not yet granted). */
    lookupFails: false,
    discountsByCode: new Map<string, string>(),
    credits: [] as { id: string; createdAt: string; amount: { amount: string; currencyCode: string } }[],
  };
  const admin: AdminGraphql = {
    async request<T>(document: string, variables: Record<string, unknown> = {}) {
      calls.push({ document, variables });
      if (document.includes("discountCodeBasicCreate")) {
        const id = `gid://shopify/DiscountCodeNode/${++shopifyIds}`;
        state.discountsByCode.set((variables.basicCodeDiscount as { code: string }).code, id);
        if (state.createAnswerLost) throw Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" });
        return { discountCodeBasicCreate: { codeDiscountNode: { id }, userErrors: [] } } as T;
      }
      if (document.includes("discountCodeDelete")) {
        if (state.deleteFails) throw new Error("503 Service Unavailable");
        return { discountCodeDelete: { deletedCodeDiscountId: variables.id, userErrors: [] } } as T;
      }
      if (document.includes("codeDiscountNodeByCode")) {
        if (state.lookupFails) throw new Error("503 Service Unavailable");
        const id = state.discountsByCode.get(variables.code as string);
        return { codeDiscountNodeByCode: id ? { id } : null } as T;
      }
      if (document.includes("storeCreditAccounts")) {
        return { customer: { storeCreditAccounts: { nodes: [{ transactions: { nodes: [...state.credits].reverse() } }] } } } as T;
      }
      if (document.includes("metafieldsSet")) return { metafieldsSet: { metafields: [], userErrors: [] } } as T;
      throw new Error(`unexpected document ${document}`);
    },
  };
  const deps: RedemptionDeps = { db: database.db, adminFor: async () => admin };
  const adminFor = async () => admin;
  return { deps, calls, state, handlers: { ...redemptionJobHandlers({ adminFor }), ...metafieldJobHandlers({ adminFor }) } };
}

async function issuedCode(deps: RedemptionDeps, points = 800) {
  const member = await createMember(database.db, SHOP);
  await recordEntry(database.db, SHOP, member.id, points);
  const result = await redeemReward(deps, { shop: SHOP, customerId: member.customerId, rewardId, requestKey: randomUUID() });
  if (!result.ok) throw new Error(result.reason);
  return { member, redemption: result.redemption };
}
const balance = async (id: number) => (await database.db.raw.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "id" = ?', [id]))!.balance;
const status = async (id: number) => (await database.db.raw.get<{ status: string }>('SELECT "status" FROM "redemptions" WHERE "id" = ?', [id]))!.status;

describe("the shopper cancels an unused code", () => {
  it("deletes it from Shopify and returns the points; a second cancel changes nothing", async () => {
    const { deps, calls } = shopify();
    const { member, redemption } = await issuedCode(deps);
    expect(await balance(member.id)).toBe(300);
    const first = await returnUnusedRedemption(deps, { shop: SHOP, redemptionId: redemption.id, customerId: member.customerId, outcome: "cancelled" });
    expect(first).toMatchObject({ ok: true, balance: 800, redemption: { status: "cancelled" } });
    expect(calls.filter((c) => c.document.includes("discountCodeDelete"))).toHaveLength(1);
    const again = await returnUnusedRedemption(deps, { shop: SHOP, redemptionId: redemption.id, customerId: member.customerId, outcome: "cancelled" });
    expect(again).toMatchObject({ ok: true, balance: 800 });
    expect(calls.filter((c) => c.document.includes("discountCodeDelete"))).toHaveLength(1);
  });

  it("keeps the points taken when Shopify cannot delete the code, so the code stays usable", async () => {
    const { deps, state } = shopify();
    const { member, redemption } = await issuedCode(deps);
    state.deleteFails = true;
    const result = await returnUnusedRedemption(deps, { shop: SHOP, redemptionId: redemption.id, customerId: member.customerId, outcome: "cancelled" });
    expect(result).toMatchObject({ ok: false, reason: "shopify_unavailable" });
    expect(await status(redemption.id)).toBe("issued");
    expect(await balance(member.id)).toBe(300);
  });

  it("cannot cancel a code an order already used, nor another customer's code", async () => {
    const { deps } = shopify();
    const { member, redemption } = await issuedCode(deps);
    const stranger = await createMember(database.db, SHOP);
    expect(
      await returnUnusedRedemption(deps, { shop: SHOP, redemptionId: redemption.id, customerId: stranger.customerId, outcome: "cancelled" }),
    ).toMatchObject({
      ok: false,
      reason: "redemption_not_found",
    });
    await markCodesUsed(database.db, SHOP, [redemption.code!], "1001", new Date().toISOString());
    expect(await returnUnusedRedemption(deps, { shop: SHOP, redemptionId: redemption.id, customerId: member.customerId, outcome: "cancelled" })).toMatchObject({
      ok: false,
      reason: "not_returnable",
      status: "used",
    });
    expect(await balance(member.id)).toBe(300);
  });

  it("takes the points again if an order used the code after they were returned", async () => {
    const { deps } = shopify();
    const { member, redemption } = await issuedCode(deps);
    await returnUnusedRedemption(deps, { shop: SHOP, redemptionId: redemption.id, customerId: member.customerId, outcome: "cancelled" });
    await markCodesUsed(database.db, SHOP, [redemption.code!.toLowerCase()], "1002", new Date().toISOString());
    expect(await status(redemption.id)).toBe("used");
    expect(await balance(member.id)).toBe(300);
  });
});

describe("durable jobs", () => {
  it("expire an unused code at its expiry: deleted from Shopify, points back", async () => {
    const { deps, handlers } = shopify();
    const { member, redemption } = await issuedCode(deps);
    await runDueJobs(database.db, handlers, { now: new Date() });
    expect(await status(redemption.id)).toBe("issued");
    const later = new Date(Date.parse(redemption.expiresAt!) + 1000);
    // The settle job (2 minutes after the redemption) finds it issued and does nothing.
    expect(await runDueJobs(database.db, handlers, { now: later })).toMatchObject({ retried: 0, failed: 0 });
    expect(await status(redemption.id)).toBe("expired");
    expect(await balance(member.id)).toBe(800);
  });

  it("leave a used code alone at its expiry", async () => {
    const { deps, handlers, calls } = shopify();
    const { member, redemption } = await issuedCode(deps);
    await markCodesUsed(database.db, SHOP, [redemption.code!], "1003", new Date().toISOString());
    await runDueJobs(database.db, handlers, { now: new Date(Date.parse(redemption.expiresAt!) + 1000) });
    expect(await status(redemption.id)).toBe("used");
    expect(await balance(member.id)).toBe(300);
    expect(calls.some((c) => c.document.includes("discountCodeDelete"))).toBe(false);
  });

  it("retry with backoff when Shopify fails, and finish once it answers", async () => {
    const { deps, handlers, state } = shopify();
    const { member, redemption } = await issuedCode(deps);
    state.deleteFails = true;
    const expiry = Date.parse(redemption.expiresAt!) + 1000;
    expect(await runDueJobs(database.db, handlers, { now: new Date(expiry), random: () => 0.5 })).toMatchObject({ retried: 1 });
    const job = await database.db.raw.get<{ run_at: string | Date; attempts: number; last_error: string }>(`SELECT * FROM "jobs" WHERE "job_key" = ?`, [
      `redemption:${redemption.id}:expire`,
    ]);
    expect(job).toMatchObject({ attempts: 1, last_error: expect.stringContaining("503") });
    expect(new Date(job!.run_at).getTime()).toBe(expiry + backoffMs(1, () => 0.5));
    state.deleteFails = false;
    await runDueJobs(database.db, handlers, { now: new Date(expiry + 3_600_000) });
    expect(await status(redemption.id)).toBe("expired");
    expect(await balance(member.id)).toBe(800);
  });

  it("settle a redemption whose process died before Shopify answered", async () => {
    const { handlers, state } = shopify();
    const member = await createMember(database.db, SHOP);
    await recordEntry(database.db, SHOP, member.id, 1000);
    // Two reservations as a crash leaves them: points taken, status pending, the settle job due.
    const crash = async (code: string, createdInShopify: boolean) => {
      const id = await redemptionLeftByACrash(database.db, { shop: SHOP, memberId: member.id, rewardId, points: 500, code });
      if (createdInShopify) state.discountsByCode.set(code, "gid://shopify/DiscountCodeNode/77");
      return id;
    };
    const created = await crash("PTS-AAAA-BBBB-CCCC", true);
    const lost = await crash("PTS-DDDD-EEEE-FFFF", false);
    expect(await balance(member.id)).toBe(0);
    await runDueJobs(database.db, handlers, { now: new Date(Date.now() + 1000) });
    expect(await status(created)).toBe("issued");
    expect(await status(lost)).toBe("failed");
    expect(await balance(member.id)).toBe(500);
  });

  it("keep the points taken when Shopify's answer is lost, until the settle job finds what Shopify made", async () => {
    const { deps, handlers, state } = shopify();
    state.createAnswerLost = true;
    const member = await createMember(database.db, SHOP);
    await recordEntry(database.db, SHOP, member.id, 800);
    const request = { shop: SHOP, customerId: member.customerId, rewardId, requestKey: randomUUID() };
    // Shopify may have made the code: giving the points back now could pay twice.
    const result = await redeemReward(deps, request);
    expect(result).toMatchObject({ ok: false, reason: "redemption_pending", balance: 300, redemption: { status: "pending" } });
    expect(await redeemReward(deps, request)).toMatchObject({ ok: false, reason: "redemption_pending" });
    await runDueJobs(database.db, handlers, { now: new Date(Date.now() + 3 * 60_000) });
    const id = !result.ok && result.reason === "redemption_pending" ? result.redemption.id : 0;
    expect(await status(id)).toBe("issued");
    expect(await balance(member.id)).toBe(300);
    // The shopper's retry with the same key now gets the code.
    expect(await redeemReward(deps, request)).toMatchObject({ ok: true, repeated: true, redemption: { id, status: "issued" } });
  });

  it("settle store credit whose answer was lost: a credit Shopify made is this redemption's, once; none means the points come back", async () => {
    const { handlers, state } = shopify();
    const storeCredit = (await database.db.raw.get<{ id: number }>(
      `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "code_lifetime_days", "created_at", "updated_at")
       VALUES (?, '5 store credit', 'store_credit', 500, 500, 30, ?, ?) RETURNING "id"`,
      [SHOP, new Date().toISOString(), new Date().toISOString()],
    ))!.id;
    const member = await createMember(database.db, SHOP);
    await recordEntry(database.db, SHOP, member.id, 1500);
    const crash = () => redemptionLeftByACrash(database.db, { shop: SHOP, memberId: member.id, rewardId: storeCredit, points: 500 });
    // An older credit of the same amount (before these redemptions) is not theirs; one new credit is.
    state.credits.push({
      id: "gid://shopify/StoreCreditAccountCreditTransaction/1",
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
      amount: { amount: "5.00", currencyCode: "USD" },
    });
    const first = await crash();
    const second = await crash();
    state.credits.push({
      id: "gid://shopify/StoreCreditAccountCreditTransaction/2",
      createdAt: new Date().toISOString(),
      amount: { amount: "5.00", currencyCode: "USD" },
    });
    await runDueJobs(database.db, handlers, { now: new Date(Date.now() + 1000) });
    expect([await status(first), await status(second)].sort()).toEqual(["failed", "issued"]);
    expect(await balance(member.id)).toBe(1000);
    const claimed = await database.db.raw.all<{ shopify_discount_id: string | null }>(
      `SELECT "shopify_discount_id" FROM "redemptions" WHERE "id" IN (?, ?) AND "status" = 'issued'`,
      [first, second],
    );
    expect(claimed).toEqual([{ shopify_discount_id: "gid://shopify/StoreCreditAccountCreditTransaction/2" }]);
  });

  it("keep a redemption pending, points taken, for as long as Shopify cannot say what exists", async () => {
    const { handlers, state } = shopify();
    const member = await createMember(database.db, SHOP);
    await recordEntry(database.db, SHOP, member.id, 500);
    const id = await redemptionLeftByACrash(database.db, { shop: SHOP, memberId: member.id, rewardId, points: 500, code: "PTS-GGGG-HHHH-JJJJ" });
    state.lookupFails = true;
    let at = Date.now();
    for (let run = 0; run < 12; run++) {
      at += 2 * 3_600_000;
      await runDueJobs(database.db, handlers, { now: new Date(at) });
    }
    expect(await status(id)).toBe("pending");
    expect(await balance(member.id)).toBe(0);
    const job = await database.db.raw.get<{ failed_at: string | null; attempts: number }>('SELECT "failed_at", "attempts" FROM "jobs" WHERE "job_key" = ?', [
      `redemption:${id}:settle`,
    ]);
    expect(job).toMatchObject({ failed_at: null, attempts: 12 });
    state.lookupFails = false;
    await runDueJobs(database.db, handlers, { now: new Date(at + 2 * 3_600_000) });
    expect(await status(id)).toBe("failed");
    expect(await balance(member.id)).toBe(500);
  });

  it("charge the points again when an order uses a code recorded as failed (Shopify had made it after all)", async () => {
    const { deps } = shopify();
    const member = await createMember(database.db, SHOP);
    await recordEntry(database.db, SHOP, member.id, 800);
    const id = await redemptionLeftByACrash(database.db, { shop: SHOP, memberId: member.id, rewardId, points: 500, code: "PTS-KKKK-LLLL-MMMM" });
    await runDueJobs(database.db, shopify().handlers, { now: new Date(Date.now() + 1000) });
    expect(await status(id)).toBe("failed");
    expect(await balance(member.id)).toBe(800);
    await markCodesUsed(database.db, SHOP, ["pts-kkkk-llll-mmmm"], "1002", new Date().toISOString());
    expect(await status(id)).toBe("used");
    expect(await balance(member.id)).toBe(300);
    void deps;
  });

  it("run a job once even when two workers poll at the same moment", async () => {
    let runs = 0;
    const handlers = {
      count: async () => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    };
    await enqueueJob(database.db, { shop: SHOP, kind: "count", key: `count:${randomUUID()}`, runAt: new Date() });
    const now = new Date(Date.now() + 10);
    await Promise.all([runDueJobs(database.db, handlers, { now, worker: "a" }), runDueJobs(database.db, handlers, { now, worker: "b" })]);
    expect(runs).toBe(1);
  });
});
