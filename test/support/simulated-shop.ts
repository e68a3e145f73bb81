import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startSimulator, type RunningSimulator } from "../../simulator/server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./database";
import { createMember, recordEntry } from "./members";
import { loadRemixApp, TEST_APP_URL } from "./remix-app";
import { TEST_API_KEY, TEST_API_SECRET } from "./signing";

/**
 * A shop in the simulator with the app installed, the same shop in the app's database (its
 * offline token the simulator's), and two rewards: 500 points for 5 off, 2000 for 20 off.
 * `tokenFor` signs a session token for one of its customers, as the surface under test would.
 */
export async function simulatedShop(
  database: TestDatabase,
  simulator: RunningSimulator,
  shop: string,
  tokenFor: (claims: { shop: string; customerId: string }) => string,
) {
  const control = async (path: string, body: unknown = {}) =>
    (await (
      await fetch(`${simulator.url}/control/shops/${shop}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      })
    ).json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  await control("", { currency: "USD" });
  const { access_token: token } = await control("/install");
  await installShop(database.db, shop);
  await database.db.raw.run('UPDATE "Session" SET "accessToken" = ? WHERE "shop" = ?', [token, shop]);
  const now = new Date().toISOString();
  await database.db.raw.run(
    `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "code_lifetime_days", "created_at", "updated_at")
     VALUES (?, '5 off your order', 'fixed_amount', 500, 500, 30, ?, ?), (?, '20 off your order', 'fixed_amount', 2000, 2000, 30, ?, ?)`,
    [shop, now, now, shop, now, now],
  );
  return {
    /** A shopper known to Shopify and to the app, with some points. */
    async shopper(points: number) {
      const customerId = String((await control("/customers", { email: `${randomUUID()}@example.com` })).result.id);
      const member = await createMember(database.db, shop, { customerId });
      if (points) await recordEntry(database.db, shop, member.id, points);
      return { ...member, token: () => tokenFor({ shop, customerId }) };
    },
    discounts: () => [...simulator.store.shop(shop).discounts.values()],
    /** Adds a reward row with these columns (a 30-day code life unless given); its id. */
    async addReward(columns: Record<string, string | number | null>) {
      const at = new Date().toISOString();
      const row = { shop, name: "Reward", code_lifetime_days: 30, created_at: at, updated_at: at, ...columns };
      const names = Object.keys(row);
      const inserted = await database.db.raw.get<{ id: number }>(
        `INSERT INTO "rewards" (${names.map((n) => `"${n}"`).join(", ")}) VALUES (${names.map(() => "?").join(", ")}) RETURNING "id"`,
        Object.values(row),
      );
      return inserted!.id;
    },
    /** The id of this shop's reward with the given cost. */
    rewardCosting: async (pointsCost: number) =>
      (await database.db.raw.get<{ id: number }>('SELECT "id" FROM "rewards" WHERE "shop" = ? AND "points_cost" = ?', [shop, pointsCost]))!.id,
  };
}

const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
const BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

export interface ExtensionApiFixture {
  database: TestDatabase;
  simulator: RunningSimulator;
  app: Awaited<ReturnType<typeof loadRemixApp>>;
  shop: Awaited<ReturnType<typeof simulatedShop>>;
  other: Awaited<ReturnType<typeof simulatedShop>>;
  /** A request from an extension (its origin, a browser's user agent, the token as Bearer). */
  call(
    path: string,
    options?: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; cors: string | null; headers: Headers; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * The setting of an extension backend test file: a database, the simulator as the Admin API,
 * two simulated shops with the app installed, and the production build over them. After each
 * test every balance must equal its ledger.
 */
export function useExtensionApi(shops: [string, string], tokenFor: Parameters<typeof simulatedShop>[3]): ExtensionApiFixture {
  const fixture = {} as ExtensionApiFixture;
  const saved = { ...process.env };
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    // Nothing listens at TEST_APP_URL: webhooks are not delivered, the tests write what they would have.
    fixture.simulator = await startSimulator({
      appUrl: TEST_APP_URL,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      awaitDeliveries: false,
      retryScheduleMs: [],
    });
    // The app's Admin client talks to the simulator (the switch needs loopback URLs).
    Object.assign(process.env, { LOYALTY_SIMULATOR: "1", SHOPIFY_ADMIN_API_ORIGIN: fixture.simulator.url });
    fixture.shop = await simulatedShop(fixture.database, fixture.simulator, shops[0], tokenFor);
    fixture.other = await simulatedShop(fixture.database, fixture.simulator, shops[1], tokenFor);
    fixture.app = await loadRemixApp(fixture.database.url);
  }, 120_000);
  afterAll(async () => {
    await fixture.app?.close();
    await fixture.simulator?.close();
    await fixture.database?.drop();
    process.env = saved;
  });
  afterEach(async () => {
    expect(await ledgerMismatches(fixture.database.db)).toEqual([]);
  });
  fixture.call = async (path, { token, method = "GET", body, headers: extra = {} } = {}) => {
    const headers: Record<string, string> = { Origin: EXTENSION_ORIGIN, "User-Agent": BROWSER, ...extra };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fixture.app.handle(
      new Request(new URL(path, TEST_APP_URL), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
    );
    const text = await response.text();
    return {
      status: response.status,
      cors: response.headers.get("access-control-allow-origin"),
      headers: response.headers,
      body: text ? JSON.parse(text) : null,
    };
  };
  return fixture;
}
