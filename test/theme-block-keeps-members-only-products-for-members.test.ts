import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tierAccessMetafieldValue, type TierAccessRule } from "../app/domain/tier-access";
import {
  blockSchema,
  EXTENSION_DIR,
  liquidProduct,
  lookup,
  readLocale,
  renderBlock,
  storefrontApp,
  storefrontCustomer,
  STOREFRONT_LOCALES,
  type LiquidProduct,
  type StorefrontCustomer,
  type StorefrontLocale,
} from "../simulator/theme-renderer";
import { tierConfig, tierProgramConfig } from "./support/tiers";

// The members-only block on a product page, rendered as Shopify renders it: the rules from the
// app's loyalty.access metafield (built by the app's own tierAccessMetafieldValue), the shopper's
// tier from their $app:loyalty.tier metafield. Shoppers who may buy see nothing; everyone else sees
// who may and how to get there, and the section's buy buttons are hidden.

const PROGRAM = tierProgramConfig([
  tierConfig(1, "Silver", { names: { en: "Silver", he: "כסף" } }),
  tierConfig(2, "Gold", { names: { en: "Gold", he: "זהב", da: "Guld" } }),
  tierConfig(3, "Platinum"),
]);

let nextId = 1;
const rule = (targetType: "product" | "collection", id: number, minRank: number, until: string | null = null): TierAccessRule => ({
  id: nextId++,
  targetType,
  targetId: `gid://shopify/${targetType === "product" ? "Product" : "Collection"}/${id}`,
  targetTitle: "",
  minRank,
  until,
  createdAt: "2026-01-01T00:00:00.000Z",
});

/** The metafield as the app writes it. The block compares `until` with the real clock, so rules are dated far from today; the app side is asked at a fixed instant. */
const accessApp = (rules: TierAccessRule[]) => storefrontApp(null, { access: tierAccessMetafieldValue(rules, PROGRAM, new Date("2026-01-02T00:00:00.000Z")) });

/** A signed-in customer holding the tier of that rank (0: a member below the first tier). */
const memberAt = (rank: number) =>
  storefrontCustomer(7001, { points: 10, tier: rank === 0 ? { id: null, next: null } : { id: 100 + rank, rank, name: "x", names: {}, next: null } });

const TEA = 8001;
async function productPage(
  rules: TierAccessRule[],
  {
    customer = null as StorefrontCustomer | null,
    product = liquidProduct(TEA) as LiquidProduct | null,
    locale = "en" as StorefrontLocale,
    settings = {} as Record<string, unknown>,
  } = {},
) {
  return renderBlock("members-only", { app: accessApp(rules), customer, product, locale, settings, rootUrl: "/" });
}
/** The notice's text, tags removed. */
const noticeText = (page: string) =>
  (/<div\s+class="lyl lyl--access"[\s\S]*?<\/div>\s*(?=<style>)/.exec(page)?.[0] ?? "")
    .replace(/<\/?bdi>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
const HIDES_BUY_BUTTONS = /#shopify-section-template--1__main form\[action\*="\/cart\/add"\] \[type="submit"\]/;

describe("a members-only product", () => {
  it("shows a guest that members may buy it, with sign-in and join links, and hides the section's buy buttons", async () => {
    const page = await productPage([rule("product", TEA, 0)]);
    expect(noticeText(page)).toBe("Members only Sign in to buy it, or join our rewards programme. Sign in Join now");
    expect(page).toContain('<a class="lyl-btn" href="/account/login">Sign in</a>');
    expect(page).toContain('href="/account/register">Join now</a>');
    expect(page).toMatch(HIDES_BUY_BUTTONS);
    expect(page).toContain("#shopify-section-template--1__main .shopify-payment-button");
    expect(page).toContain('data-loyalty-access="0"');
  });

  it("shows nothing to a signed-in member, tier or not", async () => {
    expect((await productPage([rule("product", TEA, 0)], { customer: memberAt(0) })).trim()).toBe("");
    expect((await productPage([rule("product", TEA, 0)], { customer: storefrontCustomer(7002, null) })).trim()).toBe("");
  });

  it("shows nothing on other products, without rules, or off product pages", async () => {
    expect((await productPage([rule("product", 9999, 0)])).trim()).toBe("");
    expect((await productPage([])).trim()).toBe("");
    expect((await renderBlock("members-only", { product: liquidProduct(TEA) })).trim()).toBe("");
    expect((await productPage([rule("product", TEA, 0)], { product: null })).trim()).toBe("");
  });
});

describe("a tier-only product", () => {
  it("tells a member below the tier which tier buys it and their next tier on the way, with no sign-in links", async () => {
    const page = await productPage([rule("product", TEA, 3)], { customer: memberAt(1) });
    expect(noticeText(page)).toBe("Platinum members only Reach Platinum to buy it. Your next tier on the way: Gold.");
    expect(page).not.toContain("/account/login");
    expect(page).toMatch(HIDES_BUY_BUTTONS);
    expect(noticeText(await productPage([rule("product", TEA, 2)], { customer: memberAt(0) }))).toBe(
      "Gold members only Reach Gold to buy it. Your next tier on the way: Silver.",
    );
    expect(noticeText(await productPage([rule("product", TEA, 2)], { customer: memberAt(1) }))).toBe("Gold members only Reach Gold to buy it.");
  });

  it("shows nothing to a member at the tier or above", async () => {
    expect((await productPage([rule("product", TEA, 2)], { customer: memberAt(2) })).trim()).toBe("");
    expect((await productPage([rule("product", TEA, 2)], { customer: memberAt(3) })).trim()).toBe("");
  });

  it("tells a guest to sign in if they hold the tier, or to join and reach it", async () => {
    expect(noticeText(await productPage([rule("product", TEA, 2)]))).toBe(
      "Gold members only Already Gold? Sign in to buy it. New here? Join our rewards programme and reach Gold. Sign in Join now",
    );
  });
});

describe("early access", () => {
  it("says from which day everyone can buy, while it runs", async () => {
    const page = await productPage([rule("product", TEA, 2, "2099-12-10T00:00:00.000Z")], { customer: memberAt(1) });
    expect(noticeText(page)).toBe("Gold members only Early access: everyone can buy it from 10 Dec 2099. Reach Gold to buy it.");
  });

  it("shows nothing once the day has come, even before the app has rewritten the metafield", async () => {
    const ended = rule("product", TEA, 2, "2020-06-01T00:00:00.000Z");
    const stale = storefrontApp(null, {
      access: { rules: [{ type: "product", id: TEA, minRank: 2, until: ended.until, tier: { rank: 2, name: "Gold", names: { en: "Gold" } } }], tiers: [] },
    });
    expect((await renderBlock("members-only", { app: stale, product: liquidProduct(TEA) })).trim()).toBe("");
  });
});

describe("collection rules", () => {
  it("keep a product in the collection for the tier, and leave other products alone", async () => {
    const rules = [rule("collection", 42, 2)];
    expect(noticeText(await productPage(rules, { product: liquidProduct(TEA, [7, 42]), customer: memberAt(1) }))).toBe(
      "Gold members only Reach Gold to buy it.",
    );
    expect((await productPage(rules, { product: liquidProduct(TEA, [7]), customer: memberAt(1) })).trim()).toBe("");
  });

  it("take the strictest of the product's collections, skipping those whose early access is over", async () => {
    const rules = [rule("collection", 41, 1), rule("collection", 42, 3), rule("collection", 43, 3, "2020-01-01T00:00:00.000Z")];
    expect(noticeText(await productPage(rules, { product: liquidProduct(TEA, [41, 42]) }))).toMatch(/^Platinum members only/);
    expect(noticeText(await productPage(rules, { product: liquidProduct(TEA, [41, 43]) }))).toMatch(/^Silver members only/);
  });

  it("give way to the product's own rule, which decides alone", async () => {
    const rules = [rule("collection", 42, 3), rule("product", TEA, 0)];
    expect((await productPage(rules, { product: liquidProduct(TEA, [42]), customer: memberAt(0) })).trim()).toBe("");
  });

  it("once the product's own early access is over, count as removed: its collections' rules apply", async () => {
    const ended = rule("product", TEA, 1, "2020-01-01T00:00:00.000Z");
    const rules = [rule("collection", 42, 3), ended];
    expect(noticeText(await productPage(rules, { product: liquidProduct(TEA, [42]) }))).toMatch(/^Platinum members only/);
    // The same before the app has rewritten the metafield without it.
    const stale = tierAccessMetafieldValue([rule("collection", 42, 3)], PROGRAM, new Date("2026-01-02T00:00:00.000Z"));
    stale.rules.push({ type: "product", id: TEA, minRank: 1, until: ended.until, tier: null });
    const page = await renderBlock("members-only", { app: storefrontApp(null, { access: stale }), product: liquidProduct(TEA, [42]) });
    expect(noticeText(page)).toMatch(/^Platinum members only/);
  });
});

describe("languages and settings", () => {
  it("Hebrew: right-to-left, the tier's Hebrew name isolated, the date in Hebrew", async () => {
    const page = await productPage([rule("product", TEA, 2, "2099-12-10T00:00:00.000Z")], { locale: "he", customer: memberAt(0) });
    expect(page).toMatch(/<div\s+class="lyl lyl--access"\s+dir="rtl"/);
    expect(page).toContain("<strong>לחברי <bdi>זהב</bdi> בלבד</strong>");
    expect(noticeText(page)).toBe("לחברי זהב בלבד גישה מוקדמת: כולם יוכלו לקנות החל מ-10 בדצמבר 2099. הגיעו לזהב כדי לקנות. הדרגה הבאה שלכם בדרך: כסף.");
  });

  it.each(STOREFRONT_LOCALES)("%s: the notice in the shopper's language, falling back to the tier's name in the shop's language", async (locale) => {
    const page = await productPage([rule("product", TEA, 3)], { locale });
    const expected = lookup(readLocale(locale), "loyalty.access.tier_only")!.replace("%tier%", "<bdi>Platinum</bdi>");
    expect(page).toContain(`<strong>${expected}</strong>`);
    expect(page).toContain(`dir="${locale === "he" || locale === "ar" ? "rtl" : "ltr"}"`);
  });

  it("escapes the tier's name", async () => {
    const app = storefrontApp(null, {
      access: { rules: [{ type: "product", id: TEA, minRank: 1, until: null, tier: { rank: 1, name: "<b>Gold</b>", names: {} } }], tiers: [] },
    });
    const page = await renderBlock("members-only", { app, product: liquidProduct(TEA) });
    expect(page).toContain("&lt;b&gt;Gold&lt;/b&gt;");
    expect(page).not.toContain("<b>Gold</b>");
  });

  it("leaves the buy buttons alone when the merchant turns hiding off", async () => {
    const page = await productPage([rule("product", TEA, 0)], { settings: { hide_buy_buttons: false } });
    expect(noticeText(page)).toMatch(/^Members only/);
    expect(page).not.toContain("#shopify-section-");
  });

  it("every storefront and schema string the block uses exists in every locale; the schema is for product templates and states the limit", () => {
    const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks/members-only.liquid"), "utf8");
    const keys = [...source.matchAll(/'(loyalty\.[\w.]+)' \| t/g)].map((match) => match[1]);
    expect(keys).toEqual(expect.arrayContaining(["loyalty.access.members_only", "loyalty.access.tier_only", "loyalty.access.opens"]));
    for (const locale of STOREFRONT_LOCALES) for (const key of keys) expect(lookup(readLocale(locale), key), `${locale} ${key}`).toBeTypeOf("string");

    const schema = blockSchema("members-only") as ReturnType<typeof blockSchema> & { enabled_on?: { templates: string[] } };
    expect(schema).toMatchObject({ target: "section", enabled_on: { templates: ["product"] } });
    expect(schema.javascript).toBeUndefined();
    const texts = [schema.name, ...schema.settings.flatMap((setting) => [setting.label, setting.info, setting.content])].filter(
      (x): x is string => typeof x === "string",
    );
    for (const locale of STOREFRONT_LOCALES) {
      for (const text of texts) expect(lookup(readLocale(locale, ".schema"), text.replace(/^t:/, "")), `${locale} ${text}`).toBeTypeOf("string");
    }
    expect(lookup(readLocale("en", ".schema"), "settings.members_only.limit")).toMatch(/does not stop checkout/);
  });

  it("is right-to-left safe: logical properties only, no physical sides anywhere in it", () => {
    const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks/members-only.liquid"), "utf8");
    expect(source).not.toMatch(/\b(left|right)\b/i);
    expect(source).toContain("border-inline-start");
  });
});
