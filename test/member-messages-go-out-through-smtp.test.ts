import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMailer, readSmtpSettings } from "../app/email/transport.server";

// Delivery through a real SMTP server on loopback (smtp-server): what arrives has both parts, the
// one-click unsubscribe headers and a stable Message-ID; a mailbox the server refuses is a
// permanent failure, a server that is not there one worth retrying; bad settings are refused.

describe("readSmtpSettings", () => {
  it.each([
    [{ url: "smtp://127.0.0.1:2525", from: "rewards@demo-tea.example" }, { ok: true }],
    [{ url: "smtps://user:secret@smtp.example.com:465", from: "Demo Tea <rewards@demo-tea.example>" }, { ok: true }],
    [
      { url: "", from: "rewards@demo-tea.example" },
      { ok: false, reason: "invalid_smtp_url" },
    ],
    [
      { url: "smtp.example.com", from: "rewards@demo-tea.example" },
      { ok: false, reason: "invalid_smtp_url" },
    ],
    [
      { url: "https://smtp.example.com", from: "rewards@demo-tea.example" },
      { ok: false, reason: "invalid_smtp_url", message: "The SMTP URL must start with smtp:// or smtps://, not https://." },
    ],
    [
      { url: "smtp://user@smtp.example.com", from: "rewards@demo-tea.example" },
      { ok: false, reason: "invalid_smtp_url", message: "The SMTP URL names a user but no password." },
    ],
    [
      { url: "smtp://smtp.example.com", from: "" },
      { ok: false, reason: "invalid_sender" },
    ],
    [
      { url: "smtp://smtp.example.com", from: "Demo Tea <not an address>" },
      { ok: false, reason: "invalid_sender" },
    ],
  ])("%j → %j", (input, expected) => {
    expect(readSmtpSettings(input)).toMatchObject(expected);
  });
});

describe("createMailer, through smtp-server on 127.0.0.1", () => {
  const received: ParsedMail[] = [];
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith("nobody@")) {
          const error = new Error("No such mailbox") as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
          return;
        }
        callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            received.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const mailer = () => {
    const read = readSmtpSettings({ url: `smtp://127.0.0.1:${port}`, from: "Demo Tea <rewards@demo-tea.example>" });
    if (!read.ok) throw new Error(read.message);
    return createMailer(read.settings);
  };

  it("delivers both parts, the unsubscribe headers and the outbox key as Message-ID", async () => {
    const m = mailer();
    const sent = await m.send({
      to: "noa@example.com",
      subject: "Your points expire in 7 days",
      html: '<p dir="rtl">שלום נועה</p>',
      text: "שלום נועה",
      unsubscribeUrl: "https://app.example/unsubscribe/abc.def",
      messageKey: "7:points_expiring:2027-01-31T00:00:00.000Z:7",
      language: "he",
    });
    m.close();
    expect(sent).toMatchObject({ ok: true });
    const mail = received.at(-1)!;
    expect(mail.subject).toBe("Your points expire in 7 days");
    expect(mail.html).toContain("שלום נועה");
    expect(mail.text?.trim()).toBe("שלום נועה");
    const header = (name: string) => mail.headerLines.find((line) => line.key === name)?.line;
    expect(header("list-unsubscribe")).toBe("List-Unsubscribe: <https://app.example/unsubscribe/abc.def>");
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(mail.headers.get("content-language")).toBe("he");
    expect(mail.messageId).toBe("<7:points_expiring:2027-01-31T00:00:00.000Z:7@demo-tea.example>");
    expect(mail.from?.value).toEqual([{ name: "Demo Tea", address: "rewards@demo-tea.example" }]);
  });

  it("a mailbox the server refuses is a permanent failure (a bounce)", async () => {
    const m = mailer();
    const sent = await m.send({ to: "nobody@example.com", subject: "Hi", html: "<p>Hi</p>", text: "Hi" });
    m.close();
    expect(sent).toMatchObject({ ok: false, reason: "send_failed", permanent: true });
  });

  it("a server that is not there is worth retrying", async () => {
    const read = readSmtpSettings({ url: "smtp://127.0.0.1:1", from: "rewards@demo-tea.example" });
    if (!read.ok) throw new Error(read.message);
    const m = createMailer(read.settings);
    const sent = await m.send({ to: "noa@example.com", subject: "Hi", html: "<p>Hi</p>", text: "Hi" });
    m.close();
    expect(sent).toMatchObject({ ok: false, reason: "send_failed", permanent: false });
  });
});
