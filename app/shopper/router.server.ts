import { refusalResponse } from "./refusals";
import * as endpoints from "./handlers.server";
import type { ShopperDeps } from "./handlers.server";
import type { SessionTokenVerifier } from "./session-token.server";
import { authoriseAppProxy, authoriseExtension, type Shopper, type ShopperSurface } from "./surfaces.server";

// Every shopper-facing endpoint, its surface and method, in one table. The app's HTTP server
// answers these directly (no framework between the socket and the read): the storefront reads on
// every page view, so their path is kept short.

export interface ShopperRouterDeps extends ShopperDeps {
  /** The app's API secrets (app proxy signatures). */
  secrets: readonly string[];
  verifySessionToken: SessionTokenVerifier;
}

interface Route {
  surface: ShopperSurface;
  method: "GET" | "POST";
  path: RegExp;
  answer(request: Request, deps: ShopperRouterDeps, shopper: Shopper, match: RegExpExecArray): Promise<Response>;
}

const extension = (prefix: "checkout" | "customer-account", rest: string) => new RegExp(`^/api/${prefix}/${rest}$`);

const ROUTES: Route[] = [
  // Storefront, through the app proxy (/apps/loyalty/* on the shop's domain).
  { surface: "app_proxy", method: "GET", path: /^\/proxy\/customer$/, answer: (_, deps, shopper) => endpoints.pointsAndRewards(deps, shopper, { storefront: true }) },
  { surface: "app_proxy", method: "POST", path: /^\/proxy\/redemptions$/, answer: (request, deps, shopper) => endpoints.redeem(request, deps, shopper) },
  { surface: "app_proxy", method: "POST", path: /^\/proxy\/redemptions\/([^/]+)\/cancel$/, answer: (_, deps, shopper, m) => endpoints.returnCode(Number(m[1]), deps, shopper) },
  { surface: "app_proxy", method: "POST", path: /^\/proxy\/birthday$/, answer: (request, deps, shopper) => endpoints.saveBirthday(request, deps, shopper) },
  // Checkout: the reductions block and the thank-you page.
  { surface: "checkout", method: "GET", path: extension("checkout", "rewards"), answer: (_, deps, shopper) => endpoints.pointsAndRewards(deps, shopper) },
  { surface: "checkout", method: "POST", path: extension("checkout", "redemptions"), answer: (request, deps, shopper) => endpoints.redeem(request, deps, shopper) },
  { surface: "checkout", method: "POST", path: extension("checkout", "redemptions/([^/]+)/return"), answer: (_, deps, shopper, m) => endpoints.returnCode(Number(m[1]), deps, shopper) },
  { surface: "checkout", method: "GET", path: extension("checkout", "order-points"), answer: (request, deps, shopper) => endpoints.orderPoints(request, deps, shopper) },
  // Customer account: the profile block.
  { surface: "customer_account", method: "GET", path: extension("customer-account", "rewards"), answer: (_, deps, shopper) => endpoints.pointsAndRewards(deps, shopper) },
  { surface: "customer_account", method: "GET", path: extension("customer-account", "redemptions"), answer: (_, deps, shopper) => endpoints.unusedCodes(deps, shopper) },
  { surface: "customer_account", method: "POST", path: extension("customer-account", "redemptions"), answer: (request, deps, shopper) => endpoints.redeem(request, deps, shopper) },
  {
    surface: "customer_account",
    method: "POST",
    path: extension("customer-account", "redemptions/([^/]+)/return"),
    answer: (_, deps, shopper, m) => endpoints.returnCode(Number(m[1]), deps, shopper),
  },
  { surface: "customer_account", method: "GET", path: extension("customer-account", "activity"), answer: (_, deps, shopper) => endpoints.activity(deps, shopper) },
];

/** Paths the shopper router owns; anything else goes on to Remix. */
export const isShopperPath = (path: string) => path.startsWith("/proxy/") || path.startsWith("/api/checkout/") || path.startsWith("/api/customer-account/");

// Extensions run on Shopify's origin: every answer, failures included, carries CORS headers or
// the extension sees a network error instead of the status. Tokens travel in a header, not
// cookies, so any origin may read the answer.
function withCors(response: Response) {
  response.headers.set("Access-Control-Allow-Origin", "*");
  response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  return response;
}

/** The answer to a shopper request, or null when the path is not a shopper endpoint. */
export async function handleShopperRequest(request: Request, deps: ShopperRouterDeps): Promise<Response | null> {
  const path = new URL(request.url).pathname;
  if (!isShopperPath(path)) return null;
  const candidates = ROUTES.map((route) => ({ route, match: route.path.exec(path) })).filter((c) => c.match);
  if (candidates.length === 0) return null;
  const { surface } = candidates[0].route;
  const fromExtension = surface !== "app_proxy";
  if (fromExtension && request.method === "OPTIONS") {
    const preflight = new Response(null, { status: 204, headers: { "Access-Control-Allow-Methods": "GET, POST, OPTIONS", "Access-Control-Max-Age": "7200" } });
    return withCors(preflight);
  }
  const chosen = candidates.find((c) => c.route.method === request.method);
  const methodRefused = () => refusalResponse({ reason: "method_not_allowed", message: `use ${candidates.map((c) => c.route.method).join(" or ")}` });
  if (!fromExtension && !chosen) return methodRefused();
  const auth = fromExtension ? await authoriseExtension(request, deps) : await authoriseAppProxy(request, deps);
  const answer = !auth.ok ? refusalResponse(auth) : chosen ? await chosen.route.answer(request, deps, auth.shopper, chosen.match!) : methodRefused();
  return fromExtension ? withCors(answer) : answer;
}
