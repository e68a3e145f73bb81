import type { SqlDatabase } from "../db/types";
import { parseBirthday } from "../domain/birthday";
import { setMemberBirthday } from "../models/members.server";
import { isInstalled } from "../models/shops.server";
import {
  json,
  pointsAndRewardsResponse,
  readInput,
  redeemResponse,
  returnRedemptionResponse,
  type Shopper,
  type ShopperDeps,
} from "../shopper/responses.server";
import { verifyAppProxyRequest, type AppProxyAuth } from "./verify.server";

export interface ProxyDeps {
  db: SqlDatabase;
  secrets: readonly string[];
  adminFor: ShopperDeps["adminFor"];
}

/** Signature, freshness, a logged-in customer, an installed shop: or the JSON error to answer. */
async function authorise(request: Request, deps: Pick<ProxyDeps, "db" | "secrets">, method: string): Promise<Shopper | Response> {
  if (request.method !== method) return json(405, { ok: false, error: "method_not_allowed", message: `use ${method}` });
  const auth: AppProxyAuth = verifyAppProxyRequest(new URL(request.url), deps.secrets);
  if (!auth.ok) return json(auth.status, { ok: false, error: auth.status === 401 ? "unauthorized" : "bad_request", message: auth.error });
  if (!auth.customerId) return json(401, { ok: false, error: "not_logged_in", message: "Sign in to use your points." });
  if (!(await isInstalled(deps.db, auth.shop))) return json(404, { ok: false, error: "not_installed", message: "The rewards program is not available." });
  return { shop: auth.shop, customerId: auth.customerId };
}

/** GET /proxy/customer: the logged-in shopper's points and the rewards they can afford. */
export async function customerPointsResponse(request: Request, deps: Pick<ProxyDeps, "db" | "secrets">) {
  const shopper = await authorise(request, deps, "GET");
  if (shopper instanceof Response) return shopper;
  return pointsAndRewardsResponse(deps.db, shopper, { storefront: true });
}

/**
 * POST /proxy/redemptions with { rewardId, idempotencyKey, amount? } (JSON or form): turns points
 * into a single-use discount code for the logged-in shopper.
 */
export async function createRedemptionResponse(request: Request, deps: ProxyDeps) {
  const shopper = await authorise(request, deps, "POST");
  if (shopper instanceof Response) return shopper;
  return redeemResponse(request, deps, shopper);
}

/** POST /proxy/redemptions/:id/cancel: the shopper gives back an unused code and gets the points. */
export async function cancelRedemptionResponse(request: Request, redemptionId: number, deps: ProxyDeps) {
  const shopper = await authorise(request, deps, "POST");
  if (shopper instanceof Response) return shopper;
  return returnRedemptionResponse(redemptionId, deps, shopper);
}

/** POST /proxy/birthday with { month, day } (JSON or form): the shopper's birthday, saved once. */
export async function birthdayResponse(request: Request, deps: Pick<ProxyDeps, "db" | "secrets">) {
  const shopper = await authorise(request, deps, "POST");
  if (shopper instanceof Response) return shopper;
  const input = await readInput(request);
  if (input instanceof Response) return input;
  const parsed = parseBirthday(input.month, input.day);
  if (!parsed.ok) return json(422, { ok: false, error: "invalid_birthday", message: parsed.error });
  const result = await setMemberBirthday(deps.db, shopper.shop, shopper.customerId, parsed.birthday, new Date().toISOString());
  return json(result.ok ? 200 : result.status, result);
}
