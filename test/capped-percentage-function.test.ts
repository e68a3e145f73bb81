import fs from "node:fs";
import path from "node:path";
import { buildSchema, getVariableValues, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import type { CappedPercentageInput } from "../app/domain/capped-percentage";
import { shopifyRequestFor, type RewardDefinition } from "../app/domain/rewards";
import { cartLinesDiscountsGenerateRun } from "../extensions/capped-percentage-discount/src/index";
import { bundleFunction } from "./support/shopify-function";

// The Shopify Function behind capped percentage rewards: its input query and its answers checked
// against Shopify's Discount Function API schema, its rule over carts, and its bundle run the way
// Shopify runs it (no Node APIs).

const root = path.resolve(__dirname, "..");
const extension = path.join(root, "extensions/capped-percentage-discount");
const sharedSchema = path.join(root, "../shared/shopify/discount-function-2025-04.graphql");
const schema = buildSchema(fs.readFileSync(path.join(extension, "schema.graphql"), "utf8"));

const reward: RewardDefinition = {
  id: 7,
  name: "10% off",
  kind: "percentage",
  pointsCost: 1000,
  valueMinor: 0,
  percentOff: 10,
  maxDiscountMinor: 2000,
  productVariantId: null,
  minAmountMinor: null,
  maxAmountMinor: null,
  minimumSubtotalMinor: 5000,
  codeLifetimeDays: 30,
  combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
};

/** The metafield JSON the app writes on the code it creates for `reward` in a shop whose currency is `currency`. */
function configWritten(definition: RewardDefinition, currency: string) {
  const plan = shopifyRequestFor(definition, { code: "PTS-AAAA-BBBB-CCCC", valueMinor: 0, startsAt: "", endsAt: "" }, "1", currency);
  if (plan.mutation !== "app") throw new Error(`expected an app discount, got ${plan.mutation}`);
  const [metafield] = plan.variables.codeAppDiscount.metafields as { namespace: string; key: string; type: string; value: string }[];
  return metafield;
}

const cart = (
  subtotal: string,
  currencyCode = "USD",
  overrides: Partial<CappedPercentageInput> = {},
  config = configWritten(reward, "USD"),
): CappedPercentageInput => ({
  cart: { cost: { subtotalAmount: { amount: subtotal, currencyCode } } },
  discount: { discountClasses: ["ORDER"], metafield: { jsonValue: JSON.parse(config.value) } },
  presentmentCurrencyRate: "1.0",
  ...overrides,
});

const percentage = (value: number) => ({ percentage: { value } });
const fixed = (amount: string) => ({ fixedAmount: { amount } });
const valueOf = (result: ReturnType<typeof cartLinesDiscountsGenerateRun>) => result.operations[0]?.orderDiscountsAdd.candidates[0].value ?? null;

describe("the capped percentage function's contract with Shopify", () => {
  it.skipIf(!fs.existsSync(sharedSchema))("ships the Discount Function API schema it was written against, byte for byte", () => {
    expect(fs.readFileSync(path.join(extension, "schema.graphql")).equals(fs.readFileSync(sharedSchema))).toBe(true);
  });

  it("asks for input that validates against the Discount Function API 2025-04", () => {
    const query = fs.readFileSync(path.join(extension, "src/cart_lines_discounts_generate_run.graphql"), "utf8");
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  });

  it("reads the metafield the app writes on each code", () => {
    const query = fs.readFileSync(path.join(extension, "src/cart_lines_discounts_generate_run.graphql"), "utf8");
    const metafield = configWritten(reward, "USD");
    expect(query).toContain(`metafield(namespace: "${metafield.namespace}", key: "${metafield.key}")`);
    expect(metafield.type).toBe("json");
  });

  it("is declared for the run target, under the handle the app names in discountCodeAppCreate", () => {
    const toml = fs.readFileSync(path.join(extension, "shopify.extension.toml"), "utf8");
    const plan = shopifyRequestFor(reward, { code: "X", valueMinor: 0, startsAt: "", endsAt: "" }, "1", "USD");
    expect(plan.mutation).toBe("app");
    expect(toml).toContain(`handle = "${(plan.variables as { codeAppDiscount: { functionHandle: string } }).codeAppDiscount.functionHandle}"`);
    expect(toml).toMatch(/target = "cart\.lines\.discounts\.generate\.run"/);
    expect(toml).toMatch(/export = "cart-lines-discounts-generate-run"/);
  });

  const runResult = parse("mutation Run($result: CartLinesDiscountsGenerateRunResult!) { cartLinesDiscountsGenerateRun(result: $result) }");
  it.each([
    ["under the cap", cart("100.00")],
    ["over the cap", cart("300.00")],
    ["under the minimum", cart("40.00")],
    ["in another currency", cart("250.00", "EUR", { presentmentCurrencyRate: "0.9" })],
  ])("answers, %s, a result the schema accepts", (_name, input) => {
    const result = cartLinesDiscountsGenerateRun(input);
    const operation = runResult.definitions[0];
    if (operation.kind !== "OperationDefinition") throw new Error("not an operation");
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { result });
    expect("errors" in coerced ? coerced.errors?.map((e) => e.message) : []).toEqual([]);
  });
});

describe("what a capped percentage code takes off a cart", () => {
  it.each<[string, CappedPercentageInput, ReturnType<typeof valueOf> | null]>([
    ["10% of 100.00 is under the 20.00 cap: the percentage itself", cart("100.00"), percentage(10)],
    ["10% of exactly 200.00 reaches the cap: still the percentage", cart("200.00"), percentage(10)],
    ["10% of 300.00 is over the cap: 20.00 off", cart("300.00"), fixed("20.00")],
    ["exactly the minimum subtotal qualifies", cart("50.00"), percentage(10)],
    ["under the 50.00 minimum: nothing", cart("49.99"), null],
    ["an empty cart: nothing", cart("0.0"), null],
    ["EUR at 0.9 per USD: the cap is 18.00 EUR", cart("250.00", "EUR", { presentmentCurrencyRate: "0.9" }), fixed("18.00")],
    ["EUR at 0.9: the 50.00 USD minimum is 45.00 EUR", cart("44.99", "EUR", { presentmentCurrencyRate: "0.9" }), null],
    ["yen at 150 per USD: the cap is 3000 JPY, no decimals", cart("50000", "JPY", { presentmentCurrencyRate: "150.0" }), fixed("3000")],
    [
      "a discount not made for order discounts: nothing",
      cart("300.00", "USD", { discount: { discountClasses: ["PRODUCT"], metafield: { jsonValue: JSON.parse(configWritten(reward, "USD").value) } } }),
      null,
    ],
    ["a code without its settings: nothing", cart("300.00", "USD", { discount: { discountClasses: ["ORDER"], metafield: null } }), null],
    [
      "settings with a cap of 0: nothing",
      cart("300.00", "USD", { discount: { discountClasses: ["ORDER"], metafield: { jsonValue: { percentOff: 10, capMinor: 0, currency: "USD" } } } }),
      null,
    ],
    [
      "settings over 100%: nothing",
      cart("300.00", "USD", { discount: { discountClasses: ["ORDER"], metafield: { jsonValue: { percentOff: 150, capMinor: 100, currency: "USD" } } } }),
      null,
    ],
    ["a broken presentment rate: nothing", cart("300.00", "EUR", { presentmentCurrencyRate: "0" }), null],
  ])("%s", (_name, input, expected) => {
    expect(valueOf(cartLinesDiscountsGenerateRun(input))).toEqual(expected);
  });

  it("names the reward and targets the whole order subtotal", () => {
    const [operation] = cartLinesDiscountsGenerateRun(cart("300.00")).operations;
    expect(operation.orderDiscountsAdd).toMatchObject({
      selectionStrategy: "FIRST",
      candidates: [{ message: "10% off, up to 20.00 USD", targets: [{ orderSubtotal: { excludedCartLineIds: [] } }] }],
    });
  });

  it("keeps the cap in a 3-decimal shop currency exact", () => {
    const config = configWritten({ ...reward, maxDiscountMinor: 5250, minimumSubtotalMinor: null }, "KWD");
    expect(valueOf(cartLinesDiscountsGenerateRun(cart("100.000", "KWD", {}, config)))).toEqual(fixed("5.250"));
    expect(valueOf(cartLinesDiscountsGenerateRun(cart("40.000", "KWD", {}, config)))).toEqual(percentage(10));
  });
});

describe("the function's bundle", () => {
  it("builds from its entry with no Node APIs, stays small and gives the same answers", async () => {
    const bundle = await bundleFunction(extension);
    console.log(`capped-percentage function bundle: ${bundle.bytes} B raw, ${bundle.gzipBytes} B gzip`);
    expect(bundle.gzipBytes).toBeLessThan(4_000);
    const run = (input: CappedPercentageInput) => bundle.run("cartLinesDiscountsGenerateRun", input);
    for (const input of [cart("100.00"), cart("300.00"), cart("40.00"), cart("50000", "JPY", { presentmentCurrencyRate: "150.0" })]) {
      expect(run(input)).toEqual(cartLinesDiscountsGenerateRun(input));
    }
  });
});
