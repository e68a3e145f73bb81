import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { runDueJobs } from "../../app/jobs/queue.server";
import { jobHandlers } from "../../app/runtime.server";
import { startAppServer } from "./app-server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./database";
import { signProxyQuery } from "./signing";

// The setting of the ways-to-earn tests: the app's real server over a fresh database, its clock
// in the test's hands, and one freshly installed shop per test (rules and campaigns are per shop).

export interface RuleSpec {
  kind: string;
  status?: "live" | "dry_run" | "off";
  points?: number;
  pointsPerCurrencyUnit?: number | null;
  everyNth?: number | null;
  limit?: { count: number; period: string } | null;
  settings?: Record<string, unknown>;
}

export interface CampaignSpec {
  name?: string;
  status?: "live" | "dry_run" | "off";
  startsAt: string;
  endsAt: string;
  multiplierPercent?: number | null;
  bonusPoints?: number | null;
  productIds?: string[];
}

export interface ShopSettings {
  minimumOrderMinor?: number;
  excludedProductIds?: string[];
  excludedCustomerTags?: string[];
  pendingDays?: number;
  timeZone?: string;
}

export interface LedgerRow {
  delta: number;
  kind: string;
  source_key: string;
  rule_id: number | null;
  campaign_id: number | null;
  breakdown: string | null;
}

let shops = 0;

/** The query the app proxy signs for a logged-in customer (its timestamp is real time: the signature's age is checked against it). */
const proxyQuery = (shop: string, customerId: number | string) =>
  signProxyQuery({ shop, logged_in_customer_id: String(customerId), path_prefix: "/apps/loyalty", timestamp: String(Math.floor(Date.now() / 1000)) });

export function useEarningApp(start = "2026-12-02T12:00:00.000Z") {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof startAppServer>>;
  let now = new Date(start);
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startAppServer(database, undefined, { clock: () => now });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });
  afterEach(async () => {
    expect(await ledgerMismatches(database.db)).toEqual([]);
    now = new Date(start);
  });

  const db = () => database.db;

  return {
    get db() {
      return database.db;
    },
    get origin() {
      return app.origin;
    },
    /** Sets what the app takes as now. */
    at(iso: string) {
      now = new Date(iso);
    },
    /** A new installed shop (its purchase rule: 1 point per unit of currency) with these order settings. */
    async shop(settings: ShopSettings = {}) {
      const shop = `earn-${++shops}-${Date.now()}.myshopify.com`;
      await installShop(db(), shop);
      await db()
        .query.updateTable("shops")
        .set({
          minimum_order_minor: settings.minimumOrderMinor ?? 0,
          excluded_product_ids: JSON.stringify(settings.excludedProductIds ?? []),
          excluded_customer_tags: JSON.stringify(settings.excludedCustomerTags ?? []),
          pending_days: settings.pendingDays ?? 0,
          time_zone: settings.timeZone ?? "UTC",
        })
        .where("domain", "=", shop)
        .execute();
      return shop;
    },
    async purchaseRuleOf(shop: string) {
      return (await db().query.selectFrom("earning_rules").select("id").where("shop", "=", shop).where("kind", "=", "purchase").executeTakeFirstOrThrow()).id;
    },
    async addRule(shop: string, spec: RuleSpec) {
      const at = new Date().toISOString();
      const row = await db()
        .query.insertInto("earning_rules")
        .values({
          shop,
          kind: spec.kind as never,
          status: spec.status ?? "live",
          points: spec.points ?? 0,
          points_per_currency_unit: spec.pointsPerCurrencyUnit ?? null,
          every_nth: spec.everyNth ?? null,
          limit_count: spec.limit?.count ?? null,
          limit_period: spec.limit?.period ?? null,
          settings: JSON.stringify(spec.settings ?? {}),
          created_at: at,
          updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async updateRule(id: number, spec: Partial<RuleSpec>) {
      await db()
        .query.updateTable("earning_rules")
        .set({
          ...(spec.points !== undefined ? { points: spec.points } : {}),
          ...(spec.pointsPerCurrencyUnit !== undefined ? { points_per_currency_unit: spec.pointsPerCurrencyUnit } : {}),
          ...(spec.status !== undefined ? { status: spec.status } : {}),
          ...(spec.limit !== undefined ? { limit_count: spec.limit?.count ?? null, limit_period: spec.limit?.period ?? null } : {}),
          updated_at: new Date().toISOString(),
        })
        .where("id", "=", id)
        .execute();
    },
    async addCampaign(shop: string, spec: CampaignSpec) {
      const at = new Date().toISOString();
      const row = await db()
        .query.insertInto("campaigns")
        .values({
          shop,
          name: spec.name ?? "Bonus",
          status: spec.status ?? "live",
          starts_at: spec.startsAt,
          ends_at: spec.endsAt,
          multiplier_percent: spec.multiplierPercent ?? null,
          bonus_points: spec.bonusPoints ?? null,
          product_ids: JSON.stringify(spec.productIds ?? []),
          created_at: at,
          updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },
    deliver(shop: string, topic: string, payload: unknown, webhookId?: string) {
      return app.deliver({ topic, shop, payload, webhookId });
    },
    async entries(shop: string, customerId: number | string): Promise<LedgerRow[]> {
      return db().raw.all<LedgerRow>(
        `SELECT e."delta", e."kind", e."source_key", e."rule_id", e."campaign_id", e."breakdown" FROM "ledger_entries" e
         JOIN "members" m ON m."id" = e."member_id" WHERE m."shop" = ? AND m."customer_id" = ? ORDER BY e."id"`,
        [shop, String(customerId)],
      );
    },
    async member(shop: string, customerId: number | string) {
      return db().raw.get<{ id: number; balance: number; qualifying_orders: number; pending_points: string }>(
        `SELECT "id", "balance", "qualifying_orders", "pending_points" FROM "members" WHERE "shop" = ? AND "customer_id" = ?`,
        [shop, String(customerId)],
      );
    },
    async balance(shop: string, customerId: number | string) {
      return (await this.member(shop, customerId))?.balance ?? 0;
    },
    /** GET /proxy/customer, signed as the app proxy signs it for a logged-in customer. */
    async shopperRead(shop: string, customerId: number | string) {
      const query = proxyQuery(shop, customerId);
      const response = await fetch(`${app.origin}/proxy/customer?${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as {
        points: number;
        pendingPoints: { points: number; availableOn: string }[];
        waysToEarn: { id: number; kind: string; done: boolean; progress?: { done: number; of: number } }[];
      };
    },
    /** POST /proxy/redemptions for a logged-in customer. */
    async redeem(shop: string, customerId: number | string, rewardId: number) {
      const query = proxyQuery(shop, customerId);
      const response = await fetch(`${app.origin}/proxy/redemptions?${query}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ rewardId, idempotencyKey: `key-${Date.now()}-${Math.random()}` }),
      });
      return { status: response.status, body: (await response.json()) as { error?: string } };
    },
    /** One run of the job worker at an instant, as a named worker. */
    runJobs(iso: string, worker = "worker-a") {
      return runDueJobs(database.db, jobHandlers({ sessions: database.sessions }), { now: new Date(iso), worker });
    },
  };
}
