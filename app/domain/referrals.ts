import { randomInt, createHash } from "node:crypto";
import { MoneyFormatError, toMinorUnits } from "./money";
import { ok, refused, type Ok, type Refused } from "./result";

// Referrals, the pure rules: the member's code, the friend's email as one key, each fraud rule
// (a hit names its rule, its reason and whether it is certain), what the hits decide, the one
// status transition rule, and the program form read field by field.

// ---------------------------------------------------------------------------------------------
// Codes

/** No 0/O, 1/I/L: a code read aloud or typed from a screenshot comes out right. */
export const REFERRAL_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const REFERRAL_CODE_LENGTH = 8;
const CODE_SHAPE = new RegExp(`^[${REFERRAL_CODE_ALPHABET}]{${REFERRAL_CODE_LENGTH}}$`);

/**
 * A member's referral code: 8 symbols of a 31-symbol alphabet from crypto random (about 40 bits),
 * unrelated to anything another member could see. Uniqueness per shop is the database's
 * (members (shop, referral_code)); the caller draws again on a clash.
 *
 * @example newReferralCode() // "K7QX3MHP"
 */
export function newReferralCode(random: (max: number) => number = randomInt): string {
  let code = "";
  for (let i = 0; i < REFERRAL_CODE_LENGTH; i++) code += REFERRAL_CODE_ALPHABET[random(REFERRAL_CODE_ALPHABET.length)];
  return code;
}

/** A code as a shopper typed or a link carried it, upper-cased; null when it cannot be one of ours. */
export function readReferralCode(text: unknown): string | null {
  if (typeof text !== "string") return null;
  const code = text.trim().toUpperCase();
  return CODE_SHAPE.test(code) ? code : null;
}

// ---------------------------------------------------------------------------------------------
// Emails, phones and addresses as keys

/**
 * What each mailbox provider ignores in the part before the @. Any other domain: +tags are
 * ignored (most mail servers deliver name+tag@ to name@) and dots are kept.
 */
export const EMAIL_PROVIDERS: Record<string, { ignoresDots: boolean; ignoresPlusTags: boolean; sameAs?: string }> = {
  "gmail.com": { ignoresDots: true, ignoresPlusTags: true },
  "googlemail.com": { ignoresDots: true, ignoresPlusTags: true, sameAs: "gmail.com" },
  "outlook.com": { ignoresDots: false, ignoresPlusTags: true },
  "hotmail.com": { ignoresDots: false, ignoresPlusTags: true },
  "live.com": { ignoresDots: false, ignoresPlusTags: true },
  "icloud.com": { ignoresDots: false, ignoresPlusTags: true },
  "me.com": { ignoresDots: false, ignoresPlusTags: true, sameAs: "icloud.com" },
  "mac.com": { ignoresDots: false, ignoresPlusTags: true, sameAs: "icloud.com" },
  "fastmail.com": { ignoresDots: false, ignoresPlusTags: true },
  "proton.me": { ignoresDots: false, ignoresPlusTags: true },
  "protonmail.com": { ignoresDots: false, ignoresPlusTags: true, sameAs: "proton.me" },
  // Yahoo has no +tags (its disposable addresses use a base name and -keyword): + is kept.
  "yahoo.com": { ignoresDots: false, ignoresPlusTags: false },
};
const OTHER_PROVIDERS = { ignoresDots: false, ignoresPlusTags: true };

const EMAIL_SHAPE = /^[^\s@"<>(),;:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/**
 * The friend's email as given (trimmed, lower-cased) and as one key per mailbox: the same person's
 * Jane.Doe+shop@googlemail.com and janedoe@gmail.com share a key. Null when it is not an email.
 *
 * @example normaliseEmail(" Jane.Doe+x@GoogleMail.com ") // { email: "jane.doe+x@googlemail.com", key: "janedoe@gmail.com" }
 */
export function normaliseEmail(text: unknown): { email: string; key: string } | null {
  if (typeof text !== "string") return null;
  const email = text.trim().toLowerCase();
  if (email.length > 254 || !EMAIL_SHAPE.test(email)) return null;
  const at = email.lastIndexOf("@");
  let local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const provider = EMAIL_PROVIDERS[domain] ?? OTHER_PROVIDERS;
  if (provider.ignoresPlusTags) local = local.split("+")[0];
  if (provider.ignoresDots) local = local.replaceAll(".", "");
  if (!local) return null;
  return { email, key: `${local}@${provider.sameAs ?? domain}` };
}

/**
 * A phone number as its last 9 digits, so +44 7700 900123, 0044 7700 900123 and 07700 900123 are
 * one (the country code and trunk prefix come and go); null with fewer than 7 digits.
 */
export function phoneKey(text: string | null | undefined): string | null {
  const digits = (text ?? "").replace(/\D/g, "");
  return digits.length >= 7 ? digits.slice(-9) : null;
}

export interface PostalAddress {
  address1?: string | null;
  address2?: string | null;
  zip?: string | null;
  countryCode?: string | null;
}

/** A shipping address as letters and digits only (case, spaces and punctuation dropped); null without a street line. */
export function addressKey(address: PostalAddress | null | undefined): string | null {
  const squash = (text: string | null | undefined) => (text ?? "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  const street = squash(address?.address1) + squash(address?.address2);
  if (!street) return null;
  return `${squash(address?.countryCode)}|${squash(address?.zip)}|${street}`;
}

/** What the app keeps of a phone or an address: the SHA-256 of its key, so two can be compared without keeping either. */
export function identityDigest(kind: "phone" | "address", key: string | null): string | null {
  return key === null ? null : createHash("sha256").update(`${kind}:${key}`).digest("hex");
}

export const phoneDigest = (text: string | null | undefined) => identityDigest("phone", phoneKey(text));
export const addressDigest = (address: PostalAddress | null | undefined) => identityDigest("address", addressKey(address));

// ---------------------------------------------------------------------------------------------
// Fraud rules: each pure, each a hit or null

export type ReferralRule =
  | "friend_not_new"
  | "same_customer"
  | "same_email"
  | "same_phone"
  | "same_address"
  | "referrer_monthly_limit"
  | "referrer_total_limit"
  | "ip_claims_limit"
  | "device_claims_limit"
  | "minimum_order";

/** A rule that hit: certain hits reject the referral, the others send it to staff review. */
export interface RuleHit {
  rule: ReferralRule;
  reason: string;
  certain: boolean;
}

const hit = (rule: ReferralRule, reason: string, certain: boolean): RuleHit => ({ rule, reason, certain });

/** The friend must be new to the shop: no earlier paid order (a cancelled one does not count). */
export function friendMustBeNew(friend: { earlierPaidOrders: number }): RuleHit | null {
  return friend.earlierPaidOrders > 0 ? hit("friend_not_new", `the friend already had ${friend.earlierPaidOrders} paid order(s) in the shop`, true) : null;
}

/** Who a side of a referral is, as keys (null: not known). */
export interface ReferralIdentity {
  customerId: string | null;
  emailKey: string | null;
  phoneKey: string | null;
  addressKey: string | null;
}

const same = (a: string | null, b: string | null) => a !== null && b !== null && a === b;

/**
 * No self-referral: the same customer, the same email after normalising, or the same phone are
 * certain; the same shipping address is not (people who live together refer each other), so it
 * waits for staff.
 */
export function selfReferralHits(referrer: ReferralIdentity, friend: ReferralIdentity): RuleHit[] {
  const hits: RuleHit[] = [];
  if (same(referrer.customerId, friend.customerId)) hits.push(hit("same_customer", "the friend is the referrer's own customer account", true));
  if (same(referrer.emailKey, friend.emailKey)) hits.push(hit("same_email", "the friend's email is the referrer's", true));
  if (same(referrer.phoneKey, friend.phoneKey)) hits.push(hit("same_phone", "the friend's phone is the referrer's", true));
  if (same(referrer.addressKey, friend.addressKey)) hits.push(hit("same_address", "the friend ships to the referrer's address", false));
  return hits;
}

/** Referrals rewarded (or on their way) for one referrer this calendar month, against the shop's limit (null: none). */
export function referrerMonthlyLimit(counted: { thisMonth: number; max: number | null }): RuleHit | null {
  return counted.max !== null && counted.thisMonth >= counted.max
    ? hit("referrer_monthly_limit", `the referrer already has ${counted.thisMonth} referral(s) rewarded this month (limit ${counted.max})`, true)
    : null;
}

/** Referrals rewarded (or on their way) for one referrer in all, against the shop's limit (null: none). */
export function referrerTotalLimit(counted: { total: number; max: number | null }): RuleHit | null {
  return counted.max !== null && counted.total >= counted.max
    ? hit("referrer_total_limit", `the referrer already has ${counted.total} referral(s) rewarded (limit ${counted.max})`, true)
    : null;
}

/** Past this many times the IP limit, claims from one address are refused outright: no office shares one that far. */
export const IP_CLAIMS_REFUSED_AT = 3;

/**
 * Claims from one IP address in 7 days: many people share one (offices, phone networks), so a hit
 * is not certain, until the address has made IP_CLAIMS_REFUSED_AT times the limit (a script
 * minting codes with made-up emails).
 */
export function ipClaimsLimit(claims: { lastWeek: number; max: number | null }): RuleHit | null {
  if (claims.max === null || claims.lastWeek < claims.max) return null;
  const certain = claims.lastWeek >= claims.max * IP_CLAIMS_REFUSED_AT;
  return hit("ip_claims_limit", `${claims.lastWeek} claim(s) from this IP address in 7 days (limit ${claims.max})`, certain);
}

/** Claims from one device in 7 days: a device is one person's, so a hit is certain. */
export function deviceClaimsLimit(claims: { lastWeek: number; max: number | null }): RuleHit | null {
  return claims.max !== null && claims.lastWeek >= claims.max
    ? hit("device_claims_limit", `${claims.lastWeek} claim(s) from this device in 7 days (limit ${claims.max})`, true)
    : null;
}

/** The friend's order must reach the shop's minimum (0: none). */
export function minimumOrder(order: { totalMinor: number; minimumMinor: number }): RuleHit | null {
  return order.minimumMinor > 0 && order.totalMinor < order.minimumMinor
    ? hit("minimum_order", `the order's total ${order.totalMinor} is below the minimum ${order.minimumMinor} (minor units)`, true)
    : null;
}

/** What the hits decide: any certain hit rejects, any other hit waits for review, none lets the window start. */
export function referralVerdict(hits: readonly (RuleHit | null)[]): "rejected" | "review" | "pending" {
  const found = hits.filter((h): h is RuleHit => h !== null);
  if (found.some((h) => h.certain)) return "rejected";
  return found.length ? "review" : "pending";
}

// ---------------------------------------------------------------------------------------------
// Status: one transition rule

export const REFERRAL_STATUSES = ["claimed", "ordered", "pending", "rewarded", "cancelled", "rejected", "review"] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export type ReferralEvent =
  /** The friend's first order is paid (attributed by code or cart attribute). */
  | "order_paid"
  /** The order-time rules passed: the window runs. */
  | "window_started"
  /** The window ended: the referrer is rewarded. */
  | "window_ended"
  /** The order was refunded or cancelled before the reward. */
  | "order_reversed"
  /** A certain rule hit, or staff rejected it. */
  | "reject"
  /** A rule hit that is not certain: staff decide. */
  | "flag"
  /** Staff approved a referral waiting for review. */
  | "approve";

const MOVES: Record<ReferralEvent, Partial<Record<ReferralStatus, ReferralStatus>>> = {
  order_paid: { claimed: "ordered" },
  window_started: { ordered: "pending" },
  window_ended: { pending: "rewarded" },
  order_reversed: { ordered: "cancelled", pending: "cancelled", review: "cancelled" },
  reject: { claimed: "rejected", ordered: "rejected", pending: "rejected", review: "rejected" },
  flag: { claimed: "review", ordered: "review", pending: "review" },
  approve: { review: "pending" },
};

/**
 * The one rule every status change goes through. Rewarded, cancelled and rejected are final.
 *
 * @example referralTransition("review", "approve") // { ok: true, status: "pending" }
 */
export function referralTransition(
  from: ReferralStatus,
  event: ReferralEvent,
): Ok<{ status: ReferralStatus }> | Refused<"not_allowed", { from: ReferralStatus; event: ReferralEvent }> {
  const to = MOVES[event][from];
  return to ? ok({ status: to }) : refused("not_allowed", { from, event });
}

export const isReferralStatus = (text: unknown): text is ReferralStatus => (REFERRAL_STATUSES as readonly unknown[]).includes(text);

// ---------------------------------------------------------------------------------------------
// The program form

export const FRIEND_OFFER_KINDS = ["fixed_amount", "percentage", "free_shipping"] as const;
export type FriendOfferKind = (typeof FRIEND_OFFER_KINDS)[number];

/** The program form as submitted: every field text as typed (checkboxes "on" or absent). */
export interface ReferralProgramForm {
  enabled: string;
  friendOfferKind: string;
  /** fixed_amount: the amount off, in the shop's currency ("5.00"). */
  friendAmount: string;
  /** percentage: whole percent off. */
  friendPercentOff: string;
  friendMinimumSubtotal: string;
  friendCodeLifetimeDays: string;
  /** "points" or "reward". */
  referrerRewardKind: string;
  referrerPoints: string;
  referrerRewardId: string;
  cookieDays: string;
  /** Empty: the shop's pending days. */
  windowDays: string;
  maxPerReferrerMonth: string;
  maxPerReferrerTotal: string;
  maxClaimsPerIpWeek: string;
  maxClaimsPerDeviceWeek: string;
  minimumOrder: string;
}

export type ReferralProgramField = keyof ReferralProgramForm;

/** A program to start from, as the form would send it: 10.00 off the friend's first order, 500 points for the referrer, claims limited to 10 a week per address and device. */
export const STARTER_REFERRAL_PROGRAM_FORM: Readonly<ReferralProgramForm> = {
  enabled: "on",
  friendOfferKind: "fixed_amount",
  friendAmount: "10.00",
  friendPercentOff: "",
  friendMinimumSubtotal: "",
  friendCodeLifetimeDays: "30",
  referrerRewardKind: "points",
  referrerPoints: "500",
  referrerRewardId: "",
  cookieDays: "30",
  windowDays: "",
  maxPerReferrerMonth: "",
  maxPerReferrerTotal: "",
  maxClaimsPerIpWeek: "10",
  maxClaimsPerDeviceWeek: "10",
  minimumOrder: "",
};

/** The program as stored (amounts in minor units; null limits: none). */
export interface ReferralProgramSettings {
  enabled: boolean;
  friendOfferKind: FriendOfferKind;
  friendValueMinor: number;
  friendPercentOff: number;
  friendMinimumSubtotalMinor: number | null;
  friendCodeLifetimeDays: number;
  referrerPoints: number;
  referrerRewardId: number | null;
  cookieDays: number;
  windowDays: number | null;
  maxPerReferrerMonth: number | null;
  maxPerReferrerTotal: number | null;
  maxClaimsPerIpWeek: number | null;
  maxClaimsPerDeviceWeek: number | null;
  minimumOrderMinor: number;
}

export const MAX_REFERRER_POINTS = 1_000_000;
export const MAX_REFERRAL_DAYS = 365;

function whole(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : undefined;
}

function amount(text: string, currency: string): { minor: number } | { error: string } {
  try {
    const minor = toMinorUnits(text.trim(), currency);
    return minor < 0 ? { error: "The amount cannot be negative." } : { minor };
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    return { error: `Enter an amount in ${currency}, like 5.00.` };
  }
}

/**
 * The program form read field by field, for a shop in `currency` whose catalogue holds
 * `rewardIds`. Fields the chosen kinds do not use are ignored.
 */
export function readReferralProgramForm(
  form: Partial<ReferralProgramForm>,
  currency: string,
  { rewardIds = [] }: { rewardIds?: readonly number[] } = {},
): Ok<{ settings: ReferralProgramSettings }> | Refused<"invalid_fields", { fieldErrors: Partial<Record<ReferralProgramField, string>> }> {
  const f = (field: ReferralProgramField) => String(form[field] ?? "");
  const fieldErrors: Partial<Record<ReferralProgramField, string>> = {};
  const days = (field: ReferralProgramField, fallback: number | null) => {
    if (!f(field).trim()) return fallback;
    const value = whole(f(field), 1, MAX_REFERRAL_DAYS);
    if (value === undefined) fieldErrors[field] = `Enter a whole number of days from 1 to ${MAX_REFERRAL_DAYS}.`;
    return value ?? fallback;
  };
  const limit = (field: ReferralProgramField) => {
    if (!f(field).trim()) return null;
    const value = whole(f(field), 1, 1_000_000_000);
    if (value === undefined) fieldErrors[field] = "Leave it empty for no limit, or enter a whole number from 1.";
    return value ?? null;
  };
  const money = (field: ReferralProgramField, required: boolean) => {
    if (!f(field).trim()) {
      if (required) fieldErrors[field] = `Enter an amount in ${currency}.`;
      return 0;
    }
    const parsed = amount(f(field), currency);
    if ("error" in parsed) fieldErrors[field] = parsed.error;
    else if (required && parsed.minor === 0) fieldErrors[field] = "The amount must be more than 0.";
    return "minor" in parsed ? parsed.minor : 0;
  };

  const kind = f("friendOfferKind") as FriendOfferKind;
  if (!FRIEND_OFFER_KINDS.includes(kind)) fieldErrors.friendOfferKind = "Choose what the friend gets.";
  const friendValueMinor = kind === "fixed_amount" ? money("friendAmount", true) : 0;
  let friendPercentOff = 0;
  if (kind === "percentage") {
    const percent = whole(f("friendPercentOff"), 1, 100);
    if (percent === undefined) fieldErrors.friendPercentOff = "Enter a whole percentage from 1 to 100.";
    else friendPercentOff = percent;
  }
  const friendMinimumSubtotalMinor = money("friendMinimumSubtotal", false) || null;
  const friendCodeLifetimeDays = days("friendCodeLifetimeDays", 30)!;

  let referrerPoints = 0;
  let referrerRewardId: number | null = null;
  if (f("referrerRewardKind") === "reward") {
    const id = whole(f("referrerRewardId"), 1, 2_147_483_647);
    if (id === undefined || !rewardIds.includes(id)) fieldErrors.referrerRewardId = "Choose a reward from the catalogue.";
    else referrerRewardId = id;
  } else if (f("referrerRewardKind") === "points" || !f("referrerRewardKind")) {
    const points = whole(f("referrerPoints"), 1, MAX_REFERRER_POINTS);
    if (points === undefined) fieldErrors.referrerPoints = `Enter a whole number of points from 1 to ${MAX_REFERRER_POINTS.toLocaleString("en-US")}.`;
    else referrerPoints = points;
  } else fieldErrors.referrerRewardKind = "Choose points or a reward.";

  const settings: ReferralProgramSettings = {
    enabled: ["on", "true", "1"].includes(f("enabled").trim().toLowerCase()),
    friendOfferKind: kind,
    friendValueMinor,
    friendPercentOff,
    friendMinimumSubtotalMinor,
    friendCodeLifetimeDays,
    referrerPoints,
    referrerRewardId,
    cookieDays: days("cookieDays", 30)!,
    windowDays: days("windowDays", null),
    maxPerReferrerMonth: limit("maxPerReferrerMonth"),
    maxPerReferrerTotal: limit("maxPerReferrerTotal"),
    maxClaimsPerIpWeek: limit("maxClaimsPerIpWeek"),
    maxClaimsPerDeviceWeek: limit("maxClaimsPerDeviceWeek"),
    minimumOrderMinor: money("minimumOrder", false),
  };
  return Object.keys(fieldErrors).length ? refused("invalid_fields", { fieldErrors }) : ok({ settings });
}

/** How a friend appears to the referrer: a first name, or the email masked (da***@example.com). */
export function friendLabel(firstName: string | null, email: string): string {
  if (firstName?.trim()) return firstName.trim();
  const at = email.indexOf("@");
  // An order that came by the link alone, without an email: the surfaces say "a friend".
  if (at < 1) return "";
  const local = email.slice(0, Math.max(0, at));
  return `${local.slice(0, 2)}***${email.slice(at)}`;
}
