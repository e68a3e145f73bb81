import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInBrowser, startBrowserStack, type BrowserStack } from "./support/browser";

let browser: BrowserStack;

describeInBrowser("a customer on the demo storefront (the theme app extension's Liquid)", () => {
  beforeAll(async () => {
    browser = await startBrowserStack("storefront-redeems", { customers: 3, orders: 40 });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  }, 30_000);

  it("sees the balance in the first HTML, opens the launcher with the keyboard, redeems, and the code lands on the cart", async () => {
    const { page, stack, database } = browser;
    const member = await database.db.raw.get<{ id: number; customer_id: string; balance: number }>(
      'SELECT "id", "customer_id", "balance" FROM "members" WHERE "shop" = ? ORDER BY "balance" DESC LIMIT 1',
      [stack.shop],
    );
    const reward = await database.db.raw.get<{ id: number; name: string; points_cost: number }>(
      'SELECT "id", "name", "points_cost" FROM "rewards" WHERE "shop" = ? ORDER BY "id" LIMIT 1',
      [stack.shop],
    );
    expect(reward).toMatchObject({ name: "5 off your order", points_cost: 500 });
    expect(member!.balance).toBeGreaterThanOrEqual(reward!.points_cost);
    const customerId = Number(member!.customer_id);

    const proxyRequests: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.includes("/apps/loyalty/")) proxyRequests.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    // The app proxy is held unanswered through the first paint: the balance cannot come from it.
    let releaseProxy!: () => void;
    const proxyHeld = new Promise<void>((resolve) => (releaseProxy = resolve));
    await page.route("**/apps/loyalty/**", async (route) => {
      await proxyHeld;
      await route.continue();
    });
    const response = await page.goto(stack.urls.storefront(customerId), { waitUntil: "load" });
    const firstHtml = await response!.text();
    expect(firstHtml).toContain(`<span data-loyalty-balance>${member!.balance}</span> points`);
    expect(firstHtml).toContain('data-member="true"');
    expect(firstHtml).toContain('src="/cdn/loyalty-theme/assets/loyalty.js" defer');
    await expect(page.locator(".lyl-launcher [data-loyalty-balance]").textContent()).resolves.toBe(String(member!.balance));
    await expect(page.locator(".lyl--block [data-loyalty-balance]").textContent()).resolves.toBe(String(member!.balance));
    await expect(page.locator("[data-cart-discount-codes]").textContent()).resolves.toBe("Cart: no discount code");
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName("first-contentful-paint").length)).toBe(1);
    await browser.screenshot("first-paint");
    releaseProxy();

    const launcher = page.locator(".lyl-launcher");
    for (let presses = 0; !(await launcher.evaluate((el) => el === document.activeElement)); presses++) {
      if (presses === 40) throw new Error("the launcher was not reached with the Tab key in 40 presses");
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
    await expect(launcher.getAttribute("aria-expanded")).resolves.toBe("true");
    const panel = page.locator(`#${await launcher.getAttribute("aria-controls")}`);
    const redeem = panel.getByRole("button", { name: `Redeem: ${reward!.name}` });
    await redeem.waitFor();
    await redeem.focus();
    await page.keyboard.press("Enter");

    const code = panel.locator("[data-loyalty-code]");
    await expect.poll(() => code.textContent(), { timeout: 10_000 }).toMatch(/^PTS-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const shown = (await code.textContent())!;
    const after = member!.balance - reward!.points_cost;
    await expect(launcher.locator("[data-loyalty-balance]").textContent()).resolves.toBe(String(after));
    expect(proxyRequests).toEqual(["GET /apps/loyalty/customer", "POST /apps/loyalty/redemptions"]);
    await browser.screenshot("code-shown");

    await panel.getByRole("link", { name: "Apply to cart" }).click();
    await page.waitForURL(`${stack.urls.simulator}/store/${stack.shop}`);
    await expect(page.locator("[data-cart-discount-code]").textContent()).resolves.toBe(shown);
    await browser.screenshot("code-on-the-cart");

    const redemption = await database.db.raw.get<{ status: string; points: number; member_id: number }>(
      'SELECT "status", "points", "member_id" FROM "redemptions" WHERE "shop" = ? AND "code" = ?',
      [stack.shop, shown],
    );
    expect(redemption).toEqual({ status: "issued", points: reward!.points_cost, member_id: member!.id });
    const discounts = [...stack.simulator.store.shop(stack.shop).discounts.values()].filter((discount) => discount.code === shown);
    expect(discounts).toHaveLength(1);
    expect(discounts[0].customerIds).toEqual([customerId]);

    // The job worker writes the new balance to the metafield: a later page shows it at first paint.
    await expect.poll(async () => (await (await page.reload())!.text()).includes(`<span data-loyalty-balance>${after}</span>`), { timeout: 15_000 }).toBe(true);
  });

  it("shows a guest what the programme is and how to join", async () => {
    const { page, stack } = browser;
    await page.goto(`${stack.urls.storefront()}?customer=`);
    await expect(page.locator(".lyl--block").getAttribute("data-member")).resolves.toBe("false");
    await expect(page.getByRole("link", { name: "Join now" }).first().isVisible()).resolves.toBe(true);
    await expect(page.locator("[data-loyalty-balance]").count()).resolves.toBe(0);
    await browser.screenshot("guest");
  });
});
