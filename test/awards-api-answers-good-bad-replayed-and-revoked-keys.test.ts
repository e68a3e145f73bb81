import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../app/models/api-keys.server";
import { addEarningRule } from "./support/action-rules";
import { balanceOf, createMember } from "./support/members";
import { TEST_APP_URL, useRemixApp } from "./support/remix-app";

const SHOP = "awards-api-test.myshopify.com";
const OTHER_SHOP = "awards-api-other-test.myshopify.com";
const fixture = useRemixApp([SHOP, OTHER_SHOP]);
const STAFF = { type: "staff" as const, id: "501", name: "Staff 501" };
const db = () => fixture.database.db;

async function newKey(shop = SHOP) {
  const created = await createApiKey(db(), shop, `Reviews ${randomUUID().slice(0, 6)}`, STAFF, new Date().toISOString());
  if (!created.ok) throw new Error(created.message);
  return created;
}

function call(key: string | null, body: unknown, { method = "POST" }: { method?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  return fixture.app.handle(
    new Request(`${TEST_APP_URL}/api/v1/awards`, {
      method,
      headers,
      body: method === "GET" ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

const answer = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });

const entriesOf = (memberId: number) =>
  db().raw.all<{ delta: number; kind: string; source_key: string; rule_id: number; breakdown: string; reason: string }>(
    'SELECT "delta", "kind", "source_key", "rule_id", "breakdown", "reason" FROM "ledger_entries" WHERE "member_id" = ? ORDER BY "id"',
    [memberId],
  );

describe("POST /api/v1/awards", () => {
  it("awards a review once with a good key, and answers a replay with the first answer", async () => {
    const { key } = await newKey();
    const member = await createMember(db(), SHOP);
    const ruleId = await addEarningRule(db(), SHOP, { points: 50 });
    const body = { customerId: member.customerId, ruleId, idempotencyKey: "judgeme-review-1001", note: "5 stars" };

    const first = await answer(await call(key, body));
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ ok: true, points: 50, balance: 50, entryId: expect.any(Number), sourceKey: `action:${ruleId}:judgeme-review-1001` });
    expect(await entriesOf(member.id)).toEqual([
      {
        delta: 50,
        kind: "review",
        source_key: `action:${ruleId}:judgeme-review-1001`,
        rule_id: ruleId,
        breakdown: JSON.stringify([{ label: "Product review", ruleId, points: 50 }]),
        reason: expect.stringMatching(/^Product review · API key Reviews \w+ · 5 stars$/),
      },
    ]);

    const again = await answer(await call(key, { ...body }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(await entriesOf(member.id)).toHaveLength(1);
    expect(await balanceOf(db(), member.id)).toBe(50);

    const lastUsed = await db().raw.get<{ last_used_at: string | null }>(
      'SELECT "last_used_at" FROM "api_keys" WHERE "secret_hash" IS NOT NULL AND "prefix" = ?',
      [key.split("_")[1]],
    );
    expect(lastUsed?.last_used_at).not.toBeNull();
  });

  it("refuses the same idempotency key with a different body with 409 and applies nothing", async () => {
    const { key } = await newKey();
    const member = await createMember(db(), SHOP);
    const ruleId = await addEarningRule(db(), SHOP);
    const body = { email: `customer${member.customerId}@example.com`, ruleId, idempotencyKey: "review-2002" };
    expect((await call(key, body)).status).toBe(201);
    const conflict = await answer(await call(key, { ...body, photo: true }));
    expect(conflict).toEqual({
      status: 409,
      body: { ok: false, reason: "idempotency_conflict", message: expect.stringMatching(/review-2002.*already used with a different request/) },
    });
    expect(await entriesOf(member.id)).toHaveLength(1);
    expect(await balanceOf(db(), member.id)).toBe(50);
  });

  it("awards once when the same call arrives twice at the same moment, and a limit of one holds under two keys at once", async () => {
    const { key } = await newKey();
    const member = await createMember(db(), SHOP);
    const ruleId = await addEarningRule(db(), SHOP, { points: 10 });
    const body = { customerId: member.customerId, ruleId, idempotencyKey: `race-${randomUUID()}` };
    const statuses = (await Promise.all([call(key, body), call(key, body)])).map((response) => response.status).sort();
    expect(statuses).toEqual([200, 201]);
    expect(await entriesOf(member.id)).toHaveLength(1);

    const once = await addEarningRule(db(), SHOP, { kind: "custom", points: 5, limit: { count: 1, period: "ever" } });
    const racing = await Promise.all(["a", "b"].map((suffix) => call(key, { customerId: member.customerId, ruleId: once, idempotencyKey: `once-${suffix}` })));
    expect(racing.map((response) => response.status).sort()).toEqual([201, 422]);
    expect(await balanceOf(db(), member.id)).toBe(15);
  });

  it("adds the photo bonus to a review with a photo, and shows how in the breakdown", async () => {
    const { key } = await newKey();
    const member = await createMember(db(), SHOP);
    const ruleId = await addEarningRule(db(), SHOP, { points: 50, photoBonusPoints: 25 });
    const awarded = await answer(
      await call(key, { customerId: `gid://shopify/Customer/${member.customerId}`, ruleId, idempotencyKey: "photo-1", photo: true }),
    );
    expect(awarded).toMatchObject({ status: 201, body: { ok: true, points: 75, balance: 75 } });
    expect(JSON.parse((await entriesOf(member.id))[0].breakdown)).toEqual([
      { label: "Product review", ruleId, points: 50 },
      { label: "Photo review bonus", ruleId, points: 25 },
    ]);
  });

  it("answers 422 once the rule's limit is reached, and keeps nothing of the refused call", async () => {
    const { key } = await newKey();
    const member = await createMember(db(), SHOP);
    const ruleId = await addEarningRule(db(), SHOP, { kind: "custom", points: 30, limit: { count: 1, period: "month" } });
    expect((await call(key, { customerId: member.customerId, ruleId, idempotencyKey: "custom-a" })).status).toBe(201);
    const refused = await answer(await call(key, { customerId: member.customerId, ruleId, idempotencyKey: "custom-b" }));
    expect(refused).toEqual({ status: 422, body: { ok: false, reason: "limit_reached", message: expect.stringMatching(/limit of 1 per month reached/) } });
    expect(await balanceOf(db(), member.id)).toBe(30);
    expect(await db().raw.get('SELECT 1 AS "kept" FROM "api_calls" WHERE "shop" = ? AND "idempotency_key" = ?', [SHOP, "custom-b"])).toBeUndefined();
  });

  it("answers 422 for a rule that is not a review or custom action, or is off", async () => {
    const { key } = await newKey();
    const member = await createMember(db(), SHOP);
    const purchase = (await db().raw.get<{ id: number }>(`SELECT "id" FROM "earning_rules" WHERE "shop" = ? AND "kind" = 'purchase'`, [SHOP]))!.id;
    const social = await addEarningRule(db(), SHOP, { kind: "social" });
    const off = await addEarningRule(db(), SHOP, { status: "off" });
    for (const [ruleId, message] of [
      [purchase, /is a purchase; only a product review or custom action/],
      [social, /is a social follow; only a product review or custom action/],
      [off, /turned off/],
    ] as const) {
      const refused = await answer(await call(key, { customerId: member.customerId, ruleId, idempotencyKey: `wrong-${ruleId}` }));
      expect(refused).toEqual({ status: 422, body: { ok: false, reason: "not_awardable", message: expect.stringMatching(message), field: "ruleId" } });
    }
    expect(await entriesOf(member.id)).toEqual([]);
  });

  it("records a dry-run rule's award as a dry run and credits nothing", async () => {
    const { key } = await newKey();
    const member = await createMember(db(), SHOP);
    const ruleId = await addEarningRule(db(), SHOP, { status: "dry_run", points: 40 });
    const awarded = await answer(await call(key, { customerId: member.customerId, ruleId, idempotencyKey: "dry-1" }));
    expect(awarded).toEqual({ status: 201, body: { ok: true, dryRun: true, points: 0, wouldAward: 40, balance: 0, sourceKey: `dry:action:${ruleId}:dry-1` } });
    expect(await entriesOf(member.id)).toEqual([]);
    expect(await db().raw.get('SELECT "points" FROM "dry_run_awards" WHERE "member_id" = ?', [member.id])).toEqual({ points: 40 });
  });

  it("answers 404 for another shop's rule and for a customer it does not know, and applies nothing", async () => {
    const { key } = await newKey();
    const member = await createMember(db(), SHOP);
    const theirRule = await addEarningRule(db(), OTHER_SHOP);
    const theirMember = await createMember(db(), OTHER_SHOP);
    const mine = await addEarningRule(db(), SHOP);
    expect(await answer(await call(key, { customerId: member.customerId, ruleId: theirRule, idempotencyKey: "x-1" }))).toEqual({
      status: 404,
      body: { ok: false, reason: "rule_not_found", message: `This store has no way to earn with id ${theirRule}.`, field: "ruleId" },
    });
    for (const customer of [{ email: "nobody@example.com" }, { customerId: theirMember.customerId }]) {
      const unknown = await answer(await call(key, { ...customer, ruleId: mine, idempotencyKey: `x-${randomUUID()}` }));
      expect(unknown).toMatchObject({ status: 404, body: { ok: false, reason: "member_not_found" } });
    }
    expect(await entriesOf(member.id)).toEqual([]);
    expect(await entriesOf(theirMember.id)).toEqual([]);
  });

  it("answers 401 to a missing, malformed, unknown or revoked key", async () => {
    const member = await createMember(db(), SHOP);
    const ruleId = await addEarningRule(db(), SHOP);
    const revoked = await newKey();
    expect(await revokeApiKey(db(), SHOP, revoked.id, STAFF, new Date().toISOString())).toBe(true);
    const body = { customerId: member.customerId, ruleId, idempotencyKey: "auth-1" };
    for (const [key, reason] of [
      [null, "missing_key"],
      ["not-a-key", "malformed_key"],
      [`lyl_${revoked.prefix}_${"0".repeat(48)}`, "unknown_key"],
      [revoked.key, "revoked_key"],
    ] as const) {
      const refused = await call(key, body);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
      expect(await refused.json()).toEqual({ ok: false, reason, message: expect.any(String) });
    }
    expect(await entriesOf(member.id)).toEqual([]);
  });

  it("answers 400 for a body that is not JSON or misses a field, naming the field", async () => {
    const { key } = await newKey();
    const member = await createMember(db(), SHOP);
    expect(await answer(await call(key, "{not json"))).toMatchObject({ status: 400, body: { ok: false, reason: "bad_json" } });
    for (const [body, field] of [
      [{ ruleId: 1, idempotencyKey: "k" }, "customerId"],
      [{ customerId: member.customerId, idempotencyKey: "k" }, "ruleId"],
      [{ customerId: member.customerId, ruleId: 1 }, "idempotencyKey"],
      [{ customerId: member.customerId, ruleId: 1, idempotencyKey: "x".repeat(201) }, "idempotencyKey"],
      [{ customerId: member.customerId, ruleId: 1, idempotencyKey: "k", photo: "yes" }, "photo"],
      [{ email: "not an email", ruleId: 1, idempotencyKey: "k" }, "email"],
    ] as const) {
      expect(await answer(await call(key, body))).toEqual({ status: 400, body: { ok: false, reason: "invalid_request", message: expect.any(String), field } });
    }
  });

  it("answers 405 to anything but POST", async () => {
    const response = await call(null, null, { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });

  it("answers 429 with Retry-After past 60 requests a minute on one key, and other keys still pass", async () => {
    const { key } = await newKey();
    for (let i = 0; i < 60; i++) expect((await call(key, "{")).status).toBe(400);
    const limited = await call(key, "{");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ ok: false, reason: "rate_limited" });
    expect((await call((await newKey()).key, "{")).status).toBe(400);
  });
});
