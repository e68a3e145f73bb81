import { beforeEach, describe, expect, it } from "vitest";
import { COLLECTION_PRODUCTS_QUERY, SHOP_CURRENCY_QUERY } from "../../app/shopify/queries";
import { adminSchema, createAdminGraphqlHandler, type ThrottleOptions } from "../admin-graphql";
import { readAppConfigFile } from "../app-config";
import { SimulatedStore } from "../store";
import { shapeProblems } from "./support/result-shape";

const SHOP = "sim-shop.myshopify.com";
const OTHER_SHOP = "other-shop.myshopify.com";
const appScopes = readAppConfigFile().scopes;

interface Answer {
  status: number;
  json: { data?: Record<string, any>; errors?: any; extensions?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function setup(options: { scopes?: string[]; throttle?: ThrottleOptions; clock?: () => number; currency?: string } = {}) {
  const store = new SimulatedStore();
  store.createShop({ domain: SHOP, currency: options.currency ?? "USD", name: "Sim Shop" });
  store.createShop({ domain: OTHER_SHOP });
  const token = store.installApp(SHOP, options.scopes ?? appScopes);
  const otherToken = store.installApp(OTHER_SHOP, appScopes);
  const handler = createAdminGraphqlHandler({ store, throttle: options.throttle, clock: options.clock });
  /** Sends a document; every answer with data is checked against the schema independently. */
  const ask = async (query: string, variables?: Record<string, unknown>, as: { shop?: string; token?: string | null } = {}) => {
    const answer = (await handler({
      shop: as.shop ?? SHOP,
      token: as.token === undefined ? token : as.token,
      body: JSON.stringify({ query, variables }),
    })) as Answer;
    if (answer.json.data) expect(shapeProblems(adminSchema(), query, answer.json.data)).toEqual([]);
    return answer;
  };
  return { store, token, otherToken, ask, handler };
}

describe("authentication", () => {
  it("answers 401 with Shopify's message for a missing or wrong token, and another shop's token", async () => {
    const { ask, otherToken } = setup();
    for (const token of [null, "shpat_wrong", otherToken]) {
      expect(await ask(SHOP_CURRENCY_QUERY, {}, { token })).toEqual({
        status: 401,
        json: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" },
      });
    }
  });

  it("answers 404 for a shop the simulator does not have, 400 without a query", async () => {
    const { ask, handler, token } = setup();
    expect((await ask(SHOP_CURRENCY_QUERY, {}, { shop: "nowhere.myshopify.com" })).status).toBe(404);
    expect(await handler({ shop: SHOP, token, body: "{}" })).toEqual({ status: 400, json: { errors: { query: "Required parameter missing or invalid" } } });
  });
});

describe("validation against the 2026-01 schema", () => {
  it("refuses a field the schema lacks with 200, errors, locations and a code, and runs nothing", async () => {
    const { ask } = setup();
    const answer = await ask("query { shop { currencyCode loyaltyPoints } }");
    expect(answer.status).toBe(200);
    expect(answer.json.data).toBeUndefined();
    expect(answer.json.errors).toEqual([
      {
        message: 'Cannot query field "loyaltyPoints" on type "Shop". Did you mean "locations"?',
        locations: [{ line: 1, column: 29 }],
        extensions: { code: "undefinedField" },
      },
    ]);
  });

  it("refuses a missing required argument and a syntax error", async () => {
    const { ask } = setup();
    expect((await ask("{ customer { id } }")).json.errors[0].extensions.code).toBe("missingRequiredArguments");
    const syntax = await ask("{ shop { name }");
    expect(syntax.status).toBe(200);
    expect(syntax.json.errors[0]).toMatchObject({ extensions: { code: "PARSE_ERROR" }, locations: [{ line: 1, column: 16 }] });
  });

  it("reports a missing variable instead of guessing", async () => {
    const { ask } = setup();
    const answer = await ask(COLLECTION_PRODUCTS_QUERY, {});
    expect(answer.json.errors[0]).toMatchObject({ message: expect.stringContaining('"$id"'), extensions: { code: "INVALID_VARIABLE" } });
  });

  it("refuses, field by field, what the simulator does not model rather than inventing it", async () => {
    const { ask } = setup();
    const answer = await ask("{ shop { name primaryDomain { host } } }");
    // Shop.primaryDomain is non-null, and so is QueryRoot.shop: the null reaches data, as in any GraphQL server.
    expect(answer.json.data).toBeNull();
    expect(answer.json.errors[0]).toMatchObject({
      message: "The Shopify simulator does not model Shop.primaryDomain",
      path: ["shop", "primaryDomain"],
      extensions: { code: "SIMULATOR_UNSUPPORTED" },
    });
  });
});

describe("the app's documents", () => {
  it("ShopCurrency answers the shop's currency", async () => {
    const { ask } = setup({ currency: "JPY" });
    const answer = await ask(SHOP_CURRENCY_QUERY);
    expect(answer.json.data).toEqual({ shop: { currencyCode: "JPY", ianaTimezone: "Etc/UTC" } });
    expect(answer.json.extensions.cost).toEqual({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 },
    });
  });

  it("CollectionProducts pages through 300 products, 250 at a time", async () => {
    const { ask, store } = setup();
    const collection = store.addCollection(SHOP, { title: "Sale" });
    const products = Array.from({ length: 300 }, (_, i) => store.addProduct(SHOP, { title: `P${i}`, price: "1.00", collectionIds: [collection.id] }));
    store.addProduct(SHOP, { title: "Not on sale", price: "1.00" });
    const id = `gid://shopify/Collection/${collection.id}`;
    const first = (await ask(COLLECTION_PRODUCTS_QUERY, { id })).json.data!.collection;
    expect(first.products.nodes).toHaveLength(250);
    expect(first.products.pageInfo.hasNextPage).toBe(true);
    const second = (await ask(COLLECTION_PRODUCTS_QUERY, { id, after: first.products.pageInfo.endCursor })).json.data!.collection;
    expect(second.products.pageInfo).toMatchObject({ hasNextPage: false });
    expect([...first.products.nodes, ...second.products.nodes].map((n: { id: string }) => n.id)).toEqual(
      products.map((product) => `gid://shopify/Product/${product.id}`),
    );
    expect((await ask(COLLECTION_PRODUCTS_QUERY, { id: "gid://shopify/Collection/1" })).json.data).toEqual({ collection: null });
  });
});

describe("customers and orders", () => {
  it("customer(id) reads a customer of this shop only, with metafields", async () => {
    const { ask, store } = setup();
    const ada = store.createCustomer(SHOP, { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", tags: ["vip"] }).value;
    const stranger = store.createCustomer(OTHER_SHOP, { email: "eve@example.com" }).value;
    const query = `query ($id: ID!) { customer(id: $id) { id displayName email tags numberOfOrders amountSpent { amount currencyCode } defaultEmailAddress { emailAddress } metafield(namespace: "$app", key: "tier") { value } } }`;
    const answer = await ask(query, { id: `gid://shopify/Customer/${ada.id}` });
    expect(answer.json.data).toEqual({
      customer: {
        id: `gid://shopify/Customer/${ada.id}`,
        displayName: "Ada Lovelace",
        email: "ada@example.com",
        tags: ["vip"],
        numberOfOrders: "0",
        amountSpent: { amount: "0.0", currencyCode: "USD" },
        defaultEmailAddress: { emailAddress: "ada@example.com" },
        metafield: null,
      },
    });
    expect((await ask(query, { id: `gid://shopify/Customer/${stranger.id}` })).json.data).toEqual({ customer: null });
  });

  it("customers(query) filters by Shopify's search syntax and warns about unknown fields", async () => {
    const { ask, store } = setup();
    const vip = store.createCustomer(SHOP, { email: "vip@example.com", tags: ["vip"] }).value;
    store.createCustomer(SHOP, { email: "plain@example.com" });
    const answer = await ask(`{ customers(first: 10, query: "tag:vip favourite_colour:blue") { nodes { id } } }`);
    expect(answer.json.data!.customers.nodes).toEqual([{ id: `gid://shopify/Customer/${vip.id}` }]);
    expect(answer.json.extensions.search).toEqual([
      { path: "customers", query: "tag:vip favourite_colour:blue", warnings: [{ field: "favourite_colour", message: "Invalid search field for this query." }] },
    ]);
    const byEmail = await ask(`{ customers(first: 10, query: "email:plain@example.com") { edges { cursor node { email } } } }`);
    expect(byEmail.json.data!.customers.edges.map((e: { node: { email: string } }) => e.node.email)).toEqual(["plain@example.com"]);
    expect((await ask(`{ customers(query: "x") { nodes { id } } }`)).json.errors[0].message).toBe("you must provide one of first or last");
  });

  it("orders(query) finds a customer's paid orders, with money in the schema's Decimal form", async () => {
    const { ask, store } = setup();
    const ada = store.createCustomer(SHOP, { email: "ada@example.com" }).value;
    const paid = store.placeOrder(SHOP, { customerId: ada.id, lines: [{ price: "19.90", quantity: 2, discount: "1.80" }], paid: true }).value;
    store.placeOrder(SHOP, { customerId: ada.id, lines: [{ price: "5.00" }] });
    const answer = await ask(
      `query ($q: String) { orders(first: 5, query: $q) { nodes { id name displayFinancialStatus totalPriceSet { shopMoney { amount currencyCode } } customer { id } lineItems(first: 5) { nodes { quantity originalUnitPriceSet { shopMoney { amount } } } } } } }`,
      { q: `customer_id:${ada.id} financial_status:paid` },
    );
    expect(answer.json.data!.orders.nodes).toEqual([
      {
        id: `gid://shopify/Order/${paid.id}`,
        name: "#1001",
        displayFinancialStatus: "PAID",
        totalPriceSet: { shopMoney: { amount: "38.0", currencyCode: "USD" } },
        customer: { id: `gid://shopify/Customer/${ada.id}` },
        lineItems: { nodes: [{ quantity: 2, originalUnitPriceSet: { shopMoney: { amount: "19.9" } } }] },
      },
    ]);
  });
});

const BASIC = `mutation ($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) {
    codeDiscountNode { id codeDiscount { __typename ... on DiscountCodeBasic { title status codes(first: 1) { nodes { code } }
      customerGets { value { __typename ... on DiscountAmount { amount { amount currencyCode } } ... on DiscountPercentage { percentage } } }
      context { __typename ... on DiscountCustomers { customers { id } } } } } }
    userErrors { field message code }
  }
}`;

const basicInput = (overrides: Record<string, unknown> = {}) => ({
  title: "Reward: 5 USD off",
  code: "LOYALTY-ABC123",
  startsAt: "2026-01-01T00:00:00Z",
  usageLimit: 1,
  appliesOncePerCustomer: true,
  customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
  ...overrides,
});

describe("discount mutations", () => {
  it("discountCodeBasicCreate stores a code for one customer and refuses the same code twice", async () => {
    const { ask, store } = setup();
    const ada = store.createCustomer(SHOP, { email: "ada@example.com" }).value;
    const created = await ask(BASIC, { input: basicInput({ context: { customers: { add: [`gid://shopify/Customer/${ada.id}`] } } }) });
    expect(created.json.data!.discountCodeBasicCreate).toEqual({
      codeDiscountNode: {
        id: expect.stringMatching(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/),
        codeDiscount: {
          __typename: "DiscountCodeBasic",
          title: "Reward: 5 USD off",
          status: "ACTIVE",
          codes: { nodes: [{ code: "LOYALTY-ABC123" }] },
          customerGets: { value: { __typename: "DiscountAmount", amount: { amount: "5.0", currencyCode: "USD" } } },
          context: { __typename: "DiscountCustomers", customers: [{ id: `gid://shopify/Customer/${ada.id}` }] },
        },
      },
      userErrors: [],
    });
    expect(store.shop(SHOP).discounts.size).toBe(1);
    const again = await ask(BASIC, { input: basicInput({ code: "loyalty-abc123" }) });
    expect(again.json.data!.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }],
    });
  });

  it("returns userErrors for a percentage out of range, a blank code and a date order", async () => {
    const { ask, store } = setup();
    const answer = await ask(BASIC, {
      input: basicInput({ code: " ", endsAt: "2025-01-01T00:00:00Z", customerGets: { value: { percentage: 1.5 }, items: { all: true } } }),
    });
    expect(answer.json.data!.discountCodeBasicCreate.userErrors.map((e: { code: string }) => e.code)).toEqual([
      "BLANK",
      "END_DATE_BEFORE_START_DATE",
      "VALUE_OUTSIDE_RANGE",
    ]);
    expect(store.shop(SHOP).discounts.size).toBe(0);
  });

  it("discountCodeFreeShippingCreate and discountCodeDelete", async () => {
    const { ask, store } = setup();
    const created = await ask(
      `mutation ($input: DiscountCodeFreeShippingInput!) { discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) {
        codeDiscountNode { id codeDiscount { __typename ... on DiscountCodeFreeShipping { title maximumShippingPrice { amount } destinationSelection { __typename } } } }
        userErrors { field message code } } }`,
      { input: { title: "Free shipping reward", code: "SHIP-1", startsAt: "2026-01-01T00:00:00Z", maximumShippingPrice: "10.00", destination: { all: true } } },
    );
    const node = created.json.data!.discountCodeFreeShippingCreate.codeDiscountNode;
    expect(node.codeDiscount).toEqual({
      __typename: "DiscountCodeFreeShipping",
      title: "Free shipping reward",
      maximumShippingPrice: { amount: "10.0" },
      destinationSelection: { __typename: "DiscountCountryAll" },
    });
    const remove = `mutation ($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { field message code } } }`;
    expect((await ask(remove, { id: node.id })).json.data!.discountCodeDelete).toEqual({ deletedCodeDiscountId: node.id, userErrors: [] });
    expect(store.shop(SHOP).discounts.size).toBe(0);
    expect((await ask(remove, { id: node.id })).json.data!.discountCodeDelete).toEqual({
      deletedCodeDiscountId: null,
      userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID" }],
    });
  });

  it("discountCodeAppCreate names one of the app's functions by handle and keeps its metafields on the discount", async () => {
    const { ask, store } = setup();
    const APP = `mutation ($input: DiscountCodeAppInput!) { discountCodeAppCreate(codeAppDiscount: $input) {
      codeAppDiscount { discountId title discountClasses appDiscountType { functionId } }
      userErrors { field message code } } }`;
    const input = {
      title: "10% capped",
      code: "CAP-1",
      startsAt: "2026-01-01T00:00:00Z",
      functionHandle: "capped-percentage-discount",
      discountClasses: ["ORDER"],
      metafields: [{ namespace: "$app:loyalty", key: "capped-percentage", type: "json", value: '{"percentOff":10}' }],
    };
    const created = (await ask(APP, { input })).json.data!.discountCodeAppCreate;
    expect(created).toMatchObject({ codeAppDiscount: { title: "10% capped", discountClasses: ["ORDER"] }, userErrors: [] });
    const byCode = await ask(
      `query { codeDiscountNodeByCode(code: "CAP-1") { id metafield(namespace: "$app:loyalty", key: "capped-percentage") { jsonValue } } }`,
    );
    expect(byCode.json.data!.codeDiscountNodeByCode).toEqual({ id: created.codeAppDiscount.discountId, metafield: { jsonValue: { percentOff: 10 } } });

    const refused = (
      await ask(APP, { input: { ...input, code: "CAP-2", functionHandle: "someone-elses-function", metafields: [{ key: "k", type: "json", value: "{" }] } })
    ).json.data!.discountCodeAppCreate;
    expect(refused.codeAppDiscount).toBeNull();
    expect(refused.userErrors.map((e: { field: string[] }) => e.field.join("."))).toEqual([
      "codeAppDiscount.functionHandle",
      "codeAppDiscount.metafields.0.value",
    ]);
    expect(store.shop(SHOP).discounts.size).toBe(1);
  });

  it("productVariant answers a variant's price; a basic discount can be limited to variants", async () => {
    const { ask, store } = setup();
    const tote = store.addProduct(SHOP, { title: "Tote", price: "18.50" });
    const variant = (
      await ask(`query ($id: ID!) { productVariant(id: $id) { id price displayName product { title } } }`, {
        id: `gid://shopify/ProductVariant/${tote.variantId}`,
      })
    ).json.data!.productVariant;
    expect(variant).toEqual({
      id: `gid://shopify/ProductVariant/${tote.variantId}`,
      price: "18.50",
      displayName: "Tote - Default Title",
      product: { title: "Tote" },
    });
    expect((await ask(`query { productVariant(id: "gid://shopify/ProductVariant/1") { id } }`)).json.data!.productVariant).toBeNull();
    const items = (ids: string[]) => ({
      value: { discountAmount: { amount: "18.50", appliesOnEachItem: false } },
      items: { products: { productVariantsToAdd: ids } },
    });
    const created = await ask(BASIC, { input: basicInput({ customerGets: items([`gid://shopify/ProductVariant/${tote.variantId}`]) }) });
    expect(created.json.data!.discountCodeBasicCreate.userErrors).toEqual([]);
    const missing = await ask(BASIC, { input: basicInput({ code: "OTHER", customerGets: items(["gid://shopify/ProductVariant/1"]) }) });
    expect(missing.json.data!.discountCodeBasicCreate.userErrors).toMatchObject([{ message: "Product variant does not exist" }]);
  });

  it("are denied without write_discounts, as Shopify denies them", async () => {
    const { ask } = setup({ scopes: ["read_customers"] });
    const answer = await ask(BASIC, { input: basicInput() });
    expect(answer.json.data).toEqual({ discountCodeBasicCreate: null });
    expect(answer.json.errors[0]).toMatchObject({ path: ["discountCodeBasicCreate"], extensions: { code: "ACCESS_DENIED" } });
  });
});

const SET_METAFIELDS = `mutation ($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) {
  metafields { id namespace key type value jsonValue ownerType owner { __typename ... on Customer { id } } }
  userErrors { field message code elementIndex } } }`;

describe("metafieldsSet", () => {
  it("stores app metafields on a customer and reads them back", async () => {
    const { ask, store } = setup();
    const ada = store.createCustomer(SHOP, { email: "ada@example.com" }).value;
    const ownerId = `gid://shopify/Customer/${ada.id}`;
    const answer = await ask(SET_METAFIELDS, {
      metafields: [
        { ownerId, namespace: "$app", key: "points", type: "number_integer", value: "120" },
        { ownerId, namespace: "$app", key: "tier", type: "single_line_text_field", value: "Gold" },
      ],
    });
    expect(answer.json.data!.metafieldsSet.userErrors).toEqual([]);
    expect(answer.json.data!.metafieldsSet.metafields[0]).toMatchObject({
      namespace: "app--9990001",
      key: "points",
      jsonValue: 120,
      ownerType: "CUSTOMER",
      owner: { __typename: "Customer", id: ownerId },
    });
    const read = await ask(
      `query ($id: ID!) { customer(id: $id) { metafield(namespace: "$app", key: "tier") { value } metafields(first: 5) { nodes { key } } } }`,
      { id: ownerId },
    );
    expect(read.json.data!.customer).toEqual({ metafield: { value: "Gold" }, metafields: { nodes: [{ key: "points" }, { key: "tier" }] } });
  });

  it("saves nothing when one element is invalid", async () => {
    const { ask, store } = setup();
    const ada = store.createCustomer(SHOP, { email: "ada@example.com" }).value;
    const ownerId = `gid://shopify/Customer/${ada.id}`;
    const answer = await ask(SET_METAFIELDS, {
      metafields: [
        { ownerId, namespace: "$app", key: "points", type: "number_integer", value: "120" },
        { ownerId, namespace: "$app", key: "points2", type: "number_integer", value: "twelve" },
        { ownerId: "gid://shopify/Customer/1", namespace: "$app", key: "points", type: "number_integer", value: "1" },
      ],
    });
    expect(answer.json.data!.metafieldsSet).toEqual({
      metafields: null,
      userErrors: [
        { field: ["metafields", "1", "value"], message: "Value is invalid for type number_integer.", code: "INVALID_VALUE", elementIndex: 1 },
        { field: ["metafields", "2", "ownerId"], message: "Owner does not exist.", code: "INVALID", elementIndex: 2 },
      ],
    });
    expect(store.shop(SHOP).metafields).toEqual([]);
  });
});

const CREDIT = `mutation ($id: ID!, $input: StoreCreditAccountCreditInput!) { storeCreditAccountCredit(id: $id, creditInput: $input) {
  storeCreditAccountTransaction { amount { amount currencyCode } balanceAfterTransaction { amount } account { id balance { amount } } }
  userErrors { field message code } } }`;

describe("storeCreditAccountCredit", () => {
  it("opens an account on first credit and adds to its balance", async () => {
    const { ask, store } = setup({ scopes: [...appScopes, "write_store_credit_account_transactions"], currency: "KWD" });
    const ada = store.createCustomer(SHOP, { email: "ada@example.com" }).value;
    const id = `gid://shopify/Customer/${ada.id}`;
    const first = await ask(CREDIT, { id, input: { creditAmount: { amount: "2.125", currencyCode: "KWD" } } });
    const second = await ask(CREDIT, { id, input: { creditAmount: { amount: "1.000", currencyCode: "KWD" } } });
    expect(first.json.data!.storeCreditAccountCredit.storeCreditAccountTransaction.amount).toEqual({ amount: "2.125", currencyCode: "KWD" });
    expect(second.json.data!.storeCreditAccountCredit.storeCreditAccountTransaction).toMatchObject({
      balanceAfterTransaction: { amount: "3.125" },
      account: { balance: { amount: "3.125" } },
    });
    expect(store.shop(SHOP).storeCreditAccounts.size).toBe(1);
  });

  it("returns userErrors for a zero amount, another currency and an unknown owner", async () => {
    const { ask, store } = setup({ scopes: [...appScopes, "write_store_credit_account_transactions"] });
    const ada = store.createCustomer(SHOP, { email: "ada@example.com" }).value;
    const id = `gid://shopify/Customer/${ada.id}`;
    const codes = [];
    for (const [owner, amount, currencyCode] of [
      [id, "0", "USD"],
      [id, "5.00", "EUR"],
      ["gid://shopify/Customer/1", "5.00", "USD"],
    ]) {
      const answer = await ask(CREDIT, { id: owner, input: { creditAmount: { amount, currencyCode } } });
      codes.push(answer.json.data!.storeCreditAccountCredit.userErrors[0].code);
    }
    expect(codes).toEqual(["NEGATIVE_OR_ZERO_AMOUNT", "UNSUPPORTED_CURRENCY", "OWNER_NOT_FOUND"]);
  });

  it("is denied to an installation without write_store_credit_account_transactions", async () => {
    const { ask, store } = setup({ scopes: appScopes.filter((scope) => scope !== "write_store_credit_account_transactions") });
    const ada = store.createCustomer(SHOP, { email: "ada@example.com" }).value;
    const answer = await ask(CREDIT, { id: `gid://shopify/Customer/${ada.id}`, input: { creditAmount: { amount: "5.00", currencyCode: "USD" } } });
    expect(answer.json.errors[0].extensions).toMatchObject({
      code: "ACCESS_DENIED",
      requiredAccess: "`write_store_credit_account_transactions` access scope.",
    });
  });
});

describe("throttling", () => {
  let now = 0;
  beforeEach(() => {
    now = 0;
  });

  it("answers THROTTLED once the bucket is spent and serves again after it refills", async () => {
    const { ask, store } = setup({ throttle: { maximumAvailable: 300, restoreRate: 50 }, clock: () => now });
    const collection = store.addCollection(SHOP, { title: "Sale" });
    const id = `gid://shopify/Collection/${collection.id}`;
    const first = await ask(COLLECTION_PRODUCTS_QUERY, { id });
    expect(first.json.extensions.cost).toMatchObject({ requestedQueryCost: 253, throttleStatus: { currentlyAvailable: 47 } });
    const throttled = await ask(COLLECTION_PRODUCTS_QUERY, { id });
    expect(throttled.status).toBe(200);
    expect(throttled.json).toEqual({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
      extensions: {
        cost: { requestedQueryCost: 253, actualQueryCost: null, throttleStatus: { maximumAvailable: 300, currentlyAvailable: 47, restoreRate: 50 } },
      },
    });
    now += 5_000;
    expect((await ask(COLLECTION_PRODUCTS_QUERY, { id })).json.data).toBeDefined();
  });

  it("refuses a single query above the maximum cost", async () => {
    const { ask } = setup();
    const answer = await ask(`{ customers(first: 250) { nodes { orders(first: 250) { nodes { id } } } } }`);
    expect(answer.json.errors[0]).toMatchObject({ extensions: { code: "MAX_COST_EXCEEDED", maxCost: 1000 } });
    expect(answer.json.data).toBeUndefined();
  });
});
