import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

// The simulator's mailbox: a real SMTP server on loopback (smtp-server) that keeps what the app
// sends, in memory and bounded, for the simulator's mailbox page and for tests. A test can make
// it answer as a real server sometimes does: a refused mailbox (550) or "try again later" (421).

export interface ReceivedMail {
  /** 1, 2, 3 ... in arrival order. */
  id: number;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  messageId: string | null;
  /** Every header line as it arrived, "Name: value". */
  headers: string[];
  html: string | null;
  text: string | null;
}

/** How the server answers one recipient: accepted, or an SMTP error code and text. */
export type RecipientAnswer = { accept: true } | { accept: false; code: number; message: string };

export interface MailboxOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** How many messages are kept; the oldest go first. */
  limit?: number;
  answerRecipient?: (address: string) => RecipientAnswer;
}

export const MAILBOX_LIMIT = 500;

export interface Mailbox {
  port: number;
  /** What the app's SMTP_URL should be. */
  smtpUrl: string;
  /** How many messages are kept. */
  limit: number;
  /** Newest first. */
  messages(): ReceivedMail[];
  message(id: number): ReceivedMail | undefined;
  /** Every message that arrived, also those no longer kept: the Message-IDs, in order. */
  arrivedMessageIds(): (string | null)[];
  answerRecipientsWith(answer: MailboxOptions["answerRecipient"]): void;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  const limit = options.limit ?? MAILBOX_LIMIT;
  const kept: ReceivedMail[] = [];
  const arrived: (string | null)[] = [];
  let answerRecipient = options.answerRecipient;
  let nextId = 1;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 2 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const answer = answerRecipient?.(address.address) ?? { accept: true };
      callback(answer.accept ? undefined : smtpError(answer.code, answer.message));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const mailFrom = session.envelope.mailFrom;
          kept.push({
            id: nextId++,
            receivedAt: new Date().toISOString(),
            envelopeFrom: mailFrom ? mailFrom.address : "",
            envelopeTo: session.envelope.rcptTo.map((to) => to.address),
            from: mail.from?.text ?? "",
            to: Array.isArray(mail.to) ? mail.to.map((to) => to.text).join(", ") : (mail.to?.text ?? ""),
            subject: mail.subject ?? "",
            messageId: mail.messageId ?? null,
            headers: mail.headerLines.map((line) => line.line),
            html: typeof mail.html === "string" ? mail.html : null,
            text: mail.text ?? null,
          });
          arrived.push(mail.messageId ?? null);
          if (kept.length > limit) kept.splice(0, kept.length - limit);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    smtpUrl: `smtp://127.0.0.1:${port}`,
    limit,
    messages: () => kept.slice().reverse(),
    message: (id) => kept.find((mail) => mail.id === id),
    arrivedMessageIds: () => arrived.slice(),
    answerRecipientsWith(answer) {
      answerRecipient = answer;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
