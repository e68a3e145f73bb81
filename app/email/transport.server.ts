import nodemailer from "nodemailer";
import { ok, refused, type Ok, type Refused } from "../domain/result";

// Member messages (issue 14), delivery: SMTP through nodemailer, configured by a URL
// (`SMTP_URL`, or the merchant's own in their settings) and a sender address. A URL that cannot
// work is refused when it is saved, with the reason; a message goes out with an HTML part and a
// plain-text part and, when it has one, the one-click unsubscribe headers (RFC 8058).

export type SmtpRefusal = Refused<"invalid_smtp_url" | "invalid_sender", { message: string }>;

export interface SmtpSettings {
  url: string;
  /** "Demo Tea Shop <rewards@demo-tea.example>" or a bare address. */
  from: string;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The merchant's (or the environment's) SMTP URL and sender, checked before they are kept. */
export function readSmtpSettings(input: { url?: unknown; from?: unknown }): Ok<{ settings: SmtpSettings }> | SmtpRefusal {
  const text = typeof input.url === "string" ? input.url.trim() : "";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refused("invalid_smtp_url", { message: "Enter the SMTP server as a URL, like smtps://user:password@smtp.example.com:465." });
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    return refused("invalid_smtp_url", { message: `The SMTP URL must start with smtp:// or smtps://, not ${url.protocol}//.` });
  }
  if (!url.hostname) return refused("invalid_smtp_url", { message: "The SMTP URL names no server." });
  if (url.port !== "" && (Number(url.port) < 1 || Number(url.port) > 65535)) {
    return refused("invalid_smtp_url", { message: `Port ${url.port} is not a port an SMTP server can listen on.` });
  }
  if (url.username !== "" && url.password === "") {
    return refused("invalid_smtp_url", { message: "The SMTP URL names a user but no password." });
  }
  const from = typeof input.from === "string" ? input.from.trim() : "";
  const address = /<([^<>]+)>$/.exec(from)?.[1] ?? from;
  if (!ADDRESS.test(address)) {
    return refused("invalid_sender", { message: "Enter the address messages come from, like rewards@your-shop.com." });
  }
  return ok({ settings: { url: url.toString(), from } });
}

export interface OutgoingMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The signed one-click unsubscribe URL; both List-Unsubscribe headers are set from it. */
  unsubscribeUrl?: string;
  /** The outbox row's key, as the Message-ID's local part: a resend after a crash is the same message. */
  messageKey?: string;
  /** he and ar read right to left. */
  language?: string;
}

export type SendResult = Ok<{ messageId: string; response: string }> | Refused<"send_failed", { message: string; permanent: boolean }>;

export interface Mailer {
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): void;
}

export interface MailerOptions {
  /** Keep up to this many SMTP connections open and reuse them (the outbox worker); absent, one connection per message. */
  pooledConnections?: number;
}

/** How long a silent server may keep a send waiting, well inside the outbox lease (app/email/outbox-worker.server.ts). */
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

export function createMailer(settings: SmtpSettings, options: MailerOptions = {}): Mailer {
  const transport = nodemailer.createTransport({
    url: settings.url,
    ...SMTP_TIMEOUTS,
    ...(options.pooledConnections ? { pool: true, maxConnections: options.pooledConnections, maxMessages: Infinity } : {}),
  });
  const domain = (/@([^@>]+)>?$/.exec(settings.from)?.[1] ?? "localhost").trim();
  return {
    async send(message) {
      try {
        const headers: Record<string, string> = {};
        if (message.language) headers["Content-Language"] = message.language;
        if (message.unsubscribeUrl) headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
        const info = await transport.sendMail({
          from: settings.from,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers,
          ...(message.messageKey ? { messageId: `<${message.messageKey.replace(/[^A-Za-z0-9.:_-]/g, "-")}@${domain}>` } : {}),
          ...(message.unsubscribeUrl ? { list: { unsubscribe: message.unsubscribeUrl } } : {}),
        });
        return ok({ messageId: info.messageId, response: String(info.response ?? "") });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        return refused("send_failed", {
          message: error instanceof Error ? error.message : String(error),
          // 5xx is the server's final answer (a bounce: no such mailbox); anything else is worth a retry.
          permanent: typeof code === "number" && code >= 500 && code < 600,
        });
      }
    },
    close() {
      transport.close();
    },
  };
}
