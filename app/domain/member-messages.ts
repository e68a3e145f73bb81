import { createHmac, timingSafeEqual } from "node:crypto";
import { ok, refused, type Ok, type Refused } from "./result";

// Member messages (issue 14), the pure rules: the kinds, which are marketing (sent only with the
// customer's email marketing consent) and which are about the account, the occasion that makes
// each message once-only in the outbox, which expiry reminders are due, and the signed one-click
// unsubscribe link.

export const MESSAGE_KINDS = [
  "welcome",
  "points_earned",
  "reward_affordable",
  "points_expiring",
  "last_chance",
  "tier_reached",
  "tier_at_risk",
  "birthday",
  "win_back",
  "referral",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Marketing: nudges to come back and spend. The rest tell members about their own account. */
const MARKETING: ReadonlySet<MessageKind> = new Set(["reward_affordable", "win_back", "referral"]);

export const isMarketing = (kind: MessageKind) => MARKETING.has(kind);

/** Shopify's email marketing consent states (`emailMarketingConsent.marketingState`). */
export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "PENDING" | "UNSUBSCRIBED" | "REDACTED" | "INVALID" | null;

export type NotSent = Refused<"no_consent" | "unsubscribed" | "no_email", object>;

/**
 * Whether a member may receive a kind: marketing only when subscribed; account messages too when
 * the merchant says they follow consent; never after they unsubscribed from our messages, or without an address.
 */
export function mayReceive(
  kind: MessageKind,
  member: { email: string | null; marketingState: MarketingState; unsubscribedAt: string | null },
  settings: { accountMessagesFollowConsent: boolean },
): Ok<object> | NotSent {
  if (!member.email) return refused("no_email");
  if (member.unsubscribedAt !== null) return refused("unsubscribed");
  const needsConsent = isMarketing(kind) || settings.accountMessagesFollowConsent;
  if (needsConsent && member.marketingState !== "SUBSCRIBED") return refused("no_consent");
  return ok({});
}

/**
 * What makes a message once-only: the outbox keeps one row per (member, kind, occasion), so a
 * retry, a restart or a second instance finds it already there.
 */
export type MessageOccasion =
  | { kind: "welcome" }
  | { kind: "points_earned"; localDate: string }
  | { kind: "reward_affordable"; rewardId: number; balanceCrossedAt: string }
  | { kind: "points_expiring"; expiresAt: string; daysBefore: number }
  | { kind: "last_chance"; expiresAt: string }
  | { kind: "tier_reached"; tierChangeId: number }
  | { kind: "tier_at_risk"; tierId: number; periodEnd: string }
  | { kind: "birthday"; year: number }
  | { kind: "win_back"; lastOrderAt: string }
  | { kind: "referral"; referralId: number; event: string };

/** Each kind's occasion fields, in the order the key names them. */
const OCCASION_FIELDS: { [K in MessageKind]: readonly Exclude<keyof Extract<MessageOccasion, { kind: K }>, "kind">[] } = {
  welcome: [],
  points_earned: ["localDate"],
  reward_affordable: ["rewardId", "balanceCrossedAt"],
  points_expiring: ["expiresAt", "daysBefore"],
  last_chance: ["expiresAt"],
  tier_reached: ["tierChangeId"],
  tier_at_risk: ["tierId", "periodEnd"],
  birthday: ["year"],
  win_back: ["lastOrderAt"],
  referral: ["referralId", "event"],
};

export function occasionKey(memberId: number, occasion: MessageOccasion): string {
  const fields = OCCASION_FIELDS[occasion.kind] as readonly string[];
  const values = occasion as unknown as Record<string, string | number>;
  return [memberId, occasion.kind, ...fields.map((field) => values[field])].join(":");
}

const DAY_MS = 86_400_000;

/** The reminders a shop sends before points expire: days before (30 and 7 by default), and the last chance a day before. */
export interface ExpiryReminders {
  daysBefore: readonly number[];
  lastChance: boolean;
}

export const DEFAULT_EXPIRY_REMINDERS: ExpiryReminders = { daysBefore: [30, 7], lastChance: true };

/** The reminders the expiry job sends. */
export type ExpiryReminderOccasion = Extract<MessageOccasion, { kind: "points_expiring" | "last_chance" }>;

/**
 * The one reminder due at `now` for points expiring at `expiresAt`: the nearest whose time has
 * come (a member who joins 5 days before gets the 7-day one, not the 30-day one as well), the last
 * chance within the final day; none once they expired.
 */
export function dueExpiryReminder(expiresAt: string, now: string, reminders: ExpiryReminders): ExpiryReminderOccasion | null {
  const left = Date.parse(expiresAt) - Date.parse(now);
  if (!(left > 0)) return null;
  if (reminders.lastChance && left <= DAY_MS) return { kind: "last_chance", expiresAt };
  const started = reminders.daysBefore.filter((days) => days > 1 && left <= days * DAY_MS);
  if (started.length === 0) return null;
  return { kind: "points_expiring", expiresAt, daysBefore: Math.min(...started) };
}

// One-click unsubscribe (RFC 8058): the link names the shop and member, signed with the app's
// secret, so it works without signing in and cannot be made for someone else.

export type UnsubscribeRefusal = Refused<"bad_unsubscribe_link", { message: string }>;

const sign = (secret: string, payload: string) => createHmac("sha256", secret).update(payload).digest("base64url");

export function unsubscribeToken(secret: string, shop: string, memberId: number): string {
  const payload = Buffer.from(JSON.stringify([shop, memberId])).toString("base64url");
  return `${payload}.${sign(secret, payload)}`;
}

export function readUnsubscribeToken(secret: string, token: string): Ok<{ shop: string; memberId: number }> | UnsubscribeRefusal {
  const bad = refused("bad_unsubscribe_link", {
    message: "This unsubscribe link is not valid. Nothing was changed; use the link in your latest email.",
  });
  const [payload, signature, ...rest] = token.split(".");
  if (!payload || !signature || rest.length > 0) return bad;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return bad;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (!Array.isArray(value) || typeof value[0] !== "string" || !Number.isSafeInteger(value[1])) return bad;
    return ok({ shop: value[0], memberId: value[1] as number });
  } catch {
    return bad;
  }
}
