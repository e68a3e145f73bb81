import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANDING_LOCALES, LANDING_TEXT } from "../app/shopper/referral-landing.server";
import { SHOPPER_REFUSALS } from "../app/shopper/refusals";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { createReferrer, enableReferrals } from "./support/referrals";
import { loadRemixApp, TEST_APP_URL } from "./support/remix-app";
import { signProxyQuery } from "./support/signing";

const SHOP = "landing-test.myshopify.com";
const OTHER = "landing-other.myshopify.com";
const PAUSED = "landing-paused.myshopify.com";
let database: TestDatabase;
let app: Awaited<ReturnType<typeof loadRemixApp>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP, { currency: "EUR" });
  await installShop(database.db, OTHER);
  await installShop(database.db, PAUSED);
  await enableReferrals(database.db, SHOP, { friend_value_minor: 1250, cookie_days: 14 });
  await enableReferrals(database.db, OTHER);
  await enableReferrals(database.db, PAUSED, { enabled: false });
  await createReferrer(database.db, SHOP, "DANA7Q2K");
  await createReferrer(database.db, OTHER, "OTHERQ23", "Omar");
  await createReferrer(database.db, PAUSED, "PAUSEDQ2");
  app = await loadRemixApp(database.url);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database.drop();
});

const open = async (
  code: string,
  { shop = SHOP, language, locale, signed = true }: { shop?: string; language?: string; locale?: string; signed?: boolean } = {},
) => {
  const params = {
    shop,
    logged_in_customer_id: "",
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
    ...(locale ? { locale } : {}),
  };
  const query = signed ? signProxyQuery(params) : new URLSearchParams(params);
  const headers: Record<string, string> = { "x-forwarded-for": "203.0.113.9" };
  if (language) headers["accept-language"] = language;
  const response = await app.handle(new Request(`${TEST_APP_URL}/proxy/r/${code}?${query}`, { headers }));
  return { status: response.status, type: response.headers.get("content-type"), html: await response.text() };
};

const clicks = (shop: string) => database.db.query.selectFrom("referral_clicks").selectAll().where("shop", "=", shop).execute();

describe("GET /apps/loyalty/r/<code>", () => {
  it("shows a guest the referrer's first name and the offer in English, with an email field and a claim button", async () => {
    const page = await open("DANA7Q2K");
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(page.html).toContain('<html lang="en" dir="ltr">');
    expect(page.html).toContain("Dana gave you €12.50 off");
    expect(page.html).toMatch(/<label for="lr-email">Email<\/label>\s*<input id="lr-email" name="email" type="email"/);
    expect(page.html).toContain('role="status"');
    expect(page.html).toContain('"cookieDays":14');
  });

  it("speaks Hebrew right to left from the shopper's Accept-Language", async () => {
    const page = await open("DANA7Q2K", { language: "he-IL,he;q=0.9,en;q=0.5" });
    expect(page.html).toContain('<html lang="he" dir="rtl">');
    expect(page.html).toContain("Dana נתן/ה לך הנחה של");
  });

  it.each([
    ["ar", 'dir="rtl"', "أهداك Dana"],
    ["da", 'dir="ltr"', "Dana har givet dig"],
    ["ro", 'dir="ltr"', "Dana ți-a oferit"],
  ])("speaks %s when the theme's link names it", async (locale, dir, words) => {
    const page = await open("DANA7Q2K", { locale, language: "en" });
    expect(page.html).toContain(dir);
    expect(page.html).toContain(words);
  });

  it("counts each visit as a click of the referrer, with the address hashed, never raw", async () => {
    const before = (await clicks(SHOP)).length;
    await open("DANA7Q2K");
    const after = await clicks(SHOP);
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.ip_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(after)).not.toContain("203.0.113.9");
  });

  it("answers 404 with the unknown-link message for a code nobody has, and for another shop's code", async () => {
    for (const code of ["NOPE", "OTHERQ23", "%3Cscript%3E"]) {
      const page = await open(code);
      expect(page.status).toBe(404);
      expect(page.html).toContain('data-referral-error="unknown_code"');
      expect(page.html).toContain("This referral link is not valid.");
      expect(page.html).not.toContain("<script>");
    }
    expect((await clicks(OTHER)).length).toBe(0);
  });

  it("says referrals are paused when the shop's program is off", async () => {
    const page = await open("PAUSEDQ2", { shop: PAUSED, locale: "da" });
    expect(page.status).toBe(404);
    expect(page.html).toContain("Henvisninger er sat på pause");
  });

  it("opens a code typed in lower case as the member's code", async () => {
    const page = await open("dana7q2k");
    expect(page.status).toBe(200);
    expect(page.html).toContain('"code":"DANA7Q2K"');
  });

  it("has a message in every language for every reason the claim is refused", () => {
    const claimReasons = Object.entries(SHOPPER_REFUSALS)
      .filter(([, entry]) => "messageKey" in entry && entry.messageKey.startsWith("referrals.errors."))
      .map(([reason]) => reason);
    const reasons = [...claimReasons, "shopify_unavailable", "bad_request", "failed"];
    expect(claimReasons).toEqual(
      expect.arrayContaining([
        "unknown_code",
        "program_off",
        "invalid_email",
        "already_customer",
        "self_referral",
        "already_claimed",
        "too_many_claims",
        "offer_expired",
      ]),
    );
    for (const locale of LANDING_LOCALES) {
      const errors = LANDING_TEXT[locale].errors as Record<string, string>;
      for (const reason of reasons) {
        expect(errors[reason], `${locale} ${reason}`).toMatch(/\S/);
        if (locale !== "en") expect(errors[reason], `${locale} ${reason}`).not.toBe((LANDING_TEXT.en.errors as Record<string, string>)[reason]);
      }
    }
  });

  it("answers 401 to an unsigned request", async () => {
    expect((await open("DANA7Q2K", { signed: false })).status).toBe(401);
  });
});
