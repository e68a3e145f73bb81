import { DEFAULT_PROGRAM, type EarningProgram, type OrderForEarning, type OrderLine } from "../../app/domain/earning";

// The purchase rule's table: one base order, one field varied at a time, with what it earns (a
// number) or why it does not (a reason). The old single rule and the ways-to-earn decision are
// both held to it.

const line = (spec: Partial<OrderLine> = {}): OrderLine => ({
  lineItemId: "1",
  productId: "100",
  quantity: 1,
  giftCard: false,
  merchandiseMinor: 5000,
  ...spec,
});
const base: OrderForEarning = { currency: "USD", customerTags: [], lines: [line(), line({ lineItemId: "2", productId: "200", merchandiseMinor: 2550 })] };
const program = (spec: Partial<EarningProgram> = {}): EarningProgram => ({ ...DEFAULT_PROGRAM, ...spec });

export const PURCHASE_CASES: [string, OrderForEarning, EarningProgram, number | string][] = [
  ["base: 75.50 earns 75", base, program(), 75],
  ["2 points per unit", base, program({ pointsPerCurrencyUnit: 2 }), 151],
  ["0 points per unit earns nothing", base, program({ pointsPerCurrencyUnit: 0 }), "order too small to earn a point"],
  ["program off", base, program({ enabled: false }), "program is off"],
  ["below the minimum", base, program({ minimumOrderMinor: 10000 }), "below the minimum order amount"],
  ["exactly the minimum", base, program({ minimumOrderMinor: 7550 }), 75],
  ["excluded product", base, program({ excludedProductIds: new Set(["200"]) }), 50],
  [
    "excluded customer tag, any case",
    { ...base, customerTags: ["Wholesale"] },
    program({ excludedCustomerTags: new Set(["wholesale"]) }),
    'customer tag "wholesale" does not earn',
  ],
  ["gift cards do not earn", { ...base, lines: [line({ giftCard: true }), base.lines[1]] }, program(), 25],
  ["JPY has no decimals", { ...base, currency: "JPY", lines: [line({ merchandiseMinor: 1500 })] }, program(), 1500],
  ["KWD has three", { ...base, currency: "KWD", lines: [line({ merchandiseMinor: 12345 })] }, program(), 12],
  ["under one unit", { ...base, lines: [line({ merchandiseMinor: 99 })] }, program(), "order too small to earn a point"],
];
