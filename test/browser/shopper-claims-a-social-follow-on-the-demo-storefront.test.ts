import { afterAll, beforeAll, expect, it } from "vitest";
import { scheduleWaysToEarnSync } from "../../app/models/storefront-earning.server";
import { appInstallationId } from "../../simulator/admin-resolvers";
import { addEarningRule } from "../support/earning";
import { describeInBrowser, startBrowserStack, type BrowserStack } from "./support/browser";

// The whole path of a social follow, in Chromium on the demo stack (the app's production server
// with its job worker, the simulator's Admin API and storefront): the way to earn reaches the
// first HTML through the app-installation metafield, the shopper taps Follow, the merchant's page
// opens in a new tab, the claim is booked, and after the (shortened) delay the panel shows the
// new balance and the Done mark; a later page has both at first paint.

const CLAIM_DELAY_MS = 1000;
const MERCHANT_PAGE = "https://social.example/tea-house";
let browser: BrowserStack;
let ruleId: number;
const savedDelay = process.env.LOYALTY_SOCIAL_CLAIM_DELAY_MS;

describeInBrowser("a shopper claims a social follow on the demo storefront", () => {
  beforeAll(async () => {
    // The app process reads it at start: the points land a second after the claim.
    process.env.LOYALTY_SOCIAL_CLAIM_DELAY_MS = String(CLAIM_DELAY_MS);
    browser = await startBrowserStack("social-follow", { customers: 2, orders: 6 });
    const { database, stack } = browser;
    ruleId = await addEarningRule(database.db, stack.shop, { kind: "social", points: 50, settings: { network: "instagram", url: MERCHANT_PAGE } });
    // What the admin's save does: the storefront's copy of the ways to earn is due.
    await scheduleWaysToEarnSync(database.db, stack.shop, new Date());
    const simulated = stack.simulator.store.shop(stack.shop);
    const deadline = Date.now() + 15_000;
    const written = () =>
      simulated.metafields.some((m) => m.ownerId === appInstallationId(simulated) && m.key === "ways_to_earn" && m.value.includes(MERCHANT_PAGE));
    while (!written()) {
      if (Date.now() > deadline) throw new Error("the job worker did not write the ways-to-earn metafield within 15 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    if (savedDelay === undefined) delete process.env.LOYALTY_SOCIAL_CLAIM_DELAY_MS;
    else process.env.LOYALTY_SOCIAL_CLAIM_DELAY_MS = savedDelay;
  }, 30_000);

  it("taps Follow, sees the points on their way, then the new balance and Done; the next page has them at first paint", async () => {
    const { page, stack, database, context } = browser;
    const member = await database.db.raw.get<{ id: number; customer_id: string; balance: number }>(
      'SELECT "id", "customer_id", "balance" FROM "members" WHERE "shop" = ? ORDER BY "balance" DESC LIMIT 1',
      [stack.shop],
    );
    const before = member!.balance;
    // No internet: the merchant's social page is answered here.
    await context.route(`${MERCHANT_PAGE}**`, (route) =>
      route.fulfill({ contentType: "text/html", body: "<title>Tea House on Instagram</title><h1>Tea House</h1>" }),
    );
    const claims: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/apps/loyalty/ways-to-earn/")) claims.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });

    const response = await page.goto(stack.urls.storefront(Number(member!.customer_id)), { waitUntil: "load" });
    const firstHtml = await response!.text();
    expect(firstHtml).toContain(`data-loyalty-claim="${ruleId}"`);
    expect(firstHtml).toContain("Follow us on Instagram");
    const section = page.locator(".lyl--block");
    const follow = section.locator(`[data-loyalty-claim="${ruleId}"]`);
    await expect(follow.getAttribute("href")).resolves.toBe(MERCHANT_PAGE);
    await browser.screenshot("before-follow");

    const [merchantTab] = await Promise.all([context.waitForEvent("page"), follow.click()]);
    await merchantTab.waitForLoadState();
    expect(merchantTab.url()).toBe(MERCHANT_PAGE);
    await merchantTab.close();

    const status = section.locator("[data-loyalty-claim-status]");
    await expect.poll(() => status.textContent()).toBe("Your points are on their way");
    await expect(status.isVisible()).resolves.toBe(true);
    await browser.screenshot("points-on-their-way");
    expect(claims).toEqual([`POST /apps/loyalty/ways-to-earn/${ruleId}/claim`]);

    await expect.poll(() => section.locator("[data-loyalty-balance]").first().textContent(), { timeout: 20_000 }).toBe(String(before + 50));
    await expect(page.locator(".lyl-launcher [data-loyalty-balance]").textContent()).resolves.toBe(String(before + 50));
    await expect(section.locator(`[data-loyalty-way="${ruleId}"] .lyl-done`).textContent()).resolves.toContain("Done");
    await expect(follow.count()).resolves.toBe(0);
    await expect(status.isHidden()).resolves.toBe(true);
    await browser.screenshot("points-landed");

    const ledger = await database.db.raw.all<{ kind: string; delta: number }>(
      'SELECT "kind", "delta" FROM "ledger_entries" WHERE "member_id" = ? AND "rule_id" = ?',
      [member!.id, ruleId],
    );
    expect(ledger).toEqual([{ kind: "social", delta: 50 }]);

    // The job worker writes the member's metafields: a later page paints the balance and Done with no request.
    await expect
      .poll(
        async () => {
          const html = await (await page.reload())!.text();
          return html.includes(`<span data-loyalty-balance>${before + 50}</span>`) && !html.includes(`data-loyalty-claim="${ruleId}"`);
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await expect(section.locator(`[data-loyalty-way="${ruleId}"] .lyl-done`).isVisible()).resolves.toBe(true);
  });
});
