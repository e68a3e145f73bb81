// Every decision the profile block makes, apart from drawing it. Each function takes the `shopify`
// API object as an argument, so tests run them against a stand-in.

import { backendRequest, CODE_KINDS, newIdempotencyKey, nextReward } from "../../shared/backend.js";

export { nextReward };

/** A signed-in customer waits for the backend; without one (an editor preview) there is nothing to show. */
export function firstView(api) {
  return api.authenticatedAccount?.customer?.value ? { status: "loading" } : { status: "guest" };
}

/** Rewards the customer can afford now that turn into a code. */
export function redeemableRewards(rewards) {
  return rewards.filter((reward) => reward.affordable && CODE_KINDS.has(reward.kind));
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
    codes: codes.status === 200 && codes.body ? codes.body.codes : [],
    entries,
  };
}

/**
 * Turns points into a code the customer copies and enters at checkout.
 * @returns {Promise<{ outcome: "issued", code: object, points: number } | { outcome: "refused", points?: number }>}
 */
export async function redeemForCode(api, appUrl, reward, idempotencyKey = newIdempotencyKey("account")) {
  const { status, body } = await backendRequest(api, appUrl, "/api/customer-account/redemptions", {
    method: "POST",
    body: { rewardId: reward.id, idempotencyKey },
  });
  if ((status !== 200 && status !== 201) || !body?.redemption?.code) return { outcome: "refused", points: body?.balance };
  return { outcome: "issued", code: { ...body.redemption, rewardName: reward.name }, points: body.balance };
}

/** Cancels an unused code; its points come back. */
export async function cancelCode(api, appUrl, code) {
  const { status, body } = await backendRequest(api, appUrl, `/api/customer-account/redemptions/${code.id}/return`, { method: "POST" });
  if (status === 200 && body?.ok) return { outcome: "cancelled", points: body.balance };
  return { outcome: "not_cancelled" };
}

/** The view once the balance changed: rewards re-flagged affordable. */
export function withPoints(view, points) {
  return { ...view, points, rewards: (view.rewards ?? []).map((r) => ({ ...r, affordable: points >= r.pointsCost })) };
}
