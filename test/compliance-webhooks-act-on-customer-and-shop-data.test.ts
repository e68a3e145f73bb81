import { describe, expect, it } from "vitest";
import { installShop } from "./support/database";
import { queueTestMessage } from "./support/outbox";
import { useWebhookApp } from "./support/webhook-app";
import { customerPayload, newId, orderPayload } from "./support/shopify-payloads";

const SHOP = "compliance-test.myshopify.com";
const OTHER = "compliance-other.myshopify.com";
const fixture = useWebhookApp([SHOP, OTHER]);

const member = (shop: string, customerId: number) =>
  fixture.database.db.raw.get<{
    email: string | null;
    first_name: string | null;
    last_name: string | null;
    birthday: string | null;
    balance: number;
    redacted_at: unknown;
  }>('SELECT * FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [shop, String(customerId)]);
const count = async (table: string, shop: string) =>
  (await fixture.database.db.raw.get<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE "shop" = ?`, [shop]))!.n;

describe("customers/create and customers/update", () => {
  it("keep the member's profile, and a late older update does not undo a newer one", async () => {
    const id = newId();
    await fixture.app.deliver({ topic: "customers/create", shop: SHOP, payload: customerPayload({ id, email: "first@example.com" }) });
    await fixture.app.deliver({
      topic: "customers/update",
      shop: SHOP,
      payload: customerPayload({ id, email: "newest@example.com", updatedAt: "2026-11-10T10:00:00Z" }),
    });
    await fixture.app.deliver({
      topic: "customers/update",
      shop: SHOP,
      payload: customerPayload({ id, email: "older@example.com", updatedAt: "2026-11-05T10:00:00Z" }),
    });
    expect(await member(SHOP, id)).toMatchObject({ email: "newest@example.com", first_name: "Grace", balance: 0 });
  });
});

describe("customers/redact", () => {
  it("removes the customer's personal data and keeps the ledger totals", async () => {
    const order = orderPayload();
    await fixture.app.deliver({ topic: "orders/paid", shop: SHOP, payload: order });
    const customerId = order.customer!.id;
    await fixture.database.db.raw.run('UPDATE "members" SET "birthday" = \'03-12\' WHERE "shop" = ? AND "customer_id" = ?', [SHOP, String(customerId)]);
    const { id: memberId } = (await fixture.database.db.raw.get<{ id: number }>('SELECT "id" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [
      SHOP,
      String(customerId),
    ]))!;
    await queueTestMessage(fixture.database.db, SHOP, { id: memberId }, { email: "x@example.com" });
    await fixture.app.deliver({
      topic: "customers/data_request",
      shop: SHOP,
      payload: { shop_domain: SHOP, customer: { id: customerId, email: "x@example.com" }, orders_requested: [order.id], data_request: { id: newId() } },
    });
    const response = await fixture.app.deliver({
      topic: "customers/redact",
      shop: SHOP,
      payload: { shop_id: 1, shop_domain: SHOP, customer: { id: customerId, email: "x@example.com", phone: null }, orders_to_redact: [order.id] },
    });
    expect(response.status).toBe(200);
    expect(await member(SHOP, customerId)).toMatchObject({ email: null, first_name: null, last_name: null, birthday: null, balance: 97 });
    expect((await member(SHOP, customerId))!.redacted_at).toBeTruthy();
    // The export held personal data too.
    expect(
      await fixture.database.db.raw.get('SELECT COUNT(*) AS "n" FROM "data_requests" WHERE "shop" = ? AND "customer_id" = ?', [SHOP, String(customerId)]),
    ).toEqual({ n: 0 });
    // So did the messages to them.
    expect(await fixture.database.db.raw.get('SELECT COUNT(*) AS "n" FROM "outbox_messages" WHERE "member_id" = ?', [memberId])).toEqual({ n: 0 });
    // A later profile update does not bring the data back.
    await fixture.app.deliver({ topic: "customers/update", shop: SHOP, payload: customerPayload({ id: customerId, updatedAt: "2030-01-01T00:00:00Z" }) });
    expect((await member(SHOP, customerId))!.email).toBeNull();
  });
});

describe("customers/data_request", () => {
  it("stores an export of the member, ledger and orders for the merchant", async () => {
    const order = orderPayload();
    await fixture.app.deliver({ topic: "orders/paid", shop: SHOP, payload: order });
    // An order of theirs that could never be applied (half a yen) is kept with their data in it.
    const unreadable = orderPayload({ customerId: order.customer!.id, currency: "JPY", lines: [{ price: "1500.5" }] });
    expect((await fixture.app.deliver({ topic: "orders/paid", shop: SHOP, payload: unreadable })).body.status).toBe("dead_lettered");
    const requestId = newId();
    await fixture.app.deliver({
      topic: "customers/data_request",
      shop: SHOP,
      payload: { shop_domain: SHOP, customer: { id: order.customer!.id }, orders_requested: [order.id], data_request: { id: requestId } },
    });
    const row = await fixture.database.db.raw.get<{ export: string }>('SELECT "export" FROM "data_requests" WHERE "shop" = ? AND "request_id" = ?', [
      SHOP,
      String(requestId),
    ]);
    const exported = JSON.parse(row!.export);
    expect(exported.member).toMatchObject({ customer_id: String(order.customer!.id), email: order.customer!.email, balance: 97 });
    expect(exported.ledger).toHaveLength(1);
    expect(exported.orders[0]).toMatchObject({ order_id: String(order.id), earned_points: 97 });
    expect(exported.deadLetters).toEqual([
      expect.objectContaining({ topic: "orders/paid", reason: "amount_too_precise", payload: expect.objectContaining({ id: unreadable.id }) }),
    ]);
  });
});

describe("app/uninstalled and shop/redact", () => {
  it("uninstall removes sessions and ignores later order webhooks; the data stays until shop/redact", async () => {
    const shop = "uninstall-test.myshopify.com";
    await installShop(fixture.database.db, shop);
    const order = orderPayload();
    await fixture.app.deliver({ topic: "orders/paid", shop, payload: order });
    await fixture.app.deliver({ topic: "app/uninstalled", shop, payload: { id: 1, domain: shop } });
    expect(await count("Session", shop)).toBe(0);
    const late = await fixture.app.deliver({ topic: "orders/paid", shop, payload: orderPayload() });
    expect(late.body.status).toBe("ignored");
    expect(await count("members", shop)).toBe(1);
    expect(await count("ledger_entries", shop)).toBe(1);
    const { id: memberId } = (await fixture.database.db.raw.get<{ id: number }>('SELECT "id" FROM "members" WHERE "shop" = ?', [shop]))!;
    await queueTestMessage(fixture.database.db, shop, { id: memberId }, { email: "someone@example.com" });

    await fixture.app.deliver({ topic: "shop/redact", shop, payload: { shop_id: 1, shop_domain: shop } });
    for (const table of ["members", "ledger_entries", "loyalty_orders", "order_refunds", "data_requests", "outbox_messages", "Session"]) {
      expect(await count(table, shop)).toBe(0);
    }
  });

  it("shop/redact leaves every other shop's data alone", async () => {
    const order = orderPayload();
    await fixture.app.deliver({ topic: "orders/paid", shop: OTHER, payload: order });
    const before = await count("ledger_entries", OTHER);
    await fixture.app.deliver({ topic: "shop/redact", shop: "someone-else.myshopify.com", payload: { shop_domain: "someone-else.myshopify.com" } });
    expect(await count("ledger_entries", OTHER)).toBe(before);
    expect((await member(OTHER, order.customer!.id))!.balance).toBe(97);
  });

  it("the ledger stays append-only for installed shops", async () => {
    await expect(fixture.database.db.raw.run('DELETE FROM "ledger_entries" WHERE "shop" = ?', [OTHER])).rejects.toThrow(/append-only/);
    await expect(fixture.database.db.raw.run('UPDATE "ledger_entries" SET "delta" = 1000 WHERE "shop" = ?', [OTHER])).rejects.toThrow(/append-only/);
  });
});
