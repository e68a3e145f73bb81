import { describe, expect, it } from "vitest";
import { lookup, readLocale, renderBlock, storefrontCustomer, STOREFRONT_LOCALES, type BlockName } from "../simulator/theme-renderer";

// The member's VIP tier is Liquid: read from their $app:loyalty.tier metafield (as the member sync
// writes it), with its perks and the progress to the next tier, in the shopper's language.

const BLOCKS: BlockName[] = ["loyalty-launcher", "loyalty-rewards"];

const gold = {
  id: 3,
  rank: 2,
  name: "Gold",
  names: { en: "Gold", he: "זהב", da: "Guld" },
  until: "2028-01-01T00:00:00.000Z",
  freeShipping: true,
  memberPrice: { percent: 10, collectionIds: [] },
  multiplierPercent: 150,
  next: { id: 4, name: "Platinum", names: { en: "Platinum" }, remaining: 8000, basis: "amount_spent", by: "2027-01-01T00:00:00.000Z" },
};

async function tierSection(
  tier: Record<string, unknown> | null,
  { block = "loyalty-rewards" as BlockName, locale = "en" as (typeof STOREFRONT_LOCALES)[number] } = {},
) {
  const page = await renderBlock(block, { locale, customer: storefrontCustomer(7001, { points: 120, tier }) });
  const section = /<section class="lyl-section lyl-tier"[\s\S]*?<\/section>/.exec(page)?.[0] ?? "";
  return section
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("the VIP tier in the storefront's first paint", () => {
  it.each(BLOCKS)("%s: the tier's name, its perks, until when it is held and what the next tier takes, by the window's end", async (block) => {
    expect(await tierSection(gold, { block })).toBe(
      "Your VIP tier Gold 1.5× points on purchases Free shipping on every order 10% off with member prices Yours until 31 Dec 2027 Spend $80.00 more to reach Platinum by 31 Dec",
    );
  });

  it("names the tier and the perks in the shopper's language, in every shopper language", async () => {
    for (const locale of STOREFRONT_LOCALES) {
      const text = await tierSection(gold, { locale });
      const heading = lookup(readLocale(locale), "loyalty.tier.heading")!;
      expect(text.startsWith(heading), locale).toBe(true);
      expect(text).toContain(locale === "he" ? "זהב" : locale === "da" ? "Guld" : "Gold");
    }
  });

  it("shows progress to the first tier for a member below it, in points or orders", async () => {
    expect(await tierSection({ id: null, next: { id: 1, name: "Silver", names: {}, remaining: 300, basis: "points_earned", by: null } })).toBe(
      "Your VIP tier Earn 300 more points to reach Silver",
    );
    expect(await tierSection({ id: null, next: { id: 1, name: "Silver", names: {}, remaining: 1, basis: "orders", by: null } })).toBe(
      "Your VIP tier 1 more order to reach Silver",
    );
  });

  it("shows nothing for a shop without tiers, and nothing to reach at the top", async () => {
    expect(await tierSection(null)).toBe("");
    expect(await tierSection({ ...gold, multiplierPercent: 200, freeShipping: false, memberPrice: null, next: null })).toBe(
      "Your VIP tier Gold 2× points on purchases Yours until 31 Dec 2027",
    );
  });
});
