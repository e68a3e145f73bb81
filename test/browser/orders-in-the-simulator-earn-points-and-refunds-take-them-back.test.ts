import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInBrowser, startBrowserStack, type BrowserStack } from "./support/browser";

let browser: BrowserStack;

describeInBrowser("orders placed in the simulator's controls", () => {
  beforeAll(async () => {
    browser = await startBrowserStack("orders-earn-and-refunds-take-back", { customers: 3, orders: 0 });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  }, 30_000);

  it("earn points when paid, shown on the customer page and the storefront, and a refund takes them back", async () => {
    const { page, stack, database } = browser;
    const grace = stack.customers.find((customer) => customer.firstName === "Grace")!;
    // The storefront shows the balance from the customer's metafield, which the app's job worker writes (2 s poll).
    const storefrontShows = async (points: number) => {
      await expect
        .poll(
          async () => {
            await page.goto(stack.urls.storefront(grace.id));
            return page.locator(".lyl-launcher [data-loyalty-balance]").textContent();
          },
          { timeout: 15_000 },
        )
        .toBe(String(points));
    };
    const controls = async (action: () => Promise<unknown>, expected: RegExp) => {
      await Promise.all([page.waitForURL(/[?&](message|error)=/), action()]);
      await expect(page.getByRole("status").innerText()).resolves.toMatch(expected);
    };

    await page.goto(stack.urls.controls);
    await page.getByLabel("Customer").selectOption(String(grace.id));
    await page.getByLabel("Item").fill("Ceramic teapot");
    await page.getByLabel("Unit price").fill("48.00");
    await page.getByLabel("Quantity").fill("2");
    await controls(() => page.getByRole("button", { name: "Place order" }).click(), /Order placed/);
    await browser.screenshot("order-placed");

    const order = page.locator('tr[data-order="#1001"]');
    await controls(() => order.getByRole("button", { name: "Pay" }).click(), /#1001: paid · webhooks: orders\/paid delivered/);
    await expect(page.locator("#deliveries tbody tr").filter({ hasText: "orders/paid" }).innerText()).resolves.toMatch(/orders\/paid\s+delivered\s+1\s+200/);
    await browser.screenshot("order-paid");

    const member = await database.db.raw.get<{ id: number }>('SELECT "id" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [
      stack.shop,
      String(grace.id),
    ]);
    const customerPage = `${stack.urls.admin}/customers/${member!.id}`;
    const app = page.frameLocator('iframe[title="Loyalty app"]');
    await page.goto(customerPage);
    // 2 x 48.00 of merchandise at the default rate: 96 points.
    await app.getByText("96 points", { exact: true }).waitFor();
    await expect(app.getByRole("row").filter({ hasText: "Earned" }).innerText()).resolves.toMatch(/\+96\s+Earned/);
    await browser.screenshot("earned-on-customer-page");

    await storefrontShows(96);
    await browser.screenshot("storefront-shows-points");

    await page.goto(stack.urls.controls);
    await controls(() => order.getByRole("button", { name: "Refund all" }).click(), /#1001: refunded · webhooks: refunds\/create delivered/);
    await browser.screenshot("order-refunded");

    await page.goto(customerPage);
    await app.getByText("0 points", { exact: true }).waitFor();
    await expect(app.getByRole("row").filter({ hasText: "Refund" }).innerText()).resolves.toMatch(/-96\s+Refund/);
    await browser.screenshot("refund-on-customer-page");

    await storefrontShows(0);
    await browser.screenshot("storefront-after-refund");
  });
});
