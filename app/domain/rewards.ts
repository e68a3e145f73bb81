import { randomInt } from "node:crypto";
import { CAPPED_PERCENTAGE_FUNCTION_HANDLE, CAPPED_PERCENTAGE_METAFIELD, cappedPercentageConfig } from "./capped-percentage";
import { fromMinorUnits } from "./money";
import type {
  RewardAppDiscountCreateMutationVariables,
  RewardDiscountCreateMutationVariables,
  RewardFreeShippingCreateMutationVariables,
  RewardStoreCreditMutationVariables,
} from "../shopify/generated/admin.generated";
import type { CurrencyCode } from "../shopify/generated/admin.types";

export type RewardKind = "fixed_amount" | "percentage" | "free_shipping" | "free_product" | "variable" | "store_credit";

/** A catalogue entry, as the redemption rules need it. Amounts in shop-currency minor units. */
export interface RewardDefinition {
  id: number;
  name: string;
  kind: RewardKind;
  pointsCost: number;
  /** fixed_amount and store_credit: the amount; variable: what one step of pointsCost buys. */
  valueMinor: number;
  percentOff: number;
  maxDiscountMinor: number | null;
  productVariantId: string | null;
  minAmountMinor: number | null;
  maxAmountMinor: number | null;
  minimumSubtotalMinor: number | null;
  codeLifetimeDays: number;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  /** Only members of these tiers may see and redeem it; null or absent: every member. */
  tierIds?: readonly number[] | null;
}

export type Quote = { ok: true; points: number; valueMinor: number } | { ok: false; reason: "invalid_amount"; message: string };

/**
 * What a redemption costs and is worth. A variable reward turns points into money at the
 * reward's rate (pointsCost points per valueMinor), for an amount the shopper picks between the
 * reward's minimum and maximum, in whole steps.
 *
 * @example quoteRedemption({ kind: "variable", pointsCost: 100, valueMinor: 100, minAmountMinor: 500, ... }, 1500)
 *          // { ok: true, points: 1500, valueMinor: 1500 }
 */
export function quoteRedemption(reward: RewardDefinition, amountMinor?: number | null): Quote {
  if (reward.kind !== "variable") return { ok: true, points: reward.pointsCost, valueMinor: reward.valueMinor };
  if (amountMinor === undefined || amountMinor === null || !Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    return { ok: false, reason: "invalid_amount", message: "choose an amount" };
  }
  const min = reward.minAmountMinor ?? reward.valueMinor;
  const max = reward.maxAmountMinor ?? Number.MAX_SAFE_INTEGER;
  if (amountMinor < min || amountMinor > max) return { ok: false, reason: "invalid_amount", message: "the amount is outside what this reward allows" };
  if (reward.valueMinor <= 0 || amountMinor % reward.valueMinor !== 0) {
    return { ok: false, reason: "invalid_amount", message: "the amount must be a whole number of steps" };
  }
  return { ok: true, points: (amountMinor / reward.valueMinor) * reward.pointsCost, valueMinor: amountMinor };
}

type Priced = Pick<RewardDefinition, "kind" | "pointsCost" | "valueMinor" | "minAmountMinor">;

/**
 * The fewest points that buy this reward: its cost, or for a variable reward the cost of its
 * smallest amount.
 *
 * @example pointsNeeded({ kind: "variable", pointsCost: 100, valueMinor: 100, minAmountMinor: 500 }) // 500
 */
export function pointsNeeded(reward: Priced): number {
  if (reward.kind !== "variable" || reward.valueMinor <= 0) return reward.pointsCost;
  const min = reward.minAmountMinor ?? reward.valueMinor;
  return Math.ceil(min / reward.valueMinor) * reward.pointsCost;
}

/**
 * The largest amount of a variable reward this balance buys, in whole steps within the reward's
 * range, or null when it cannot buy the smallest.
 *
 * @example maxAffordableMinor({ kind: "variable", pointsCost: 100, valueMinor: 100, minAmountMinor: 500, maxAmountMinor: 5000 }, 1250) // 1200
 */
export function maxAffordableMinor(reward: Priced & Pick<RewardDefinition, "maxAmountMinor">, balance: number): number | null {
  if (reward.kind !== "variable" || reward.valueMinor <= 0 || reward.pointsCost <= 0) return null;
  const steps = Math.floor(Math.max(0, balance) / reward.pointsCost);
  const amount = Math.min(steps * reward.valueMinor, reward.maxAmountMinor ?? Number.MAX_SAFE_INTEGER);
  return balance >= pointsNeeded(reward) ? amount : null;
}

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** An unguessable single-use code: 12 characters from a 32-symbol alphabet (60 bits). */
export function newDiscountCode(prefix = "PTS"): string {
  let code = "";
  for (let i = 0; i < 12; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${prefix}-${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** The discount a redemption creates in Shopify: which mutation, with which variables. */
export type ShopifyRewardRequest =
  | { mutation: "basic"; variables: RewardDiscountCreateMutationVariables }
  | { mutation: "freeShipping"; variables: RewardFreeShippingCreateMutationVariables }
  | { mutation: "app"; variables: RewardAppDiscountCreateMutationVariables }
  | { mutation: "storeCredit"; variables: RewardStoreCreditMutationVariables };

/**
 * The Shopify discount (or store credit) a redemption creates. A free product takes one unit's
 * price off that variant, once per order (`unitPriceMinor`: the variant's price, looked up when the
 * code is made), so two in the cart get one free. A percentage with a cap is an app discount
 * served by the capped-percentage Shopify Function, carrying its settings in a metafield.
 */
export function shopifyRequestFor(
  reward: RewardDefinition,
  redemption: { code: string; valueMinor: number; startsAt: string; endsAt: string; unitPriceMinor?: number },
  customerId: string,
  currency: string,
): ShopifyRewardRequest {
  const customer = `gid://shopify/Customer/${customerId}`;
  if (reward.kind === "store_credit") {
    return {
      mutation: "storeCredit",
      variables: {
        id: customer,
        creditInput: { creditAmount: { amount: fromMinorUnits(redemption.valueMinor, currency), currencyCode: currency as CurrencyCode } },
      },
    };
  }
  const common = {
    title: `${reward.name} (${redemption.code})`,
    code: redemption.code,
    startsAt: redemption.startsAt,
    endsAt: redemption.endsAt,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: { customers: { add: [customer] } },
    combinesWith: reward.combinesWith,
  };
  if (reward.kind === "percentage" && reward.maxDiscountMinor) {
    // App discounts have no minimumRequirement: the function checks the minimum subtotal itself.
    const config = cappedPercentageConfig({ ...reward, maxDiscountMinor: reward.maxDiscountMinor }, currency);
    return {
      mutation: "app",
      variables: {
        codeAppDiscount: {
          ...common,
          functionHandle: CAPPED_PERCENTAGE_FUNCTION_HANDLE,
          discountClasses: ["ORDER"],
          metafields: [{ ...CAPPED_PERCENTAGE_METAFIELD, type: "json", value: JSON.stringify(config) }],
        },
      },
    };
  }
  const withMinimum = {
    ...common,
    ...(reward.minimumSubtotalMinor
      ? { minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: fromMinorUnits(reward.minimumSubtotalMinor, currency) } } }
      : {}),
  };
  if (reward.kind === "free_shipping") {
    return { mutation: "freeShipping", variables: { freeShippingCodeDiscount: { ...withMinimum, destination: { all: true } } } };
  }
  const customerGets =
    reward.kind === "percentage"
      ? { value: { percentage: reward.percentOff / 100 }, items: { all: true } }
      : reward.kind === "free_product"
        ? {
            value: { discountAmount: { amount: fromMinorUnits(redemption.unitPriceMinor ?? 0, currency), appliesOnEachItem: false } },
            // Saving a free product reward requires its variant (reward-settings.ts).
            items: { products: { productVariantsToAdd: [reward.productVariantId!] } },
          }
        : {
            value: { discountAmount: { amount: fromMinorUnits(redemption.valueMinor, currency), appliesOnEachItem: false } },
            items: { all: true },
          };
  return { mutation: "basic", variables: { basicCodeDiscount: { ...withMinimum, customerGets } } };
}
