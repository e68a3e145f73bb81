import { describe, expect, it } from "vitest";
import {
  describeRewardValue,
  rewardToForm,
  validateRewardSettings,
  type RewardSettings,
  type RewardSettingsField,
  type RewardSettingsForm,
} from "../app/domain/reward-settings";
import { rewardForm } from "./support/rewards";

const BASE = rewardForm();

describe("validateRewardSettings", () => {
  it("accepts the base form and keeps only what a fixed amount uses", () => {
    expect(validateRewardSettings(BASE, "USD")).toEqual({
      ok: true,
      settings: {
        name: "10 off your order",
        kind: "fixed_amount",
        pointsCost: 1000,
        valueMinor: 1000,
        percentOff: 0,
        maxDiscountMinor: null,
        productVariantId: null,
        minAmountMinor: null,
        maxAmountMinor: null,
        minimumSubtotalMinor: null,
        codeLifetimeDays: 30,
        combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
        enabled: true,
        tierIds: null,
      },
    });
  });

  it.each<[string, string | undefined, number[], { tierIds: number[] | null } | RegExp]>([
    ["no tiers chosen: every member", "", [4, 5], { tierIds: null }],
    ["the field absent: every member", undefined, [], { tierIds: null }],
    ["one tier", "5", [4, 5], { tierIds: [5] }],
    ["two, out of order and repeated", "5, 4,5", [4, 5], { tierIds: [4, 5] }],
    ["a tier the store does not have", "9", [4, 5], /Choose tiers this store has/],
    ["a tier in a store without tiers", "4", [], /no VIP tiers/],
    ["not an id", "gold", [4, 5], /Choose tiers this store has/],
  ])("limits it to VIP tiers: %s", (_, tierIds, knownTierIds, expected) => {
    const result = validateRewardSettings({ ...BASE, tierIds }, "USD", { knownTierIds });
    if (expected instanceof RegExp) {
      expect(result.ok ? {} : result.fieldErrors).toEqual({ tierIds: expect.stringMatching(expected) });
    } else {
      expect(result.ok && result.settings.tierIds).toEqual(expected.tierIds);
    }
  });

  it.each<[string, Partial<RewardSettingsForm>, string, Partial<RewardSettings>]>([
    ["a name with spaces around it", { name: "  Spring treat " }, "USD", { name: "Spring treat" }],
    ["an 80-character name", { name: "n".repeat(80) }, "USD", { name: "n".repeat(80) }],
    ["a cost of 1 point", { pointsCost: "1" }, "USD", { pointsCost: 1 }],
    ["a cost of 1,000,000 points", { pointsCost: "1000000" }, "USD", { pointsCost: 1_000_000 }],
    ["a whole amount", { amount: "7" }, "USD", { valueMinor: 700 }],
    ["a yen amount", { amount: "500" }, "JPY", { valueMinor: 500 }],
    ["a dinar amount", { amount: "1.250" }, "KWD", { valueMinor: 1250 }],
    ["store credit", { kind: "store_credit", amount: "12.34" }, "USD", { kind: "store_credit", valueMinor: 1234 }],
    ["a percentage", { kind: "percentage" }, "USD", { kind: "percentage", valueMinor: 0, percentOff: 15, maxDiscountMinor: null }],
    ["a percentage with a cap of 0 (none)", { kind: "percentage", maxDiscountAmount: "0" }, "USD", { maxDiscountMinor: null }],
    ["a percentage with a cap", { kind: "percentage", maxDiscountAmount: "20.00" }, "USD", { percentOff: 15, maxDiscountMinor: 2000 }],
    ["a percentage with a yen cap", { kind: "percentage", maxDiscountAmount: "3000" }, "JPY", { maxDiscountMinor: 3000 }],
    ["a percentage without a cap", { kind: "percentage", percentOff: "100", maxDiscountAmount: "" }, "USD", { percentOff: 100, maxDiscountMinor: null }],
    ["free shipping", { kind: "free_shipping", amount: "nonsense" }, "USD", { kind: "free_shipping", valueMinor: 0, percentOff: 0, productVariantId: null }],
    ["a free product by gid", { kind: "free_product" }, "USD", { kind: "free_product", valueMinor: 0, productVariantId: "gid://shopify/ProductVariant/4455" }],
    ["a free product by number", { kind: "free_product", productVariantId: " 987 " }, "USD", { productVariantId: "gid://shopify/ProductVariant/987" }],
    ["a variable amount", { kind: "variable" }, "USD", { kind: "variable", pointsCost: 1000, valueMinor: 100, minAmountMinor: 500, maxAmountMinor: 5000 }],
    ["a variable amount with min equal to max", { kind: "variable", minAmount: "5", maxAmount: "5.00" }, "USD", { minAmountMinor: 500, maxAmountMinor: 500 }],
    ["a minimum subtotal", { minimumSubtotal: "40" }, "USD", { minimumSubtotalMinor: 4000 }],
    ["a zero minimum subtotal (no minimum)", { minimumSubtotal: "0.00" }, "USD", { minimumSubtotalMinor: null }],
    ["a blank code lifetime (the default)", { codeLifetimeDays: "" }, "USD", { codeLifetimeDays: 30 }],
    ["a one-day code", { codeLifetimeDays: "1" }, "USD", { codeLifetimeDays: 1 }],
    ["a one-year code", { codeLifetimeDays: "365" }, "USD", { codeLifetimeDays: 365 }],
    [
      "combining with everything",
      { combinesWithOrderDiscounts: true, combinesWithProductDiscounts: true, combinesWithShippingDiscounts: true },
      "USD",
      { combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true } },
    ],
    [
      "combining with nothing",
      { combinesWithShippingDiscounts: false },
      "USD",
      { combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false } },
    ],
    ["a reward turned off", { enabled: false }, "USD", { enabled: false }],
  ])("accepts %s", (_, overrides, currency, expected) => {
    expect(validateRewardSettings({ ...BASE, ...overrides }, currency)).toMatchObject({ ok: true, settings: expected });
  });

  it.each<[string, Partial<RewardSettingsForm>, string, RewardSettingsField, RegExp]>([
    ["no name", { name: "" }, "USD", "name", /Give the reward a name/],
    ["a name of spaces", { name: "   " }, "USD", "name", /Give the reward a name/],
    ["an 81-character name", { name: "n".repeat(81) }, "USD", "name", /at most 80 characters/],
    ["an unknown kind", { kind: "gift_card" }, "USD", "kind", /Choose what the reward gives/],
    ["a cost of 0 points", { pointsCost: "0" }, "USD", "pointsCost", /1 to 1,000,000/],
    ["a cost over 1,000,000", { pointsCost: "1000001" }, "USD", "pointsCost", /1 to 1,000,000/],
    ["a fractional cost", { pointsCost: "10.5" }, "USD", "pointsCost", /whole number/],
    ["a negative cost", { pointsCost: "-5" }, "USD", "pointsCost", /whole number/],
    ["no cost", { pointsCost: "" }, "USD", "pointsCost", /whole number/],
    ["no amount", { amount: "" }, "USD", "amount", /Enter an amount in USD/],
    ["a zero amount", { amount: "0" }, "USD", "amount", /more than 0/],
    ["a negative amount", { amount: "-1.00" }, "USD", "amount", /cannot be negative/],
    ["cents beyond USD's precision", { amount: "1.005" }, "USD", "amount", /at most 2 decimals/],
    ["yen with decimals", { amount: "100.5" }, "JPY", "amount", /at most 0 decimals/],
    ["an amount with a currency sign", { amount: "$10" }, "USD", "amount", /Enter an amount in USD, like 5.00/],
    ["a huge amount", { amount: "99999999999999999" }, "USD", "amount", /too large/],
    ["store credit of nothing", { kind: "store_credit", amount: "" }, "USD", "amount", /Enter an amount/],
    ["0 percent", { kind: "percentage", percentOff: "0" }, "USD", "percentOff", /1 to 100/],
    ["101 percent", { kind: "percentage", percentOff: "101" }, "USD", "percentOff", /1 to 100/],
    ["a fractional percent", { kind: "percentage", percentOff: "12.5" }, "USD", "percentOff", /whole percentage/],
    ["a negative cap", { kind: "percentage", maxDiscountAmount: "-20.00" }, "USD", "maxDiscountAmount", /cannot be negative/],
    ["a cap with a currency sign", { kind: "percentage", maxDiscountAmount: "$20" }, "USD", "maxDiscountAmount", /Enter an amount in USD/],
    ["a cap beyond yen's precision", { kind: "percentage", maxDiscountAmount: "20.5" }, "JPY", "maxDiscountAmount", /at most 0 decimals/],
    ["no variant", { kind: "free_product", productVariantId: "" }, "USD", "productVariantId", /Enter the id of the product variant/],
    [
      "a product gid as a variant",
      { kind: "free_product", productVariantId: "gid://shopify/Product/1" },
      "USD",
      "productVariantId",
      /"gid:\/\/shopify\/Product\/1" is not a product variant id/,
    ],
    ["a variant handle", { kind: "free_product", productVariantId: "blue-shirt-xl" }, "USD", "productVariantId", /not a product variant id/],
    ["a zero variant id", { kind: "free_product", productVariantId: "0" }, "USD", "productVariantId", /not a product variant id/],
    ["a variable reward without a step", { kind: "variable", stepAmount: "" }, "USD", "stepAmount", /Enter an amount/],
    ["a zero step", { kind: "variable", stepAmount: "0.00" }, "USD", "stepAmount", /more than 0/],
    ["no minimum", { kind: "variable", minAmount: "" }, "USD", "minAmount", /Enter an amount/],
    ["no maximum", { kind: "variable", maxAmount: "" }, "USD", "maxAmount", /Enter an amount/],
    [
      "a minimum between steps",
      { kind: "variable", stepAmount: "2.00", minAmount: "5.00", maxAmount: "50.00" },
      "USD",
      "minAmount",
      /whole number of 2.00 steps/,
    ],
    [
      "a maximum between steps",
      { kind: "variable", stepAmount: "2.00", minAmount: "4.00", maxAmount: "49.00" },
      "USD",
      "maxAmount",
      /whole number of 2.00 steps/,
    ],
    ["a maximum below the minimum", { kind: "variable", minAmount: "50.00", maxAmount: "5.00" }, "USD", "maxAmount", /less than the minimum/],
    [
      "a maximum costing more points than a redemption can hold",
      { kind: "variable", pointsCost: "1000000", stepAmount: "0.01", maxAmount: "100000.00" },
      "USD",
      "maxAmount",
      /more than 2,147,483,647 points/,
    ],
    ["a negative minimum subtotal", { minimumSubtotal: "-1" }, "USD", "minimumSubtotal", /cannot be negative/],
    ["a minimum subtotal in words", { minimumSubtotal: "forty" }, "USD", "minimumSubtotal", /Enter an amount in USD/],
    ["a zero-day code", { codeLifetimeDays: "0" }, "USD", "codeLifetimeDays", /1 to 365/],
    ["a code for more than a year", { codeLifetimeDays: "366" }, "USD", "codeLifetimeDays", /1 to 365/],
    ["a fractional lifetime", { codeLifetimeDays: "1.5" }, "USD", "codeLifetimeDays", /whole number of days/],
  ])("refuses %s with an error on that field only", (_, overrides, currency, field, message) => {
    const result = validateRewardSettings({ ...BASE, ...overrides }, currency);
    expect(result.ok).toBe(false);
    const fieldErrors = result.ok ? {} : result.fieldErrors;
    expect(Object.keys(fieldErrors)).toEqual([field]);
    expect(fieldErrors[field]).toMatch(message);
  });

  it("reports every bad field at once", () => {
    const result = validateRewardSettings({ ...BASE, name: "", pointsCost: "0", amount: "x", codeLifetimeDays: "999" }, "USD");
    expect(result.ok ? [] : Object.keys(result.fieldErrors).sort()).toEqual(["amount", "codeLifetimeDays", "name", "pointsCost"]);
  });
});

describe("a stored reward shown again", () => {
  it.each<[string, Partial<RewardSettingsForm>, string]>([
    ["fixed amount", {}, "10.00 USD off"],
    ["store credit", { kind: "store_credit" }, "10.00 USD store credit"],
    ["percentage", { kind: "percentage" }, "15% off"],
    ["free shipping", { kind: "free_shipping" }, "Free shipping"],
    ["free product", { kind: "free_product" }, "Free variant 4455"],
    ["variable", { kind: "variable" }, "1.00 USD per 1000 points, 5.00 USD to 50.00 USD"],
  ])("%s: validates back to the same settings and is described", (_, overrides, description) => {
    const first = validateRewardSettings({ ...BASE, minimumSubtotal: "25.00", ...overrides }, "USD");
    if (!first.ok) throw new Error(JSON.stringify(first.fieldErrors));
    expect(validateRewardSettings(rewardToForm(first.settings, "USD"), "USD")).toEqual(first);
    expect(describeRewardValue(first.settings, "USD")).toBe(description);
  });
});
