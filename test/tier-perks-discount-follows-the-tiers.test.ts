import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../app/db/types";
import type { TierConfig } from "../app/domain/tiers";
import { TIER_WITHOUT_PERKS } from "../app/domain/tiers";
import { addTierAccess } from "../app/models/tier-access.server";
import { syncTierAccess, syncTierPerksDiscount } from "../app/models/tier-shopify.server";
import { saveTierProgram, type TierProgramInput } from "../app/models/tiers.server";
import { schemaCheckedAdmin, type RecordedCall } from "./support/admin-api-stub";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";

// The shop's automatic tier-perks discount in Shopify follows the tiers: made the first time a tier
// has a checkout perk, updated on every later save, made again when the merchant deleted it.
// Every document and its variables are checked against the Admin API 2026-01 schema.

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database.drop();
});

const tier = (rank: number, perks: Partial<TierConfig> = {}): Omit<TierConfig, "id"> => ({
  rank,
  threshold: rank * 100,
  names: { en: ["Silver", "Gold"][rank - 1] },
  ...TIER_WITHOUT_PERKS,
  ...perks,
});
const program = (tiers: Omit<TierConfig, "id">[], enabled = true): TierProgramInput => ({
  enabled,
  basis: "points_earned",
  period: { kind: "lifetime" },
  retention: "period_and_next",
  adjustmentsCount: false,
  tagPrefix: null,
  tiers,
});

function shopifyDiscounts() {
  const made = new Set<string>();
  let next = 1;
  const stub = schemaCheckedAdmin((call: RecordedCall) => {
    if (call.operation === "TierPerksDiscountCreate") {
      const id = `gid://shopify/DiscountAutomaticNode/${next++}`;
      made.add(id);
      return { discountAutomaticAppCreate: { automaticAppDiscount: { discountId: id }, userErrors: [] } };
    }
    const id = call.variables.id as string;
    if (!made.has(id))
      return { discountAutomaticAppUpdate: { automaticAppDiscount: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: null }] } };
    return { discountAutomaticAppUpdate: { automaticAppDiscount: { discountId: id }, userErrors: [] } };
  });
  return { ...stub, made };
}

const settingsWritten = (call: RecordedCall) =>
  JSON.parse((call.variables.automaticAppDiscount as { metafields: { value: string }[] }).metafields[0].value) as { tiers: Record<string, unknown> };

describe("the tier-perks discount", () => {
  it("is not made while no tier has a checkout perk, made once one has, then updated", async () => {
    const shop = "perks-discount-1.myshopify.com";
    await installShop(db, shop);
    const { admin, calls } = shopifyDiscounts();
    await saveTierProgram(db, shop, program([tier(1), tier(2, { multiplierPercent: 150 })]), "2026-03-01T00:00:00.000Z");
    expect(await syncTierPerksDiscount(db, shop, admin, new Date("2026-03-01T00:00:00.000Z"))).toBe("none");
    expect(calls).toEqual([]);

    await saveTierProgram(db, shop, program([tier(1), tier(2, { freeShipping: true, memberPricePercent: 10 })]), "2026-03-02T00:00:00.000Z");
    expect(await syncTierPerksDiscount(db, shop, admin, new Date("2026-03-02T00:00:00.000Z"))).toBe("created");
    expect(calls.map((c) => c.operation)).toEqual(["TierPerksDiscountCreate"]);
    expect(calls[0].variables.automaticAppDiscount).toMatchObject({ functionHandle: "tier-perks-discount", startsAt: "2026-03-02T00:00:00.000Z" });
    expect(Object.values(settingsWritten(calls[0]).tiers)).toEqual([expect.objectContaining({ freeShipping: true, percent: 10 })]);

    // Tiers turned off: the same discount, told to give nothing.
    await saveTierProgram(db, shop, program([tier(1), tier(2, { freeShipping: true })], false), "2026-03-03T00:00:00.000Z");
    expect(await syncTierPerksDiscount(db, shop, admin, new Date("2026-03-03T00:00:00.000Z"))).toBe("updated");
    expect(calls.map((c) => c.operation)).toEqual(["TierPerksDiscountCreate", "TierPerksDiscountUpdate"]);
    expect(calls[1].variables.id).toBe("gid://shopify/DiscountAutomaticNode/1");
    expect(settingsWritten(calls[1]).tiers).toEqual({});
  });

  it("is made again when the merchant deleted it in Shopify", async () => {
    const shop = "perks-discount-2.myshopify.com";
    await installShop(db, shop);
    const first = shopifyDiscounts();
    await saveTierProgram(db, shop, program([tier(1, { freeShipping: true })]), "2026-03-01T00:00:00.000Z");
    await syncTierPerksDiscount(db, shop, first.admin, new Date("2026-03-01T00:00:00.000Z"));
    const afterDeletion = shopifyDiscounts(); // knows no discount: the one made is gone
    expect(await syncTierPerksDiscount(db, shop, afterDeletion.admin, new Date("2026-03-02T00:00:00.000Z"))).toBe("created");
    expect(afterDeletion.calls.map((c) => c.operation)).toEqual(["TierPerksDiscountUpdate", "TierPerksDiscountCreate"]);
    const row = await db.raw.get<{ perks_discount_id: string }>(`SELECT "perks_discount_id" FROM "tier_programs" WHERE "shop" = ?`, [shop]);
    expect(row?.perks_discount_id).toBe("gid://shopify/DiscountAutomaticNode/1");
  });
});

describe("the members-only rules on the storefront", () => {
  it("are written to the app installation's loyalty.access metafield, and written again when an early access ends", async () => {
    const shop = "perks-discount-3.myshopify.com";
    await installShop(db, shop);
    await saveTierProgram(db, shop, program([tier(1), tier(2)]), "2026-03-01T00:00:00.000Z");
    const now = new Date("2026-03-01T12:00:00.000Z");
    expect(await addTierAccess(db, shop, { targetType: "product", target: "4242", minRank: "2", until: "2026-03-10", title: "Matcha" }, now)).toMatchObject({
      ok: true,
    });
    expect(await addTierAccess(db, shop, { targetType: "collection", target: "77", minRank: "0", until: "", title: "" }, now)).toMatchObject({ ok: true });
    const { admin, calls } = schemaCheckedAdmin((call) =>
      call.operation === "CurrentAppInstallation"
        ? { currentAppInstallation: { id: "gid://shopify/AppInstallation/1" } }
        : { metafieldsSet: { metafields: [], userErrors: [] } },
    );
    expect(await syncTierAccess(db, shop, admin, now)).toEqual({ rules: 2 });
    const set = calls.find((call) => call.operation !== "CurrentAppInstallation")!;
    const [metafield] = set.variables.metafields as { ownerId: string; namespace: string; key: string; value: string }[];
    expect(metafield).toMatchObject({ ownerId: "gid://shopify/AppInstallation/1", namespace: "loyalty", key: "access" });
    expect(JSON.parse(metafield.value).rules).toEqual([
      expect.objectContaining({ type: "collection", id: 77, minRank: 0, tier: null }),
      expect.objectContaining({ type: "product", id: 4242, minRank: 2, tier: expect.objectContaining({ rank: 2 }) }),
    ]);
    // A run is booked for the end of the early access (its local midnight in the shop's zone).
    const booked = await db.raw.all<{ run_at: string }>(`SELECT "run_at" FROM "jobs" WHERE "shop" = ? AND "job_key" LIKE ?`, [shop, "tiers-shopify:%:at:%"]);
    expect(booked.map((job) => new Date(job.run_at).toISOString())).toEqual(["2026-03-10T00:00:00.000Z"]);
  });
});
