import { currencyDecimals, fromMinorUnits } from "./money";

// The percentage-off reward with a cap. A Shopify discount code cannot cap a percentage, so such a
// reward becomes an app discount code served by the Shopify Function in
// extensions/capped-percentage-discount, which runs this module at checkout. The code carries its
// settings in a metafield, written when the code is created and read by the function.

export const CAPPED_PERCENTAGE_FUNCTION_HANDLE = "capped-percentage-discount";
export const CAPPED_PERCENTAGE_METAFIELD = { namespace: "$app:loyalty", key: "capped-percentage" } as const;

/** The metafield's JSON: amounts in the shop currency's minor units. */
export interface CappedPercentageConfig {
  percentOff: number;
  capMinor: number;
  currency: string;
  minimumSubtotalMinor: number | null;
  message: string;
}

/** The function's input, as src/cart_lines_discounts_generate_run.graphql asks for it. */
export interface CappedPercentageInput {
  cart: { cost: { subtotalAmount: { amount: string; currencyCode: string } } };
  discount: { discountClasses: string[]; metafield: { jsonValue: unknown } | null };
  presentmentCurrencyRate: string;
}

export interface OrderDiscountOperation {
  orderDiscountsAdd: {
    selectionStrategy: "FIRST";
    candidates: {
      message: string;
      targets: { orderSubtotal: { excludedCartLineIds: string[] } }[];
      value: { percentage: { value: number } } | { fixedAmount: { amount: string } };
    }[];
  };
}

export interface CappedPercentageResult {
  operations: OrderDiscountOperation[];
}

const MAX_MESSAGE_LENGTH = 100;

export function cappedPercentageConfig(
  reward: { percentOff: number; maxDiscountMinor: number; minimumSubtotalMinor: number | null },
  currency: string,
): CappedPercentageConfig {
  return {
    percentOff: reward.percentOff,
    capMinor: reward.maxDiscountMinor,
    currency,
    minimumSubtotalMinor: reward.minimumSubtotalMinor,
    message: `${reward.percentOff}% off, up to ${fromMinorUnits(reward.maxDiscountMinor, currency)} ${currency}`.slice(0, MAX_MESSAGE_LENGTH),
  };
}

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/** The metafield's JSON when it is whole and sensible; null otherwise (the code then gives nothing). */
export function parseCappedPercentageConfig(json: unknown): CappedPercentageConfig | null {
  if (!json || typeof json !== "object") return null;
  const config = json as Record<string, unknown>;
  const { percentOff, capMinor, currency, minimumSubtotalMinor, message } = config;
  if (!isCount(percentOff) || percentOff < 1 || percentOff > 100) return null;
  if (!isCount(capMinor) || capMinor < 1) return null;
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) return null;
  if (minimumSubtotalMinor !== null && minimumSubtotalMinor !== undefined && !isCount(minimumSubtotalMinor)) return null;
  return {
    percentOff,
    capMinor,
    currency,
    minimumSubtotalMinor: (minimumSubtotalMinor as number | null | undefined) ?? null,
    message: typeof message === "string" && message ? message.slice(0, MAX_MESSAGE_LENGTH) : `${percentOff}% off`,
  };
}

/** A decimal string in minor units of `decimals`, rounded down. */
function decimalToMinor(amount: string, decimals: number): number {
  const match = /^(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!match) return 0;
  return Number(match[1] + (match[2] ?? "").slice(0, decimals).padEnd(decimals, "0"));
}

/**
 * Converts shop-currency minor units into the cart's currency at Shopify's presentment rate.
 * `round` is floor for the cap (never give more than promised) and ceil for the minimum.
 */
function toCartMinor(shopMinor: number, shopCurrency: string, cartCurrency: string, rate: number, round: (n: number) => number) {
  if (shopCurrency === cartCurrency) return shopMinor;
  const value = (shopMinor / 10 ** currencyDecimals(shopCurrency)) * rate * 10 ** currencyDecimals(cartCurrency);
  // Take off float noise (19.999999997 is 20) before rounding.
  return round(Number(value.toFixed(6)));
}

/**
 * What the reward takes off this cart: `percentOff` of the subtotal, but never more than the cap
 * (converted to the cart's currency). Under the cap Shopify gets the percentage itself; at the cap
 * a fixed amount. Nothing when the subtotal is under the reward's minimum, when the code's settings
 * are missing or broken, or when the discount was not made for order discounts.
 */
export function cappedPercentageDiscount(input: CappedPercentageInput): CappedPercentageResult {
  const none = { operations: [] };
  if (!input.discount.discountClasses.includes("ORDER")) return none;
  const config = parseCappedPercentageConfig(input.discount.metafield?.jsonValue);
  if (!config) return none;
  const { amount, currencyCode } = input.cart.cost.subtotalAmount;
  const decimals = currencyDecimals(currencyCode);
  const rate = Number(input.presentmentCurrencyRate);
  if (!(rate > 0)) return none;
  const subtotalMinor = decimalToMinor(amount, decimals);
  if (subtotalMinor <= 0) return none;
  if (config.minimumSubtotalMinor !== null) {
    const minimum = toCartMinor(config.minimumSubtotalMinor, config.currency, currencyCode, rate, Math.ceil);
    if (subtotalMinor < minimum) return none;
  }
  const capMinor = toCartMinor(config.capMinor, config.currency, currencyCode, rate, Math.floor);
  const percentMinor = Math.floor((subtotalMinor * config.percentOff) / 100);
  const value = percentMinor <= capMinor ? { percentage: { value: config.percentOff } } : { fixedAmount: { amount: fromMinorUnits(capMinor, currencyCode) } };
  return {
    operations: [
      {
        orderDiscountsAdd: {
          selectionStrategy: "FIRST",
          candidates: [{ message: config.message, targets: [{ orderSubtotal: { excludedCartLineIds: [] } }], value }],
        },
      },
    ],
  };
}
