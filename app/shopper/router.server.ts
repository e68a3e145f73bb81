import { refusalAnswer, type ShopperAnswer } from "./refusals";
import { referralLanding } from "./referral-landing.server";
import * as endpoints from "./handlers.server";
import type { ShopperDeps, ShopperInput } from "./handlers.server";
import type { SessionTokenVerifier } from "./session-token.server";
import {
  authenticateAppProxy,
  authenticateAppProxyVisitor,
  authenticateExtension,
  installedShopper,
  type Shopper,
  type ShopperIdentity,
  type ShopperSurface,
  type SignedRequest,
} from "./surfaces.server";

// Every shopper-facing endpoint, its surface and method, in one table. The app's HTTP server
// answers these directly (no framework and no Fetch objects between the socket and the read):
// the storefront reads on every page view, so their path is kept short.

export interface ShopperRouterDeps extends ShopperDeps {
  /** The app's API secrets (app proxy signatures). */
  secrets: readonly string[];
  verifySessionToken: SessionTokenVerifier;
}

/** A shopper request as the router reads it, whichever server received it. */
export interface ShopperRequest extends SignedRequest, ShopperInput {
  method: string;
}

type Route = {
  surface: ShopperSurface;
  method: "GET" | "POST";
  path: RegExp;
} & (
  | {
      /** The answer for a shopper of an installed shop (checked first, one indexed read). */
      answer(request: ShopperRequest, deps: ShopperRouterDeps, shopper: Shopper, match: RegExpExecArray): Promise<ShopperAnswer>;
    }
  | {
      /** A read that checks the shop is installed in the same statement as the rest it reads. */
      read(deps: ShopperRouterDeps, identity: ShopperIdentity): Promise<ShopperAnswer>;
    }
  | {
      /** Open to guests of an installed shop (the app proxy's signature still checked): customerId is null for a guest. */
      visitor(request: ShopperRequest, deps: ShopperRouterDeps, visitor: endpoints.Visitor, match: RegExpExecArray): Promise<ShopperAnswer>;
    }
);

const extension = (prefix: "checkout" | "customer-account", rest: string) => new RegExp(`^/api/${prefix}/${rest}$`);

const ROUTES: Route[] = [
  // Storefront, through the app proxy (/apps/loyalty/* on the shop's domain).
  {
    surface: "app_proxy",
    method: "GET",
    path: /^\/proxy\/customer$/,
    read: (deps, identity) => endpoints.pointsAndRewards(deps, identity, { storefront: true }),
  },
  // The friend's landing page of a referral link (HTML, guests welcome).
  {
    surface: "app_proxy",
    method: "GET",
    path: /^\/proxy\/r\/([^/]+)$/,
    visitor: (request, deps, visitor, m) => referralLanding(request, deps, visitor.shop, m[1]),
  },
  { surface: "app_proxy", method: "POST", path: /^\/proxy\/redemptions$/, answer: (request, deps, shopper) => endpoints.redeem(request, deps, shopper) },
  {
    surface: "app_proxy",
    method: "POST",
    path: /^\/proxy\/redemptions\/([^/]+)\/cancel$/,
    answer: (_, deps, shopper, m) => endpoints.returnCode(Number(m[1]), deps, shopper),
  },
  { surface: "app_proxy", method: "POST", path: /^\/proxy\/birthday$/, answer: (request, deps, shopper) => endpoints.saveBirthday(request, deps, shopper) },
  {
    surface: "app_proxy",
    method: "POST",
    path: /^\/proxy\/ways-to-earn\/([^/]+)\/claim$/,
    answer: (_, deps, shopper, m) => endpoints.claimWayToEarn(m[1], deps, shopper),
  },
  // Referrals: a friend (usually a guest) claims the offer of a referral link.
  {
    surface: "app_proxy",
    method: "POST",
    path: /^\/proxy\/referrals\/claim$/,
    visitor: (request, deps, visitor) => endpoints.claimReferralOffer(request, deps, visitor),
  },
  // Checkout: the reductions block and the thank-you page.
  { surface: "checkout", method: "GET", path: extension("checkout", "rewards"), read: (deps, identity) => endpoints.pointsAndRewards(deps, identity) },
  {
    surface: "checkout",
    method: "POST",
    path: extension("checkout", "redemptions"),
    answer: (request, deps, shopper) => endpoints.redeem(request, deps, shopper),
  },
  {
    surface: "checkout",
    method: "POST",
    path: extension("checkout", "redemptions/([^/]+)/return"),
    answer: (_, deps, shopper, m) => endpoints.returnCode(Number(m[1]), deps, shopper),
  },
  {
    surface: "checkout",
    method: "GET",
    path: extension("checkout", "order-points"),
    answer: (request, deps, shopper) => endpoints.orderPoints(request.url, deps, shopper),
  },
  // Customer account: the profile block.
  {
    surface: "customer_account",
    method: "GET",
    path: extension("customer-account", "rewards"),
    read: (deps, identity) => endpoints.pointsAndRewards(deps, identity),
  },
  {
    surface: "customer_account",
    method: "GET",
    path: extension("customer-account", "redemptions"),
    answer: (_, deps, shopper) => endpoints.unusedCodes(deps, shopper),
  },
  {
    surface: "customer_account",
    method: "POST",
    path: extension("customer-account", "redemptions"),
    answer: (request, deps, shopper) => endpoints.redeem(request, deps, shopper),
  },
  {
    surface: "customer_account",
    method: "POST",
    path: extension("customer-account", "redemptions/([^/]+)/return"),
    answer: (_, deps, shopper, m) => endpoints.returnCode(Number(m[1]), deps, shopper),
  },
  {
    surface: "customer_account",
    method: "GET",
    path: extension("customer-account", "activity"),
    answer: (_, deps, shopper) => endpoints.activity(deps, shopper),
  },
  {
    surface: "customer_account",
    method: "POST",
    path: extension("customer-account", "ways-to-earn/([^/]+)/claim"),
    answer: (_, deps, shopper, m) => endpoints.claimWayToEarn(m[1], deps, shopper),
  },
];

/** Paths the shopper router owns; anything else goes on to Remix. */
export const isShopperPath = (path: string) => path.startsWith("/proxy/") || path.startsWith("/api/checkout/") || path.startsWith("/api/customer-account/");

// Extensions run on Shopify's origin: every answer, failures included, carries CORS headers or
// the extension sees a network error instead of the status. Tokens travel in a header, not
// cookies, so any origin may read the answer.
const CORS_HEADERS = { "access-control-allow-headers": "Authorization, Content-Type", "access-control-allow-origin": "*" };
const PREFLIGHT: ShopperAnswer = {
  status: 204,
  body: null,
  headers: { "access-control-allow-methods": "GET, POST, OPTIONS", "access-control-max-age": "7200", ...CORS_HEADERS },
};
const JSON_HEADERS = { "cache-control": "private, no-store", "content-type": "application/json; charset=utf-8" };

/** The answer to a shopper request, or null when its path is not a shopper endpoint. */
export async function answerShopperRequest(request: ShopperRequest, deps: ShopperRouterDeps): Promise<ShopperAnswer | null> {
  const path = request.url.pathname;
  if (!isShopperPath(path)) return null;
  const candidates: { route: Route; match: RegExpExecArray }[] = [];
  for (const route of ROUTES) {
    const match = route.path.exec(path);
    if (match) candidates.push({ route, match });
  }
  if (candidates.length === 0) return null;
  const { surface } = candidates[0].route;
  const fromExtension = surface !== "app_proxy";
  if (fromExtension && request.method === "OPTIONS") return PREFLIGHT;
  const chosen = candidates.find((c) => c.route.method === request.method);
  const methodRefused = () => refusalAnswer({ reason: "method_not_allowed", message: `use ${candidates.map((c) => c.route.method).join(" or ")}` });
  if (!fromExtension && !chosen) return methodRefused();
  const answer = await authorisedAnswer(request, deps, fromExtension, chosen, methodRefused);
  return fromExtension ? { ...answer, headers: { ...answer.headers, ...CORS_HEADERS } } : answer;
}

async function authorisedAnswer(
  request: ShopperRequest,
  deps: ShopperRouterDeps,
  fromExtension: boolean,
  chosen: { route: Route; match: RegExpExecArray } | undefined,
  methodRefused: () => ShopperAnswer,
): Promise<ShopperAnswer> {
  if (chosen && "visitor" in chosen.route) {
    const visitor = authenticateAppProxyVisitor(request, deps);
    if (!visitor.ok) return refusalAnswer(visitor);
    const installed = await installedShopper(deps.db, { shop: visitor.shop, customerId: visitor.customerId ?? "" });
    if (!installed.ok) return refusalAnswer(installed);
    return chosen.route.visitor(
      request,
      deps,
      { shop: visitor.shop, customerId: visitor.customerId, currencyCode: installed.shopper.currencyCode },
      chosen.match,
    );
  }
  const auth = fromExtension ? authenticateExtension(request, deps) : authenticateAppProxy(request, deps);
  if (!auth.ok) return refusalAnswer(auth);
  if (chosen && "read" in chosen.route) return chosen.route.read(deps, auth.identity);
  const installed = await installedShopper(deps.db, auth.identity);
  if (!installed.ok) return refusalAnswer(installed);
  if (!chosen || !("answer" in chosen.route)) return methodRefused();
  return chosen.route.answer(request, deps, installed.shopper, chosen.match);
}

/** What a server writes for an answer: the status, its headers and the body text ("" for none). */
export function answerToSend(answer: ShopperAnswer): { status: number; headers: Record<string, string>; text: string } {
  if (answer.body === null) return { status: answer.status, headers: { ...answer.headers }, text: "" };
  // A page (the referral landing) is sent as it is, with its own content type.
  if (typeof answer.body === "string") return { status: answer.status, headers: { ...answer.headers }, text: answer.body };
  return { status: answer.status, headers: { ...JSON_HEADERS, ...answer.headers }, text: JSON.stringify(answer.body) };
}

/** The router for Fetch API requests (the test harness and any Fetch-based server): the same answers as the app's HTTP server. */
export async function handleShopperRequest(request: Request, deps: ShopperRouterDeps): Promise<Response | null> {
  const answer = await answerShopperRequest(
    {
      method: request.method,
      url: new URL(request.url),
      header: (name) => request.headers.get(name) ?? undefined,
      input: () => endpoints.readInput(request),
    },
    deps,
  );
  if (!answer) return null;
  const { status, headers, text } = answerToSend(answer);
  return new Response(answer.body === null ? null : text, { status, headers });
}
