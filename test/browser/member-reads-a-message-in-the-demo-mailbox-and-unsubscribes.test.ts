import { afterAll, beforeAll, expect, it } from "vitest";
import { occasionKey } from "../../app/domain/member-messages";
import { unsubscribeUrl } from "../../app/email/unsubscribe-link.server";
import { queueMessage } from "../../app/models/outbox.server";
import { describeInBrowser, startBrowserStack, type BrowserStack } from "./support/browser";

// The demo end to end: a message in the outbox is sent by the app's own worker (server.mjs) to the
// simulator's SMTP server, read on the simulator's mailbox page, and its unsubscribe link, opened
// in the browser, asks in the member's language and unsubscribes them.

let browser: BrowserStack;

describeInBrowser("the demo's mailbox", () => {
  beforeAll(async () => {
    browser = await startBrowserStack("mailbox-and-unsubscribe", { customers: 2, orders: 0 });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  }, 30_000);

  it("shows what the app sent, and the message's unsubscribe link unsubscribes the member in Hebrew", async () => {
    const { page, stack, database } = browser;
    const [customer] = stack.customers;
    // The customer's language is Hebrew (customers/update carries it to the app).
    await stack.simulator.deliveries.publish(
      stack.simulator.store.updateCustomer(stack.shop, customer!.id, { locale: "he", emailMarketing: "subscribed" }).events,
    );
    const member = () =>
      database.db.raw.get<{ id: number; locale: string | null; unsubscribed_at: string | null }>(
        `SELECT "id", "locale", "unsubscribed_at" FROM "members" WHERE "shop" = ? AND "customer_id" = ?`,
        [stack.shop, String(customer!.id)],
      );
    await expect.poll(async () => (await member())?.locale, { timeout: 10_000 }).toBe("he");
    const { id } = (await member())!;
    // What the composer would queue (app/models/outbox.server.ts), with the link it puts in the body.
    const link = unsubscribeUrl(stack.shop, id, { appUrl: stack.appUrl, apiSecrets: ["demo-api-secret"] });
    await queueMessage(database.db, {
      shop: stack.shop,
      memberId: id,
      kind: "points_earned",
      occasionKey: occasionKey(id, { kind: "points_earned", localDate: "2026-12-03" }),
      toEmail: customer!.email!,
      locale: "he",
      subject: "צברת 40 נקודות",
      html: `<p dir="rtl">צברת <b>40 נקודות</b>.</p><p><a href="${link}">ביטול הרשמה</a></p>`,
      text: `צברת 40 נקודות.\nביטול הרשמה: ${link}`,
    });

    // The app's outbox worker polls every 2 s.
    await expect
      .poll(
        async () => {
          await page.goto(stack.urls.mailbox);
          return page.getByRole("link", { name: "צברת 40 נקודות" }).count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    await expect(page.locator("tbody tr").first().innerText()).resolves.toContain(customer!.email!);
    await browser.screenshot("mailbox");
    await page.getByRole("link", { name: "צברת 40 נקודות" }).click();
    await expect(page.frameLocator('iframe[title="HTML part"]').locator("b").innerText()).resolves.toBe("40 נקודות");
    await expect(page.locator("pre").first().innerText()).resolves.toContain(link);
    await expect(page.locator("pre").last().innerText()).resolves.toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    await browser.screenshot("message");

    await page.goto(link);
    await expect(page.locator("html").getAttribute("dir")).resolves.toBe("rtl");
    await browser.screenshot("unsubscribe-question");
    await page.getByRole("button", { name: "ביטול הרשמה" }).click();
    await expect(page.getByRole("heading").innerText()).resolves.toBe("ההרשמה בוטלה");
    await browser.screenshot("unsubscribed");
    expect((await member())!.unsubscribed_at).not.toBeNull();
    const sent = await database.db.raw.get<{ status: string; message_id: string }>(
      `SELECT "status", "message_id" FROM "outbox_messages" WHERE "member_id" = ?`,
      [id],
    );
    expect(sent).toMatchObject({ status: "sent" });
  });
});
