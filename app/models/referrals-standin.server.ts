import type { Db } from "../db/types";
import { toMinorUnits } from "../domain/money";
import { ok, refused, type Ok, type Refused } from "../domain/result";
import { shopCurrency } from "./rewards.server";

// STAND-IN for the engine's app/models/referrals.server.ts (issue 15, helper "ref-engine"): the
// smallest versions of the functions the referral surfaces call, with the contract's names and
// shapes, so the surfaces can be built and tested before the engine lands. The merge drops this
// file and points the imports at referrals.server.ts.

export interface ReferralOfferView {
  kind: "fixed_amount" | "percentage" | "free_shipping";
  valueMinor: number;
  percentOff: number;
  currency: string;
}

export type ReferralOfferAnswer =
  Ok<{ referrerFirstName: string | null; offer: ReferralOfferView; cookieDays: number }> | Refused<"unknown_code" | "program_off">;

/** What the friend's landing shows for a code: the referrer's first name, the offer and how long the link is remembered. */
export async function readReferralOffer(db: Db, shop: string, code: string): Promise<ReferralOfferAnswer> {
  const row = await db.query
    .selectFrom("members")
    .innerJoin("shops", "shops.domain", "members.shop")
    .leftJoin("referral_programs", "referral_programs.shop", "members.shop")
    .select([
      "members.first_name",
      "shops.currency_code",
      "referral_programs.enabled",
      "referral_programs.friend_offer_kind",
      "referral_programs.friend_value_minor",
      "referral_programs.friend_percent_off",
      "referral_programs.cookie_days",
    ])
    .where("members.shop", "=", shop)
    .where("members.referral_code", "=", code)
    .where("shops.uninstalled_at", "is", null)
    .executeTakeFirst();
  if (!row) return refused("unknown_code");
  if (!row.enabled) return refused("program_off");
  return ok({
    referrerFirstName: row.first_name,
    offer: {
      kind: (row.friend_offer_kind ?? "fixed_amount") as ReferralOfferView["kind"],
      valueMinor: Number(row.friend_value_minor ?? 0),
      percentOff: Number(row.friend_percent_off ?? 0),
      currency: row.currency_code,
    },
    cookieDays: Number(row.cookie_days ?? 30),
  });
}

/** A visit to a referral link, for the referrer's clicked count. */
export async function recordReferralClick(db: Db, shop: string, code: string, ipHash: string | null, now: Date): Promise<void> {
  const member = await db.query.selectFrom("members").select("id").where("shop", "=", shop).where("referral_code", "=", code).executeTakeFirst();
  if (!member) return;
  await db.query.insertInto("referral_clicks").values({ shop, referrer_member_id: member.id, ip_hash: ipHash, created_at: now.toISOString() }).execute();
}

// ---- Admin (stand-ins for getReferralProgram, saveReferralProgram, listReferrals, reviewReferral, referralFigures) ----

export const REFERRAL_STATUSES = ["claimed", "ordered", "pending", "rewarded", "cancelled", "rejected", "review"] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** The shop's referral program as the admin edits it (money in minor units; null limits: none). */
export interface ReferralProgramSettings {
  enabled: boolean;
  friendOfferKind: ReferralOfferView["kind"];
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

/** The admin form: every field as typed (money as decimals in the shop's currency). */
export type ReferralProgramForm = Partial<Record<keyof ReferralProgramSettings | "friendValue" | "friendMinimumSubtotal" | "minimumOrder", string>>;
export type ReferralProgramField = keyof ReferralProgramForm;

const DEFAULT_PROGRAM: ReferralProgramSettings = {
  enabled: false,
  friendOfferKind: "fixed_amount",
  friendValueMinor: 0,
  friendPercentOff: 0,
  friendMinimumSubtotalMinor: null,
  friendCodeLifetimeDays: 30,
  referrerPoints: 0,
  referrerRewardId: null,
  cookieDays: 30,
  windowDays: null,
  maxPerReferrerMonth: null,
  maxPerReferrerTotal: null,
  maxClaimsPerIpWeek: 10,
  maxClaimsPerDeviceWeek: 10,
  minimumOrderMinor: 0,
};

export async function getReferralProgram(db: Db, shop: string): Promise<ReferralProgramSettings> {
  const row = await db.query.selectFrom("referral_programs").selectAll().where("shop", "=", shop).executeTakeFirst();
  if (!row) return { ...DEFAULT_PROGRAM };
  const n = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    enabled: Boolean(row.enabled),
    friendOfferKind: row.friend_offer_kind as ReferralOfferView["kind"],
    friendValueMinor: Number(row.friend_value_minor),
    friendPercentOff: Number(row.friend_percent_off),
    friendMinimumSubtotalMinor: n(row.friend_minimum_subtotal_minor),
    friendCodeLifetimeDays: Number(row.friend_code_lifetime_days),
    referrerPoints: Number(row.referrer_points),
    referrerRewardId: n(row.referrer_reward_id),
    cookieDays: Number(row.cookie_days),
    windowDays: n(row.window_days),
    maxPerReferrerMonth: n(row.max_per_referrer_month),
    maxPerReferrerTotal: n(row.max_per_referrer_total),
    maxClaimsPerIpWeek: n(row.max_claims_per_ip_week),
    maxClaimsPerDeviceWeek: n(row.max_claims_per_device_week),
    minimumOrderMinor: Number(row.minimum_order_minor),
  };
}

export type SaveReferralProgramResult =
  Ok<{ program: ReferralProgramSettings }> | Refused<"invalid_fields", { fieldErrors: Partial<Record<ReferralProgramField, string>> }>;

/** Checks and saves the form (the engine's is the real rule; this one checks enough for the page's tests). */
export async function saveReferralProgram(db: Db, shop: string, form: ReferralProgramForm, now: Date): Promise<SaveReferralProgramResult> {
  const fieldErrors: Partial<Record<ReferralProgramField, string>> = {};
  const currency = await shopCurrency(db, shop);
  const whole = (field: ReferralProgramField, min: number, max: number, optional = false): number | null => {
    const text = (form[field] ?? "").trim();
    if (text === "") {
      if (optional) return null;
      fieldErrors[field] = "Enter a whole number.";
      return null;
    }
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value)) fieldErrors[field] = "Enter a whole number.";
    else if (value < min || value > max) fieldErrors[field] = `Enter a number between ${min} and ${max}.`;
    else return value;
    return null;
  };
  const money = (field: ReferralProgramField, optional = false): number | null => {
    const text = (form[field] ?? "").trim();
    if (text === "") {
      if (!optional) fieldErrors[field] = "Enter an amount.";
      return null;
    }
    try {
      const minor = toMinorUnits(text, currency);
      if (minor >= 0) return minor;
    } catch {
      // reported below
    }
    fieldErrors[field] = "Enter an amount, such as 10.00.";
    return null;
  };
  const kind = form.friendOfferKind as ReferralOfferView["kind"];
  if (!["fixed_amount", "percentage", "free_shipping"].includes(kind)) fieldErrors.friendOfferKind = "Choose an amount off, a percentage off or free shipping.";
  const friendValueMinor = kind === "fixed_amount" ? money("friendValue") : 0;
  if (kind === "fixed_amount" && friendValueMinor === 0) fieldErrors.friendValue = "The friend's amount must be more than 0.";
  const friendPercentOff = kind === "percentage" ? whole("friendPercentOff", 1, 100) : 0;
  const referrerPoints = whole("referrerPoints", 0, 1_000_000) ?? 0;
  const referrerRewardId = whole("referrerRewardId", 1, Number.MAX_SAFE_INTEGER, true);
  if (referrerPoints === 0 && referrerRewardId === null && !fieldErrors.referrerPoints) fieldErrors.referrerPoints = "Give the referrer points or a reward.";
  const program: ReferralProgramSettings = {
    enabled: form.enabled === "true" || form.enabled === "on",
    friendOfferKind: kind,
    friendValueMinor: friendValueMinor ?? 0,
    friendPercentOff: friendPercentOff ?? 0,
    friendMinimumSubtotalMinor: money("friendMinimumSubtotal", true),
    friendCodeLifetimeDays: whole("friendCodeLifetimeDays", 1, 365) ?? 30,
    referrerPoints,
    referrerRewardId,
    cookieDays: whole("cookieDays", 1, 365) ?? 30,
    windowDays: whole("windowDays", 0, 365, true),
    maxPerReferrerMonth: whole("maxPerReferrerMonth", 1, 10_000, true),
    maxPerReferrerTotal: whole("maxPerReferrerTotal", 1, 100_000, true),
    maxClaimsPerIpWeek: whole("maxClaimsPerIpWeek", 1, 10_000, true),
    maxClaimsPerDeviceWeek: whole("maxClaimsPerDeviceWeek", 1, 10_000, true),
    minimumOrderMinor: money("minimumOrder", true) ?? 0,
  };
  if (Object.keys(fieldErrors).length) return refused("invalid_fields", { fieldErrors });
  const row = {
    shop,
    enabled: program.enabled,
    friend_offer_kind: program.friendOfferKind,
    friend_value_minor: program.friendValueMinor,
    friend_percent_off: program.friendPercentOff,
    friend_minimum_subtotal_minor: program.friendMinimumSubtotalMinor,
    friend_code_lifetime_days: program.friendCodeLifetimeDays,
    referrer_points: program.referrerPoints,
    referrer_reward_id: program.referrerRewardId,
    cookie_days: program.cookieDays,
    window_days: program.windowDays,
    max_per_referrer_month: program.maxPerReferrerMonth,
    max_per_referrer_total: program.maxPerReferrerTotal,
    max_claims_per_ip_week: program.maxClaimsPerIpWeek,
    max_claims_per_device_week: program.maxClaimsPerDeviceWeek,
    minimum_order_minor: program.minimumOrderMinor,
    updated_at: now.toISOString(),
  };
  await db.query
    .insertInto("referral_programs")
    .values(row)
    .onConflict((conflict) => conflict.column("shop").doUpdateSet(row))
    .execute();
  return ok({ program });
}

export interface ReferralListItem {
  id: number;
  referrer: { memberId: number; name: string };
  friendEmail: string;
  status: ReferralStatus;
  reasons: { rule: string; reason: string; certain: boolean }[];
  discountCode: string | null;
  orderId: string | null;
  orderTotalMinor: number | null;
  rewardPoints: number | null;
  rewardDueAt: string | null;
  claimedAt: string;
  reviewedBy: string | null;
}

const PAGE_SIZE = 50;

/** The shop's referrals, newest first, with how many are in each status and how many link visits there were. */
export async function listReferrals(db: Db, shop: string, { status, cursor }: { status?: ReferralStatus; cursor?: number } = {}) {
  let query = db.query
    .selectFrom("referrals")
    .innerJoin("members", (join) => join.onRef("members.id", "=", "referrals.referrer_member_id").onRef("members.shop", "=", "referrals.shop"))
    .select([
      "referrals.id",
      "referrals.referrer_member_id",
      "members.first_name",
      "members.last_name",
      "members.email",
      "referrals.friend_email",
      "referrals.status",
      "referrals.reasons",
      "referrals.discount_code",
      "referrals.order_id",
      "referrals.order_total_minor",
      "referrals.reward_points",
      "referrals.reward_due_at",
      "referrals.claimed_at",
      "referrals.reviewed_by",
    ])
    .where("referrals.shop", "=", shop)
    .orderBy("referrals.id", "desc")
    .limit(PAGE_SIZE + 1);
  if (status) query = query.where("referrals.status", "=", status);
  if (cursor) query = query.where("referrals.id", "<", cursor);
  const rows = await query.execute();
  const counted = await db.query
    .selectFrom("referrals")
    .select(["status", db.query.fn.countAll<number>().as("count")])
    .where("shop", "=", shop)
    .groupBy("status")
    .execute();
  const clicks = await db.query.selectFrom("referral_clicks").select(db.query.fn.countAll<number>().as("count")).where("shop", "=", shop).executeTakeFirst();
  const counts = Object.fromEntries(REFERRAL_STATUSES.map((s) => [s, 0])) as Record<ReferralStatus, number>;
  for (const row of counted) counts[row.status as ReferralStatus] = Number(row.count);
  const referrals: ReferralListItem[] = rows.slice(0, PAGE_SIZE).map((row) => ({
    id: row.id,
    referrer: {
      memberId: row.referrer_member_id,
      name: [row.first_name, row.last_name].filter(Boolean).join(" ") || row.email || `Member ${row.referrer_member_id}`,
    },
    friendEmail: row.friend_email,
    status: row.status as ReferralStatus,
    reasons: JSON.parse(row.reasons || "[]") as ReferralListItem["reasons"],
    discountCode: row.discount_code,
    orderId: row.order_id,
    orderTotalMinor: row.order_total_minor === null ? null : Number(row.order_total_minor),
    rewardPoints: row.reward_points,
    rewardDueAt: row.reward_due_at,
    claimedAt: row.claimed_at,
    reviewedBy: row.reviewed_by,
  }));
  return { referrals, nextCursor: rows.length > PAGE_SIZE ? referrals.at(-1)!.id : null, counts, clicks: Number(clicks?.count ?? 0) };
}

export type ReviewReferralResult = Ok<{ status: ReferralStatus }> | Refused<"not_found" | "not_in_review">;

/** Staff approve (the referral goes on as claimed or ordered) or reject (it ends) a referral waiting for review. */
export async function reviewReferral(
  db: Db,
  shop: string,
  referralId: number,
  decision: "approve" | "reject",
  staff: { id: string; name: string },
  now: Date,
): Promise<ReviewReferralResult> {
  const row = await db.query.selectFrom("referrals").select(["status", "order_id"]).where("shop", "=", shop).where("id", "=", referralId).executeTakeFirst();
  if (!row) return refused("not_found");
  if (row.status !== "review") return refused("not_in_review");
  const status: ReferralStatus = decision === "reject" ? "rejected" : row.order_id ? "ordered" : "claimed";
  const at = now.toISOString();
  await db.query
    .updateTable("referrals")
    .set({ status, reviewed_by: staff.name, reviewed_at: at, updated_at: at })
    .where("shop", "=", shop)
    .where("id", "=", referralId)
    .where("status", "=", "review")
    .execute();
  return ok({ status });
}

/** The home page's referral figures: orders the referrals brought, their revenue, what the rewards cost and what waits for staff. */
export async function referralFigures(db: Db, shop: string, _now: Date) {
  const row = await db.query
    .selectFrom("referrals")
    .select((eb) => [
      eb.fn.count<number>("order_id").as("referredOrders"),
      eb.fn.coalesce(eb.fn.sum<number>("order_total_minor"), eb.val(0)).as("referredRevenueMinor"),
      eb.fn
        .coalesce(eb.fn.sum<number>(eb.case().when("status", "=", "rewarded").then(eb.ref("reward_points")).else(0).end()), eb.val(0))
        .as("rewardCostPoints"),
    ])
    .where("shop", "=", shop)
    .where("status", "in", ["ordered", "pending", "rewarded"])
    .executeTakeFirst();
  const review = await db.query
    .selectFrom("referrals")
    .select(db.query.fn.countAll<number>().as("count"))
    .where("shop", "=", shop)
    .where("status", "=", "review")
    .executeTakeFirst();
  return {
    referredOrders: Number(row?.referredOrders ?? 0),
    referredRevenueMinor: Number(row?.referredRevenueMinor ?? 0),
    rewardCostPoints: Number(row?.rewardCostPoints ?? 0),
    pendingReview: Number(review?.count ?? 0),
  };
}
