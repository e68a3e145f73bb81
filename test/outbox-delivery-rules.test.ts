import { describe, expect, it } from "vitest";
import { MAX_SEND_ATTEMPTS, nextOutboxState, type SendAttempt } from "../app/domain/outbox-delivery";

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
