import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cartLinesDiscountsGenerateRun } from "../extensions/capped-percentage-discount/src/index";
import { balanceOf } from "./support/members";
import { checkoutSessionToken } from "./support/remix-app";
import { useExtensionApi } from "./support/simulated-shop";

// The two rewards a plain discount code cannot express, redeemed through the checkout API of the
// production build against the simulator's schema-checked Admin API: a percentage with a cap (an
// app discount code served by the capped-percentage Shopify Function) and a free product (one unit).

const SHOP = "capped-rewards.myshopify.com";
const OTHER = "capped-rewards-other.myshopify.com";

const fixture = useExtensionApi([SHOP, OTHER], checkoutSessionToken);
const redeem = (token: string, rewardId: number) =>
  fixture.call("/api/checkout/redemptions", { token, method: "POST", body: { rewardId, idempotencyKey: randomUUID() } });

const addReward = (columns: Record<string, string | number | null>) => fixture.shop.addReward(columns);

const simulatedShop = () => fixture.simulator.store.shop(SHOP);

describe("a percentage reward with a cap", () => {
  it("becomes a single-use app discount code for the customer, run by the function with the reward's settings", async () => {
    const rewardId = await addReward({
      name: "10% off, up to 20",
      kind: "percentage",
      points_cost: 800,
      value_minor: 0,
      percent_off: 10,
      max_discount_minor: 2000,
      minimum_subtotal_minor: 5000,
    });
    const shopper = await fixture.shop.shopper(1000);
    const response = await redeem(shopper.token(), rewardId);
    expect(response).toMatchObject({ status: 201, body: { ok: true, balance: 200, redemption: { status: "issued", points: 800 } } });

    const [discount] = fixture.shop.discounts().filter((d) => d.code === response.body.redemption.code);
    expect(discount).toMatchObject({
      kind: "app",
      functionHandle: "capped-percentage-discount",
      discountClasses: ["ORDER"],
      usageLimit: 1,
      appliesOncePerCustomer: true,
      customerIds: [Number(shopper.customerId)],
    });
    // The settings travel with the code, as Shopify hands them to the function.
    const metafield = simulatedShop().metafields.find((m) => m.ownerId === `gid://shopify/DiscountCodeNode/${discount.id}`)!;
    expect(metafield).toMatchObject({ namespace: "app--9990001--loyalty", key: "capped-percentage", type: "json" });
    const atCheckout = (subtotal: string) =>
      cartLinesDiscountsGenerateRun({
        cart: { cost: { subtotalAmount: { amount: subtotal, currencyCode: "USD" } } },
        discount: { discountClasses: discount.discountClasses!, metafield: { jsonValue: JSON.parse(metafield.value) } },
        presentmentCurrencyRate: "1.0",
      }).operations[0]?.orderDiscountsAdd.candidates[0].value ?? null;
    expect(atCheckout("120.00")).toEqual({ percentage: { value: 10 } });
    expect(atCheckout("450.00")).toEqual({ fixedAmount: { amount: "20.00" } });
    expect(atCheckout("49.00")).toBeNull();
  });

  it("is deleted from Shopify when the shopper cancels it, and the points come back", async () => {
    const rewardId = await addReward({ name: "5% capped", kind: "percentage", points_cost: 300, value_minor: 0, percent_off: 5, max_discount_minor: 1000 });
    const shopper = await fixture.shop.shopper(300);
    const { body } = await redeem(shopper.token(), rewardId);
    expect(fixture.shop.discounts().some((d) => d.code === body.redemption.code)).toBe(true);
    const returned = await fixture.call(`/api/checkout/redemptions/${body.redemption.id}/return`, { token: shopper.token(), method: "POST" });
    expect(returned).toMatchObject({ status: 200, body: { ok: true, balance: 300, redemption: { status: "cancelled" } } });
    expect(fixture.shop.discounts().some((d) => d.code === body.redemption.code)).toBe(false);
  });
});

describe("a free product reward", () => {
  it("takes one unit's current price off that variant only, not every unit in the cart", async () => {
    const product = fixture.simulator.store.addProduct(SHOP, { title: "Tote bag", price: "18.50" });
    const rewardId = await addReward({
      name: "A free tote",
      kind: "free_product",
      points_cost: 1500,
      value_minor: 0,
      product_variant_id: `gid://shopify/ProductVariant/${product.variantId}`,
    });
    const shopper = await fixture.shop.shopper(1500);
    const response = await redeem(shopper.token(), rewardId);
    expect(response).toMatchObject({ status: 201, body: { ok: true, balance: 0 } });
    const [discount] = fixture.shop.discounts().filter((d) => d.code === response.body.redemption.code);
    expect(discount).toMatchObject({
      kind: "basic",
      entitledVariantIds: [product.variantId],
      value: { kind: "amount", amountMinor: 1850, appliesOnEachItem: false },
      customerIds: [Number(shopper.customerId)],
      usageLimit: 1,
    });
  });

  it("gives the points straight back, with a clear message, when the variant no longer exists", async () => {
    const rewardId = await addReward({
      name: "A discontinued mug",
      kind: "free_product",
      points_cost: 700,
      value_minor: 0,
      product_variant_id: "gid://shopify/ProductVariant/123",
    });
    const shopper = await fixture.shop.shopper(1000);
    const response = await redeem(shopper.token(), rewardId);
    expect(response).toMatchObject({
      status: 502,
      body: {
        ok: false,
        error: "discount_not_created",
        balance: 1000,
        redemption: { status: "failed", failureReason: "the reward's product variant no longer exists" },
      },
    });
    expect(response.body.message).toMatch(/points are back/);
    expect(await balanceOf(fixture.database.db, shopper.id)).toBe(1000);
  });
});
