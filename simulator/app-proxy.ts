import { createHmac } from "node:crypto";

export interface AppProxyRequest {
  /** The app's proxy URL from shopify.app.toml ([app_proxy] url), with the app's real origin. */
  proxyUrl: string;
  apiSecret: string;
  shop: string;
  /** Storefront path after the proxy prefix: "/customer" for /apps/loyalty/customer. */
  path?: string;
  /** The storefront request's own query parameters, forwarded as they are. */
  query?: [string, string][];
  /** Numeric customer id of a logged-in customer; null for a guest (sent as an empty value). */
  loggedInCustomerId?: number | string | null;
  /** "/apps/loyalty" */
  pathPrefix?: string;
  timestamp?: number;
}

/** Shopify's app proxy signature: hex HMAC-SHA256 over the sorted `key=value` pairs, repeated keys joined by commas. */
export function appProxySignature(apiSecret: string, params: URLSearchParams): string {
  const keys = [...new Set(params.keys())].filter((key) => key !== "signature");
  const message = keys
    .map((key) => `${key}=${params.getAll(key).join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", apiSecret).update(message).digest("hex");
}

/**
 * The URL Shopify requests on the app when a storefront visitor opens `/apps/loyalty/<path>`:
 * the proxy URL plus the path, the visitor's query, and shop, logged_in_customer_id,
 * path_prefix, timestamp and signature.
 */
export function signedAppProxyUrl(request: AppProxyRequest): URL {
  const url = new URL(request.proxyUrl.replace(/\/$/, "") + (request.path ?? ""));
  const params = new URLSearchParams(request.query ?? []);
  params.set("shop", request.shop);
  params.set("logged_in_customer_id", request.loggedInCustomerId == null ? "" : String(request.loggedInCustomerId));
  params.set("path_prefix", request.pathPrefix ?? "/apps/loyalty");
  params.set("timestamp", String(request.timestamp ?? Math.floor(Date.now() / 1000)));
  params.set("signature", appProxySignature(request.apiSecret, params));
  url.search = params.toString();
  return url;
}

/** The app's proxy URL with its origin replaced by where the app really runs (the toml names a tunnel or localhost:3000). */
export function proxyUrlFor(appUrl: string, tomlProxyUrl: string): string {
  return `${appUrl.replace(/\/$/, "")}${new URL(tomlProxyUrl).pathname}`;
}
