import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInBrowser, startBrowserStack, type BrowserStack } from "./support/browser";

let browser: BrowserStack;

describeInBrowser("a merchant in the simulated Shopify admin", () => {
  beforeAll(async () => {
    browser = await startBrowserStack("merchant-adjusts-a-balance", { customers: 4, orders: 12 });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  }, 30_000);

  it("finds a customer by email, adjusts the balance with a reason, and sees the ledger entry", async () => {
    const { page, stack, database } = browser;
    const grace = stack.customers.find((customer) => customer.firstName === "Grace")!;
    const member = await database.db.raw.get<{ id: number; balance: number }>('SELECT "id", "balance" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [
      stack.shop,
      String(grace.id),
    ]);
    expect(member).toBeDefined();

    await page.goto(stack.urls.admin);
    const app = page.frameLocator('iframe[title="Loyalty app"]');
    await expect(app.getByText("Points program").first().waitFor()).resolves.toBeUndefined();
    await browser.screenshot("admin-home");

    await app.getByRole("link", { name: "Customers", exact: true }).first().click();
    await app.getByRole("heading", { name: "Customers" }).waitFor();
    await app.getByLabel("Search customers").fill("grace.hopper@example.com");
    await app.getByLabel("Search customers").press("Enter");
    await app.getByText("Ada Lovelace").waitFor({ state: "detached" });
    await expect(app.getByText("Grace Hopper").count()).resolves.toBe(1);
    await browser.screenshot("search-by-email");

    await app.getByText("Grace Hopper").click();
    await app.getByRole("heading", { name: "Grace Hopper" }).waitFor();
    const before = member!.balance;
    await expect(app.getByText(`${before.toLocaleString("en-US")} points`, { exact: true }).count()).resolves.toBe(1);
    await browser.screenshot("customer-page");

    await app.getByLabel("Points", { exact: true }).fill("250");
    await app.getByLabel("Reason", { exact: true }).fill("Goodwill for a late parcel");
    await browser.screenshot("adjustment-filled-in");
    await app.getByRole("button", { name: "Record adjustment" }).click();

    await app.getByText("+250 points recorded.").waitFor();
    // The recorded adjustment empties the form for the next one.
    await expect(app.getByLabel("Points", { exact: true }).inputValue()).resolves.toBe("");
    await expect(app.getByLabel("Reason", { exact: true }).inputValue()).resolves.toBe("");
    await app.getByText(`${(before + 250).toLocaleString("en-US")} points`, { exact: true }).waitFor();
    const row = app.getByRole("row").filter({ hasText: "Goodwill for a late parcel" });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.innerText()).resolves.toMatch(/\+250\s+Manual adjustment\s+Goodwill for a late parcel\s+Staff 1/);
    await browser.screenshot("ledger-entry");

    const entry = await database.db.raw.get<{ delta: number; actor_id: string }>(
      'SELECT "delta", "actor_id" FROM "ledger_entries" WHERE "shop" = ? AND "member_id" = ? AND "reason" = ?',
      [stack.shop, member!.id, "Goodwill for a late parcel"],
    );
    expect(entry).toEqual({ delta: 250, actor_id: "1" });
  });
});
