import { isInstalled } from "../models/shops.server";
import { findMember } from "../models/members.server";
import { orderPointsForCustomer } from "../models/orders.server";
import { listUnusedCodesForCustomer } from "../models/redemptions.server";
import { listRecentActivityForCustomer } from "../models/ledger.server";
import {
  json,
  pointsAndRewardsResponse,
  redeemResponse,
  returnRedemptionResponse,
  type Shopper,
  type ShopperDeps,
} from "./responses.server";

// The backend of the app's UI extensions (checkout and thank-you page, customer account profile).
// Each surface has its own authenticator in shopify-app-remix; once it has verified the session
// token, the same handlers answer.

/**
 * shopify-app-remix's `authenticate.public.checkout` or `authenticate.public.customerAccount`:
 * verifies the extension's session token (HS256 with the app's secret) and answers OPTIONS
 * preflights by throwing a 204 with CORS headers.
 */
export type AuthenticateExtension = (request: Request) => Promise<{
  sessionToken: { dest: string; sub?: string };
  cors: (response: Response) => Response;
}>;

export interface ExtensionDeps extends ShopperDeps {
  authenticate: AuthenticateExtension;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d+)$/;
const ORDER_ID = /^(?:gid:\/\/shopify\/(?:Order|OrderIdentity)\/)?(\d+)$/;

// Extensions run on Shopify's origin: every answer, failures included, must carry CORS headers
// or the extension sees a network error instead of the status. Tokens travel in a header, not
// cookies, so any origin may read the answer.
function withCors(response: Response) {
  response.headers.set("Access-Control-Allow-Origin", "*");
  response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  return response;
}

/**
 * The session token's shop and logged-in customer, or the answer to give: the OPTIONS preflight,
 * 401 for a missing or forged token, 401 not_logged_in for a guest, 404 for a shop without the app.
 */
async function authorise(
  request: Request,
  deps: ExtensionDeps,
  method: "GET" | "POST",
): Promise<{ shopper: Shopper; cors: (response: Response) => Response } | Response> {
  let auth: Awaited<ReturnType<AuthenticateExtension>>;
  try {
    auth = await deps.authenticate(request);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    if (request.method === "OPTIONS" || thrown.status === 410) return withCors(thrown);
    return withCors(json(401, { ok: false, error: "unauthorized", message: "missing or invalid session token" }));
  }
  const { sessionToken, cors } = auth;
  if (request.method !== method) return cors(json(405, { ok: false, error: "method_not_allowed", message: `use ${method}` }));
  const shop = sessionToken.dest.replace(/^https:\/\//, "");
  if (!SHOP_DOMAIN.test(shop)) return cors(json(401, { ok: false, error: "unauthorized", message: "the session token names no shop" }));
  if (!sessionToken.sub) return cors(json(401, { ok: false, error: "not_logged_in", message: "Sign in to use your points." }));
  const customer = CUSTOMER_GID.exec(sessionToken.sub);
  if (!customer) return cors(json(401, { ok: false, error: "unauthorized", message: "the session token names no customer" }));
  if (!(await isInstalled(deps.db, shop))) return cors(json(404, { ok: false, error: "not_installed", message: "The rewards program is not available." }));
  return { shopper: { shop, customerId: customer[1] }, cors };
}

/** GET /api/{checkout,customer-account}/rewards: the shopper's points and the rewards they can afford. */
export async function rewardsRequest(request: Request, deps: ExtensionDeps) {
  const auth = await authorise(request, deps, "GET");
  if (auth instanceof Response) return auth;
  return auth.cors(await pointsAndRewardsResponse(deps.db, auth.shopper));
}

/** POST /api/{checkout,customer-account}/redemptions { rewardId, idempotencyKey, amount? }: points into a code. */
export async function redeemRequest(request: Request, deps: ExtensionDeps) {
  const auth = await authorise(request, deps, "POST");
  if (auth instanceof Response) return auth;
  return auth.cors(await redeemResponse(request, deps, auth.shopper));
}

/**
 * POST /api/{checkout,customer-account}/redemptions/:id/return: the code could not be applied to
 * this checkout (an express wallet, say), or the customer cancels it from their account, so its
 * points come back and the code is deleted from Shopify.
 */
export async function returnRequest(request: Request, redemptionId: number, deps: ExtensionDeps) {
  const auth = await authorise(request, deps, "POST");
  if (auth instanceof Response) return auth;
  return auth.cors(await returnRedemptionResponse(redemptionId, deps, auth.shopper));
}

/** GET /api/checkout/order-points?orderId=: what this order earned and the balance now (thank-you page). */
export async function orderPointsRequest(request: Request, deps: ExtensionDeps) {
  const auth = await authorise(request, deps, "GET");
  if (auth instanceof Response) return auth;
  const orderId = ORDER_ID.exec(new URL(request.url).searchParams.get("orderId") ?? "")?.[1];
  if (!orderId) return auth.cors(json(400, { ok: false, error: "bad_request", message: "orderId must be an order id or gid" }));
  const { shop, customerId } = auth.shopper;
  const order = await orderPointsForCustomer(deps.db, shop, customerId, orderId);
  const member = await findMember(deps.db, shop, customerId);
  return auth.cors(json(200, { orderId, ...order, points: member?.balance ?? 0 }));
}

/** GET /api/customer-account/redemptions: the customer's issued codes not yet used, to copy or cancel. */
export async function unusedCodesRequest(request: Request, deps: ExtensionDeps) {
  const auth = await authorise(request, deps, "GET");
  if (auth instanceof Response) return auth;
  const { shop, customerId } = auth.shopper;
  return auth.cors(json(200, { codes: await listUnusedCodesForCustomer(deps.db, shop, customerId) }));
}

/** GET /api/customer-account/activity: the customer's last ten ledger entries, newest first. */
export async function activityRequest(request: Request, deps: ExtensionDeps) {
  const auth = await authorise(request, deps, "GET");
  if (auth instanceof Response) return auth;
  const { shop, customerId } = auth.shopper;
  return auth.cors(json(200, { entries: await listRecentActivityForCustomer(deps.db, shop, customerId, 10) }));
}
