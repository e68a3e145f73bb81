import fs from "node:fs";
import path from "node:path";
import { buildSchema, execute, getVariableValues, parse, validate, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import {
  TIER_PERKS_FUNCTION_HANDLE,
  TIER_PERKS_METAFIELD,
  tierPerksConfig,
  tierPerksDiscountCreateVariables,
  tierPerksDiscountUpdateVariables,
  type TierPerksCartLine,
  type TierPerksDeliveryInput,
  type TierPerksLinesInput,
} from "../app/domain/tier-perks";
import type { TierConfig, TierProgramConfig } from "../app/domain/tiers";
import { TIER_WITHOUT_PERKS } from "../app/domain/tiers";
import { tierMetafieldValue, type MemberTierFacts } from "../app/domain/tier-view";
import { TIER_PERKS_DISCOUNT_CREATE, TIER_PERKS_DISCOUNT_UPDATE } from "../app/shopify/queries";
import { adminSchemaPath } from "../simulator/admin-schema-path";
import { cartDeliveryOptionsDiscountsGenerateRun, cartLinesDiscountsGenerateRun } from "../extensions/tier-perks-discount/src/index";
import { bundleFunction } from "./support/shopify-function";

// The Shopify Function behind the VIP tiers' checkout perks: its input queries and answers checked
// against Shopify's Discount Function API schema, member prices and free shipping decided from the
// buyer's tier metafield and the discount's own settings, the admin mutations that create the
// discount, and its bundle run the way Shopify runs it (no Node APIs).

const root = path.resolve(__dirname, "..");
const extension = path.join(root, "extensions/tier-perks-discount");
const sharedSchema = path.join(root, "../shared/shopify/discount-function-2025-04.graphql");
const schema = buildSchema(fs.readFileSync(path.join(extension, "schema.graphql"), "utf8"));
const linesQuery = fs.readFileSync(path.join(extension, "src/cart_lines_discounts_generate_run.graphql"), "utf8");
const deliveryQuery = fs.readFileSync(path.join(extension, "src/cart_delivery_options_discounts_generate_run.graphql"), "utf8");
const toml = fs.readFileSync(path.join(extension, "shopify.extension.toml"), "utf8");

const NOW = "2026-03-02T12:00:00.000Z";
const SHOES = "gid://shopify/Collection/7";
const HATS = "gid://shopify/Collection/8";
const SOCKS = "gid://shopify/Collection/9";

const tier = (id: number, rank: number, names: Record<string, string>, perks: Partial<TierConfig> = {}): TierConfig => ({
  id,
  rank,
  threshold: rank * 100,
  names,
  ...TIER_WITHOUT_PERKS,
  ...perks,
});

/** Bronze: no checkout perk; Silver: free shipping; Gold: free shipping and 10% off shoes and hats; Platinum: 15% off everything. */
const program = (spec: Partial<TierProgramConfig> = {}): TierProgramConfig => ({
  enabled: true,
  basis: "points_earned",
  period: { kind: "calendar_year" },
  retention: "period_and_next",
  adjustmentsCount: false,
  tagPrefix: null,
  tiers: [
    tier(10, 1, { en: "Bronze" }, { multiplierPercent: 125 }),
    tier(11, 2, { en: "Silver" }, { freeShipping: true }),
    tier(12, 3, { en: "Gold", he: "זהב", da: "Guld" }, { freeShipping: true, memberPricePercent: 10, memberPriceCollectionIds: [SHOES, HATS] }),
    tier(13, 4, { en: "Platinum" }, { memberPricePercent: 15 }),
  ],
  ...spec,
});

/** The metafield JSON the app writes on the shop's tier-perks discount. */
function configWritten(config: TierProgramConfig = program()) {
  const [metafield] = tierPerksDiscountCreateVariables(config, NOW).automaticAppDiscount.metafields as {
    namespace: string;
    key: string;
    type: string;
    value: string;
  }[];
  return metafield;
}
const discount = (config = program(), discountClasses = ["PRODUCT", "SHIPPING"]) => ({
  discountClasses,
  metafield: { jsonValue: JSON.parse(configWritten(config).value) },
});

const facts = (tierId: number | null, spec: Partial<MemberTierFacts> = {}): MemberTierFacts => ({
  tierId,
  keptUntil: "2028-01-01T00:00:00.000Z",
  manual: false,
  manualUntil: null,
  paidTierId: null,
  paidUntil: null,
  total: 350,
  ...spec,
});
/** The buyer's `$app:loyalty.tier` metafield as the member sync writes it. */
const tierMetafield = (tierId: number | null, config = program(), spec: Partial<MemberTierFacts> = {}) => ({
  jsonValue: JSON.parse(JSON.stringify(tierMetafieldValue(config, facts(tierId, spec), "en", NOW, "UTC"))),
});
const buyer = (metafield: { jsonValue: unknown } | null) => ({ customer: { metafield } });

/** A product line; inCollections answers for every collection the discount's settings list, as Shopify would. */
const productLine = (id: string, memberOf: string[], spec: { giftCard?: boolean } = {}): TierPerksCartLine => ({
  id: `gid://shopify/CartLine/${id}`,
  merchandise: {
    __typename: "ProductVariant",
    product: {
      isGiftCard: spec.giftCard ?? false,
      inCollections: tierPerksConfig(program()).collectionIds.map((collectionId) => ({ collectionId, isMember: memberOf.includes(collectionId) })),
    },
  },
});
const customLine = (id: string): TierPerksCartLine => ({ id: `gid://shopify/CartLine/${id}`, merchandise: { __typename: "CustomProduct" } });
const baseLines = [
  productLine("shoe", [SHOES]),
  productLine("hat", [HATS, SHOES]),
  productLine("sock", []),
  productLine("card", [SHOES], { giftCard: true }),
  customLine("custom"),
];

const linesInput = (
  spec: { buyerIdentity?: TierPerksLinesInput["cart"]["buyerIdentity"]; lines?: TierPerksCartLine[] } & Partial<Omit<TierPerksLinesInput, "cart">> = {},
): TierPerksLinesInput => ({
  cart: { buyerIdentity: "buyerIdentity" in spec ? spec.buyerIdentity! : buyer(tierMetafield(12)), lines: spec.lines ?? baseLines },
  discount: spec.discount ?? discount(),
  localization: spec.localization ?? { language: { isoCode: "EN" } },
});

const twoGroups = [{ id: "gid://shopify/CartDeliveryGroup/1" }, { id: "gid://shopify/CartDeliveryGroup/2" }];
const deliveryInput = (
  spec: { buyerIdentity?: TierPerksDeliveryInput["cart"]["buyerIdentity"]; deliveryGroups?: { id: string }[] } & Partial<
    Omit<TierPerksDeliveryInput, "cart">
  > = {},
): TierPerksDeliveryInput => ({
  cart: { buyerIdentity: "buyerIdentity" in spec ? spec.buyerIdentity! : buyer(tierMetafield(12)), deliveryGroups: spec.deliveryGroups ?? twoGroups },
  discount: spec.discount ?? discount(),
  localization: spec.localization ?? { language: { isoCode: "EN" } },
});

/** What the member-price target gives: the percentage and the lines it is on, or null for no operation. */
function memberPrice(input: TierPerksLinesInput) {
  const { operations } = cartLinesDiscountsGenerateRun(input);
  if (operations.length === 0) return null;
  const [candidate] = operations[0].productDiscountsAdd.candidates;
  return { percent: candidate.value.percentage.value, lines: candidate.targets.map((target) => target.cartLine.id.split("/").pop()) };
}
/** What the free-shipping target gives: the percentage off and the groups, or null for no operation. */
function freeShipping(input: TierPerksDeliveryInput) {
  const { operations } = cartDeliveryOptionsDiscountsGenerateRun(input);
  if (operations.length === 0) return null;
  const [candidate] = operations[0].deliveryDiscountsAdd.candidates;
  return { percent: candidate.value.percentage.value, groups: candidate.targets.map((target) => target.deliveryGroup.id.split("/").pop()) };
}

/** The input query run over `input` as Shopify's answer: errors, and whether the answer is `input` exactly. */
function answerShape(query: string, input: object, variableValues: Record<string, unknown> = {}) {
  const result = execute({
    schema,
    document: parse(query),
    rootValue: input,
    variableValues,
    fieldResolver: (source, _args, _context, info) => (source as Record<string, unknown>)[info.fieldName],
  }) as { errors?: readonly { message: string }[]; data?: unknown };
  return { errors: (result.errors ?? []).map((e) => e.message), sameShape: JSON.stringify(result.data) === JSON.stringify(input) };
}

function coercionErrors(onSchema: GraphQLSchema, mutation: string, variables: Record<string, unknown>) {
  const operation = parse(mutation).definitions[0];
  if (operation.kind !== "OperationDefinition") throw new Error("not an operation");
  const coerced = getVariableValues(onSchema, operation.variableDefinitions ?? [], variables);
  return "errors" in coerced ? (coerced.errors ?? []).map((e) => e.message) : [];
}

describe("the tier perks function's contract with Shopify", () => {
  it.skipIf(!fs.existsSync(sharedSchema))("ships the Discount Function API schema it was written against, byte for byte", () => {
    expect(fs.readFileSync(path.join(extension, "schema.graphql")).equals(fs.readFileSync(sharedSchema))).toBe(true);
  });

  it.each([
    ["member prices", linesQuery],
    ["free shipping", deliveryQuery],
  ])("asks, for %s, input that validates against the Discount Function API 2025-04", (_name, query) => {
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  });

  it("a wrong field in an input query is caught (the check can fail)", () => {
    expect(validate(schema, parse(linesQuery.replace("isGiftCard", "isGiftCards"))).length).toBeGreaterThan(0);
  });

  it.each<[string, string, object, Record<string, unknown>]>([
    ["the member-price input", linesQuery, linesInput(), { collectionIds: tierPerksConfig(program()).collectionIds }],
    ["the member-price input of a guest", linesQuery, linesInput({ buyerIdentity: null }), {}],
    ["the free-shipping input", deliveryQuery, deliveryInput(), {}],
    ["the free-shipping input of a customer without the tier metafield", deliveryQuery, deliveryInput({ buyerIdentity: buyer(null) }), {}],
  ])("is tested on %s in exactly the shape its query answers", (_name, query, input, variables) => {
    expect(answerShape(query, input, variables)).toEqual({ errors: [], sameShape: true });
  });

  it("a test input the query cannot answer is caught (the check can fail)", () => {
    const input = linesInput();
    const broken = { ...input, localization: { language: { isoCode: "english" } } };
    expect(answerShape(linesQuery, broken).errors.length).toBeGreaterThan(0);
  });

  it("reads the customer's tier metafield and the discount's own settings, the metafield the app writes", () => {
    const metafield = configWritten();
    expect(metafield).toMatchObject({ namespace: "$app:loyalty", key: "tier-perks", type: "json" });
    for (const query of [linesQuery, deliveryQuery]) {
      expect(query).toContain(`metafield(namespace: "${metafield.namespace}", key: "${metafield.key}")`);
      expect(query).toContain(`metafield(namespace: "$app:loyalty", key: "tier")`);
    }
  });

  it("takes $collectionIds from the discount metafield's top level, as [extensions.input.variables] says", () => {
    expect(toml).toMatch(/\[extensions\.input\.variables\]\s+namespace = "\$app:loyalty"\s+key = "tier-perks"/);
    const operation = parse(linesQuery).definitions[0];
    if (operation.kind !== "OperationDefinition") throw new Error("not an operation");
    const variables = (operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value);
    expect(variables).toEqual(["collectionIds"]);
    expect(Object.keys(JSON.parse(configWritten().value))).toEqual(expect.arrayContaining(variables));
  });

  it("is declared for both run targets, under the handle the app names in discountAutomaticAppCreate", () => {
    const handle = tierPerksDiscountCreateVariables(program(), NOW).automaticAppDiscount.functionHandle;
    expect(handle).toBe(TIER_PERKS_FUNCTION_HANDLE);
    expect(toml).toContain(`handle = "${handle}"`);
    expect(toml).toMatch(/api_version = "2025-04"/);
    expect(toml).toMatch(
      /target = "cart\.lines\.discounts\.generate\.run"\s+input_query = "src\/cart_lines_discounts_generate_run\.graphql"\s+export = "cart-lines-discounts-generate-run"/,
    );
    expect(toml).toMatch(
      /target = "cart\.delivery-options\.discounts\.generate\.run"\s+input_query = "src\/cart_delivery_options_discounts_generate_run\.graphql"\s+export = "cart-delivery-options-discounts-generate-run"/,
    );
  });

  const linesResult = "mutation Run($result: CartLinesDiscountsGenerateRunResult!) { cartLinesDiscountsGenerateRun(result: $result) }";
  const deliveryResult = "mutation Run($result: CartDeliveryOptionsDiscountsGenerateRunResult!) { cartDeliveryOptionsDiscountsGenerateRun(result: $result) }";
  it.each([
    ["Gold, on shoes and hats", linesInput()],
    ["Platinum, on everything", linesInput({ buyerIdentity: buyer(tierMetafield(13)) })],
    ["a guest", linesInput({ buyerIdentity: null })],
  ])("answers member prices, for %s, with a result the schema accepts", (_name, input) => {
    expect(coercionErrors(schema, linesResult, { result: cartLinesDiscountsGenerateRun(input) })).toEqual([]);
  });

  it.each([
    ["Gold", deliveryInput()],
    ["Platinum, without free shipping", deliveryInput({ buyerIdentity: buyer(tierMetafield(13)) })],
  ])("answers free shipping, for %s, with a result the schema accepts", (_name, input) => {
    expect(coercionErrors(schema, deliveryResult, { result: cartDeliveryOptionsDiscountsGenerateRun(input) })).toEqual([]);
  });

  it("a result the schema refuses is caught (the check can fail)", () => {
    const wrong = {
      operations: [
        { productDiscountsAdd: { selectionStrategy: "ALL", candidates: [{ targets: [{ orderSubtotal: {} }], value: { percentage: { value: 10 } } }] } },
      ],
    };
    expect(coercionErrors(schema, linesResult, { result: wrong }).length).toBeGreaterThan(0);
  });
});

describe("member prices at checkout", () => {
  const brokenConfig = (jsonValue: unknown) => ({ discountClasses: ["PRODUCT", "SHIPPING"], metafield: { jsonValue } });
  it.each<[string, TierPerksLinesInput, ReturnType<typeof memberPrice>]>([
    ["Gold: 10% off the lines in its collections, not a gift card or a custom item", linesInput(), { percent: 10, lines: ["shoe", "hat"] }],
    [
      "Platinum lists no collection: 15% off every product line",
      linesInput({ buyerIdentity: buyer(tierMetafield(13)) }),
      { percent: 15, lines: ["shoe", "hat", "sock"] },
    ],
    ["a line in none of the tier's collections alone: nothing", linesInput({ lines: [productLine("sock", [])] }), null],
    ["a line in a collection only another tier prices: not Gold's", linesInput({ lines: [productLine("sock", [SOCKS])] }), null],
    ["a line that is in the list but not a member: nothing", linesInput({ lines: [productLine("shoe", [])] }), null],
    ["Silver has free shipping but no member price: nothing", linesInput({ buyerIdentity: buyer(tierMetafield(11)) }), null],
    ["Bronze has no checkout perk: nothing", linesInput({ buyerIdentity: buyer(tierMetafield(10)) }), null],
    ["a guest: nothing", linesInput({ buyerIdentity: null }), null],
    ["a buyer who is not a customer: nothing", linesInput({ buyerIdentity: { customer: null } }), null],
    ["a customer without the tier metafield: nothing", linesInput({ buyerIdentity: buyer(null) }), null],
    ["a member below the first tier ({id: null}): nothing", linesInput({ buyerIdentity: buyer(tierMetafield(null)) }), null],
    ["a tier the discount does not know (deleted since): nothing", linesInput({ buyerIdentity: buyer({ jsonValue: { id: 99, name: "Old" } }) }), null],
    ["a tier id that is not a number: nothing", linesInput({ buyerIdentity: buyer({ jsonValue: { id: "12", name: "Gold" } }) }), null],
    ["a tier metafield that is not an object: nothing", linesInput({ buyerIdentity: buyer({ jsonValue: "Gold" }) }), null],
    ["a discount not made for product discounts: nothing", linesInput({ discount: discount(program(), ["SHIPPING"]) }), null],
    ["a discount without its settings: nothing", linesInput({ discount: { discountClasses: ["PRODUCT"], metafield: null } }), null],
    ["settings that are not an object: nothing", linesInput({ discount: brokenConfig("tiers") }), null],
    [
      "settings with a percent over 100: nothing",
      linesInput({ discount: brokenConfig({ tiers: { 12: { freeShipping: false, percent: 150, collectionIds: [] } } }) }),
      null,
    ],
    [
      "settings with a percent as text: nothing",
      linesInput({ discount: brokenConfig({ tiers: { 12: { freeShipping: false, percent: "10", collectionIds: [] } } }) }),
      null,
    ],
    [
      "settings with collections that are not a list: nothing",
      linesInput({ discount: brokenConfig({ tiers: { 12: { freeShipping: false, percent: 10, collectionIds: SHOES } } }) }),
      null,
    ],
    ["a program turned off: nothing", linesInput({ discount: discount(program({ enabled: false })) }), null],
    [
      "a customer metafield from before Gold's price went down to 5% gets 5%: the discount's settings decide",
      linesInput({ discount: discount(program({ tiers: program().tiers.map((t) => (t.id === 12 ? { ...t, memberPricePercent: 5 } : t)) })) }),
      { percent: 5, lines: ["shoe", "hat"] },
    ],
    [
      "a customer metafield promising more than the settings give gets what the settings give",
      linesInput({ buyerIdentity: buyer({ jsonValue: { ...tierMetafield(12).jsonValue, memberPrice: { percent: 90, collectionIds: [] } } }) }),
      { percent: 10, lines: ["shoe", "hat"] },
    ],
    [
      "a rolling window's `until` (the day the tier was reached, long past) still gets the member price",
      linesInput({
        buyerIdentity: buyer(
          tierMetafield(12, program({ period: { kind: "rolling", months: 12 }, retention: "rolling" }), { keptUntil: "2025-06-01T00:00:00.000Z" }),
        ),
      }),
      { percent: 10, lines: ["shoe", "hat"] },
    ],
  ])("%s", (_name, input, expected) => {
    expect(memberPrice(input)).toEqual(expected);
  });

  it.each([
    ["English", "EN", "Gold"],
    ["Hebrew", "HE", "זהב"],
    ["Danish", "DA", "Guld"],
    ["Brazilian Portuguese, which the tier has no name in: the metafield's name", "PT_BR", "Gold"],
  ])("is named after the tier in the buyer's language: %s", (_name, isoCode, message) => {
    const [operation] = cartLinesDiscountsGenerateRun(linesInput({ localization: { language: { isoCode } } })).operations;
    expect(operation.productDiscountsAdd.candidates.map((candidate) => candidate.message)).toEqual([message]);
  });

  it("takes a language's own name before its language's: pt-BR, then pt", () => {
    const names = { en: "Gold", pt: "Ouro", "pt-BR": "Ouro BR" };
    const metafield = (spec: object) => buyer({ jsonValue: { ...tierMetafield(12).jsonValue, ...spec } });
    const message = (input: TierPerksLinesInput) => cartLinesDiscountsGenerateRun(input).operations[0].productDiscountsAdd.candidates[0].message;
    expect(message(linesInput({ buyerIdentity: metafield({ names }), localization: { language: { isoCode: "PT_BR" } } }))).toBe("Ouro BR");
    expect(message(linesInput({ buyerIdentity: metafield({ names }), localization: { language: { isoCode: "PT_PT" } } }))).toBe("Ouro");
  });

  it("is one candidate, a percentage on whole lines, and never a fixed amount: nothing to convert into the buyer's currency", () => {
    const inputs = [linesInput(), linesInput({ buyerIdentity: buyer(tierMetafield(13)) })];
    for (const input of inputs) {
      const result = cartLinesDiscountsGenerateRun(input);
      expect(result.operations[0].productDiscountsAdd).toMatchObject({ selectionStrategy: "FIRST", candidates: [{ value: { percentage: {} } }] });
      expect(result.operations[0].productDiscountsAdd.candidates[0].targets.every((target) => Object.keys(target.cartLine).join() === "id")).toBe(true);
      expect(JSON.stringify(result)).not.toContain("fixedAmount");
    }
  });
});

describe("free shipping at checkout", () => {
  it.each<[string, TierPerksDeliveryInput, ReturnType<typeof freeShipping>]>([
    ["Gold: 100% off every delivery group", deliveryInput(), { percent: 100, groups: ["1", "2"] }],
    ["Silver: free shipping alone", deliveryInput({ buyerIdentity: buyer(tierMetafield(11)) }), { percent: 100, groups: ["1", "2"] }],
    ["Platinum has member prices but no free shipping: nothing", deliveryInput({ buyerIdentity: buyer(tierMetafield(13)) }), null],
    ["Bronze has no checkout perk: nothing", deliveryInput({ buyerIdentity: buyer(tierMetafield(10)) }), null],
    ["nothing to deliver: nothing", deliveryInput({ deliveryGroups: [] }), null],
    ["a guest: nothing", deliveryInput({ buyerIdentity: null }), null],
    ["a buyer who is not a customer: nothing", deliveryInput({ buyerIdentity: { customer: null } }), null],
    ["a customer without the tier metafield: nothing", deliveryInput({ buyerIdentity: buyer(null) }), null],
    ["a member below the first tier ({id: null}): nothing", deliveryInput({ buyerIdentity: buyer(tierMetafield(null)) }), null],
    ["a tier the discount does not know: nothing", deliveryInput({ buyerIdentity: buyer({ jsonValue: { id: 99, name: "Old", freeShipping: true } }) }), null],
    ["a discount not made for shipping discounts: nothing", deliveryInput({ discount: discount(program(), ["PRODUCT"]) }), null],
    ["a discount without its settings: nothing", deliveryInput({ discount: { discountClasses: ["SHIPPING"], metafield: null } }), null],
    [
      "settings with free shipping as text: nothing",
      deliveryInput({
        discount: { discountClasses: ["SHIPPING"], metafield: { jsonValue: { tiers: { 12: { freeShipping: "yes", percent: 0, collectionIds: [] } } } } },
      }),
      null,
    ],
    ["a program turned off: nothing", deliveryInput({ discount: discount(program({ enabled: false })) }), null],
    [
      "a customer metafield promising free shipping to Platinum: the settings say no",
      deliveryInput({ buyerIdentity: buyer({ jsonValue: { ...tierMetafield(13).jsonValue, freeShipping: true } }) }),
      null,
    ],
  ])("%s", (_name, input, expected) => {
    expect(freeShipping(input)).toEqual(expected);
  });

  it("is named after the tier in the buyer's language, a percentage and never a fixed amount", () => {
    const result = cartDeliveryOptionsDiscountsGenerateRun(deliveryInput({ localization: { language: { isoCode: "HE" } } }));
    expect(result.operations[0].deliveryDiscountsAdd).toMatchObject({
      selectionStrategy: "ALL",
      candidates: [{ message: "זהב", value: { percentage: { value: 100 } } }],
    });
    expect(JSON.stringify(result)).not.toContain("fixedAmount");
  });
});

describe("the discount's settings, from the tier program", () => {
  it("are each tier's perks by id, tiers without any left out, and every priced collection once", () => {
    expect(tierPerksConfig(program())).toEqual({
      collectionIds: [SHOES, HATS],
      tiers: {
        11: { freeShipping: true, percent: 0, collectionIds: [] },
        12: { freeShipping: true, percent: 10, collectionIds: [SHOES, HATS] },
        13: { freeShipping: false, percent: 15, collectionIds: [] },
      },
    });
  });

  it.each<[string, Partial<TierProgramConfig>, ReturnType<typeof tierPerksConfig>]>([
    ["a program turned off gives no tier anything", { enabled: false }, { collectionIds: [], tiers: {} }],
    [
      "collections listed twice, or by two tiers, appear once",
      {
        tiers: [
          tier(1, 1, { en: "A" }, { memberPricePercent: 5, memberPriceCollectionIds: [SHOES, SHOES] }),
          tier(2, 2, { en: "B" }, { memberPricePercent: 8, memberPriceCollectionIds: [SHOES, SOCKS] }),
        ],
      },
      {
        collectionIds: [SHOES, SOCKS],
        tiers: { 1: { freeShipping: false, percent: 5, collectionIds: [SHOES] }, 2: { freeShipping: false, percent: 8, collectionIds: [SHOES, SOCKS] } },
      },
    ],
    [
      "collections of a tier without a member price are not asked about",
      { tiers: [tier(1, 1, { en: "A" }, { freeShipping: true, memberPricePercent: 0, memberPriceCollectionIds: [SOCKS] })] },
      { collectionIds: [], tiers: { 1: { freeShipping: true, percent: 0, collectionIds: [] } } },
    ],
    ["a program without tiers", { tiers: [] }, { collectionIds: [], tiers: {} }],
  ])("%s", (_name, spec, expected) => {
    expect(tierPerksConfig(program(spec))).toEqual(expected);
  });
});

describe("the automatic discount in the Admin API", () => {
  const adminSchema = buildSchema(fs.readFileSync(adminSchemaPath(), "utf8"));

  it.each([
    ["discountAutomaticAppCreate", TIER_PERKS_DISCOUNT_CREATE],
    ["discountAutomaticAppUpdate", TIER_PERKS_DISCOUNT_UPDATE],
  ])("%s validates against admin-2026-01", (_name, document) => {
    expect(validate(adminSchema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  it("creates the discount from the program with variables the schema accepts: the function, both classes, combining, from now, with its settings", () => {
    const variables = tierPerksDiscountCreateVariables(program(), NOW);
    expect(coercionErrors(adminSchema, TIER_PERKS_DISCOUNT_CREATE, variables)).toEqual([]);
    expect(variables.automaticAppDiscount).toEqual({
      title: "VIP tier perks",
      functionHandle: "tier-perks-discount",
      discountClasses: ["PRODUCT", "SHIPPING"],
      combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true },
      startsAt: NOW,
      metafields: [{ ...TIER_PERKS_METAFIELD, type: "json", value: JSON.stringify(tierPerksConfig(program())) }],
    });
  });

  it("updates the discount's settings in place after the program changed, keeping its start", () => {
    const changed = program({ tiers: [tier(12, 3, { en: "Gold" }, { memberPricePercent: 20 })] });
    const variables = tierPerksDiscountUpdateVariables("gid://shopify/DiscountAutomaticNode/5", changed);
    expect(coercionErrors(adminSchema, TIER_PERKS_DISCOUNT_UPDATE, variables)).toEqual([]);
    expect(variables.id).toBe("gid://shopify/DiscountAutomaticNode/5");
    expect(variables.automaticAppDiscount).not.toHaveProperty("startsAt");
    expect(variables.automaticAppDiscount).not.toHaveProperty("functionHandle");
    expect(JSON.parse((variables.automaticAppDiscount.metafields as { value: string }[])[0].value).tiers).toEqual({
      12: { freeShipping: false, percent: 20, collectionIds: [] },
    });
  });

  it("variables the schema refuses are caught (the check can fail)", () => {
    const variables = tierPerksDiscountCreateVariables(program(), NOW);
    const wrong = { automaticAppDiscount: { ...variables.automaticAppDiscount, discountClasses: ["DELIVERY"] } };
    expect(coercionErrors(adminSchema, TIER_PERKS_DISCOUNT_CREATE, wrong).length).toBeGreaterThan(0);
  });
});

describe("the function's bundle", () => {
  it("builds from its entry with no Node APIs, stays small and gives the same answers", async () => {
    const bundle = await bundleFunction(extension);
    console.log(`tier-perks function bundle: ${bundle.bytes} B raw, ${bundle.gzipBytes} B gzip`);
    expect(bundle.gzipBytes).toBeLessThan(4_000);
    for (const input of [linesInput(), linesInput({ buyerIdentity: buyer(tierMetafield(13)) }), linesInput({ buyerIdentity: null })]) {
      expect(bundle.run("cartLinesDiscountsGenerateRun", input)).toEqual(cartLinesDiscountsGenerateRun(input));
    }
    for (const input of [deliveryInput(), deliveryInput({ buyerIdentity: buyer(tierMetafield(13)) })]) {
      expect(bundle.run("cartDeliveryOptionsDiscountsGenerateRun", input)).toEqual(cartDeliveryOptionsDiscountsGenerateRun(input));
    }
  });
});
