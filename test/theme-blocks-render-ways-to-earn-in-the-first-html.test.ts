import { describe, expect, it } from "vitest";
import type { StorefrontEarning } from "../app/domain/storefront-ways-to-earn";
import {
  lookup,
  readLocale,
  renderBlock,
  storefrontApp,
  storefrontCustomer,
  STOREFRONT_LOCALES,
  type BlockName,
  type LoyaltyMetafields,
  type StorefrontLocale,
} from "../simulator/theme-renderer";

// The ways to earn are Liquid: the shop-wide list and campaigns from the app-data metafield on
// the app's installation, what the member has done from their own $app:loyalty.earning.

const BLOCKS: BlockName[] = ["loyalty-launcher", "loyalty-rewards"];
const t = (key: string, locale: StorefrontLocale = "en") => lookup(readLocale(locale), key)!;
const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000);
const endsAt = new Date(Date.UTC(IN_A_WEEK.getUTCFullYear(), IN_A_WEEK.getUTCMonth(), IN_A_WEEK.getUTCDate())).toISOString();

/** The program as the sync job writes it; each test varies one part. */
function program(overrides: Partial<StorefrontEarning> = {}): StorefrontEarning {
  return {
    currency: "USD",
    ways: [
      { id: 1, kind: "purchase", points: 0, pointsPerCurrencyUnit: 1, content: {} },
      { id: 2, kind: "signup", points: 100, content: {} },
      { id: 3, kind: "nth_order", points: 250, stampsOf: 6, content: {} },
      { id: 4, kind: "social", points: 50, network: "instagram", url: "https://instagram.com/tea-house", content: {} },
      { id: 5, kind: "review", points: 20, photoBonusPoints: 50, content: {} },
    ],
    campaigns: [],
    ...overrides,
  };
}
const earning = (overrides: Partial<NonNullable<LoyaltyMetafields["earning"]>> = {}) => ({ done: [], orders: 0, stamps: {}, pending: [], ...overrides });
const member = (earned: LoyaltyMetafields["earning"] = earning()) => storefrontCustomer(7001, { points: 120, earning: earned });

/** The ways-to-earn section of a rendered block, tags stripped and spaces collapsed, one line per way. */
async function earnSection(options: Parameters<typeof renderBlock>[1] & { block?: BlockName } = {}) {
  const page = await renderBlock(options.block ?? "loyalty-rewards", options);
  const section = /<section class="lyl-section lyl-earn"[\s\S]*?<\/section>/.exec(page)?.[0] ?? "";
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, " ")
      .replace(/&#39;/g, "'")
      .replace(/\s+/g, " ")
      .trim();
  const ways = [...section.matchAll(/<li class="lyl-way[^"]*" data-loyalty-way="(\d+)">([\s\S]*?)<\/li>/g)].map((m) => ({
    id: Number(m[1]),
    text: text(m[2]),
  }));
  return { page, section, ways, text: text(section) };
}

describe("a guest sees the ways to earn from the app's installation metafield", () => {
  it.each(BLOCKS)("%s: each way with the kind's default title and its points; no done marks or buttons", async (block) => {
    const { ways, section } = await earnSection({ block, app: storefrontApp(program()) });
    expect(ways).toEqual([
      { id: 1, text: "Shop with us 1 point per 1 USD" },
      { id: 2, text: "Create an account 100 points" },
      { id: 3, text: "A bonus every 6 orders 250 points" },
      { id: 4, text: "Follow us on Instagram 50 points" },
      { id: 5, text: "Write a product review 20 points · +50 with a photo" },
    ]);
    expect(section).not.toContain("data-loyalty-claim");
    expect(section).not.toContain("lyl-done");
    expect(section).not.toContain("<progress");
  });

  it("says points per order for a fixed purchase rule, and several points per unit in the plural", async () => {
    const ways = [
      { id: 1, kind: "purchase" as const, points: 0, pointsPerCurrencyUnit: 3, content: {} },
      { id: 2, kind: "purchase" as const, points: 40, content: {} },
    ];
    const { ways: shown } = await earnSection({ app: storefrontApp(program({ ways, currency: "DKK" })) });
    expect(shown.map((way) => way.text)).toEqual(["Shop with us 3 points per 1 DKK", "Shop with us 40 points per order"]);
  });

  it("shows the merchant's title and description for the shopper's locale, escaped, and the default for other locales", async () => {
    const ways = [{ id: 2, kind: "signup" as const, points: 100, content: { da: { title: "Bliv <medlem>", description: "Kun for nye kunder" } } }];
    const da = await earnSection({ locale: "da", app: storefrontApp(program({ ways })) });
    expect(da.section).toContain("<bdi>Bliv &lt;medlem&gt;</bdi>");
    expect(da.ways[0].text).toBe("Bliv &lt;medlem&gt; 100 point Kun for nye kunder");
    const en = await earnSection({ locale: "en", app: storefrontApp(program({ ways })) });
    expect(en.ways[0].text).toBe("Create an account 100 points");
  });

  it("falls back to a general line until the app has written the metafield", async () => {
    const { text } = await earnSection({ app: storefrontApp() });
    expect(text).toContain(t("loyalty.earn.purchase"));
    expect(text).toContain(t("loyalty.earn.account"));
  });

  it("is left out when the block's ways-to-earn setting is off", async () => {
    const { section } = await earnSection({ app: storefrontApp(program()), settings: { show_earn: false } });
    expect(section).toBe("");
  });
});

describe("a member sees what they have done", () => {
  it.each(BLOCKS)("%s: a Done mark on the ways done, none on the others", async (block) => {
    const { ways } = await earnSection({ block, app: storefrontApp(program()), customer: member(earning({ done: [2] })) });
    expect(ways.find((way) => way.id === 2)!.text).toBe("Create an account 100 points ✓ Done");
    expect(ways.filter((way) => way.text.includes("Done")).map((way) => way.id)).toEqual([2]);
  });

  it("the stamp card as 'n of 6 orders' with a labelled progress bar, from the member's qualifying orders", async () => {
    const { section, ways } = await earnSection({ app: storefrontApp(program()), customer: member(earning({ orders: 8 })) });
    expect(ways.find((way) => way.id === 3)!.text).toBe("A bonus every 6 orders 250 points 2 of 6 orders");
    expect(section).toMatch(
      /<progress value="2" max="6" aria-labelledby="lyl-stamps-loyalty-rewards-1-3"><\/progress>\s*<span id="lyl-stamps-loyalty-rewards-1-3">/,
    );
    const fresh = await earnSection({ app: storefrontApp(program()), customer: member(earning({ orders: 0 })) });
    expect(fresh.ways.find((way) => way.id === 3)!.text).toContain("0 of 6 orders");
  });

  it("a follow button per social way not done: the merchant's page in a new tab, and the claim's id", async () => {
    const { section } = await earnSection({ app: storefrontApp(program()), customer: member() });
    const link = /<a [^>]*data-loyalty-claim="4"[^>]*>[\s\S]*?<\/a>/.exec(section)![0];
    expect(link).toContain('href="https://instagram.com/tea-house"');
    expect(link).toContain('target="_blank"');
    expect(link).toContain('rel="noopener noreferrer"');
    expect(link).toContain(`Follow <span class="lyl-sr">${t("loyalty.earn.new_tab")}</span>`);
    expect(section).toContain('data-loyalty-claim-status role="status" hidden');
    const followed = await earnSection({ app: storefrontApp(program()), customer: member(earning({ done: [4] })) });
    expect(followed.section).not.toContain("data-loyalty-claim=");
    expect(followed.ways.find((way) => way.id === 4)!.text).toContain("Done");
  });

  it("pending points with the day they become available", async () => {
    const pending = [
      { points: 120, availableOn: "2026-12-12T10:00:00.000Z" },
      { points: 30, availableOn: "2027-01-03T10:00:00.000Z" },
    ];
    const { section } = await earnSection({ app: storefrontApp(program()), customer: member(earning({ pending })) });
    const items = [...section.matchAll(/<ul class="lyl-list lyl-pending" data-loyalty-pending>([\s\S]*?)<\/ul>/g)][0][1];
    expect(items).toBe("<li>120 points available on 12 Dec</li><li>30 points available on 3 Jan</li>");
    const none = await earnSection({ app: storefrontApp(program()), customer: member() });
    expect(none.section).not.toContain("data-loyalty-pending");
  });

  it("no section for a member before the app has written the shop's metafield (the guest's lines would be wrong for them)", async () => {
    const { section } = await earnSection({ app: storefrontApp(), customer: member() });
    expect(section).toBe("");
  });

  it("the member's own metafield not written yet: the list shows, with nothing marked done", async () => {
    const { ways } = await earnSection({ app: storefrontApp(program()), customer: storefrontCustomer(7002, { points: 5 }) });
    expect(ways).toHaveLength(5);
    expect(ways.some((way) => way.text.includes("Done"))).toBe(false);
  });
});

describe("the running campaign's banner", () => {
  const lastDay = new Date(Date.parse(endsAt) - 1000);
  const weekday = (locale: StorefrontLocale) => t(`loyalty.date.weekdays.${lastDay.getUTCDay()}`, locale);
  const month = (locale: StorefrontLocale) => t(`loyalty.date.months.${lastDay.getUTCMonth() + 1}`, locale);
  const campaign = { id: 9, name: "Winter double", multiplier: 2, bonusPoints: null, endsAt, productLimited: false, content: {} };

  it("double points until the campaign's last day (its end is exclusive), the day and month named in the locale", async () => {
    const { section } = await earnSection({ app: storefrontApp(program({ campaigns: [campaign] })) });
    expect(section).toContain(
      `<p class="lyl-banner" data-loyalty-campaign="9">Double points until ${weekday("en")} ${lastDay.getUTCDate()} ${month("en")}</p>`,
    );
  });

  it("other multipliers, a fixed bonus, selected products and the merchant's title", async () => {
    const campaigns = [
      { ...campaign, id: 10, multiplier: 1.5, content: { en: { title: "Tea week" } } },
      { ...campaign, id: 11, multiplier: null, bonusPoints: 75, productLimited: true },
    ];
    const { section } = await earnSection({ app: storefrontApp(program({ campaigns })) });
    const banners = [...section.matchAll(/<p class="lyl-banner"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => m[1]);
    const until = `${weekday("en")} ${lastDay.getUTCDate()} ${month("en")}`;
    expect(banners).toEqual([
      `<strong><bdi>Tea week</bdi></strong> 1.5× points until ${until}`,
      `75 bonus points on every order until ${until} · On selected products`,
    ]);
  });

  it("an ended campaign the sync has not taken out yet is not shown", async () => {
    const ended = { ...campaign, endsAt: new Date(Date.now() - 60_000).toISOString() };
    const { section } = await earnSection({ app: storefrontApp(program({ campaigns: [ended] })) });
    expect(section).not.toContain("lyl-banner");
  });

  it.each(STOREFRONT_LOCALES)("%s: the banner, the ways, the stamp card, pending points and Done in the locale", async (locale) => {
    const pending = [{ points: 120, availableOn: "2026-12-12T10:00:00.000Z" }];
    const { section, ways } = await earnSection({
      locale,
      app: storefrontApp(program({ campaigns: [campaign] })),
      customer: member(earning({ done: [2], orders: 2, pending })),
    });
    const until = t("loyalty.date.format_weekday", locale)
      .replace("%weekday%", weekday(locale))
      .replace("%day%", String(lastDay.getUTCDate()))
      .replace("%month%", month(locale));
    expect(section).toContain(t("loyalty.earn.campaign_double", locale).replace("%date%", until));
    expect(section).toContain(t("loyalty.earn.heading", locale));
    expect(ways[0].text).toContain(t("loyalty.earn.kinds.purchase", locale));
    expect(ways[0].text).toContain(t("loyalty.earn.rate_one", locale).replace("%points%", "1").replace("%currency%", "USD"));
    expect(ways[1].text).toContain(t("loyalty.earn.done", locale));
    expect(ways[2].text).toContain(t("loyalty.earn.stamps", locale).replace("%done%", "2").replace("%of%", "6"));
    expect(ways[3].text).toContain(t("loyalty.earn.kinds.social", locale).replace("%network%", "Instagram"));
    const date = t("loyalty.date.format", locale).replace("%day%", "12").replace("%month%", t("loyalty.date.months.12", locale));
    expect(section).toContain(t("loyalty.earn.pending", locale).replace("%points%", "120").replace("%date%", date));
    const strings = JSON.parse(
      /<script type="application\/json" data-loyalty-strings>([\s\S]*?)<\/script>/.exec(
        await renderBlock("loyalty-rewards", { locale, customer: member() }),
      )![1],
    );
    expect(strings).toMatchObject({ claimPending: t("loyalty.earn.claim_pending", locale), done: t("loyalty.earn.done", locale) });
  });
});
