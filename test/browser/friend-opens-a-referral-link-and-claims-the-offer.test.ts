import { ensureReferralCode } from "../../app/models/referrals.server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createReferrer, enableReferrals } from "../support/referrals";
import { describeInBrowser, startBrowserStack, type BrowserStack } from "./support/browser";

// The friend's side of a referral, in Chromium through the simulator's storefront: the link opens
// the landing (the app's page through the app proxy) with the referrer's offer, in English and in
// Hebrew (right to left); the link is remembered in a cookie and localStorage and put on the cart
// as the `loyalty_referral` attribute; claiming with an email makes the friend's single-use code
// through the app's real claim endpoint (the simulator's Admin API makes the discount), and its
// button puts the code on the cart. A refusal is shown by its message key in the shopper's
// language. The member's side: the storefront panel's Refer a friend section from the app's real
// read of GET /apps/loyalty/customer.

const CODE = "NWAK5M2X";
const OTHER_CODE = "MRAK5M2X";
let browser: BrowserStack;

const claimsOf = (email: string) =>
  browser.database.db.query.selectFrom("referrals").selectAll().where("shop", "=", browser.stack.shop).where("friend_email", "=", email).execute();

describeInBrowser("a friend opens a referral link and claims the offer", () => {
  beforeAll(async () => {
    browser = await startBrowserStack("referral-landing", { customers: 2, orders: 2 });
    const { database, stack } = browser;
    await enableReferrals(database.db, stack.shop, { friend_value_minor: 1000, cookie_days: 21 });
    await createReferrer(database.db, stack.shop, CODE, "Noa");
    await createReferrer(database.db, stack.shop, OTHER_CODE, "Omri");
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  }, 30_000);

  const landingUrl = (code = CODE) => `${browser.stack.urls.simulator}/store/${browser.stack.shop}/apps/loyalty/r/${code}`;

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
    const shown = page.locator("[data-referral-discount-code]");
    await expect.poll(() => shown.textContent()).toMatch(/^FRIEND-/);
    const [claim] = await claimsOf("friend@example.com");
    expect(claim).toMatchObject({ code: CODE, status: "claimed", discount_code: await shown.textContent() });
    expect(claim.device_hash).toMatch(/^[0-9a-f]{32}$/);
    await expect(page.locator("#lr-until").textContent()).resolves.toContain("Use it by");
    await browser.screenshot("code-en");

    await page.getByRole("link", { name: "Apply to cart" }).click();
    await page.waitForURL(/\/store\/[^/]+\/?$/);
    await expect(page.locator("[data-cart-discount-code]").textContent()).resolves.toBe(claim.discount_code);
    await expect(page.locator('[data-cart-attribute="loyalty_referral"]').textContent()).resolves.toBe(`loyalty_referral=${CODE}`);
    await browser.screenshot("cart-en");
  });

  it("reads right to left in Hebrew and shows a refusal by its message key", async () => {
    const { page } = browser;
    await page.setExtraHTTPHeaders({ "Accept-Language": "he-IL,he;q=0.9" });
    // Another member's link: the email that claimed Noa's offer is refused here as already claimed.
    await page.goto(landingUrl(OTHER_CODE), { waitUntil: "load" });
    await expect(page.locator("html").getAttribute("dir")).resolves.toBe("rtl");
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("he");
    await expect(page.locator("[data-referral-offer]").textContent()).resolves.toContain("Omri נתן/ה לך הנחה של");
    await page.getByLabel("אימייל").fill("friend@example.com");
    await page.getByRole("button", { name: "קבלת הקוד שלי" }).click();
    const status = page.getByRole("status");
    await expect.poll(() => status.textContent()).toBe("האימייל הזה כבר קיבל הטבת הפניה.");
    await expect(status.getAttribute("data-referral-error")).resolves.toBe("already_claimed");
    expect((await claimsOf("friend@example.com")).map((row) => row.code)).toEqual([CODE]);
    await browser.screenshot("refused-he");

    await page.getByLabel("אימייל").fill("new-friend@example.com");
    await page.getByRole("button", { name: "קבלת הקוד שלי" }).click();
    await expect.poll(() => page.locator("[data-referral-discount-code]").textContent()).toMatch(/^FRIEND-/);
    expect(await claimsOf("new-friend@example.com")).toMatchObject([{ code: OTHER_CODE, status: "claimed" }]);
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
    // The second seeded customer: no friends of their own yet (the demo's referral is the first's).
    const member = await database.db.query
      .selectFrom("members")
      .select(["id", "customer_id"])
      .where("shop", "=", stack.shop)
      .where("customer_id", "=", String(stack.customers[1].id))
      .executeTakeFirstOrThrow();
    // Their code as the app made it (on the first read or the metafield sync, whichever came first).
    const code = await ensureReferralCode(database.db, stack.shop, member.id);
    // The member's friends: one who claimed through their link (the real endpoint), one whose
    // order came by the link alone (no name or email: "a friend").
    const claimed = await page.request.post(`${stack.urls.simulator}/store/${stack.shop}/apps/loyalty/referrals/claim`, {
      data: { code, email: "jo@example.com" },
    });
    expect(claimed.status()).toBe(201);
    const at = new Date().toISOString();
    await database.db.query
      .insertInto("referrals")
      .values({
        shop: stack.shop,
        referrer_member_id: member.id,
        code,
        friend_email: "",
        friend_email_key: "link-only:1",
        status: "pending",
        reasons: "[]",
        order_id: "9001",
        order_total_minor: 5000,
        ordered_at: at,
        reward_due_at: "2027-01-10T00:00:00.000Z",
        claimed_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const url = `https://${stack.shop}/apps/loyalty/r/${code}`;
    const reads: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/apps/loyalty/customer")) reads.push(request.method());
    });
    await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
    await page.goto(stack.urls.storefront(Number(member.customer_id)), { waitUntil: "load" });
    // The section fills from the widget's one read, made when the rewards come into view.
    await page.locator(".lyl--block [data-loyalty-rewards]").scrollIntoViewIfNeeded();
    const section = page.locator(".lyl--block [data-loyalty-referral]");
    await expect.poll(() => section.isVisible()).toBe(true);
    // The link is in the first HTML (the member's metafield); the counts come with the widget's one read.
    await expect.poll(() => reads).toEqual(["GET"]);
    await expect(section.getByLabel("Your referral link").inputValue()).resolves.toBe(url);
    await expect.poll(() => section.locator("[data-loyalty-referral-friends]").textContent()).toBe("2 friends referred");
    await expect(section.locator("[data-loyalty-referral-points]").textContent()).resolves.toBe("0 points earned");
    await expect(section.locator("[data-loyalty-referral-pending] li").allTextContents()).resolves.toEqual([
      "a friend · ordered, reward on its way",
      "jo***@example.com · has their code",
    ]);
    const hrefs = await section.locator("[data-share]").evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    expect(hrefs[0]).toMatch(/^mailto:\?subject=/);
    expect(hrefs.slice(1).map((href) => new URL(href).origin)).toEqual(["https://wa.me", "https://twitter.com", "https://www.facebook.com"]);
    expect(hrefs.every((href) => href.includes(encodeURIComponent(url)))).toBe(true);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await section.getByRole("button", { name: "Copy link" }).click();
    await expect.poll(() => section.getByRole("status").textContent()).toBe("Link copied");
    await browser.screenshot("refer-a-friend");
  });
});
