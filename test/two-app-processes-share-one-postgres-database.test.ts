import { randomUUID } from "node:crypto";
import { TIER_WITHOUT_PERKS } from "../app/domain/tiers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../simulator/server";
import { saveTierProgram } from "../app/models/tiers.server";
import { startAppProcess, type AppProcess } from "./support/app-process";
import { createTestDatabase, ledgerMismatches, testDialect, type TestDatabase } from "./support/database";
import { simulatedShop } from "./support/simulated-shop";
import { orderPayload } from "./support/shopify-payloads";
import { signProxyQuery, TEST_API_KEY, TEST_API_SECRET, webhookRequestInit, type WebhookDelivery } from "./support/signing";

// Scale-out: two production server processes, each with its own pool, webhook applier and job
// worker, on one PostgreSQL database. (SQLite is one file for one process: nothing to prove.)
const SHOP = "scale-out.myshopify.com";
const ORDERS = 48;
const CUSTOMERS = 8;

describe.skipIf(testDialect !== "postgres")("two app processes on one PostgreSQL database", () => {
  let database: TestDatabase;
  let simulator: RunningSimulator;
  let shop: Awaited<ReturnType<typeof simulatedShop>>;
  let apps: AppProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // Nothing listens at appUrl: the test delivers the webhooks itself, to both processes.
    simulator = await startSimulator({
      appUrl: "http://127.0.0.1:9",
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      awaitDeliveries: false,
      retryScheduleMs: [],
    });
    shop = await simulatedShop(database, simulator, SHOP, () => "no session tokens here");
    apps = await Promise.all([0, 1].map(() => startAppProcess({ databaseUrl: database.url, simulatorUrl: simulator.url })));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await simulator?.close();
    await database?.drop();
  });
  afterEach(async () => {
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });

  const deliver = async (app: AppProcess, delivery: WebhookDelivery) => {
    const response = await fetch(`${app.origin}/webhooks`, webhookRequestInit(delivery));
    return { webhookId: delivery.webhookId!, status: response.status, body: (await response.json()) as { status?: string } };
  };
  const rows = <T>(sql: string, params: (string | number)[] = []) => database.db.raw.all<T>(sql, params);

  it("applies every order once when each delivery reaches both processes and each order comes under two webhook ids", async () => {
    const customers = await Promise.all(Array.from({ length: CUSTOMERS }, () => shop.shopper(0)));
    const orders = Array.from({ length: ORDERS }, (_, i) => orderPayload({ customerId: Number(customers[i % CUSTOMERS].customerId) }));
    const deliveries = orders.flatMap((order) =>
      [randomUUID(), randomUUID()].map((webhookId): WebhookDelivery => ({ topic: "orders/paid", shop: SHOP, payload: order, webhookId })),
    );
    // Opposite orders, so the two processes' batches meet on the same receipts, orders and members.
    const answers = await Promise.all([
      ...deliveries.map((delivery) => deliver(apps[0], delivery)),
      ...[...deliveries].reverse().map((delivery) => deliver(apps[1], delivery)),
    ]);

    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    // Each webhook id applied by exactly one process; the other heard "duplicate".
    for (const delivery of deliveries) {
      const statuses = answers.filter((answer) => answer.webhookId === delivery.webhookId).map((answer) => answer.body.status);
      expect(statuses.sort()).toEqual(["applied", "duplicate"]);
    }
    const earned = await rows<{ source_key: string; n: number }>(
      `SELECT "source_key", COUNT(*) AS "n" FROM "ledger_entries" WHERE "shop" = ? AND "kind" = 'earned' GROUP BY "source_key"`,
      [SHOP],
    );
    expect(earned.map((entry) => entry.source_key).sort()).toEqual(orders.map((order) => `order:${order.id}:earn`).sort());
    expect(earned.every((entry) => entry.n === 1)).toBe(true);
    const receipts = await rows<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "webhook_receipts" WHERE "shop" = ?`, [SHOP]);
    expect(receipts[0].n).toBe(2 * ORDERS);
  }, 30_000);

  it("lets one member redeem through both processes at once only as often as the balance allows", async () => {
    const shopper = await shop.shopper(5_250);
    const rewardId = await shop.rewardCosting(500);
    const redeem = (app: AppProcess) => {
      const query = signProxyQuery({
        shop: SHOP,
        logged_in_customer_id: shopper.customerId,
        path_prefix: "/apps/loyalty",
        timestamp: String(Math.floor(Date.now() / 1000)),
      });
      return fetch(`${app.origin}/proxy/redemptions?${query}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ rewardId, idempotencyKey: randomUUID() }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as { error?: string } }));
    };
    const answers = await Promise.all(Array.from({ length: 32 }, (_, i) => redeem(apps[i % 2])));

    const made = answers.filter((answer) => answer.status === 201);
    expect(made).toHaveLength(Math.floor(5_250 / 500));
    expect(answers.filter((answer) => answer.status !== 201).map((answer) => answer.body.error)).toEqual(Array(32 - made.length).fill("insufficient_points"));
    const [member] = await rows<{ balance: number }>(`SELECT "balance" FROM "members" WHERE "id" = ?`, [shopper.id]);
    expect(member.balance).toBe(250);
    const codes = shop.discounts().filter((discount) => discount.customerIds?.includes(Number(shopper.customerId)));
    expect(codes).toHaveLength(made.length);
  }, 30_000);

  it("has the job workers of both processes expire each code once and bring every balance to Shopify", async () => {
    // The codes of the previous test expire now: their expiry jobs fall due in both workers.
    const expiring = await rows<{ id: number }>(`SELECT "id" FROM "redemptions" WHERE "shop" = ? AND "status" = 'issued'`, [SHOP]);
    expect(expiring.length).toBeGreaterThan(0);
    await database.db.raw.run(`UPDATE "jobs" SET "run_at" = ? WHERE "shop" = ? AND "kind" = 'redemption.expire'`, [new Date().toISOString(), SHOP]);

    const settled = async () => {
      const open = await rows<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "jobs" WHERE "shop" = ? AND "done_at" IS NULL AND "run_at" <= ?`, [
        SHOP,
        new Date().toISOString(),
      ]);
      const behind = await rows<{ n: number }>(
        `SELECT COUNT(*) AS "n" FROM "members" WHERE "shop" = ? AND ("synced_points" IS NULL OR "synced_points" <> "balance")`,
        [SHOP],
      );
      return open[0].n + behind[0].n === 0;
    };
    for (let waited = 0; !(await settled()); waited += 200) {
      if (waited > 20_000) throw new Error(`jobs still due after 20 s:\n${apps.map((app) => app.output()).join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // Each expiry job claimed once (a second claim would count a second attempt), each code's points back once.
    const jobs = await rows<{ job_key: string; attempts: number; failed_at: string | null }>(
      `SELECT "job_key", "attempts", "failed_at" FROM "jobs" WHERE "shop" = ? AND "kind" = 'redemption.expire'`,
      [SHOP],
    );
    expect(jobs.map((job) => job.job_key).sort()).toEqual(expiring.map((row) => `redemption:${row.id}:expire`).sort());
    expect(jobs.filter((job) => job.attempts !== 1 || job.failed_at !== null)).toEqual([]);
    const returned = await rows<{ source_key: string; n: number }>(
      `SELECT "source_key", COUNT(*) AS "n" FROM "ledger_entries" WHERE "shop" = ? AND "kind" = 'redemption_returned' GROUP BY "source_key"`,
      [SHOP],
    );
    expect(returned.map((entry) => entry.source_key).sort()).toEqual(expiring.map((row) => `redemption:${row.id}:returned`).sort());
    expect(returned.every((entry) => entry.n === 1)).toBe(true);
    const statuses = await rows<{ status: string }>(`SELECT DISTINCT "status" FROM "redemptions" WHERE "shop" = ?`, [SHOP]);
    expect(statuses).toEqual([{ status: "expired" }]);
    expect(shop.discounts()).toHaveLength(0);

    // Shopify's copy of every balance (the customer metafield) is the balance.
    const members = await rows<{ customer_id: string; balance: number }>(`SELECT "customer_id", "balance" FROM "members" WHERE "shop" = ?`, [SHOP]);
    const metafields = simulator.store.shop(SHOP).metafields;
    for (const member of members) {
      const points = metafields.find((m) => m.ownerId === `gid://shopify/Customer/${member.customer_id}` && m.key === "points");
      expect(points?.value, member.customer_id).toBe(String(member.balance));
    }
  }, 30_000);
  it("moves one member up through the tiers once when both processes apply that member's orders at once", async () => {
    const tier = (rank: number, threshold: number, name: string) => ({
      rank,
      threshold,
      names: { en: name },
      ...TIER_WITHOUT_PERKS,
      entryBonusPoints: 10 * rank,
    });
    await saveTierProgram(
      database.db,
      SHOP,
      {
        enabled: true,
        basis: "orders",
        period: { kind: "lifetime" },
        retention: "period_and_next",
        adjustmentsCount: false,
        tagPrefix: null,
        tiers: [tier(1, 2, "Silver"), tier(2, 5, "Gold")],
      },
      new Date().toISOString(),
    );
    const shopper = await shop.shopper(0);
    const orders = Array.from({ length: 8 }, () => orderPayload({ customerId: Number(shopper.customerId) }));
    // Every order reaches both processes, under two webhook ids, in opposite orders.
    const deliveries = orders.flatMap((order) =>
      [randomUUID(), randomUUID()].map((webhookId): WebhookDelivery => ({ topic: "orders/paid", shop: SHOP, payload: order, webhookId })),
    );
    const answers = await Promise.all([
      ...deliveries.map((delivery, i) => deliver(apps[i % 2], delivery)),
      ...[...deliveries].reverse().map((delivery, i) => deliver(apps[(i + 1) % 2], delivery)),
    ]);
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);

    const [member] = await rows<{ tier_total: number | string; names: string }>(
      `SELECT m."tier_total", t."names" FROM "members" m JOIN "tiers" t ON t."id" = m."tier_id" WHERE m."id" = ?`,
      [shopper.id],
    );
    expect({ total: Number(member.tier_total), tier: JSON.parse(member.names).en }).toEqual({ total: 8, tier: "Gold" });
    // One history entry per step, in a chain, and each tier's entry bonus once.
    const changes = await rows<{ from_tier_id: number | null; to_tier_id: number | null; reason: string }>(
      `SELECT "from_tier_id", "to_tier_id", "reason" FROM "tier_changes" WHERE "member_id" = ? ORDER BY "id"`,
      [shopper.id],
    );
    expect(changes.map((change) => change.reason)).toEqual(["qualified", "qualified"]);
    expect(changes[0].from_tier_id).toBeNull();
    expect(changes[1].from_tier_id).toBe(changes[0].to_tier_id);
    const bonuses = await rows<{ delta: number }>(`SELECT "delta" FROM "ledger_entries" WHERE "member_id" = ? AND "kind" = 'tier_bonus' ORDER BY "id"`, [
      shopper.id,
    ]);
    expect(bonuses.map((bonus) => bonus.delta)).toEqual([10, 20]);
  }, 30_000);
});
