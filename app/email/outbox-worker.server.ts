import { randomUUID } from "node:crypto";
import type { AppConfig } from "../config.server";
import { lockedSkippingLocked } from "../db/dialect";
import type { Database } from "../db/types";
import { mayReceive, MESSAGE_KINDS, type MarketingState, type MessageKind } from "../domain/member-messages";
import { nextOutboxState, type SendAttempt } from "../domain/outbox-delivery";
import { backoffMs } from "../jobs/queue.server";
import { unsealSecret } from "./sealed-secret";
import { createMailer, readSmtpSettings, type Mailer, type SmtpSettings } from "./transport.server";
import { unsubscribeUrl } from "./unsubscribe-link.server";

// The outbox worker (issue 14): any number of app instances each run one. A worker claims a
// batch of due messages with a lease (SKIP LOCKED on PostgreSQL, so instances claim different
// rows; SQLite's single writer serialises claims), sends them through the shop's own SMTP server
// or the app's, and settles each by the rule in app/domain/outbox-delivery.ts, but only while it
// still holds the lease: a worker whose lease ran out and was taken over changes nothing.
//
// Delivery is at least once, not exactly once. A worker that dies after the SMTP server accepted
// a message but before it marked the row sent leaves the row queued under a lease; when the lease
// expires another worker sends it again. The resend carries the same Message-ID (the occasion
// key), so a receiving server that de-duplicates by Message-ID drops it, but SMTP itself cannot
// promise that. The window is one message's round trip: each row is marked sent as soon as its
// send returns.

/** Messages one claim takes. */
export const OUTBOX_BATCH_SIZE = 100;
/** Sends in flight at once, and SMTP connections kept open per server. */
export const OUTBOX_SEND_CONCURRENCY = 8;
/** How long a claim is a worker's own: well beyond a batch's sends (each bounded by SMTP_TIMEOUTS). */
export const OUTBOX_LEASE_MS = 5 * 60_000;
/** How often an idle worker looks for due messages. */
export const OUTBOX_POLL_MS = 2_000;
/** When no SMTP server is set up for a shop, how long until its messages are looked at again. */
export const NO_SERVER_RECHECK_MS = 5 * 60_000;

export interface OutboxDeliveryDeps {
  db: Database;
  config: Pick<AppConfig, "appUrl" | "apiSecrets">;
  /** The app's own server (SMTP_URL, SMTP_FROM), for shops without theirs; null when none is set. */
  environmentSmtp: SmtpSettings | null;
  worker?: string;
  random?: () => number;
}

export interface OutboxReport {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  bounced: number;
  withheld: number;
  waiting: number;
  /** Settled by another worker meanwhile (this one's lease had run out): nothing written. */
  lost: number;
}

/** SMTP_URL and SMTP_FROM from the environment; null (and a log line when they are wrong) when not usable. */
export function environmentSmtpSettings(env: NodeJS.ProcessEnv = process.env): SmtpSettings | null {
  if (!env.SMTP_URL?.trim()) return null;
  const read = readSmtpSettings({ url: env.SMTP_URL, from: env.SMTP_FROM });
  if (!read.ok) {
    console.error(`SMTP_URL/SMTP_FROM are not usable, messages wait for a shop's own server: ${read.message}`);
    return null;
  }
  return read.settings;
}

type ClaimedMessage = Awaited<ReturnType<typeof claimDueMessages>>[number];

/**
 * One statement, atomic on its own: no transaction is held open across awaits (on SQLite that
 * would keep the write lock while other connections wait).
 */
async function claimDueMessages(db: Database, now: Date, worker: string) {
  const at = now.toISOString();
  return db.query
    .updateTable("outbox_messages")
    .set((eb) => ({ locked_until: new Date(now.getTime() + OUTBOX_LEASE_MS).toISOString(), locked_by: worker, attempts: eb("attempts", "+", 1) }))
    .where("id", "in", (eb) =>
      lockedSkippingLocked(
        db.dialect,
        eb
          .selectFrom("outbox_messages")
          .select("id")
          .where("status", "=", "queued")
          .where("next_attempt_at", "<=", at)
          .where((inner) => inner.or([inner("locked_until", "is", null), inner("locked_until", "<", at)]))
          .orderBy("next_attempt_at")
          .limit(OUTBOX_BATCH_SIZE),
      ),
    )
    .returning(["id", "shop", "member_id", "kind", "occasion_key", "to_email", "locale", "subject", "html", "text", "attempts"])
    .execute();
}

interface ShopSending {
  uninstalled: boolean;
  smtp: SmtpSettings | null;
  problem: string | null;
  accountMessagesFollowConsent: boolean;
}

async function readShopSending(deps: OutboxDeliveryDeps, shops: string[]): Promise<Map<string, ShopSending>> {
  const rows = await deps.db.query
    .selectFrom("shops")
    .select(["domain", "uninstalled_at", "smtp_url_sealed", "sender_email", "account_messages_follow_consent"])
    .where("domain", "in", shops)
    .execute();
  const found = new Map<string, ShopSending>();
  for (const row of rows) {
    let smtp = deps.environmentSmtp;
    let problem: string | null = smtp ? null : "No SMTP server is set up for this shop or the app (SMTP_URL).";
    if (row.smtp_url_sealed) {
      const url = unsealSecret(deps.config.apiSecrets, row.smtp_url_sealed);
      const read = url === null ? null : readSmtpSettings({ url, from: row.sender_email });
      smtp = read?.ok ? read.settings : null;
      problem = read?.ok
        ? null
        : read
          ? `The shop's SMTP settings are not usable: ${read.message}`
          : "The shop's SMTP URL cannot be opened with the app's secret.";
    }
    found.set(row.domain, { uninstalled: row.uninstalled_at !== null, smtp, problem, accountMessagesFollowConsent: row.account_messages_follow_consent });
  }
  return found;
}

async function readRecipients(db: Database, messages: ClaimedMessage[]) {
  const rows = await db.query
    .selectFrom("members")
    .select(["id", "shop", "email", "marketing_state", "unsubscribed_at", "redacted_at"])
    .where("shop", "in", [...new Set(messages.map((message) => message.shop))])
    .where(
      "id",
      "in",
      messages.map((message) => message.member_id),
    )
    .execute();
  return new Map(rows.map((row) => [`${row.shop}:${row.id}`, row]));
}

const asKind = (kind: string): MessageKind => ((MESSAGE_KINDS as readonly string[]).includes(kind) ? (kind as MessageKind) : "welcome");

/** Runs the outbox over a database: claim, send, settle, a batch at a time. */
export function createOutboxDelivery(deps: OutboxDeliveryDeps) {
  const worker = deps.worker ?? `outbox-${randomUUID().slice(0, 8)}`;
  const random = deps.random ?? Math.random;
  const mailers = new Map<string, Mailer>();
  const mailerFor = (smtp: SmtpSettings) => {
    const key = `${smtp.url}\n${smtp.from}`;
    let mailer = mailers.get(key);
    if (!mailer) mailers.set(key, (mailer = createMailer(smtp, { pooledConnections: OUTBOX_SEND_CONCURRENCY })));
    return mailer;
  };

  async function attempt(message: ClaimedMessage, shop: ShopSending | undefined, recipients: Awaited<ReturnType<typeof readRecipients>>): Promise<SendAttempt> {
    // The merchant removed the app (or its data is gone): nothing more goes out in its name.
    if (!shop || shop.uninstalled) return { outcome: "withheld", reason: "shop_uninstalled" };
    const member = recipients.get(`${message.shop}:${message.member_id}`);
    // Asked again at send time: the member may have unsubscribed, or withdrawn consent, since it was queued.
    const may = member
      ? mayReceive(
          asKind(message.kind),
          { email: member.redacted_at ? null : member.email, marketingState: member.marketing_state as MarketingState, unsubscribedAt: member.unsubscribed_at },
          { accountMessagesFollowConsent: shop.accountMessagesFollowConsent },
        )
      : ({ ok: false, reason: "no_member" } as const);
    if (!may.ok) return { outcome: "withheld", reason: may.reason };
    if (!shop.smtp) return { outcome: "no_server", message: shop.problem ?? "No SMTP server is set up." };
    const sent = await mailerFor(shop.smtp).send({
      to: message.to_email,
      subject: message.subject,
      html: message.html,
      text: message.text,
      unsubscribeUrl: unsubscribeUrl(message.shop, message.member_id, deps.config),
      messageKey: `${message.shop}:${message.occasion_key}`,
      language: message.locale,
    });
    return sent.ok ? { outcome: "accepted", messageId: sent.messageId } : { outcome: "refused", permanent: sent.permanent, message: sent.message };
  }

  /** Writes where the attempt left the message, only while this worker's claim (same worker, same attempt) holds. */
  async function settle(message: ClaimedMessage, result: SendAttempt, now: Date): Promise<keyof OutboxReport> {
    const next = nextOutboxState(result, message.attempts);
    const at = new Date().toISOString();
    const base = deps.db.query
      .updateTable("outbox_messages")
      .where("id", "=", message.id)
      .where("shop", "=", message.shop)
      .where("status", "=", "queued")
      .where("locked_by", "=", worker)
      .where("attempts", "=", message.attempts);
    let counted: keyof OutboxReport;
    let update;
    if (next.status === "sent") {
      counted = "sent";
      update = base.set({ status: "sent", message_id: next.messageId, sent_at: at, locked_until: null, last_error: null });
    } else if (next.status === "queued") {
      counted = next.retry === "backoff" ? "retried" : "waiting";
      const delay = next.retry === "backoff" ? backoffMs(message.attempts, random) : NO_SERVER_RECHECK_MS;
      update = base.set((eb) => ({
        next_attempt_at: new Date(now.getTime() + delay).toISOString(),
        locked_until: null,
        last_error: next.lastError.slice(0, 1000),
        attempts: next.countsAsAttempt ? eb.ref("attempts") : eb("attempts", "-", 1),
      }));
    } else {
      counted = next.status;
      update = base.set({ status: next.status, locked_until: null, last_error: next.lastError.slice(0, 1000) });
    }
    const written = await update.executeTakeFirst();
    if (written.numUpdatedRows === 0n) return "lost";
    if (next.status === "failed") console.error(`outbox message ${message.id} for ${message.shop} failed: ${next.lastError}`);
    return counted;
  }

  return {
    worker,
    /** Claims and sends one batch of due messages; `now` decides what is due (tests move it). */
    async runDue(now: Date = new Date()): Promise<OutboxReport> {
      const report: OutboxReport = { claimed: 0, sent: 0, retried: 0, failed: 0, bounced: 0, withheld: 0, waiting: 0, lost: 0 };
      const messages = await claimDueMessages(deps.db, now, worker);
      report.claimed = messages.length;
      if (messages.length === 0) return report;
      const shops = await readShopSending(deps, [...new Set(messages.map((message) => message.shop))]);
      const recipients = await readRecipients(deps.db, messages);
      let next = 0;
      const lane = async () => {
        while (next < messages.length) {
          const message = messages[next++]!;
          let result: SendAttempt;
          try {
            result = await attempt(message, shops.get(message.shop), recipients);
          } catch (error) {
            result = { outcome: "refused", permanent: false, message: error instanceof Error ? error.message : String(error) };
          }
          report[await settle(message, result, now)]++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(OUTBOX_SEND_CONCURRENCY, messages.length) }, lane));
      return report;
    },
    /** Closes the SMTP connections this worker keeps open. */
    close() {
      for (const mailer of mailers.values()) mailer.close();
      mailers.clear();
    },
  };
}

/** Polls the outbox until stopped: one per app process (server.mjs, through startBackgroundJobs); any number of processes may run. */
export function startOutboxWorker(deps: OutboxDeliveryDeps, { intervalMs = OUTBOX_POLL_MS } = {}) {
  const delivery = createOutboxDelivery(deps);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    try {
      const report = await (running = delivery.runDue());
      // A full batch means more may be due: go on at once.
      if (!stopped) timer = setTimeout(tick, report.claimed === OUTBOX_BATCH_SIZE ? 0 : intervalMs);
    } catch (error) {
      console.error("outbox worker tick failed", error);
      if (!stopped) timer = setTimeout(tick, intervalMs);
    }
  };
  timer = setTimeout(tick, intervalMs);
  return {
    /** No new claims; the batch in flight finishes (or its lease runs out if the process exits first), then the connections close. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
      delivery.close();
    },
  };
}
