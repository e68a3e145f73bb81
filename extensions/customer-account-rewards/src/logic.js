// Every decision the profile block makes, apart from drawing it. Each function takes the `shopify`
// API object as an argument, so tests run them against a stand-in.

import { backendRequest, newIdempotencyKey } from "../../shared/backend.js";
import { issuedRedemption, nextReward as nextOffered, redeemable, redemptionBody, withBalance } from "../../shared/rewards.js";
import { localizedContent } from "../../shared/ways-to-earn.js";

// The account offers store credit too: it is added to the customer's account, not given as a code.
const OFFERS = { storeCredit: true };

/** A signed-in customer waits for the backend; without one (an editor preview) there is nothing to show. */
export function firstView(api) {
  return api.authenticatedAccount?.customer?.value ? { status: "loading" } : { status: "guest" };
}

/** Rewards the customer can afford now: codes, and store credit. */
export function redeemableRewards(rewards) {
  return redeemable(rewards, OFFERS);
}

/** The cheapest reward still out of reach. */
export function nextReward(rewards) {
  return nextOffered(rewards, OFFERS);
}

/** The customer's recent activity, or null when it cannot be loaded. */
export async function loadActivity(api, appUrl) {
  const { status, body } = await backendRequest(api, appUrl, "/api/customer-account/activity");
  return status === 200 && body ? body.entries : null;
}

/** Points, rewards, unused codes and activity, asked for together. */
export async function loadAccount(api, appUrl) {
  const [rewards, codes, entries] = await Promise.all([
    backendRequest(api, appUrl, "/api/customer-account/rewards"),
    backendRequest(api, appUrl, "/api/customer-account/redemptions"),
    loadActivity(api, appUrl),
  ]);
  if (rewards.status === 401 && rewards.body?.error === "not_logged_in") return { status: "guest" };
  if (rewards.status !== 200 || !rewards.body) return { status: "unavailable" };
  return {
    status: "ready",
    points: rewards.body.points,
    rewards: rewards.body.rewards,
    currency: rewards.body.currency,
    currencyDecimals: rewards.body.currencyDecimals,
    codes: codes.status === 200 && codes.body ? codes.body.codes : [],
    entries,
    waysToEarn: rewards.body.waysToEarn ?? [],
    pendingPoints: rewards.body.pendingPoints ?? [],
    pointsExpiring: rewards.body.pointsExpiring ?? null,
    campaigns: rewards.body.campaigns ?? [],
    tier: rewards.body.tier ?? null,
    nextTier: rewards.body.nextTier ?? null,
    // The member's referral link (null: the shop runs no referrals).
    referral: rewards.body.referral ?? null,
  };
}

/**
 * A way to earn as the block lists it: the merchant's title for the locale or null (the block
 * then names the kind), and what it is worth: a rate, fixed points, a stamp card's progress.
 */
export function wayToEarnLine(way, locale) {
  const { title, description } = localizedContent(way.content, locale);
  return {
    id: way.id,
    kind: way.kind,
    title: title ?? null,
    description: description ?? null,
    rate: typeof way.pointsPerCurrencyUnit === "number" ? way.pointsPerCurrencyUnit : null,
    points: way.points,
    photoBonusPoints: way.photoBonusPoints ?? 0,
    progress: way.progress ?? null,
    url: way.kind === "social" && typeof way.url === "string" && /^https:\/\//.test(way.url) ? way.url : null,
    network: way.network ?? null,
    done: Boolean(way.done),
    claimable: way.kind === "social" && Boolean(way.claimable),
  };
}

/** A running campaign's title for the locale (its name otherwise). */
export function campaignTitle(campaign, locale) {
  return localizedContent(campaign.content, locale).title ?? campaign.name;
}

/**
 * Turns points into a code the customer copies and enters at checkout, or for store credit into
 * credit on their account. `amount` { minor, decimals } is what they picked for a variable reward.
 * @returns {Promise<
 *   | { outcome: "issued", code: object, points: number }
 *   | { outcome: "credited", amountMinor: number, points: number }
 *   | { outcome: "refused", points?: number }
 *   | { outcome: "pending", points?: number, idempotencyKey: string }
 * >}
 */
export async function redeemForCode(api, appUrl, reward, { amount, idempotencyKey = newIdempotencyKey("account") } = {}) {
  const { status, body } = await backendRequest(api, appUrl, "/api/customer-account/redemptions", {
    method: "POST",
    body: redemptionBody(reward, idempotencyKey, amount),
  });
  if (body?.error === "redemption_pending") return { outcome: "pending", points: body.balance, idempotencyKey };
  const redemption = issuedRedemption(body);
  if ((status !== 200 && status !== 201) || !redemption) return { outcome: "refused", points: body?.balance };
  if (reward.kind === "store_credit") return { outcome: "credited", amountMinor: redemption.valueMinor, points: body.balance };
  if (!redemption.code) return { outcome: "refused", points: body.balance };
  return { outcome: "issued", code: { ...redemption, rewardName: reward.name }, points: body.balance };
}

/** Cancels an unused code; its points come back. */
export async function cancelCode(api, appUrl, code) {
  const { status, body } = await backendRequest(api, appUrl, `/api/customer-account/redemptions/${code.id}/return`, { method: "POST" });
  if (status === 200 && body?.ok) return { outcome: "cancelled", points: body.balance };
  return { outcome: "not_cancelled" };
}

/** A social follow claimed from the account page: its points follow after a short delay (202), or it was already done (200). */
export async function claimFollow(api, appUrl, way) {
  const { status, body } = await backendRequest(api, appUrl, `/api/customer-account/ways-to-earn/${way.id}/claim`, { method: "POST" });
  if ((status === 202 || status === 200) && body?.ok) return { outcome: "claimed" };
  return { outcome: "not_claimed" };
}

/** The view once the balance changed: rewards re-flagged affordable. */
export function withPoints(view, points) {
  return { ...view, points, rewards: withBalance(view.rewards ?? [], points) };
}
