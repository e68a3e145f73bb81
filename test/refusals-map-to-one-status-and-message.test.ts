import { describe, expect, it } from "vitest";
import { refusalAnswer, refusalBody, SHOPPER_REFUSALS } from "../app/shopper/refusals";

describe("the shopper refusal table", () => {
  it.each(Object.entries(SHOPPER_REFUSALS))("%s has a client or gateway status and an English message", (_reason, { status, message }) => {
    expect(status === 502 || (status >= 400 && status < 500)).toBe(true);
    expect(message).toMatch(/\w+ \w+|\.$/);
  });

  it("answers the reason as `error`, its message key, the operation's details, and never `ok: true`", async () => {
    const answer = refusalAnswer({ ok: false, reason: "insufficient_points", balance: 12, pointsNeeded: 500 } as never);
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      ok: false,
      error: "insufficient_points",
      messageKey: "errors.insufficient_points",
      message: SHOPPER_REFUSALS.insufficient_points.message,
      balance: 12,
      pointsNeeded: 500,
    });
  });

  it("keeps the operation's own explanation when it gave one", () => {
    expect(refusalBody({ reason: "invalid_birthday", message: "February has no day 30." })).toMatchObject({
      error: "invalid_birthday",
      message: "February has no day 30.",
    });
  });
});
