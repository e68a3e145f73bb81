import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, SqlValue } from "../app/db/types";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { startAppServer } from "./support/app-server";
import { createMember, recordEntry } from "./support/members";
import { checkoutSessionToken, customerAccountSessionToken } from "./support/remix-app";
import { signProxyQuery, TEST_API_KEY, TEST_API_SECRET } from "./support/signing";

// The shopper reads as the app's own HTTP server sends them (the production path, not the Fetch
// adapter the other shopper tests use): the exact bytes of each body, key order included, the
// headers, every refusal status, and a catalogue or currency change seen on the very next read
// whoever wrote it.

const SHOP = "bytes-test.myshopify.com";
const GONE = "bytes-gone.myshopify.com";
let database: TestDatabase;
let server: Awaited<ReturnType<typeof startAppServer>>;
/** Every statement the app's server sent to the database, in order. */
const statements: string[] = [];
let member: { id: number; customerId: string };
let rewardIds: { fixed: number; variable: number; off: number };

const insertReward = async (values: {
  name: string;
  kind: string;
  cost: number;
  value: number;
  percent?: number;
  min?: number | null;
  max?: number | null;
  enabled?: boolean;
}) => {
  const now = new Date().toISOString();
  const row = await database.db.raw.get<{ id: number }>(
    `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "percent_off", "min_amount_minor", "max_amount_minor", "enabled", "created_at", "updated_at")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
    [SHOP, values.name, values.kind, values.cost, values.value, values.percent ?? 0, values.min ?? null, values.max ?? null, values.enabled ?? true, now, now],
  );
  return row!.id;
};

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await installShop(database.db, GONE);
  await database.db.raw.run(`UPDATE "shops" SET "uninstalled_at" = ? WHERE "domain" = ?`, [new Date().toISOString(), GONE]);
  member = await createMember(database.db, SHOP);
  await recordEntry(database.db, SHOP, member.id, 800, { at: new Date("2026-11-01T10:00:00.000Z") });
  await recordEntry(database.db, SHOP, member.id, -150, { kind: "manual_adjustment", at: new Date("2026-11-02T10:00:00.000Z") });
  rewardIds = {
    fixed: await insertReward({ name: "$5 off", kind: "fixed_amount", cost: 500, value: 500 }),
    variable: await insertReward({ name: "Pick an amount", kind: "variable", cost: 100, value: 100, min: 500, max: 5000 }),
    off: await insertReward({ name: "Hidden", kind: "fixed_amount", cost: 10, value: 10, enabled: false }),
  };
  const counted: Database = {
    ...database.db,
    raw: {
      ...database.db.raw,
      execute: <T>(sql: string, params?: readonly SqlValue[]) => {
        statements.push(sql);
        return database.db.raw.execute<T>(sql, params);
      },
    },
  };
  server = await startAppServer({ ...database, db: counted });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await database?.drop();
});

const proxyQuery = (overrides: Record<string, string> = {}) =>
  signProxyQuery({
    shop: SHOP,
    logged_in_customer_id: member.customerId,
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
    ...overrides,
  });

async function send(path: string, init: RequestInit = {}) {
  const response = await fetch(`${server.origin}${path}`, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}
const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

/** The catalogue as every shopper read shows it for a balance of 650, in the order the keys are sent. */
const catalogueFor650 = () => [
  { id: rewardIds.fixed, name: "$5 off", kind: "fixed_amount", pointsCost: 500, valueMinor: 500, pointsNeeded: 500, affordable: true },
  {
    id: rewardIds.variable,
    name: "Pick an amount",
    kind: "variable",
    pointsCost: 100,
    valueMinor: 100,
    minAmountMinor: 500,
    maxAmountMinor: 5000,
    maxAffordableMinor: 600,
    pointsNeeded: 500,
    affordable: true,
  },
];

describe("the shopper reads over the app's HTTP server", () => {
  /** The shop's one way to earn (the purchase rule installShop gives it), no pending points, no campaign, no expiry. */
  const purchaseWayToEarn = async () => {
    const [rule] = await database.db.raw.all<{ id: number }>(`SELECT "id" FROM "earning_rules" WHERE "shop" = ?`, [SHOP]);
    return {
      waysToEarn: [{ id: rule.id, kind: "purchase", title: "Purchase", points: 0, done: false, claimable: false, content: {}, pointsPerCurrencyUnit: 1 }],
      pendingPoints: [],
      campaigns: [],
      expiryPolicy: null,
      pointsExpiring: null,
      // No referral program in this shop.
      referral: null,
    };
  };

  it("GET /proxy/customer sends the points, rewards, activity and birthday, byte for byte", async () => {
    const response = await send(`/proxy/customer?${proxyQuery()}`);
    expect(response.status).toBe(200);
    const entries = await database.db.raw.all<{ id: number }>(`SELECT "id" FROM "ledger_entries" WHERE "member_id" = ? ORDER BY "id" DESC`, [member.id]);
    expect(response.text).toBe(
      JSON.stringify({
        customerId: member.customerId,
        points: 650,
        currency: "USD",
        currencyDecimals: 2,
        rewards: catalogueFor650(),
        // No VIP tiers in this shop.
        tier: null,
        nextTier: null,
        ...(await purchaseWayToEarn()),
        activity: [
          { id: entries[0].id, kind: "manual_adjustment", delta: -150, createdAt: "2026-11-02T10:00:00.000Z", note: null },
          { id: entries[1].id, kind: "earned", delta: 800, createdAt: "2026-11-01T10:00:00.000Z", note: null },
        ],
        birthday: null,
      }),
    );
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(response.text)));
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it.each([
    ["checkout", "/api/checkout/rewards", checkoutSessionToken],
    ["customer account", "/api/customer-account/rewards", customerAccountSessionToken],
  ])("GET %s rewards sends the points and the catalogue, byte for byte, with CORS headers", async (_surface, path, tokenFor) => {
    const response = await send(path, bearer(tokenFor({ shop: SHOP, customerId: member.customerId })));
    expect(response.status).toBe(200);
    expect(response.text).toBe(
      JSON.stringify({
        customerId: member.customerId,
        points: 650,
        currency: "USD",
        currencyDecimals: 2,
        rewards: catalogueFor650(),
        // No VIP tiers in this shop.
        tier: null,
        nextTier: null,
        ...(await purchaseWayToEarn()),
      }),
    );
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  it("reads the shop and the member in one statement, the storefront's activity in a second, the catalogue only when it changed", async () => {
    const checkoutToken = () => bearer(checkoutSessionToken({ shop: SHOP, customerId: member.customerId }));
    await send("/api/checkout/rewards", checkoutToken());
    const sent = async (path: string, init?: RequestInit) => {
      statements.length = 0;
      expect((await send(path, init)).status).toBe(200);
      return statements.map((sql) => /from "(\w+)"/i.exec(sql)?.[1]);
    };
    expect(await sent("/api/checkout/rewards", checkoutToken())).toEqual(["shops"]);
    expect(await sent("/api/customer-account/rewards", bearer(customerAccountSessionToken({ shop: SHOP, customerId: member.customerId })))).toEqual(["shops"]);
    expect(await sent(`/proxy/customer?${proxyQuery()}`)).toEqual(["shops", "ledger_entries"]);
    await database.db.raw.run(`UPDATE "rewards" SET "name" = "name" WHERE "id" = ?`, [rewardIds.fixed]);
    expect(await sent("/api/checkout/rewards", checkoutToken())).toEqual(["shops", "rewards"]);
    expect(await sent("/api/checkout/rewards", checkoutToken())).toEqual(["shops"]);
  });

  it("a shop running referrals: the member's code made on the first read, then one indexed read of their referrals", async () => {
    const shop = "bytes-referrals.myshopify.com";
    await installShop(database.db, shop);
    await database.db.raw.run(`INSERT INTO "referral_programs" ("shop", "enabled", "referrer_points", "updated_at") VALUES (?, ?, 500, ?)`, [
      shop,
      true,
      new Date().toISOString(),
    ]);
    const referrer = await createMember(database.db, shop);
    const token = () => bearer(checkoutSessionToken({ shop, customerId: referrer.customerId }));
    const first = JSON.parse((await send("/api/checkout/rewards", token())).text);
    expect(first.referral).toEqual({
      code: first.referral.code,
      url: `https://${shop}/apps/loyalty/r/${first.referral.code}`,
      friendsReferred: 0,
      rewardsEarned: 0,
      pending: [],
    });
    statements.length = 0;
    const again = JSON.parse((await send("/api/checkout/rewards", token())).text);
    expect(again.referral.code).toBe(first.referral.code);
    expect(statements.map((sql) => /from "(\w+)"/i.exec(sql)?.[1])).toEqual(["shops", "referrals"]);
  });

  it("answers a customer the shop has never seen with no points and no activity", async () => {
    const stranger = "4400000000001";
    const proxy = await send(`/proxy/customer?${proxyQuery({ logged_in_customer_id: stranger })}`);
    const body = JSON.parse(proxy.text);
    expect(body).toMatchObject({ customerId: stranger, points: 0, activity: [], birthday: null });
    expect(body.rewards.map((r: { affordable: boolean }) => r.affordable)).toEqual([false, false]);
    const checkout = await send("/api/checkout/rewards", bearer(checkoutSessionToken({ shop: SHOP, customerId: stranger })));
    expect(JSON.parse(checkout.text)).toMatchObject({ customerId: stranger, points: 0 });
  });

  it("shows a catalogue or currency change on the next read, also when it was written outside the app", async () => {
    const read = async () =>
      JSON.parse((await send("/api/customer-account/rewards", bearer(customerAccountSessionToken({ shop: SHOP, customerId: member.customerId })))).text);
    expect((await read()).rewards).toHaveLength(2);
    await database.db.raw.run(`UPDATE "rewards" SET "points_cost" = 700 WHERE "id" = ?`, [rewardIds.fixed]);
    expect((await read()).rewards.map((r: { pointsCost: number; affordable: boolean }) => [r.pointsCost, r.affordable])).toEqual([
      [100, true],
      [700, false],
    ]);
    await database.db.raw.run(`UPDATE "rewards" SET "enabled" = ? WHERE "id" = ?`, [true, rewardIds.off]);
    expect((await read()).rewards.map((r: { id: number }) => r.id)).toEqual([rewardIds.off, rewardIds.variable, rewardIds.fixed]);
    await database.db.raw.run(`UPDATE "rewards" SET "enabled" = ? WHERE "id" = ?`, [false, rewardIds.off]);
    await database.db.raw.run(`UPDATE "rewards" SET "points_cost" = 500 WHERE "id" = ?`, [rewardIds.fixed]);
    expect((await read()).rewards).toEqual(catalogueFor650());
    await database.db.raw.run(`UPDATE "shops" SET "currency_code" = 'JPY' WHERE "domain" = ?`, [SHOP]);
    expect(await read()).toMatchObject({ currency: "JPY", currencyDecimals: 0 });
    await database.db.raw.run(`UPDATE "shops" SET "currency_code" = 'USD' WHERE "domain" = ?`, [SHOP]);
  });

  it.each([
    ["an unsigned proxy request", () => `/proxy/customer?shop=${SHOP}&logged_in_customer_id=1&timestamp=${Math.floor(Date.now() / 1000)}`, 401, "unauthorized"],
    ["a proxy request signed 91 s ago", () => `/proxy/customer?${proxyQuery({ timestamp: String(Math.floor(Date.now() / 1000) - 91) })}`, 401, "unauthorized"],
    ["a guest on the storefront", () => `/proxy/customer?${proxyQuery({ logged_in_customer_id: "" })}`, 401, "not_logged_in"],
    ["a shop that uninstalled the app", () => `/proxy/customer?${proxyQuery({ shop: GONE })}`, 404, "not_installed"],
    ["a shop that never installed it", () => `/proxy/customer?${proxyQuery({ shop: "nobody.myshopify.com" })}`, 404, "not_installed"],
  ])("answers %s with its refusal", async (_name, path, status, error) => {
    const response = await send(path());
    expect(response.status).toBe(status);
    expect(JSON.parse(response.text)).toMatchObject({ ok: false, error, messageKey: `errors.${error}` });
  });

  it("answers the wrong method on the storefront 405 before checking the signature", async () => {
    const response = await send(`/proxy/customer?${proxyQuery()}`, { method: "POST", body: "{}" });
    expect(response.status).toBe(405);
    expect(JSON.parse(response.text)).toMatchObject({ error: "method_not_allowed", message: "use GET" });
  });

  const token = (claims: Record<string, unknown>, { secret = TEST_API_SECRET, header = { alg: "HS256", typ: "JWT" } } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${encode(header)}.${encode({ dest: `https://${SHOP}`, sub: `gid://shopify/Customer/${member.customerId}`, aud: TEST_API_KEY, exp: now + 60, nbf: now - 5, iat: now - 5, jti: randomUUID(), ...claims })}`;
    return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
  };
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ["a token signed with another secret", () => token({}, { secret: "not-the-secret" }), 401, "unauthorized"],
    ["a token that expired 11 s ago", () => token({ exp: now() - 11 }), 401, "unauthorized"],
    ["a token valid only from 11 s from now", () => token({ nbf: now() + 11 }), 401, "unauthorized"],
    ["a token for another app", () => token({ aud: "someone-elses-app" }), 401, "unauthorized"],
    ["a token that is not HS256", () => token({}, { header: { alg: "HS512", typ: "JWT" } }), 401, "unauthorized"],
    ["a token whose exp is not a number", () => token({ exp: String(now() + 60) }), 401, "unauthorized"],
    ["a token naming no shop", () => token({ dest: "https://example.com" }), 401, "unauthorized"],
    ["a token naming no customer", () => token({ sub: "gid://shopify/StaffMember/1" }), 401, "unauthorized"],
    ["a guest's token", () => token({ sub: undefined }), 401, "not_logged_in"],
    ["an uninstalled shop's token", () => token({ dest: `https://${GONE}` }), 404, "not_installed"],
    ["no token", () => "", 401, "unauthorized"],
    ["a token that is not a JWT", () => "abc.def", 401, "unauthorized"],
  ])("answers %s with its refusal and CORS headers", async (_name, tokenFor, status, error) => {
    const value = tokenFor();
    const response = await send("/api/checkout/rewards", value ? bearer(value) : {});
    expect(response.status).toBe(status);
    expect(JSON.parse(response.text)).toMatchObject({ ok: false, error });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("accepts a token within the 10 s leeway on either side", async () => {
    for (const claims of [{ exp: now() - 5 }, { nbf: now() + 5 }]) {
      expect((await send("/api/checkout/rewards", bearer(token(claims)))).status).toBe(200);
    }
  });

  it("answers the extension preflight 204 with CORS headers and no body", async () => {
    const response = await send("/api/checkout/rewards", { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    expect(response.headers.get("access-control-max-age")).toBe("7200");
  });
});
