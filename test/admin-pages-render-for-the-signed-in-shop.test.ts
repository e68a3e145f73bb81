import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordDataRequest } from "../app/models/compliance.server";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { createMember, recordEntry } from "./support/members";
import { embeddedPageRequest, loadRemixApp, sessionToken } from "./support/remix-app";

const SHOP = "pages-test.myshopify.com";
const OTHER_SHOP = "pages-other-test.myshopify.com";
let database: TestDatabase;
let app: Awaited<ReturnType<typeof loadRemixApp>>;
let member: { id: number; customerId: string };
let stranger: { id: number; customerId: string };

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await installShop(database.db, OTHER_SHOP);
  member = await createMember(database.db, SHOP, { firstName: "Katherine", lastName: "Johnson" });
  stranger = await createMember(database.db, OTHER_SHOP, { firstName: "Dorothy", lastName: "Vaughan" });
  await recordEntry(database.db, SHOP, member.id, 1234);
  await recordEntry(database.db, OTHER_SHOP, stranger.id, 777);
  const now = new Date().toISOString();
  for (const [shop, who] of [
    [SHOP, member],
    [OTHER_SHOP, stranger],
  ] as const) {
    const request = { customerId: who.customerId, email: null, requestId: randomUUID(), ordersRequested: [] };
    await recordDataRequest(database.db, shop, request, randomUUID(), now);
  }
  app = await loadRemixApp(database.url);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database.drop();
});

const page = async (pathname: string) => {
  const response = await app.handle(embeddedPageRequest(pathname, SHOP));
  return { status: response.status, html: await response.text() };
};

describe("admin pages, rendered by the production build", () => {
  it("home shows the program and this shop's figures", async () => {
    const { status, html } = await page("/app");
    expect(status).toBe(200);
    expect(html).toContain("Points program");
    expect(html).toContain("1,234");
    expect(html).not.toContain("2,011");
  });

  it("settings shows the stored program", async () => {
    const { status, html } = await page("/app/settings");
    expect(status).toBe(200);
    expect(html).toContain("Minimum order amount");
  });

  it("the VIP tiers page renders its settings and example tiers (server-rendered HTML)", async () => {
    const { status, html } = await page("/app/tiers");
    expect(status).toBe(200);
    expect(html).toContain("What counts towards a tier");
    expect(html).toContain("Preview on real members");
    expect(html).toContain("Silver");
  });

  it("the members-only products page renders its add form and what the theme block cannot prevent", async () => {
    const { status, html } = await page("/app/tiers/access");
    expect(status).toBe(200);
    expect(html).toContain("Every product is open to everyone");
    expect(html).toContain("What the theme block can and cannot prevent");
    expect(html).toContain("Any member (signed in)");
  });

  it("customers lists this shop's members only", async () => {
    const { status, html } = await page("/app/customers");
    expect(status).toBe(200);
    expect(html).toContain("Katherine Johnson");
    expect(html).not.toContain("Dorothy Vaughan");
  });

  it("the customer page shows the balance, the history and the adjustment form", async () => {
    const { status, html } = await page(`/app/customers/${member.id}`);
    expect(status).toBe(200);
    expect(html).toContain("Katherine Johnson");
    expect(html).toContain("+1,234");
    expect(html).toMatch(/name="idempotencyKey" value="[0-9a-f-]{36}"/);
  });

  it("another shop's customer is not found", async () => {
    expect((await page(`/app/customers/${stranger.id}`)).status).toBe(404);
  });

  it("data requests lists this shop's exports and downloads them as JSON", async () => {
    const { status, html } = await page("/app/data-requests");
    expect(status).toBe(200);
    expect(html).toContain(member.customerId);
    expect(html).not.toContain(stranger.customerId);

    const ids = await database.db.raw.all<{ id: number; shop: string }>('SELECT "id", "shop" FROM "data_requests" ORDER BY "id"');
    const ours = ids.find((row) => row.shop === SHOP)!.id;
    const theirs = ids.find((row) => row.shop === OTHER_SHOP)!.id;
    const download = (id: number) =>
      app.handle(
        new Request(`http://127.0.0.1:3999/app/data-requests/${id}/download`, {
          headers: {
            Authorization: `Bearer ${sessionToken({ shop: SHOP })}`,
            "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
          },
        }),
      );
    const response = await download(ours);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="customer-\d+-data-request-\d+\.json"$/);
    expect(await response.json()).toMatchObject({ customerId: member.customerId, member: { balance: 1234 } });
    expect((await download(theirs)).status).toBe(404);
  });
});
