import { describe, expect, it } from "vitest";
import { unsealSecret } from "../app/email/sealed-secret";
import { TEST_API_SECRET } from "./support/signing";
import { embeddedPageRequest, routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";

// The Messages page through the production build: each kind on or off with its options, templates
// per language refused at the field with the line and variable at fault, a preview with a real
// member, a test to the staff's address under its own occasion each click, the SMTP server checked
// and sealed at save, and the outbox's rows with their failures; one shop never sees another's.

const SHOP = "remix-messages-test.myshopify.com";
const OTHER_SHOP = "remix-messages-other-test.myshopify.com";
const ROUTE = "routes/app.messages";
const fixture = useRemixApp([SHOP, OTHER_SHOP]);

const get = (path: string, shop = SHOP) => fixture.app.handle(routeDataRequest(path, ROUTE, { token: sessionToken({ shop }) }));
const post = (form: Record<string, string>, shop = SHOP) =>
  fixture.app.handle(routeDataRequest("/app/messages", ROUTE, { method: "POST", token: sessionToken({ shop }), form }));

interface PageData {
  kinds: { kind: string; enabled: boolean; marketing: boolean }[];
  kind: {
    kind: string;
    enabled: boolean;
    options: { days?: number; bonusPoints?: number };
    templates: Record<string, { subject: string; body: string; custom: boolean }>;
  };
  preview: { locale: string; subject: string; html: string; text: string };
  expiryReminderDays: number[];
  accountMessagesFollowConsent: boolean;
  smtp: { own: boolean; server: string | null; sender: string };
  outbox: { kind: string; toEmail: string; subject: string; status: string; lastError: string | null }[];
  members: { id: number; label: string }[];
}

const page = async (path = "/app/messages", shop = SHOP) => {
  const response = await get(path, shop);
  expect(response.status).toBe(200);
  return (await response.json()) as PageData;
};

const db = () => fixture.database.db;

async function addMember(shop: string, email: string, firstName: string) {
  const at = new Date().toISOString();
  const row = await db()
    .query.insertInto("members")
    .values({ shop, customer_id: String(Math.floor(Math.random() * 1e9)), email, first_name: firstName, balance: 0, created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("the Messages page, through the production build", () => {
  it("renders as the embedded admin opens it, the preview in a sandboxed frame", async () => {
    const response = await fixture.app.handle(embeddedPageRequest("/app/messages?kind=welcome&locale=he", SHOP));
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const text of [
      "Send this message",
      "Preview and test",
      "Send a test to me",
      "Recent messages",
      "Email delivery",
      "Account messages follow email marketing consent too",
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/<iframe title="Message preview" sandbox="" srcDoc="[^"]*dir=&quot;rtl&quot;/);
  });

  it("lists every kind, off until the merchant turns it on, with the defaults in every language", async () => {
    const data = await page();
    expect(data.kinds.map((kind) => kind.kind)).toEqual([
      "welcome",
      "points_earned",
      "reward_affordable",
      "points_expiring",
      "last_chance",
      "tier_reached",
      "tier_at_risk",
      "birthday",
      "win_back",
      "referral",
    ]);
    expect(data.kinds.every((kind) => !kind.enabled)).toBe(true);
    expect(data.kinds.filter((kind) => kind.marketing).map((kind) => kind.kind)).toEqual(["reward_affordable", "win_back", "referral"]);
    expect(Object.keys(data.kind.templates)).toEqual(["en", "he", "ar", "da", "ro"]);
    expect(data.kind.templates.he.subject).toBe("ברוכים הבאים למועדון ההטבות של {{ shop_name }}");
    expect(data.expiryReminderDays).toEqual([30, 7]);
  });

  it("saves a kind on with its options and an edited template, and keeps the other languages on their defaults", async () => {
    const before = (await page("/app/messages?kind=win_back")).kind;
    const form: Record<string, string> = { intent: "save_kind", kind: "win_back", enabled: "on", days: "60", bonusPoints: "25" };
    for (const [locale, template] of Object.entries(before.templates)) {
      form[`subject_${locale}`] = template.subject;
      form[`body_${locale}`] = template.body;
    }
    form.subject_da = "Vi savner dig, {{ first_name }}";
    const response = await post(form);
    expect(response.status).toBe(200);
    const after = await page("/app/messages?kind=win_back&locale=da");
    expect(after.kind).toMatchObject({ enabled: true, options: { days: 60, bonusPoints: 25 } });
    expect(after.kind.templates.da).toMatchObject({ subject: "Vi savner dig, {{ first_name }}", custom: true });
    expect(after.kind.templates.en.custom).toBe(false);
    expect(after.preview.subject).toBe("Vi savner dig, Dana");
    expect(after.kinds.find((kind) => kind.kind === "win_back")!.enabled).toBe(true);
    expect((await page("/app/messages?kind=win_back", OTHER_SHOP)).kind).toMatchObject({ enabled: false, options: { days: 90, bonusPoints: 0 } });
  });

  it("refuses a template at the field with the line and the variable at fault, and saves nothing", async () => {
    const response = await post({
      intent: "save_kind",
      kind: "welcome",
      enabled: "on",
      subject_he: "שלום {{ first_name }}",
      body_he: "שורה ראשונה\n\nיש לך {{ pionts }} נקודות",
      subject_en: "{{ points | shout }}",
      body_en: "Hi",
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { fieldErrors: Record<string, { message: string; line: number | null; variable: string | null }> };
    expect(body.fieldErrors.body_he).toMatchObject({ line: 3, variable: "pionts" });
    expect(body.fieldErrors.body_he.message).toMatch(/^Line 3: \{\{ pionts \}\} is not something this message can fill in/);
    expect(body.fieldErrors.subject_en.message).toBe('Line 1: "shout" is not a Liquid filter.');
    expect(body.fieldErrors.subject_he).toBeUndefined();
    expect((await page()).kind.enabled).toBe(false);
  });

  it("refuses reminder days and win-back days that cannot work, and saves good reminder days on the shop", async () => {
    let response = await post({ intent: "save_kind", kind: "points_expiring", reminderDays: "30, one" });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { fieldErrors: Record<string, unknown> }).fieldErrors).toHaveProperty("reminderDays");
    response = await post({ intent: "save_kind", kind: "win_back", days: "0", bonusPoints: "-5" });
    expect(Object.keys(((await response.json()) as { fieldErrors: Record<string, unknown> }).fieldErrors).sort()).toEqual(["bonusPoints", "days"]);
    response = await post({ intent: "save_kind", kind: "points_expiring", enabled: "on", reminderDays: "7, 30, 14" });
    expect(response.status).toBe(200);
    expect((await page()).expiryReminderDays).toEqual([30, 14, 7]);
  });

  it("previews with a real member, unsaved edits included, as HTML right to left in Hebrew", async () => {
    const memberId = await addMember(SHOP, "miriam@example.com", "Miriam");
    const data = await page(`/app/messages?kind=birthday&locale=he&member=${memberId}`);
    expect(data.members.map((member) => member.label)).toContain("Miriam");
    expect(data.preview.html).toContain('dir="rtl"');
    expect(data.preview.text).toContain("יום הולדת שמח, Miriam!");
    const response = await post({
      intent: "preview",
      kind: "birthday",
      locale: "he",
      member: String(memberId),
      subject_he: "מזל טוב {{ first_name }}",
      body_he: "{{ balance }}",
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { preview: { subject: string } }).preview.subject).toBe("מזל טוב Miriam");
  });

  it("sends a test to the staff's address, whatever consent says, one message per click, listed with its status and error", async () => {
    const memberId = await addMember(SHOP, "no-consent@example.com", "Yael");
    const form = {
      intent: "send_test",
      kind: "welcome",
      locale: "en",
      member: String(memberId),
      testEmail: "staff@shop.example",
      subject_en: "Hi {{ first_name }}",
      body_en: "Welcome",
    };
    expect((await post(form)).status).toBe(200);
    expect((await post(form)).status).toBe(200);
    expect((await post({ ...form, testEmail: "not an address" })).status).toBe(422);
    await db()
      .query.updateTable("outbox_messages")
      .set({ status: "bounced", last_error: "550 5.1.1 No such user" })
      .where("shop", "=", SHOP)
      .where("id", "=", (eb) =>
        eb
          .selectFrom("outbox_messages")
          .select((e) => e.fn.min("id").as("id"))
          .where("shop", "=", SHOP),
      )
      .execute();
    const data = await page();
    expect(data.outbox.map((row) => [row.toEmail, row.subject, row.status, row.lastError])).toEqual([
      ["staff@shop.example", "[Test] Hi Yael", "queued", null],
      ["staff@shop.example", "[Test] Hi Yael", "bounced", "550 5.1.1 No such user"],
    ]);
    expect((await page("/app/messages", OTHER_SHOP)).outbox).toEqual([]);
  });

  it("checks the SMTP server at save with the reason, keeps its URL sealed, and never shows its password", async () => {
    let response = await post({ intent: "save_smtp", smtpUrl: "http://smtp.example.com", sender: "rewards@shop.example" });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { fieldErrors: Record<string, { message: string }> }).fieldErrors.smtpUrl.message).toBe(
      "The SMTP URL must start with smtp:// or smtps://, not http://.",
    );
    response = await post({ intent: "save_smtp", smtpUrl: "smtps://rewards:pa55word@smtp.example.com:465", sender: "nobody" });
    expect(((await response.json()) as { fieldErrors: Record<string, { message: string }> }).fieldErrors.sender.message).toMatch(/Enter the address/);
    response = await post({ intent: "save_smtp", smtpUrl: "smtps://rewards:pa55word@smtp.example.com:465", sender: "Tea <rewards@shop.example>" });
    expect(response.status).toBe(200);
    const row = await db().query.selectFrom("shops").select(["smtp_url_sealed", "sender_email"]).where("domain", "=", SHOP).executeTakeFirstOrThrow();
    expect(row.smtp_url_sealed).not.toContain("pa55word");
    expect(unsealSecret([TEST_API_SECRET], row.smtp_url_sealed!)).toBe("smtps://rewards:pa55word@smtp.example.com:465");
    expect(row.sender_email).toBe("Tea <rewards@shop.example>");
    const data = await page();
    expect(data.smtp).toEqual({ own: true, server: "smtps://rewards:****@smtp.example.com:465", unreadable: false, sender: "Tea <rewards@shop.example>" });
    expect(JSON.stringify(data)).not.toContain("pa55word");
    // A blank URL keeps the saved one; the app's server clears both.
    expect((await post({ intent: "save_smtp", smtpUrl: "", sender: "rewards@shop.example" })).status).toBe(200);
    expect(
      unsealSecret(
        [TEST_API_SECRET],
        (await db().query.selectFrom("shops").select("smtp_url_sealed").where("domain", "=", SHOP).executeTakeFirstOrThrow()).smtp_url_sealed!,
      ),
    ).toBe("smtps://rewards:pa55word@smtp.example.com:465");
    expect((await post({ intent: "save_smtp", useAppServer: "on", smtpUrl: "", sender: "" })).status).toBe(200);
    expect((await page()).smtp).toMatchObject({ own: false, server: null, sender: "" });
  });

  it("saves whether account messages follow consent", async () => {
    expect((await post({ intent: "save_rules", accountMessagesFollowConsent: "on" })).status).toBe(200);
    expect((await page()).accountMessagesFollowConsent).toBe(true);
    expect((await page("/app/messages", OTHER_SHOP)).accountMessagesFollowConsent).toBe(false);
    expect((await post({ intent: "save_rules" })).status).toBe(200);
    expect((await page()).accountMessagesFollowConsent).toBe(false);
  });
});
