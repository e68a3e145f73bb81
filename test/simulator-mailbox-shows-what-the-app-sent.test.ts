import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboxDelivery } from "../app/email/outbox-worker.server";
import { createMailer } from "../app/email/transport.server";
import { unsubscribeUrl } from "../app/email/unsubscribe-link.server";
import { startMailbox, type Mailbox, type ReceivedMail } from "../simulator/mailbox";
import { startSimulator, type RunningSimulator } from "../simulator/server";
import { startAppServer } from "./support/app-server";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { queueTestMessage, subscribedMember } from "./support/outbox";
import { TEST_API_KEY, TEST_API_SECRET } from "./support/signing";

// The demo's mailbox: the simulator runs a real SMTP server, the app's outbox sends to it, and the
// simulator's pages list and show what arrived. A member's message is read there and its
// unsubscribe link followed to the app, which unsubscribes them.

const SHOP = "mailbox-tea.myshopify.com";

let database: TestDatabase;
let app: Awaited<ReturnType<typeof startAppServer>>;
let mailbox: Mailbox;
let simulator: RunningSimulator;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  app = await startAppServer(database);
  mailbox = await startMailbox();
  simulator = await startSimulator({ appUrl: app.origin, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, mailbox });
});
afterAll(async () => {
  await simulator.close();
  await mailbox.close();
  await app.close();
  await database.drop();
});

describe("the simulator's mailbox", () => {
  it("lists and shows a member message the outbox sent, whose unsubscribe link unsubscribes the member", async () => {
    const config = { appUrl: app.origin, apiSecrets: [TEST_API_SECRET] };
    const email = "noa@example.com";
    const member = await subscribedMember(database.db, SHOP, email);
    const link = unsubscribeUrl(SHOP, member.id, config);
    await queueTestMessage(database.db, SHOP, member, { email, subject: "You earned 40 points" });
    await database.db.raw.run(`UPDATE "outbox_messages" SET "html" = ?, "text" = ? WHERE "member_id" = ?`, [
      `<p>You earned <b>40 points</b>.</p><p><a href="${link}">Unsubscribe</a></p>`,
      `You earned 40 points.\nUnsubscribe: ${link}`,
      member.id,
    ]);
    const delivery = createOutboxDelivery({
      db: database.db,
      config,
      environmentSmtp: { url: mailbox.smtpUrl, from: "Mailbox Tea <rewards@mailbox-tea.example>" },
    });
    expect(await delivery.runDue()).toMatchObject({ sent: 1 });
    delivery.close();

    const list = await fetch(`${simulator.url}/mailbox`);
    expect(list.status).toBe(200);
    const listed = await list.text();
    expect(listed).toContain("You earned 40 points");
    expect(listed).toContain(email);

    const { messages } = (await (await fetch(`${simulator.url}/mailbox.json`)).json()) as { messages: ReceivedMail[] };
    const [summary] = messages;
    expect(summary).toMatchObject({ subject: "You earned 40 points", envelopeTo: [email] });
    const page = await (await fetch(`${simulator.url}/mailbox/${summary!.id}`)).text();
    expect(page).toContain('<iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox"');
    expect(page).toContain("&lt;b&gt;40 points&lt;/b&gt;");
    expect(page).toContain("Unsubscribe: http://");

    const mail = (await (await fetch(`${simulator.url}/mailbox/${summary!.id}.json`)).json()) as ReceivedMail;
    const header = mail.headers.find((line) => line.startsWith("List-Unsubscribe:"))!.replace(/\r?\n\s+/g, " ");
    const fromHeader = /<([^>]+)>/.exec(header)![1]!;
    expect(fromHeader).toBe(link);
    expect(mail.html).toContain(link);

    const asked = await fetch(fromHeader);
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("Stop getting reward emails from <bdi>Mailbox Tea</bdi>?");
    const done = await fetch(fromHeader, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(done.status).toBe(200);
    const row = await database.db.raw.get<{ unsubscribed_at: string | null }>(`SELECT "unsubscribed_at" FROM "members" WHERE "id" = ?`, [member.id]);
    expect(row!.unsubscribed_at).not.toBeNull();
  });

  it("keeps the newest messages only, up to its limit; an unknown message is 404", async () => {
    const small = await startMailbox({ limit: 3 });
    const mailer = createMailer({ url: small.smtpUrl, from: "rewards@mailbox-tea.example" });
    for (let i = 1; i <= 5; i++)
      expect(await mailer.send({ to: `m${i}@example.com`, subject: `Message ${i}`, html: `<p>${i}</p>`, text: `${i}` })).toMatchObject({ ok: true });
    mailer.close();
    expect(small.messages().map((mail) => mail.subject)).toEqual(["Message 5", "Message 4", "Message 3"]);
    expect(small.arrivedMessageIds()).toHaveLength(5);
    await small.close();
    expect((await fetch(`${simulator.url}/mailbox/99999`)).status).toBe(404);
  });
});
