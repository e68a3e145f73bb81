import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FLOW_TRIGGERS } from "../app/domain/flow";
import { runDueJobs } from "../app/jobs/queue.server";
import { fireFlowTrigger, firePointsExpiringTrigger, flowJobHandlers } from "../app/models/flow.server";
import { saveTierProgram } from "../app/models/tiers.server";
import { jobHandlers } from "../app/runtime.server";
import { startSimulator, type RunningSimulator } from "../simulator/server";
import { startAppServer } from "./support/app-server";
import { createTestDatabase, ledgerMismatches, type TestDatabase } from "./support/database";
import { flowRequestInit, lifecycleCallback } from "./support/flow";
import { orderPayload } from "./support/shopify-payloads";
import { signProxyQuery, TEST_API_KEY, TEST_API_SECRET } from "./support/signing";
import { simulatedShop } from "./support/simulated-shop";
import { tierInput, tierProgramInput } from "./support/tiers";

// The app's Flow triggers end to end: Flow's signed lifecycle callback says which shop uses which
// trigger, signed webhooks and shopper requests make the events, the job worker sends
// flowTriggerReceive to the simulator, which accepts a payload only when it has exactly the
// fields of the trigger's extension (extensions/flow-*/shopify.extension.toml).

const SHOP = "flow-triggers.myshopify.com";
const OTHER = "flow-triggers-other.myshopify.com";

let database: TestDatabase;
let simulator: RunningSimulator;
let app: Awaited<ReturnType<typeof startAppServer>>;
let shop: Awaited<ReturnType<typeof simulatedShop>>;
let other: Awaited<ReturnType<typeof simulatedShop>>;
const saved = { ...process.env };

beforeAll(async () => {
  database = await createTestDatabase();
  simulator = await startSimulator({
    appUrl: "http://127.0.0.1:9",
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    awaitDeliveries: false,
    retryScheduleMs: [],
  });
  Object.assign(process.env, { LOYALTY_SIMULATOR: "1", SHOPIFY_ADMIN_API_ORIGIN: simulator.url, SHOPIFY_APP_URL: "http://127.0.0.1" });
  shop = await simulatedShop(database, simulator, SHOP, () => "");
  other = await simulatedShop(database, simulator, OTHER, () => "");
  app = await startAppServer(database);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await simulator?.close();
  await database?.drop();
  process.env = saved;
});
afterEach(async () => {
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

const lifecycle = async (domain: string, handle: string, on: boolean, at?: Date, options?: Parameters<typeof flowRequestInit>[1]) => {
  const response = await fetch(`${app.origin}/flow/lifecycle`, flowRequestInit(lifecycleCallback(domain, handle, on, at), options));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const uses = (domain: string) =>
  database.db.raw.all<{ handle: string; active: number | boolean }>('SELECT "handle", "active" FROM "flow_trigger_uses" WHERE "shop" = ? ORDER BY "handle"', [
    domain,
  ]);
const runJobs = () => runDueJobs(database.db, jobHandlers({ sessions: database.sessions }), { now: new Date(Date.now() + 1000) });
const received = (domain: string) => simulator.store.shop(domain).flowTriggersReceived.map(({ handle, payload }) => ({ handle, payload }));
const flowJobs = (domain: string) =>
  database.db.raw.all<{ job_key: string; attempts: number; failed_at: string | null; last_error: string | null }>(
    `SELECT "job_key", "attempts", "failed_at", "last_error" FROM "jobs" WHERE "kind" = 'flow.trigger' AND "shop" = ? ORDER BY "id"`,
    [domain],
  );
const paid = (domain: string, customerId: string, price: string) => orderPayload({ customerId: Number(customerId), lines: [{ price }] });

describe("Flow's lifecycle callback", () => {
  it("records that a shop uses a trigger and that it stopped, and an older callback arriving late changes nothing", async () => {
    const start = Date.now();
    expect(await lifecycle(OTHER, FLOW_TRIGGERS.rewardRedeemed, true, new Date(start))).toEqual({
      status: 200,
      body: { ok: true, handle: FLOW_TRIGGERS.rewardRedeemed, active: true },
    });
    expect((await uses(OTHER)).map((row) => [row.handle, Boolean(row.active)])).toEqual([[FLOW_TRIGGERS.rewardRedeemed, true]]);
    expect((await lifecycle(OTHER, FLOW_TRIGGERS.rewardRedeemed, false, new Date(start + 2000))).status).toBe(200);
    expect((await lifecycle(OTHER, FLOW_TRIGGERS.rewardRedeemed, true, new Date(start + 1000))).status).toBe(200);
    expect((await uses(OTHER)).map((row) => [row.handle, Boolean(row.active)])).toEqual([[FLOW_TRIGGERS.rewardRedeemed, false]]);
  });

  it("answers 401 to a callback not signed with the app's secret, and 400 to one that names no shop, and records nothing", async () => {
    expect(await lifecycle(OTHER, FLOW_TRIGGERS.pointsEarned, true, undefined, { secret: "forged" })).toMatchObject({
      status: 401,
      body: { reason: "bad_signature" },
    });
    expect(await lifecycle(OTHER, FLOW_TRIGGERS.pointsEarned, true, undefined, { hmac: null })).toMatchObject({ status: 401, body: { reason: "not_signed" } });
    expect(await lifecycle("not a shop", FLOW_TRIGGERS.pointsEarned, true)).toMatchObject({ status: 400, body: { field: "shopify_domain" } });
    expect((await uses(OTHER)).map((row) => row.handle)).not.toContain(FLOW_TRIGGERS.pointsEarned);
  });
});

describe("Flow triggers", () => {
  it("sends an order's points to Flow once in the shop that uses the trigger, and nothing for the shop that does not", async () => {
    expect((await lifecycle(SHOP, FLOW_TRIGGERS.pointsEarned, true)).status).toBe(200);
    const here = await shop.shopper(0);
    const there = await other.shopper(0);
    const order = paid(SHOP, here.customerId, "40.00");
    expect((await app.deliver({ topic: "orders/paid", shop: SHOP, payload: order })).status).toBe(200);
    // Shopify delivers the same order again, under another webhook id.
    expect((await app.deliver({ topic: "orders/paid", shop: SHOP, payload: order })).status).toBe(200);
    expect((await app.deliver({ topic: "orders/paid", shop: OTHER, payload: paid(OTHER, there.customerId, "40.00") })).status).toBe(200);
    await runJobs();
    expect(received(SHOP)).toEqual([
      {
        handle: FLOW_TRIGGERS.pointsEarned,
        payload: { customer_id: Number(here.customerId), order_id: order.id, points: 40, balance: 40, reason: expect.stringMatching(/\S/) },
      },
    ]);
    expect(received(OTHER)).toEqual([]);
    expect(await flowJobs(OTHER)).toEqual([]);
  });

  it("sends nothing more once the shop's last workflow with the trigger is off", async () => {
    expect((await lifecycle(SHOP, FLOW_TRIGGERS.pointsEarned, false)).status).toBe(200);
    const before = received(SHOP).length;
    const member = await shop.shopper(0);
    expect((await app.deliver({ topic: "orders/paid", shop: SHOP, payload: paid(SHOP, member.customerId, "25.00") })).status).toBe(200);
    await runJobs();
    expect(received(SHOP)).toHaveLength(before);
  });

  it("sends a redeemed reward with its code once the discount exists in Shopify", async () => {
    expect((await lifecycle(SHOP, FLOW_TRIGGERS.rewardRedeemed, true)).status).toBe(200);
    const member = await shop.shopper(600);
    const query = signProxyQuery({
      shop: SHOP,
      logged_in_customer_id: member.customerId,
      path_prefix: "/apps/loyalty",
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    const response = await fetch(`${app.origin}/proxy/redemptions?${query}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ rewardId: await shop.rewardCosting(500), idempotencyKey: `flow-${Date.now()}` }),
    });
    expect(response.status).toBe(201);
    const { redemption } = (await response.json()) as { redemption: { code: string } };
    await runJobs();
    expect(received(SHOP).filter((run) => run.handle === FLOW_TRIGGERS.rewardRedeemed)).toEqual([
      {
        handle: FLOW_TRIGGERS.rewardRedeemed,
        payload: {
          customer_id: Number(member.customerId),
          "reward name": "5 off your order",
          "points spent": 500,
          balance: 100,
          "discount code": redemption.code,
        },
      },
    ]);
    expect(shop.discounts().map((discount) => discount.code)).toContain(redemption.code);
  });

  it("sends a tier change made by a signed order webhook, once", async () => {
    await saveTierProgram(database.db, SHOP, tierProgramInput([tierInput(1, "Silver"), tierInput(2, "Gold")]), new Date().toISOString());
    await runJobs();
    expect((await lifecycle(SHOP, FLOW_TRIGGERS.tierChanged, true)).status).toBe(200);
    const member = await shop.shopper(0);
    // 120 points: Silver (from 100), not Gold (from 200).
    const order = paid(SHOP, member.customerId, "120.00");
    expect((await app.deliver({ topic: "orders/paid", shop: SHOP, payload: order })).status).toBe(200);
    expect((await app.deliver({ topic: "orders/paid", shop: SHOP, payload: order })).status).toBe(200);
    await runJobs();
    expect(received(SHOP).filter((run) => run.handle === FLOW_TRIGGERS.tierChanged)).toEqual([
      {
        handle: FLOW_TRIGGERS.tierChanged,
        payload: { customer_id: Number(member.customerId), "tier name": "Silver", "previous tier name": "", upgraded: true },
      },
    ]);
  });

  it("sends the changes an evaluation batch makes (the recompute after the merchant lowers a threshold)", async () => {
    const member = await shop.shopper(0);
    expect((await app.deliver({ topic: "orders/paid", shop: SHOP, payload: paid(SHOP, member.customerId, "150.00") })).status).toBe(200);
    await runJobs();
    const runsFor = () => received(SHOP).filter((run) => run.handle === FLOW_TRIGGERS.tierChanged && run.payload.customer_id === Number(member.customerId));
    expect(runsFor().map((run) => run.payload["tier name"])).toEqual(["Silver"]);
    // Gold from 150 points instead of 200: the recompute job moves the member up, in a batch.
    await saveTierProgram(database.db, SHOP, tierProgramInput([tierInput(1, "Silver"), tierInput(2, "Gold", { threshold: 150 })]), new Date().toISOString());
    await runJobs();
    await runJobs();
    expect(runsFor().map((run) => run.payload)).toEqual([
      { customer_id: Number(member.customerId), "tier name": "Silver", "previous tier name": "", upgraded: true },
      { customer_id: Number(member.customerId), "tier name": "Gold", "previous tier name": "Silver", upgraded: true },
    ]);
  });

  it("sends points about to expire for the expiry job, once per member and date", async () => {
    expect((await lifecycle(SHOP, FLOW_TRIGGERS.pointsExpiring, true)).status).toBe(200);
    const member = await shop.shopper(300);
    const expiresAt = "2027-01-31T23:00:00.000Z";
    expect(await firePointsExpiringTrigger(database.db, SHOP, { customerId: member.customerId, balance: 300 }, 120, expiresAt)).toBe(true);
    expect(await firePointsExpiringTrigger(database.db, SHOP, { customerId: member.customerId, balance: 300 }, 120, expiresAt)).toBe(true);
    expect(await firePointsExpiringTrigger(database.db, OTHER, { customerId: member.customerId, balance: 300 }, 120, expiresAt)).toBe(false);
    await runJobs();
    expect(received(SHOP).filter((run) => run.handle === FLOW_TRIGGERS.pointsExpiring)).toEqual([
      { handle: FLOW_TRIGGERS.pointsExpiring, payload: { customer_id: Number(member.customerId), points: 120, balance: 300, "expiry date": expiresAt } },
    ]);
  });

  it("fails a trigger's job at once when Shopify refuses its payload, and retries one Shopify did not answer", async () => {
    const member = await shop.shopper(0);
    const fire = (eventKey: string, properties: Record<string, string | number | boolean>) =>
      fireFlowTrigger(database.db, { shop: SHOP, handle: FLOW_TRIGGERS.pointsExpiring, eventKey, properties: () => properties });
    await fire("bad-payload", { customer_id: Number(member.customerId), points: "many" });
    await runJobs();
    expect((await flowJobs(SHOP)).find((job) => job.job_key.endsWith(":bad-payload"))).toMatchObject({
      attempts: 1,
      failed_at: expect.any(String),
      last_error: expect.stringContaining("Errors validating schema"),
    });

    await fire("unanswered", { customer_id: Number(member.customerId), points: 1, balance: 1, "expiry date": "2027-01-01T00:00:00.000Z" });
    const unreachable = flowJobHandlers({
      adminFor: async () => ({
        request: async () => {
          throw new Error("connect ECONNRESET");
        },
      }),
    });
    expect(await runDueJobs(database.db, unreachable, { now: new Date(Date.now() + 1000) })).toEqual({ done: 0, retried: 1, failed: 0 });
    expect((await flowJobs(SHOP)).find((job) => job.job_key.endsWith(":unanswered"))).toMatchObject({ failed_at: null, last_error: "connect ECONNRESET" });
  });
});
