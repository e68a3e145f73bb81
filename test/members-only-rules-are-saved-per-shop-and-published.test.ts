import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_TIER_ACCESS_RULES } from "../app/domain/tier-access";
import { addTierAccess, listTierAccess, readTierAccessMetafield, removeTierAccess } from "../app/models/tier-access.server";
import { saveTierProgram } from "../app/models/tiers.server";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { tierInput, tierProgramInput } from "./support/tiers";

// Members-only rules in a real database: added, replaced on the same product, removed, kept per
// shop, and every change re-arms the tier Shopify sync inside its transaction (the sync itself is
// the lead's job; here only that it is asked for).

const sync = vi.hoisted(() => ({ calls: [] as { shop: string; inTransaction: boolean; now: Date }[] }));
vi.mock("../app/models/tier-shopify.server", () => ({
  scheduleTierShopifySync: async (db: object, shop: string, now: Date) => {
    sync.calls.push({ shop, inTransaction: "beforeCommit" in db, now });
  },
}));

const SHOP = "access-test.myshopify.com";
const OTHER = "access-other-test.myshopify.com";
const NOW = new Date("2026-12-03T10:00:00.000Z");
let database: TestDatabase;

const program = tierProgramInput([tierInput(1, "Silver"), tierInput(2, "Gold")], { period: { kind: "calendar_year" } });

const form = (spec: Record<string, string> = {}) => ({ targetType: "product", target: "8001", minRank: "2", until: "", title: "Winter blend", ...spec });
const rows = (shop: string) =>
  database.db.raw.all(`SELECT "target_type", "target_id", "min_rank", "until" FROM "tier_access" WHERE "shop" = ? ORDER BY "id"`, [shop]);

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await installShop(database.db, OTHER);
  await database.db.raw.run(`UPDATE "shops" SET "time_zone" = 'Europe/Copenhagen' WHERE "domain" = ?`, [SHOP]);
  await saveTierProgram(database.db, SHOP, program, NOW.toISOString());
}, 60_000);
afterAll(async () => {
  await database?.drop();
});
beforeEach(async () => {
  await database.db.raw.run(`DELETE FROM "tier_access"`);
  sync.calls.length = 0;
});

describe("members-only rules", () => {
  it("adds a rule, lists it with who may buy and its opening day in the shop's zone, and re-arms the sync in the transaction", async () => {
    const added = await addTierAccess(database.db, SHOP, form({ until: "2026-12-10" }), NOW);
    expect(added).toMatchObject({ ok: true, replaced: false, rule: { targetId: "gid://shopify/Product/8001", minRank: 2, until: "2026-12-09T23:00:00.000Z" } });
    expect(sync.calls).toEqual([{ shop: SHOP, inTransaction: true, now: NOW }]);
    expect(await listTierAccess(database.db, SHOP, NOW)).toEqual([
      expect.objectContaining({ targetType: "product", targetTitle: "Winter blend", who: "Gold only", opensOn: "2026-12-10", status: "running" }),
    ]);
  });

  it("refuses a bad form with field errors, writing nothing and re-arming nothing", async () => {
    const refused = await addTierAccess(database.db, SHOP, form({ target: "winter-blend", minRank: "7" }), NOW);
    expect(refused).toMatchObject({ ok: false, reason: "invalid_fields", fieldErrors: { target: expect.any(String), minRank: expect.any(String) } });
    expect(await rows(SHOP)).toEqual([]);
    expect(sync.calls).toEqual([]);
  });

  it("replaces the rule of a product it already has (one per product or collection), keeping its id", async () => {
    const first = await addTierAccess(database.db, SHOP, form({ minRank: "2" }), NOW);
    const second = await addTierAccess(database.db, SHOP, form({ target: "gid://shopify/Product/8001", minRank: "0", until: "2027-01-01" }), NOW);
    expect(second).toMatchObject({ ok: true, replaced: true });
    expect(first.ok && second.ok && second.rule.id).toBe(first.ok && first.rule.id);
    expect(await rows(SHOP)).toEqual([{ target_type: "product", target_id: "gid://shopify/Product/8001", min_rank: 0, until: "2026-12-31T23:00:00.000Z" }]);
    // The same number as a collection is another target.
    await addTierAccess(database.db, SHOP, form({ targetType: "collection" }), NOW);
    expect((await rows(SHOP)).length).toBe(2);
    expect(sync.calls.length).toBe(3);
  });

  it("removes a rule by id within the shop only: another shop's id is not found and stays", async () => {
    const ours = await addTierAccess(database.db, SHOP, form(), NOW);
    const theirs = await addTierAccess(database.db, OTHER, form({ minRank: "0" }), NOW);
    if (!ours.ok || !theirs.ok) throw new Error("setup failed");
    sync.calls.length = 0;
    expect(await removeTierAccess(database.db, SHOP, theirs.rule.id, NOW)).toEqual({ ok: false, reason: "not_found" });
    expect(sync.calls).toEqual([]);
    expect((await rows(OTHER)).length).toBe(1);
    expect(await removeTierAccess(database.db, SHOP, ours.rule.id, NOW)).toEqual({ ok: true });
    expect(sync.calls).toEqual([{ shop: SHOP, inTransaction: true, now: NOW }]);
    expect(await removeTierAccess(database.db, SHOP, ours.rule.id, NOW)).toEqual({ ok: false, reason: "not_found" });
    expect(await rows(SHOP)).toEqual([]);
    expect(await listTierAccess(database.db, OTHER, NOW)).toEqual([expect.objectContaining({ who: "Any member" })]);
  });

  it("a shop without tiers can make products members only, not tier only", async () => {
    expect(await addTierAccess(database.db, OTHER, form({ minRank: "1" }), NOW)).toMatchObject({
      ok: false,
      fieldErrors: { minRank: "Your shop has no VIP tiers yet: choose any member." },
    });
    expect(await addTierAccess(database.db, OTHER, form({ minRank: "0" }), NOW)).toMatchObject({ ok: true });
  });

  it("the metafield value holds this shop's running rules: early access over drops out, other shops' never appear", async () => {
    await addTierAccess(database.db, SHOP, form({ until: "2026-12-05" }), NOW);
    await addTierAccess(database.db, SHOP, form({ targetType: "collection", target: "gid://shopify/Collection/42", minRank: "0" }), NOW);
    await addTierAccess(database.db, OTHER, form({ target: "9999", minRank: "0" }), NOW);
    const value = await readTierAccessMetafield(database.db, SHOP, NOW);
    expect(value).toEqual({
      rules: [
        { type: "collection", id: 42, minRank: 0, until: null, tier: null },
        { type: "product", id: 8001, minRank: 2, until: "2026-12-04T23:00:00.000Z", tier: { rank: 2, name: "Gold", names: { en: "Gold" } } },
      ],
      tiers: [
        { rank: 1, name: "Silver", names: { en: "Silver" } },
        { rank: 2, name: "Gold", names: { en: "Gold" } },
      ],
    });
    const later = await readTierAccessMetafield(database.db, SHOP, new Date("2026-12-05T00:00:00.000Z"));
    expect(later.rules).toEqual([{ type: "collection", id: 42, minRank: 0, until: null, tier: null }]);
    expect((await listTierAccess(database.db, SHOP, new Date("2026-12-05T00:00:00.000Z"))).map((rule) => rule.status)).toEqual(["running", "ended"]);
  });

  it("a tier removed since leaves its rule listed as not enforced, and out of the metafield", async () => {
    await addTierAccess(database.db, SHOP, form({ minRank: "2" }), NOW);
    await saveTierProgram(database.db, SHOP, { ...program, tiers: [tierInput(1, "Silver")] }, NOW.toISOString());
    try {
      expect(await listTierAccess(database.db, SHOP, NOW)).toEqual([expect.objectContaining({ who: "Tier 2 (no longer exists)", status: "tier_missing" })]);
      expect((await readTierAccessMetafield(database.db, SHOP, NOW)).rules).toEqual([]);
    } finally {
      await saveTierProgram(database.db, SHOP, program, NOW.toISOString());
    }
  });

  it(`keeps at most ${MAX_TIER_ACCESS_RULES} rules a shop, though an existing one can still be changed`, async () => {
    const now = NOW.toISOString();
    for (let id = 1; id <= MAX_TIER_ACCESS_RULES; id++) {
      await database.db.raw.run(`INSERT INTO "tier_access" ("shop", "target_type", "target_id", "created_at") VALUES (?, 'product', ?, ?)`, [
        SHOP,
        `gid://shopify/Product/${id}`,
        now,
      ]);
    }
    expect(await addTierAccess(database.db, SHOP, form(), NOW)).toEqual({ ok: false, reason: "too_many_rules", limit: MAX_TIER_ACCESS_RULES });
    expect(await addTierAccess(database.db, SHOP, form({ target: "1" }), NOW)).toMatchObject({ ok: true, replaced: true });
  });
});
