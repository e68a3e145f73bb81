import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../app/db/types";
import { MAX_SEND_ATTEMPTS } from "../app/domain/outbox-delivery";
import { sealSecret } from "../app/email/sealed-secret";
import { createOutboxDelivery, OUTBOX_LEASE_MS, type OutboxDeliveryDeps } from "../app/email/outbox-worker.server";
import { startMailbox, type Mailbox } from "../simulator/mailbox";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { outboxRows, queueTestMessage, secondConnection, subscribedMember } from "./support/outbox";
import { TEST_API_SECRET } from "./support/signing";

// The outbox worker against a real SMTP server on loopback: two instances (two connections to one
// SQLite file, or two PostgreSQL pools) racing over the same queue send each message once; a
// worker that died holding a lease is taken over when it runs out; a server that says "try later"
// is tried later, one that refuses the mailbox is a bounce; a member who unsubscribed after the
// message was queued does not get it.

const SHOP = "outbox.myshopify.com";
const config = { appUrl: "https://loyalty.example", apiSecrets: [TEST_API_SECRET] };
const later = (ms: number) => new Date(Date.now() + ms);

let database: TestDatabase;
let db: Database;
let other: Database;
let mailbox: Mailbox;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  other = secondConnection(database);
  await installShop(db, SHOP);
  mailbox = await startMailbox({ limit: 1000 });
});
afterAll(async () => {
  await mailbox.close();
  await other.close();
  await database.drop();
});
afterEach(async () => {
  mailbox.answerRecipientsWith(undefined);
  await db.raw.run(`DELETE FROM "outbox_messages"`);
});

const delivery = (on: Database, overrides: Partial<OutboxDeliveryDeps> = {}) =>
  createOutboxDelivery({ db: on, config, environmentSmtp: { url: mailbox.smtpUrl, from: "Outbox Tea <rewards@outbox.example>" }, ...overrides });

let serial = 0;
const oneMessage = async (local = `m${++serial}`) => {
  const email = `${local}@example.com`;
  const member = await subscribedMember(db, SHOP, email);
  await queueTestMessage(db, SHOP, member, { email });
  return { member, email };
};

describe("two workers over one outbox", () => {
  it("deliver 200 messages exactly once between them, each marked sent with its Message-ID", async () => {
    const before = mailbox.arrivedMessageIds().length;
    for (let i = 0; i < 200; i++) await oneMessage();
    const workers = [delivery(db, { worker: "instance-a" }), delivery(other, { worker: "instance-b" })];
    const totals = await Promise.all(
      workers.map(async (worker) => {
        let sent = 0;
        for (;;) {
          const report = await worker.runDue();
          sent += report.sent;
          expect(report.lost).toBe(0);
          if (report.claimed === 0) return sent;
        }
      }),
    );
    workers.forEach((worker) => worker.close());
    const arrived = mailbox.arrivedMessageIds().slice(before);
    expect(arrived).toHaveLength(200);
    expect(new Set(arrived).size).toBe(200);
    expect(totals[0]! + totals[1]!).toBe(200);
    expect(Math.min(...totals)).toBeGreaterThan(0);
    const rows = await outboxRows(db, SHOP);
    expect(rows.every((row) => row.status === "sent" && row.sent_at !== null && row.attempts === 1)).toBe(true);
    expect(new Set(rows.map((row) => row.message_id))).toEqual(new Set(arrived));
  }, 60_000);

  it("a worker that died holding a lease is taken over once the lease runs out, with the same Message-ID", async () => {
    const { email } = await oneMessage();
    // A server that accepts the connection and never speaks: the first worker's send hangs, as if its process had stopped.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const stuck = delivery(db, {
      worker: "stuck",
      environmentSmtp: { url: `smtp://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, from: "rewards@outbox.example" },
    });
    const stuckRun = stuck.runDue();
    await expect.poll(async () => (await outboxRows(db, SHOP))[0]?.attempts).toBe(1);

    const rescuer = delivery(other, { worker: "rescuer" });
    expect(await rescuer.runDue()).toMatchObject({ claimed: 0 });
    expect(await rescuer.runDue(later(OUTBOX_LEASE_MS + 1000))).toMatchObject({ claimed: 1, sent: 1 });
    rescuer.close();

    // The stuck worker's connection now drops; its lease was taken over, so it writes nothing.
    sockets.forEach((socket) => socket.destroy());
    silent.close();
    expect(await stuckRun).toMatchObject({ claimed: 1, sent: 0, lost: 1 });
    stuck.close();
    const [row] = await outboxRows(db, SHOP);
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    const mail = mailbox.messages().find((message) => message.envelopeTo.includes(email))!;
    expect(mail.messageId).toBe(row!.message_id);
    expect(mail.messageId).toMatch(/^<outbox\.myshopify\.com:\d+:points_earned:2026-12-03@outbox\.example>$/);
  }, 30_000);
});

describe("one worker's answers from the server", () => {
  it("a server that says try again later (421) is tried later, then the message is sent", async () => {
    const { email } = await oneMessage();
    let refusals = 1;
    mailbox.answerRecipientsWith(() => (refusals-- > 0 ? { accept: false, code: 421, message: "Too busy, try again later" } : { accept: true }));
    const worker = delivery(db);
    expect(await worker.runDue()).toMatchObject({ claimed: 1, retried: 1 });
    const [waiting] = await outboxRows(db, SHOP);
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(waiting!.last_error).toContain("Too busy");
    // Backoff: not due again at once.
    expect(Date.parse(waiting!.next_attempt_at)).toBeGreaterThan(Date.now() + 20_000);
    expect(await worker.runDue()).toMatchObject({ claimed: 0 });
    expect(await worker.runDue(later(60 * 60_000))).toMatchObject({ claimed: 1, sent: 1 });
    worker.close();
    expect(await outboxRows(db, SHOP)).toEqual([expect.objectContaining({ status: "sent", attempts: 2 })]);
    expect(mailbox.messages().filter((message) => message.envelopeTo.includes(email))).toHaveLength(1);
  });

  it("gives up after the last attempt: failed, with the server's answer kept", async () => {
    await oneMessage();
    await db.raw.run(`UPDATE "outbox_messages" SET "attempts" = ?`, [MAX_SEND_ATTEMPTS - 1]);
    mailbox.answerRecipientsWith(() => ({ accept: false, code: 451, message: "Local error in processing" }));
    const worker = delivery(db);
    expect(await worker.runDue()).toMatchObject({ claimed: 1, failed: 1 });
    worker.close();
    const [row] = await outboxRows(db, SHOP);
    expect(row).toMatchObject({ status: "failed", attempts: MAX_SEND_ATTEMPTS });
    expect(row!.last_error).toContain("Local error in processing");
  });

  it("a mailbox the server refuses (550) is a bounce, recorded and never retried", async () => {
    await oneMessage("nobody");
    mailbox.answerRecipientsWith((address) => (address.startsWith("nobody") ? { accept: false, code: 550, message: "No such mailbox" } : { accept: true }));
    const worker = delivery(db);
    expect(await worker.runDue()).toMatchObject({ claimed: 1, bounced: 1 });
    expect(await worker.runDue(later(24 * 60 * 60_000))).toMatchObject({ claimed: 0 });
    worker.close();
    const [row] = await outboxRows(db, SHOP);
    expect(row).toMatchObject({ status: "bounced", attempts: 1, message_id: null });
    expect(row!.last_error).toContain("No such mailbox");
  });

  it("a member who unsubscribed after it was queued does not get it", async () => {
    const { member, email } = await oneMessage();
    await db.raw.run(`UPDATE "members" SET "unsubscribed_at" = ? WHERE "id" = ?`, [new Date().toISOString(), member.id]);
    const worker = delivery(db);
    expect(await worker.runDue()).toMatchObject({ claimed: 1, withheld: 1 });
    worker.close();
    expect(await outboxRows(db, SHOP)).toEqual([expect.objectContaining({ status: "withheld", last_error: "unsubscribed" })]);
    expect(mailbox.messages().filter((message) => message.envelopeTo.includes(email))).toEqual([]);
  });

  it("a shop that removed the app sends nothing more", async () => {
    await oneMessage();
    await db.raw.run(`UPDATE "shops" SET "uninstalled_at" = ? WHERE "domain" = ?`, [new Date().toISOString(), SHOP]);
    try {
      const worker = delivery(db);
      expect(await worker.runDue()).toMatchObject({ claimed: 1, withheld: 1 });
      worker.close();
      expect(await outboxRows(db, SHOP)).toEqual([expect.objectContaining({ status: "withheld", last_error: "shop_uninstalled" })]);
    } finally {
      await db.raw.run(`UPDATE "shops" SET "uninstalled_at" = NULL WHERE "domain" = ?`, [SHOP]);
    }
  });

  it("with no SMTP server set up, messages wait (the attempt not counted) until there is one", async () => {
    await oneMessage();
    const worker = delivery(db, { environmentSmtp: null });
    expect(await worker.runDue()).toMatchObject({ claimed: 1, waiting: 1 });
    worker.close();
    expect(await outboxRows(db, SHOP)).toEqual([expect.objectContaining({ status: "queued", attempts: 0 })]);
  });

  it("goes out through the shop's own SMTP server when it has one (its URL sealed with the app's secret)", async () => {
    const own = await startMailbox();
    const { email } = await oneMessage();
    await db.raw.run(`UPDATE "shops" SET "smtp_url_sealed" = ?, "sender_email" = ? WHERE "domain" = ?`, [
      sealSecret(TEST_API_SECRET, own.smtpUrl),
      "Own Tea <hello@own-tea.example>",
      SHOP,
    ]);
    try {
      const worker = delivery(db);
      expect(await worker.runDue()).toMatchObject({ sent: 1 });
      worker.close();
      const [mail] = own.messages();
      expect(mail).toMatchObject({ envelopeTo: [email], from: '"Own Tea" <hello@own-tea.example>' });
      expect(mail!.headers).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
      expect(mail!.headers.find((line) => line.startsWith("List-Unsubscribe:"))?.replace(/\r\n\s+/g, " ")).toMatch(
        /^List-Unsubscribe: <https:\/\/loyalty\.example\/messages\/unsubscribe\?token=/,
      );
    } finally {
      await db.raw.run(`UPDATE "shops" SET "smtp_url_sealed" = NULL, "sender_email" = NULL WHERE "domain" = ?`, [SHOP]);
      await own.close();
    }
  });
});
