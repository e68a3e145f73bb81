import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adjustPointsRun, flowRequestInit, lifecycleCallback } from "./support/flow";
import { balanceOf, createMember } from "./support/members";
import { loadRemixApp, TEST_APP_URL } from "./support/remix-app";
import { signWebhookBody } from "./support/signing";
import { useWebhookApp } from "./support/webhook-app";

const SHOP = "flow-action.myshopify.com";
const OTHER = "flow-action-other.myshopify.com";
const REDACTED = "flow-action-redacted.myshopify.com";
const fixture = useWebhookApp([SHOP, OTHER, REDACTED]);

const post = async (init: RequestInit, path = "/flow/actions/adjust-points") => {
  const response = await fetch(`${fixture.app.origin}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const entriesOf = (memberId: number) =>
  fixture.database.db.raw.all<{ delta: number; kind: string; reason: string; source_key: string; actor_type: string }>(
    'SELECT "delta", "kind", "reason", "source_key", "actor_type" FROM "ledger_entries" WHERE "member_id" = ? ORDER BY "id"',
    [memberId],
  );

describe("the Adjust loyalty points action", () => {
  it("adds the points once, with the reason after 'Shopify Flow:', and answers a replay of the run the same without a second entry", async () => {
    const member = await createMember(fixture.database.db, SHOP);
    const run = adjustPointsRun(SHOP, { customer_id: `gid://shopify/Customer/${member.customerId}`, points: 150, reason: "Answered the survey" });
    const first = await post(flowRequestInit(run));
    expect(first).toMatchObject({ status: 200, body: { ok: true, points: 150, balance: 150, replayed: false } });
    const again = await post(flowRequestInit(run));
    expect(again).toMatchObject({ status: 200, body: { ok: true, points: 150, balance: 150, replayed: true, entryId: first.body.entryId } });
    expect(await entriesOf(member.id)).toEqual([
      { delta: 150, kind: "manual_adjustment", reason: "Shopify Flow: Answered the survey", source_key: `flow:${run.action_run_id}`, actor_type: "system" },
    ]);
  });

  it("takes points away with a negative number (a numeric customer id and points as text are read too)", async () => {
    const member = await createMember(fixture.database.db, SHOP);
    expect((await post(flowRequestInit(adjustPointsRun(SHOP, { customer_id: member.customerId, points: 300, reason: "Welcome" })))).status).toBe(200);
    const taken = await post(flowRequestInit(adjustPointsRun(SHOP, { customer_id: Number(member.customerId), points: "-120", reason: "Returned item" })));
    expect(taken).toMatchObject({ status: 200, body: { points: -120, balance: 180 } });
    expect(await balanceOf(fixture.database.db, member.id)).toBe(180);
  });

  it("makes a customer the program does not know yet a member when points are added, and refuses to take points from one", async () => {
    const customerId = "880000000001";
    const taken = await post(flowRequestInit(adjustPointsRun(SHOP, { customer_id: customerId, points: -10, reason: "Oops" })));
    expect(taken).toMatchObject({ status: 404, body: { ok: false, reason: "member_not_found" } });
    expect(await fixture.database.db.raw.get('SELECT "id" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [SHOP, customerId])).toBeUndefined();
    const added = await post(flowRequestInit(adjustPointsRun(SHOP, { customer_id: customerId, points: 25, reason: "Joined through Flow" })));
    expect(added).toMatchObject({ status: 200, body: { points: 25, balance: 25 } });
  });

  it("changes only the signed shop's member: the same customer id in another shop keeps its points", async () => {
    const customerId = "880000000002";
    const here = await createMember(fixture.database.db, SHOP, { customerId });
    const there = await createMember(fixture.database.db, OTHER, { customerId });
    expect((await post(flowRequestInit(adjustPointsRun(SHOP, { customer_id: customerId, points: 40, reason: "Here only" })))).status).toBe(200);
    expect(await balanceOf(fixture.database.db, here.id)).toBe(40);
    expect(await balanceOf(fixture.database.db, there.id)).toBe(0);
    expect(await entriesOf(there.id)).toEqual([]);
  });

  it("refuses a run id already applied with other points or another customer (409), and changes nothing", async () => {
    const member = await createMember(fixture.database.db, SHOP);
    const run = adjustPointsRun(SHOP, { customer_id: member.customerId, points: 10, reason: "First" });
    expect((await post(flowRequestInit(run))).status).toBe(200);
    const conflicting = await post(flowRequestInit({ ...run, properties: { ...run.properties, points: 99 } }));
    expect(conflicting).toMatchObject({ status: 409, body: { ok: false, reason: "run_conflict" } });
    expect(await balanceOf(fixture.database.db, member.id)).toBe(10);
  });

  describe("refuses, changing nothing", () => {
    it("answers 401 to an unsigned request, a forged signature and a body changed after signing", async () => {
      const member = await createMember(fixture.database.db, SHOP);
      const run = adjustPointsRun(SHOP, { customer_id: member.customerId, points: 500, reason: "Free points" });
      expect(await post(flowRequestInit(run, { hmac: null }))).toMatchObject({ status: 401, body: { reason: "not_signed" } });
      expect(await post(flowRequestInit(run, { secret: "not-our-secret" }))).toMatchObject({ status: 401, body: { reason: "bad_signature" } });
      const signed = flowRequestInit(run);
      const tampered = signed.body.replace('"points":500', '"points":5000');
      expect(tampered).not.toBe(signed.body);
      expect(await post({ ...signed, body: tampered })).toMatchObject({ status: 401, body: { reason: "bad_signature" } });
      expect(await balanceOf(fixture.database.db, member.id)).toBe(0);
    });

    it("answers 405 to anything but POST, and 400 to a signed body that is not JSON", async () => {
      const response = await fetch(`${fixture.app.origin}/flow/actions/adjust-points`, { method: "GET" });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      expect(await post(flowRequestInit("not json", { hmac: signWebhookBody("not json") }))).toMatchObject({ status: 400, body: { reason: "bad_json" } });
    });

    it.each([
      [{ points: 1.5 }, 422, "invalid_points", "Points are whole numbers: no decimals."],
      [{ points: 0 }, 422, "invalid_points", "An adjustment of 0 points changes nothing."],
      [{ points: "lots" }, 422, "invalid_points", "Points must be a whole number, like 100 or -100."],
      [{ points: 2_000_000 }, 422, "invalid_points", "Adjustments are limited to 1,000,000 points either way."],
      [{ reason: "   " }, 422, "invalid_reason", "Say why the points change: the customer's history shows it."],
      [{ reason: "x".repeat(501) }, 422, "invalid_reason", "Keep the reason under 500 characters."],
      [{ customer_id: "gid://shopify/Order/5" }, 422, "invalid_customer", "The customer is not a Shopify customer id."],
    ])("answers %o with %i %s and says why", async (change, status, reason, message) => {
      const member = await createMember(fixture.database.db, SHOP);
      const run = adjustPointsRun(SHOP, { customer_id: member.customerId, points: 100, reason: "A reason", ...change });
      expect(await post(flowRequestInit(run))).toEqual({ status, body: { ok: false, reason, message, field: Object.keys(change)[0] } });
      expect(await entriesOf(member.id)).toEqual([]);
    });

    it("answers 413 to a body over 64 KB", async () => {
      const run = adjustPointsRun(SHOP, { customer_id: "1", points: 5, reason: "x".repeat(70_000) });
      expect(await post(flowRequestInit(run))).toMatchObject({ status: 413, body: { ok: false, reason: "payload_too_large" } });
    });

    it("answers 404 for a store that does not have the app installed, and 400 for a run without an id", async () => {
      const run = adjustPointsRun("never-installed.myshopify.com", { customer_id: "1", points: 5, reason: "x" });
      expect(await post(flowRequestInit(run))).toMatchObject({ status: 404, body: { reason: "not_installed" } });
      const { action_run_id: _runId, ...withoutRun } = adjustPointsRun(SHOP, { customer_id: "1", points: 5, reason: "x" });
      expect(await post(flowRequestInit(withoutRun))).toMatchObject({ status: 400, body: { reason: "invalid_request", field: "action_run_id" } });
    });
  });
});

describe("shop/redact", () => {
  it("forgets which Flow triggers the shop used", async () => {
    expect((await post(flowRequestInit(lifecycleCallback(REDACTED, "loyalty-points-earned", true)), "/flow/lifecycle")).status).toBe(200);
    const uses = () => fixture.database.db.raw.all('SELECT "handle" FROM "flow_trigger_uses" WHERE "shop" = ?', [REDACTED]);
    expect(await uses()).toHaveLength(1);
    expect((await fixture.app.deliver({ topic: "shop/redact", shop: REDACTED, payload: { shop_id: 1, shop_domain: REDACTED } })).status).toBe(200);
    expect(await uses()).toEqual([]);
  });
});

describe("the Remix routes (what `shopify app dev` serves)", () => {
  let remix: Awaited<ReturnType<typeof loadRemixApp>>;
  beforeAll(async () => {
    remix = await loadRemixApp(fixture.database.url);
  }, 120_000);
  afterAll(async () => {
    await remix?.close();
  });

  it("verify and apply the action and the lifecycle callback as the app's server does", async () => {
    const member = await createMember(fixture.database.db, SHOP);
    const run = adjustPointsRun(SHOP, { customer_id: member.customerId, points: 70, reason: "Through Remix" });
    const send = async (path: string, init: RequestInit) => {
      const response = await remix.handle(new Request(new URL(path, TEST_APP_URL), init));
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await send("/flow/actions/adjust-points", flowRequestInit(run, { secret: "forged" }))).toMatchObject({ status: 401 });
    expect(await send("/flow/actions/adjust-points", flowRequestInit(run))).toMatchObject({ status: 200, body: { points: 70, balance: 70, replayed: false } });
    expect(await send("/flow/actions/adjust-points", flowRequestInit(run))).toMatchObject({ status: 200, body: { replayed: true } });
    expect(await balanceOf(fixture.database.db, member.id)).toBe(70);
    const callback = { flow_trigger_definition_id: "loyalty-points-earned", has_enabled_flow: true, shopify_domain: SHOP, timestamp: new Date().toISOString() };
    expect(await send("/flow/lifecycle", flowRequestInit(callback))).toMatchObject({ status: 200, body: { active: true } });
  });
});
