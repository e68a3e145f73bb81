import { describe, expect, it } from "vitest";
import { ledgerMismatches, testDialect } from "./support/database";
import { useWebhookApp } from "./support/webhook-app";
import { signWebhookBody, webhookRequestInit } from "./support/signing";
import { orderPayload } from "./support/shopify-payloads";

const SHOP = "verify-test.myshopify.com";
const fixture = useWebhookApp([SHOP]);

const post = async (init: RequestInit) => {
  const response = await fetch(`${fixture.app.origin}/webhooks`, init);
  return { status: response.status, body: (await response.json()) as { ok: boolean; error?: string; status?: string; reason?: string } };
};
const entryCount = async () => (await fixture.database.db.raw.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "ledger_entries"'))!.n;

describe("webhook authentication", () => {
  const delivery = () => webhookRequestInit({ topic: "orders/paid", shop: SHOP, payload: orderPayload() });

  it("answers 405 to anything but POST", async () => {
    const response = await fetch(`${fixture.app.origin}/webhooks`, { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("answers 401 to an unsigned request", async () => {
    const init = delivery();
    delete (init.headers as Record<string, string>)["X-Shopify-Hmac-Sha256"];
    expect(await post(init)).toMatchObject({ status: 401, body: { ok: false, error: expect.stringMatching(/not signed/) } });
  });

  it("answers 401 when the body was tampered with after signing", async () => {
    const init = delivery();
    const tampered = init.body.replace('"price":"40.00"', '"price":"4000.00"');
    expect(tampered).not.toBe(init.body);
    expect((await post({ ...init, body: tampered })).status).toBe(401);
  });

  it("answers 401 to a request signed with another secret (forged)", async () => {
    const init = delivery();
    (init.headers as Record<string, string>)["X-Shopify-Hmac-Sha256"] = signWebhookBody(init.body, "not-our-secret");
    expect((await post(init)).status).toBe(401);
  });

  it("answers 401 to a signature that is not base64 of 32 bytes", async () => {
    const init = delivery();
    (init.headers as Record<string, string>)["X-Shopify-Hmac-Sha256"] = "abc";
    expect((await post(init)).status).toBe(401);
  });

  it.each(["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id"])("answers 400 when %s is missing", async (header) => {
    const init = webhookRequestInit({ topic: "orders/paid", shop: SHOP, payload: orderPayload(), headers: { [header]: undefined } });
    expect(await post(init)).toMatchObject({ status: 400, body: { error: expect.stringContaining(header) } });
  });

  it("answers 400 to a shop that is not a myshopify.com domain", async () => {
    const init = webhookRequestInit({ topic: "orders/paid", shop: "evil.example.com", payload: orderPayload() });
    expect((await post(init)).status).toBe(400);
  });

  it("answers 400 to a signed body that is not JSON", async () => {
    const body = "not json";
    const init = webhookRequestInit({ topic: "orders/paid", shop: SHOP, payload: null });
    (init.headers as Record<string, string>)["X-Shopify-Hmac-Sha256"] = signWebhookBody(body);
    expect(await post({ ...init, body })).toMatchObject({ status: 400, body: { error: "body is not JSON" } });
  });

  it("acknowledges an order payload without an id as a dead letter (Shopify would retry a 400 for nothing), and records no points", async () => {
    const { id: _id, admin_graphql_api_id: _gid, ...withoutId } = orderPayload();
    const before = await entryCount();
    const init = webhookRequestInit({ topic: "orders/paid", shop: SHOP, payload: withoutId });
    expect(await post(init)).toEqual({ status: 200, body: { ok: true, status: "dead_lettered", reason: "malformed_payload" } });
    expect(await entryCount()).toBe(before);
    const kept = await fixture.database.db.raw.get<{ message: string }>('SELECT "message" FROM "dead_letters" WHERE "webhook_id" = ?', [
      init.headers["X-Shopify-Webhook-Id"],
    ]);
    expect(kept?.message).toBe("order payload has no id");
  });

  it("acknowledges a topic it does not handle without doing anything", async () => {
    const init = webhookRequestInit({ topic: "products/update", shop: SHOP, payload: { id: 1 } });
    expect(await post(init)).toEqual({ status: 200, body: { ok: true, status: "ignored" } });
  });
});

describe("failures are never acknowledged", () => {
  const breakLedger = () =>
    testDialect === "postgres"
      ? fixture.database.db.raw.run(`CREATE FUNCTION "test_fail"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
                         CREATE TRIGGER "test_fail" BEFORE INSERT ON "ledger_entries" FOR EACH ROW EXECUTE FUNCTION "test_fail"()`)
      : fixture.database.db.raw.run(`CREATE TRIGGER "test_fail" BEFORE INSERT ON "ledger_entries" BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
  const repairLedger = () =>
    testDialect === "postgres"
      ? fixture.database.db.raw.run(`DROP TRIGGER "test_fail" ON "ledger_entries"; DROP FUNCTION "test_fail"()`)
      : fixture.database.db.raw.run(`DROP TRIGGER "test_fail"`);

  it("answers 500 when the event cannot be applied, and applies it on redelivery", async () => {
    const order = orderPayload();
    const init = webhookRequestInit({ topic: "orders/paid", shop: SHOP, payload: order, webhookId: `retry-${order.id}` });
    await breakLedger();
    try {
      expect((await post(init)).status).toBe(500);
    } finally {
      await repairLedger();
    }
    // Nothing of the failed attempt remains: not the receipt, not the order's earning state.
    expect(await post(init)).toEqual({ status: 200, body: { ok: true, status: "applied" } });
    const member = await fixture.database.db.raw.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "customer_id" = ?', [
      String(order.customer!.id),
    ]);
    expect(member?.balance).toBe(97);
    expect(await ledgerMismatches(fixture.database.db)).toEqual([]);
  });

  it("sets aside only the event that broke, not the others applied in the same transaction", async () => {
    const good = Array.from({ length: 10 }, () => orderPayload());
    const bad = { ...orderPayload(), currency: "DOLLARS" };
    const results = await Promise.all([
      ...good.map((payload) => post(webhookRequestInit({ topic: "orders/paid", shop: SHOP, payload }))),
      post(webhookRequestInit({ topic: "orders/paid", shop: SHOP, payload: bad })),
    ]);
    expect(results.slice(0, 10).every((r) => r.status === 200 && r.body.status === "applied")).toBe(true);
    expect(results[10].body).toEqual({ ok: true, status: "dead_lettered", reason: "currency_unknown" });
    for (const order of good) {
      const member = await fixture.database.db.raw.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "customer_id" = ?', [
        String(order.customer!.id),
      ]);
      expect(member?.balance).toBe(97);
    }
  });
});
