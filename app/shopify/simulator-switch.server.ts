import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * The development switch that points the app at the local Shopify simulator (simulator/) instead
 * of Shopify. It is on only when all three hold:
 *
 * - `LOYALTY_SIMULATOR=1`;
 * - `SHOPIFY_ADMIN_API_ORIGIN` is an http(s) origin on a loopback address (127.x.x.x, ::1, localhost);
 * - `SHOPIFY_APP_URL` is on a loopback address too.
 *
 * NODE_ENV is not the guard (server.mjs runs the demo as production). The app URL is: Shopify must
 * reach a deployed app, so a deployment whose SHOPIFY_APP_URL is loopback cannot be serving real
 * shops, and a deployed app with a public URL never routes a request to a simulator.
 */
export function simulatorOrigin(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.LOYALTY_SIMULATOR !== "1") return null;
  const origin = loopbackOrigin(env.SHOPIFY_ADMIN_API_ORIGIN);
  return origin && loopbackOrigin(env.SHOPIFY_APP_URL) ? origin : null;
}

function loopbackOrigin(value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  return loopback ? url.origin : null;
}

/** `https://<shop>.myshopify.com/admin/...` as the simulator serves it; other URLs unchanged. */
export function shopifyUrlOnSimulator(url: string, origin: string): string {
  const parsed = new URL(url);
  if (!parsed.hostname.endsWith(".myshopify.com")) return url;
  return `${origin}/shops/${parsed.hostname}${parsed.pathname}${parsed.search}`;
}

/**
 * With the switch on, shopify-api's own requests (token exchange, `admin.graphql`) go to the
 * simulator. Call once, after the shopify-app-remix Node adapter has installed its fetch.
 */
export function routeShopifyRequestsToSimulator(env: NodeJS.ProcessEnv = process.env): void {
  const origin = simulatorOrigin(env);
  if (!origin) return;
  const shopifyFetch = abstractFetch;
  setAbstractFetchFunc((input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    const target = shopifyUrlOnSimulator(url, origin);
    return shopifyFetch(target === url ? input : target, init);
  });
  console.warn(`LOYALTY_SIMULATOR: Shopify requests go to the local simulator at ${origin}, not to Shopify`);
}

/** Where the app serves its App Bridge stand-in (app/routes/simulator.app-bridge[.]js.ts). */
export const APP_BRIDGE_STAND_IN_PATH = "/simulator/app-bridge.js";

/** The App Bridge script for the admin pages: the stand-in with the switch on, else undefined (Shopify's CDN). */
export function appBridgeScriptUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return simulatorOrigin(env) ? APP_BRIDGE_STAND_IN_PATH : undefined;
}

/**
 * With the switch on, lets the simulator's admin page frame the app (shopify-app-remix allows only
 * Shopify's admin origins) and drops the preload of App Bridge from Shopify's CDN.
 */
export function allowSimulatorAdminToFrame(headers: Headers, env: NodeJS.ProcessEnv = process.env): void {
  const origin = simulatorOrigin(env);
  if (!origin) return;
  const policy = headers.get("Content-Security-Policy");
  if (policy?.includes("frame-ancestors")) {
    headers.set("Content-Security-Policy", policy.replace("frame-ancestors", `frame-ancestors ${origin}`));
  }
  if (headers.get("Link")?.includes("cdn.shopify.com")) headers.delete("Link");
}
