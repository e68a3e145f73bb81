import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runDueJobs } from "../app/jobs/queue.server";
import { DEFAULT_SOCIAL_CLAIM_DELAY_MS, socialClaimJobHandlers } from "../app/models/social-claims.server";
import { startAppServer } from "./support/app-server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./support/database";
import { addEarningRule } from "./support/earning";
import { balanceOf, createMember } from "./support/members";
import { customerAccountSessionToken } from "./support/remix-app";
import { signProxyQuery } from "./support/signing";

// POST /apps/loyalty/ways-to-earn/<id>/claim, as Shopify's app proxy forwards it (signed, with the
// logged-in customer): a live social follow not yet done is booked and credited by a job after
// the delay; everything else is refused with its reason, and nothing is booked.

const SHOP = "claims-test.myshopify.com";
const OTHER = "claims-other.myshopify.com";
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startAppServer>>;
const rules = { instagram: 0, tiktok: 0, off: 0, dryRun: 0, signup: 0, vipOnly: 0, ended: 0, otherShop: 0 };

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await installShop(database.db, OTHER);
  const social = (network: string, extra: Parameters<typeof addEarningRule>[2] | object = {}) => ({
    kind: "social",
    points: 50,
    settings: { network, url: `https://${network}.com/tea-house` },
    ...extra,
  });
  rules.instagram = await addEarningRule(database.db, SHOP, social("instagram"));
  rules.tiktok = await addEarningRule(database.db, SHOP, social("tiktok", { points: 30 }));
  rules.off = await addEarningRule(database.db, SHOP, social("facebook", { status: "off" }));
  rules.dryRun = await addEarningRule(database.db, SHOP, social("youtube", { status: "dry_run" }));
  rules.signup = await addEarningRule(database.db, SHOP, { kind: "signup", points: 100 });
  rules.vipOnly = await addEarningRule(database.db, SHOP, social("x", { customer_tags: ["vip"] }));
  rules.ended = await addEarningRule(database.db, SHOP, social("instagram", { ends_at: new Date(Date.now() - 60_000).toISOString() }));
  rules.otherShop = await addEarningRule(database.db, OTHER, social("instagram"));
  app = await startAppServer(database);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});
afterEach(async () => {
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

async function claim(ruleId: number | string, customerId: string, { method = "POST", shop = SHOP } = {}) {
  const query = signProxyQuery({ shop, logged_in_customer_id: customerId, path_prefix: "/apps/loyalty", timestamp: String(Math.floor(Date.now() / 1000)) });
  const response = await fetch(`${app.origin}/proxy/ways-to-earn/${ruleId}/claim?${query}`, { method });
  return { status: response.status, body: await response.json() };
}

// The claims' jobs only: the metafield syncs their points book are another test's (ways-to-earn-metafields-...).
const runJobsAt = (at: number) => runDueJobs(database.db, socialClaimJobHandlers(), { now: new Date(at) });
const socialEntries = (memberId: number) =>
  database.db.raw.all<{ source_key: string; delta: number; kind: string; rule_id: number }>(
    `SELECT "source_key", "delta", "kind", "rule_id" FROM "ledger_entries" WHERE "member_id" = ? AND "kind" = 'social' ORDER BY "id"`,
    [memberId],
  );
const claimJobs = (customerId: string) =>
  database.db.raw.all<{ job_key: string }>(`SELECT "job_key" FROM "jobs" WHERE "kind" = 'ways_to_earn.social_claim' AND "job_key" LIKE ?`, [`%:${customerId}`]);

describe("a member claims a social follow", () => {
  it("is booked (202, when it lands), credited once by the job after the delay, then answers done", async () => {
    const member = await createMember(database.db, SHOP);
    const before = Date.now();
    const first = await claim(rules.instagram, member.customerId);
    expect(first).toMatchObject({ status: 202, body: { ok: true, status: "pending" } });
    const availableAt = Date.parse(first.body.availableAt);
    expect(availableAt - before).toBeGreaterThanOrEqual(DEFAULT_SOCIAL_CLAIM_DELAY_MS - 1000);
    expect(availableAt - Date.now()).toBeLessThanOrEqual(DEFAULT_SOCIAL_CLAIM_DELAY_MS);
    expect(await claimJobs(member.customerId)).toEqual([{ job_key: `social:${SHOP}:${rules.instagram}:${member.customerId}` }]);

    // A second tap while it is pending is the same claim: same time, one job.
    expect(await claim(rules.instagram, member.customerId)).toMatchObject({ status: 202, body: { availableAt: first.body.availableAt } });
    expect(await claimJobs(member.customerId)).toHaveLength(1);

    // Nothing before the delay is over.
    await runJobsAt(availableAt - 1000);
    expect(await balanceOf(database.db, member.id)).toBe(0);
    await runJobsAt(availableAt + 10);
    expect(await socialEntries(member.id)).toEqual([
      { source_key: `social:${rules.instagram}:${member.customerId}`, delta: 50, kind: "social", rule_id: rules.instagram },
    ]);
    expect(await balanceOf(database.db, member.id)).toBe(50);

    expect(await claim(rules.instagram, member.customerId)).toEqual({ status: 200, body: { ok: true, status: "done" } });
    await runJobsAt(availableAt + 60_000);
    expect(await balanceOf(database.db, member.id)).toBe(50);
    // The member's row knows it is done, and owes the storefront a metafield sync.
    const row = await database.db.raw.get<{ rule_awards: string; synced_points: number | null }>(
      'SELECT "rule_awards", "synced_points" FROM "members" WHERE "id" = ?',
      [member.id],
    );
    expect(Object.keys(JSON.parse(row!.rule_awards))).toEqual([String(rules.instagram)]);
    expect(row!.synced_points).toBeNull();
  });

  it("each network is its own way to earn", async () => {
    const member = await createMember(database.db, SHOP);
    const instagram = await claim(rules.instagram, member.customerId);
    expect((await claim(rules.tiktok, member.customerId)).status).toBe(202);
    await runJobsAt(Date.parse(instagram.body.availableAt) + 1000);
    expect((await socialEntries(member.id)).map((entry) => entry.delta).sort()).toEqual([30, 50]);
  });

  it("a logged-in customer the program has not met yet becomes a member when the points land", async () => {
    const customerId = "880001";
    const booked = await claim(rules.instagram, customerId);
    expect(booked.status).toBe(202);
    await runJobsAt(Date.parse(booked.body.availableAt) + 1000);
    const member = await database.db.raw.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [SHOP, customerId]);
    expect(member).toEqual({ balance: 50 });
  });
});

describe("refused claims book nothing", () => {
  it.each([
    ["an unknown way to earn", () => 999_999, 404, "way_to_earn_not_found"],
    ["an id that is not a number", () => "instagram", 404, "way_to_earn_not_found"],
    ["another shop's way to earn", () => rules.otherShop, 404, "way_to_earn_not_found"],
    ["a way to earn that is not a social follow", () => rules.signup, 422, "not_claimable"],
    ["a social follow that is off", () => rules.off, 422, "way_to_earn_off"],
    ["a social follow in dry run", () => rules.dryRun, 422, "way_to_earn_off"],
    ["a social follow that has ended", () => rules.ended, 422, "way_to_earn_off"],
    ["a social follow for other customer tags", () => rules.vipOnly, 422, "way_to_earn_not_eligible"],
  ])("%s", async (_name, ruleId, status, reason) => {
    const member = await createMember(database.db, SHOP);
    const answer = await claim(ruleId(), member.customerId);
    expect(answer).toMatchObject({ status, body: { ok: false, error: reason, messageKey: `errors.${reason}` } });
    expect(answer.body.message).toMatch(/\w+ \w+/);
    expect(await claimJobs(member.customerId)).toEqual([]);
  });

  it("a guest (no logged-in customer) gets 401 not_logged_in", async () => {
    expect(await claim(rules.instagram, "")).toMatchObject({ status: 401, body: { error: "not_logged_in" } });
  });

  it("an unsigned request gets 401, and GET gets 405", async () => {
    const response = await fetch(`${app.origin}/proxy/ways-to-earn/${rules.instagram}/claim?shop=${SHOP}&logged_in_customer_id=1`, { method: "POST" });
    expect(response.status).toBe(401);
    expect(await claim(rules.instagram, "1", { method: "GET" })).toMatchObject({ status: 405, body: { error: "method_not_allowed" } });
  });
});

describe("a social follow claimed from the customer account", () => {
  async function claimFromAccount(ruleId: number, customerId: string, shop = SHOP) {
    const response = await fetch(`${app.origin}/api/customer-account/ways-to-earn/${ruleId}/claim`, {
      method: "POST",
      headers: { Authorization: `Bearer ${customerAccountSessionToken({ shop, customerId })}` },
    });
    return { status: response.status, body: await response.json() };
  }

  it("is booked with the session token's customer, credited once after the delay, and done on a repeat", async () => {
    const member = await createMember(database.db, SHOP);
    const booked = await claimFromAccount(rules.tiktok, member.customerId);
    expect(booked).toMatchObject({ status: 202, body: { ok: true, status: "pending" } });
    await runJobsAt(Date.now() + DEFAULT_SOCIAL_CLAIM_DELAY_MS + 1_000);
    expect(await balanceOf(database.db, member.id)).toBe(30);
    expect(await claimFromAccount(rules.tiktok, member.customerId)).toMatchObject({ status: 200, body: { ok: true, status: "done" } });
    await runJobsAt(Date.now() + 2 * DEFAULT_SOCIAL_CLAIM_DELAY_MS);
    expect(await balanceOf(database.db, member.id)).toBe(30);
  });

  it("refuses another shop's rule and a token signed for another shop", async () => {
    const member = await createMember(database.db, SHOP);
    expect((await claimFromAccount(rules.otherShop, member.customerId)).status).toBe(404);
    expect((await claimFromAccount(rules.instagram, member.customerId, OTHER)).status).toBe(404);
  });
});
