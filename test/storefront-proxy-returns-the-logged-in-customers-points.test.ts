import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBirthday } from "../app/domain/birthday";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { createMember, recordEntry } from "./support/members";
import { loadRemixApp, TEST_APP_URL } from "./support/remix-app";
import { signProxyQuery } from "./support/signing";

const SHOP = "proxy-test.myshopify.com";
const OTHER = "proxy-other.myshopify.com";
let database: TestDatabase;
let app: Awaited<ReturnType<typeof loadRemixApp>>;
let customerId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await installShop(database.db, OTHER);
  const member = await createMember(database.db, SHOP);
  customerId = member.customerId;
  await recordEntry(database.db, SHOP, member.id, 420);
  app = await loadRemixApp(database.url);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database.drop();
});

const now = () => String(Math.floor(Date.now() / 1000));
const proxyParams = (overrides: Record<string, string> = {}) => ({
  shop: SHOP,
  logged_in_customer_id: customerId,
  path_prefix: "/apps/loyalty",
  timestamp: now(),
  ...overrides,
});
const get = async (query: URLSearchParams | string, method = "GET") => {
  const response = await app.handle(new Request(`${TEST_APP_URL}/proxy/customer?${query}`, { method }));
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
};

describe("GET /proxy/customer", () => {
  it("returns the logged-in customer's points and recent activity as JSON", async () => {
    const response = await get(signProxyQuery(proxyParams()));
    expect(response).toMatchObject({ status: 200, body: { customerId, points: 420, activity: [{ kind: "earned", delta: 420, note: null }] } });
    expect(response.type).toMatch(/application\/json/);
  });

  it("answers 401 JSON when no customer is logged in", async () => {
    expect(await get(signProxyQuery(proxyParams({ logged_in_customer_id: "" })))).toMatchObject({
      status: 401,
      body: { error: "not_logged_in" },
    });
  });

  it("answers 401 to an unsigned request", async () => {
    expect((await get(new URLSearchParams(proxyParams()))).status).toBe(401);
  });

  it("answers 401 when the customer id was changed after signing", async () => {
    const query = signProxyQuery(proxyParams());
    query.set("logged_in_customer_id", "1");
    expect(await get(query)).toMatchObject({ status: 401, body: { error: "unauthorized" } });
  });

  it("answers 401 to a signature made with another secret", async () => {
    expect((await get(signProxyQuery(proxyParams(), "someone-elses-secret"))).status).toBe(401);
  });

  it("answers 401 to a stale signature (replayed after 90 seconds)", async () => {
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    expect(await get(signProxyQuery(proxyParams({ timestamp: stale })))).toMatchObject({
      status: 401,
      body: { message: "signature has expired" },
    });
  });

  it("never shows one shop's points to another shop's storefront", async () => {
    expect(await get(signProxyQuery(proxyParams({ shop: OTHER })))).toMatchObject({ status: 200, body: { points: 0 } });
  });

  it("answers 404 for a shop that has not installed the app", async () => {
    expect((await get(signProxyQuery(proxyParams({ shop: "nobody.myshopify.com" })))).status).toBe(404);
  });
});

describe("POST /proxy/birthday", () => {
  const post = async (params: Record<string, string>, body: unknown) => {
    const response = await app.handle(
      new Request(`${TEST_APP_URL}/proxy/birthday?${signProxyQuery(proxyParams(params))}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    return { status: response.status, body: await response.json() };
  };

  it("saves the birthday once; the same date again is harmless, another date is refused", async () => {
    expect(await post({}, { month: "3", day: "12" })).toMatchObject({ status: 200, body: { ok: true, birthday: "03-12" } });
    expect(await post({}, { month: 3, day: 12 })).toMatchObject({ status: 200, body: { birthday: "03-12" } });
    expect(await post({}, { month: "4", day: "1" })).toMatchObject({ status: 409, body: { error: "birthday_already_set" } });
    expect((await get(signProxyQuery(proxyParams()))).body).toMatchObject({ birthday: "03-12" });
  });

  it("refuses a date that does not exist, and a guest", async () => {
    expect(await post({}, { month: "2", day: "30" })).toMatchObject({ status: 422, body: { error: "invalid_birthday", message: "February has no day 30." } });
    expect(await post({ logged_in_customer_id: "" }, { month: "1", day: "1" })).toMatchObject({ status: 401, body: { error: "not_logged_in" } });
  });

  it("makes a member of a signed-in customer the program has not met yet", async () => {
    expect(await post({ logged_in_customer_id: "987654321" }, { month: "12", day: "31" })).toMatchObject({ status: 200 });
    expect((await get(signProxyQuery(proxyParams({ logged_in_customer_id: "987654321" })))).body).toMatchObject({ points: 0, birthday: "12-31" });
  });
});

describe("parseBirthday", () => {
  it.each([
    ["1", "1", "01-01"],
    ["2", "29", "02-29"],
    [12, 31, "12-31"],
    ["2", "30", "February has no day 30."],
    ["4", "31", "April has no day 31."],
    ["13", "1", "Choose a month."],
    ["", "1", "Choose a month."],
    ["1", "0", "Choose a day."],
    ["1", "1.5", "Choose a day."],
  ])("month %s, day %s -> %s", (month, day, expected) => {
    const parsed = parseBirthday(month, day);
    expect(parsed.ok ? parsed.birthday : parsed.message).toBe(expected);
  });
});
