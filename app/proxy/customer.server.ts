import type { SqlDatabase, SqlExecutor } from "../db/types";
import { toMinorUnits } from "../domain/money";
import { findMember } from "../models/members.server";
import { redeemReward, returnUnusedRedemption, type RedemptionDeps } from "../models/redemptions.server";
import { listEnabledRewards } from "../models/rewards.server";
import { isInstalled } from "../models/shops.server";
import { verifyAppProxyRequest, type AppProxyAuth } from "./verify.server";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, no-store" },
  });

export interface ProxyDeps {
  db: SqlDatabase;
  secrets: readonly string[];
  adminFor: RedemptionDeps["adminFor"];
}

type Authorised = { shop: string; customerId: string };

/** Signature, freshness, a logged-in customer, an installed shop: or the JSON error to answer. */
async function authorise(request: Request, deps: Pick<ProxyDeps, "db" | "secrets">, method: string): Promise<Authorised | Response> {
  if (request.method !== method) return json(405, { error: "method_not_allowed", message: `use ${method}` });
  const auth: AppProxyAuth = verifyAppProxyRequest(new URL(request.url), deps.secrets);
  if (!auth.ok) return json(auth.status, { error: auth.status === 401 ? "unauthorized" : "bad_request", message: auth.error });
  if (!auth.customerId) return json(401, { error: "not_logged_in", message: "Sign in to use your points." });
  if (!(await isInstalled(deps.db, auth.shop))) return json(404, { error: "not_installed", message: "The rewards program is not available." });
  return { shop: auth.shop, customerId: auth.customerId };
}

async function rewardsFor(db: SqlExecutor, shop: string, balance: number) {
  return (await listEnabledRewards(db, shop)).map((reward) => ({
    id: reward.id,
    name: reward.name,
    kind: reward.kind,
    pointsCost: reward.pointsCost,
    valueMinor: reward.valueMinor,
    percentOff: reward.percentOff || undefined,
    minAmountMinor: reward.minAmountMinor ?? undefined,
    maxAmountMinor: reward.maxAmountMinor ?? undefined,
    affordable: balance >= reward.pointsCost,
  }));
}

/** GET /proxy/customer: the logged-in shopper's points and the rewards they can afford. */
export async function customerPointsResponse(request: Request, deps: Pick<ProxyDeps, "db" | "secrets">) {
  const auth = await authorise(request, deps, "GET");
  if (auth instanceof Response) return auth;
  const member = await findMember(deps.db, auth.shop, auth.customerId);
  const points = member?.balance ?? 0;
  return json(200, { customerId: auth.customerId, points, rewards: await rewardsFor(deps.db, auth.shop, points) });
}

/**
 * POST /proxy/redemptions with { rewardId, idempotencyKey, amount? } (JSON or form): turns points
 * into a single-use discount code for the logged-in shopper.
 */
export async function createRedemptionResponse(request: Request, deps: ProxyDeps) {
  const auth = await authorise(request, deps, "POST");
  if (auth instanceof Response) return auth;
  let input: Record<string, unknown>;
  try {
    const type = request.headers.get("content-type") ?? "";
    input = type.includes("application/json")
      ? ((await request.json()) as Record<string, unknown>)
      : Object.fromEntries((await request.formData()).entries());
  } catch {
    return json(400, { error: "bad_request", message: "send JSON or a form" });
  }
  const rewardId = Number(input.rewardId);
  if (!Number.isSafeInteger(rewardId) || rewardId <= 0) return json(400, { error: "bad_request", message: "rewardId is required" });
  let amountMinor: number | null = null;
  if (input.amount !== undefined && input.amount !== null && input.amount !== "") {
    const currency =
      (await deps.db.get<{ currency_code: string }>('SELECT "currency_code" FROM "shops" WHERE "domain" = ?', [auth.shop]))?.currency_code ?? "USD";
    try {
      amountMinor = toMinorUnits(String(input.amount), currency);
    } catch (error) {
      return json(422, { error: "invalid_amount", message: (error as Error).message });
    }
  }
  const result = await redeemReward(
    { db: deps.db, adminFor: deps.adminFor },
    { shop: auth.shop, customerId: auth.customerId, rewardId, amountMinor, requestKey: String(input.idempotencyKey ?? "") },
  );
  if (!result.ok) return json(result.status, result);
  return json(result.repeated ? 200 : 201, result);
}

/** POST /proxy/redemptions/:id/cancel: the shopper gives back an unused code and gets the points. */
export async function cancelRedemptionResponse(request: Request, redemptionId: number, deps: ProxyDeps) {
  const auth = await authorise(request, deps, "POST");
  if (auth instanceof Response) return auth;
  if (!Number.isSafeInteger(redemptionId) || redemptionId <= 0) return json(404, { error: "not_found", message: "No such reward code." });
  const result = await returnUnusedRedemption(
    { db: deps.db, adminFor: deps.adminFor },
    { shop: auth.shop, customerId: auth.customerId, redemptionId, outcome: "cancelled" },
  );
  return json(result.ok ? 200 : result.status, result);
}
