import { describe, expect, it } from "vitest";
import type { TierConfig } from "../app/domain/tiers";
import { TIER_WITHOUT_PERKS } from "../app/domain/tiers";
import { checkTierReferences } from "../app/models/tier-references.server";
import { AdminApiError } from "../app/shopify/admin-api.server";
import { schemaCheckedAdmin } from "./support/admin-api-stub";

// Before tiers are saved, the membership products and member-price collections they name are
// asked of the Admin API (the document and its variables checked against the 2026-01 schema).

const tier = (spec: Partial<TierConfig> = {}): Omit<TierConfig, "id"> => ({
  rank: 1,
  threshold: 100,
  names: { en: "Gold" },
  ...TIER_WITHOUT_PERKS,
  ...spec,
});

const shop: Record<string, string> = {
  "gid://shopify/Product/1": "Product",
  "gid://shopify/ProductVariant/2": "ProductVariant",
  "gid://shopify/Collection/3": "Collection",
};
const stub = () =>
  schemaCheckedAdmin((call) => ({
    nodes: (call.variables.ids as string[]).map((id) => (shop[id] ? { __typename: shop[id], id } : null)),
  }));

describe("checkTierReferences", () => {
  it("asks nothing of Shopify for tiers that name no product or collection", async () => {
    const { admin, calls } = stub();
    expect(await checkTierReferences(admin, [tier()])).toEqual({ ok: true });
    expect(calls).toEqual([]);
  });

  it.each<[string, Partial<TierConfig>, Record<string, string> | null]>([
    ["a product the shop has", { paidProductId: "gid://shopify/Product/1", paidDurationDays: 30 }, null],
    ["a variant the shop has", { paidVariantId: "gid://shopify/ProductVariant/2", paidDurationDays: 30 }, null],
    ["a collection the shop has", { memberPricePercent: 10, memberPriceCollectionIds: ["gid://shopify/Collection/3"] }, null],
    [
      "a product the shop does not have",
      { paidProductId: "gid://shopify/Product/99", paidDurationDays: 30 },
      { "tiers.0.paidProduct": "This store has no product gid://shopify/Product/99." },
    ],
    [
      "a variant the shop does not have",
      { paidVariantId: "gid://shopify/ProductVariant/99", paidDurationDays: 30 },
      { "tiers.0.paidProduct": "This store has no product variant gid://shopify/ProductVariant/99." },
    ],
    [
      "one of two collections missing",
      { memberPricePercent: 10, memberPriceCollectionIds: ["gid://shopify/Collection/3", "gid://shopify/Collection/98"] },
      { "tiers.0.memberPriceCollections": "This store has no collection gid://shopify/Collection/98." },
    ],
  ])("%s", async (_, spec, fieldErrors) => {
    const { admin, calls } = stub();
    const result = await checkTierReferences(admin, [tier(spec)]);
    expect(result).toEqual(fieldErrors ? { ok: false, reason: "invalid_fields", fieldErrors } : { ok: true });
    expect(calls.map((call) => call.operation)).toEqual(["TierReferences"]);
  });

  it("names the tier whose reference is missing when two tiers share it", async () => {
    const { admin } = stub();
    const missing = { memberPricePercent: 5, memberPriceCollectionIds: ["gid://shopify/Collection/97"] };
    expect(await checkTierReferences(admin, [tier(missing), tier({ ...missing, rank: 2, threshold: 200 })])).toMatchObject({
      fieldErrors: { "tiers.0.memberPriceCollections": expect.any(String), "tiers.1.memberPriceCollections": expect.any(String) },
    });
  });

  it("refuses to save, saying so, when Shopify does not answer", async () => {
    const { admin } = schemaCheckedAdmin(() => {
      throw new AdminApiError("Admin API request failed with 503");
    });
    expect(await checkTierReferences(admin, [tier({ paidProductId: "gid://shopify/Product/1", paidDurationDays: 30 })])).toMatchObject({
      ok: false,
      reason: "shopify_unavailable",
      formError: expect.stringContaining("Nothing was saved"),
    });
  });
});
