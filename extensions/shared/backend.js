// What the checkout and customer account extensions share: how they talk to the app's backend
// (the reward rules are in rewards.js). Each extension bundles its own copy through esbuild; this
// folder has no shopify.extension.toml, so it is not an extension itself.

/** A fresh idempotency key for one redemption, named after the surface that makes it. */
export function newIdempotencyKey(surface) {
  if (globalThis.crypto?.randomUUID) return `${surface}-${globalThis.crypto.randomUUID()}`;
  return `${surface}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * A JSON request to the app's backend with the shopper's session token. Never throws: a network
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

/**
 * The idempotency keys of redemptions still being confirmed (the backend answered
 * `redemption_pending`), by reward id: the next tap on that reward asks after the same
 * redemption instead of making another; any other outcome settles it.
 */
export function pendingRedemptions() {
  const keys = {};
  return {
    keyFor: (rewardId) => keys[rewardId],
    settle(rewardId, result) {
      if (result.outcome === "pending") keys[rewardId] = result.idempotencyKey;
      else delete keys[rewardId];
    },
  };
}
