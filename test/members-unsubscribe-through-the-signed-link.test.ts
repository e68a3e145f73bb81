import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mayReceive, unsubscribeToken } from "../app/domain/member-messages";
import { unsubscribeUrl } from "../app/email/unsubscribe-link.server";
import { startAppServer, testConfig } from "./support/app-server";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { subscribedMember } from "./support/outbox";

// The link in every member message, through the app's real server: GET asks in the member's
// language with a button, POST (the button, or a mail client's RFC 8058 one-click POST)
// unsubscribes once; a link whose signature is not ours changes nothing and answers 400.

const SHOP = "unsubscribe-tea.myshopify.com";
const OTHER_SHOP = "other-tea.myshopify.com";

let database: TestDatabase;
let app: Awaited<ReturnType<typeof startAppServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await installShop(database.db, OTHER_SHOP);
  app = await startAppServer(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

const member = async (email: string, locale = "en") => {
  const created = await subscribedMember(database.db, SHOP, email);
  await database.db.raw.run(`UPDATE "members" SET "locale" = ? WHERE "id" = ?`, [locale, created.id]);
  return created;
};
const unsubscribedAt = async (id: number) =>
  (await database.db.raw.get<{ unsubscribed_at: string | null }>(`SELECT "unsubscribed_at" FROM "members" WHERE "id" = ?`, [id]))!.unsubscribed_at;
/** The link as a message carries it, sent to this test's server. */
const link = (shop: string, id: number) => {
  const url = new URL(unsubscribeUrl(shop, id, testConfig));
  return `${app.origin}${url.pathname}${url.search}`;
};
const oneClick = (url: string) =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });

describe("the unsubscribe link", () => {
  it("GET asks with a button that posts back to the link, and changes nothing", async () => {
    const { id } = await member("ask@example.com");
    const response = await fetch(link(SHOP, id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain("Stop getting reward emails from <bdi>Unsubscribe Tea</bdi>?");
    expect(html).toMatch(/<form method="post" action="\/messages\/unsubscribe\?token=[\w.-]+">/);
    expect(await unsubscribedAt(id)).toBeNull();
  });

  it("POST (one-click) unsubscribes; a second POST keeps the first time; mayReceive then refuses every kind", async () => {
    const { id } = await member("click@example.com");
    const first = await oneClick(link(SHOP, id));
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("You&#39;re unsubscribed");
    const at = await unsubscribedAt(id);
    expect(at).not.toBeNull();
    const second = await oneClick(link(SHOP, id));
    expect(second.status).toBe(200);
    expect(await unsubscribedAt(id)).toBe(at);
    // Opened again, the link says it is done rather than asking.
    expect(await (await fetch(link(SHOP, id))).text()).toContain("You&#39;re unsubscribed");
    const row = (await database.db.raw.get<{ email: string; marketing_state: string; unsubscribed_at: string }>(
      `SELECT "email", "marketing_state", "unsubscribed_at" FROM "members" WHERE "id" = ?`,
      [id],
    ))!;
    for (const kind of ["points_expiring", "win_back"] as const) {
      expect(
        mayReceive(kind, { email: row.email, marketingState: "SUBSCRIBED", unsubscribedAt: row.unsubscribed_at }, { accountMessagesFollowConsent: false }),
      ).toEqual({
        ok: false,
        reason: "unsubscribed",
      });
    }
  });

  it.each([
    ["he", 'dir="rtl"', "ההרשמה בוטלה"],
    ["ar", 'dir="rtl"', "تم إلغاء اشتراكك"],
    ["da", 'dir="ltr"', "Du er afmeldt"],
    ["ro", 'dir="ltr"', "Te-ai dezabonat"],
    ["pt-BR", 'dir="ltr"', "You&#39;re unsubscribed"],
  ])("speaks the member's language (%s)", async (locale, direction, done) => {
    const { id } = await member(`lang-${locale}@example.com`, locale);
    expect(await (await fetch(link(SHOP, id))).text()).toContain(direction);
    expect(await (await oneClick(link(SHOP, id))).text()).toContain(done);
  });

  it.each([
    ["a changed signature", (token: string) => `${token.slice(0, -2)}xx`],
    [
      "another member in the payload with the old signature",
      (token: string, otherId: number) => `${Buffer.from(JSON.stringify([SHOP, otherId])).toString("base64url")}.${token.split(".")[1]}`,
    ],
    ["a token signed with another secret", (_token: string, otherId: number) => unsubscribeToken("not-the-app-secret", SHOP, otherId)],
    ["no token", () => ""],
  ])("%s: 400, says the link is not valid, and nothing changes", async (_name, tamper) => {
    const { id } = await member(`tamper-${_name.length}-${Date.now()}@example.com`);
    const victim = await member(`victim-${_name.length}-${Date.now()}@example.com`);
    const token = new URL(link(SHOP, id)).searchParams.get("token")!;
    const url = `${app.origin}/messages/unsubscribe?token=${encodeURIComponent(tamper(token, victim.id))}`;
    for (const response of [await fetch(url, { headers: { "Accept-Language": "da-DK,da;q=0.9" } }), await oneClick(url)]) {
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/This unsubscribe link is not valid|Dette afmeldingslink er ikke gyldigt/);
    }
    expect(await unsubscribedAt(id)).toBeNull();
    expect(await unsubscribedAt(victim.id)).toBeNull();
  });

  it("a link for one shop's member cannot unsubscribe another shop's member of the same id", async () => {
    const { id } = await member("scoped@example.com");
    const response = await oneClick(link(OTHER_SHOP, id));
    expect(response.status).toBe(200);
    expect(await unsubscribedAt(id)).toBeNull();
  });

  it("other methods: 405 with Allow", async () => {
    const { id } = await member("put@example.com");
    const response = await fetch(link(SHOP, id), { method: "PUT" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, POST");
  });
});
