import { randomBytes, randomUUID } from "node:crypto";
import { readFlowTriggers, readFunctionHandles, type FlowTriggerDefinition } from "./app-config";
import { SimulatorInputError, SimulatorNotFoundError } from "./errors";
import { decimalsOf, requireMinor } from "./money";
import { customerWebhookJson, emailConsentJson, orderJson, orderTotals, refundJson, refundShareOfLine, shopJson } from "./rest-payloads";
import type {
  CancelReason,
  OperationResult,
  SimCollection,
  SimCustomer,
  SimLine,
  SimOrder,
  SimProduct,
  SimRefund,
  SimShop,
  SimTransaction,
  WebhookEvent,
} from "./types";

export interface StoreOptions {
  /** Defaults to the repository's extensions/ with type = "function". */
  functionHandles?: readonly string[];
  /** The app's Flow triggers flowTriggerReceive accepts (default: the repository's extensions). */
  flowTriggers?: readonly FlowTriggerDefinition[];
  /** The simulator's clock; tests pass a fixed one. */
  now?: () => Date;
  /** First id handed out; Shopify's ids are large, so the default is too. */
  firstId?: number;
}

export interface NewShop {
  domain: string;
  currency?: string;
  name?: string;
  email?: string;
  utcOffsetMinutes?: number;
}

export interface NewCustomer {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  /** "enabled" when the customer made an account themselves; "disabled" (the default) when the merchant added them. */
  accountState?: SimCustomer["accountState"];
  emailMarketing?: SimCustomer["emailMarketing"];
  locale?: string;
}

const ACCOUNT_STATES: readonly SimCustomer["accountState"][] = ["disabled", "invited", "enabled", "declined"];
const CONSENT_STATES: readonly SimCustomer["emailMarketing"][] = ["not_subscribed", "pending", "subscribed", "unsubscribed"];

const localeOf = (value: unknown) => {
  if (typeof value !== "string" || !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value))
    throw new SimulatorInputError(`locale must be a language tag like "en" or "pt-BR", not ${JSON.stringify(value)}`);
  return value;
};

export interface NewOrderLine {
  /** A product of the shop; its title and price are the defaults for the line. */
  productId?: number;
  title?: string;
  /** Unit price as a decimal string ("19.99"); defaults to the product's price. */
  price?: string;
  quantity?: number;
  /** Discount on the whole line, as a decimal string. */
  discount?: string;
  /** Tax on the whole line, as a decimal string. */
  tax?: string;
  giftCard?: boolean;
}

export interface NewOrder {
  customerId?: number | null;
  email?: string | null;
  lines: NewOrderLine[];
  /** Shipping price as a decimal string; omit for no shipping line. */
  shipping?: string;
  taxesIncluded?: boolean;
  discountCode?: string;
  /** Checkout captured the payment at once (the usual online order): orders/paid follows orders/create. */
  paid?: boolean;
  note?: string;
  tags?: string[];
}

export interface RefundRequest {
  lines: { lineItemId: number; quantity: number; restock?: boolean }[];
  /** Refund the remaining shipping too. */
  shipping?: boolean;
  note?: string;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CANCEL_REASONS: readonly CancelReason[] = ["customer", "declined", "fraud", "inventory", "other", "staff"];

const handleize = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "item";

/**
 * Several Shopify shops in memory. Every operation that Shopify would announce returns the
 * webhook events it caused (REST payloads in the real shape); delivering them is webhooks.ts's job.
 */
export class SimulatedStore {
  private readonly shops = new Map<string, SimShop>();
  private lastId: number;
  readonly now: () => Date;
  /** The app's Shopify Functions (by handle) that discountCodeAppCreate can name. */
  readonly functionHandles: readonly string[];
  /** The app's Flow triggers (by handle, with their fields) that flowTriggerReceive can name. */
  readonly flowTriggers: readonly FlowTriggerDefinition[];

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.functionHandles = options.functionHandles ?? readFunctionHandles();
    this.flowTriggers = options.flowTriggers ?? readFlowTriggers();
    this.lastId = (options.firstId ?? 7_000_000_000_000) - 1;
  }

  /** A fresh id, unique across every shop and resource type. */
  nextId(): number {
    return ++this.lastId;
  }

  createShop(spec: NewShop): SimShop {
    if (!SHOP_DOMAIN.test(spec.domain)) throw new SimulatorInputError(`"${spec.domain}" is not a myshopify.com domain`);
    if (this.shops.has(spec.domain)) throw new SimulatorInputError(`shop ${spec.domain} already exists`);
    const currency = spec.currency ?? "USD";
    decimalsOf(currency);
    const shop: SimShop = {
      id: this.nextId(),
      domain: spec.domain,
      name: spec.name ?? spec.domain.replace(/\.myshopify\.com$/, ""),
      email: spec.email ?? `owner@${spec.domain}`,
      currency,
      utcOffsetMinutes: spec.utcOffsetMinutes ?? 0,
      createdAt: this.now(),
      installation: null,
      products: new Map(),
      collections: new Map(),
      customers: new Map(),
      orders: new Map(),
      discounts: new Map(),
      automaticDiscounts: new Map(),
      metafields: [],
      storeCreditAccounts: new Map(),
      flowTriggersReceived: [],
      nextOrderNumber: 1001,
    };
    this.shops.set(shop.domain, shop);
    return shop;
  }

  shop(domain: string): SimShop {
    const shop = this.shops.get(domain);
    if (!shop) throw new SimulatorNotFoundError(`no shop ${domain} in the simulator`);
    return shop;
  }

  findShop(domain: string): SimShop | undefined {
    return this.shops.get(domain);
  }

  listShops(): SimShop[] {
    return [...this.shops.values()];
  }

  /** Installs the app: an offline access token with the scopes granted (token exchange calls this). */
  installApp(domain: string, scopes: string[]): string {
    const shop = this.shop(domain);
    if (!shop.installation) {
      shop.installation = { accessToken: `shpat_${randomBytes(16).toString("hex")}`, scopes, installedAt: this.now() };
    } else {
      shop.installation.scopes = scopes;
    }
    return shop.installation.accessToken;
  }

  uninstallApp(domain: string): OperationResult<SimShop> {
    const shop = this.shop(domain);
    shop.installation = null;
    return { value: shop, events: [this.event(shop, "app/uninstalled", shopJson(shop))] };
  }

  addCollection(domain: string, spec: { title: string; productIds?: number[] }): SimCollection {
    const shop = this.shop(domain);
    const now = this.now();
    const collection: SimCollection = {
      id: this.nextId(),
      title: spec.title,
      handle: handleize(spec.title),
      productIds: [],
      createdAt: now,
      updatedAt: now,
    };
    shop.collections.set(collection.id, collection);
    for (const productId of spec.productIds ?? []) this.addToCollection(domain, collection.id, productId);
    return collection;
  }

  addProduct(domain: string, spec: { title: string; price: string; collectionIds?: number[]; giftCard?: boolean; sku?: string }): SimProduct {
    const shop = this.shop(domain);
    const now = this.now();
    const product: SimProduct = {
      id: this.nextId(),
      variantId: this.nextId(),
      title: spec.title,
      handle: handleize(spec.title),
      sku: spec.sku ?? "",
      priceMinor: requireMinor(spec.price, shop.currency, "price"),
      giftCard: spec.giftCard ?? false,
      createdAt: now,
      updatedAt: now,
    };
    shop.products.set(product.id, product);
    for (const collectionId of spec.collectionIds ?? []) this.addToCollection(domain, collectionId, product.id);
    return product;
  }

  addToCollection(domain: string, collectionId: number, productId: number): void {
    const shop = this.shop(domain);
    const collection = shop.collections.get(collectionId);
    if (!collection) throw new SimulatorNotFoundError(`no collection ${collectionId} in ${domain}`);
    if (!shop.products.has(productId)) throw new SimulatorNotFoundError(`no product ${productId} in ${domain}`);
    if (!collection.productIds.includes(productId)) collection.productIds.push(productId);
  }

  createCustomer(domain: string, spec: NewCustomer = {}): OperationResult<SimCustomer> {
    const shop = this.shop(domain);
    const email = spec.email === undefined ? null : spec.email;
    if (email !== null && [...shop.customers.values()].some((c) => c.email?.toLowerCase() === email.toLowerCase())) {
      throw new SimulatorInputError(`Email has already been taken: ${email}`);
    }
    const now = this.now();
    const customer: SimCustomer = {
      id: this.nextId(),
      email,
      firstName: spec.firstName ?? null,
      lastName: spec.lastName ?? null,
      phone: spec.phone ?? null,
      note: spec.note ?? null,
      tags: normalizeTags(spec.tags ?? []),
      verifiedEmail: email !== null,
      accountState: oneOf(ACCOUNT_STATES, spec.accountState ?? "disabled", "accountState"),
      emailMarketing: oneOf(CONSENT_STATES, spec.emailMarketing ?? "not_subscribed", "emailMarketing"),
      locale: localeOf(spec.locale ?? "en"),
      createdAt: now,
      updatedAt: now,
    };
    shop.customers.set(customer.id, customer);
    return { value: customer, events: [this.event(shop, "customers/create", customerWebhookJson(shop, customer))] };
  }

  /** The customer activates their account (an invitation accepted): customers/enable, as Shopify sends it. */
  enableCustomer(domain: string, customerId: number): OperationResult<SimCustomer> {
    const shop = this.shop(domain);
    const customer = this.customer(shop, customerId);
    customer.accountState = "enabled";
    customer.updatedAt = this.now();
    return { value: customer, events: [this.event(shop, "customers/enable", customerWebhookJson(shop, customer))] };
  }

  /** The customer's email marketing consent changes: customers/email_marketing_consent/update. */
  setEmailConsent(domain: string, customerId: number, state: unknown): OperationResult<SimCustomer> {
    const shop = this.shop(domain);
    const customer = this.customer(shop, customerId);
    customer.emailMarketing = oneOf(CONSENT_STATES, state, "state");
    customer.updatedAt = this.now();
    return { value: customer, events: [this.event(shop, "customers/email_marketing_consent/update", emailConsentJson(shop, customer))] };
  }

  updateCustomer(domain: string, customerId: number, patch: NewCustomer): OperationResult<SimCustomer> {
    const shop = this.shop(domain);
    const customer = this.customer(shop, customerId);
    if (patch.email !== undefined) customer.email = patch.email;
    if (patch.firstName !== undefined) customer.firstName = patch.firstName;
    if (patch.lastName !== undefined) customer.lastName = patch.lastName;
    if (patch.phone !== undefined) customer.phone = patch.phone;
    if (patch.note !== undefined) customer.note = patch.note;
    if (patch.tags !== undefined) customer.tags = normalizeTags(patch.tags);
    if (patch.emailMarketing !== undefined) customer.emailMarketing = oneOf(CONSENT_STATES, patch.emailMarketing, "emailMarketing");
    if (patch.locale !== undefined) customer.locale = localeOf(patch.locale);
    customer.updatedAt = this.now();
    return { value: customer, events: [this.event(shop, "customers/update", customerWebhookJson(shop, customer))] };
  }

  placeOrder(domain: string, spec: NewOrder): OperationResult<SimOrder> {
    const shop = this.shop(domain);
    if (!spec.lines?.length) throw new SimulatorInputError("an order needs at least one line");
    const customer = spec.customerId == null ? null : this.customer(shop, spec.customerId);
    const lines = spec.lines.map((line, index) => this.newLine(shop, line, index));
    const now = this.now();
    const number = shop.nextOrderNumber++;
    const order: SimOrder = {
      id: this.nextId(),
      number,
      name: `#${number}`,
      token: randomBytes(16).toString("hex"),
      checkoutId: this.nextId(),
      customerId: customer?.id ?? null,
      email: spec.email ?? customer?.email ?? null,
      currency: shop.currency,
      taxesIncluded: spec.taxesIncluded ?? false,
      lines,
      shippingLine:
        spec.shipping === undefined
          ? null
          : { id: this.nextId(), title: "Standard", priceMinor: requireMinor(spec.shipping, shop.currency, "shipping"), refundedMinor: 0 },
      discountCodes: spec.discountCode ? [spec.discountCode] : [],
      financialStatus: "pending",
      cancelledAt: null,
      cancelReason: null,
      transactions: [],
      refunds: [],
      fulfillments: [],
      note: spec.note ?? null,
      tags: normalizeTags(spec.tags ?? []),
      createdAt: now,
      updatedAt: now,
    };
    shop.orders.set(order.id, order);
    const events = [this.event(shop, "orders/create", orderJson(shop, order))];
    if (spec.paid) events.push(...this.payOrder(domain, order.id).events);
    return { value: order, events };
  }

  /** Captures the whole outstanding amount: financial_status becomes paid. */
  payOrder(domain: string, orderId: number): OperationResult<SimOrder> {
    const shop = this.shop(domain);
    const order = this.order(shop, orderId);
    if (order.cancelledAt) throw new SimulatorInputError(`order ${order.name} is cancelled`);
    if (order.financialStatus !== "pending") throw new SimulatorInputError(`order ${order.name} is already ${order.financialStatus}`);
    const now = this.now();
    order.transactions.push({ id: this.nextId(), kind: "sale", amountMinor: orderTotals(order).outstanding, parentId: null, createdAt: now });
    order.financialStatus = "paid";
    order.updatedAt = now;
    const payload = orderJson(shop, order);
    return { value: order, events: [this.event(shop, "orders/paid", payload), this.event(shop, "orders/updated", payload)] };
  }

  /** Fulfils some units (default: everything still unfulfilled). orders/fulfilled fires once nothing is left. */
  fulfilOrder(domain: string, orderId: number, lines?: { lineItemId: number; quantity: number }[]): OperationResult<SimOrder> {
    const shop = this.shop(domain);
    const order = this.order(shop, orderId);
    if (order.cancelledAt) throw new SimulatorInputError(`order ${order.name} is cancelled`);
    const unfulfilled = (line: SimLine) => line.quantity - line.refundedQuantity - line.fulfilledQuantity;
    const wanted = lines ?? order.lines.map((line) => ({ lineItemId: line.id, quantity: unfulfilled(line) })).filter((l) => l.quantity > 0);
    if (!wanted.length) throw new SimulatorInputError(`order ${order.name} has nothing left to fulfil`);
    for (const { lineItemId, quantity } of wanted) {
      const line = this.line(order, lineItemId);
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > unfulfilled(line)) {
        throw new SimulatorInputError(`line ${lineItemId} has ${unfulfilled(line)} unit(s) to fulfil, not ${quantity}`);
      }
    }
    for (const { lineItemId, quantity } of wanted) this.line(order, lineItemId).fulfilledQuantity += quantity;
    const now = this.now();
    order.fulfillments.push({
      id: this.nextId(),
      name: `${order.name}.${order.fulfillments.length + 1}`,
      createdAt: now,
      lines: wanted.map(({ lineItemId, quantity }) => ({ lineId: lineItemId, quantity })),
    });
    order.updatedAt = now;
    const payload = orderJson(shop, order);
    const complete = order.lines.every((line) => unfulfilled(line) === 0);
    return {
      value: order,
      events: [this.event(shop, complete ? "orders/fulfilled" : "orders/partially_fulfilled", payload), this.event(shop, "orders/updated", payload)],
    };
  }

  /** Refunds some units of some lines (and optionally the shipping). The money goes back only if it was paid. */
  refundOrder(domain: string, orderId: number, request: RefundRequest): OperationResult<SimRefund> {
    const shop = this.shop(domain);
    const order = this.order(shop, orderId);
    const refund = this.refund(order, request, "return");
    const payload = orderJson(shop, order);
    return {
      value: refund,
      events: [this.event(shop, "refunds/create", refundJson(shop, order, refund)), this.event(shop, "orders/updated", payload)],
    };
  }

  /**
   * Cancels an order. A paid order is refunded in full first, as the admin's default does
   * (refunds/create, then orders/cancelled); an unpaid one is voided.
   */
  cancelOrder(domain: string, orderId: number, options: { reason?: CancelReason; refund?: boolean } = {}): OperationResult<SimOrder> {
    const shop = this.shop(domain);
    const order = this.order(shop, orderId);
    const reason = options.reason ?? "customer";
    if (!CANCEL_REASONS.includes(reason)) throw new SimulatorInputError(`cancel reason must be one of ${CANCEL_REASONS.join(", ")}`);
    if (order.cancelledAt) throw new SimulatorInputError(`order ${order.name} is already cancelled`);
    const events: WebhookEvent[] = [];
    const paid = order.financialStatus === "paid" || order.financialStatus === "partially_refunded";
    const remaining = order.lines
      .filter((line) => line.quantity > line.refundedQuantity)
      .map((line) => ({ lineItemId: line.id, quantity: line.quantity - line.refundedQuantity, restock: true }));
    if (paid && (options.refund ?? true) && remaining.length) {
      const refund = this.refund(order, { lines: remaining, shipping: true, note: "Order canceled" }, "cancel");
      events.push(this.event(shop, "refunds/create", refundJson(shop, order, refund)));
    }
    const now = this.now();
    if (order.financialStatus === "pending") {
      order.transactions.push({ id: this.nextId(), kind: "void", amountMinor: 0, parentId: null, createdAt: now });
      order.financialStatus = "voided";
    }
    order.cancelledAt = now;
    order.cancelReason = reason;
    order.updatedAt = now;
    const payload = orderJson(shop, order);
    events.push(this.event(shop, "orders/cancelled", payload), this.event(shop, "orders/updated", payload));
    return { value: order, events };
  }

  customer(shop: SimShop, customerId: number): SimCustomer {
    const customer = shop.customers.get(customerId);
    if (!customer) throw new SimulatorNotFoundError(`no customer ${customerId} in ${shop.domain}`);
    return customer;
  }

  order(shop: SimShop, orderId: number): SimOrder {
    const order = shop.orders.get(orderId);
    if (!order) throw new SimulatorNotFoundError(`no order ${orderId} in ${shop.domain}`);
    return order;
  }

  /** A webhook event for `topic`, stamped now with a fresh event id. */
  event(shop: SimShop, topic: string, payload: Record<string, unknown>): WebhookEvent {
    return { topic, shop: shop.domain, payload, eventId: randomUUID(), triggeredAt: this.now() };
  }

  private line(order: SimOrder, lineItemId: number): SimLine {
    const line = order.lines.find((candidate) => candidate.id === lineItemId);
    if (!line) throw new SimulatorNotFoundError(`order ${order.name} has no line item ${lineItemId}`);
    return line;
  }

  private newLine(shop: SimShop, spec: NewOrderLine, index: number): SimLine {
    const product = spec.productId === undefined ? null : shop.products.get(spec.productId);
    if (product === undefined) throw new SimulatorNotFoundError(`no product ${spec.productId} in ${shop.domain}`);
    const quantity = spec.quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 1) throw new SimulatorInputError(`line ${index + 1}: quantity must be a positive integer`);
    if (!product && spec.price === undefined) throw new SimulatorInputError(`line ${index + 1}: needs a productId or a price`);
    const priceMinor = spec.price === undefined ? product!.priceMinor : requireMinor(spec.price, shop.currency, `line ${index + 1} price`);
    const discountMinor = spec.discount === undefined ? 0 : requireMinor(spec.discount, shop.currency, `line ${index + 1} discount`);
    const taxMinor = spec.tax === undefined ? 0 : requireMinor(spec.tax, shop.currency, `line ${index + 1} tax`);
    if (priceMinor < 0 || discountMinor < 0 || taxMinor < 0) throw new SimulatorInputError(`line ${index + 1}: amounts cannot be negative`);
    if (discountMinor > priceMinor * quantity) throw new SimulatorInputError(`line ${index + 1}: discount is larger than the line`);
    const net = priceMinor * quantity - discountMinor;
    return {
      id: this.nextId(),
      productId: product?.id ?? null,
      variantId: product?.variantId ?? null,
      title: spec.title ?? product?.title ?? `Custom item ${index + 1}`,
      sku: product?.sku ?? "",
      quantity,
      priceMinor,
      discountMinor,
      taxMinor,
      // A display rate, as Shopify sends it (a float); amounts never derive from it.
      taxRate: net > 0 && taxMinor > 0 ? Math.round((taxMinor / net) * 10_000) / 10_000 : 0,
      giftCard: spec.giftCard ?? product?.giftCard ?? false,
      fulfilledQuantity: 0,
      refundedQuantity: 0,
    };
  }

  private refund(order: SimOrder, request: RefundRequest, restockDefault: "return" | "cancel"): SimRefund {
    if (order.cancelledAt) throw new SimulatorInputError(`order ${order.name} is cancelled`);
    if (!request.lines?.length && !request.shipping) throw new SimulatorInputError("a refund needs lines or shipping");
    const seen = new Set<number>();
    for (const { lineItemId, quantity } of request.lines ?? []) {
      const line = this.line(order, lineItemId);
      if (seen.has(lineItemId)) throw new SimulatorInputError(`line ${lineItemId} appears twice in the refund`);
      seen.add(lineItemId);
      const refundable = line.quantity - line.refundedQuantity;
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > refundable) {
        throw new SimulatorInputError(`line ${lineItemId} has ${refundable} refundable unit(s), not ${quantity}`);
      }
    }
    const now = this.now();
    const lines = (request.lines ?? []).map(({ lineItemId, quantity, restock }) => {
      const line = this.line(order, lineItemId);
      const share = refundShareOfLine(line, quantity);
      line.refundedQuantity += quantity;
      line.fulfilledQuantity = Math.min(line.fulfilledQuantity, line.quantity - line.refundedQuantity);
      return {
        id: this.nextId(),
        lineId: line.id,
        quantity,
        ...share,
        restockType: restock === false ? ("no_restock" as const) : restockDefault,
      };
    });
    const shipping = order.shippingLine;
    const shippingMinor = request.shipping && shipping ? shipping.priceMinor - shipping.refundedMinor : 0;
    if (shipping) shipping.refundedMinor += shippingMinor;
    const wasPaid = order.transactions.some((t) => t.kind === "sale");
    const amountMinor = lines.reduce((sum, line) => sum + line.subtotalMinor + (order.taxesIncluded ? 0 : line.taxMinor), 0) + shippingMinor;
    const sale = order.transactions.find((t) => t.kind === "sale");
    const transaction: SimTransaction | null =
      wasPaid && amountMinor > 0 ? { id: this.nextId(), kind: "refund", amountMinor, parentId: sale?.id ?? null, createdAt: now } : null;
    if (transaction) order.transactions.push(transaction);
    const refund: SimRefund = {
      id: this.nextId(),
      createdAt: now,
      note: request.note ?? null,
      lines,
      shippingMinor,
      shippingRefundLineId: shippingMinor > 0 ? this.nextId() : null,
      transaction,
    };
    order.refunds.push(refund);
    if (wasPaid) {
      const totals = orderTotals(order);
      order.financialStatus = totals.refunded >= totals.received ? "refunded" : "partially_refunded";
    }
    order.updatedAt = now;
    return refund;
  }
}

function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown, field: string): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new SimulatorInputError(`${field} must be one of ${allowed.join(", ")}`);
}
