import { currencyDecimals } from "./money";

/** The settings every way to earn on orders shares (the program settings page). */
export interface OrderSettings {
  enabled: boolean;
  /** Orders whose eligible merchandise is below this (minor units) earn nothing. */
  minimumOrderMinor: number;
  earnTrigger: "paid" | "fulfilled";
  excludedProductIds: ReadonlySet<string>;
  /** Lower-cased. */
  excludedCustomerTags: ReadonlySet<string>;
}

/** The purchase way to earn at a rate (app/domain/ways-to-earn.ts decides every kind; this is the purchase rule alone). */
export interface EarningProgram extends OrderSettings {
  /** Points per whole unit of shop currency (1 = one point per dollar). */
  pointsPerCurrencyUnit: number;
}

/** One order line, already in shop currency minor units. */
export interface OrderLine {
  lineItemId: string;
  productId: string | null;
  /** Read by paid memberships sold as one variant (absent where a caller has no variants). */
  variantId?: string | null;
  quantity: number;
  giftCard: boolean;
  /** Price x quantity, minus discounts allocated to the line, minus tax included in the price. */
  merchandiseMinor: number;
}

export interface OrderForEarning {
  currency: string;
  customerTags: readonly string[];
  lines: readonly OrderLine[];
}

/** A line that earns, and the amount it earns on. */
export interface EarningLine {
  lineItemId: string;
  /** Campaigns limited to some products read it (absent on lines stored before campaigns). */
  productId?: string | null;
  quantity: number;
  basisMinor: number;
}

export type EarningDecision =
  { earns: true; points: number; basisMinor: number; lines: EarningLine[] } | { earns: false; reason: string; basisMinor: number; lines: EarningLine[] };

export const DEFAULT_PROGRAM: EarningProgram = {
  enabled: true,
  pointsPerCurrencyUnit: 1,
  minimumOrderMinor: 0,
  earnTrigger: "paid",
  excludedProductIds: new Set(),
  excludedCustomerTags: new Set(),
};

/** Lines that earn: not gift cards, not excluded products, with a positive basis. */
export function earningLines(order: OrderForEarning, program: OrderSettings): EarningLine[] {
  return order.lines
    .filter((line) => !line.giftCard)
    .filter((line) => !(line.productId && program.excludedProductIds.has(line.productId)))
    .filter((line) => line.merchandiseMinor > 0)
    .map((line) => ({ lineItemId: line.lineItemId, productId: line.productId, quantity: line.quantity, basisMinor: line.merchandiseMinor }));
}

/** floor(basis x rate / 10^decimals): points never round up. */
export function pointsForAmount(basisMinor: number, currency: string, pointsPerCurrencyUnit: number): number {
  const scale = 10 ** currencyDecimals(currency);
  return Math.floor((basisMinor * pointsPerCurrencyUnit) / scale);
}

/**
 * How many points an order earns under a program: merchandise after discounts, no shipping,
 * no tax, no gift cards, no excluded products, rounded down.
 */
export function pointsForOrder(order: OrderForEarning, program: EarningProgram): EarningDecision {
  const lines = earningLines(order, program);
  const basisMinor = lines.reduce((sum, line) => sum + line.basisMinor, 0);
  if (!program.enabled) return { earns: false, reason: "program is off", basisMinor, lines };
  const tags = order.customerTags.map((tag) => tag.trim().toLowerCase());
  const excludedTag = tags.find((tag) => program.excludedCustomerTags.has(tag));
  if (excludedTag) return { earns: false, reason: `customer tag "${excludedTag}" does not earn`, basisMinor, lines };
  if (basisMinor < program.minimumOrderMinor) {
    return { earns: false, reason: "below the minimum order amount", basisMinor, lines };
  }
  const points = pointsForAmount(basisMinor, order.currency, program.pointsPerCurrencyUnit);
  if (points <= 0) return { earns: false, reason: "order too small to earn a point", basisMinor, lines };
  return { earns: true, points, basisMinor, lines };
}
