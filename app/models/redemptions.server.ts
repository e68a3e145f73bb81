import { quoteRedemption, newDiscountCode, shopifyRequestFor, type RewardDefinition } from "../domain/rewards";
import type { SqlDatabase, SqlExecutor } from "../db/types";
import type { AdminGraphql } from "../shopify/admin-api.server";
import {
  REWARD_DISCOUNT_CREATE,
  REWARD_FREE_SHIPPING_CREATE,
  REWARD_STORE_CREDIT,
  type ShopifyUserError,
} from "../shopify/queries";
import { appendLedgerEntry } from "./ledger.server";
import { findEnabledReward } from "./rewards.server";

export interface RedemptionRequest {
  shop: string;
  customerId: string;
  rewardId: number;
  /** For variable rewards: the amount chosen, in minor units. */
  amountMinor?: number | null;
  /** The client's idempotency key: a repeat returns the same redemption. */
  requestKey: string;
}

export interface RedemptionView {
  id: number;
  rewardId: number;
  status: "pending" | "issued" | "failed" | "used" | "expired" | "cancelled";
  points: number;
  valueMinor: number;
  code: string | null;
  expiresAt: string | null;
  failureReason: string | null;
}

export type RedemptionResult =
  | { ok: true; redemption: RedemptionView; balance: number; repeated: boolean }
  | { ok: false; status: 400 | 404 | 409 | 422 | 502; error: string; message: string; balance?: number; redemption?: RedemptionView };

export interface RedemptionDeps {
  db: SqlDatabase;
  /** The shop's Admin API client (offline token), or null when it has none. */
  adminFor(shop: string): Promise<AdminGraphql | null>;
  clock?: () => Date;
  newCode?: () => string;
}

interface RedemptionRow {
  id: number;
  reward_id: number;
  status: RedemptionView["status"];
  points: number;
  value_minor: number | string;
  code: string | null;
  expires_at: string | Date | null;
  failure_reason: string | null;
}

const view = (row: RedemptionRow): RedemptionView => ({
  id: row.id,
  rewardId: row.reward_id,
  status: row.status,
  points: row.points,
  valueMinor: Number(row.value_minor),
  code: row.code,
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
  failureReason: row.failure_reason,
});

const REQUEST_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

async function balanceOf(db: SqlExecutor, memberId: number) {
  return (await db.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "id" = ?', [memberId]))!.balance;
}

/**
 * Turns points into a single-use Shopify discount, exactly once. First, in one transaction: lock
 * the member's row, check the balance, write the redemption and its ledger entry. Then ask
 * Shopify for the discount. If Shopify refuses (or cannot be reached), the points come back at
 * once with a reversing entry and the redemption is marked failed.
 */
export async function redeemReward(deps: RedemptionDeps, request: RedemptionRequest): Promise<RedemptionResult> {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  if (!REQUEST_KEY.test(request.requestKey)) {
    return { ok: false, status: 400, error: "bad_request", message: "idempotency key must be 8-100 letters, digits or _.:-" };
  }
  const now = clock();
  const reserved = await db.transaction(async (tx) => {
    // On PostgreSQL the member row is locked so two redemptions cannot both spend the same
    // points (the second waits, then sees the lower balance); SQLite has a single writer.
    const lock = tx.dialect === "postgres" ? " FOR UPDATE" : "";
    const member = await tx.get<{ id: number; balance: number }>(
      `SELECT "id", "balance" FROM "members" WHERE "shop" = ? AND "customer_id" = ?${lock}`,
      [request.shop, request.customerId],
    );
    if (!member) return { kind: "error" as const, result: { ok: false as const, status: 422 as const, error: "insufficient_points", message: "You have no points yet.", balance: 0 } };
    const earlier = await tx.get<RedemptionRow>(
      'SELECT * FROM "redemptions" WHERE "shop" = ? AND "member_id" = ? AND "request_key" = ?',
      [request.shop, member.id, request.requestKey],
    );
    if (earlier) return { kind: "repeat" as const, row: earlier, balance: member.balance };
    const reward = await findEnabledReward(tx, request.shop, request.rewardId);
    if (!reward) return { kind: "error" as const, result: { ok: false as const, status: 404 as const, error: "reward_not_found", message: "This reward is not available." } };
    const quote = quoteRedemption(reward, request.amountMinor);
    if (!quote.ok) return { kind: "error" as const, result: { ok: false as const, status: 422 as const, error: "invalid_amount", message: quote.error } };
    if (member.balance < quote.points) {
      return {
        kind: "error" as const,
        result: { ok: false as const, status: 422 as const, error: "insufficient_points", message: `This reward needs ${quote.points} points; you have ${member.balance}.`, balance: member.balance },
      };
    }
    const code = reward.kind === "store_credit" ? null : (deps.newCode ?? newDiscountCode)();
    const expiresAt = new Date(now.getTime() + reward.codeLifetimeDays * 86_400_000).toISOString();
    const row = (await tx.get<RedemptionRow>(
      `INSERT INTO "redemptions" ("shop", "member_id", "reward_id", "request_key", "points", "value_minor", "status", "code",
         "expires_at", "created_at", "updated_at")
       VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING *`,
      [request.shop, member.id, reward.id, request.requestKey, quote.points, quote.valueMinor, code, expiresAt, now.toISOString(), now.toISOString()],
    ))!;
    await appendLedgerEntry(
      tx,
      {
        shop: request.shop,
        memberId: member.id,
        delta: -quote.points,
        kind: "redeemed",
        sourceKey: `redemption:${row.id}`,
        actor: { type: "system" },
        reason: `Redeemed: ${reward.name}`,
      },
      now.toISOString(),
    );
    return { kind: "reserved" as const, row, reward, memberId: member.id };
  });

  if (reserved.kind === "error") return reserved.result;
  if (reserved.kind === "repeat") return { ok: true, redemption: view(reserved.row), balance: reserved.balance, repeated: true };

  const failure = await createInShopify(deps, request, reserved.reward, reserved.row, now);
  const finishedAt = clock().toISOString();
  const finished = await db.transaction(async (tx) => {
    if (failure === null || typeof failure === "object") {
      const discountId = failure?.discountId ?? null;
      await tx.run(`UPDATE "redemptions" SET "status" = 'issued', "shopify_discount_id" = ?, "updated_at" = ? WHERE "id" = ?`, [
        discountId,
        finishedAt,
        reserved.row.id,
      ]);
    } else {
      await tx.run(`UPDATE "redemptions" SET "status" = 'failed', "failure_reason" = ?, "updated_at" = ? WHERE "id" = ?`, [
        failure,
        finishedAt,
        reserved.row.id,
      ]);
      await appendLedgerEntry(
        tx,
        {
          shop: request.shop,
          memberId: reserved.memberId,
          delta: reserved.row.points,
          kind: "redemption_returned",
          sourceKey: `redemption:${reserved.row.id}:returned`,
          actor: { type: "system" },
          reason: `Returned: Shopify could not create the discount (${failure})`,
        },
        finishedAt,
      );
    }
    const row = (await tx.get<RedemptionRow>('SELECT * FROM "redemptions" WHERE "id" = ?', [reserved.row.id]))!;
    return { row, balance: await balanceOf(tx, reserved.memberId) };
  });
  if (finished.row.status === "failed") {
    return {
      ok: false,
      status: 502,
      error: "discount_not_created",
      message: "We couldn't create your discount just now. Your points are back in your balance; please try again.",
      balance: finished.balance,
      redemption: view(finished.row),
    };
  }
  return { ok: true, redemption: view(finished.row), balance: finished.balance, repeated: false };
}

/** null or { discountId } when Shopify created it; a reason string when it did not. */
async function createInShopify(
  deps: RedemptionDeps,
  request: RedemptionRequest,
  reward: RewardDefinition,
  row: RedemptionRow,
  now: Date,
): Promise<{ discountId: string | null } | string> {
  const admin = await deps.adminFor(request.shop);
  if (!admin) return "the shop has no Admin API access";
  const currency =
    (await deps.db.get<{ currency_code: string }>('SELECT "currency_code" FROM "shops" WHERE "domain" = ?', [request.shop]))
      ?.currency_code ?? "USD";
  const plan = shopifyRequestFor(
    reward,
    { code: row.code ?? "", valueMinor: Number(row.value_minor), startsAt: now.toISOString(), endsAt: new Date(row.expires_at!).toISOString() },
    request.customerId,
    currency,
  );
  try {
    type Payload = { userErrors: ShopifyUserError[]; codeDiscountNode?: { id: string } | null };
    let payload: Payload | null | undefined;
    if (plan.mutation === "basic") {
      payload = (await admin.request<{ discountCodeBasicCreate: Payload }>(REWARD_DISCOUNT_CREATE, plan.variables)).discountCodeBasicCreate;
    } else if (plan.mutation === "freeShipping") {
      payload = (await admin.request<{ discountCodeFreeShippingCreate: Payload }>(REWARD_FREE_SHIPPING_CREATE, plan.variables))
        .discountCodeFreeShippingCreate;
    } else {
      payload = (await admin.request<{ storeCreditAccountCredit: Payload }>(REWARD_STORE_CREDIT, plan.variables)).storeCreditAccountCredit;
    }
    if (!payload) return "Shopify returned no result";
    if (payload.userErrors.length) return payload.userErrors.map((e) => e.message).join("; ");
    return { discountId: payload.codeDiscountNode?.id ?? null };
  } catch (error) {
    return (error as Error).message.slice(0, 300);
  }
}
