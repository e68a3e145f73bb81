import { describe, expect, it } from "vitest";
import {
  DEFAULT_EXPIRY_REMINDERS,
  dueExpiryReminder,
  mayReceive,
  occasionKey,
  readUnsubscribeToken,
  unsubscribeToken,
  type MessageKind,
} from "../app/domain/member-messages";

// Member messages' pure rules, one thing varied at a time: who may receive what, the occasion key
// that makes each message once-only, which expiry reminder is due, and the signed unsubscribe link.

describe("mayReceive", () => {
  const subscribed = { email: "noa@example.com", marketingState: "SUBSCRIBED" as const, unsubscribedAt: null };
  const follows = { accountMessagesFollowConsent: true };
  const apart = { accountMessagesFollowConsent: false };
  it.each<[string, MessageKind, Partial<typeof subscribed> | object, typeof follows, object]>([
    ["marketing with consent", "win_back", {}, apart, { ok: true }],
    ["marketing without consent", "win_back", { marketingState: "NOT_SUBSCRIBED" }, apart, { ok: false, reason: "no_consent" }],
    ["marketing while consent is pending", "reward_affordable", { marketingState: "PENDING" }, apart, { ok: false, reason: "no_consent" }],
    ["marketing with no consent known", "referral", { marketingState: null }, apart, { ok: false, reason: "no_consent" }],
    ["an account message without consent", "points_expiring", { marketingState: "NOT_SUBSCRIBED" }, apart, { ok: true }],
    [
      "an account message without consent, when it follows consent",
      "points_expiring",
      { marketingState: "NOT_SUBSCRIBED" },
      follows,
      { ok: false, reason: "no_consent" },
    ],
    ["an account message with consent, when it follows consent", "last_chance", {}, follows, { ok: true }],
    ["after unsubscribing from us", "points_expiring", { unsubscribedAt: "2026-11-01T00:00:00.000Z" }, apart, { ok: false, reason: "unsubscribed" }],
    ["without an address", "welcome", { email: null }, apart, { ok: false, reason: "no_email" }],
  ])("%s", (_name, kind, member, settings, expected) => {
    expect(mayReceive(kind, { ...subscribed, ...member }, settings)).toMatchObject(expected);
  });
});

describe("occasionKey", () => {
  it.each([
    [{ kind: "welcome" as const }, "7:welcome"],
    [{ kind: "points_earned" as const, localDate: "2026-12-03" }, "7:points_earned:2026-12-03"],
    [{ kind: "points_expiring" as const, expiresAt: "2027-01-01T00:00:00.000Z", daysBefore: 7 }, "7:points_expiring:2027-01-01T00:00:00.000Z:7"],
    [{ kind: "last_chance" as const, expiresAt: "2027-01-01T00:00:00.000Z" }, "7:last_chance:2027-01-01T00:00:00.000Z"],
    [{ kind: "tier_reached" as const, tierChangeId: 91 }, "7:tier_reached:91"],
    [{ kind: "birthday" as const, year: 2027 }, "7:birthday:2027"],
    [{ kind: "win_back" as const, lastOrderAt: "2026-06-01T10:00:00.000Z" }, "7:win_back:2026-06-01T10:00:00.000Z"],
    [{ kind: "reward_affordable" as const, rewardId: 3, balanceCrossedAt: "2026-12-01T10:00:00.000Z" }, "7:reward_affordable:3:2026-12-01T10:00:00.000Z"],
    [{ kind: "tier_at_risk" as const, tierId: 2, periodEnd: "2026-12-31" }, "7:tier_at_risk:2:2026-12-31"],
    [{ kind: "referral" as const, referralId: 5, event: "friend_ordered" }, "7:referral:5:friend_ordered"],
  ])("%j → %s", (occasion, key) => {
    expect(occasionKey(7, occasion)).toBe(key);
  });
});

describe("dueExpiryReminder (30 and 7 days before, last chance)", () => {
  const expiresAt = "2027-01-31T00:00:00.000Z";
  it.each([
    ["31 days before: nothing", "2026-12-31T00:00:00.000Z", null],
    ["exactly 30 days before", "2027-01-01T00:00:00.000Z", { kind: "points_expiring", daysBefore: 30 }],
    ["20 days before: still the 30-day one", "2027-01-11T00:00:00.000Z", { kind: "points_expiring", daysBefore: 30 }],
    ["7 days before", "2027-01-24T00:00:00.000Z", { kind: "points_expiring", daysBefore: 7 }],
    ["5 days before: the 7-day one only", "2027-01-26T00:00:00.000Z", { kind: "points_expiring", daysBefore: 7 }],
    ["within the last day", "2027-01-30T06:00:00.000Z", { kind: "last_chance" }],
    ["at expiry: nothing", "2027-01-31T00:00:00.000Z", null],
    ["after expiry: nothing", "2027-02-02T00:00:00.000Z", null],
  ])("%s", (_name, now, expected) => {
    const due = dueExpiryReminder(expiresAt, now, DEFAULT_EXPIRY_REMINDERS);
    if (expected === null) expect(due).toBeNull();
    else expect(due).toMatchObject({ ...expected, expiresAt });
  });

  it("without the last chance, the last day keeps the 7-day reminder", () => {
    expect(dueExpiryReminder(expiresAt, "2027-01-30T06:00:00.000Z", { daysBefore: [30, 7], lastChance: false })).toMatchObject({ daysBefore: 7 });
  });
});

describe("unsubscribe links", () => {
  const secret = "app-secret";
  const token = unsubscribeToken(secret, "demo-tea.myshopify.com", 42);
  it("reads back the shop and member it was signed for", () => {
    expect(readUnsubscribeToken(secret, token)).toEqual({ ok: true, shop: "demo-tea.myshopify.com", memberId: 42 });
  });
  it.each([
    ["another secret", (t: string) => t, "other-secret"],
    ["a changed member", (t: string) => `${Buffer.from(JSON.stringify(["demo-tea.myshopify.com", 43])).toString("base64url")}.${t.split(".")[1]}`, secret],
    ["a cut signature", (t: string) => t.slice(0, -2), secret],
    ["no signature", (t: string) => t.split(".")[0], secret],
    ["an extra part", (t: string) => `${t}.x`, secret],
    ["rubbish", () => "%%%", secret],
    ["an empty token", () => "", secret],
  ])("refuses %s, and says so", (_name, change, key) => {
    expect(readUnsubscribeToken(key, change(token))).toMatchObject({
      ok: false,
      reason: "bad_unsubscribe_link",
      message: expect.stringContaining("Nothing was changed"),
    });
  });
});
