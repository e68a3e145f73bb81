import type { RewardSettingsForm } from "../../app/domain/reward-settings";

/** A valid reward form (a fixed amount off) with every other kind's fields filled in too. */
export function rewardForm(overrides: Partial<RewardSettingsForm> = {}): RewardSettingsForm {
  return {
    name: "10 off your order",
    kind: "fixed_amount",
    pointsCost: "1000",
    amount: "10.00",
    percentOff: "15",
    maxDiscountAmount: "",
    productVariantId: "gid://shopify/ProductVariant/4455",
    stepAmount: "1.00",
    minAmount: "5.00",
    maxAmount: "50.00",
    minimumSubtotal: "",
    codeLifetimeDays: "30",
    combinesWithOrderDiscounts: false,
    combinesWithProductDiscounts: false,
    combinesWithShippingDiscounts: true,
    enabled: true,
    ...overrides,
  };
}

/** The same form as a posted HTML form: checkboxes are present ("on") or absent. */
export function postedRewardForm(overrides: Partial<RewardSettingsForm> = {}): Record<string, string> {
  const posted: Record<string, string> = {};
  for (const [field, value] of Object.entries(rewardForm(overrides))) {
    if (typeof value === "boolean") {
      if (value) posted[field] = "on";
    } else posted[field] = value;
  }
  return posted;
}
