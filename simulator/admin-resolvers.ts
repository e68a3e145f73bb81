// The root value for graphql-js `execute` over the real Admin schema. Views are plain objects:
// a property is a value, a method is a field resolver (args, context). Abstract types carry
// `__typename`. A field a view does not define is refused by `simulatorFieldResolver`, so the
// simulator never invents a value it does not model.
import { createHash } from "node:crypto";
import { GraphQLError, type GraphQLFieldResolver } from "graphql";
import { connection, search, type ConnectionArgs, type SearchValue, type SearchWarning } from "./connections";
import { decimalsOf, formatMinor, graphqlDecimal, parseMinor } from "./money";
import { currentQuantity, orderTotals } from "./rest-payloads";
import type { SimulatedStore } from "./store";
import type {
  SimCollection,
  SimCustomer,
  SimAutomaticDiscount,
  SimDiscount,
  SimLine,
  SimMetafield,
  SimOrder,
  SimProduct,
  SimShop,
  SimStoreCreditAccount,
  SimStoreCreditTransaction,
} from "./types";

/** The simulated app's id: metafields in the `$app` namespace are stored under `app--<id>`. */
export const SIMULATED_APP_ID = 9_990_001;

export interface AdminContext {
  store: SimulatedStore;
  shop: SimShop;
  scopes: string[];
  searchWarnings: { path: string; query: string; warnings: SearchWarning[] }[];
}

type Args = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const simulatorFieldResolver: GraphQLFieldResolver<unknown, AdminContext> = (source, args, context, info) => {
  const value = (source as Record<string, unknown>)[info.fieldName];
  if (typeof value === "function") return value.call(source, args, context, info);
  if (value === undefined) {
    throw new GraphQLError(`The Shopify simulator does not model ${info.parentType.name}.${info.fieldName}`, {
      extensions: { code: "SIMULATOR_UNSUPPORTED" },
    });
  }
  return value;
};

// Shopify's scopes for the fields the simulator serves (write_x implies read_x).
function requireScope(context: AdminContext, scope: string, field: string) {
  const granted = context.scopes.includes(scope) || (scope.startsWith("read_") && context.scopes.includes(`write_${scope.slice(5)}`));
  if (granted) return;
  throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes", requiredAccess: `\`${scope}\` access scope.` },
  });
}

export const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

/** The numeric id of a `gid://shopify/<type>/<id>`, null when it names another type; a malformed id is an error. */
function idOf(value: string, type: string): number | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(value);
  if (!match) throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
  return match[1] === type ? Number(match[2]) : null;
}

const iso = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : null);
const count = (n: number) => ({ count: n, precision: "EXACT" });
const moneyV2 = (minor: number, currency: string) => ({ amount: graphqlDecimal(minor, currency), currencyCode: currency });
const moneyBag = (minor: number, currency: string) => ({ shopMoney: moneyV2(minor, currency), presentmentMoney: moneyV2(minor, currency) });

function searchAndPage<T extends { id: number }, V>(
  context: AdminContext,
  path: string,
  items: T[],
  args: ConnectionArgs & { query?: string | null },
  fields: Record<string, (item: T) => SearchValue>,
  defaultText: (item: T) => string,
  view: (item: T) => V,
) {
  const found = search(items, args.query, fields, defaultText);
  if (found.warnings.length) context.searchWarnings.push({ path, query: args.query!, warnings: found.warnings });
  return connection(found.items, args, view);
}

// ---------------------------------------------------------------------------------------- views

function shopView(context: AdminContext) {
  const { shop } = context;
  return {
    __typename: "Shop",
    id: gid("Shop", shop.id),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    myshopifyDomain: shop.domain,
    currencyCode: shop.currency,
    ianaTimezone: "Etc/UTC",
    createdAt: iso(shop.createdAt),
    updatedAt: iso(shop.createdAt),
    enabledPresentmentCurrencies: [shop.currency],
    taxesIncluded: false,
    ...metafieldFields(context, gid("Shop", shop.id)),
  };
}

function metafieldFields(context: AdminContext, ownerId: string) {
  const owned = () => context.shop.metafields.filter((metafield) => metafield.ownerId === ownerId);
  return {
    metafield: ({ namespace, key }: Args) => {
      const ns = resolveNamespace(namespace);
      const found = owned().find((metafield) => metafield.namespace === ns && metafield.key === key);
      return found ? metafieldView(context, found) : null;
    },
    metafields: (args: Args) => {
      const ns = args.namespace == null ? null : resolveNamespace(args.namespace);
      const keys: string[] | null = args.keys ?? null;
      const list = owned().filter(
        (metafield) => (ns === null || metafield.namespace === ns) && (!keys || keys.includes(`${metafield.namespace}.${metafield.key}`)),
      );
      return connection(list, args, (metafield) => metafieldView(context, metafield));
    },
  };
}

const digestOf = (metafield: SimMetafield) => createHash("sha256").update(`${metafield.id}:${metafield.value}:${metafield.updatedAt.getTime()}`).digest("hex");

/** A metafield value as `jsonValue` (and Liquid's `.value`) gives it: parsed by type. */
export function jsonValueOf(type: string, value: string): unknown {
  if (type === "number_integer") return Number(value);
  if (type === "number_decimal") return value;
  if (type === "boolean") return value === "true";
  if (type === "json" || type === "money" || type.startsWith("list.")) return JSON.parse(value);
  return value;
}

function metafieldView(context: AdminContext, metafield: SimMetafield) {
  const ownerType = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(metafield.ownerId)![1];
  return {
    __typename: "Metafield",
    id: gid("Metafield", metafield.id),
    legacyResourceId: String(metafield.id),
    namespace: metafield.namespace,
    key: metafield.key,
    type: metafield.type,
    value: metafield.value,
    jsonValue: jsonValueOf(metafield.type, metafield.value),
    compareDigest: digestOf(metafield),
    createdAt: iso(metafield.createdAt),
    updatedAt: iso(metafield.updatedAt),
    ownerType: ownerType.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase(),
    definition: null,
    reference: null,
    owner: () => ownerView(context, metafield.ownerId),
  };
}

/** The app's installation on the shop: one per shop, owner of the app-data metafields the theme reads as `app.metafields`. */
export const appInstallationId = (shop: SimShop) => gid("AppInstallation", shop.id);

function appInstallationView(context: AdminContext) {
  const id = appInstallationId(context.shop);
  return { __typename: "AppInstallation", id, ...metafieldFields(context, id) };
}

function ownerView(context: AdminContext, ownerId: string) {
  const { shop } = context;
  if (ownerId === appInstallationId(shop)) return appInstallationView(context);
  const [, type, raw] = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(ownerId)!;
  const id = Number(raw);
  if (type === "Customer") return customerView(context, shop.customers.get(id)!);
  if (type === "Order") return orderView(context, shop.orders.get(id)!);
  if (type === "Product") return productView(context, shop.products.get(id)!);
  if (type === "Collection") return collectionView(context, shop.collections.get(id)!);
  return shopView(context);
}

function productView(context: AdminContext, product: SimProduct) {
  return {
    __typename: "Product",
    id: gid("Product", product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    handle: product.handle,
    isGiftCard: product.giftCard,
    createdAt: iso(product.createdAt),
    updatedAt: iso(product.updatedAt),
    collections: (args: Args) =>
      connection(
        [...context.shop.collections.values()].filter((collection) => collection.productIds.includes(product.id)),
        args,
        (collection) => collectionView(context, collection),
      ),
    ...metafieldFields(context, gid("Product", product.id)),
  };
}

/** The product whose (single) variant has this id, as the simulator models one variant per product. */
function findVariant(context: AdminContext, variantId: number): SimProduct | undefined {
  return [...context.shop.products.values()].find((product) => product.variantId === variantId);
}

function productVariantView(context: AdminContext, product: SimProduct) {
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", product.variantId),
    legacyResourceId: String(product.variantId),
    title: "Default Title",
    displayName: `${product.title} - Default Title`,
    sku: product.sku,
    // Money, unlike Decimal, keeps the currency's decimals: "18.50".
    price: formatMinor(product.priceMinor, context.shop.currency),
    product: productView(context, product),
  };
}

function collectionView(context: AdminContext, collection: SimCollection) {
  const products = () => collection.productIds.map((id) => context.shop.products.get(id)!).filter(Boolean);
  return {
    __typename: "Collection",
    id: gid("Collection", collection.id),
    legacyResourceId: String(collection.id),
    title: collection.title,
    handle: collection.handle,
    updatedAt: iso(collection.updatedAt),
    productsCount: count(collection.productIds.length),
    hasProduct: ({ id }: Args) => {
      const productId = idOf(id, "Product");
      return productId !== null && collection.productIds.includes(productId);
    },
    products: (args: Args) => connection(products(), args, (product) => productView(context, product)),
    ...metafieldFields(context, gid("Collection", collection.id)),
  };
}

function customerView(context: AdminContext, customer: SimCustomer) {
  const { shop } = context;
  const orders = () => [...shop.orders.values()].filter((order) => order.customerId === customer.id);
  const displayName = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || customer.phone || "";
  const spent = orders()
    .filter((order) => !order.cancelledAt)
    .reduce((sum, order) => sum + orderTotals(order).received - orderTotals(order).refunded, 0);
  return {
    __typename: "Customer",
    id: gid("Customer", customer.id),
    legacyResourceId: String(customer.id),
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName,
    phone: customer.phone,
    note: customer.note,
    tags: customer.tags,
    state: customer.accountState.toUpperCase(),
    locale: customer.locale,
    verifiedEmail: customer.verifiedEmail,
    taxExempt: false,
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
    numberOfOrders: String(orders().length),
    amountSpent: moneyV2(spent, shop.currency),
    defaultEmailAddress: customer.email
      ? {
          emailAddress: customer.email,
          marketingState: customer.emailMarketing.toUpperCase(),
          marketingOptInLevel: "SINGLE_OPT_IN",
          marketingUpdatedAt: null,
          validFormat: true,
        }
      : null,
    defaultPhoneNumber: null,
    defaultAddress: null,
    lastOrder: () => {
      const last = orders().sort((a, b) => b.id - a.id)[0];
      return last ? orderView(context, last) : null;
    },
    orders: (args: Args) => connection(orders(), args, (order) => orderView(context, order)),
    storeCreditAccounts: (args: Args) => {
      requireScope(context, "read_store_credit_accounts", "storeCreditAccounts");
      return connection(
        [...shop.storeCreditAccounts.values()].filter((account) => account.customerId === customer.id),
        args,
        (account) => storeCreditAccountView(context, account),
      );
    },
    ...metafieldFields(context, gid("Customer", customer.id)),
  };
}

const FINANCIAL_STATUS = { pending: "PENDING", paid: "PAID", partially_refunded: "PARTIALLY_REFUNDED", refunded: "REFUNDED", voided: "VOIDED" } as const;

function orderView(context: AdminContext, order: SimOrder) {
  const { shop } = context;
  const totals = orderTotals(order);
  const c = order.currency;
  const fulfilled = order.lines.reduce((sum, line) => sum + line.fulfilledQuantity, 0);
  const remaining = order.lines.reduce((sum, line) => sum + currentQuantity(order, line), 0);
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    legacyResourceId: String(order.id),
    name: order.name,
    number: order.number - 1000,
    email: order.email,
    note: order.note,
    tags: order.tags,
    test: true,
    confirmed: true,
    closed: false,
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
    processedAt: iso(order.createdAt),
    cancelledAt: iso(order.cancelledAt),
    cancelReason: order.cancelReason?.toUpperCase() ?? null,
    currencyCode: c,
    presentmentCurrencyCode: c,
    taxesIncluded: order.taxesIncluded,
    discountCode: order.discountCodes[0] ?? null,
    discountCodes: order.discountCodes,
    displayFinancialStatus: FINANCIAL_STATUS[order.financialStatus],
    displayFulfillmentStatus: fulfilled === 0 ? "UNFULFILLED" : fulfilled >= remaining ? "FULFILLED" : "PARTIALLY_FULFILLED",
    fullyPaid: totals.outstanding === 0,
    unpaid: totals.received === 0,
    refundable: totals.received > totals.refunded,
    subtotalLineItemsQuantity: order.lines.reduce((sum, line) => sum + line.quantity, 0),
    currentSubtotalLineItemsQuantity: order.lines.reduce((sum, line) => sum + currentQuantity(order, line), 0),
    subtotalPriceSet: moneyBag(totals.subtotal, c),
    totalPriceSet: moneyBag(totals.total, c),
    totalTaxSet: moneyBag(totals.tax, c),
    totalDiscountsSet: moneyBag(totals.discounts, c),
    totalShippingPriceSet: moneyBag(totals.shipping, c),
    totalRefundedSet: moneyBag(totals.refunded, c),
    totalReceivedSet: moneyBag(totals.received, c),
    totalOutstandingSet: moneyBag(totals.outstanding, c),
    currentSubtotalPriceSet: moneyBag(totals.currentSubtotal, c),
    currentTotalPriceSet: moneyBag(totals.currentTotal, c),
    currentTotalTaxSet: moneyBag(totals.currentTax, c),
    currentTotalDiscountsSet: moneyBag(totals.currentDiscounts, c),
    customer: order.customerId === null ? null : customerView(context, shop.customers.get(order.customerId)!),
    lineItems: (args: Args) => connection(order.lines, args, (line) => lineItemView(context, order, line)),
    ...metafieldFields(context, gid("Order", order.id)),
  };
}

function lineItemView(context: AdminContext, order: SimOrder, line: SimLine) {
  const c = order.currency;
  const product = line.productId === null ? null : context.shop.products.get(line.productId);
  const discountedTotal = line.priceMinor * line.quantity - line.discountMinor;
  return {
    __typename: "LineItem",
    id: gid("LineItem", line.id),
    name: line.title,
    title: line.title,
    sku: line.sku || null,
    quantity: line.quantity,
    currentQuantity: currentQuantity(order, line),
    refundableQuantity: line.quantity - line.refundedQuantity,
    unfulfilledQuantity: Math.max(0, currentQuantity(order, line) - line.fulfilledQuantity),
    isGiftCard: line.giftCard,
    requiresShipping: !line.giftCard,
    taxable: line.taxMinor > 0,
    originalUnitPriceSet: moneyBag(line.priceMinor, c),
    originalTotalSet: moneyBag(line.priceMinor * line.quantity, c),
    discountedTotalSet: moneyBag(discountedTotal, c),
    totalDiscountSet: moneyBag(line.discountMinor, c),
    discountAllocations: line.discountMinor > 0 ? [{ allocatedAmountSet: moneyBag(line.discountMinor, c) }] : [],
    taxLines:
      line.taxMinor > 0
        ? [{ title: "Tax", rate: line.taxRate, ratePercentage: line.taxRate * 100, priceSet: moneyBag(line.taxMinor, c), channelLiable: false }]
        : [],
    product: product ? productView(context, product) : null,
    variant: null,
  };
}

function storeCreditAccountView(context: AdminContext, account: SimStoreCreditAccount) {
  const balance = account.transactions.reduce((sum, transaction) => sum + transaction.amountMinor, 0);
  return {
    __typename: "StoreCreditAccount",
    id: gid("StoreCreditAccount", account.id),
    balance: moneyV2(balance, account.currency),
    owner: () => customerView(context, context.shop.customers.get(account.customerId)!),
    transactions: (args: Args) => {
      requireScope(context, "read_store_credit_account_transactions", "transactions");
      return connection(account.transactions, args, (transaction) => storeCreditTransactionView(context, account, transaction));
    },
  };
}

function storeCreditTransactionView(context: AdminContext, account: SimStoreCreditAccount, transaction: SimStoreCreditTransaction) {
  return {
    __typename: "StoreCreditAccountCreditTransaction",
    id: gid("StoreCreditAccountCreditTransaction", transaction.id),
    amount: moneyV2(transaction.amountMinor, account.currency),
    balanceAfterTransaction: moneyV2(transaction.balanceAfterMinor, account.currency),
    remainingAmount: moneyV2(transaction.amountMinor, account.currency),
    createdAt: iso(transaction.createdAt),
    expiresAt: iso(transaction.expiresAt),
    event: "ADJUSTMENT",
    origin: null,
    account: () => storeCreditAccountView(context, account),
  };
}

function discountStatus(discount: SimDiscount, now: Date) {
  if (discount.startsAt > now) return "SCHEDULED";
  if (discount.endsAt && discount.endsAt <= now) return "EXPIRED";
  return "ACTIVE";
}

function discountNodeView(context: AdminContext, discount: SimDiscount) {
  const { shop } = context;
  const c = shop.currency;
  const common = {
    title: discount.title,
    status: discountStatus(discount, context.store.now()),
    startsAt: iso(discount.startsAt),
    endsAt: iso(discount.endsAt),
    createdAt: iso(discount.createdAt),
    updatedAt: iso(discount.updatedAt),
    usageLimit: discount.usageLimit,
    appliesOncePerCustomer: discount.appliesOncePerCustomer,
    asyncUsageCount: 0,
    codesCount: count(1),
    codes: (args: Args) =>
      connection([{ id: discount.codeId }], args, () => ({ id: gid("DiscountRedeemCode", discount.codeId), code: discount.code, asyncUsageCount: 0 })),
    combinesWith: discount.combinesWith,
    context:
      discount.customerIds === null
        ? { __typename: "DiscountBuyerSelectionAll", all: "ALL" }
        : { __typename: "DiscountCustomers", customers: discount.customerIds.map((id) => customerView(context, shop.customers.get(id)!)) },
    minimumRequirement:
      discount.minimumSubtotalMinor === null
        ? null
        : { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: moneyV2(discount.minimumSubtotalMinor, c) },
    hasTimelineComment: false,
    recurringCycleLimit: null,
    shareableUrls: [],
    totalSales: null,
  };
  const nodeId = gid("DiscountCodeNode", discount.id);
  const summary =
    discount.kind === "free_shipping"
      ? "Free shipping on all products"
      : discount.value?.kind === "percentage"
        ? `${Math.round(discount.value.percentage * 100)}% off ${discount.entitledVariantIds ? "selected items" : "entire order"}`
        : `${graphqlDecimal(discount.value?.kind === "amount" ? discount.value.amountMinor : 0, c)} ${c} off ${discount.entitledVariantIds ? "selected items" : "entire order"}`;
  const items = discount.entitledVariantIds
    ? {
        __typename: "DiscountProducts",
        products: (args: Args) => connection([], args, () => null),
        productVariants: (args: Args) =>
          connection(
            discount.entitledVariantIds!.map((id) => ({ id })),
            args,
            ({ id }) => productVariantView(context, findVariant(context, id)!),
          ),
      }
    : { __typename: "AllDiscountItems", allItems: true };
  let codeDiscount: Record<string, unknown>;
  if (discount.kind === "app") {
    const { minimumRequirement: _appDiscountsHaveNone, ...appCommon } = common;
    codeDiscount = {
      __typename: "DiscountCodeApp",
      ...appCommon,
      discountId: nodeId,
      discountClasses: discount.discountClasses ?? [],
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
      appDiscountType: {
        __typename: "AppDiscountType",
        functionId: `simulated-function-${discount.functionHandle}`,
        title: discount.functionHandle,
        description: null,
        discountClasses: discount.discountClasses ?? [],
        appKey: String(SIMULATED_APP_ID),
      },
      errorHistory: null,
    };
  } else if (discount.kind === "basic") {
    codeDiscount = {
      __typename: "DiscountCodeBasic",
      ...common,
      summary,
      shortSummary: summary,
      discountClasses: [discount.entitledVariantIds ? "PRODUCT" : "ORDER"],
      customerGets: {
        appliesOnOneTimePurchase: true,
        appliesOnSubscription: false,
        items,
        value:
          discount.value?.kind === "percentage"
            ? { __typename: "DiscountPercentage", percentage: discount.value.percentage }
            : {
                __typename: "DiscountAmount",
                amount: moneyV2(discount.value?.kind === "amount" ? discount.value.amountMinor : 0, c),
                appliesOnEachItem: discount.value?.kind === "amount" && discount.value.appliesOnEachItem,
              },
      },
    };
  } else {
    codeDiscount = {
      __typename: "DiscountCodeFreeShipping",
      ...common,
      summary,
      shortSummary: summary,
      discountClasses: ["SHIPPING"],
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
      destinationSelection: { __typename: "DiscountCountryAll", allCountries: true },
      maximumShippingPrice: discount.maximumShippingPriceMinor === null ? null : moneyV2(discount.maximumShippingPriceMinor, c),
    };
  }
  return { __typename: "DiscountCodeNode", id: nodeId, codeDiscount, ...metafieldFields(context, nodeId) };
}

// ------------------------------------------------------------------------------------ mutations

interface UserError {
  field: string[] | null;
  message: string;
  code: string | null;
  extraInfo?: null;
  elementIndex?: number | null;
}

const discountError = (field: string[], message: string, code: string): UserError => ({ field, message, code, extraInfo: null });

function parseDate(value: unknown): Date | null {
  if (value == null) return null;
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Validates the fields both discount inputs share; returns the errors and the parsed common part. */
function commonDiscountInput(context: AdminContext, input: Args, root: string) {
  const { shop } = context;
  const errors: UserError[] = [];
  const title = String(input.title ?? "").trim();
  const code = String(input.code ?? "").trim();
  if (!title) errors.push(discountError([root, "title"], "Title can't be blank", "BLANK"));
  if (title.length > 255) errors.push(discountError([root, "title"], "Title is too long (maximum is 255 characters)", "TOO_LONG"));
  if (!code) errors.push(discountError([root, "code"], "Code can't be blank", "BLANK"));
  if (code.length > 255) errors.push(discountError([root, "code"], "Code is too long (maximum is 255 characters)", "TOO_LONG"));
  if (code && [...shop.discounts.values()].some((discount) => discount.code.toLowerCase() === code.toLowerCase())) {
    errors.push(discountError([root, "code"], "Code must be unique. Please try a different code.", "TAKEN"));
  }
  const startsAt = input.startsAt == null ? context.store.now() : parseDate(input.startsAt);
  const endsAt = parseDate(input.endsAt);
  if (!startsAt) errors.push(discountError([root, "startsAt"], "Starts at is invalid", "INVALID"));
  if (input.endsAt != null && !endsAt) errors.push(discountError([root, "endsAt"], "Ends at is invalid", "INVALID"));
  if (startsAt && endsAt && endsAt <= startsAt) {
    errors.push(discountError([root, "endsAt"], "Ends at needs to be after starts_at", "END_DATE_BEFORE_START_DATE"));
  }
  if (input.usageLimit != null && input.usageLimit < 1) {
    errors.push(discountError([root, "usageLimit"], "Usage limit must be greater than 0", "GREATER_THAN"));
  }
  let customerIds: number[] | null = null;
  const added: string[] | undefined = input.context?.customers?.add;
  if (added) {
    customerIds = [];
    added.forEach((customerGid, index) => {
      const id = idOf(customerGid, "Customer");
      if (id === null || !shop.customers.has(id)) {
        errors.push(discountError([root, "context", "customers", "add", String(index)], "Customer does not exist", "INVALID"));
      } else customerIds!.push(id);
    });
  }
  let minimumSubtotalMinor: number | null = null;
  const subtotal = input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal;
  if (subtotal != null) {
    minimumSubtotalMinor = parseMinor(subtotal, shop.currency);
    if (minimumSubtotalMinor === null || minimumSubtotalMinor < 0) {
      errors.push(discountError([root, "minimumRequirement", "subtotal", "greaterThanOrEqualToSubtotal"], "Minimum subtotal is invalid", "INVALID"));
    }
  }
  const now = context.store.now();
  return {
    errors,
    discount: {
      title,
      code,
      startsAt: startsAt ?? now,
      endsAt,
      usageLimit: input.usageLimit ?? null,
      appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
      customerIds,
      minimumSubtotalMinor,
      combinesWith: {
        orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
        productDiscounts: input.combinesWith?.productDiscounts ?? false,
        shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
      },
      createdAt: now,
      updatedAt: now,
    },
  };
}

function discountCodeBasicCreate({ basicCodeDiscount: input }: Args, context: AdminContext) {
  requireScope(context, "write_discounts", "discountCodeBasicCreate");
  const root = "basicCodeDiscount";
  const { errors, discount } = commonDiscountInput(context, input, root);
  const value = input.customerGets?.value;
  let parsedValue: SimDiscount["value"] = null;
  if (!input.customerGets) errors.push(discountError([root, "customerGets"], "Customer gets can't be blank", "BLANK"));
  else if (!value || (value.percentage == null && value.discountAmount == null)) {
    errors.push(discountError([root, "customerGets", "value"], "Value can't be blank", "BLANK"));
  } else if (value.percentage != null && value.discountAmount != null) {
    errors.push(discountError([root, "customerGets", "value"], "Only one of percentage or discountAmount can be given", "TOO_MANY_ARGUMENTS"));
  } else if (value.percentage != null) {
    if (!(value.percentage > 0 && value.percentage <= 1)) {
      errors.push(discountError([root, "customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE"));
    }
    parsedValue = { kind: "percentage", percentage: value.percentage };
  } else {
    const minor = parseMinor(value.discountAmount.amount ?? "", context.shop.currency);
    if (minor === null || minor <= 0) {
      errors.push(discountError([root, "customerGets", "value", "discountAmount", "amount"], "Value must be greater than 0", "GREATER_THAN"));
    }
    parsedValue = { kind: "amount", amountMinor: minor ?? 0, appliesOnEachItem: value.discountAmount.appliesOnEachItem ?? false };
  }
  let entitledVariantIds: number[] | null = null;
  const items = input.customerGets?.items;
  if (input.customerGets && !items?.all) {
    const variants: string[] | undefined = items?.products?.productVariantsToAdd;
    if (!variants?.length || items?.products?.productsToAdd?.length || items?.collections) {
      errors.push(discountError([root, "customerGets", "items"], "The simulator models discounts on all items or on product variants only", "INVALID"));
    } else {
      entitledVariantIds = [];
      variants.forEach((variantGid, index) => {
        const id = idOf(variantGid, "ProductVariant");
        if (id === null || !findVariant(context, id)) {
          errors.push(
            discountError([root, "customerGets", "items", "products", "productVariantsToAdd", String(index)], "Product variant does not exist", "INVALID"),
          );
        } else entitledVariantIds!.push(id);
      });
    }
  }
  if (errors.length) return { codeDiscountNode: null, userErrors: errors };
  return {
    codeDiscountNode: saveDiscount(context, {
      ...discount,
      kind: "basic",
      functionHandle: null,
      entitledVariantIds,
      value: parsedValue,
      maximumShippingPriceMinor: null,
    }),
    userErrors: [],
  };
}

function discountCodeFreeShippingCreate({ freeShippingCodeDiscount: input }: Args, context: AdminContext) {
  requireScope(context, "write_discounts", "discountCodeFreeShippingCreate");
  const root = "freeShippingCodeDiscount";
  const { errors, discount } = commonDiscountInput(context, input, root);
  let maximumShippingPriceMinor: number | null = null;
  if (input.maximumShippingPrice != null) {
    maximumShippingPriceMinor = parseMinor(input.maximumShippingPrice, context.shop.currency);
    if (maximumShippingPriceMinor === null || maximumShippingPriceMinor <= 0) {
      errors.push(discountError([root, "maximumShippingPrice"], "Maximum shipping price must be greater than 0", "GREATER_THAN"));
    }
  }
  if (input.destination?.countries) {
    errors.push(discountError([root, "destination"], "The simulator models free shipping to all countries only", "INVALID"));
  }
  if (errors.length) return { codeDiscountNode: null, userErrors: errors };
  return {
    codeDiscountNode: saveDiscount(context, {
      ...discount,
      kind: "free_shipping",
      functionHandle: null,
      entitledVariantIds: null,
      value: null,
      maximumShippingPriceMinor,
    }),
    userErrors: [],
  };
}

const DISCOUNT_CLASSES = ["ORDER", "PRODUCT", "SHIPPING"];

/** A code discount served by one of the app's Shopify Functions, configured by its metafields. */
function discountCodeAppCreate({ codeAppDiscount: input }: Args, context: AdminContext) {
  requireScope(context, "write_discounts", "discountCodeAppCreate");
  const root = "codeAppDiscount";
  const { errors, discount } = commonDiscountInput(context, input, root);
  const handle = input.functionHandle == null ? null : String(input.functionHandle);
  if (input.functionId != null) {
    errors.push(discountError([root, "functionId"], "The simulator finds functions by functionHandle only", "INVALID"));
  } else if (!handle) {
    errors.push(discountError([root, "functionHandle"], "Function handle can't be blank", "BLANK"));
  } else if (!context.store.functionHandles.includes(handle)) {
    errors.push(
      discountError(
        [root, "functionHandle"],
        `Function ${handle} not found. Ensure that it is released in the current app, and that the app is installed.`,
        "INVALID",
      ),
    );
  }
  const classes: string[] = input.discountClasses ?? [];
  if (!classes.length) errors.push(discountError([root, "discountClasses"], "Discount classes can't be blank", "BLANK"));
  const metafields: Args[] = input.metafields ?? [];
  metafields.forEach((metafield, index) => {
    const check = METAFIELD_VALUE_CHECKS[String(metafield.type)];
    if (!metafield.key || !metafield.type || metafield.value == null) {
      errors.push(discountError([root, "metafields", String(index)], "Metafield key, type and value are required", "BLANK"));
    } else if (!check || !check(String(metafield.value))) {
      errors.push(discountError([root, "metafields", String(index), "value"], `Value is invalid for type ${metafield.type}`, "INVALID"));
    }
  });
  if (errors.length) return { codeAppDiscount: null, userErrors: errors };
  const node = saveDiscount(context, {
    ...discount,
    kind: "app",
    functionHandle: handle,
    discountClasses: classes.filter((c) => DISCOUNT_CLASSES.includes(c)),
    entitledVariantIds: null,
    value: null,
    minimumSubtotalMinor: null,
    maximumShippingPriceMinor: null,
  });
  const now = context.store.now();
  for (const metafield of metafields) {
    context.shop.metafields.push({
      id: context.store.nextId(),
      ownerId: node.id,
      namespace: resolveNamespace(metafield.namespace),
      key: String(metafield.key),
      type: String(metafield.type),
      value: String(metafield.value),
      createdAt: now,
      updatedAt: now,
    });
  }
  return { codeAppDiscount: node.codeDiscount, userErrors: [] };
}

/** The app's automatic discount served by one of its Functions (the tier perks): made or updated, with its metafields. */
function automaticAppDiscountInput(input: Args, context: AdminContext, root: string, existing?: SimAutomaticDiscount) {
  requireScope(context, "write_discounts", root === "create" ? "discountAutomaticAppCreate" : "discountAutomaticAppUpdate");
  const errors: UserError[] = [];
  const title = String(input.title ?? existing?.title ?? "").trim();
  if (!title) errors.push(discountError(["automaticAppDiscount", "title"], "Title can't be blank", "BLANK"));
  const handle = input.functionHandle == null ? (existing?.functionHandle ?? "") : String(input.functionHandle);
  if (!existing && !context.store.functionHandles.includes(handle)) {
    errors.push(
      discountError(
        ["automaticAppDiscount", "functionHandle"],
        `Function ${handle} not found. Ensure that it is released in the current app, and that the app is installed.`,
        "INVALID",
      ),
    );
  }
  const metafields = existing ? [...existing.metafields] : [];
  for (const metafield of (input.metafields ?? []) as Args[]) {
    const check = METAFIELD_VALUE_CHECKS[String(metafield.type)];
    if (!check || !check(String(metafield.value))) {
      errors.push(discountError(["automaticAppDiscount", "metafields"], `Value is invalid for type ${metafield.type}`, "INVALID"));
      continue;
    }
    const entry = { namespace: String(metafield.namespace), key: String(metafield.key), type: String(metafield.type), value: String(metafield.value) };
    const at = metafields.findIndex((m) => m.namespace === entry.namespace && m.key === entry.key);
    if (at >= 0) metafields[at] = entry;
    else metafields.push(entry);
  }
  return {
    errors,
    discount: {
      id: existing?.id ?? context.store.nextId(),
      title,
      functionHandle: handle,
      discountClasses: ((input.discountClasses ?? existing?.discountClasses ?? []) as string[]).filter((c) => DISCOUNT_CLASSES.includes(c)),
      metafields,
      startsAt: input.startsAt ? new Date(String(input.startsAt)) : (existing?.startsAt ?? new Date()),
      combinesWith: {
        orderDiscounts: false,
        productDiscounts: false,
        shippingDiscounts: false,
        ...(existing?.combinesWith ?? {}),
        ...(input.combinesWith ?? {}),
      },
    } satisfies SimAutomaticDiscount,
  };
}

function discountAutomaticAppCreate({ automaticAppDiscount: input }: Args, context: AdminContext) {
  const { errors, discount } = automaticAppDiscountInput(input, context, "create");
  if (errors.length) return { automaticAppDiscount: null, userErrors: errors };
  context.shop.automaticDiscounts.set(discount.id, discount);
  return { automaticAppDiscount: { discountId: gid("DiscountAutomaticNode", discount.id), title: discount.title }, userErrors: [] };
}

function discountAutomaticAppUpdate({ id, automaticAppDiscount: input }: Args, context: AdminContext) {
  const numericId = idOf(id, "DiscountAutomaticNode");
  const existing = numericId === null ? undefined : context.shop.automaticDiscounts.get(numericId);
  if (!existing) return { automaticAppDiscount: null, userErrors: [discountError(["id"], "Discount does not exist", "INVALID")] };
  const { errors, discount } = automaticAppDiscountInput(input, context, "update", existing);
  if (errors.length) return { automaticAppDiscount: null, userErrors: errors };
  context.shop.automaticDiscounts.set(discount.id, discount);
  return { automaticAppDiscount: { discountId: gid("DiscountAutomaticNode", discount.id), title: discount.title }, userErrors: [] };
}

/** tagsAdd and tagsRemove on a customer (the app's tier tags). */
function customerTags(change: "add" | "remove") {
  return ({ id, tags }: Args, context: AdminContext) => {
    requireScope(context, "write_customers", change === "add" ? "tagsAdd" : "tagsRemove");
    const customerId = idOf(id, "Customer");
    const customer = customerId === null ? undefined : context.shop.customers.get(customerId);
    if (!customer) return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
    const wanted = (tags as string[]).map((tag) => tag.trim()).filter(Boolean);
    customer.tags = change === "add" ? [...new Set([...customer.tags, ...wanted])] : customer.tags.filter((tag) => !wanted.includes(tag));
    customer.updatedAt = new Date();
    return { node: customerView(context, customer), userErrors: [] };
  };
}

/** nodes(ids:): the products, variants and collections asked for, null for the others. */
function nodes({ ids }: Args, context: AdminContext) {
  requireScope(context, "read_products", "nodes");
  return (ids as string[]).map((value) => {
    const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(value);
    if (!match) throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
    const [, type, raw] = match;
    const numeric = Number(raw);
    if (type === "Product") return context.shop.products.has(numeric) ? productView(context, context.shop.products.get(numeric)!) : null;
    if (type === "Collection") return context.shop.collections.has(numeric) ? collectionView(context, context.shop.collections.get(numeric)!) : null;
    if (type === "ProductVariant") {
      const product = findVariant(context, numeric);
      return product ? productVariantView(context, product) : null;
    }
    return null;
  });
}

function saveDiscount(context: AdminContext, spec: Omit<SimDiscount, "id" | "codeId">) {
  const discount: SimDiscount = { id: context.store.nextId(), codeId: context.store.nextId(), ...spec };
  context.shop.discounts.set(discount.id, discount);
  return discountNodeView(context, discount);
}

function discountCodeDelete({ id }: Args, context: AdminContext) {
  requireScope(context, "write_discounts", "discountCodeDelete");
  const discountId = idOf(id, "DiscountCodeNode");
  if (discountId === null || !context.shop.discounts.delete(discountId)) {
    return { deletedCodeDiscountId: null, userErrors: [discountError(["id"], "Discount does not exist", "INVALID")] };
  }
  return { deletedCodeDiscountId: id, userErrors: [] };
}

const METAFIELD_VALUE_CHECKS: Record<string, (value: string) => boolean> = {
  single_line_text_field: (value) => !value.includes("\n"),
  multi_line_text_field: () => true,
  number_integer: (value) => /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)),
  number_decimal: (value) => /^-?\d+(\.\d+)?$/.test(value),
  boolean: (value) => value === "true" || value === "false",
  json: (value) => {
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  },
  date: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)),
  date_time: (value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)),
  url: (value) => /^https?:\/\//.test(value),
};

function resolveNamespace(namespace: string | null | undefined): string {
  if (namespace == null || namespace === "$app") return `app--${SIMULATED_APP_ID}`;
  if (namespace.startsWith("$app:")) return `app--${SIMULATED_APP_ID}--${namespace.slice(5)}`;
  return namespace;
}

function metafieldOwnerExists(context: AdminContext, ownerId: string): boolean {
  const { shop } = context;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(ownerId);
  if (!match) return false;
  const id = Number(match[2]);
  switch (match[1]) {
    case "Customer":
      return shop.customers.has(id);
    case "Order":
      return shop.orders.has(id);
    case "Product":
      return shop.products.has(id);
    case "Collection":
      return shop.collections.has(id);
    case "Shop":
      return shop.id === id;
    case "AppInstallation":
      return ownerId === appInstallationId(shop);
    default:
      return false;
  }
}

function metafieldsSet({ metafields: inputs }: Args, context: AdminContext) {
  const errors: UserError[] = [];
  const error = (index: number, field: string | null, message: string, code: string) =>
    errors.push({ field: field ? ["metafields", String(index), field] : ["metafields", String(index)], message, code, elementIndex: index });
  if (inputs.length > 25) {
    return {
      metafields: null,
      userErrors: [{ field: ["metafields"], message: "Exceeds the maximum input size of 25 metafields", code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null }],
    };
  }
  for (const input of inputs as Args[]) {
    if (input.ownerId.startsWith("gid://shopify/Customer/")) requireScope(context, "write_customers", "metafieldsSet");
    if (input.ownerId.startsWith("gid://shopify/Order/")) requireScope(context, "write_orders", "metafieldsSet");
    if (/^gid:\/\/shopify\/(Product|Collection)\//.test(input.ownerId)) requireScope(context, "write_products", "metafieldsSet");
  }
  const plans = (inputs as Args[]).map((input, index) => {
    const namespace = resolveNamespace(input.namespace);
    const existing = context.shop.metafields.find(
      (metafield) => metafield.ownerId === input.ownerId && metafield.namespace === namespace && metafield.key === input.key,
    );
    if (!metafieldOwnerExists(context, input.ownerId)) error(index, "ownerId", "Owner does not exist.", "INVALID");
    if (input.key.length < 2) error(index, "key", "Key is too short (minimum is 2 characters)", "TOO_SHORT");
    if (input.key.length > 64) error(index, "key", "Key is too long (maximum is 64 characters)", "TOO_LONG");
    if (namespace.length < 3) error(index, "namespace", "Namespace is too short (minimum is 3 characters)", "TOO_SHORT");
    const type: string | undefined = input.type ?? existing?.type;
    if (!type) error(index, "type", "Type can't be blank", "BLANK");
    else if (!(type in METAFIELD_VALUE_CHECKS)) error(index, "type", `Type '${type}' is not supported by the simulator`, "INVALID_TYPE");
    else if (existing && input.type && input.type !== existing.type) error(index, "type", "Type must be the same as the existing metafield's", "INVALID_TYPE");
    else if (!METAFIELD_VALUE_CHECKS[type](input.value)) error(index, "value", `Value is invalid for type ${type}.`, "INVALID_VALUE");
    if ("compareDigest" in input) {
      const stale = input.compareDigest === null ? existing !== undefined : !existing || digestOf(existing) !== input.compareDigest;
      if (stale) error(index, null, "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.", "STALE_OBJECT");
    }
    return { input, namespace, existing, type: type ?? "" };
  });
  // Atomic, as Shopify's is: one bad element and nothing is saved.
  if (errors.length) return { metafields: null, userErrors: errors };
  const now = context.store.now();
  const saved = plans.map(({ input, namespace, existing, type }) => {
    if (existing) {
      existing.value = input.value;
      existing.updatedAt = now;
      return existing;
    }
    const metafield: SimMetafield = {
      id: context.store.nextId(),
      ownerId: input.ownerId,
      namespace,
      key: input.key,
      type,
      value: input.value,
      createdAt: now,
      updatedAt: now,
    };
    context.shop.metafields.push(metafield);
    return metafield;
  });
  return { metafields: saved.map((metafield) => metafieldView(context, metafield)), userErrors: [] };
}

function storeCreditAccountCredit({ id, creditInput }: Args, context: AdminContext) {
  requireScope(context, "write_store_credit_account_transactions", "storeCreditAccountCredit");
  const { shop, store } = context;
  const fail = (field: string[], message: string, code: string) => ({ storeCreditAccountTransaction: null, userErrors: [{ field, message, code }] });
  const currency: string = creditInput.creditAmount.currencyCode;
  let account: SimStoreCreditAccount | undefined;
  const accountId = idOf(id, "StoreCreditAccount");
  if (accountId !== null) {
    account = shop.storeCreditAccounts.get(accountId);
    if (!account) return fail(["id"], "Store credit account does not exist.", "ACCOUNT_NOT_FOUND");
    if (account.currency !== currency)
      return fail(
        ["creditInput", "creditAmount", "currencyCode"],
        "The currency provided does not match the currency of the store credit account.",
        "MISMATCHING_CURRENCY",
      );
  } else {
    const customerId = idOf(id, "Customer");
    if (customerId === null || !shop.customers.has(customerId)) return fail(["id"], "Owner does not exist.", "OWNER_NOT_FOUND");
    if (currency !== shop.currency)
      return fail(["creditInput", "creditAmount", "currencyCode"], "The currency provided is not currently supported.", "UNSUPPORTED_CURRENCY");
    account = [...shop.storeCreditAccounts.values()].find((candidate) => candidate.customerId === customerId && candidate.currency === currency);
  }
  decimalsOf(currency);
  const minor = parseMinor(creditInput.creditAmount.amount, currency);
  if (minor === null || minor <= 0) {
    return fail(["creditInput", "creditAmount", "amount"], "A positive amount must be used to credit a store credit account.", "NEGATIVE_OR_ZERO_AMOUNT");
  }
  const expiresAt = parseDate(creditInput.expiresAt);
  if (expiresAt && expiresAt <= store.now()) return fail(["creditInput", "expiresAt"], "The expiry date must be in the future.", "EXPIRES_AT_IN_PAST");
  if (!account) {
    account = { id: store.nextId(), customerId: idOf(id, "Customer")!, currency, transactions: [] };
    shop.storeCreditAccounts.set(account.id, account);
  }
  const balance = account.transactions.reduce((sum, transaction) => sum + transaction.amountMinor, 0);
  const transaction: SimStoreCreditTransaction = {
    id: store.nextId(),
    amountMinor: minor,
    balanceAfterMinor: balance + minor,
    expiresAt,
    createdAt: store.now(),
  };
  account.transactions.push(transaction);
  return { storeCreditAccountTransaction: storeCreditTransactionView(context, account, transaction), userErrors: [] };
}

// ----------------------------------------------------------------------------------- root value

const customerSearchFields: Record<string, (customer: SimCustomer) => SearchValue> = {
  id: (customer) => customer.id,
  email: (customer) => customer.email,
  first_name: (customer) => customer.firstName,
  last_name: (customer) => customer.lastName,
  phone: (customer) => customer.phone,
  tag: (customer) => customer.tags,
  created_at: (customer) => customer.createdAt,
  updated_at: (customer) => customer.updatedAt,
};

const orderSearchFields: Record<string, (order: SimOrder) => SearchValue> = {
  id: (order) => order.id,
  name: (order) => order.name,
  email: (order) => order.email,
  customer_id: (order) => order.customerId,
  financial_status: (order) => order.financialStatus,
  fulfillment_status: (order) =>
    order.lines.every((line) => line.fulfilledQuantity === 0)
      ? "unfulfilled"
      : order.lines.every((line) => line.fulfilledQuantity >= line.quantity - line.refundedQuantity)
        ? "shipped"
        : "partial",
  status: (order) => (order.cancelledAt ? "cancelled" : "open"),
  tag: (order) => order.tags,
  created_at: (order) => order.createdAt,
  updated_at: (order) => order.updatedAt,
  processed_at: (order) => order.createdAt,
};

/** A root field that reads one resource of this shop by its gid, after checking the scope. */
function byId<T, V>(type: string, scope: string, field: string, lookup: (shop: SimShop) => Map<number, T>, view: (context: AdminContext, item: T) => V) {
  return ({ id }: Args, context: AdminContext) => {
    requireScope(context, scope, field);
    const numericId = idOf(id, type);
    const item = numericId === null ? undefined : lookup(context.shop).get(numericId);
    return item ? view(context, item) : null;
  };
}

/** A commerce object reference field is sent as <object>_id (Shopify's numeric id). */
const referenceKey = (type: string) => `${type.replace(/_reference$/, "")}_id`;

const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

/** Whether a payload value fits a Flow trigger field of this type; the error otherwise. */
function flowFieldError(type: string, key: string, value: unknown): string | null {
  if (value === undefined) return `${key} is missing`;
  if (type.endsWith("_reference")) return Number.isSafeInteger(value) && (value as number) > 0 ? null : `${key} must be a numeric id`;
  switch (type) {
    case "number_decimal":
      return typeof value === "number" && Number.isFinite(value) ? null : `${key} must be a number`;
    case "boolean":
      return typeof value === "boolean" ? null : `${key} must be true or false`;
    case "single_line_text_field":
      return typeof value === "string" && !/[\r\n]/.test(value) ? null : `${key} must be a single line of text`;
    case "email":
    case "url":
      return typeof value === "string" ? null : `${key} must be a string`;
    default:
      return `${key} has a type the simulator does not model (${type})`;
  }
}

/**
 * flowTriggerReceive: the handle must be one of the app's flow_trigger extensions, and the
 * payload hold exactly its fields, each of its type (what Shopify checks before starting any
 * workflow). Accepted runs are kept on the shop, for tests and the controls page to read.
 */
function flowTriggerReceive({ handle, payload }: Args, context: AdminContext) {
  const trigger = context.store.flowTriggers.find((candidate) => candidate.handle === handle);
  if (!trigger) return { userErrors: [{ field: ["handle"], message: `Invalid handle: no Flow trigger "${handle}" in this app` }] };
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return { userErrors: [{ field: ["payload"], message: "Errors validating schema: the payload must be an object" }] };
  }
  if (Buffer.byteLength(JSON.stringify(payload)) > FLOW_PAYLOAD_LIMIT_BYTES) {
    return { userErrors: [{ field: ["payload"], message: "Payload size exceeds the limit of 50 KB" }] };
  }
  const fields = trigger.fields.map((field) => ({ type: field.type, key: field.type.endsWith("_reference") ? referenceKey(field.type) : (field.key ?? "") }));
  const errors = [
    ...fields.map((field) => flowFieldError(field.type, field.key, (payload as Record<string, unknown>)[field.key])),
    ...Object.keys(payload).map((key) => (fields.some((field) => field.key === key) ? null : `${key} is not a field of the trigger`)),
  ].filter((error): error is string => error !== null);
  if (errors.length) return { userErrors: [{ field: ["payload"], message: `Errors validating schema: ${errors.join("; ")}` }] };
  context.shop.flowTriggersReceived.push({ handle, payload: payload as Record<string, unknown>, receivedAt: context.store.now() });
  return { userErrors: [] };
}

export const adminRootValue = {
  shop: (_args: Args, context: AdminContext) => shopView(context),
  currentAppInstallation: (_args: Args, context: AdminContext) => appInstallationView(context),
  customer: byId("Customer", "read_customers", "customer", (shop) => shop.customers, customerView),
  customers: (args: Args, context: AdminContext) => {
    requireScope(context, "read_customers", "customers");
    return searchAndPage(
      context,
      "customers",
      [...context.shop.customers.values()],
      args,
      customerSearchFields,
      (customer) => [customer.email, customer.firstName, customer.lastName, customer.phone].filter(Boolean).join(" "),
      (customer) => customerView(context, customer),
    );
  },
  order: byId("Order", "read_orders", "order", (shop) => shop.orders, orderView),
  orders: (args: Args, context: AdminContext) => {
    requireScope(context, "read_orders", "orders");
    return searchAndPage(
      context,
      "orders",
      [...context.shop.orders.values()],
      args,
      orderSearchFields,
      (order) => [order.name, order.email].filter(Boolean).join(" "),
      (order) => orderView(context, order),
    );
  },
  collection: byId("Collection", "read_products", "collection", (shop) => shop.collections, collectionView),
  product: byId("Product", "read_products", "product", (shop) => shop.products, productView),
  productVariant: ({ id }: Args, context: AdminContext) => {
    requireScope(context, "read_products", "productVariant");
    const variantId = idOf(id, "ProductVariant");
    const product = variantId === null ? undefined : findVariant(context, variantId);
    return product ? productVariantView(context, product) : null;
  },
  codeDiscountNodeByCode: ({ code }: Args, context: AdminContext) => {
    requireScope(context, "read_discounts", "codeDiscountNodeByCode");
    const wanted = String(code).toLowerCase();
    const discount = [...context.shop.discounts.values()].find((d) => d.code.toLowerCase() === wanted);
    return discount ? discountNodeView(context, discount) : null;
  },
  discountCodeBasicCreate,
  discountCodeAppCreate,
  discountAutomaticAppCreate,
  discountAutomaticAppUpdate,
  tagsAdd: customerTags("add"),
  tagsRemove: customerTags("remove"),
  nodes,
  discountCodeFreeShippingCreate,
  discountCodeDelete,
  metafieldsSet,
  storeCreditAccountCredit,
  flowTriggerReceive,
};
