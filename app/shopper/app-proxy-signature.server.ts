import { createHmac, timingSafeEqual } from "node:crypto";

/** How old an app proxy signature may be (Shopify's libraries allow the same 90 seconds). */
export const APP_PROXY_MAX_AGE_SECONDS = 90;

/**
 * The app proxy signature: hex HMAC-SHA256 over every query parameter but `signature`, each as
 * `key=value` (repeated keys joined by commas), sorted, concatenated without separators.
 */
export function appProxySignature(secret: string, params: URLSearchParams): string {
  const keys = [...new Set([...params.keys()])].filter((key) => key !== "signature");
  const message = keys
    .map((key) => `${key}=${params.getAll(key).join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export type AppProxyAuth = { ok: true; shop: string; customerId: string | null } | { ok: false; status: 400 | 401; error: string };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** Verifies a request Shopify forwarded through the app proxy. logged_in_customer_id is trusted only after this. */
export function verifyAppProxyRequest(url: URL, secrets: readonly string[], now: Date = new Date()): AppProxyAuth {
  const params = url.searchParams;
  const signature = params.get("signature");
  if (!signature) return { ok: false, status: 401, error: "request is not signed" };
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, "hex") : null;
  const valid = given !== null && secrets.some((secret) => timingSafeEqual(Buffer.from(appProxySignature(secret, params), "hex"), given));
  if (!valid) return { ok: false, status: 401, error: "signature does not match" };
  const timestamp = Number(params.get("timestamp"));
  if (!Number.isFinite(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > APP_PROXY_MAX_AGE_SECONDS) {
    return { ok: false, status: 401, error: "signature has expired" };
  }
  const shop = params.get("shop") ?? "";
  if (!SHOP_DOMAIN.test(shop)) return { ok: false, status: 400, error: "missing or invalid shop" };
  const customerId = params.get("logged_in_customer_id")?.trim() || null;
  if (customerId !== null && !/^\d+$/.test(customerId)) return { ok: false, status: 400, error: "invalid logged_in_customer_id" };
  return { ok: true, shop, customerId };
}
