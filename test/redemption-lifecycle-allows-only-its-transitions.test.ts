import { describe, expect, it } from "vitest";
import { transition, type RedemptionEvent, type RedemptionStatus } from "../app/domain/redemption-lifecycle";

const STATUSES: RedemptionStatus[] = ["pending", "issued", "failed", "used", "expired", "cancelled", "returning"];

const made: RedemptionEvent = { type: "shopify_answered", outcome: { kind: "made", shopifyId: "gid://shopify/DiscountCodeNode/1" } };
const notMade: RedemptionEvent = { type: "shopify_answered", outcome: { kind: "not_made", reason: "Code must be unique" } };
const unknown: RedemptionEvent = { type: "shopify_answered", outcome: { kind: "unknown", reason: "timeout" } };
const EVENTS: [string, RedemptionEvent][] = [
  ["made", made],
  ["not made", notMade],
  ["unknown", unknown],
  ["code used", { type: "code_used" }],
  ["return started", { type: "return_started" }],
  ["return failed", { type: "return_failed" }],
  ["returned as cancelled", { type: "returned", as: "cancelled" }],
  ["returned as expired", { type: "returned", as: "expired" }],
];

// Every allowed move, with what it does to the points; every pair not listed is refused.
const ALLOWED: Record<string, [RedemptionStatus, "none" | "give_back" | "take_again"]> = {
  "pending + made": ["issued", "none"],
  "pending + not made": ["failed", "give_back"],
  "pending + unknown": ["pending", "none"],
  "pending + code used": ["used", "none"],
  "issued + code used": ["used", "none"],
  "returning + code used": ["used", "none"],
  "failed + code used": ["used", "take_again"],
  "cancelled + code used": ["used", "take_again"],
  "expired + code used": ["used", "take_again"],
  "issued + return started": ["returning", "none"],
  "returning + return failed": ["issued", "none"],
  "returning + returned as cancelled": ["cancelled", "give_back"],
  "returning + returned as expired": ["expired", "give_back"],
};

describe("the redemption lifecycle", () => {
  const cases = STATUSES.flatMap((from) => EVENTS.map(([name, event]) => [`${from} + ${name}`, from, event] as const));

  it.each(cases)("%s", (label, from, event) => {
    const allowed = ALLOWED[label];
    const result = transition(from, event);
    if (allowed) expect(result).toEqual({ ok: true, to: allowed[0], points: allowed[1] });
    else expect(result).toEqual({ ok: false, reason: "transition_not_allowed", from, event: event.type });
  });

  it("lists only pairs that exist", () => {
    const labels = new Set<string>(cases.map(([label]) => label));
    expect(Object.keys(ALLOWED).filter((label) => !labels.has(label))).toEqual([]);
  });

  it("never gives points back twice: once returned, only an order's use takes them again", () => {
    for (const from of ["failed", "cancelled", "expired"] as const) {
      for (const [, event] of EVENTS) {
        const result = transition(from, event);
        if (result.ok) expect(result.points).toBe("take_again");
      }
    }
  });
});
