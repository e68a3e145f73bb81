import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readShopEarning } from "../app/models/earning-rules.server";
import { ensureShop } from "../app/models/shops.server";
import { readTierProgramConfig } from "../app/models/tiers.server";
import { listTierAccess } from "../app/models/tier-access.server";
import {
  addDemoEarlyAccess,
  addDemoExpiry,
  addDemoMessages,
  addDemoTiers,
  addDemoWaysToEarn,
  awardDemoMemberEvents,
  startDemoDoublePoints,
  type DemoProgram,
} from "../simulator/demo-program";
import { loadExpiryPolicy, pointsExpiringWithin } from "../app/models/expiry.server";
import type { SimCustomer } from "../simulator/types";
import { createTestDatabase, ledgerMismatches, type TestDatabase } from "./support/database";

// The demo's program as `npm run demo` seeds it (simulator/stack.ts), against a fresh database.

const SHOP = "demo-seed.myshopify.com";
const DAY_MS = 86_400_000;
let database: TestDatabase;
let program: DemoProgram;
const now = Date.now();

const customer = (id: number, firstName: string): SimCustomer => ({
  id,
  email: `${firstName.toLowerCase()}@example.com`,
  firstName,
  lastName: "Demo",
  phone: null,
  note: null,
  tags: [],
  verifiedEmail: true,
  accountState: "enabled",
  emailMarketing: "not_subscribed",
  locale: "en",
  createdAt: new Date(now),
  updatedAt: new Date(now),
});
const customers = [customer(701, "Ada"), customer(702, "Grace"), customer(703, "Katherine"), customer(704, "Alan"), customer(705, "Margaret")];

beforeAll(async () => {
  database = await createTestDatabase();
  // Installing gives a new shop its defaults: 1 point per dollar, sign-up and birthday points.
  await ensureShop(database.db, SHOP, new Date(now).toISOString());
  program = await addDemoWaysToEarn(database.db, SHOP, now);
  await addDemoMessages(database.db, SHOP, now);
  await addDemoTiers(database.db, SHOP, now);
  await addDemoEarlyAccess(database.db, SHOP, 8801, "First-flush Darjeeling", now);
  await awardDemoMemberEvents(database.db, SHOP, customers, program, now);
  await startDemoDoublePoints(database.db, SHOP, now);
  await addDemoExpiry(database.db, SHOP, customers, now);
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

/** What the ways to earn awarded (the points carried over for the expiry demo are an adjustment, apart). */
const awardsOf = (customerId: number) =>
  database.db.raw.all<{ kind: string; delta: number; rule_id: number | null }>(
    `SELECT e."kind", e."delta", e."rule_id" FROM "ledger_entries" e JOIN "members" m ON m."id" = e."member_id"
     WHERE m."shop" = ? AND m."customer_id" = ? AND e."kind" <> 'manual_adjustment' ORDER BY e."id"`,
    [SHOP, String(customerId)],
  );

describe("the demo shop", () => {
  it("runs Bronze, Silver and Gold, named in the five shopper languages, Gold with checkout perks and the VIP tag", async () => {
    const tiers = await readTierProgramConfig(database.db, SHOP);
    expect(tiers).toMatchObject({ enabled: true, basis: "points_earned", period: { kind: "rolling", months: 12 }, tagPrefix: "VIP: " });
    expect(tiers!.tiers.map((tier) => [tier.names.en, tier.threshold, tier.multiplierPercent])).toEqual([
      ["Bronze", 2000, 100],
      ["Silver", 3000, 125],
      ["Gold", 4000, 150],
    ]);
    for (const tier of tiers!.tiers) expect(Object.keys(tier.names).sort()).toEqual(["ar", "da", "en", "he", "ro"]);
    expect(tiers!.tiers[2]).toMatchObject({ freeShipping: true, memberPricePercent: 10, birthdayPoints: 300 });
  });

  it("keeps a new tea for Gold members for two weeks", async () => {
    const rules = await listTierAccess(database.db, SHOP, new Date(now));
    expect(rules).toEqual([
      expect.objectContaining({
        targetType: "product",
        targetId: "gid://shopify/Product/8801",
        minRank: 3,
        targetTitle: "First-flush Darjeeling",
        who: "Gold only",
      }),
    ]);
    expect(Date.parse(rules[0].until!) - now).toBeGreaterThan(13 * DAY_MS);
  });

  it("has every kind of way to earn live beside the defaults, with the shopper's words in English and Hebrew", async () => {
    const { rules } = await readShopEarning(database.db, SHOP, new Date(now));
    expect(rules.map((rule) => [rule.kind, rule.status])).toEqual([
      ["purchase", "live"],
      ["signup", "live"],
      ["birthday", "live"],
      ["nth_order", "live"],
      ["first_order", "live"],
      ["social", "live"],
      ["review", "live"],
      ["custom", "live"],
    ]);
    const byId = new Map(rules.map((rule) => [rule.id, rule]));
    expect(byId.get(program.stampCard)).toMatchObject({ everyNth: 5, points: 200 });
    expect(byId.get(program.instagram)!.settings).toEqual({ network: "instagram", url: "https://www.instagram.com/demoteahouse" });
    expect(byId.get(program.styleQuiz)!.content.en.title).toBe("Complete our style quiz");
    expect(byId.get(program.review)!.content.he.title).toBeTruthy();
  });

  it("runs double points now, a bonus week from next week, a dry-run campaign, and holds points for 14 days", async () => {
    const campaigns = await database.db.raw.all<{ name: string; status: string; starts_at: string; ends_at: string }>(
      'SELECT "name", "status", "starts_at", "ends_at" FROM "campaigns" WHERE "shop" = ? ORDER BY "id"',
      [SHOP],
    );
    const running = (c: { starts_at: string; ends_at: string }) => Date.parse(c.starts_at) <= now && now < Date.parse(c.ends_at);
    expect(campaigns.map((c) => [c.name, c.status, running(c)])).toEqual([
      ["Triple points on teaware (trial)", "dry_run", true],
      ["Spring tea week", "live", false],
      ["Double points weekend", "live", true],
    ]);
    const nextWeek = Date.parse(campaigns[1].starts_at) - now;
    expect(nextWeek).toBeGreaterThanOrEqual(6 * DAY_MS);
    expect(nextWeek).toBeLessThanOrEqual(8 * DAY_MS);
    expect(await database.db.raw.get('SELECT "pending_days" FROM "shops" WHERE "domain" = ?', [SHOP])).toEqual({ pending_days: 14 });
  });

  it("awards sign-up points to every member, a birthday today, a photo review, the style quiz and an Instagram follow, once each", async () => {
    expect(await awardsOf(701)).toEqual([
      { kind: "signup", delta: 100, rule_id: expect.any(Number) },
      { kind: "birthday", delta: 100, rule_id: expect.any(Number) },
    ]);
    expect((await awardsOf(702)).map((e) => [e.kind, e.delta])).toEqual([
      ["signup", 100],
      ["review", 50],
    ]);
    expect((await awardsOf(703)).map((e) => [e.kind, e.delta, e.rule_id])).toEqual([
      ["signup", 100, expect.any(Number)],
      ["custom_action", 75, program.styleQuiz],
    ]);
    expect((await awardsOf(704)).map((e) => [e.kind, e.delta, e.rule_id])).toEqual([
      ["signup", 100, expect.any(Number)],
      ["social", 50, program.instagram],
    ]);
    expect((await awardsOf(705)).map((e) => e.kind)).toEqual(["signup"]);
    // Every award is remembered on the member's row: the shopper surfaces mark them done.
    const ada = await database.db.raw.get<{ rule_awards: string }>('SELECT "rule_awards" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [SHOP, "701"]);
    expect(Object.keys(JSON.parse(ada!.rule_awards))).toHaveLength(2);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });

  it("expires points 3 months after they are earned; two members' older points expire within weeks", async () => {
    expect(await loadExpiryPolicy(database.db, SHOP)).toEqual({ kind: "age", months: 3 });
    // The points carried over 80 days ago (150 and 250) expire in about 10 days; today's in 3 months.
    expect(await pointsExpiringWithin(database.db, SHOP, 30, new Date(now))).toMatchObject({ points: 400, members: 2 });
    expect((await pointsExpiringWithin(database.db, SHOP, 100, new Date(now))).points).toBeGreaterThan(400);
  });

  it("sends member emails: every kind on but the referral hook (the customers' webhooks then queue their welcome)", async () => {
    const kinds = await database.db.raw.all<{ kind: string }>(`SELECT "kind" FROM "message_settings" WHERE "shop" = ? AND "enabled" ORDER BY "kind"`, [SHOP]);
    expect(kinds.map((row) => row.kind)).toEqual([
      "birthday",
      "last_chance",
      "points_earned",
      "points_expiring",
      "reward_affordable",
      "tier_at_risk",
      "tier_reached",
      "welcome",
      "win_back",
    ]);
  });
});
