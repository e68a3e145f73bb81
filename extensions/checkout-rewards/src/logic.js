// Every decision the checkout and thank-you blocks make, apart from drawing them. Each function
// takes the `shopify` API object (or the values read from it) as an argument, so tests run them
// against a stand-in.

/** Reward kinds that become a discount code the checkout can apply with one tap. */
const ONE_TAP_KINDS = new Set(["fixed_amount", "percentage", "free_shipping", "free_product"]);

/**
 * The balance the app last wrote to the customer's `$app:loyalty.points` metafield, or null.
 * @param {Array<{target: {type: string}, metafield: {namespace: string, key: string, value: string}}> | undefined} entries
 */
export function pointsFromMetafields(entries) {
  const entry = (entries ?? []).find(
    ({ target, metafield }) =>
      target.type === "customer" && metafield.key === "points" && /^(\$app:|app--\d+--)loyalty$/.test(metafield.namespace),
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

/** Rewards the shopper can afford now and that a tap can turn into a code for this checkout. */
export function tappableRewards(rewards) {
  return rewards.filter((reward) => reward.affordable && ONE_TAP_KINDS.has(reward.kind));
}

/** The cheapest one-tap reward still out of reach, to say how far away it is. */
export function nextReward(rewards) {
  return rewards.filter((reward) => !reward.affordable && ONE_TAP_KINDS.has(reward.kind)).sort((a, b) => a.pointsCost - b.pointsCost)[0] ?? null;
}

export function newIdempotencyKey() {
  if (globalThis.crypto?.randomUUID) return `checkout-${globalThis.crypto.randomUUID()}`;
  return `checkout-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * A JSON request to the app's backend with the buyer's session token. Never throws: a network
 * failure is { status: 0 }.
 */
export async function backendRequest(api, appUrl, path, { method = "GET", body } = {}) {
  try {
    const token = await api.sessionToken.get();
    const response = await fetch(`${appUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = null;
    try {
      json = await response.json();
    } catch {
      // an empty or non-JSON body: the status says enough
    }
    return { status: response.status, body: json };
  } catch {
    return { status: 0, body: null };
  }
}

/** The view after GET /api/checkout/rewards. */
export async function loadRewards(api, appUrl) {
  const { status, body } = await backendRequest(api, appUrl, "/api/checkout/rewards");
  if (status === 401 && body?.error === "not_logged_in") return { status: "guest" };
  if (status !== 200 || !body) return { status: "unavailable" };
  return { status: "ready", points: body.points, rewards: body.rewards };
}

/**
 * One tap: redeem the reward, then apply its code to this checkout. A checkout that cannot take
 * codes (express wallets, some configurations) spends nothing; a code the checkout refuses is
 * handed back so its points return.
 *
 * @returns {Promise<
 *   | { outcome: "applied", code: string, points: number }
 *   | { outcome: "cannot_apply" }
 *   | { outcome: "refused", points?: number }
 *   | { outcome: "returned", points: number }
 *   | { outcome: "not_returned", code: string }
 * >}
 */
export async function redeemAndApply(api, appUrl, reward, idempotencyKey = newIdempotencyKey()) {
  if (!api.instructions.value.discounts.canUpdateDiscountCodes) return { outcome: "cannot_apply" };
  const redeemed = await backendRequest(api, appUrl, "/api/checkout/redemptions", {
    method: "POST",
    body: { rewardId: reward.id, idempotencyKey },
  });
  if ((redeemed.status !== 200 && redeemed.status !== 201) || !redeemed.body?.redemption?.code) {
    return { outcome: "refused", points: redeemed.body?.balance };
  }
  const { redemption, balance } = redeemed.body;
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
 * What the order earned, asking again while the app has not yet applied the order's webhook.
 * @returns {Promise<{ status: "earned" | "pending" | "cancelled", earnedPoints: number | null, points: number } | { status: "guest" | "unavailable" }>}
 */
export async function loadOrderPoints(api, appUrl, orderId, retryDelaysMs = [2000, 4000, 8000]) {
  for (let attempt = 0; ; attempt++) {
    const { status, body } = await backendRequest(api, appUrl, `/api/checkout/order-points?orderId=${encodeURIComponent(orderId)}`);
    if (status === 401 && body?.error === "not_logged_in") return { status: "guest" };
    if (status !== 200 || !body) return { status: "unavailable" };
    if (body.state !== "pending" || attempt >= retryDelaysMs.length) {
      return { status: body.state, earnedPoints: body.earnedPoints, points: body.points };
    }
    await sleep(retryDelaysMs[attempt]);
  }
}
