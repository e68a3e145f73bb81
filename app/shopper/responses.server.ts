import type { SqlDatabase, SqlExecutor } from "../db/types";
import { currencyDecimals, toMinorUnits } from "../domain/money";
import { maxAffordableMinor, pointsNeeded } from "../domain/rewards";
import { listRecentActivityForCustomer } from "../models/ledger.server";
import { findMember } from "../models/members.server";
import { redeemReward, returnUnusedRedemption, type RedemptionDeps } from "../models/redemptions.server";
import { listEnabledRewards, shopCurrency } from "../models/rewards.server";

// What every shopper-facing surface (the storefront's app proxy, the checkout and customer account extensions) answers
// once it knows who is asking. Each surface authenticates in its own way, then calls these.

/** A logged-in shopper of an installed shop, as an authenticated surface has established. */
export interface Shopper {
  shop: string;
  customerId: string;
}

export interface ShopperDeps {
  db: SqlDatabase;
  adminFor: RedemptionDeps["adminFor"];
}

export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, no-store" },
  });

/**
 * The enabled rewards as a shopper sees them, cheapest first, each flagged affordable or not. `pointsNeeded` is
 * what the cheapest redemption costs (a variable reward's minimum amount); for a variable reward
 * `maxAffordableMinor` is the largest amount this balance buys, in whole steps of `valueMinor`.
 */
export async function rewardsFor(db: SqlExecutor, shop: string, balance: number) {
  // Cheapest first by what a redemption really costs (a variable reward's per-step cost would
  // put it first whatever its minimum).
  const rewards = (await listEnabledRewards(db, shop)).sort((a, b) => pointsNeeded(a) - pointsNeeded(b) || a.id - b.id);
  return rewards.map((reward) => {
    const needed = pointsNeeded(reward);
    const variable = reward.kind === "variable";
    return {
      id: reward.id,
      name: reward.name,
      kind: reward.kind,
      pointsCost: reward.pointsCost,
      valueMinor: reward.valueMinor,
      percentOff: reward.percentOff || undefined,
      minAmountMinor: variable ? (reward.minAmountMinor ?? reward.valueMinor) : undefined,
      maxAmountMinor: variable ? (reward.maxAmountMinor ?? undefined) : undefined,
      maxAffordableMinor: variable ? maxAffordableMinor(reward, balance) : undefined,
      pointsNeeded: needed,
      affordable: balance >= needed,
    };
  });
}

/**
 * The shopper's points and the catalogue, each reward flagged affordable or not, with the shop's
 * currency and its decimals (so a surface can turn a shopper's amount into minor units and back).
 */
export async function pointsAndRewardsResponse(db: SqlExecutor, shopper: Shopper, { storefront = false } = {}) {
  const member = await findMember(db, shopper.shop, shopper.customerId);
  const points = member?.balance ?? 0;
  const rewards = await rewardsFor(db, shopper.shop, points);
  const currency = await shopCurrency(db, shopper.shop);
  const body = { customerId: shopper.customerId, points, currency, currencyDecimals: currencyDecimals(currency), rewards };
  if (!storefront) return json(200, body);
  // The storefront panel also shows recent activity and the birthday form.
  const activity = member ? await listRecentActivityForCustomer(db, shopper.shop, shopper.customerId, 5) : [];
  return json(200, { ...body, activity, birthday: member?.birthday ?? null });
}

/** A shopper's JSON or form body as an object, or the 400 to answer. */
export async function readInput(request: Request): Promise<Record<string, unknown> | Response> {
  try {
    const type = request.headers.get("content-type") ?? "";
    const input = type.includes("application/json")
      ? ((await request.json()) as Record<string, unknown>)
      : Object.fromEntries((await request.formData()).entries());
    if (!input || typeof input !== "object" || Array.isArray(input)) throw new Error("not an object");
    return input;
  } catch {
    return json(400, { ok: false, error: "bad_request", message: "send JSON or a form" });
  }
}

/**
 * { rewardId, idempotencyKey, amount? } (JSON or form) into a single-use code: 201 when new, 200
 * for a repeat of the same key, the redemption's own 4xx/502 otherwise.
 */
export async function redeemResponse(request: Request, deps: ShopperDeps, shopper: Shopper) {
  const input = await readInput(request);
  if (input instanceof Response) return input;
  const rewardId = Number(input.rewardId);
  if (!Number.isSafeInteger(rewardId) || rewardId <= 0) return json(400, { ok: false, error: "bad_request", message: "rewardId is required" });
  let amountMinor: number | null = null;
  if (input.amount !== undefined && input.amount !== null && input.amount !== "") {
    const currency = await shopCurrency(deps.db, shopper.shop);
    try {
      amountMinor = toMinorUnits(String(input.amount), currency);
    } catch (error) {
      return json(422, { ok: false, error: "invalid_amount", message: `Enter the amount as a number, such as 12.50: ${(error as Error).message}.` });
    }
  }
  const result = await redeemReward(
    { db: deps.db, adminFor: deps.adminFor },
    { shop: shopper.shop, customerId: shopper.customerId, rewardId, amountMinor, requestKey: String(input.idempotencyKey ?? "") },
  );
  if (!result.ok) return json(result.status, result);
  return json(result.repeated ? 200 : 201, result);
}

/** The shopper gives back an unused code (or could not use it) and gets the points back. */
export async function returnRedemptionResponse(redemptionId: number, deps: ShopperDeps, shopper: Shopper) {
  if (!Number.isSafeInteger(redemptionId) || redemptionId <= 0) return json(404, { ok: false, error: "not_found", message: "No such reward code." });
  const result = await returnUnusedRedemption(
    { db: deps.db, adminFor: deps.adminFor },
    { shop: shopper.shop, customerId: shopper.customerId, redemptionId, outcome: "cancelled" },
  );
  return json(result.ok ? 200 : result.status, result);
}
