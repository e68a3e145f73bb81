import { saveExpiryPolicy } from "../app/models/expiry-settings.server";
import { recordEntry } from "./support/members";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runDueJobs } from "../app/jobs/queue.server";
import { awardEvent, readMemberFacts } from "../app/models/awards.server";
import { ensureDefaultEarningRules } from "../app/models/earning-rules.server";
import { loadShopContext } from "../app/models/shops.server";
import { scheduleWaysToEarnSync, WAYS_TO_EARN_SYNC_JOB } from "../app/models/storefront-earning.server";
import { jobHandlers } from "../app/runtime.server";
import { appInstallationId, SIMULATED_APP_ID } from "../simulator/admin-resolvers";
import { startSimulator, type RunningSimulator } from "../simulator/server";
import { startAppServer } from "./support/app-server";
import { createTestDatabase, ledgerMismatches, type TestDatabase } from "./support/database";
import { addCampaign, addEarningRule } from "./support/earning";
import { TEST_APP_URL } from "./support/remix-app";
import { orderPayload } from "./support/shopify-payloads";
import { TEST_API_KEY, TEST_API_SECRET } from "./support/signing";
import { simulatedShop } from "./support/simulated-shop";

// The storefront's first paint reads two kinds of metafield, both written by the app's job
// worker through the Admin API (here the simulator's, over the real schema): the shop's ways to
// earn on the app's installation, and each member's ways done on the customer.

const SHOP = "earn-sync-test.myshopify.com";
let database: TestDatabase;
let simulator: RunningSimulator;
let shop: Awaited<ReturnType<typeof simulatedShop>>;
let app: Awaited<ReturnType<typeof startAppServer>>;
const saved = { ...process.env };
const ids = { social: 0, stamps: 0, signup: 0 };

beforeAll(async () => {
  database = await createTestDatabase();
  simulator = await startSimulator({ appUrl: TEST_APP_URL, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, awaitDeliveries: false, retryScheduleMs: [] });
  // The app's Admin client talks to the simulator (the switch needs loopback URLs).
  Object.assign(process.env, { LOYALTY_SIMULATOR: "1", SHOPIFY_ADMIN_API_ORIGIN: simulator.url, SHOPIFY_APP_URL: TEST_APP_URL });
  shop = await simulatedShop(database, simulator, SHOP, () => "");
  ids.signup = await addEarningRule(database.db, SHOP, { kind: "signup", points: 100, position: 1 });
  ids.stamps = await addEarningRule(database.db, SHOP, { kind: "nth_order", points: 250, every_nth: 6, position: 2 });
  ids.social = await addEarningRule(database.db, SHOP, {
    kind: "social",
    points: 50,
    settings: { network: "instagram", url: "https://instagram.com/tea-house" },
    content: { he: { title: "עקבו אחרינו" } },
    position: 3,
  });
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

const handlers = () => jobHandlers({ sessions: database.sessions });
const runJobsAt = (at: number) => runDueJobs(database.db, handlers(), { now: new Date(at) });
const simulatedShopState = () => simulator.store.shop(SHOP);
/** The app-data metafield on the app's installation, parsed; undefined when not written. */
function waysToEarnMetafield() {
  const ownerId = appInstallationId(simulatedShopState());
  const found = simulatedShopState().metafields.find((m) => m.ownerId === ownerId && m.namespace === "loyalty" && m.key === "ways_to_earn");
  return found ? { type: found.type, value: JSON.parse(found.value) } : undefined;
}
function customerMetafield(customerId: string, key: string) {
  const found = simulatedShopState().metafields.find(
    (m) => m.ownerId === `gid://shopify/Customer/${customerId}` && m.namespace === `app--${SIMULATED_APP_ID}--loyalty` && m.key === key,
  );
  return found ? JSON.parse(found.value) : undefined;
}

describe("the shop's ways to earn, on the app installation", () => {
  it("are written by the sync job once a change re-arms it, and the storefront paints them with no request", async () => {
    await scheduleWaysToEarnSync(database.db, SHOP, new Date());
    await runJobsAt(Date.now() + 1000);
    const written = waysToEarnMetafield();
    expect(written?.type).toBe("json");
    expect(written?.value).toEqual({
      currency: "USD",
      ways: [
        expect.objectContaining({ kind: "purchase", pointsPerCurrencyUnit: 1 }),
        { id: ids.signup, kind: "signup", points: 100, content: {} },
        { id: ids.stamps, kind: "nth_order", points: 250, stampsOf: 6, content: {} },
        { id: ids.social, kind: "social", points: 50, network: "instagram", url: "https://instagram.com/tea-house", content: { he: { title: "עקבו אחרינו" } } },
      ],
      campaigns: [],
      // Points do not expire in this shop.
      expiry: null,
    });
    const guestPage = await (await fetch(`${simulator.url}/store/${SHOP}`)).text();
    expect(guestPage).toContain("Follow us on Instagram");
    expect(guestPage).toContain("A bonus every 6 orders");
  });

  it("a new shop's default rules re-arm it", async () => {
    const newShop = "earn-sync-new.myshopify.com";
    await ensureDefaultEarningRules(database.db, newShop, new Date().toISOString());
    const job = await database.db.raw.get<{ kind: string; done_at: string | null }>('SELECT "kind", "done_at" FROM "jobs" WHERE "job_key" = ?', [
      `ways-to-earn:${newShop}`,
    ]);
    expect(job).toEqual({ kind: WAYS_TO_EARN_SYNC_JOB, done_at: null });
  });

  it("runs again when a campaign starts and when it ends: the banner comes and goes", async () => {
    const hour = 3_600_000;
    const startsAt = new Date(Math.ceil(Date.now() / hour) * hour + hour).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + 2 * hour).toISOString();
    const campaignId = await addCampaign(database.db, SHOP, { name: "Double points", starts_at: startsAt, ends_at: endsAt, multiplier_percent: 200 });
    await scheduleWaysToEarnSync(database.db, SHOP, new Date());
    await runJobsAt(Date.now() + 1000);
    expect(waysToEarnMetafield()?.value.campaigns).toEqual([]);
    const booked = await database.db.raw.all<{ run_at: string }>(`SELECT "run_at" FROM "jobs" WHERE "kind" = ? AND "job_key" LIKE ? ORDER BY "run_at"`, [
      WAYS_TO_EARN_SYNC_JOB,
      `ways-to-earn:${SHOP}:at:%`,
    ]);
    expect(booked.map((job) => Date.parse(job.run_at))).toEqual([Date.parse(startsAt), Date.parse(endsAt)]);

    await runJobsAt(Date.parse(startsAt) + 1000);
    expect(waysToEarnMetafield()?.value.campaigns).toEqual([
      { id: campaignId, name: "Double points", multiplier: 2, bonusPoints: null, endsAt, productLimited: false, content: {} },
    ]);
    await runJobsAt(Date.parse(endsAt) + 1000);
    expect(waysToEarnMetafield()?.value.campaigns).toEqual([]);
  });
});

describe("a member's ways done, on the customer", () => {
  it("the sync writes done, stamp progress and pending points; a pending-only change is synced too", async () => {
    const member = await shop.shopper(0);
    const context = await loadShopContext(database.db, SHOP);
    const facts = (await readMemberFacts(database.db, member.id))!.facts;
    await awardEvent(
      database.db,
      context,
      facts,
      { type: "signup", at: new Date().toISOString(), imported: false, customerTags: [] },
      { now: new Date().toISOString() },
    );
    await runJobsAt(Date.now() + 1000);
    expect(customerMetafield(member.customerId, "points")).toBe(100);
    expect(customerMetafield(member.customerId, "earning")).toEqual({ done: [ids.signup], orders: 0, stamps: { [ids.stamps]: 0 }, pending: [] });

    // Order points that wait three days: no balance change, yet the storefront must show them pending.
    await database.db.raw.run('UPDATE "shops" SET "pending_days" = 3 WHERE "domain" = ?', [SHOP]);
    const order = orderPayload({ customerId: Number(member.customerId), lines: [{ price: "120.00" }] });
    expect((await app.deliver({ topic: "orders/paid", shop: SHOP, payload: order })).status).toBe(200);
    await runJobsAt(Date.now() + 2000);
    const earning = customerMetafield(member.customerId, "earning");
    expect(earning).toMatchObject({ done: [ids.signup], orders: 1, stamps: { [ids.stamps]: 1 }, pending: [{ points: 120 }] });
    expect(Date.parse(earning.pending[0].availableOn) - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(customerMetafield(member.customerId, "points")).toBe(100);
    const row = await database.db.raw.get<{ synced_points: number | null }>('SELECT "synced_points" FROM "members" WHERE "id" = ?', [member.id]);
    expect(row?.synced_points).toBe(100);
  });

  it("where the shop runs points expiry, the earning metafield says what expires next and the program metafield the rule", async () => {
    const member = await shop.shopper(1);
    await recordEntry(database.db, SHOP, member.id, 80, { at: new Date(Date.now() - 86_400_000) });
    const saved = await saveExpiryPolicy(database.db, SHOP, { kind: "inactivity", months: "6" });
    expect(saved.ok).toBe(true);
    await runJobsAt(Date.now() + 3000);
    const earning = customerMetafield(member.customerId, "earning");
    // Every point the member holds (the 80, and whatever they had) expires 6 months after the last earn.
    expect(earning.expiring.points).toBe(customerMetafield(member.customerId, "points"));
    expect(earning.expiring.points).toBeGreaterThanOrEqual(80);
    expect(Date.parse(earning.expiring.expiresAt)).toBeGreaterThan(Date.now() + 170 * 86_400_000);
    expect(waysToEarnMetafield()?.value.expiry).toEqual({ kind: "inactivity", months: 6 });
    await saveExpiryPolicy(database.db, SHOP, { kind: "off" });
  });
});
