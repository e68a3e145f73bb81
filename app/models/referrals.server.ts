import { createHmac } from "node:crypto";
import type { Selectable } from "kysely";
import { lockedForUpdate } from "../db/dialect";
import { prepare } from "../db/prepared";
import type { Database, DB, Db } from "../db/types";
import {
  addressDigest,
  deviceClaimsLimit,
  friendLabel,
  friendMustBeNew,
  ipClaimsLimit,
  isReferralStatus,
  minimumOrder,
  newReferralCode,
  normaliseEmail,
  phoneDigest,
  readReferralCode,
  readReferralProgramForm,
  REFERRAL_STATUSES,
  referralTransition,
  referralVerdict,
  referrerMonthlyLimit,
  referrerTotalLimit,
  selfReferralHits,
  type FriendOfferKind,
  type ReferralEvent,
  type ReferralProgramForm,
  type ReferralProgramSettings,
  type ReferralStatus,
  type RuleHit,
} from "../domain/referrals";
import { ok, refused, type Ok, type Refused } from "../domain/result";
import { newDiscountCode, shopifyRequestFor, type RewardDefinition } from "../domain/rewards";
import { enqueueJob, type JobHandler } from "../jobs/queue.server";
import type { AdminGraphql } from "../shopify/admin-api.server";
import { REWARD_APP_DISCOUNT_CREATE, REWARD_DISCOUNT_CREATE, REWARD_FREE_SHIPPING_CREATE } from "../shopify/queries";
import type { WebhookOrder } from "../webhooks/payloads";
import { appendLedgerEntry } from "./ledger.server";
import { scheduleMetafieldSync } from "./metafields.server";
import { findEnabledReward, listEnabledRewards, shopCurrency } from "./rewards.server";

// Referrals, the engine: the shop's program, members' codes, the friend's claim (a single-use
// Shopify code), attribution of the friend's paid order (by that code or the cart attribute),
// the order-time fraud rules, the window, and the durable job that rewards the referrer once.
//
// After the reward, a refund of the friend's order does nothing more to the referrer: the friend
// was real and did buy, and taking points back later would punish the referrer for a return they
// had no part in. Inside the window a refund or a cancellation cancels the referral.

export const REFERRAL_REWARD_JOB = "referrals.reward";
/** The cart attribute (note_attributes) the storefront sets from the link. */
export const REFERRAL_ATTRIBUTE = "loyalty_referral";
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

type ReferralRow = Selectable<DB["referrals"]>;
type ProgramRow = Selectable<DB["referral_programs"]>;

/** HMAC of an IP address or device fingerprint: never the raw value (the app's API secret keys it). */
export function referralHash(secret: string, value: string | null | undefined): string | null {
  const trimmed = (value ?? "").trim();
  return trimmed ? createHmac("sha256", secret).update(`referral:${trimmed}`).digest("hex").slice(0, 32) : null;
}

// ---------------------------------------------------------------------------------------------
// The program

export interface ReferralProgram extends ReferralProgramSettings {
  /** False until the shop first saves the program. */
  saved: boolean;
}

const programRow = prepare((q, p: { shop: string }) => q.selectFrom("referral_programs").selectAll().where("shop", "=", p.shop));

function programFromRow(row: ProgramRow | undefined): ReferralProgram {
  return {
    saved: Boolean(row),
    enabled: row?.enabled ?? false,
    friendOfferKind: (row?.friend_offer_kind ?? "fixed_amount") as FriendOfferKind,
    friendValueMinor: Number(row?.friend_value_minor ?? 0),
    friendPercentOff: row?.friend_percent_off ?? 0,
    friendMinimumSubtotalMinor: row?.friend_minimum_subtotal_minor == null ? null : Number(row.friend_minimum_subtotal_minor),
    friendCodeLifetimeDays: row?.friend_code_lifetime_days ?? 30,
    referrerPoints: row?.referrer_points ?? 0,
    referrerRewardId: row?.referrer_reward_id ?? null,
    cookieDays: row?.cookie_days ?? 30,
    windowDays: row?.window_days ?? null,
    maxPerReferrerMonth: row?.max_per_referrer_month ?? null,
    maxPerReferrerTotal: row?.max_per_referrer_total ?? null,
    maxClaimsPerIpWeek: row ? row.max_claims_per_ip_week : 10,
    maxClaimsPerDeviceWeek: row ? row.max_claims_per_device_week : 10,
    minimumOrderMinor: Number(row?.minimum_order_minor ?? 0),
  };
}

/** The shop's referral program (off, with defaults, until it is saved). */
export async function getReferralProgram(db: Db, shop: string): Promise<ReferralProgram> {
  return programFromRow(await programRow.first(db, { shop }));
}

/** Rewards a referrer may get as a code: the kinds made with one discount mutation. */
const REFERRER_REWARD_KINDS = new Set(["fixed_amount", "percentage", "free_shipping"]);

/** The shop's rewards the program may give a referrer (on, and of a kind made with one discount mutation). */
export async function referrerRewardChoices(db: Db, shop: string): Promise<{ id: number; name: string }[]> {
  return (await listEnabledRewards(db, shop)).filter((reward) => REFERRER_REWARD_KINDS.has(reward.kind)).map(({ id, name }) => ({ id, name }));
}

/** Saves the program form for the shop, or refuses it with an error per field. */
export async function saveReferralProgram(
  db: Db,
  shop: string,
  form: Partial<ReferralProgramForm>,
  now: Date,
): Promise<Ok<{ program: ReferralProgram }> | Refused<"invalid_fields", { fieldErrors: Partial<Record<keyof ReferralProgramForm, string>> }>> {
  const currency = await shopCurrency(db, shop);
  const rewardIds = (await referrerRewardChoices(db, shop)).map((reward) => reward.id);
  const read = readReferralProgramForm(form, currency, { rewardIds });
  if (!read.ok) return read;
  const s = read.settings;
  const wasEnabled = (await getReferralProgram(db, shop)).enabled;
  const columns = {
    enabled: s.enabled,
    friend_offer_kind: s.friendOfferKind,
    friend_value_minor: s.friendValueMinor,
    friend_percent_off: s.friendPercentOff,
    friend_minimum_subtotal_minor: s.friendMinimumSubtotalMinor,
    friend_code_lifetime_days: s.friendCodeLifetimeDays,
    referrer_points: s.referrerPoints,
    referrer_reward_id: s.referrerRewardId,
    cookie_days: s.cookieDays,
    window_days: s.windowDays,
    max_per_referrer_month: s.maxPerReferrerMonth,
    max_per_referrer_total: s.maxPerReferrerTotal,
    max_claims_per_ip_week: s.maxClaimsPerIpWeek,
    max_claims_per_device_week: s.maxClaimsPerDeviceWeek,
    minimum_order_minor: s.minimumOrderMinor,
    updated_at: now.toISOString(),
  };
  await db.query
    .insertInto("referral_programs")
    .values({ shop, ...columns })
    .onConflict((conflict) => conflict.column("shop").doUpdateSet(columns))
    .execute();
  if (wasEnabled !== s.enabled) {
    // Referrals turned on or off: every member's earning metafield gains or loses their link.
    await db.query.updateTable("members").set({ synced_points: null }).where("shop", "=", shop).where("synced_points", "is not", null).execute();
    await scheduleMetafieldSync(db, shop, now);
  }
  return ok({ program: { ...s, saved: true } });
}

// ---------------------------------------------------------------------------------------------
// Codes

const memberCode = prepare((q, p: { shop: string; memberId: number }) =>
  q.selectFrom("members").select("referral_code").where("shop", "=", p.shop).where("id", "=", p.memberId),
);

/**
 * The member's referral code, made on first ask and stable after: a clash with another member's
 * code (the unique index refuses it) draws again.
 */
export async function ensureReferralCode(db: Db, shop: string, memberId: number, draw: () => string = newReferralCode): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const known = await memberCode.first(db, { shop, memberId });
    if (!known) throw new Error(`no member ${memberId} in ${shop}`);
    if (known.referral_code) return known.referral_code;
    try {
      await db.query
        .updateTable("members")
        .set({ referral_code: draw() })
        .where("shop", "=", shop)
        .where("id", "=", memberId)
        .where("referral_code", "is", null)
        .execute();
    } catch (error) {
      // Only a unique clash is worth another draw; eight in a row is not chance.
      if (attempt >= 7 || !/unique|duplicate/i.test(String((error as Error).message))) throw error;
    }
  }
}

const referrerByCode = prepare((q, p: { shop: string; code: string }) =>
  q.selectFrom("members").select(["id", "customer_id", "email", "first_name", "redacted_at"]).where("shop", "=", p.shop).where("referral_code", "=", p.code),
);

export interface ReferralOffer {
  kind: FriendOfferKind;
  valueMinor: number;
  percentOff: number;
  currency: string;
}

const offerOf = (program: ReferralProgramSettings, currency: string): ReferralOffer => ({
  kind: program.friendOfferKind,
  valueMinor: program.friendValueMinor,
  percentOff: program.friendPercentOff,
  currency,
});

async function referrerAndProgram(db: Db, shop: string, codeText: unknown) {
  const code = readReferralCode(codeText);
  const program = await getReferralProgram(db, shop);
  if (!program.enabled) return refused("program_off");
  const referrer = code ? await referrerByCode.first(db, { shop, code }) : undefined;
  if (!code || !referrer || referrer.redacted_at) return refused("unknown_code");
  return ok({ code, program, referrer });
}

/** What the friend's landing page shows for a code. */
export async function readReferralOffer(
  db: Db,
  shop: string,
  code: string,
): Promise<Ok<{ referrerFirstName: string | null; offer: ReferralOffer; cookieDays: number }> | Refused<"unknown_code" | "program_off">> {
  const found = await referrerAndProgram(db, shop, code);
  if (!found.ok) return found;
  return ok({
    referrerFirstName: found.referrer.first_name ?? null,
    offer: offerOf(found.program, await shopCurrency(db, shop)),
    cookieDays: found.program.cookieDays,
  });
}

/** A visit to a referral link (no raw IP kept). */
export async function recordReferralClick(
  db: Db,
  shop: string,
  code: string,
  ipHash: string | null,
  now: Date,
): Promise<Ok | Refused<"unknown_code" | "program_off">> {
  const found = await referrerAndProgram(db, shop, code);
  if (!found.ok) return found;
  await db.query
    .insertInto("referral_clicks")
    .values({ shop, referrer_member_id: found.referrer.id, ip_hash: ipHash, created_at: now.toISOString() })
    .execute();
  return ok({});
}

// ---------------------------------------------------------------------------------------------
// The claim

export interface ReferralClaim {
  shop: string;
  code: unknown;
  email: unknown;
  /** HMACs (referralHash) of the request's IP address and the device fingerprint it sent. */
  ipHash: string | null;
  deviceHash: string | null;
  /** The logged-in customer making the claim, if any (usually a guest). */
  customerId?: string | null;
}

export type ReferralClaimRefusal = Refused<
  | "unknown_code"
  | "program_off"
  | "invalid_email"
  | "already_customer"
  | "self_referral"
  | "already_claimed"
  | "too_many_claims"
  | "offer_expired"
  | "shopify_unavailable"
>;

export type ReferralClaimResult =
  | Ok<{
      status: "claimed" | "review";
      discountCode: string;
      cartUrl: string;
      expiresAt: string;
      offer: ReferralOffer;
      /** A repeat of an earlier claim with the same email: the same code. */
      repeated: boolean;
    }>
  | ReferralClaimRefusal;

export interface ReferralDeps {
  db: Database;
  adminFor(shop: string): Promise<AdminGraphql | null>;
  newCode?: () => string;
}

const referralByEmailKey = prepare((q, p: { shop: string; key: string }) =>
  q.selectFrom("referrals").selectAll().where("shop", "=", p.shop).where("friend_email_key", "=", p.key),
);

/** Whether a customer with this email already has an order the app has seen (not cancelled). */
const paidOrderOfEmail = prepare((q, p: { shop: string; email: string }) =>
  q
    .selectFrom("members as m")
    .innerJoin("loyalty_orders as o", (join) => join.onRef("o.shop", "=", "m.shop").onRef("o.customer_id", "=", "m.customer_id"))
    .select("o.id")
    .where("m.shop", "=", p.shop)
    .where("m.email", "=", p.email)
    .where("o.cancelled_at", "is", null)
    .where("o.currency_code", "!=", "")
    .limit(1),
);

const recentClaims = (db: Db, shop: string, column: "ip_hash" | "device_hash", hash: string, since: string) =>
  db.query
    .selectFrom("referrals")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("shop", "=", shop)
    .where(column, "=", hash)
    .where("claimed_at", ">=", since)
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.n));

const cartUrl = (code: string) => `/discount/${encodeURIComponent(code)}?redirect=/cart`;

function claimAnswer(row: ReferralRow, program: ReferralProgramSettings, currency: string, repeated: boolean): ReferralClaimResult {
  const hits = parseReasons(row.reasons);
  return ok({
    status: hits.length ? ("review" as const) : ("claimed" as const),
    discountCode: row.discount_code!,
    cartUrl: cartUrl(row.discount_code!),
    expiresAt: new Date(Date.parse(row.claimed_at) + program.friendCodeLifetimeDays * DAY_MS).toISOString(),
    offer: offerOf(program, currency),
    repeated,
  });
}

/**
 * The friend claims the offer with their email: a single-use code in Shopify, and the referral
 * row (one per normalised email: a second claim with the same email answers the same code).
 * Certain claim-time rules refuse; an uncertain one (many claims from one IP address) is kept
 * on the row, so the referrer's reward waits for staff review.
 */
export async function claimReferral(deps: ReferralDeps, claim: ReferralClaim, now: Date): Promise<ReferralClaimResult> {
  const { db } = deps;
  const found = await referrerAndProgram(db, claim.shop, claim.code);
  if (!found.ok) return found;
  const { code, program, referrer } = found;
  const email = normaliseEmail(claim.email);
  if (!email) return refused("invalid_email");
  const currency = await shopCurrency(db, claim.shop);
  const earlier = await referralByEmailKey.first(db, { shop: claim.shop, key: email.key });
  if (earlier) {
    if (earlier.referrer_member_id === referrer.id && earlier.discount_code && earlier.order_id === null && earlier.status === "claimed") {
      // The friend's one offer has run out: a new code each time would make the offer endless.
      if (Date.parse(earlier.claimed_at) + program.friendCodeLifetimeDays * DAY_MS <= now.getTime()) return refused("offer_expired");
      return claimAnswer(earlier, program, currency, true);
    }
    return refused("already_claimed");
  }
  if (normaliseEmail(referrer.email)?.key === email.key || (claim.customerId && claim.customerId === referrer.customer_id)) return refused("self_referral");
  if (await paidOrderOfEmail.first(db, { shop: claim.shop, email: email.email })) return refused("already_customer");
  const since = new Date(now.getTime() - WEEK_MS).toISOString();
  const device = claim.deviceHash
    ? deviceClaimsLimit({ lastWeek: await recentClaims(db, claim.shop, "device_hash", claim.deviceHash, since), max: program.maxClaimsPerDeviceWeek })
    : null;
  if (device) return refused("too_many_claims");
  const ip = claim.ipHash
    ? ipClaimsLimit({ lastWeek: await recentClaims(db, claim.shop, "ip_hash", claim.ipHash, since), max: program.maxClaimsPerIpWeek })
    : null;
  // Past IP_CLAIMS_REFUSED_AT times the limit the address is refused; below it the claim waits for review.
  if (ip?.certain) return refused("too_many_claims");

  const discountCode = (deps.newCode ?? (() => newDiscountCode("FRIEND")))();
  const at = now.toISOString();
  let row: ReferralRow;
  try {
    row = await db.query
      .insertInto("referrals")
      .values({
        shop: claim.shop,
        referrer_member_id: referrer.id,
        code,
        friend_email: email.email,
        friend_email_key: email.key,
        friend_customer_id: claim.customerId ?? null,
        discount_code: discountCode,
        ip_hash: claim.ipHash,
        device_hash: claim.deviceHash,
        status: "claimed",
        reasons: JSON.stringify(ip ? [ip] : []),
        claimed_at: at,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    // A concurrent claim with the same email got there first: answer as a repeat would.
    const raced = await referralByEmailKey.first(db, { shop: claim.shop, key: email.key });
    if (!raced) throw error;
    return raced.referrer_member_id === referrer.id && raced.discount_code ? claimAnswer(raced, program, currency, true) : refused("already_claimed");
  }

  const made = await createFriendDiscount(deps, claim.shop, program, discountCode, currency, now);
  if (made.ok) {
    await db.query.updateTable("referrals").set({ discount_id: made.id, updated_at: at }).where("shop", "=", claim.shop).where("id", "=", row.id).execute();
    return claimAnswer(row, program, currency, false);
  }
  // No code in Shopify (or none we can be sure of): the claim is undone, so trying again works.
  // This must stay safe to repeat: a code Shopify made after all is single-use and expires.
  await db.query.deleteFrom("referrals").where("shop", "=", claim.shop).where("id", "=", row.id).execute();
  return refused("shopify_unavailable");
}

/** The friend's offer as a catalogue entry, so the reward's discount mutations make it. */
function friendOfferReward(program: ReferralProgramSettings): RewardDefinition {
  return {
    id: 0,
    name: "Referral offer",
    kind: program.friendOfferKind,
    pointsCost: 0,
    valueMinor: program.friendValueMinor,
    percentOff: program.friendPercentOff,
    maxDiscountMinor: null,
    productVariantId: null,
    minAmountMinor: null,
    maxAmountMinor: null,
    minimumSubtotalMinor: program.friendMinimumSubtotalMinor,
    codeLifetimeDays: program.friendCodeLifetimeDays,
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
  };
}

async function createFriendDiscount(deps: ReferralDeps, shop: string, program: ReferralProgramSettings, code: string, currency: string, now: Date) {
  const ends = new Date(now.getTime() + program.friendCodeLifetimeDays * DAY_MS).toISOString();
  // The friend is usually a guest: the code is for anyone (single use), not one customer.
  return createDiscount(deps, shop, friendOfferReward(program), { code, startsAt: now.toISOString(), endsAt: ends }, null, currency);
}

/** One of the reward discount mutations for a code: made (with its id), taken already (made by an earlier try), or not. */
async function createDiscount(
  deps: Pick<ReferralDeps, "adminFor">,
  shop: string,
  reward: RewardDefinition,
  window: { code: string; startsAt: string; endsAt: string },
  customerId: string | null,
  currency: string,
): Promise<{ ok: true; id: string | null } | { ok: false; reason: string }> {
  const admin = await deps.adminFor(shop);
  if (!admin) return { ok: false, reason: "the shop has no Admin API access" };
  const plan = shopifyRequestFor(reward, { ...window, valueMinor: reward.valueMinor }, customerId ?? "0", currency);
  if (customerId === null) for (const input of Object.values(plan.variables)) delete (input as { context?: unknown }).context;
  try {
    let payload:
      | { userErrors: { message: string; code?: string | null }[]; codeDiscountNode?: { id: string } | null; codeAppDiscount?: { discountId: string } | null }
      | null
      | undefined;
    if (plan.mutation === "basic") payload = (await admin.request(REWARD_DISCOUNT_CREATE, plan.variables)).discountCodeBasicCreate;
    else if (plan.mutation === "freeShipping") payload = (await admin.request(REWARD_FREE_SHIPPING_CREATE, plan.variables)).discountCodeFreeShippingCreate;
    else if (plan.mutation === "app") payload = (await admin.request(REWARD_APP_DISCOUNT_CREATE, plan.variables)).discountCodeAppCreate;
    else return { ok: false, reason: `a ${reward.kind} reward is not made as a referral code` };
    if (!payload) return { ok: false, reason: "Shopify returned no result" };
    if (payload.userErrors.some((e) => e.code === "TAKEN")) return { ok: true, id: null };
    if (payload.userErrors.length) return { ok: false, reason: payload.userErrors.map((e) => e.message).join("; ") };
    return { ok: true, id: payload.codeDiscountNode?.id ?? payload.codeAppDiscount?.discountId ?? null };
  } catch (error) {
    return { ok: false, reason: (error as Error).message.slice(0, 300) };
  }
}

// ---------------------------------------------------------------------------------------------
// Attribution of the friend's order, and its reversal

export function parseReasons(json: string): RuleHit[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as RuleHit[]) : [];
  } catch {
    return [];
  }
}

function move(from: string, ...events: ReferralEvent[]): ReferralStatus | null {
  let status = from as ReferralStatus;
  for (const event of events) {
    const moved = referralTransition(status, event);
    if (!moved.ok) return null;
    status = moved.status;
  }
  return status;
}

const referralByOrder = prepare((q, p: { shop: string; orderId: string }, dialect) =>
  lockedForUpdate(dialect, q.selectFrom("referrals").selectAll().where("shop", "=", p.shop).where("order_id", "=", p.orderId)),
);

const memberById = prepare((q, p: { shop: string; id: number }) =>
  q.selectFrom("members").select(["id", "customer_id", "email", "first_name", "phone_key", "address_key"]).where("shop", "=", p.shop).where("id", "=", p.id),
);

/** Whether an order event can concern a referral at all (no query): it used a discount code or carries the attribute. */
export const mayBeReferred = (order: WebhookOrder) => order.discountCodes.length > 0 || REFERRAL_ATTRIBUTE in order.attributes;

async function findReferralForOrder(db: Db, shop: string, order: WebhookOrder, now: string): Promise<ReferralRow | null> {
  if (order.discountCodes.length) {
    // Friend codes are made upper-case; a shopper may type one in any case.
    const codes = [...new Set(order.discountCodes.flatMap((code) => [code, code.toUpperCase()]))];
    const byCode = await lockedForUpdate(
      db.dialect,
      db.query.selectFrom("referrals").selectAll().where("shop", "=", shop).where("discount_code", "in", codes),
    ).executeTakeFirst();
    if (byCode) return byCode;
  }
  const code = readReferralCode(order.attributes[REFERRAL_ATTRIBUTE]);
  if (!code) return null;
  // Nothing is made for a link while the program is off.
  if (!(await getReferralProgram(db, shop)).enabled) return null;
  const referrer = await referrerByCode.first(db, { shop, code });
  if (!referrer || referrer.redacted_at) return null;
  // The friend came by the link but never claimed (or claimed in another browser): keyed by the
  // order's email, so a claim made with that email is this referral.
  const email = normaliseEmail(order.email);
  const key = email?.key ?? `order:${order.orderId}`;
  const existing = await referralByEmailKey.first(db, { shop, key });
  if (existing) return existing;
  return db.query
    .insertInto("referrals")
    .values({
      shop,
      referrer_member_id: referrer.id,
      code,
      friend_email: email?.email ?? "",
      friend_email_key: key,
      friend_customer_id: order.customer?.customerId ?? null,
      status: "claimed",
      claimed_at: now,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.columns(["shop", "friend_email_key"]).doNothing())
    .returningAll()
    .executeTakeFirst()
    .then(async (row) => row ?? (await referralByEmailKey.first(db, { shop, key })) ?? null);
}

const earlierOrdersOfCustomer = prepare((q, p: { shop: string; customerId: string; orderId: string }) =>
  q
    .selectFrom("loyalty_orders")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("shop", "=", p.shop)
    .where("customer_id", "=", p.customerId)
    .where("order_id", "!=", p.orderId)
    .where("cancelled_at", "is", null)
    .where("currency_code", "!=", ""),
);

/** A calendar month's start (UTC) for the referrer's monthly limit. */
const monthStart = (iso: string) => `${iso.slice(0, 7)}-01T00:00:00.000Z`;

async function referrerCounts(db: Db, shop: string, referrerId: number, excludeId: number, now: string) {
  const rows = await db.query
    .selectFrom("referrals")
    .select(["ordered_at"])
    .where("shop", "=", shop)
    .where("referrer_member_id", "=", referrerId)
    .where("status", "in", ["pending", "rewarded"])
    .where("id", "!=", excludeId)
    .execute();
  const start = monthStart(now);
  return { total: rows.length, thisMonth: rows.filter((row) => row.ordered_at !== null && row.ordered_at >= start).length };
}

/**
 * orders/paid for an order that used a discount code or carries the referral attribute: the
 * referral it belongs to is marked ordered, the order-time rules run, and it is rejected (a
 * certain hit), waits for review (an uncertain one, here or at the claim) or waits out its window,
 * after which a durable job rewards the referrer. A redelivery finds the order already attributed.
 */
export async function attributeReferralOrder(
  db: Db,
  shop: { domain: string; pendingDays: number },
  order: WebhookOrder,
  now: string,
): Promise<{ referralId: number; status: ReferralStatus } | null> {
  if (!mayBeReferred(order)) return null;
  // One indexed read for an order with a discount code (most are not a friend's): the program
  // is read only once a referral is found, or for the link's attribute.
  const referral = await findReferralForOrder(db, shop.domain, order, now);
  if (!referral) return null;
  // A redelivery, or the friend's later order: the referral already has its order.
  if (referral.order_id !== null) return referral.order_id === order.orderId ? { referralId: referral.id, status: referral.status as ReferralStatus } : null;
  const program = await getReferralProgram(db, shop.domain);
  if (!program.enabled) return null;
  const ordered = move(referral.status, "order_paid");
  if (!ordered) return null;
  const referrer = await memberById.first(db, { shop: shop.domain, id: referral.referrer_member_id });
  if (!referrer) return null;

  const friendCustomer = order.customer?.customerId ?? referral.friend_customer_id;
  const friendEmail = normaliseEmail(order.email) ?? normaliseEmail(referral.friend_email);
  const earlier = friendCustomer
    ? Number((await earlierOrdersOfCustomer.first(db, { shop: shop.domain, customerId: friendCustomer, orderId: order.orderId }))?.n ?? 0)
    : 0;
  const counts = await referrerCounts(db, shop.domain, referrer.id, referral.id, now);
  const hits: RuleHit[] = [
    ...parseReasons(referral.reasons),
    ...selfReferralHits(
      // Phones and addresses compare as the digests the referrer's own orders left on their row.
      {
        customerId: referrer.customer_id,
        emailKey: normaliseEmail(referrer.email)?.key ?? null,
        phoneKey: referrer.phone_key,
        addressKey: referrer.address_key,
      },
      { customerId: friendCustomer, emailKey: friendEmail?.key ?? null, phoneKey: phoneDigest(order.phone), addressKey: addressDigest(order.shippingAddress) },
    ),
    ...[
      friendMustBeNew({ earlierPaidOrders: earlier }),
      minimumOrder({ totalMinor: order.totalMinor, minimumMinor: program.minimumOrderMinor }),
      referrerMonthlyLimit({ thisMonth: counts.thisMonth, max: program.maxPerReferrerMonth }),
      referrerTotalLimit({ total: counts.total, max: program.maxPerReferrerTotal }),
    ].filter((h): h is RuleHit => h !== null),
  ];
  const verdict = referralVerdict(hits);
  const status = verdict === "rejected" ? move(ordered, "reject")! : verdict === "review" ? move(ordered, "flag")! : move(ordered, "window_started")!;
  const windowDays = program.windowDays ?? shop.pendingDays;
  const dueAt = new Date(Date.parse(now) + windowDays * DAY_MS).toISOString();
  await db.query
    .updateTable("referrals")
    .set({
      status,
      reasons: JSON.stringify(hits),
      order_id: order.orderId,
      order_total_minor: order.totalMinor,
      friend_customer_id: friendCustomer,
      ordered_at: now,
      reward_due_at: status === "rejected" ? null : dueAt,
      updated_at: now,
    })
    .where("shop", "=", shop.domain)
    .where("id", "=", referral.id)
    .execute();
  if (status === "pending") await enqueueRewardJob(db, shop.domain, referral.id, dueAt, now);
  return { referralId: referral.id, status };
}

async function enqueueRewardJob(db: Db, shop: string, referralId: number, dueAt: string, now: string) {
  await enqueueJob(
    db,
    { shop, kind: REFERRAL_REWARD_JOB, key: `referral:${referralId}:reward`, payload: { referralId }, runAt: new Date(dueAt) },
    new Date(now),
  );
}

/**
 * A refund or cancellation of a referred order before the reward cancels the referral (one
 * indexed read by order). After the reward it does nothing (see the top of this file).
 */
export async function cancelReferralForOrder(db: Db, shop: string, orderId: string, now: string): Promise<boolean> {
  const referral = await referralByOrder.first(db, { shop, orderId });
  if (!referral) return false;
  const status = move(referral.status, "order_reversed");
  if (!status) return false;
  await db.query
    .updateTable("referrals")
    .set({ status, reward_due_at: null, updated_at: now })
    .where("shop", "=", shop)
    .where("id", "=", referral.id)
    .execute();
  return true;
}

// ---------------------------------------------------------------------------------------------
// The reward

const lockedReferral = prepare((q, p: { shop: string; id: number }, dialect) =>
  lockedForUpdate(dialect, q.selectFrom("referrals").selectAll().where("shop", "=", p.shop).where("id", "=", p.id)),
);

/**
 * The window ended: the referrer gets their points (ledger kind "referral", source key
 * referral:<id>: once ever) or their reward's code, and the referral is rewarded. A referral no
 * longer pending (cancelled, rejected, waiting for review) or not yet due is left as it is.
 */
export async function rewardReferral(deps: ReferralDeps, shop: string, referralId: number, now: Date): Promise<"rewarded" | "not due" | "not pending"> {
  const at = now.toISOString();
  const prepared = await deps.db.transaction(async (tx) => {
    const referral = await lockedReferral.first(tx, { shop, id: referralId });
    if (!referral || referral.status !== "pending") return "not pending" as const;
    if (referral.reward_due_at && referral.reward_due_at > at) return "not due" as const;
    const program = await getReferralProgram(tx, shop);
    const reward = program.referrerRewardId ? await findEnabledReward(tx, shop, program.referrerRewardId) : null;
    if (!reward) {
      const points = program.referrerPoints;
      if (points > 0) {
        await appendLedgerEntry(
          tx,
          {
            shop,
            memberId: referral.referrer_member_id,
            delta: points,
            kind: "referral",
            sourceKey: `referral:${referral.id}`,
            orderId: referral.order_id,
            actor: { type: "system" },
            reason: `Referral: ${friendLabel(null, referral.friend_email) || "a friend"} ordered`,
          },
          at,
        );
      }
      await markRewarded(tx, shop, referral.id, { points, code: null }, at);
      return "rewarded" as const;
    }
    const code = referral.reward_code ?? newDiscountCode("REF");
    if (!referral.reward_code) await tx.query.updateTable("referrals").set({ reward_code: code, updated_at: at }).where("id", "=", referral.id).execute();
    const referrer = await memberById.first(tx, { shop, id: referral.referrer_member_id });
    return { reward, code, customerId: referrer?.customer_id ?? null };
  });
  if (typeof prepared === "string") return prepared;
  // The code is stored before Shopify is asked: a retry asks for the same code, and "taken" means made.
  const currency = await shopCurrency(deps.db, shop);
  const ends = new Date(now.getTime() + prepared.reward.codeLifetimeDays * DAY_MS).toISOString();
  const made = await createDiscount(deps, shop, prepared.reward, { code: prepared.code, startsAt: at, endsAt: ends }, prepared.customerId, currency);
  if (!made.ok) throw new Error(`referral ${referralId}: the referrer's reward code was not made: ${made.reason}`);
  await deps.db.transaction(async (tx) => {
    const referral = await lockedReferral.first(tx, { shop, id: referralId });
    if (referral?.status === "pending") await markRewarded(tx, shop, referralId, { points: null, code: prepared.code }, at);
  });
  return "rewarded";
}

async function markRewarded(db: Db, shop: string, id: number, reward: { points: number | null; code: string | null }, at: string) {
  await db.query
    .updateTable("referrals")
    .set({ status: move("pending", "window_ended")!, reward_points: reward.points, reward_code: reward.code, rewarded_at: at, updated_at: at })
    .where("shop", "=", shop)
    .where("id", "=", id)
    .execute();
}

export function referralJobHandlers(deps: Pick<ReferralDeps, "adminFor">): Record<string, JobHandler> {
  return {
    [REFERRAL_REWARD_JOB]: async ({ db, shop, payload, now }) => {
      const referralId = (payload as { referralId?: unknown }).referralId;
      if (!Number.isSafeInteger(referralId)) throw new Error(`referral reward job has a bad payload: ${JSON.stringify(payload)}`);
      await rewardReferral({ db, adminFor: deps.adminFor }, shop, referralId as number, now);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Staff: the list, review and the figures

export interface ReferralListItem {
  id: number;
  status: ReferralStatus;
  referrer: { memberId: number; customerId: string; name: string | null; email: string | null };
  friendEmail: string;
  discountCode: string | null;
  reasons: RuleHit[];
  orderId: string | null;
  orderTotalMinor: number | null;
  rewardPoints: number | null;
  rewardCode: string | null;
  rewardDueAt: string | null;
  reviewedBy: string | null;
  claimedAt: string;
  orderedAt: string | null;
  rewardedAt: string | null;
}

export const REFERRALS_PAGE_SIZE = 50;

/** The shop's referrals, newest first, a page at a time (cursor: the last id seen). */
export async function listReferrals(
  db: Db,
  shop: string,
  { status, cursor }: { status?: string | null; cursor?: number | string | null } = {},
): Promise<{ referrals: ReferralListItem[]; nextCursor: number | null }> {
  let query = db.query
    .selectFrom("referrals as r")
    .innerJoin("members as m", "m.id", "r.referrer_member_id")
    .selectAll("r")
    .select(["m.customer_id as referrer_customer_id", "m.first_name", "m.last_name", "m.email as referrer_email"])
    .where("r.shop", "=", shop)
    .orderBy("r.id", "desc")
    .limit(REFERRALS_PAGE_SIZE + 1);
  if (status && isReferralStatus(status)) query = query.where("r.status", "=", status);
  const after = Number(cursor);
  if (cursor !== null && cursor !== undefined && Number.isSafeInteger(after) && after > 0) query = query.where("r.id", "<", after);
  const rows = await query.execute();
  const page = rows.slice(0, REFERRALS_PAGE_SIZE);
  return {
    referrals: page.map((row) => ({
      id: row.id,
      status: row.status as ReferralStatus,
      referrer: {
        memberId: row.referrer_member_id,
        customerId: row.referrer_customer_id,
        name: [row.first_name, row.last_name].filter(Boolean).join(" ") || null,
        email: row.referrer_email ?? null,
      },
      friendEmail: row.friend_email,
      discountCode: row.discount_code,
      reasons: parseReasons(row.reasons),
      orderId: row.order_id,
      orderTotalMinor: row.order_total_minor === null ? null : Number(row.order_total_minor),
      rewardPoints: row.reward_points,
      rewardCode: row.reward_code,
      rewardDueAt: row.reward_due_at,
      reviewedBy: row.reviewed_by,
      claimedAt: row.claimed_at,
      orderedAt: row.ordered_at,
      rewardedAt: row.rewarded_at,
    })),
    nextCursor: rows.length > REFERRALS_PAGE_SIZE ? page[page.length - 1].id : null,
  };
}

/** How many of the shop's referrals are in each status, and how many visits its referral links had. */
export async function referralCounts(db: Db, shop: string): Promise<{ counts: Record<ReferralStatus, number>; clicks: number }> {
  const rows = await db.query
    .selectFrom("referrals")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("shop", "=", shop)
    .groupBy("status")
    .execute();
  const clicks = await db.query
    .selectFrom("referral_clicks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("shop", "=", shop)
    .executeTakeFirstOrThrow();
  const counts = Object.fromEntries(REFERRAL_STATUSES.map((status) => [status, 0])) as Record<ReferralStatus, number>;
  for (const row of rows) if (isReferralStatus(row.status)) counts[row.status] = Number(row.n);
  return { counts, clicks: Number(clicks.n ?? 0) };
}

/**
 * Staff decide a referral waiting for review: approved, its window runs on from its order (due
 * now if that has passed); rejected, it stays rejected. Anything not in review is refused.
 */
export async function reviewReferral(
  db: Database,
  shop: string,
  referralId: number,
  decision: "approve" | "reject",
  staff: { id: string; name: string },
  now: Date,
): Promise<Ok<{ status: ReferralStatus }> | Refused<"not_found"> | Refused<"not_allowed", { status: ReferralStatus }>> {
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    const referral = await lockedReferral.first(tx, { shop, id: referralId });
    if (!referral) return refused("not_found");
    const status = referral.status === "review" ? move(referral.status, decision) : null;
    if (!status) return refused("not_allowed", { status: referral.status as ReferralStatus });
    let dueAt: string | null = null;
    if (status === "pending") {
      const program = await getReferralProgram(tx, shop);
      const shopRow = await tx.query.selectFrom("shops").select("pending_days").where("domain", "=", shop).executeTakeFirst();
      const days = program.windowDays ?? shopRow?.pending_days ?? 0;
      const fromOrder = Date.parse(referral.ordered_at ?? at) + days * DAY_MS;
      dueAt = new Date(Math.max(fromOrder, now.getTime())).toISOString();
    }
    await tx.query
      .updateTable("referrals")
      .set({ status, reward_due_at: dueAt, reviewed_by: `${staff.name} (${staff.id})`, reviewed_at: at, updated_at: at })
      .where("shop", "=", shop)
      .where("id", "=", referral.id)
      .execute();
    if (dueAt) await enqueueRewardJob(tx, shop, referral.id, dueAt, at);
    return ok({ status });
  });
}

/** The home page's referral figures over the last 30 days: referred orders and revenue (not rejected or cancelled), the points rewarded, and what waits for review (now). */
export async function referralFigures(db: Db, shop: string, now: Date) {
  const since = new Date(now.getTime() - 30 * DAY_MS).toISOString();
  const orders = await db.query
    .selectFrom("referrals")
    .select((eb) => [eb.fn.countAll<number>().as("orders"), eb.fn.sum<number>("order_total_minor").as("revenue")])
    .where("shop", "=", shop)
    .where("ordered_at", ">=", since)
    .where("status", "in", ["pending", "rewarded", "review"])
    .executeTakeFirstOrThrow();
  const cost = await db.query
    .selectFrom("referrals")
    .select((eb) => eb.fn.sum<number>("reward_points").as("points"))
    .where("shop", "=", shop)
    .where("status", "=", "rewarded")
    .where("rewarded_at", ">=", since)
    .executeTakeFirstOrThrow();
  const review = await db.query
    .selectFrom("referrals")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("shop", "=", shop)
    .where("status", "=", "review")
    .executeTakeFirstOrThrow();
  return {
    referredOrders: Number(orders.orders ?? 0),
    referredRevenueMinor: Number(orders.revenue ?? 0),
    rewardCostPoints: Number(cost.points ?? 0),
    pendingReview: Number(review.n ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------
// The shopper's view

export interface ShopperReferral {
  code: string;
  url: string;
  friendsReferred: number;
  /** Points earned by referrals (rewarded ones; a reward code adds none). */
  rewardsEarned: number;
  pending: { friend: string; status: "claimed" | "ordered" | "pending" | "review"; pointsDueAt: string | null; points: number | null }[];
}

const referralsOfReferrer = prepare((q, p: { shop: string; memberId: number }) =>
  q
    .selectFrom("referrals as r")
    .leftJoin("members as f", (join) => join.onRef("f.shop", "=", "r.shop").onRef("f.customer_id", "=", "r.friend_customer_id"))
    .select(["r.status", "r.friend_email", "r.reward_due_at", "r.reward_points", "f.first_name"])
    .where("r.shop", "=", p.shop)
    .where("r.referrer_member_id", "=", p.memberId)
    .orderBy("r.id", "desc")
    .limit(500),
);

/**
 * The shopper read's `referral` for a signed-in customer: the member is made if the program has
 * not met them yet (a referrer needs no order of their own to share a link).
 */
export async function shopperReferralFor(
  db: Db,
  shop: string,
  customerId: string,
  member: { id: number; referralCode: string | null } | null,
  program: { referrerPoints: number; referrerRewardId: number | null },
  now: Date,
): Promise<ShopperReferral> {
  if (member) return shopperReferral(db, shop, member, program);
  const at = now.toISOString();
  await db.query
    .insertInto("members")
    .values({ shop, customer_id: customerId, balance: 0, created_at: at, updated_at: at })
    .onConflict((conflict) => conflict.columns(["shop", "customer_id"]).doNothing())
    .execute();
  const made = await db.query
    .selectFrom("members")
    .select(["id", "referral_code"])
    .where("shop", "=", shop)
    .where("customer_id", "=", customerId)
    .executeTakeFirstOrThrow();
  return shopperReferral(db, shop, { id: made.id, referralCode: made.referral_code }, program);
}

/** A member's referral link: the app proxy's landing on the shop's domain. */
export const referralUrl = (shop: string, code: string) => `https://${shop}/apps/loyalty/r/${code}`;

const OPEN: ReadonlySet<string> = new Set(["claimed", "ordered", "pending", "review"]);

/**
 * The `referral` field of the shopper's read, for a shop running referrals: the member's link
 * (the code made on first read) and their friends, in one indexed query.
 */
export async function shopperReferral(
  db: Db,
  shop: string,
  member: { id: number; referralCode: string | null },
  program: { referrerPoints: number; referrerRewardId: number | null },
): Promise<ShopperReferral> {
  const code = member.referralCode ?? (await ensureReferralCode(db, shop, member.id));
  const rows = member.referralCode ? await referralsOfReferrer.all(db, { shop, memberId: member.id }) : [];
  const points = program.referrerRewardId ? null : program.referrerPoints;
  return {
    code,
    url: referralUrl(shop, code),
    friendsReferred: rows.filter((row) => row.status !== "rejected" && row.status !== "cancelled").length,
    // The points the referrals earned them (what every surface shows; a reward given as a code adds none).
    rewardsEarned: rows.filter((row) => row.status === "rewarded").reduce((sum, row) => sum + (row.reward_points ?? 0), 0),
    pending: rows
      .filter((row) => OPEN.has(row.status))
      .slice(0, 20)
      .map((row) => ({
        friend: friendLabel(row.first_name ?? null, row.friend_email),
        status: row.status as "claimed" | "ordered" | "pending" | "review",
        pointsDueAt: row.status === "pending" ? row.reward_due_at : null,
        points,
      })),
  };
}

/**
 * customers/redact: the customer as a referred friend is forgotten (their email, its key and the
 * claim's hashes); the referral itself stays, so the referrer's history and figures add up.
 */
export async function forgetReferralFriend(db: Db, shop: string, request: { customerId: string | null; email: string | null }, now: string) {
  const email = normaliseEmail(request.email);
  if (!request.customerId && !email) return;
  const rows = await db.query
    .selectFrom("referrals")
    .select("id")
    .where("shop", "=", shop)
    .where((eb) => {
      const matches = [];
      if (request.customerId) matches.push(eb("friend_customer_id", "=", request.customerId));
      if (email) matches.push(eb("friend_email_key", "=", email.key));
      return eb.or(matches);
    })
    .execute();
  for (const row of rows) {
    await db.query
      .updateTable("referrals")
      .set({ friend_email: "", friend_email_key: `redacted:${row.id}`, ip_hash: null, device_hash: null, updated_at: now })
      .where("shop", "=", shop)
      .where("id", "=", row.id)
      .execute();
  }
}
