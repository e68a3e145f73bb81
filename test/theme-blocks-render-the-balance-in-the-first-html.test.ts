import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  blockSchema,
  EXTENSION_DIR,
  lookup,
  readLocale,
  renderBlock,
  renderStorefrontPage,
  storefrontApp,
  storefrontCustomer,
  STOREFRONT_LOCALES,
  translationKeys,
  type BlockName,
} from "../simulator/theme-renderer";

const BLOCKS: BlockName[] = ["loyalty-launcher", "loyalty-rewards"];
const member = (points = 420) => storefrontCustomer(7001, { points, nextReward: { name: "$5 off", pointsCost: 500, pointsToGo: 500 - points } });
const en = readLocale("en");
const t = (key: string, locale = "en") => lookup(readLocale(locale), key)!;
/** HTML-escaped, as Liquid's output of a translation lands in the page. */
const html = (text: string) => text.replace(/&/g, "&amp;").replace(/'/g, "&#39;");

describe("a member's balance is in the first HTML", () => {
  it.each(BLOCKS)("%s shows the points from the customer's $app:loyalty metafield", async (block) => {
    const page = await renderBlock(block, { customer: member(420) });
    expect(page).toMatch(/data-loyalty-balance>420</);
    expect(page).toContain('<progress value="420" max="500"');
    expect(page).toContain("Points to go until <bdi>$5 off</bdi>: 80");
    expect(page).toContain('data-member="true"');
  });

  it("the launcher itself shows the balance, so it is visible before anything is opened", async () => {
    const page = await renderBlock("loyalty-launcher", { customer: member(1234) });
    const launcher = /<button[^>]*data-loyalty-open[\s\S]*?<\/button>/.exec(page)![0];
    expect(launcher).toContain("data-loyalty-balance>1234</span> points");
    expect(launcher).toContain('aria-expanded="false"');
    expect(launcher).toMatch(/aria-controls="lyl-panel-loyalty-launcher-1"/);
    expect(page).toMatch(/id="lyl-panel-loyalty-launcher-1" role="dialog"[^>]*aria-labelledby="lyl-panel-loyalty-launcher-1-title"[^>]*hidden/);
  });

  it("shows a balance of 0 as 0, and a dash (fetched on open) before the app has written the metafield", async () => {
    expect(await renderBlock("loyalty-rewards", { customer: storefrontCustomer(1, { points: 0 }) })).toMatch(/data-loyalty-balance>0</);
    const unsynced = await renderBlock("loyalty-launcher", { customer: storefrontCustomer(1, null) });
    expect(unsynced).toMatch(/data-loyalty-balance>–</);
    expect(unsynced).toContain(`<span class="lyl-launcher__text">${t("loyalty.launcher")}</span>`);
    expect(unsynced).toMatch(/data-loyalty-progress hidden/);
  });

  it("escapes the reward name from the metafield", async () => {
    const customer = storefrontCustomer(2, { points: 1, nextReward: { name: '<img src=x onerror="alert(1)">', pointsCost: 10, pointsToGo: 9 } });
    const page = await renderBlock("loyalty-rewards", { customer });
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;img src=x");
  });

  it("gives the script its strings as JSON from the locale", async () => {
    const page = await renderBlock("loyalty-rewards", { customer: member(), locale: "da" });
    const strings = JSON.parse(/<script type="application\/json" data-loyalty-strings>([\s\S]*?)<\/script>/.exec(page)![1]);
    expect(strings).toMatchObject({ redeem: t("loyalty.rewards.redeem", "da"), errors: { generic: t("loyalty.errors.generic", "da") } });
  });
});

describe("a guest sees the programme and how to join", () => {
  it.each(BLOCKS)("%s: what it is, ways to earn, rewards, sign-in and create-account links", async (block) => {
    const page = await renderBlock(block, { rootUrl: "/fr/" });
    expect(page).toContain('data-member="false"');
    expect(page).not.toContain("data-loyalty-balance");
    for (const key of ["loyalty.guest.intro", "loyalty.earn.heading", "loyalty.earn.purchase", "loyalty.rewards.guest_text"]) {
      expect(page).toContain(html(lookup(en, key)!));
    }
    expect(page).toContain(`href="/fr/account/login">${t("loyalty.guest.sign_in")}</a>`);
    expect(page).toContain(`href="/fr/account/register">${t("loyalty.guest.create_account")}</a>`);
  });
});

describe("block settings from the theme editor", () => {
  it("position, colours, texts and which sections show", async () => {
    const page = await renderBlock("loyalty-launcher", {
      settings: { position: "left", accent_color: "#aa0000", launcher_text: "Tea club <3", heading: "Our club", show_earn: false, show_rewards: false },
    });
    expect(page).toContain("lyl--left");
    expect(page).toContain("--lyl-accent: #aa0000");
    expect(page).toContain("Tea club &lt;3");
    expect(page).toContain(">Our club</h2>");
    expect(page).not.toContain(t("loyalty.earn.heading"));
    expect(page).not.toContain(t("loyalty.rewards.guest_text"));
    const memberPage = await renderBlock("loyalty-rewards", { customer: member(), settings: { show_rewards: false, show_activity: false } });
    expect(memberPage).not.toContain("data-loyalty-rewards");
    expect(memberPage).not.toContain(t("loyalty.activity.heading"));
  });
});

describe("languages", () => {
  it.each(STOREFRONT_LOCALES)("%s: strings from the locale file, dir set on the widget", async (locale) => {
    const page = await renderStorefrontPage({ locale, customer: member() });
    const rtl = locale === "he" || locale === "ar";
    const roots = [...page.matchAll(/<div\s+class="lyl [^"]*"\s+dir="(\w+)"/g)].map((match) => match[1]);
    expect(roots).toEqual([rtl ? "rtl" : "ltr", rtl ? "rtl" : "ltr"]);
    expect(page).toContain(t("loyalty.member.balance_label", locale));
    expect(page).toContain(t("loyalty.activity.placeholder", locale));
  });

  it("every locale has every storefront and schema key of en.default", () => {
    const keys = translationKeys(en).sort();
    const schemaKeys = translationKeys(readLocale("en", ".schema")).sort();
    for (const locale of STOREFRONT_LOCALES) {
      expect(translationKeys(readLocale(locale)).sort(), locale).toEqual(keys);
      expect(translationKeys(readLocale(locale, ".schema")).sort(), locale).toEqual(schemaKeys);
    }
  });

  it("every t: key in the block schemas exists in the schema locale", () => {
    const schemaEn = readLocale("en", ".schema");
    for (const block of BLOCKS) {
      const schema = blockSchema(block);
      const texts = [schema.name, ...schema.settings.flatMap((s) => [s.label, s.info, s.content, ...(s.options ?? []).map((o) => o.label)])];
      for (const text of texts.filter((x): x is string => typeof x === "string")) {
        expect(text).toMatch(/^t:/);
        expect(lookup(schemaEn, text.slice(2)), text).toBeTypeOf("string");
      }
    }
  });

  it("the stylesheet uses logical properties only, so he and ar mirror", () => {
    const css = fs.readFileSync(path.join(EXTENSION_DIR, "assets/loyalty.css"), "utf8");
    expect(css).not.toMatch(/(^|[^-])\b(left|right)\s*:/m);
    expect(css).not.toMatch(/(margin|padding|border)-(left|right)\b/);
    expect(css).not.toMatch(/text-align:\s*(left|right)/);
  });
});

describe("points expiry is shown plainly", () => {
  const expiringMember = () =>
    storefrontCustomer(7002, {
      points: 300,
      earning: { done: [], orders: 1, stamps: {}, pending: [], expiring: { points: 120, expiresAt: "2027-03-10T12:00:00.000Z" } },
    });
  const program = (expiry: unknown) => storefrontApp({ currency: "USD", ways: [], campaigns: [], expiry });

  it.each(STOREFRONT_LOCALES)("in %s: what expires next and when, and the shop's rule", async (locale) => {
    const page = await renderBlock("loyalty-rewards", { customer: expiringMember(), app: program({ kind: "inactivity", months: 12 }), locale });
    const on = t("loyalty.date.format", locale).replace("%day%", "10").replace("%month%", t("loyalty.date.months.3", locale));
    expect(page).toContain(`data-loyalty-expiring>${html(t("loyalty.member.expiring", locale).replace("%points%", "120").replace("%date%", on))}</p>`);
    expect(page).toContain(`data-loyalty-expiry-rule>${html(t("loyalty.member.expiry_inactivity", locale).replace("%months%", "12"))}</p>`);
  });

  it("says each lot's rule under expiry by age, and nothing at all where points never expire", async () => {
    const age = await renderBlock("loyalty-rewards", { customer: expiringMember(), app: program({ kind: "age", months: 6 }) });
    expect(age).toContain(`data-loyalty-expiry-rule>${html(t("loyalty.member.expiry_age").replace("%months%", "6"))}</p>`);
    const never = await renderBlock("loyalty-rewards", { customer: member(420), app: program(null) });
    expect(never).not.toContain("data-loyalty-expiring");
    expect(never).not.toContain("data-loyalty-expiry-rule");
  });
});
