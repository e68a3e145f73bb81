// Factories for webhook payloads in the shape Shopify sends them (REST JSON, API 2026-01).
// Tests start from one realistic order and vary one field at a time.

let nextId = 5_000_000_000_000;
export const newId = () => ++nextId;

export interface LineSpec {
  price: string;
  quantity?: number;
  discount?: string;
  tax?: string;
  productId?: number;
  variantId?: number;
  giftCard?: boolean;
}

const money = (amount: string, currency: string) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount, currency_code: currency },
});

export function lineItem(spec: LineSpec, currency: string) {
  const id = newId();
  const productId = spec.productId ?? newId();
  return {
    id,
    admin_graphql_api_id: `gid://shopify/LineItem/${id}`,
    product_id: productId,
    variant_id: spec.variantId ?? newId(),
    title: `Product ${productId}`,
    quantity: spec.quantity ?? 1,
    current_quantity: spec.quantity ?? 1,
    price: spec.price,
    price_set: money(spec.price, currency),
    gift_card: spec.giftCard ?? false,
    taxable: true,
    total_discount: "0.00",
    total_discount_set: money("0.00", currency),
    discount_allocations: spec.discount ? [{ amount: spec.discount, amount_set: money(spec.discount, currency), discount_application_index: 0 }] : [],
    tax_lines: spec.tax ? [{ title: "VAT", rate: 0.2, price: spec.tax, price_set: money(spec.tax, currency) }] : [],
  };
}

export interface OrderSpec {
  id?: number;
  currency?: string;
  lines?: LineSpec[];
  customerId?: number | null;
  customerTags?: string;
  shipping?: string;
  totalTax?: string;
  taxesIncluded?: boolean;
  cancelledAt?: string | null;
  /** Refund payloads (refundPayload) the order already carries. */
  refunds?: Record<string, unknown>[];
}

/** An order with a customer, two discounted lines, shipping and tax. */
export function orderPayload(spec: OrderSpec = {}) {
  const currency = spec.currency ?? "USD";
  const id = spec.id ?? newId();
  const lines = (
    spec.lines ?? [
      { price: "40.00", quantity: 2, discount: "8.00" },
      { price: "25.50", quantity: 1 },
    ]
  ).map((line) => lineItem(line, currency));
  const customerId = spec.customerId === undefined ? newId() : spec.customerId;
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${1000 + (id % 9000)}`,
    email: "shopper@example.com",
    created_at: "2026-11-20T10:00:00-05:00",
    updated_at: "2026-11-20T10:00:05-05:00",
    cancelled_at: spec.cancelledAt ?? null,
    currency,
    presentment_currency: currency,
    financial_status: "paid",
    taxes_included: spec.taxesIncluded ?? false,
    total_tax: spec.totalTax ?? "7.30",
    total_tax_set: money(spec.totalTax ?? "7.30", currency),
    line_items: lines,
    shipping_lines: [
      { id: newId(), title: "Standard", price: spec.shipping ?? "5.00", price_set: money(spec.shipping ?? "5.00", currency), discount_allocations: [] },
    ],
    customer:
      customerId === null
        ? null
        : {
            id: customerId,
            admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
            email: `customer${customerId}@example.com`,
            first_name: "Ada",
            last_name: "Lovelace",
            tags: spec.customerTags ?? "",
            updated_at: "2026-11-20T10:00:00-05:00",
          },
    refunds: spec.refunds ?? [],
  };
}

export type OrderPayload = ReturnType<typeof orderPayload>;

/** A refund of some units of an order's lines: [[lineIndex, quantity], ...]. */
export function refundPayload(order: OrderPayload, units: [number, number][], id = newId()) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Refund/${id}`,
    order_id: order.id,
    created_at: "2026-11-21T09:00:00-05:00",
    note: "Customer return",
    restock: true,
    refund_line_items: units.map(([index, quantity]) => {
      const line = order.line_items[index];
      const subtotal = (Number(line.price) * quantity).toFixed(2);
      return {
        id: newId(),
        line_item_id: line.id,
        quantity,
        restock_type: "return",
        subtotal,
        subtotal_set: money(subtotal, order.currency),
        total_tax: "0.00",
        total_tax_set: money("0.00", order.currency),
        line_item: line,
      };
    }),
    transactions: [],
    order_adjustments: [],
  };
}

export interface CustomerSpec {
  id?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
  tags?: string;
  updatedAt?: string;
  /** The account's state: "disabled" (no account yet), "invited", "enabled" (the customer made one), "declined". */
  state?: "disabled" | "invited" | "enabled" | "declined";
  /** Email marketing consent; omitted: the payload has none. */
  emailMarketing?: "subscribed" | "not_subscribed" | "unsubscribed" | "pending";
  /** The customer's language; omitted: the payload has none. */
  locale?: string;
}

export function customerPayload(spec: CustomerSpec = {}) {
  const id = spec.id ?? newId();
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    email: spec.email ?? `customer${id}@example.com`,
    first_name: spec.firstName ?? "Grace",
    last_name: spec.lastName ?? "Hopper",
    tags: spec.tags ?? "",
    created_at: "2026-11-01T10:00:00-05:00",
    updated_at: spec.updatedAt ?? "2026-11-01T10:00:00-05:00",
    ...(spec.state ? { state: spec.state } : {}),
    ...(spec.emailMarketing ? { email_marketing_consent: marketingConsent(spec.emailMarketing, spec.updatedAt) } : {}),
    ...(spec.locale ? { locale: spec.locale } : {}),
  };
}

const marketingConsent = (state: string, changedAt = "2026-11-01T10:00:00-05:00") => ({ state, opt_in_level: "single_opt_in", consent_updated_at: changedAt });

/** customers/email_marketing_consent/update: the customer's id and email and the new consent (changed at `changedAt`). */
export function emailConsentPayload(customerId: number, state: "subscribed" | "not_subscribed" | "unsubscribed" | "pending", changedAt?: string) {
  return { customer_id: customerId, email_address: `customer${customerId}@example.com`, email_marketing_consent: marketingConsent(state, changedAt) };
}
