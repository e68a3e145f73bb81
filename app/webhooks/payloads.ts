import type { OrderLine } from "../domain/earning";
import { toMinorUnits } from "../domain/money";
import type { RefundedLine } from "../domain/reversal";

/** A webhook body that cannot be read as the topic's payload: never applied, kept as a dead letter (permanent-failures.server.ts). */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadError";
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value.trim() : typeof value === "number" ? String(value) : null);

/**
 * Shopify's numeric id of a resource, as a string. Prefers `admin_graphql_api_id`
 * ("gid://shopify/Order/123"), which no JSON parser can round, over the numeric `id`.
 */
export function resourceId(payload: Json, field = "id"): string | null {
  const gid = field === "id" ? text(payload.admin_graphql_api_id) : null;
  const fromGid = gid ? /\/(\d+)$/.exec(gid)?.[1] : undefined;
  if (fromGid) return fromGid;
  const raw = payload[field];
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) return String(raw);
  if (typeof raw === "string" && /^\d+$/.test(raw)) return raw;
  return null;
}

/**
 * Where an order event's row locks fall in the one order concurrent batches take them: its
 * customer (the member row), then the order, as fixed-width digits so text order is numeric
 * order. Never throws: a payload that will not parse sorts first and is refused when applied.
 */
export function orderLockKey(payload: unknown, orderField = "id"): string {
  if (!isObject(payload)) return "";
  const digits = (id: string | null) => (id ?? "").padStart(20, "0");
  const customer = isObject(payload.customer) ? resourceId(payload.customer) : null;
  return `${digits(customer)}:${digits(resourceId(payload, orderField))}`;
}

/** An amount in shop currency: the `_set.shop_money` form, else the plain (shop currency) field. */
function shopMoney(payload: Json, field: string, currency: string): number {
  const set = payload[`${field}_set`];
  const shop = isObject(set) && isObject(set.shop_money) ? set.shop_money.amount : undefined;
  const amount = shop ?? payload[field];
  if (amount === undefined || amount === null) return 0;
  if (typeof amount !== "string" && typeof amount !== "number") throw new PayloadError(`${field} is not an amount`);
  return toMinorUnits(amount, currency);
}

export interface WebhookCustomer {
  customerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  updatedAt: string | null;
  /** The customer account's state ("enabled" once the customer made an account); null when the payload has none. */
  accountState: string | null;
  /** Email marketing consent ("subscribed", "not_subscribed", "unsubscribed", ...); null when the payload has none. */
  emailMarketingState: string | null;
  /** The customer's language ("he", "pt-BR"); null when the payload has none. */
  locale: string | null;
}

export function parseCustomer(payload: unknown): WebhookCustomer {
  if (!isObject(payload)) throw new PayloadError("customer payload is not an object");
  const customerId = resourceId(payload);
  if (!customerId) throw new PayloadError("customer payload has no id");
  const tags = Array.isArray(payload.tags) ? payload.tags.map(String) : (text(payload.tags) ?? "").split(",");
  return {
    customerId,
    email: text(payload.email),
    firstName: text(payload.first_name),
    lastName: text(payload.last_name),
    tags: tags.map((tag) => tag.trim()).filter(Boolean),
    updatedAt: text(payload.updated_at),
    accountState: text(payload.state)?.toLowerCase() ?? null,
    emailMarketingState: consentState(payload.email_marketing_consent),
    locale: languageTag(payload.locale),
  };
}

const languageTag = (value: unknown) => {
  const tag = text(value);
  return tag && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag) ? tag : null;
};

const MARKETING_STATES = ["SUBSCRIBED", "NOT_SUBSCRIBED", "PENDING", "UNSUBSCRIBED", "REDACTED", "INVALID"] as const;

/** A REST consent state ("not_subscribed") as the member keeps it, GraphQL's form ("NOT_SUBSCRIBED"); null for none or one we do not know. */
export function marketingStateOf(restState: string | null): (typeof MARKETING_STATES)[number] | null {
  const upper = restState?.toUpperCase();
  return (MARKETING_STATES as readonly string[]).includes(upper ?? "") ? (upper as (typeof MARKETING_STATES)[number]) : null;
}

const consentState = (consent: unknown) => (isObject(consent) ? (text(consent.state)?.toLowerCase() ?? null) : null);

export interface WebhookEmailConsent {
  customerId: string;
  email: string | null;
  state: string | null;
  /** When the customer last changed it (consent_updated_at); null for a consent never given. */
  updatedAt: string | null;
}

/** customers/email_marketing_consent/update: { customer_id, email_address, email_marketing_consent: { state, consent_updated_at, ... } }. */
export function parseEmailConsent(payload: unknown): WebhookEmailConsent {
  if (!isObject(payload)) throw new PayloadError("consent payload is not an object");
  const customerId = resourceId(payload, "customer_id");
  if (!customerId) throw new PayloadError("consent payload has no customer_id");
  const consent = payload.email_marketing_consent;
  return {
    customerId,
    email: text(payload.email_address),
    state: consentState(consent),
    updatedAt: isObject(consent) ? text(consent.consent_updated_at) : null,
  };
}

export interface WebhookRefund {
  refundId: string;
  orderId: string;
  lines: RefundedLine[];
}

export function parseRefund(payload: unknown, orderIdFallback?: string): WebhookRefund {
  if (!isObject(payload)) throw new PayloadError("refund payload is not an object");
  const refundId = resourceId(payload);
  const orderId = resourceId(payload, "order_id") ?? orderIdFallback ?? null;
  if (!refundId) throw new PayloadError("refund payload has no id");
  if (!orderId) throw new PayloadError("refund payload has no order_id");
  const lines = list(payload.refund_line_items).map((item) => {
    const lineItemId = resourceId(item, "line_item_id") ?? (isObject(item.line_item) ? resourceId(item.line_item) : null);
    const quantity = Number(item.quantity);
    if (!lineItemId || !Number.isInteger(quantity) || quantity < 0) {
      throw new PayloadError(`refund ${refundId} has a refund line without line_item_id or quantity`);
    }
    return { lineItemId, quantity };
  });
  return { refundId, orderId, lines };
}

export interface WebhookOrder {
  orderId: string;
  name: string | null;
  currency: string;
  customer: WebhookCustomer | null;
  lines: OrderLine[];
  cancelledAt: string | null;
  refunds: WebhookRefund[];
  /** Discount codes the order used (reward codes among them). */
  discountCodes: string[];
  /** The cart's attributes (note_attributes), by name: the storefront sets `loyalty_referral`. */
  attributes: Record<string, string>;
  /** Who bought and where it ships, as a referral's self-referral rules compare them. */
  email: string | null;
  phone: string | null;
  shippingAddress: { address1: string | null; address2: string | null; zip: string | null; countryCode: string | null } | null;
  /** The order's total in shop currency (minor units; 0 when the payload has none). */
  totalMinor: number;
}

/** The order's total for the referral minimum: an unreadable one counts as 0 (never a reason to refuse the order itself). */
function orderTotal(payload: Json, currency: string): number {
  try {
    return shopMoney(payload, "total_price", currency);
  } catch {
    return 0;
  }
}

export function parseOrder(payload: unknown): WebhookOrder {
  if (!isObject(payload)) throw new PayloadError("order payload is not an object");
  const orderId = resourceId(payload);
  if (!orderId) throw new PayloadError("order payload has no id");
  const currency = text(payload.currency);
  if (!currency) throw new PayloadError(`order ${orderId} has no currency`);
  const taxesIncluded = payload.taxes_included === true;
  const lines = list(payload.line_items).map((item): OrderLine => {
    const lineItemId = resourceId(item);
    const quantity = Number(item.quantity);
    if (!lineItemId || !Number.isInteger(quantity) || quantity < 0) {
      throw new PayloadError(`order ${orderId} has a line item without id or quantity`);
    }
    const gross = shopMoney(item, "price", currency) * quantity;
    const discounts = list(item.discount_allocations).reduce((sum, d) => sum + shopMoney(d, "amount", currency), 0);
    const includedTax = taxesIncluded ? list(item.tax_lines).reduce((sum, tax) => sum + shopMoney(tax, "price", currency), 0) : 0;
    return {
      lineItemId,
      productId: resourceId(item, "product_id"),
      variantId: resourceId(item, "variant_id"),
      quantity,
      giftCard: item.gift_card === true,
      merchandiseMinor: Math.max(0, gross - discounts - includedTax),
    };
  });
  const customer = isObject(payload.customer) && resourceId(payload.customer) ? parseCustomer(payload.customer) : null;
  return {
    orderId,
    name: text(payload.name),
    currency,
    customer,
    lines,
    cancelledAt: text(payload.cancelled_at),
    refunds: list(payload.refunds).map((refund) => parseRefund(refund, orderId)),
    discountCodes: list(payload.discount_codes)
      .map((discount) => text(discount.code))
      .filter((code): code is string => code !== null),
    attributes: Object.fromEntries(
      list(payload.note_attributes)
        .map((attribute) => [text(attribute.name), text(attribute.value)] as const)
        .filter((pair): pair is readonly [string, string] => pair[0] !== null && pair[1] !== null),
    ),
    email: text(payload.email) ?? text(payload.contact_email) ?? customer?.email ?? null,
    phone:
      text(payload.phone) ??
      (isObject(payload.customer) ? text(payload.customer.phone) : null) ??
      (isObject(payload.shipping_address) ? text(payload.shipping_address.phone) : null),
    shippingAddress: isObject(payload.shipping_address)
      ? {
          address1: text(payload.shipping_address.address1),
          address2: text(payload.shipping_address.address2),
          zip: text(payload.shipping_address.zip),
          countryCode: text(payload.shipping_address.country_code),
        }
      : null,
    totalMinor: orderTotal(payload, currency),
  };
}

export interface RedactRequest {
  customerId: string | null;
  email: string | null;
  requestId: string | null;
  ordersRequested: string[];
}

export function parseComplianceCustomer(payload: unknown): RedactRequest {
  if (!isObject(payload)) throw new PayloadError("compliance payload is not an object");
  const customer = isObject(payload.customer) ? payload.customer : {};
  const dataRequest = isObject(payload.data_request) ? payload.data_request : {};
  const orders = Array.isArray(payload.orders_requested) ? payload.orders_requested : Array.isArray(payload.orders_to_redact) ? payload.orders_to_redact : [];
  return {
    customerId: resourceId(customer),
    email: text(customer.email),
    requestId: resourceId(dataRequest),
    ordersRequested: orders.map(String),
  };
}

export function parseScopes(payload: unknown): string[] {
  if (!isObject(payload) || !Array.isArray(payload.current)) throw new PayloadError("scopes payload has no current scopes");
  return payload.current.map(String);
}
