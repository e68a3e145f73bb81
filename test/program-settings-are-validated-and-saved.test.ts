import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { validateProgramSettings, type ProgramSettingsField, type ProgramSettingsForm } from "../app/domain/program-settings";
import { getProgram, updateProgram } from "../app/models/program.server";
import { loadShopContext } from "../app/models/shops.server";
import { AdminApiError, type AdminGraphql } from "../app/shopify/admin-api.server";
import type { CollectionProductsQuery } from "../app/shopify/generated/admin.generated";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./support/database";

/** The base form every case varies one field of. */
const BASE: ProgramSettingsForm = {
  enabled: true,
  minimumOrderAmount: "25.00",
  earnTrigger: "paid",
  excludedProductIds: "111\ngid://shopify/Product/222",
  excludedCollectionIds: "333, gid://shopify/Collection/444",
  excludedCustomerTags: "wholesale, Staff",
};

describe("validateProgramSettings", () => {
  it("accepts the base form and normalises it", () => {
    expect(validateProgramSettings(BASE, "USD")).toEqual({
      ok: true,
      settings: {
        enabled: true,
        minimumOrderMinor: 2500,
        earnTrigger: "paid",
        excludedProductIds: ["111", "222"],
        excludedCollectionIds: ["333", "444"],
        excludedCustomerTags: ["wholesale", "Staff"],
      },
    });
  });

  it.each<[string, Partial<ProgramSettingsForm>, string, object]>([
    ["program off", { enabled: false }, "USD", { enabled: false }],
    ["no minimum", { minimumOrderAmount: "" }, "USD", { minimumOrderMinor: 0 }],
    ["a minimum without decimals", { minimumOrderAmount: "30" }, "USD", { minimumOrderMinor: 3000 }],
    ["a yen minimum", { minimumOrderAmount: "1500" }, "JPY", { minimumOrderMinor: 1500 }],
    ["a three-decimal dinar minimum", { minimumOrderAmount: "12.345" }, "KWD", { minimumOrderMinor: 12345 }],
    ["trailing zeros beyond the precision", { minimumOrderAmount: "10.500" }, "USD", { minimumOrderMinor: 1050 }],
    ["earning on fulfilment", { earnTrigger: "fulfilled" }, "USD", { earnTrigger: "fulfilled" }],
    [
      "no exclusions",
      { excludedProductIds: "", excludedCollectionIds: "", excludedCustomerTags: "" },
      "USD",
      { excludedProductIds: [], excludedCollectionIds: [], excludedCustomerTags: [] },
    ],
    ["repeated ids", { excludedProductIds: "5, 5\ngid://shopify/Product/5" }, "USD", { excludedProductIds: ["5"] }],
    ["tags differing only in case", { excludedCustomerTags: "VIP\nvip, Vip " }, "USD", { excludedCustomerTags: ["VIP"] }],
  ])("accepts %s", (_, overrides, currency, expected) => {
    const result = validateProgramSettings({ ...BASE, ...overrides }, currency);
    expect(result).toMatchObject({ ok: true, settings: expected });
  });

  it.each<[string, Partial<ProgramSettingsForm>, string, ProgramSettingsField, RegExp]>([
    ["a negative minimum", { minimumOrderAmount: "-5.00" }, "USD", "minimumOrderAmount", /cannot be negative/],
    ["a minimum with cents beyond USD's precision", { minimumOrderAmount: "10.999" }, "USD", "minimumOrderAmount", /at most 2 decimals/],
    ["yen with decimals", { minimumOrderAmount: "100.5" }, "JPY", "minimumOrderAmount", /at most 0 decimals/],
    ["a minimum with a currency sign", { minimumOrderAmount: "$10" }, "USD", "minimumOrderAmount", /Enter an amount in USD, like 25.00/],
    ["a minimum with a decimal comma", { minimumOrderAmount: "10,50" }, "EUR", "minimumOrderAmount", /Enter an amount in EUR/],
    ["an unknown trigger", { earnTrigger: "created" }, "USD", "earnTrigger", /paid or when it is fulfilled/],
    ["a product handle", { excludedProductIds: "111\nblue-shirt" }, "USD", "excludedProductIds", /"blue-shirt" is not a product id/],
    ["a collection gid as a product", { excludedProductIds: "gid://shopify/Collection/1" }, "USD", "excludedProductIds", /not a product id/],
    ["a zero product id", { excludedProductIds: "0" }, "USD", "excludedProductIds", /not a product id/],
    ["a product gid as a collection", { excludedCollectionIds: "gid://shopify/Product/1" }, "USD", "excludedCollectionIds", /not a collection id/],
    ["a collection title", { excludedCollectionIds: "Summer sale" }, "USD", "excludedCollectionIds", /"Summer sale" is not a collection id/],
    ["a tag over 255 characters", { excludedCustomerTags: "x".repeat(256) }, "USD", "excludedCustomerTags", /at most 255/],
  ])("refuses %s with an error on that field only", (_, overrides, currency, field, message) => {
    const result = validateProgramSettings({ ...BASE, ...overrides }, currency);
    expect(result.ok).toBe(false);
    const fieldErrors = result.ok ? {} : result.fieldErrors;
    expect(Object.keys(fieldErrors)).toEqual([field]);
    expect(fieldErrors[field]).toMatch(message);
  });
});

/** An Admin API stand-in: collections by numeric id, served in pages of `pageSize`. */
function fakeAdmin(collections: Record<string, string[]>, pageSize = 2) {
  const requests: Record<string, unknown>[] = [];
  const admin: AdminGraphql = {
    async request<T>(_document: string, variables: Record<string, unknown> = {}) {
      requests.push(variables);
      const id = String(variables.id).replace("gid://shopify/Collection/", "");
      const products = collections[id];
      if (!products) return { collection: null } as T;
      const start = variables.after ? Number(variables.after) : 0;
      const page = products.slice(start, start + pageSize);
      const result: CollectionProductsQuery = {
        collection: {
          id: String(variables.id),
          products: {
            nodes: page.map((p) => ({ id: `gid://shopify/Product/${p}` })),
            pageInfo: { hasNextPage: start + pageSize < products.length, endCursor: String(start + pageSize) },
          },
        },
      };
      return result as T;
    },
  };
  return { admin, requests };
}

const failingAdmin: AdminGraphql = {
  async request() {
    throw new AdminApiError("Admin API returned errors", [{ message: "Throttled" }]);
  },
};

describe("saving program settings", () => {
  const SHOP = "settings-test.myshopify.com";
  const OTHER_SHOP = "other-settings-test.myshopify.com";
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await installShop(database.db, SHOP);
    await installShop(database.db, OTHER_SHOP, { currency: "JPY" });
  });
  afterAll(async () => database.drop());
  afterEach(async () => {
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });
  const now = () => new Date().toISOString();

  it("stores the settings and the excluded collections' products, read across pages", async () => {
    const { admin, requests } = fakeAdmin({ "333": ["1", "2", "3"], "444": ["3", "4"] });
    const result = await updateProgram(database.db, admin, SHOP, BASE, now());
    expect(result.ok).toBe(true);
    expect(requests).toEqual([
      { id: "gid://shopify/Collection/333", after: null },
      { id: "gid://shopify/Collection/333", after: "2" },
      { id: "gid://shopify/Collection/444", after: null },
    ]);
    expect(await getProgram(database.db, SHOP)).toEqual({
      currencyCode: "USD",
      excludedCollectionProductCount: 4,
      settings: {
        enabled: true,
        minimumOrderMinor: 2500,
        earnTrigger: "paid",
        excludedProductIds: ["111", "222"],
        excludedCollectionIds: ["333", "444"],
        excludedCustomerTags: ["wholesale", "Staff"],
      },
    });
    // What the order webhooks will earn with: products and the collections' products excluded.
    const context = await loadShopContext(database.db, SHOP);
    expect([...context.program.excludedProductIds].sort()).toEqual(["1", "111", "2", "222", "3", "4"]);
    expect([...context.program.excludedCustomerTags]).toEqual(["wholesale", "staff"]);
    // The points per unit are the purchase way to earn's, not these settings': untouched.
    expect(context.earning.rules.find((rule) => rule.kind === "purchase")?.pointsPerCurrencyUnit).toBe(1);
    expect(context.program.minimumOrderMinor).toBe(2500);
  });

  it("turns the program off and back on", async () => {
    const { admin } = fakeAdmin({});
    const form = { ...BASE, excludedCollectionIds: "" };
    await updateProgram(database.db, admin, SHOP, { ...form, enabled: false }, now());
    expect((await loadShopContext(database.db, SHOP)).program.enabled).toBe(false);
    await updateProgram(database.db, admin, SHOP, { ...form, enabled: true, earnTrigger: "fulfilled" }, now());
    const program = (await loadShopContext(database.db, SHOP)).program;
    expect(program.enabled).toBe(true);
    expect(program.earnTrigger).toBe("fulfilled");
  });

  it("does not call the Admin API when no collection is excluded", async () => {
    const { admin, requests } = fakeAdmin({});
    expect((await updateProgram(database.db, admin, SHOP, { ...BASE, excludedCollectionIds: "" }, now())).ok).toBe(true);
    expect(requests).toEqual([]);
    expect((await getProgram(database.db, SHOP)).excludedCollectionProductCount).toBe(0);
  });

  it("converts the minimum order in the shop's own currency", async () => {
    const { admin } = fakeAdmin({});
    const form = { ...BASE, minimumOrderAmount: "1500", excludedCollectionIds: "" };
    expect((await updateProgram(database.db, admin, OTHER_SHOP, form, now())).ok).toBe(true);
    expect((await getProgram(database.db, OTHER_SHOP)).settings.minimumOrderMinor).toBe(1500);
    const refused = await updateProgram(database.db, admin, OTHER_SHOP, { ...form, minimumOrderAmount: "15.50" }, now());
    expect(refused).toMatchObject({ ok: false, fieldErrors: { minimumOrderAmount: expect.stringMatching(/JPY/) } });
  });

  it("saves nothing and says so when the Admin API fails", async () => {
    const before = await getProgram(database.db, SHOP);
    const result = await updateProgram(database.db, failingAdmin, SHOP, { ...BASE, minimumOrderAmount: "9.00" }, now());
    expect(result).toMatchObject({ ok: false, formError: expect.stringMatching(/Nothing was saved/) });
    expect(await getProgram(database.db, SHOP)).toEqual(before);
  });

  it("saves nothing when a collection does not exist", async () => {
    const before = await getProgram(database.db, SHOP);
    const { admin } = fakeAdmin({ "333": ["1"] });
    const result = await updateProgram(database.db, admin, SHOP, { ...BASE, minimumOrderAmount: "9.00" }, now());
    expect(result).toEqual({ ok: false, reason: "invalid_fields", fieldErrors: { excludedCollectionIds: "This store has no collection 444." } });
    expect(await getProgram(database.db, SHOP)).toEqual(before);
  });

  it("saves nothing when a field is invalid", async () => {
    const before = await getProgram(database.db, SHOP);
    const { admin, requests } = fakeAdmin({ "333": ["1"], "444": ["2"] });
    const result = await updateProgram(database.db, admin, SHOP, { ...BASE, minimumOrderAmount: "lots" }, now());
    expect(result.ok).toBe(false);
    expect(requests).toEqual([]);
    expect(await getProgram(database.db, SHOP)).toEqual(before);
  });

  it("changes only the shop it is given", async () => {
    const before = await getProgram(database.db, OTHER_SHOP);
    const { admin } = fakeAdmin({ "333": ["1"], "444": ["2"] });
    await updateProgram(database.db, admin, SHOP, { ...BASE, minimumOrderAmount: "7.00" }, now());
    expect(await getProgram(database.db, OTHER_SHOP)).toEqual(before);
  });
});
