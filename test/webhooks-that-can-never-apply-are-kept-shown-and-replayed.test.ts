import type http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeServer } from "../app/server/node-server.server";
import type { OfflineSessions } from "../app/shopify/offline-sessions.server";
import { createWebhookApplier } from "../app/webhooks/applier.server";
import type { AppConfig } from "../app/config.server";
import { installShop, testDialect } from "./support/database";
import { embeddedPageRequest, routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";
import { newId, orderPayload } from "./support/shopify-payloads";
import { TEST_API_KEY, TEST_API_SECRET, webhookRequestInit, type WebhookDelivery } from "./support/signing";

const testConfig: AppConfig = { apiKey: TEST_API_KEY, apiSecrets: [TEST_API_SECRET], appUrl: "http://127.0.0.1", scopes: [], port: 0 };

// Webhooks arrive as signed HTTP requests at the app's node server; the merchant's page and its
// Replay button are the production Remix build, whose own webhook applier (on its own database
// connection, as another app instance would be) applies the replay.

const SHOP = "dead-letters-test.myshopify.com";
const OTHER_SHOP = "dead-letters-other.myshopify.com";
const ROUTE = "routes/app.dead-letters";
const fixture = useRemixApp([SHOP, OTHER_SHOP]);
let webhooks: { deliver(delivery: WebhookDelivery): Promise<{ status: number; body: { ok: boolean; status?: string; reason?: string } }> };
let server: http.Server;

beforeAll(async () => {
  // The app's node server with a webhook applier of its own over the test's connection. (Not
  // startAppServer: its runtime module would open this process's Prisma client before the Remix
  // build is loaded, on the wrong database.) Only shop/redact here touches session storage.
  const sessions: OfflineSessions = {
    accessToken: async () => null,
    deleteAll: async (shop) => void (await fixture.database.db.raw.run('DELETE FROM "Session" WHERE "shop" = ?', [shop])),
    setScopes: async () => {},
  };
  const applier = createWebhookApplier({ db: fixture.database.db, sessions });
  server = createNodeServer({ runtime: { config: testConfig, webhooks: applier, shopper: undefined as never } });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  webhooks = {
    async deliver(delivery) {
      const response = await fetch(`${origin}/webhooks`, webhookRequestInit(delivery));
      return { status: response.status, body: await response.json() };
    },
  };
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

type DeadLetterRow = { id: number; shop: string; reason: string; message: string; attempts: number; resolution: string | null; customer_id: string | null };

const db = () => fixture.database.db;
const deadLetter = (webhookId: string) =>
  db().raw.get<DeadLetterRow>('SELECT "id", "shop", "reason", "message", "attempts", "resolution", "customer_id" FROM "dead_letters" WHERE "webhook_id" = ?', [
    webhookId,
  ]);
const deadLetterCount = async (shop: string) => (await db().raw.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "dead_letters" WHERE "shop" = ?', [shop]))!.n;
const receiptCount = async (webhookId: string) =>
  (await db().raw.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "webhook_receipts" WHERE "webhook_id" = ?', [webhookId]))!.n;
const entriesOf = (shop: string, customerId: number) =>
  db().raw.all<{ delta: number; source_key: string }>(
    `SELECT e."delta", e."source_key" FROM "ledger_entries" e JOIN "members" m ON m."id" = e."member_id"
     WHERE e."shop" = ? AND m."customer_id" = ? ORDER BY e."id"`,
    [shop, String(customerId)],
  );
const setPointsRate = (shop: string, rate: number) =>
  db().raw.run(`UPDATE "earning_rules" SET "points_per_currency_unit" = ? WHERE "shop" = ? AND "kind" = 'purchase'`, [rate, shop]);

const page = async (pathname: string, shop = SHOP) => {
  const response = await fixture.app.handle(embeddedPageRequest(pathname, shop));
  return { status: response.status, html: await response.text() };
};
const act = async (intent: "replay" | "dismiss", id: number, shop = SHOP) => {
  const response = await fixture.app.handle(
    routeDataRequest("/app/dead-letters", ROUTE, { method: "POST", token: sessionToken({ shop }), form: { intent, id: String(id) } }),
  );
  return { status: response.status, body: response.headers.get("Content-Type")?.includes("json") ? await response.json() : await response.text() };
};

/** A wholesale order of 2,000,000 USD: at 1,000 points per dollar, 2,000,000,000 points, twice the ledger's bound. */
const hugeOrder = () => orderPayload({ lines: [{ price: "2000.00", quantity: 1000 }] });

describe("a delivery that can never be applied as it is", () => {
  it("is acknowledged and kept once, shown to the merchant, and applied exactly once by a replay after the cause is fixed", async () => {
    await setPointsRate(SHOP, 1000);
    const order = hugeOrder();
    const webhookId = `huge-${order.id}`;
    const delivery = { topic: "orders/paid", shop: SHOP, payload: order, webhookId };

    expect(await webhooks.deliver(delivery)).toEqual({ status: 200, body: { ok: true, status: "dead_lettered", reason: "points_over_bound" } });
    // Shopify redelivers (our 200 was lost, say): one row, one more attempt, still no points and no receipt.
    expect((await webhooks.deliver(delivery)).body.status).toBe("dead_lettered");
    const kept = (await deadLetter(webhookId))!;
    expect(kept).toMatchObject({ shop: SHOP, reason: "points_over_bound", attempts: 2, resolution: null, customer_id: String(order.customer!.id) });
    expect(kept.message).toMatch(/2000000000 points is beyond the ledger's bound of 1,000,000,000/);
    expect(await entriesOf(SHOP, order.customer!.id)).toEqual([]);
    expect(await receiptCount(webhookId)).toBe(0);

    const home = await page("/app");
    expect(home.html).toContain("1 event from Shopify could not be applied");
    const listed = await page("/app/dead-letters");
    expect(listed.status).toBe(200);
    expect(listed.html).toContain("orders/paid");
    expect(listed.html).toContain("more than one ledger entry may hold");
    expect(listed.html).toContain(`gid://shopify/Order/${order.id}`);
    expect(listed.html).toContain("Replay");

    // Replayed before the cause is fixed: still kept, the attempt counted.
    const early = await act("replay", kept.id);
    expect(early).toMatchObject({ status: 422, body: { ok: false, message: expect.stringMatching(/still cannot be applied/) } });
    expect(await deadLetter(webhookId)).toMatchObject({ attempts: 3, resolution: null });

    // The merchant meant 10 points per dollar.
    await setPointsRate(SHOP, 10);
    expect(await act("replay", kept.id)).toEqual({ status: 200, body: { ok: true, id: kept.id, message: "Replayed: the event is applied." } });
    expect(await entriesOf(SHOP, order.customer!.id)).toEqual([{ delta: 20_000_000, source_key: `order:${order.id}:earn` }]);
    expect(await deadLetter(webhookId)).toMatchObject({ resolution: "replayed" });
    expect(await receiptCount(webhookId)).toBe(1);

    // The original arriving again now is a duplicate; a second replay finds nothing to replay.
    expect(await webhooks.deliver(delivery)).toEqual({ status: 200, body: { ok: true, status: "duplicate" } });
    expect((await act("replay", kept.id)).status).toBe(404);
    expect(await entriesOf(SHOP, order.customer!.id)).toHaveLength(1);
    expect((await page("/app")).html).not.toContain("could not be applied");
  });

  it("applies exactly once when the replay and a redelivery of the original race", async () => {
    await setPointsRate(SHOP, 1000);
    const order = hugeOrder();
    const delivery = { topic: "orders/paid", shop: SHOP, payload: order, webhookId: `race-${order.id}` };
    expect((await webhooks.deliver(delivery)).body.status).toBe("dead_lettered");
    const { id } = (await deadLetter(delivery.webhookId))!;
    await setPointsRate(SHOP, 10);

    const [replayed, redelivered] = await Promise.all([act("replay", id), webhooks.deliver(delivery)]);
    // Whichever came first applied it; the other found its receipt.
    expect(replayed).toMatchObject({ status: 200, body: { ok: true } });
    expect(redelivered.status).toBe(200);
    expect(["applied", "duplicate"]).toContain(redelivered.body.status);
    expect(await entriesOf(SHOP, order.customer!.id)).toEqual([{ delta: 20_000_000, source_key: `order:${order.id}:earn` }]);
    expect(await deadLetter(delivery.webhookId)).toMatchObject({ resolution: "replayed" });
  });

  it("counts as applied when a duplicate of the delivery arrives after the fix and applies on its own", async () => {
    await setPointsRate(SHOP, 1000);
    const order = hugeOrder();
    const delivery = { topic: "orders/paid", shop: SHOP, payload: order, webhookId: `late-duplicate-${order.id}` };
    expect((await webhooks.deliver(delivery)).body.status).toBe("dead_lettered");
    const { id } = (await deadLetter(delivery.webhookId))!;
    expect((await page("/app")).html).toContain("could not be applied");

    await setPointsRate(SHOP, 10);
    expect((await webhooks.deliver(delivery)).body.status).toBe("applied");
    expect((await page("/app")).html).not.toContain("could not be applied");
    const listed = (await page("/app/dead-letters")).html;
    expect(listed).toContain(`gid://shopify/Order/${order.id}`);
    expect(listed).toContain("Replayed");
    // Replay finds it applied and marks it so; nothing applies twice.
    expect(await act("replay", id)).toMatchObject({ status: 200, body: { ok: true } });
    expect(await entriesOf(SHOP, order.customer!.id)).toEqual([{ delta: 20_000_000, source_key: `order:${order.id}:earn` }]);
  });

  it("stays kept with its reason while it still fails, and can be dismissed", async () => {
    // JPY has no decimals: half a yen is not an amount Shopify's shop money can be.
    const order = orderPayload({ currency: "JPY", lines: [{ price: "1500.5" }] });
    const delivery = { topic: "orders/paid", shop: SHOP, payload: order, webhookId: `yen-${order.id}` };
    expect(await webhooks.deliver(delivery)).toEqual({ status: 200, body: { ok: true, status: "dead_lettered", reason: "amount_too_precise" } });
    const { id } = (await deadLetter(delivery.webhookId))!;
    expect((await page("/app/dead-letters")).html).toContain("An amount has more decimals than its currency allows.");

    expect((await act("replay", id)).status).toBe(422);
    expect(await deadLetter(delivery.webhookId)).toMatchObject({ reason: "amount_too_precise", attempts: 2, resolution: null });
    expect(await act("dismiss", id)).toMatchObject({ status: 200, body: { ok: true } });
    expect(await deadLetter(delivery.webhookId)).toMatchObject({ resolution: "dismissed" });
    expect((await act("replay", id)).status).toBe(404);
    expect(await entriesOf(SHOP, order.customer!.id)).toEqual([]);
  });

  it("is neither shown to nor replayed or dismissed by another shop", async () => {
    await setPointsRate(SHOP, 1000);
    const order = hugeOrder();
    const delivery = { topic: "orders/paid", shop: SHOP, payload: order, webhookId: `theirs-${order.id}` };
    await webhooks.deliver(delivery);
    const { id } = (await deadLetter(delivery.webhookId))!;
    await setPointsRate(SHOP, 10);

    const theirs = await page("/app/dead-letters", OTHER_SHOP);
    expect(theirs.status).toBe(200);
    expect(theirs.html).not.toContain(`gid://shopify/Order/${order.id}`);
    expect(theirs.html).toContain("Every event was applied");
    expect((await act("replay", id, OTHER_SHOP)).status).toBe(404);
    expect((await act("dismiss", id, OTHER_SHOP)).status).toBe(404);
    expect(await deadLetter(delivery.webhookId)).toMatchObject({ shop: SHOP, attempts: 1, resolution: null });
    expect(await entriesOf(SHOP, order.customer!.id)).toEqual([]);
    expect(await entriesOf(OTHER_SHOP, order.customer!.id)).toEqual([]);
    expect((await act("dismiss", id)).status).toBe(200);
  });
});

describe("a transient failure", () => {
  const failInsertsInto = (table: string) =>
    testDialect === "postgres"
      ? db().raw.run(`CREATE FUNCTION "test_fail"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
                      CREATE TRIGGER "test_fail" BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION "test_fail"()`)
      : db().raw.run(`CREATE TRIGGER "test_fail" BEFORE INSERT ON "${table}" BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
  const repair = (table: string) =>
    testDialect === "postgres" ? db().raw.run(`DROP TRIGGER "test_fail" ON "${table}"; DROP FUNCTION "test_fail"()`) : db().raw.run(`DROP TRIGGER "test_fail"`);

  it("(the database failing) still answers 500, keeps nothing, and applies on redelivery", async () => {
    await setPointsRate(SHOP, 1);
    const order = orderPayload();
    const delivery = { topic: "orders/paid", shop: SHOP, payload: order, webhookId: `disk-${order.id}` };
    await failInsertsInto("ledger_entries");
    try {
      expect((await webhooks.deliver(delivery)).status).toBe(500);
    } finally {
      await repair("ledger_entries");
    }
    expect(await deadLetter(delivery.webhookId)).toBeUndefined();
    expect(await receiptCount(delivery.webhookId)).toBe(0);
    expect(await webhooks.deliver(delivery)).toEqual({ status: 200, body: { ok: true, status: "applied" } });
    expect(await entriesOf(SHOP, order.customer!.id)).toEqual([{ delta: 97, source_key: `order:${order.id}:earn` }]);
  });

  it("(a dead letter that cannot be stored) answers 500, never 200 for something neither applied nor kept", async () => {
    const { id: _id, admin_graphql_api_id: _gid, ...withoutId } = orderPayload();
    const delivery = { topic: "orders/paid", shop: SHOP, payload: withoutId, webhookId: `unkept-${newId()}` };
    await failInsertsInto("dead_letters");
    try {
      expect((await webhooks.deliver(delivery)).status).toBe(500);
    } finally {
      await repair("dead_letters");
    }
    expect(await deadLetter(delivery.webhookId)).toBeUndefined();
    expect(await webhooks.deliver(delivery)).toEqual({ status: 200, body: { ok: true, status: "dead_lettered", reason: "malformed_payload" } });
  });
});

describe("compliance webhooks erase dead letters", () => {
  it("customers/redact deletes the customer's kept payloads, shop/redact every one of the shop's", async () => {
    const shop = "dead-letters-redact.myshopify.com";
    await installShop(db(), shop);
    await setPointsRate(shop, 1000);
    const mine = hugeOrder();
    const another = hugeOrder();
    for (const order of [mine, another]) expect((await webhooks.deliver({ topic: "orders/paid", shop, payload: order })).body.status).toBe("dead_lettered");
    expect(await deadLetterCount(shop)).toBe(2);

    const customer = { id: mine.customer!.id, email: mine.customer!.email, phone: null };
    await webhooks.deliver({ topic: "customers/redact", shop, payload: { shop_id: 1, shop_domain: shop, customer, orders_to_redact: [mine.id] } });
    const left = await db().raw.all<{ customer_id: string }>('SELECT "customer_id" FROM "dead_letters" WHERE "shop" = ?', [shop]);
    expect(left).toEqual([{ customer_id: String(another.customer!.id) }]);

    const before = await deadLetterCount(SHOP);
    expect((await webhooks.deliver({ topic: "shop/redact", shop, payload: { shop_id: 1, shop_domain: shop } })).status).toBe(200);
    expect(await deadLetterCount(shop)).toBe(0);
    expect(await deadLetterCount(SHOP)).toBe(before);
  });
});
