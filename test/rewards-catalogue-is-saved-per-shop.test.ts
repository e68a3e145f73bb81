import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createReward,
  ensureDefaultReward,
  findEnabledReward,
  getReward,
  listEnabledRewards,
  listRewards,
  setRewardEnabled,
  updateReward,
  type StoredReward,
} from "../app/models/rewards.server";
import { ensureShop } from "../app/models/shops.server";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { rewardForm } from "./support/rewards";

const SHOP = "catalogue-test.myshopify.com";
const OTHER_SHOP = "other-catalogue-test.myshopify.com";
const YEN_SHOP = "yen-catalogue-test.myshopify.com";
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await installShop(database.db, OTHER_SHOP);
  await installShop(database.db, YEN_SHOP, { currency: "JPY" });
});
afterAll(async () => database.drop());

const now = () => new Date().toISOString();

async function created(shop: string, overrides: Parameters<typeof rewardForm>[0] = {}): Promise<StoredReward> {
  const result = await createReward(database.db, shop, rewardForm(overrides), now());
  if (!result.ok) throw new Error(`reward not created: ${JSON.stringify(result.fieldErrors)}`);
  return result.reward;
}

const rewardRow = (id: number) => database.db.raw.get('SELECT * FROM "rewards" WHERE "id" = ?', [id]);

describe("the rewards catalogue model", () => {
  it("stores every kind in its columns and reads it back", async () => {
    const variable = await created(SHOP, {
      kind: "variable",
      name: "Pick your discount",
      pointsCost: "100",
      minimumSubtotal: "30.00",
      codeLifetimeDays: "14",
      combinesWithOrderDiscounts: true,
    });
    expect(variable).toMatchObject({
      name: "Pick your discount",
      kind: "variable",
      pointsCost: 100,
      valueMinor: 100,
      minAmountMinor: 500,
      maxAmountMinor: 5000,
      minimumSubtotalMinor: 3000,
      codeLifetimeDays: 14,
      combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: true },
      enabled: true,
    });
    expect(await rewardRow(variable.id)).toMatchObject({
      shop: SHOP,
      kind: "variable",
      points_cost: 100,
      percent_off: 0,
      product_variant_id: null,
      code_lifetime_days: 14,
    });

    const percentage = await created(SHOP, { kind: "percentage", combinesWithShippingDiscounts: false, enabled: false });
    expect(percentage).toMatchObject({ kind: "percentage", percentOff: 15, maxDiscountMinor: null, valueMinor: 0, enabled: false });
    expect(percentage.combinesWith.shippingDiscounts).toBe(false);

    const product = await created(SHOP, { kind: "free_product", productVariantId: "321" });
    expect(product.productVariantId).toBe("gid://shopify/ProductVariant/321");

    expect(await getReward(database.db, SHOP, variable.id)).toEqual(variable);
  });

  it("converts amounts in the shop's own currency", async () => {
    const yen = await created(YEN_SHOP, { amount: "500" });
    expect(yen.valueMinor).toBe(500);
    const refused = await createReward(database.db, YEN_SHOP, rewardForm({ amount: "10.50" }), now());
    expect(refused).toEqual({ ok: false, reason: "invalid_fields", fieldErrors: { amount: "JPY amounts have at most 0 decimals." } });
  });

  it("saves nothing when a field is invalid", async () => {
    const before = await listRewards(database.db, OTHER_SHOP);
    const result = await createReward(database.db, OTHER_SHOP, rewardForm({ name: "", pointsCost: "0" }), now());
    expect(result).toMatchObject({ ok: false, fieldErrors: { name: expect.any(String), pointsCost: expect.any(String) } });
    expect(await listRewards(database.db, OTHER_SHOP)).toEqual(before);
  });

  it("updates a reward in place, clearing what its old kind used, and leaves it alone on a bad form", async () => {
    const reward = await created(SHOP, { kind: "percentage", name: "15% off" });
    const updated = await updateReward(database.db, SHOP, reward.id, rewardForm({ kind: "free_shipping", name: "Ship free" }), now());
    expect(updated).toMatchObject({
      ok: true,
      reward: { id: reward.id, kind: "free_shipping", name: "Ship free", percentOff: 0, maxDiscountMinor: null },
    });
    const stored = await getReward(database.db, SHOP, reward.id);
    const refused = await updateReward(database.db, SHOP, reward.id, rewardForm({ kind: "free_product", productVariantId: "x" }), now());
    expect(refused).toMatchObject({ ok: false, fieldErrors: { productVariantId: expect.stringMatching(/not a product variant id/) } });
    expect(await getReward(database.db, SHOP, reward.id)).toEqual(stored);
  });

  it("turns a reward off and on without deleting it; only on rewards are redeemable", async () => {
    const reward = await created(SHOP, { name: "Seasonal" });
    expect(await setRewardEnabled(database.db, SHOP, reward.id, false, now())).toBe(true);
    expect(await findEnabledReward(database.db, SHOP, reward.id)).toBeNull();
    expect((await listEnabledRewards(database.db, SHOP)).map((r) => r.id)).not.toContain(reward.id);
    expect(await listRewards(database.db, SHOP)).toContainEqual(expect.objectContaining({ id: reward.id, enabled: false }));
    expect(await setRewardEnabled(database.db, SHOP, reward.id, true, now())).toBe(true);
    expect(await findEnabledReward(database.db, SHOP, reward.id)).toMatchObject({ id: reward.id, name: "Seasonal" });
  });

  it("lists the shop's rewards cheapest first, off ones included, and the default reward is kept", async () => {
    const shop = "fresh-catalogue-test.myshopify.com";
    await installShop(database.db, shop);
    await ensureDefaultReward(database.db, shop, "USD", now());
    const dear = await created(shop, { pointsCost: "5000", enabled: false });
    const cheap = await created(shop, { pointsCost: "50" });
    const listed = await listRewards(database.db, shop);
    expect(listed.map((r) => [r.name, r.pointsCost, r.enabled])).toEqual([
      ["10 off your order", 50, true],
      ["5 off your order", 500, true],
      ["10 off your order", 5000, false],
    ]);
    expect(listed.map((r) => r.id)).toEqual([cheap.id, listed[1].id, dear.id]);
    // A shop that already has rewards gets no second default.
    await ensureDefaultReward(database.db, shop, "USD", now());
    expect(await listRewards(database.db, shop)).toHaveLength(3);
  });

  it("sizes the default reward in the shop's currency, even when a webhook created the shop before its currency was known", async () => {
    const shop = "late-currency-test.myshopify.com";
    const valueOfDefault = async () => (await listRewards(database.db, shop)).find((r) => r.name === "5 off your order")?.valueMinor;
    await ensureShop(database.db, shop, now());
    expect(await valueOfDefault()).toBe(500);
    await ensureShop(database.db, shop, now(), "JPY");
    expect(await valueOfDefault()).toBe(5);
    await ensureShop(database.db, shop, now(), "KWD");
    expect(await valueOfDefault()).toBe(5000);
    // Once the merchant has edited it, it is theirs: a later currency change leaves it alone.
    const edited = (await listRewards(database.db, shop))[0];
    await updateReward(
      database.db,
      shop,
      edited.id,
      rewardForm({ name: "5 off your order", pointsCost: "500", amount: "7.000" }),
      new Date(Date.now() + 1000).toISOString(),
    );
    await ensureShop(database.db, shop, now(), "USD");
    expect(await valueOfDefault()).toBe(7000);
  });

  it("never reads or changes another shop's reward", async () => {
    const theirs = await created(OTHER_SHOP, { name: "Theirs" });
    const before = await rewardRow(theirs.id);
    expect(await getReward(database.db, SHOP, theirs.id)).toBeNull();
    expect(await updateReward(database.db, SHOP, theirs.id, rewardForm({ name: "Mine now" }), now())).toBeNull();
    expect(await setRewardEnabled(database.db, SHOP, theirs.id, false, now())).toBe(false);
    expect((await listRewards(database.db, SHOP)).map((r) => r.id)).not.toContain(theirs.id);
    expect(await rewardRow(theirs.id)).toEqual(before);
  });

  it("a new reward is what the storefront lists for the shop", async () => {
    const reward = await created(OTHER_SHOP, { name: "Storefront treat", pointsCost: "250" });
    const enabled = await listEnabledRewards(database.db, OTHER_SHOP);
    expect(enabled).toContainEqual(expect.objectContaining({ id: reward.id, name: "Storefront treat", pointsCost: 250, valueMinor: 1000 }));
    expect((await listEnabledRewards(database.db, SHOP)).map((r) => r.id)).not.toContain(reward.id);
  });
});
