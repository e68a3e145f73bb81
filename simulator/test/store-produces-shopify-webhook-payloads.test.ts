import { describe, expect, it } from "vitest";
import { parseCustomer, parseEmailConsent, parseOrder, parseRefund } from "../../app/webhooks/payloads";
import { customerPayload, orderPayload, refundPayload } from "../../test/support/shopify-payloads";
import { SimulatedStore } from "../store";

const fixedClock = () => new Date("2026-11-20T15:00:00Z");

function storeWithShop(currency = "USD", domain = "sim-shop.myshopify.com") {
  const store = new SimulatedStore({ now: fixedClock });
  store.createShop({ domain, currency, utcOffsetMinutes: -300 });
  const customer = store.createCustomer(domain, { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", tags: ["vip"] }).value;
  return { store, domain, customer };
}

/** Every key path of `reference` (arrays by their first element) that `actual` lacks. */
function missingKeys(reference: unknown, actual: unknown, path = ""): string[] {
  if (Array.isArray(reference)) {
    if (!reference.length) return [];
    if (!Array.isArray(actual) || !actual.length) return [`${path}[] (empty or not an array)`];
    return missingKeys(reference[0], actual[0], `${path}[]`);
  }
  if (reference && typeof reference === "object") {
    if (!actual || typeof actual !== "object") return [`${path} (not an object)`];
    return Object.entries(reference).flatMap(([key, value]) =>
      key in actual ? missingKeys(value, (actual as Record<string, unknown>)[key], `${path}.${key}`) : [`${path}.${key}`],
    );
  }
  return [];
}

describe("order payloads", () => {
  it("carry every field the app's payload factories model, with an admin_graphql_api_id", () => {
    const { store, domain, customer } = storeWithShop();
    const { events } = store.placeOrder(domain, {
      customerId: customer.id,
      lines: [
        { title: "Tea", price: "40.00", quantity: 2, discount: "8.00", tax: "5.76" },
        { title: "Cup", price: "25.50" },
      ],
      shipping: "5.00",
      paid: true,
    });
    expect(events.map((event) => event.topic)).toEqual(["orders/create", "orders/paid", "orders/updated"]);
    const paid = events[1].payload;
    const reference = orderPayload({ lines: [{ price: "40.00", quantity: 2, discount: "8.00", tax: "5.76" }, { price: "25.50" }] });
    expect(missingKeys(reference, paid)).toEqual([]);
    expect(paid.admin_graphql_api_id).toBe(`gid://shopify/Order/${paid.id}`);
    expect(paid).toMatchObject({
      financial_status: "paid",
      total_line_items_price: "105.50",
      total_discounts: "8.00",
      subtotal_price: "97.50",
      total_tax: "5.76",
      total_price: "108.26",
      total_price_set: { shop_money: { amount: "108.26", currency_code: "USD" }, presentment_money: { amount: "108.26", currency_code: "USD" } },
      created_at: "2026-11-20T10:00:00-05:00",
      name: "#1001",
    });
  });

  it("are read by the app's parser as the order that was placed", () => {
    const { store, domain, customer } = storeWithShop();
    const order = store.placeOrder(domain, {
      customerId: customer.id,
      lines: [
        { title: "Tea", price: "40.00", quantity: 2, discount: "8.00" },
        { title: "Gift card", price: "25.00", giftCard: true },
      ],
      paid: true,
    }).value;
    const parsed = parseOrder(store.placeOrder(domain, { lines: [{ price: "1.00" }] }).events[0].payload);
    expect(parsed.customer).toBeNull();
    const paid = parseOrder(store.fulfilOrder(domain, order.id).events[0].payload);
    expect(paid).toMatchObject({
      orderId: String(order.id),
      currency: "USD",
      customer: { customerId: String(customer.id), email: "ada@example.com", tags: ["vip"] },
      lines: [
        { lineItemId: String(order.lines[0].id), quantity: 2, giftCard: false, merchandiseMinor: 7200 },
        { lineItemId: String(order.lines[1].id), quantity: 1, giftCard: true, merchandiseMinor: 2500 },
      ],
    });
  });

  it.each([
    ["JPY", "1500", "3000", "2", "3000"],
    ["KWD", "2.125", "4.250", "2", "4.250"],
    ["USD", "0.10", "0.30", "3", "0.30"],
  ])("write %s amounts with the currency's decimals", (currency, price, expectedTotal, quantity, expectedSubtotal) => {
    const { store, domain } = storeWithShop(currency);
    const { events } = store.placeOrder(domain, { lines: [{ price, quantity: Number(quantity) }] });
    const payload = events[0].payload as ReturnType<typeof orderPayload> & Record<string, unknown>;
    expect(payload.line_items[0].price).toBe(price);
    expect(payload.total_price).toBe(expectedTotal);
    expect(payload.subtotal_price).toBe(expectedSubtotal);
    expect(payload.line_items[0].price_set.shop_money).toEqual({ amount: price, currency_code: currency });
  });

  it("refuse an amount more precise than the currency", () => {
    const { store, domain } = storeWithShop("JPY");
    expect(() => store.placeOrder(domain, { lines: [{ price: "10.5" }] })).toThrow(/JPY \(0 decimals\)/);
  });
});

describe("refunds", () => {
  it("split a discounted line so that partial refunds add up to the line exactly", () => {
    const { store, domain, customer } = storeWithShop();
    const order = store.placeOrder(domain, {
      customerId: customer.id,
      lines: [{ title: "Pens", price: "10.00", quantity: 3, discount: "1.00", tax: "2.00" }],
      paid: true,
    }).value;
    const line = order.lines[0];
    const first = store.refundOrder(domain, order.id, { lines: [{ lineItemId: line.id, quantity: 1 }] });
    const second = store.refundOrder(domain, order.id, { lines: [{ lineItemId: line.id, quantity: 2 }] });
    expect(first.events.map((event) => event.topic)).toEqual(["refunds/create", "orders/updated"]);
    const amounts = [first, second].map((refund) => {
      const item = (refund.events[0].payload.refund_line_items as { subtotal: string; total_tax: string; quantity: number }[])[0];
      return [item.quantity, item.subtotal, item.total_tax];
    });
    expect(amounts).toEqual([
      [1, "9.67", "0.67"],
      [2, "19.33", "1.33"],
    ]);
    expect(parseRefund(second.events[0].payload)).toEqual({
      refundId: String(second.value.id),
      orderId: String(order.id),
      lines: [{ lineItemId: String(line.id), quantity: 2 }],
    });
    const updated = second.events[1].payload;
    expect(updated).toMatchObject({ financial_status: "refunded", current_total_price: "0.00" });
    expect((updated.line_items as { current_quantity: number }[])[0].current_quantity).toBe(0);
  });

  it("have the factory's shape", () => {
    const { store, domain } = storeWithShop();
    const order = store.placeOrder(domain, { lines: [{ price: "40.00", quantity: 2, discount: "8.00", tax: "2.00" }], paid: true }).value;
    const refund = store.refundOrder(domain, order.id, { lines: [{ lineItemId: order.lines[0].id, quantity: 1 }] }).events[0].payload;
    expect(missingKeys(refundPayload(orderPayload(), [[0, 1]]), refund)).toEqual([]);
    expect(refund.transactions).toMatchObject([{ kind: "refund", amount: "37.00", status: "success" }]);
  });

  it("refuse more units than are left", () => {
    const { store, domain } = storeWithShop();
    const order = store.placeOrder(domain, { lines: [{ price: "5.00", quantity: 2 }], paid: true }).value;
    store.refundOrder(domain, order.id, { lines: [{ lineItemId: order.lines[0].id, quantity: 2 }] });
    expect(() => store.refundOrder(domain, order.id, { lines: [{ lineItemId: order.lines[0].id, quantity: 1 }] })).toThrow(/0 refundable unit/);
  });
});

describe("cancelling", () => {
  it("refunds a paid order in full before announcing the cancellation", () => {
    const { store, domain, customer } = storeWithShop();
    const order = store.placeOrder(domain, { customerId: customer.id, lines: [{ price: "12.00", quantity: 2 }], shipping: "3.00", paid: true }).value;
    const { events } = store.cancelOrder(domain, order.id, { reason: "customer" });
    expect(events.map((event) => event.topic)).toEqual(["refunds/create", "orders/cancelled", "orders/updated"]);
    expect(events[0].payload.transactions).toMatchObject([{ kind: "refund", amount: "27.00" }]);
    expect(events[1].payload).toMatchObject({ cancel_reason: "customer", financial_status: "refunded", cancelled_at: "2026-11-20T10:00:00-05:00" });
    expect(parseOrder(events[1].payload).cancelledAt).toBe("2026-11-20T10:00:00-05:00");
  });

  it("voids an unpaid order without a refund", () => {
    const { store, domain } = storeWithShop();
    const order = store.placeOrder(domain, { lines: [{ price: "12.00" }] }).value;
    const { events } = store.cancelOrder(domain, order.id);
    expect(events.map((event) => event.topic)).toEqual(["orders/cancelled", "orders/updated"]);
    expect(events[0].payload.financial_status).toBe("voided");
  });
});

describe("customers", () => {
  it("announce creation and updates in the factory's shape, tags as Shopify's comma list", () => {
    const { store, domain } = storeWithShop();
    const created = store.createCustomer(domain, { email: "grace@example.com", firstName: "Grace", tags: ["b", "a"] });
    expect(created.events[0].topic).toBe("customers/create");
    expect(missingKeys(customerPayload(), created.events[0].payload)).toEqual([]);
    expect(created.events[0].payload.tags).toBe("a, b");
    const updated = store.updateCustomer(domain, created.value.id, { lastName: "Hopper", tags: ["gold"] });
    expect(updated.events[0].topic).toBe("customers/update");
    expect(parseCustomer(updated.events[0].payload)).toMatchObject({ lastName: "Hopper", tags: ["gold"] });
  });

  it("say whether the customer has an account, and announce it being enabled, as the app reads them", () => {
    const { store, domain } = storeWithShop();
    const signedUp = store.createCustomer(domain, { email: "kat@example.com", accountState: "enabled" });
    expect(parseCustomer(signedUp.events[0].payload)).toMatchObject({ accountState: "enabled", emailMarketingState: "not_subscribed" });
    const added = store.createCustomer(domain, { email: "dot@example.com" });
    expect(parseCustomer(added.events[0].payload).accountState).toBe("disabled");
    const enabled = store.enableCustomer(domain, added.value.id);
    expect(enabled.events[0].topic).toBe("customers/enable");
    expect(parseCustomer(enabled.events[0].payload).accountState).toBe("enabled");
    expect(() => store.createCustomer(domain, { email: "x@example.com", accountState: "active" as never })).toThrow(/accountState must be one of/);
  });

  it("announce an email marketing consent change on its own topic, as the app reads it", () => {
    const { store, domain, customer } = storeWithShop();
    const { events } = store.setEmailConsent(domain, customer.id, "subscribed");
    expect(events[0].topic).toBe("customers/email_marketing_consent/update");
    expect(parseEmailConsent(events[0].payload)).toEqual({
      customerId: String(customer.id),
      email: "ada@example.com",
      state: "subscribed",
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(parseCustomer(store.updateCustomer(domain, customer.id, {}).events[0].payload).emailMarketingState).toBe("subscribed");
    expect(parseCustomer(store.updateCustomer(domain, customer.id, { locale: "he" }).events[0].payload).locale).toBe("he");
    expect(() => store.updateCustomer(domain, customer.id, { locale: "Hebrew please" })).toThrow(/locale must be a language tag/);
    expect(() => store.setEmailConsent(domain, customer.id, "yes please")).toThrow(/state must be one of/);
  });

  it("refuse an email another customer of the same shop has", () => {
    const { store, domain } = storeWithShop();
    expect(() => store.createCustomer(domain, { email: "ADA@example.com" })).toThrow(/already been taken/);
  });
});

describe("several shops", () => {
  it("hand out ids unique across shops and keep each shop's orders apart", () => {
    const store = new SimulatedStore({ now: fixedClock });
    store.createShop({ domain: "one.myshopify.com" });
    store.createShop({ domain: "two.myshopify.com", currency: "EUR" });
    const a = store.placeOrder("one.myshopify.com", { lines: [{ price: "1.00" }] }).value;
    const b = store.placeOrder("two.myshopify.com", { lines: [{ price: "1.00" }] }).value;
    expect(a.id).not.toBe(b.id);
    expect(a.name).toBe(b.name);
    expect(() => store.payOrder("two.myshopify.com", a.id)).toThrow(/no order/);
    expect(b.currency).toBe("EUR");
  });
});
