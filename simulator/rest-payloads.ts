// Shopify's REST JSON for webhook payloads (API 2026-01), rendered from the simulator's model.
// Money is a decimal string with the currency's decimals, and every amount has its `_set` twin
// with shop and presentment money (the simulator has no multi-currency, so both are the same).
import { formatMinor, proportion } from "./money";
import type { SimCustomer, SimLine, SimOrder, SimRefund, SimShop, SimTransaction } from "./types";

export const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

/** "2026-11-20T10:00:00-05:00": Shopify's REST timestamps, in the shop's time zone, to the second. */
export function shopTimestamp(date: Date, utcOffsetMinutes: number): string {
  const local = new Date(date.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = utcOffsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(utcOffsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function moneySet(minor: number, currency: string) {
  const amount = formatMinor(minor, currency);
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
}

/** `{ field: "1.00", field_set: {...} }` for one amount. */
function amount(field: string, minor: number, currency: string) {
  return { [field]: formatMinor(minor, currency), [`${field}_set`]: moneySet(minor, currency) };
}

const time = (shop: SimShop, date: Date | null) => (date ? shopTimestamp(date, shop.utcOffsetMinutes) : null);

export function customerJson(shop: SimShop, customer: SimCustomer) {
  return {
    id: customer.id,
    email: customer.email,
    created_at: time(shop, customer.createdAt),
    updated_at: time(shop, customer.updatedAt),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: customer.accountState,
    note: customer.note,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: false,
    phone: customer.phone,
    email_marketing_consent: customer.email ? consentJson(shop, customer) : null,
    locale: customer.locale,
    sms_marketing_consent: null,
    tags: customer.tags.join(", "),
    currency: shop.currency,
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", customer.id),
  };
}

const consentJson = (shop: SimShop, customer: SimCustomer) => ({
  state: customer.emailMarketing,
  opt_in_level: "single_opt_in",
  consent_updated_at: customer.emailMarketing === "not_subscribed" ? null : time(shop, customer.updatedAt),
});

/** customers/email_marketing_consent/update: the customer id, the address and the consent. */
export function emailConsentJson(shop: SimShop, customer: SimCustomer) {
  return { customer_id: customer.id, email_address: customer.email, email_marketing_consent: consentJson(shop, customer) };
}

/** customers/create and customers/update also carry the address book. */
export function customerWebhookJson(shop: SimShop, customer: SimCustomer) {
  return { ...customerJson(shop, customer), addresses: [] };
}

/** What is left of a line after refunds and cancellation. */
export function currentQuantity(order: SimOrder, line: SimLine): number {
  return order.cancelledAt ? 0 : line.quantity - line.refundedQuantity;
}

const lineNet = (line: SimLine) => line.priceMinor * line.quantity - line.discountMinor;

export function orderTotals(order: SimOrder) {
  const lineItems = order.lines.reduce((sum, line) => sum + line.priceMinor * line.quantity, 0);
  const discounts = order.lines.reduce((sum, line) => sum + line.discountMinor, 0);
  const tax = order.lines.reduce((sum, line) => sum + line.taxMinor, 0);
  const shipping = order.shippingLine?.priceMinor ?? 0;
  const subtotal = lineItems - discounts;
  const total = subtotal + shipping + (order.taxesIncluded ? 0 : tax);
  const refundedLines = order.refunds.flatMap((refund) => refund.lines);
  const refundedSubtotal = refundedLines.reduce((sum, line) => sum + line.subtotalMinor, 0);
  const refundedTax = refundedLines.reduce((sum, line) => sum + line.taxMinor, 0);
  const refundedShipping = order.refunds.reduce((sum, refund) => sum + refund.shippingMinor, 0);
  const currentSubtotal = subtotal - refundedSubtotal;
  const currentTax = tax - refundedTax;
  const currentShipping = shipping - refundedShipping;
  const currentDiscounts = order.lines.reduce((sum, line) => sum + proportion(line.discountMinor, 0, line.quantity - line.refundedQuantity, line.quantity), 0);
  const paid = order.transactions.filter((t) => t.kind === "sale").reduce((sum, t) => sum + t.amountMinor, 0);
  const refunded = order.transactions.filter((t) => t.kind === "refund").reduce((sum, t) => sum + t.amountMinor, 0);
  return {
    lineItems,
    discounts,
    tax,
    shipping,
    subtotal,
    total,
    currentSubtotal,
    currentTax,
    currentDiscounts,
    currentTotal: currentSubtotal + currentShipping + (order.taxesIncluded ? 0 : currentTax),
    outstanding: Math.max(0, total - paid),
    received: paid,
    refunded,
  };
}

/** How much of the line a refund of `quantity` more units returns, so that all refunds add up to the line. */
export function refundShareOfLine(line: SimLine, quantity: number) {
  return {
    subtotalMinor: proportion(lineNet(line), line.refundedQuantity, quantity, line.quantity),
    taxMinor: proportion(line.taxMinor, line.refundedQuantity, quantity, line.quantity),
  };
}

function lineItemJson(order: SimOrder, line: SimLine) {
  const c = order.currency;
  const fulfillable = Math.max(0, currentQuantity(order, line) - line.fulfilledQuantity);
  return {
    id: line.id,
    admin_graphql_api_id: gid("LineItem", line.id),
    attributed_staffs: [],
    current_quantity: currentQuantity(order, line),
    fulfillable_quantity: fulfillable,
    fulfillment_service: "manual",
    fulfillment_status: line.fulfilledQuantity === 0 ? null : line.fulfilledQuantity >= line.quantity ? "fulfilled" : "partial",
    gift_card: line.giftCard,
    grams: 0,
    name: line.title,
    ...amount("price", line.priceMinor, c),
    product_exists: line.productId !== null,
    product_id: line.productId,
    properties: [],
    quantity: line.quantity,
    requires_shipping: !line.giftCard,
    sku: line.sku,
    taxable: line.taxMinor > 0,
    title: line.title,
    ...amount("total_discount", 0, c),
    variant_id: line.variantId,
    variant_inventory_management: null,
    variant_title: null,
    vendor: null,
    tax_lines: line.taxMinor > 0 ? [{ channel_liable: false, ...amount("price", line.taxMinor, c), rate: line.taxRate, title: "Tax" }] : [],
    duties: [],
    discount_allocations: line.discountMinor > 0 ? [{ ...amount("amount", line.discountMinor, c), discount_application_index: 0 }] : [],
  };
}

function transactionJson(shop: SimShop, order: SimOrder, transaction: SimTransaction) {
  return {
    id: transaction.id,
    admin_graphql_api_id: gid("OrderTransaction", transaction.id),
    order_id: order.id,
    kind: transaction.kind,
    gateway: "bogus",
    status: "success",
    message: transaction.kind === "refund" ? "Bogus Gateway: Forced success" : null,
    created_at: time(shop, transaction.createdAt),
    processed_at: time(shop, transaction.createdAt),
    test: true,
    authorization: null,
    parent_id: transaction.parentId,
    amount: formatMinor(transaction.amountMinor, order.currency),
    currency: order.currency,
    source_name: "web",
    location_id: null,
    device_id: null,
    user_id: null,
    error_code: null,
  };
}

export function refundJson(shop: SimShop, order: SimOrder, refund: SimRefund) {
  const c = order.currency;
  const linesById = new Map(order.lines.map((line) => [line.id, line]));
  return {
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    order_id: order.id,
    created_at: time(shop, refund.createdAt),
    processed_at: time(shop, refund.createdAt),
    note: refund.note,
    user_id: null,
    restock: refund.lines.some((line) => line.restockType !== "no_restock"),
    duties: [],
    total_duties_set: moneySet(0, c),
    additional_fees: [],
    return: null,
    refund_line_items: refund.lines.map((line) => ({
      id: line.id,
      line_item_id: line.lineId,
      location_id: null,
      quantity: line.quantity,
      restock_type: line.restockType,
      ...amount("subtotal", line.subtotalMinor, c),
      ...amount("total_tax", line.taxMinor, c),
      line_item: lineItemJson(order, linesById.get(line.lineId)!),
    })),
    refund_shipping_lines:
      refund.shippingRefundLineId !== null && order.shippingLine
        ? [
            {
              id: refund.shippingRefundLineId,
              shipping_line_id: order.shippingLine.id,
              ...amount("amount", refund.shippingMinor, c),
              subtotal_amount_set: moneySet(refund.shippingMinor, c),
              tax_amount_set: moneySet(0, c),
            },
          ]
        : [],
    transactions: refund.transaction ? [transactionJson(shop, order, refund.transaction)] : [],
    order_adjustments: [],
  };
}

export function orderJson(shop: SimShop, order: SimOrder) {
  const c = order.currency;
  const totals = orderTotals(order);
  const customer = order.customerId === null ? null : (shop.customers.get(order.customerId) ?? null);
  const fulfilled = order.lines.reduce((sum, line) => sum + line.fulfilledQuantity, 0);
  const fulfillable = order.lines.reduce((sum, line) => sum + currentQuantity(order, line), 0);
  const hasLineDiscounts = order.lines.some((line) => line.discountMinor > 0);
  const code = order.discountCodes[0];
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: 580111,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: order.cancelReason,
    cancelled_at: time(shop, order.cancelledAt),
    cart_token: null,
    checkout_id: order.checkoutId,
    checkout_token: order.token,
    closed_at: null,
    confirmation_number: order.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: order.email,
    created_at: time(shop, order.createdAt),
    currency: c,
    ...amount("current_subtotal_price", totals.currentSubtotal, c),
    ...amount("current_total_discounts", totals.currentDiscounts, c),
    ...amount("current_total_price", totals.currentTotal, c),
    ...amount("current_total_tax", totals.currentTax, c),
    customer_locale: "en",
    discount_codes: code ? [{ code, amount: formatMinor(totals.discounts, c), type: "fixed_amount" }] : [],
    email: order.email,
    estimated_taxes: false,
    financial_status: order.financialStatus,
    fulfillment_status: fulfilled === 0 ? null : fulfilled >= fulfillable ? "fulfilled" : "partial",
    landing_site: null,
    name: order.name,
    note: order.note,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${shop.domain}/${shop.id}/orders/${order.token}/authenticate?key=${order.token}`,
    payment_gateway_names: ["bogus"],
    phone: null,
    presentment_currency: c,
    processed_at: time(shop, order.createdAt),
    source_name: "web",
    ...amount("subtotal_price", totals.subtotal, c),
    tags: order.tags.join(", "),
    tax_lines:
      totals.tax > 0
        ? [{ ...amount("price", totals.tax, c), rate: order.lines.find((l) => l.taxMinor > 0)?.taxRate ?? 0, title: "Tax", channel_liable: false }]
        : [],
    taxes_included: order.taxesIncluded,
    test: true,
    token: order.token,
    ...amount("total_discounts", totals.discounts, c),
    ...amount("total_line_items_price", totals.lineItems, c),
    total_outstanding: formatMinor(totals.outstanding, c),
    ...amount("total_price", totals.total, c),
    total_shipping_price_set: moneySet(totals.shipping, c),
    ...amount("total_tax", totals.tax, c),
    total_tip_received: formatMinor(0, c),
    total_weight: 0,
    updated_at: time(shop, order.updatedAt),
    user_id: null,
    billing_address: null,
    customer: customer ? customerJson(shop, customer) : null,
    discount_applications: hasLineDiscounts
      ? [
          code
            ? {
                target_type: "line_item",
                type: "discount_code",
                value: formatMinor(totals.discounts, c),
                value_type: "fixed_amount",
                allocation_method: "across",
                target_selection: "all",
                code,
              }
            : {
                target_type: "line_item",
                type: "manual",
                value: formatMinor(totals.discounts, c),
                value_type: "fixed_amount",
                allocation_method: "across",
                target_selection: "explicit",
                title: "Discount",
                description: "Discount",
              },
        ]
      : [],
    fulfillments: order.fulfillments.map((fulfillment) => ({
      id: fulfillment.id,
      admin_graphql_api_id: gid("Fulfillment", fulfillment.id),
      created_at: time(shop, fulfillment.createdAt),
      location_id: null,
      name: fulfillment.name,
      order_id: order.id,
      service: "manual",
      shipment_status: null,
      status: "success",
      tracking_company: null,
      tracking_number: null,
      tracking_numbers: [],
      tracking_url: null,
      tracking_urls: [],
      updated_at: time(shop, fulfillment.createdAt),
      line_items: fulfillment.lines.map(({ lineId, quantity }) => ({
        ...lineItemJson(
          order,
          order.lines.find((line) => line.id === lineId)!,
        ),
        quantity,
      })),
    })),
    line_items: order.lines.map((line) => lineItemJson(order, line)),
    payment_terms: null,
    refunds: order.refunds.map((refund) => refundJson(shop, order, refund)),
    shipping_address: null,
    shipping_lines: order.shippingLine
      ? [
          {
            id: order.shippingLine.id,
            carrier_identifier: null,
            code: order.shippingLine.title,
            discounted_price: formatMinor(order.shippingLine.priceMinor, c),
            discounted_price_set: moneySet(order.shippingLine.priceMinor, c),
            is_removed: false,
            phone: null,
            ...amount("price", order.shippingLine.priceMinor, c),
            requested_fulfillment_service_id: null,
            source: "shopify",
            title: order.shippingLine.title,
            tax_lines: [],
            discount_allocations: [],
          },
        ]
      : [],
  };
}

// Etc/GMT+5 is five hours behind UTC: the sign is inverted by definition.
const ianaZone = (offset: number) => (offset === 0 ? "Etc/UTC" : offset % 60 === 0 ? `Etc/GMT${offset < 0 ? "+" : "-"}${Math.abs(offset) / 60}` : "Etc/UTC");

/** The shop resource, as app/uninstalled carries it. */
export function shopJson(shop: SimShop) {
  return {
    id: shop.id,
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    created_at: time(shop, shop.createdAt),
    updated_at: time(shop, shop.createdAt),
    currency: shop.currency,
    enabled_presentment_currencies: [shop.currency],
    customer_email: shop.email,
    iana_timezone: ianaZone(shop.utcOffsetMinutes),
    money_format: `{{amount}} ${shop.currency}`,
    money_with_currency_format: `{{amount}} ${shop.currency}`,
    plan_name: "partner_test",
    plan_display_name: "Development",
    country_code: "US",
    primary_locale: "en",
    taxes_included: false,
    has_discounts: shop.discounts.size > 0,
    password_enabled: false,
    setup_required: false,
  };
}
