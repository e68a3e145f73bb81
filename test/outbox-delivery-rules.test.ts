import { describe, expect, it } from "vitest";
import { MAX_SEND_ATTEMPTS, nextOutboxState, type SendAttempt } from "../app/domain/outbox-delivery";
import { sealSecret, unsealSecret } from "../app/email/sealed-secret";

// Where one send attempt leaves an outbox message, and the sealing of a shop's SMTP URL.

describe("nextOutboxState", () => {
  const refusedTransiently: SendAttempt = { outcome: "refused", permanent: false, message: "421 try later" };
  it.each<[string, SendAttempt, number, ReturnType<typeof nextOutboxState>]>([
    ["accepted → sent", { outcome: "accepted", messageId: "<a@b>" }, 1, { status: "sent", messageId: "<a@b>" }],
    ["5xx → bounced", { outcome: "refused", permanent: true, message: "550 no such mailbox" }, 1, { status: "bounced", lastError: "550 no such mailbox" }],
    [
      "transient, first attempt → queued with backoff",
      refusedTransiently,
      1,
      { status: "queued", retry: "backoff", lastError: "421 try later", countsAsAttempt: true },
    ],
    [
      "transient, one before the last → queued",
      refusedTransiently,
      MAX_SEND_ATTEMPTS - 1,
      { status: "queued", retry: "backoff", lastError: "421 try later", countsAsAttempt: true },
    ],
    [
      "transient, the last attempt → failed",
      refusedTransiently,
      MAX_SEND_ATTEMPTS,
      { status: "failed", lastError: `gave up after ${MAX_SEND_ATTEMPTS} attempts: 421 try later` },
    ],
    [
      "5xx on the last attempt is still a bounce",
      { outcome: "refused", permanent: true, message: "550" },
      MAX_SEND_ATTEMPTS,
      { status: "bounced", lastError: "550" },
    ],
    ["member may no longer receive → withheld", { outcome: "withheld", reason: "unsubscribed" }, 1, { status: "withheld", lastError: "unsubscribed" }],
    [
      "no server → queued, attempt not counted",
      { outcome: "no_server", message: "No SMTP server" },
      MAX_SEND_ATTEMPTS,
      { status: "queued", retry: "recheck", lastError: "No SMTP server", countsAsAttempt: false },
    ],
  ])("%s", (_name, attempt, attempts, expected) => {
    expect(nextOutboxState(attempt, attempts)).toEqual(expected);
  });
});

describe("sealSecret / unsealSecret", () => {
  const url = "smtps://rewards:p%40ss@smtp.example.com:465";
  it("opens with the secret that sealed it, also as the previous secret while rotating", () => {
    const sealed = sealSecret("secret-one", url);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("p%40ss");
    expect(unsealSecret(["secret-one"], sealed)).toBe(url);
    expect(unsealSecret(["secret-two", "secret-one"], sealed)).toBe(url);
  });
  it("two seals of one URL differ (a fresh IV each time)", () => {
    expect(sealSecret("secret-one", url)).not.toBe(sealSecret("secret-one", url));
  });
  it.each([
    ["another secret", (sealed: string) => sealed, ["secret-two"]],
    ["a changed ciphertext", (sealed: string) => sealed.replace(/\.([\w-])/, (_m, c: string) => `.${c === "A" ? "B" : "A"}`), ["secret-one"]],
    ["a changed tag", (sealed: string) => sealed.slice(0, -2) + (sealed.endsWith("AA") ? "BB" : "AA"), ["secret-one"]],
    ["not sealed text", () => url, ["secret-one"]],
    ["another version", (sealed: string) => sealed.replace(/^v1/, "v2"), ["secret-one"]],
  ])("%s opens to null", (_name, alter, secrets) => {
    expect(unsealSecret(secrets, alter(sealSecret("secret-one", url)))).toBeNull();
  });
});
