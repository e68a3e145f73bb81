import { prepare } from "../db/prepared";
import type { Database } from "../db/types";
import { parseBirthday } from "../domain/birthday";
import { currencyDecimals, toMinorUnits } from "../domain/money";
import { maxAffordableMinor, pointsNeeded, type RewardDefinition } from "../domain/rewards";
import { listRecentActivityForCustomer, listRecentActivityOfMember } from "../models/ledger.server";
import { setMemberBirthday } from "../models/members.server";
import { orderPointsForCustomer } from "../models/orders.server";
import { listUnusedCodesForCustomer, redeemReward, returnUnusedRedemption, type RedemptionDeps } from "../models/redemptions.server";
import { readShopperView, type RewardCatalogue } from "../models/shopper-view.server";
import { pointsExpiringFor } from "../models/expiry.server";
import type { EarningCache } from "../models/earning-rules.server";
import { shopperCampaigns, shopperWaysToEarn } from "../domain/shopper-ways-to-earn";
import { claimSocialFollow } from "../models/social-claims.server";
import { orderTierProgress, tierProgramAt } from "../models/tiers.server";
import { firstTierProgress, shopperTier, tierAllowsReward } from "../domain/tier-view";
import { claimReferral, referralHash, shopperReferralFor } from "../models/referrals.server";
import { json, refusalAnswer } from "./refusals";
import type { Shopper, ShopperIdentity } from "./surfaces.server";

// What every shopper-facing endpoint answers once its surface has established who is asking.

export interface ShopperDeps {
  db: Database;
  /** The app's API secrets: the first keys the HMACs of a referral claim's IP address and device. */
  secrets?: readonly string[];
  adminFor: RedemptionDeps["adminFor"];
  /** Each shop's enabled rewards, kept in memory by catalogue version (one per runtime). */
  rewardCatalogue: RewardCatalogue;
  /** Each shop's ways to earn and campaigns, kept in memory by program version (one per runtime). */
  earning: EarningCache;
  /** The clock (tests move it). */
  now?: () => Date;
  /** How long after a social follow is claimed its points land (15 s unless configured). */
  socialClaimDelayMs?: number;
}

/** A shopper request's body, as the endpoints that take one read it. */
export interface ShopperInput {
  /** The JSON or form body as an object; null when it is neither. */
  input(): Promise<Record<string, unknown> | null>;
}

/**
 * The enabled rewards as a shopper sees them, in catalogue order, each flagged affordable or not. `pointsNeeded` is
 * what the cheapest redemption costs (a variable reward's minimum amount); for a variable reward
 * `maxAffordableMinor` is the largest amount this balance buys, in whole steps of `valueMinor`.
 */
export function rewardOffers(rewards: readonly RewardDefinition[], balance: number) {
  return rewards.map((reward) => {
    const needed = pointsNeeded(reward);
    const variable = reward.kind === "variable";
    return {
      id: reward.id,
      name: reward.name,
      kind: reward.kind,
      pointsCost: reward.pointsCost,
      valueMinor: reward.valueMinor,
      percentOff: reward.percentOff || undefined,
      minAmountMinor: variable ? (reward.minAmountMinor ?? reward.valueMinor) : undefined,
      maxAmountMinor: variable ? (reward.maxAmountMinor ?? undefined) : undefined,
      maxAffordableMinor: variable ? maxAffordableMinor(reward, balance) : undefined,
      pointsNeeded: needed,
      affordable: balance >= needed,
    };
  });
}

/**
 * The shopper's points and the catalogue, each reward flagged affordable or not, with the shop's
 * currency and its decimals (so a surface can turn a shopper's amount into minor units and back).
 * The storefront panel also gets recent activity and the birthday. One indexed read of the shop
 * and the member (which also says whether the shop is installed), the catalogue from memory
 * while its version stands, and for the storefront one range of the member's ledger.
 */
export async function pointsAndRewards(deps: ShopperDeps, identity: ShopperIdentity, { storefront = false, locale = "en" } = {}) {
  const view = await readShopperView(deps.db, identity.shop, identity.customerId);
  if (!view) return refusalAnswer({ reason: "not_installed" });
  const points = view.member?.balance ?? 0;
  const now = deps.now?.() ?? new Date();
  const at = now.toISOString();
  const earning = await deps.earning(deps.db, identity.shop, view.programVersion, now);
  const member = view.member?.earning ?? null;
  const tiers = await tierProgramAt(deps.db, identity.shop, view.programVersion);
  const tierFacts = view.member?.tier ?? null;
  const tier = shopperTier(tiers, tierFacts, locale, at, view.timeZone);
  // Rewards limited to some tiers are neither shown nor redeemable for other members.
  const rewards = (await deps.rewardCatalogue(deps.db, identity.shop, view.catalogueVersion)).filter((reward) =>
    tierAllowsReward(reward.tierIds ?? null, tier?.id ?? null),
  );
  const body = {
    customerId: identity.customerId,
    points,
    currency: view.currencyCode,
    currencyDecimals: currencyDecimals(view.currencyCode),
    rewards: rewardOffers(rewards, points),
    tier,
    // Below the first tier: what reaching it takes (null when the shop runs no tiers or the member holds one).
    nextTier: firstTierProgress(tiers, tierFacts, locale, at, view.timeZone),
    waysToEarn: shopperWaysToEarn(earning.rules, member, at, view.timeZone),
    pendingPoints: member?.pending ?? [],
    campaigns: shopperCampaigns(earning.campaigns, member, at),
    // Points expiry, shown plainly when the shop runs it: the rule, and what expires next and when.
    expiryPolicy: view.expiryPolicy.kind === "off" ? null : view.expiryPolicy,
    pointsExpiring: view.member ? await pointsExpiringFor(deps.db, identity.shop, view.expiryPolicy, view.member, now) : null,
    // Referrals, while the shop runs them: the member's link (its code made on first read) and their friends.
    referral: view.referrals ? await shopperReferralFor(deps.db, identity.shop, identity.customerId, view.member, view.referrals, now) : null,
  };
  if (!storefront) return json(200, body);
  const activity = view.member ? await listRecentActivityOfMember(deps.db, identity.shop, view.member.id, 5) : [];
  return json(200, { ...body, activity, birthday: view.member?.birthday ?? null });
}

/** A Fetch request's JSON or form body as an object, or null when it is neither. */
export async function readInput(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const type = request.headers.get("content-type") ?? "";
    const input = type.includes("application/json")
      ? ((await request.json()) as Record<string, unknown>)
      : Object.fromEntries((await request.formData()).entries());
    return input && typeof input === "object" && !Array.isArray(input) ? input : null;
  } catch {
    return null;
  }
}

const unreadable = () => refusalAnswer({ reason: "bad_request", message: "send JSON or a form" });

/**
 * { rewardId, idempotencyKey, amount? } (JSON or form) into a single-use code: 201 when new, 200
 * for a repeat of the same key, the refusal's status otherwise.
 */
export async function redeem(request: ShopperInput, deps: ShopperDeps, shopper: Shopper) {
  const input = await request.input();
  if (!input) return unreadable();
  const rewardId = Number(input.rewardId);
  if (!Number.isSafeInteger(rewardId) || rewardId <= 0) return refusalAnswer({ reason: "bad_request", message: "rewardId is required" });
  let amountMinor: number | null = null;
  if (input.amount !== undefined && input.amount !== null && input.amount !== "") {
    try {
      amountMinor = toMinorUnits(String(input.amount), shopper.currencyCode);
    } catch (error) {
      return refusalAnswer({ reason: "invalid_amount", message: `Enter the amount as a number, such as 12.50: ${(error as Error).message}.` });
    }
  }
  const result = await redeemReward(deps, {
    shop: shopper.shop,
    customerId: shopper.customerId,
    rewardId,
    amountMinor,
    requestKey: String(input.idempotencyKey ?? ""),
  });
  if (!result.ok) {
    if (result.reason === "insufficient_points" && result.pointsNeeded !== null) {
      return refusalAnswer({ ...result, message: `This reward needs ${result.pointsNeeded} points; you have ${result.balance}.` });
    }
    return refusalAnswer(result);
  }
  return json(result.repeated ? 200 : 201, result);
}

/** The shopper gives back an unused code (or could not use it) and gets the points back. */
export async function returnCode(redemptionId: number, deps: ShopperDeps, shopper: Shopper) {
  if (!Number.isSafeInteger(redemptionId) || redemptionId <= 0) return refusalAnswer({ reason: "redemption_not_found" });
  const result = await returnUnusedRedemption(deps, { shop: shopper.shop, customerId: shopper.customerId, redemptionId, outcome: "cancelled" });
  if (!result.ok && result.reason === "not_returnable") {
    return refusalAnswer({ ...result, message: `This code cannot be returned (${result.status.replace("_", " ")}).` });
  }
  return result.ok ? json(200, result) : refusalAnswer(result);
}

/** { month, day } (JSON or form): the shopper's birthday, saved once. */
export async function saveBirthday(request: ShopperInput, deps: ShopperDeps, shopper: Shopper) {
  const input = await request.input();
  if (!input) return unreadable();
  const parsed = parseBirthday(input.month, input.day);
  if (!parsed.ok) return refusalAnswer(parsed);
  const result = await setMemberBirthday(deps.db, shopper.shop, shopper.customerId, parsed.birthday, new Date().toISOString());
  return result.ok ? json(200, result) : refusalAnswer(result);
}

/**
 * The shopper followed the shop on a social network (the panel opened the page): 202 with when
 * the points land, 200 when they already have them, the refusal's status otherwise.
 */
export async function claimWayToEarn(id: string, deps: ShopperDeps, shopper: Shopper) {
  const ruleId = /^[1-9]\d{0,15}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(ruleId)) return refusalAnswer({ reason: "way_to_earn_not_found" });
  const view = await readShopperView(deps.db, shopper.shop, shopper.customerId);
  if (!view) return refusalAnswer({ reason: "not_installed" });
  const now = deps.now?.() ?? new Date();
  const earning = await deps.earning(deps.db, shopper.shop, view.programVersion, now);
  const result = await claimSocialFollow(
    deps.db,
    { shop: shopper.shop, customerId: shopper.customerId, ruleId, earning, member: view.member?.earning ?? null, timeZone: view.timeZone },
    { now, delayMs: deps.socialClaimDelayMs },
  );
  if (!result.ok) return refusalAnswer(result);
  return json(result.status === "pending" ? 202 : 200, result);
}

const memberBalance = prepare((q, p: { shop: string; customerId: string }) =>
  q.selectFrom("members").select("balance").where("shop", "=", p.shop).where("customer_id", "=", p.customerId),
);

const ORDER_ID = /^(?:gid:\/\/shopify\/(?:Order|OrderIdentity)\/)?(\d+)$/;

/** A storefront visitor of an installed shop: a signed-in customer or a guest (customerId null). */
export interface Visitor {
  shop: string;
  customerId: string | null;
  currencyCode: string;
}

/**
 * { code, email, device? } (JSON or form): the friend's single-use code for a referral link's
 * offer, 201 (200 for a repeat of the same email), or the refusal's status.
 */
export async function claimReferralOffer(request: ShopperInput & { header(name: string): string | undefined }, deps: ShopperDeps, visitor: Visitor) {
  const input = await request.input();
  if (!input) return unreadable();
  const secret = deps.secrets?.[0] ?? "";
  // Shopify's app proxy passes the shopper's address first in X-Forwarded-For.
  const ip = request.header("x-forwarded-for")?.split(",")[0];
  const result = await claimReferral(
    deps,
    {
      shop: visitor.shop,
      code: input.code,
      email: input.email,
      ipHash: referralHash(secret, ip),
      deviceHash: typeof input.device === "string" ? referralHash(secret, input.device.slice(0, 200)) : null,
      customerId: visitor.customerId,
    },
    deps.now?.() ?? new Date(),
  );
  if (!result.ok) return refusalAnswer(result);
  const { ok: _ok, repeated, ...body } = result;
  return json(repeated ? 200 : 201, body);
}

/** What this order earned and the balance now (thank-you page). */
export async function orderPoints(url: URL, deps: ShopperDeps, shopper: Shopper) {
  const orderId = ORDER_ID.exec(url.searchParams.get("orderId") ?? "")?.[1];
  if (!orderId) return refusalAnswer({ reason: "bad_request", message: "orderId must be an order id or gid" });
  const order = await orderPointsForCustomer(deps.db, shopper.shop, shopper.customerId, orderId);
  const member = await memberBalance.first(deps.db, { shop: shopper.shop, customerId: shopper.customerId });
  // The VIP tier after this order and how far the order itself moved it (null: no tiers).
  const tierProgress = await orderTierProgress(deps.db, shopper.shop, shopper.customerId, orderId, (deps.now?.() ?? new Date()).toISOString());
  return json(200, { orderId, ...order, points: member?.balance ?? 0, tierProgress });
}

/** The customer's issued codes not yet used, to copy or cancel. */
export async function unusedCodes(deps: ShopperDeps, shopper: Shopper) {
  return json(200, { codes: await listUnusedCodesForCustomer(deps.db, shopper.shop, shopper.customerId) });
}

/** The customer's last ten ledger entries, newest first. */
export async function activity(deps: ShopperDeps, shopper: Shopper) {
  return json(200, { entries: await listRecentActivityForCustomer(deps.db, shopper.shop, shopper.customerId, 10) });
}
