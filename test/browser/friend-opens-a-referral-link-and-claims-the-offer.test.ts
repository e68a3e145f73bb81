import { afterAll, beforeAll, expect, it } from "vitest";
import { createReferrer, enableReferrals } from "../support/referrals";
import { describeInBrowser, startBrowserStack, type BrowserStack } from "./support/browser";

// The friend's side of a referral, in Chromium through the simulator's storefront: the link opens
// the landing (the app's page through the app proxy) with the referrer's offer, in English and in
// Hebrew (right to left); the link is remembered in a cookie and localStorage and put on the cart
// as the `loyalty_referral` attribute; claiming with an email shows the code, and its button puts
// the code on the cart. A refusal is shown by its message key in the shopper's language.
//
// The claim endpoint is the engine's (POST /apps/loyalty/referrals/claim); until it is merged, the
// browser answers it here with the contract's bodies, so this test proves the page's side of it.

const CODE = "NOA-5K1";
let browser: BrowserStack;
const claims: unknown[] = [];

describeInBrowser("a friend opens a referral link and claims the offer", () => {
  beforeAll(async () => {
    browser = await startBrowserStack("referral-landing", { customers: 2, orders: 2 });
    const { database, stack } = browser;
    await enableReferrals(database.db, stack.shop, { friend_value_minor: 1000, cookie_days: 21 });
    await createReferrer(database.db, stack.shop, CODE, "Noa");
    await browser.context.route("**/apps/loyalty/referrals/claim", async (route) => {
      const body = JSON.parse(route.request().postData() ?? "{}") as { email?: string };
      claims.push(body);
      if (body.email === "taken@example.com") {
        return route.fulfill({
          status: 409,
          contentType: "application/json",
          body: JSON.stringify({
            error: "already_claimed",
            message: "This email has already claimed a referral offer.",
            messageKey: "referrals.errors.already_claimed",
          }),
        });
      }
      return route.fulfill({
        status: 201,
        contentType: "application/json",
        body: JSON.stringify({
          status: "claimed",
          discountCode: "FRIEND-9XZ",
          cartUrl: "/discount/FRIEND-9XZ?redirect=/cart",
          expiresAt: "2027-01-31T00:00:00.000Z",
          offer: { kind: "fixed_amount", valueMinor: 1000, percentOff: 0, currency: "USD" },
        }),
      });
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  }, 30_000);

  const landingUrl = () => `${browser.stack.urls.simulator}/store/${browser.stack.shop}/apps/loyalty/r/${CODE}`;

  it("sees the offer in English, claims with an email, gets the code and applies it; the cart carries the referral", async () => {
    const { page, context } = browser;
    await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
    await page.goto(landingUrl(), { waitUntil: "load" });
    await expect(page.locator("html").getAttribute("dir")).resolves.toBe("ltr");
    await expect(page.locator("[data-referral-offer]").textContent()).resolves.toBe("Noa gave you $10.00 off");
    await expect.poll(async () => (await context.cookies()).find((c) => c.name === "loyalty_referral")?.value).toBe(CODE);
    const remembered = JSON.parse((await page.evaluate(() => localStorage.getItem("loyalty_referral"))) ?? "null") as { code: string; until: number };
    expect(remembered.code).toBe(CODE);
    expect(Math.round((remembered.until - Date.now()) / 86_400_000)).toBe(21);
    const cookie = (await context.cookies()).find((c) => c.name === "loyalty_referral")!;
    expect(Math.round((cookie.expires * 1000 - Date.now()) / 86_400_000)).toBe(21);
    await browser.screenshot("offer-en");

    await page.getByLabel("Email").fill("friend@example.com");
    await page.getByRole("button", { name: "Get my code" }).click();
    await expect.poll(() => page.locator("[data-referral-discount-code]").textContent()).toBe("FRIEND-9XZ");
    expect(claims.at(-1)).toMatchObject({ code: CODE, email: "friend@example.com", device: expect.any(String) });
    await expect(page.locator("#lr-until").textContent()).resolves.toContain("Use it by");
    await browser.screenshot("code-en");

    await page.getByRole("link", { name: "Apply to cart" }).click();
    await page.waitForURL(/\/store\/[^/]+\/?$/);
    await expect(page.locator("[data-cart-discount-code]").textContent()).resolves.toBe("FRIEND-9XZ");
    await expect(page.locator('[data-cart-attribute="loyalty_referral"]').textContent()).resolves.toBe(`loyalty_referral=${CODE}`);
    await browser.screenshot("cart-en");
  });

  it("reads right to left in Hebrew and shows a refusal by its message key", async () => {
    const { page } = browser;
    await page.setExtraHTTPHeaders({ "Accept-Language": "he-IL,he;q=0.9" });
    await page.goto(landingUrl(), { waitUntil: "load" });
    await expect(page.locator("html").getAttribute("dir")).resolves.toBe("rtl");
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("he");
    await expect(page.locator("[data-referral-offer]").textContent()).resolves.toContain("Noa נתן/ה לך הנחה של");
    await page.getByLabel("אימייל").fill("taken@example.com");
    await page.getByRole("button", { name: "קבלת הקוד שלי" }).click();
    const status = page.getByRole("status");
    await expect.poll(() => status.textContent()).toBe("האימייל הזה כבר קיבל הטבת הפניה.");
    await expect(status.getAttribute("data-referral-error")).resolves.toBe("already_claimed");
    await browser.screenshot("refused-he");

    await page.getByLabel("אימייל").fill("new-friend@example.com");
    await page.getByRole("button", { name: "קבלת הקוד שלי" }).click();
    await expect.poll(() => page.locator("[data-referral-discount-code]").textContent()).toBe("FRIEND-9XZ");
    await expect(page.getByRole("link", { name: "החלה על העגלה" }).isVisible()).resolves.toBe(true);
    await browser.screenshot("code-he");
  });

  it("remembers a ?ref= link on any storefront page and puts it on the cart", async () => {
    const { page, context } = browser;
    await context.clearCookies();
    await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
    await page.goto(`${browser.stack.urls.simulator}/store/${browser.stack.shop}/?ref=SHARED-42`, { waitUntil: "load" });
    await expect.poll(async () => (await context.cookies()).find((c) => c.name === "loyalty_referral")?.value).toBe("SHARED-42");
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem("loyalty_referral"))).toBe("SHARED-42");
    await page.reload();
    await expect(page.locator('[data-cart-attribute="loyalty_referral"]').textContent()).resolves.toBe("loyalty_referral=SHARED-42");
  });

  it("shows a member their link, share links, counts and pending friends in the panel's Refer a friend section", async () => {
    const { page, context, database, stack } = browser;
    const member = await database.db.query
      .selectFrom("members")
      .select("customer_id")
      .where("shop", "=", stack.shop)
      .where("referral_code", "is", null)
      .executeTakeFirstOrThrow();
    const url = `https://${stack.shop}/apps/loyalty/r/MEMBER-1`;
    // The engine's `referral` field of GET /apps/loyalty/customer (contract), added to the app's real answer until the engine is merged.
    await context.route("**/apps/loyalty/customer*", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      const referral = {
        code: "MEMBER-1",
        url,
        friendsReferred: 2,
        rewardsEarned: 500,
        pending: [
          { friend: "Sam", status: "pending", pointsDueAt: "2027-01-10T00:00:00.000Z", points: 250 },
          { friend: "j***@example.com", status: "claimed", pointsDueAt: null, points: null },
        ],
      };
      await route.fulfill({ response, json: { ...body, referral: body.referral ?? referral } });
    });
    const reads: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/apps/loyalty/customer")) reads.push(request.method());
    });
    await page.goto(stack.urls.storefront(Number(member.customer_id)), { waitUntil: "load" });
    // The section fills from the widget's one read, made when the rewards come into view.
    await page.locator(".lyl--block [data-loyalty-rewards]").scrollIntoViewIfNeeded();
    const section = page.locator(".lyl--block [data-loyalty-referral]");
    await expect.poll(() => section.isVisible()).toBe(true);
    expect(reads).toEqual(["GET"]);
    await expect(section.getByLabel("Your referral link").inputValue()).resolves.toBe(url);
    await expect(section.locator("[data-loyalty-referral-friends]").textContent()).resolves.toBe("2 friends referred");
    await expect(section.locator("[data-loyalty-referral-points]").textContent()).resolves.toBe("500 points earned");
    await expect(section.locator("[data-loyalty-referral-pending] li").allTextContents()).resolves.toEqual([
      "Sam · ordered, reward on its way",
      "j***@example.com · has their code",
    ]);
    const hrefs = await section.locator("[data-share]").evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    expect(hrefs[0]).toMatch(/^mailto:\?subject=/);
    expect(hrefs.slice(1).map((href) => new URL(href).origin)).toEqual(["https://wa.me", "https://twitter.com", "https://www.facebook.com"]);
    expect(hrefs.every((href) => href.includes(encodeURIComponent(url)))).toBe(true);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await section.getByRole("button", { name: "Copy link" }).click();
    await expect.poll(() => section.getByRole("status").textContent()).toBe("Link copied");
    await browser.screenshot("refer-a-friend");
    await context.unroute("**/apps/loyalty/customer*");
  });
});
