// Every decision the checkout and thank-you blocks make, apart from drawing them. Each function
// takes the `shopify` API object (or the values read from it) as an argument, so tests run them
// against a stand-in.

import { backendRequest, newIdempotencyKey } from "../../shared/backend.js";
import { issuedRedemption, nextReward as nextOffered, redeemable, redemptionBody } from "../../shared/rewards.js";
import { localizedContent } from "../../shared/ways-to-earn.js";

/**
 * The balance the app last wrote to the customer's `$app:loyalty.points` metafield, or null.
 * @param {Array<{target: {type: string}, metafield: {namespace: string, key: string, value: string}}> | undefined} entries
 */
export function pointsFromMetafields(entries) {
  const entry = (entries ?? []).find(
    ({ target, metafield }) => target.type === "customer" && metafield.key === "points" && /^(\$app:|app--\d+--)loyalty$/.test(metafield.namespace),
  );
  if (!entry) return null;
  const points = Number(entry.metafield.value);
  return Number.isSafeInteger(points) ? points : null;
}

/**
 * What to show before any network call. A buyer the checkout knows is not signed in is a guest;
 * when the app cannot see the buyer's identity at all, the backend decides.
 * @param {{ buyerIdentity?: { customer: { value: unknown } } }} api
 */
export function firstView(api) {
  if (api.buyerIdentity && !api.buyerIdentity.customer.value) return { status: "guest" };
  return { status: "loading", points: pointsFromMetafields(api.appMetafields?.value) };
}

/** Rewards the shopper can afford now that become a code for this checkout (store credit does not). */
export function tappableRewards(rewards) {
  return redeemable(rewards);
}

/** The cheapest code reward still out of reach. */
export function nextReward(rewards) {
  return nextOffered(rewards);
}

/** The view after GET /api/checkout/rewards. */
export async function loadRewards(api, appUrl) {
  const { status, body } = await backendRequest(api, appUrl, "/api/checkout/rewards");
  if (status === 401 && body?.error === "not_logged_in") return { status: "guest" };
  if (status !== 200 || !body) return { status: "unavailable" };
  return {
    status: "ready",
    points: body.points,
    rewards: body.rewards,
    currency: body.currency,
    currencyDecimals: body.currencyDecimals,
    tier: body.tier ?? null,
    nextTier: body.nextTier ?? null,
    pointsExpiring: body.pointsExpiring ?? null,
  };
}

/**
 * One tap: redeem the reward (for a variable one, `amount` { minor, decimals } the shopper picked),
 * then apply its code to this checkout. A checkout that cannot take
 * codes (express wallets, some configurations) spends nothing; a code the checkout refuses is
 * handed back so its points return.
 *
 * @returns {Promise<
 *   | { outcome: "applied", code: string, points: number }
 *   | { outcome: "cannot_apply" }
 *   | { outcome: "refused", points?: number }
 *   | { outcome: "pending", points?: number, idempotencyKey: string }
 *   | { outcome: "returned", points: number }
 *   | { outcome: "not_returned", code: string }
 * >}
 */
export async function redeemAndApply(api, appUrl, reward, { amount, idempotencyKey = newIdempotencyKey("checkout") } = {}) {
  if (!api.instructions.value.discounts.canUpdateDiscountCodes) return { outcome: "cannot_apply" };
  const redeemed = await backendRequest(api, appUrl, "/api/checkout/redemptions", {
    method: "POST",
    body: redemptionBody(reward, idempotencyKey, amount),
  });
  // Shopify's answer was lost: the same key, next time, gets the code once the app knows.
  if (redeemed.body?.error === "redemption_pending") return { outcome: "pending", points: redeemed.body.balance, idempotencyKey };
  const redemption = issuedRedemption(redeemed.body);
  if ((redeemed.status !== 200 && redeemed.status !== 201) || !redemption?.code) {
    return { outcome: "refused", points: redeemed.body?.balance };
  }
  const { balance } = redeemed.body;
  let applied;
  try {
    applied = await api.applyDiscountCodeChange({ type: "addDiscountCode", code: redemption.code });
  } catch (error) {
    applied = { type: "error", message: String(error) };
  }
  if (applied.type === "success") return { outcome: "applied", code: redemption.code, points: balance };
  const returned = await backendRequest(api, appUrl, `/api/checkout/redemptions/${redemption.id}/return`, { method: "POST" });
  if (returned.status === 200 && returned.body?.ok) return { outcome: "returned", points: returned.body.balance };
  return { outcome: "not_returned", code: redemption.code };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the order earned, asking again while the app has not yet applied the order's webhook. An
 * earned order also has its awards (base points, bonuses, campaigns), the points refunds took back
 * and, while its points wait, when they become available.
 * @returns {Promise<
 *   | { status: "earned" | "pending" | "cancelled", earnedPoints: number | null, points: number, awards?: object[], reversedPoints?: number, pendingUntil?: string | null }
 *   | { status: "guest" | "unavailable" }
 * >}
 */
export async function loadOrderPoints(api, appUrl, orderId, retryDelaysMs = [2000, 4000, 8000]) {
  for (let attempt = 0; ; attempt++) {
    const { status, body } = await backendRequest(api, appUrl, `/api/checkout/order-points?orderId=${encodeURIComponent(orderId)}`);
    if (status === 401 && body?.error === "not_logged_in") return { status: "guest" };
    if (status !== 200 || !body) return { status: "unavailable" };
    if (body.state !== "pending" || attempt >= retryDelaysMs.length) {
      return {
        status: body.state,
        earnedPoints: body.earnedPoints,
        points: body.points,
        awards: body.awards,
        reversedPoints: body.reversedPoints,
        pendingUntil: body.pendingUntil,
        tierProgress: body.tierProgress,
      };
    }
    await sleep(retryDelaysMs[attempt]);
  }
}

/**
 * The parts of an order's points worth naming: one per award when a bonus or campaign added to the
 * base, none when the order earned its base points alone or a refund changed the total (the parts
 * would no longer add up). Each part is { key, points, name? } for the block to translate.
 */
export function orderPointParts(view, locale) {
  const awards = (view.awards ?? []).filter((award) => award.points > 0);
  if (awards.length < 2 || (view.reversedPoints ?? 0) > 0) return [];
  return awards.map((award) => {
    if (award.kind === "campaign_bonus") {
      return { key: "campaign", points: award.points, name: localizedContent(award.content, locale).title ?? award.name ?? "" };
    }
    if (award.kind === "tier_bonus") return { key: "tier", points: award.points };
    if (award.kind === "order_bonus") {
      const title = localizedContent(award.content, locale).title;
      if (title) return { key: "named", points: award.points, name: title };
      return { key: award.ruleKind === "first_order" ? "firstOrder" : "stampCard", points: award.points };
    }
    return { key: "order", points: award.points };
  });
}

/** The member's referral link for the thank-you page: the `referral` of GET /api/checkout/rewards, or null. */
export async function loadReferral(api, appUrl) {
  const { status, body } = await backendRequest(api, appUrl, "/api/checkout/rewards");
  return status === 200 && body?.referral ? body.referral : null;
}
