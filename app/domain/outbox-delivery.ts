// The outbox's lifecycle (issue 14): a row is "queued" until a send settles it. One rule says
// where each send attempt leaves it; the worker only carries it out.
//
//   queued --accepted--> sent
//   queued --5xx (the server's final answer: no such mailbox)--> bounced
//   queued --transient (timeout, 4xx, no connection)--> queued again later, or failed after MAX_SEND_ATTEMPTS
//   queued --member may no longer receive it (unsubscribed, consent withdrawn, redacted)--> withheld
//   queued --no SMTP server set up--> queued again later, the attempt not counted

export type OutboxStatus = "queued" | "sent" | "failed" | "bounced" | "withheld";

/** Bounded retries: with backoffMs's 30 s doubling (capped at an hour) about 2 hours of a server being down. */
export const MAX_SEND_ATTEMPTS = 8;

export type SendAttempt =
  | { outcome: "accepted"; messageId: string }
  | { outcome: "refused"; permanent: boolean; message: string }
  | { outcome: "withheld"; reason: string }
  | { outcome: "no_server"; message: string };

export type NextOutboxState =
  | { status: "sent"; messageId: string }
  | { status: "bounced" | "failed" | "withheld"; lastError: string }
  | { status: "queued"; retry: "backoff" | "recheck"; lastError: string; countsAsAttempt: boolean };

/** Where a send attempt leaves a queued message; `attempts` counts this one. */
export function nextOutboxState(attempt: SendAttempt, attempts: number, maxAttempts = MAX_SEND_ATTEMPTS): NextOutboxState {
  switch (attempt.outcome) {
    case "accepted":
      return { status: "sent", messageId: attempt.messageId };
    case "withheld":
      return { status: "withheld", lastError: attempt.reason };
    case "no_server":
      return { status: "queued", retry: "recheck", lastError: attempt.message, countsAsAttempt: false };
    case "refused":
      if (attempt.permanent) return { status: "bounced", lastError: attempt.message };
      if (attempts >= maxAttempts) return { status: "failed", lastError: `gave up after ${attempts} attempts: ${attempt.message}` };
      return { status: "queued", retry: "backoff", lastError: attempt.message, countsAsAttempt: true };
  }
}
