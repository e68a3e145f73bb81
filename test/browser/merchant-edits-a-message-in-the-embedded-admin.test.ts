import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInBrowser, startBrowserStack, type BrowserStack } from "./support/browser";

// The Messages page in the simulated Shopify admin: a merchant turns a message on, writes its
// Hebrew subject with a mistake and is told the line and variable, previews it with a real
// customer, sends a test to themselves and sees it in the recent messages.

let browser: BrowserStack;

describeInBrowser("a merchant edits a member message in the simulated Shopify admin", () => {
  beforeAll(async () => {
    browser = await startBrowserStack("merchant-edits-a-message", { customers: 3, orders: 3 });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  }, 30_000);

  it("turns welcome on, fixes a template the check refused, previews it with a customer and sends a test", async () => {
    const { page, stack, database } = browser;
    await page.goto(stack.urls.admin);
    const app = page.frameLocator('iframe[title="Loyalty app"]');
    await app.getByText("Points program").first().waitFor();
    await app.getByRole("link", { name: "Messages", exact: true }).first().click();
    await app.getByRole("heading", { name: "Welcome" }).waitFor();
    await browser.screenshot("messages-page");

    await app.getByLabel("Send this message").check();
    await app.getByRole("tab", { name: "Hebrew" }).click();
    const body = app.getByLabel("Body (Hebrew)");
    await body.fill("שלום {{ first_name }},\n\nיש לך {{ pionts }} נקודות");
    await app.getByRole("button", { name: "Save", exact: true }).first().click();
    await app.getByText("Line 3: {{ pionts }} is not something this message can fill in", { exact: false }).waitFor();
    await browser.screenshot("template-refused");

    await body.fill("שלום {{ first_name }},\n\nיש לך {{ balance }} נקודות");
    await app.getByRole("button", { name: "Save", exact: true }).first().click();
    await app.getByText("Saved").first().waitFor();
    // The banner can show before the row is read back on a loaded machine: wait for the row itself.
    const savedBody = async () =>
      (
        await database.db.raw.get<{ body: string }>(`SELECT "body" FROM "message_templates" WHERE "shop" = ? AND "kind" = 'welcome' AND "locale" = 'he'`, [
          stack.shop,
        ])
      )?.body;
    await expect.poll(savedBody, { timeout: 10_000 }).toBe("שלום {{ first_name }},\n\nיש לך {{ balance }} נקודות");

    await app.getByRole("tab", { name: /Hebrew/ }).click();
    const customer = stack.customers[0];
    await app.getByLabel("Preview with member").selectOption({ label: `${customer.firstName} ${customer.lastName} (${customer.email})` });
    await app.getByRole("button", { name: "Preview", exact: true }).click();
    const preview = app.frameLocator('iframe[title="Message preview"]');
    await preview.getByText(`שלום ${customer.firstName},`).waitFor();
    await expect(preview.locator("html").getAttribute("dir")).resolves.toBe("rtl");
    await browser.screenshot("preview-in-hebrew");

    await app.getByLabel("Send a test to").fill("owner@demo-tea.example");
    await app.getByRole("button", { name: "Send a test to me" }).click();
    await app.getByText("Test queued to owner@demo-tea.example").waitFor();
    await app.getByRole("row").filter({ hasText: "owner@demo-tea.example" }).first().waitFor();
    await browser.screenshot("test-queued");
    const rows = await database.db.raw.all<{ to_email: string; subject: string }>(`SELECT "to_email", "subject" FROM "outbox_messages" WHERE "shop" = ?`, [
      stack.shop,
    ]);
    expect(rows).toEqual([{ to_email: "owner@demo-tea.example", subject: expect.stringMatching(/^\[Test\] /) }]);
  });
});
