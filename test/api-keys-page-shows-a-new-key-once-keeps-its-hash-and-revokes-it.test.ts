import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addEarningRule } from "./support/action-rules";
import { createMember } from "./support/members";
import { TEST_APP_URL, embeddedPageRequest, routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";

const SHOP = "api-keys-page-test.myshopify.com";
const OTHER_SHOP = "api-keys-page-other-test.myshopify.com";
const ROUTE = "routes/app.api-keys";
const fixture = useRemixApp([SHOP, OTHER_SHOP]);
const db = () => fixture.database.db;

const post = (form: Record<string, string>, shop = SHOP, userId = "8123456") =>
  fixture.app.handle(routeDataRequest("/app/api-keys", ROUTE, { method: "POST", token: sessionToken({ shop, userId }), form }));

async function createKey(name: string, shop = SHOP) {
  const response = await post({ intent: "create", name }, shop);
  expect(response.status).toBe(200);
  return ((await response.json()) as { created: { id: number; name: string; prefix: string; key: string } }).created;
}

const awardWith = (key: string, body: unknown) =>
  fixture.app.handle(
    new Request(`${TEST_APP_URL}/api/v1/awards`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
  );

describe("the API keys page", () => {
  it("shows a new key once, stores only the hash of its secret, and the key awards through the API", async () => {
    const created = await createKey("  Judge.me  ");
    expect(created).toEqual({ id: expect.any(Number), name: "Judge.me", prefix: expect.stringMatching(/^[0-9a-f]{8}$/), key: expect.any(String) });
    const [, prefix, secret] = /^lyl_([0-9a-f]{8})_([0-9a-f]{48})$/.exec(created.key)!;
    expect(prefix).toBe(created.prefix);

    const row = await db().raw.get<Record<string, unknown>>('SELECT * FROM "api_keys" WHERE "id" = ?', [created.id]);
    expect(row).toMatchObject({
      shop: SHOP,
      name: "Judge.me",
      prefix,
      secret_hash: createHash("sha256").update(secret).digest("hex"),
      created_by: "Staff 8123456",
      revoked_at: null,
    });
    expect(JSON.stringify(row)).not.toContain(secret);

    const page = await fixture.app.handle(routeDataRequest("/app/api-keys", ROUTE, { token: sessionToken({ shop: SHOP }) }));
    const listed = await page.text();
    expect(listed).toContain(prefix);
    expect(listed).not.toContain(secret);

    const member = await createMember(db(), SHOP);
    const ruleId = await addEarningRule(db(), SHOP, { points: 10 });
    const awarded = await awardWith(created.key, { customerId: member.customerId, ruleId, idempotencyKey: "page-key-1" });
    expect(awarded.status).toBe(201);
    const used = await db().raw.get<{ last_used_at: string | null }>('SELECT "last_used_at" FROM "api_keys" WHERE "id" = ?', [created.id]);
    expect(used?.last_used_at).not.toBeNull();
  });

  it("revokes a key, recording who and when, after which the API refuses it", async () => {
    const created = await createKey("Old ERP");
    const revoked = await post({ intent: "revoke", id: String(created.id) }, SHOP, "77");
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({ intent: "revoke", ok: true, id: created.id });
    const row = await db().raw.get<{ revoked_by: string | null; revoked_at: unknown }>('SELECT "revoked_by", "revoked_at" FROM "api_keys" WHERE "id" = ?', [
      created.id,
    ]);
    expect(row?.revoked_by).toBe("Staff 77");
    expect(row?.revoked_at).not.toBeNull();
    const refused = await awardWith(created.key, { customerId: "1", ruleId: 1, idempotencyKey: "after-revoke" });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ reason: "revoked_key" });
    // Once revoked it stays revoked: a second revoke finds no active key.
    expect((await post({ intent: "revoke", id: String(created.id) })).status).toBe(404);
  });

  it("refuses an empty name with a field error and creates nothing", async () => {
    const before = await db().raw.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "api_keys"');
    const response = await post({ intent: "create", name: "   " });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ intent: "create", ok: false, fieldErrors: { name: expect.stringMatching(/Name the key/) } });
    expect(await db().raw.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "api_keys"')).toEqual(before);
  });

  it("neither lists nor revokes another shop's key", async () => {
    const theirs = await createKey("Their reviews", OTHER_SHOP);
    expect((await post({ intent: "revoke", id: String(theirs.id) })).status).toBe(404);
    expect(await db().raw.get('SELECT "revoked_at" FROM "api_keys" WHERE "id" = ?', [theirs.id])).toEqual({ revoked_at: null });
    const page = await fixture.app.handle(routeDataRequest("/app/api-keys", ROUTE, { token: sessionToken({ shop: SHOP }) }));
    expect(await page.text()).not.toContain(theirs.prefix);
  });

  it("renders as the embedded admin opens it", async () => {
    const created = await createKey("Rendered key");
    const response = await fixture.app.handle(embeddedPageRequest("/app/api-keys", SHOP));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Create a key");
    expect(html).toContain(`lyl_${created.prefix}_`);
    expect(html).not.toContain(created.key);
  });
});
