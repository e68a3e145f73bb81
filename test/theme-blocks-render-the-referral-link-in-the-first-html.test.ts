import { describe, expect, it } from "vitest";
import { lookup, readLocale, renderBlock, storefrontCustomer, type BlockName, type LoyaltyMetafields } from "../simulator/theme-renderer";

// Refer a friend is Liquid first: the member's link rides in their $app:loyalty.earning (the sync
// writes it while the shop runs referrals), so the first HTML has the section shown with the link
// and its share links; the counts wait for the app's read. Without a link (a shop not running
// referrals, a member the sync has not reached) the section stays hidden for the read.

const BLOCKS: BlockName[] = ["loyalty-launcher", "loyalty-rewards"];
const URL_OF_LINK = "https://tea-house.myshopify.com/apps/loyalty/r/K7QX3MHP";
const earning = (referral?: { code: string; url: string }): NonNullable<LoyaltyMetafields["earning"]> => ({
  done: [],
  orders: 0,
  stamps: {},
  pending: [],
  ...(referral ? { referral } : {}),
});

async function referralSection(block: BlockName, customer: ReturnType<typeof storefrontCustomer> | null, locale: "en" | "he" = "en") {
  const page = await renderBlock(block, { customer, locale });
  return /<section class="lyl-section lyl-referral"[^>]*>[\s\S]*?<\/section>/.exec(page)?.[0] ?? "";
}

describe("the Refer a friend section in the first HTML", () => {
  it.each(BLOCKS)("%s: a member with a link sees it, its share links and the copy button before any script runs", async (block) => {
    const section = await referralSection(block, storefrontCustomer(7001, { points: 120, earning: earning({ code: "K7QX3MHP", url: URL_OF_LINK }) }));
    expect(section).toMatch(/^<section [^>]*data-loyalty-referral>/);
    expect(section).toContain(`value="${URL_OF_LINK}"`);
    const encoded = encodeURIComponent(URL_OF_LINK);
    const hrefs = [...section.matchAll(/data-share="(\w+)" href="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, "&")]);
    expect(hrefs.map(([network]) => network)).toEqual(["email", "whatsapp", "x", "facebook"]);
    const shareText = lookup(readLocale("en"), "loyalty.referral.share_text")!;
    expect(hrefs[0][1]).toBe(
      `mailto:?subject=${encodeURIComponent(lookup(readLocale("en"), "loyalty.referral.share_subject")!)}&body=${encodeURIComponent(`${shareText} ${URL_OF_LINK}`)}`,
    );
    expect(hrefs[1][1]).toBe(`https://wa.me/?text=${encodeURIComponent(`${shareText} ${URL_OF_LINK}`)}`);
    expect(hrefs[2][1]).toBe(`https://twitter.com/intent/tweet?text=${encodeURIComponent(shareText)}&url=${encoded}`);
    expect(hrefs[3][1]).toBe(`https://www.facebook.com/sharer/sharer.php?u=${encoded}`);
    // The counts come from the app's read: hidden until it fills them.
    expect(section).toMatch(/<p data-loyalty-referral-counts hidden>/);
  });

  it("speaks the member's language around the link (Hebrew)", async () => {
    const section = await referralSection("loyalty-rewards", storefrontCustomer(7001, { earning: earning({ code: "K7QX3MHP", url: URL_OF_LINK }) }), "he");
    expect(section).toContain(lookup(readLocale("he"), "loyalty.referral.heading")!);
    expect(section).toContain(`value="${URL_OF_LINK}"`);
  });

  it("is not in a guest's page at all", async () => {
    expect(await referralSection("loyalty-rewards", null)).toBe("");
  });

  it.each([
    ["a member of a shop not running referrals", storefrontCustomer(7001, { points: 120, earning: earning() })],
    ["a member without the earning metafield yet", storefrontCustomer(7001, { points: 120 })],
  ])("stays hidden, with no link, for %s", async (_who, customer) => {
    const section = await referralSection("loyalty-rewards", customer);
    expect(section).toMatch(/^<section [^>]*data-loyalty-referral hidden>/);
    expect(section).not.toContain("value=");
    expect(section).toContain('data-share="facebook" href="#"');
  });
});
