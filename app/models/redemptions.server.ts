import { toMinorUnits } from "../domain/money";
import { quoteRedemption, newDiscountCode, shopifyRequestFor, type RewardDefinition } from "../domain/rewards";
import type { SqlDatabase, SqlExecutor } from "../db/types";
import { certainlyNotApplied, type AdminGraphql } from "../shopify/admin-api.server";
import { enqueueJob, RetryLater, type JobHandler } from "../jobs/queue.server";
import {
  DISCOUNT_BY_CODE_QUERY,
  REWARD_DISCOUNT_DELETE,
  REWARD_APP_DISCOUNT_CREATE,
  REWARD_DISCOUNT_CREATE,
  REWARD_FREE_SHIPPING_CREATE,
  REWARD_STORE_CREDIT,
  REWARD_VARIANT_PRICE_QUERY,
  STORE_CREDIT_CREDITS_QUERY,
  type ShopifyUserError,
} from "../shopify/queries";
import { appendLedgerEntry, type LedgerActor } from "./ledger.server";
import { findEnabledReward, shopCurrency } from "./rewards.server";

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
  status: "pending" | "issued" | "failed" | "used" | "expired" | "cancelled" | "returning";
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
  // A code is shown once Shopify has it: never while pending, nor after Shopify failed to make it.
  code: row.status === "pending" || row.status === "failed" ? null : row.code,
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
    // Store credit is no code: nothing to expire, and no expiry job to schedule.
    const code = reward.kind === "store_credit" ? null : (deps.newCode ?? newDiscountCode)();
    const expiresAt = code === null ? null : new Date(now.getTime() + reward.codeLifetimeDays * 86_400_000).toISOString();
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
    // Should this process die before Shopify answers, the settle job finishes the redemption.
    await enqueueJob(
      tx,
      { shop: request.shop, kind: SETTLE_JOB, key: `redemption:${row.id}:settle`, payload: { redemptionId: row.id }, runAt: new Date(now.getTime() + SETTLE_AFTER_MS) },
      now,
    );
    return { kind: "reserved" as const, row, reward, memberId: member.id };
  });

  if (reserved.kind === "error") return reserved.result;
  if (reserved.kind === "repeat") return repeatOf(reserved.row, reserved.balance);

  const created = await createInShopify(deps, request, reserved.reward, reserved.row, now);
  if (typeof created === "object" && "unsure" in created) {
    // Shopify may have made it before the answer was lost: returning the points now could pay
    // twice. The settle job asks Shopify what exists and finishes the redemption either way.
    return stillPending(reserved.row, await balanceOf(db, reserved.memberId));
  }
  const finished = await settleRedemption(db, request.shop, reserved.row.id, created, clock());
  if (finished.row.status === "failed") {
    return {
      ok: false,
      status: 502,
      error: "discount_not_created",
      message: NOT_CREATED,
      balance: finished.balance,
      redemption: view(finished.row),
    };
  }
  return { ok: true, redemption: view(finished.row), balance: finished.balance, repeated: false };
}

const NOT_CREATED = "We couldn't create your discount just now. Your points are back in your balance; please try again.";

/**
 * A repeat of a key answers as the first request did: a failed redemption stays a failure (never a
 * success with no code behind it), one still waiting on Shopify says so, anything else is the
 * redemption as it stands.
 */
function repeatOf(row: RedemptionRow, balance: number): RedemptionResult {
  if (row.status === "failed") {
    return { ok: false, status: 502, error: "discount_not_created", message: NOT_CREATED, balance, redemption: view(row) };
  }
  if (row.status === "pending") return stillPending(row, balance);
  return { ok: true, redemption: view(row), balance, repeated: true };
}

/** A redemption whose points are taken while the app does not yet know what Shopify made. */
function stillPending(row: RedemptionRow, balance: number): RedemptionResult {
  return {
    ok: false,
    status: 409,
    error: "redemption_pending",
    message: "We couldn't confirm your reward with Shopify yet. If it wasn't created, your points come back within a few minutes.",
    balance,
    redemption: view(row),
  };
}

const SETTLE_JOB = "redemption.settle";
const EXPIRE_JOB = "redemption.expire";
const SETTLE_AFTER_MS = 2 * 60_000;

/**
 * Records Shopify's answer for a pending redemption, once: issued (and its expiry scheduled), or
 * failed with its points returned. A redemption no longer pending is left as it is.
 */
async function settleRedemption(
  db: SqlDatabase,
  shop: string,
  redemptionId: number,
  created: { discountId: string | null } | string,
  at: Date,
) {
  const finishedAt = at.toISOString();
  return db.transaction(async (tx) => {
    // Locked on PostgreSQL: the request that made it and the settle job cannot both settle it.
    const lock = tx.dialect === "postgres" ? " FOR UPDATE" : "";
    const current = (await tx.get<RedemptionRow & { member_id: number; status: string }>(
      `SELECT * FROM "redemptions" WHERE "id" = ? AND "shop" = ?${lock}`,
      [redemptionId, shop],
    ))!;
    if (current.status === "pending") {
      if (typeof created === "object") {
        await tx.run(`UPDATE "redemptions" SET "status" = 'issued', "shopify_discount_id" = ?, "updated_at" = ? WHERE "id" = ?`, [
          created.discountId,
          finishedAt,
          redemptionId,
        ]);
        if (current.expires_at) {
          await enqueueJob(
            tx,
            { shop, kind: EXPIRE_JOB, key: `redemption:${redemptionId}:expire`, payload: { redemptionId }, runAt: new Date(current.expires_at) },
            at,
          );
        }
      } else {
        await tx.run(`UPDATE "redemptions" SET "status" = 'failed', "failure_reason" = ?, "updated_at" = ? WHERE "id" = ?`, [
          created,
          finishedAt,
          redemptionId,
        ]);
        await returnPoints(tx, shop, current, `Returned: Shopify could not create the discount (${created})`, finishedAt);
      }
    }
    const row = (await tx.get<RedemptionRow>('SELECT * FROM "redemptions" WHERE "id" = ?', [redemptionId]))!;
    return { row, balance: await balanceOf(tx, current.member_id) };
  });
}

async function returnPoints(
  db: SqlExecutor,
  shop: string,
  row: RedemptionRow & { member_id: number },
  reason: string,
  at: string,
  actor: LedgerActor = { type: "system" },
) {
  await appendLedgerEntry(
    db,
    {
      shop,
      memberId: row.member_id,
      delta: row.points,
      kind: "redemption_returned",
      sourceKey: `redemption:${row.id}:returned`,
      actor,
      reason,
    },
    at,
  );
}

export type ReturnResult =
  | { ok: true; redemption: RedemptionView; balance: number }
  | { ok: false; status: 404 | 409 | 502; error: string; message: string };

/**
 * Gives an unused code's points back: the shopper cancels it, or it expires. The code is deleted
 * from Shopify first, so it cannot be used after its points are back. Cancelling twice is
 * harmless; a code already used cannot be cancelled.
 */
export async function returnUnusedRedemption(
  deps: RedemptionDeps,
  input: {
    shop: string;
    redemptionId: number;
    /** Only this customer's code (a shopper cancelling); a member id does the same for staff. */
    customerId?: string;
    memberId?: number;
    outcome: "cancelled" | "expired";
    /** Who cancelled, when staff did; the shopper and the expiry job are the system. */
    actor?: LedgerActor;
  },
): Promise<ReturnResult> {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const claimed = await db.transaction(async (tx) => {
    const lock = tx.dialect === "postgres" ? " FOR UPDATE" : "";
    const row = await tx.get<RedemptionRow & { member_id: number; customer_id: string; shopify_discount_id: string | null }>(
      `SELECT r.*, m."customer_id" FROM "redemptions" r JOIN "members" m ON m."id" = r."member_id"
       WHERE r."shop" = ? AND r."id" = ?${lock}`,
      [input.shop, input.redemptionId],
    );
    if (!row || (input.customerId && row.customer_id !== input.customerId) || (input.memberId && row.member_id !== input.memberId)) {
      return { error: 404 as const };
    }
    if (row.status === input.outcome) return { done: row };
    if (row.status !== "issued") return { error: 409 as const, status: row.status };
    if (!row.code) return { error: 409 as const, status: "store credit" };
    await tx.run(`UPDATE "redemptions" SET "status" = 'returning', "updated_at" = ? WHERE "id" = ?`, [clock().toISOString(), row.id]);
    return { row };
  });
  if ("error" in claimed) {
    return claimed.error === 404
      ? { ok: false, status: 404, error: "not_found", message: "No such reward code." }
      : { ok: false, status: 409, error: "not_returnable", message: `This code cannot be returned (${claimed.status}).` };
  }
  if ("done" in claimed && claimed.done) {
    return { ok: true, redemption: view(claimed.done), balance: await balanceOf(db, claimed.done.member_id) };
  }
  const row = claimed.row!;
  const deleted = await deleteFromShopify(deps, input.shop, row.shopify_discount_id);
  return db.transaction(async (tx) => {
    const at = clock().toISOString();
    const current = (await tx.get<RedemptionRow & { member_id: number }>('SELECT * FROM "redemptions" WHERE "id" = ?', [row.id]))!;
    if (current.status !== "returning") {
      // An order used the code while Shopify was being asked: it stays used.
      return { ok: false as const, status: 409 as const, error: "not_returnable", message: `This code cannot be returned (${current.status}).` };
    }
    if (deleted !== true) {
      await tx.run(`UPDATE "redemptions" SET "status" = 'issued', "updated_at" = ? WHERE "id" = ?`, [at, row.id]);
      return { ok: false as const, status: 502 as const, error: "shopify_unavailable", message: `The code could not be removed from Shopify: ${deleted}` };
    }
    await tx.run(`UPDATE "redemptions" SET "status" = ?, "updated_at" = ? WHERE "id" = ?`, [input.outcome, at, row.id]);
    const reason =
      input.outcome === "expired" ? "Returned: code expired unused" : input.actor?.type === "staff" ? "Returned: code cancelled by staff" : "Returned: code cancelled";
    await returnPoints(tx, input.shop, current, reason, at, input.actor);
    const updated = (await tx.get<RedemptionRow>('SELECT * FROM "redemptions" WHERE "id" = ?', [row.id]))!;
    return { ok: true as const, redemption: view(updated), balance: await balanceOf(tx, current.member_id) };
  });
}

async function deleteFromShopify(deps: RedemptionDeps, shop: string, discountId: string | null): Promise<true | string> {
  if (!discountId) return true;
  const admin = await deps.adminFor(shop);
  if (!admin) return "the shop has no Admin API access";
  try {
    const { discountCodeDelete } = await admin.request<{
      discountCodeDelete: { deletedCodeDiscountId: string | null; userErrors: ShopifyUserError[] } | null;
    }>(REWARD_DISCOUNT_DELETE, { id: discountId });
    if (!discountCodeDelete) return "Shopify returned no result";
    // Already gone (deleted by the merchant, say) is as good as deleted.
    if (discountCodeDelete.userErrors.length && !discountCodeDelete.userErrors.every((e) => /not exist|not found/i.test(e.message))) {
      return discountCodeDelete.userErrors.map((e) => e.message).join("; ");
    }
    return true;
  } catch (error) {
    return (error as Error).message.slice(0, 300);
  }
}

/**
 * orders/paid: codes the order used are used. A code whose points were already returned (it
 * was cancelled or expired while the order was being placed) takes them again, so the ledger
 * tells the truth even if the balance goes below zero.
 */
export async function markCodesUsed(db: SqlExecutor, shop: string, codes: readonly string[], orderId: string, at: string) {
  for (const code of codes) {
    const row = await db.get<RedemptionRow & { member_id: number }>(
      'SELECT * FROM "redemptions" WHERE "shop" = ? AND "code" = ?',
      [shop, code.trim().toUpperCase()],
    );
    if (!row || row.status === "used") continue;
    // A "failed" code an order used did exist in Shopify after all: its points were returned too.
    const pointsWereReturned = row.status === "cancelled" || row.status === "expired" || row.status === "failed";
    await db.run(`UPDATE "redemptions" SET "status" = 'used', "updated_at" = ? WHERE "id" = ?`, [at, row.id]);
    if (pointsWereReturned) {
      await appendLedgerEntry(
        db,
        {
          shop,
          memberId: row.member_id,
          delta: -row.points,
          kind: "redeemed",
          sourceKey: `redemption:${row.id}:used-after-return`,
          orderId,
          actor: { type: "system" },
          reason: `Code ${row.code} used on an order after its points were returned`,
        },
        at,
      );
    }
  }
}

/** The durable jobs of a redemption's life. */
export function redemptionJobHandlers(deps: Omit<RedemptionDeps, "db">): Record<string, JobHandler> {
  return {
    // The process that reserved the points may have died before Shopify answered.
    [SETTLE_JOB]: async ({ db, shop, payload, now }) => {
      const row = await db.get<RedemptionRow & { member_id: number; created_at: string | Date }>(
        'SELECT * FROM "redemptions" WHERE "shop" = ? AND "id" = ?',
        [shop, payload.redemptionId],
      );
      if (!row || row.status !== "pending") return;
      const admin = await deps.adminFor(shop);
      if (!admin) throw new RetryLater("no Admin API access");
      // Until Shopify says what exists the points stay taken: asking fails (an outage, a scope
      // not yet granted) and the job asks again later, however long that takes.
      let found: { id: string } | null;
      try {
        found = row.code
          ? (await admin.request<{ codeDiscountNodeByCode: { id: string } | null }>(DISCOUNT_BY_CODE_QUERY, { code: row.code }))
              .codeDiscountNodeByCode
          : await findStoreCredit(db, admin, shop, row);
      } catch (error) {
        throw new RetryLater((error as Error).message);
      }
      const missing = row.code ? "no discount was created before the app stopped" : "no store credit was added before the app stopped";
      await settleRedemption(db, shop, row.id, found ? { discountId: found.id } : missing, now);
    },
    [EXPIRE_JOB]: async ({ db, shop, payload }) => {
      const result = await returnUnusedRedemption({ ...deps, db }, { shop, redemptionId: Number(payload.redemptionId), outcome: "expired" });
      if (!result.ok && result.status === 502) throw new Error(result.message);
    },
  };
}

type CreditsAnswer = {
  customer: {
    storeCreditAccounts: {
      nodes: {
        transactions: { nodes: { id?: string; createdAt?: string; amount?: { amount: string; currencyCode: string }; origin?: unknown }[] };
      }[];
    };
  } | null;
};

/**
 * Store credit has no code to look up, and Shopify takes no idempotency key for it: a credit of
 * this redemption's amount, made since the redemption was written (the request goes out only
 * after), not from an order (a refund to store credit has an origin), and not already another
 * redemption's, is taken as this one's (returning the points as well would pay the shopper twice).
 * The unique (shop, shopify_discount_id) index stops two settle jobs taking the same credit.
 */
async function findStoreCredit(db: SqlExecutor, admin: AdminGraphql, shop: string, row: RedemptionRow & { member_id: number; created_at: string | Date }) {
  const owner = await db.get<{ customer_id: string }>('SELECT "customer_id" FROM "members" WHERE "id" = ?', [row.member_id]);
  if (!owner) return null;
  const { customer } = await admin.request<CreditsAnswer>(STORE_CREDIT_CREDITS_QUERY, { customerId: `gid://shopify/Customer/${owner.customer_id}` });
  // Shopify's clock and ours may differ by a little.
  const since = new Date(row.created_at).getTime() - 30_000;
  const currency = await shopCurrency(db, shop);
  for (const account of customer?.storeCreditAccounts.nodes ?? []) {
    for (const credit of account.transactions.nodes) {
      if (!credit.id || !credit.amount || credit.origin || credit.amount.currencyCode !== currency) continue;
      if (new Date(credit.createdAt!).getTime() < since || toMinorUnits(credit.amount.amount, currency) !== Number(row.value_minor)) continue;
      const claimed = await db.get('SELECT 1 AS "one" FROM "redemptions" WHERE "shop" = ? AND "shopify_discount_id" = ?', [shop, credit.id]);
      if (!claimed) return { id: credit.id };
    }
  }
  return null;
}

/**
 * { discountId } when Shopify created it; a reason string when it certainly did not; { unsure }
 * when the request failed in a way that leaves open whether Shopify did it.
 */
async function createInShopify(
  deps: RedemptionDeps,
  request: RedemptionRequest,
  reward: RewardDefinition,
  row: RedemptionRow,
  now: Date,
): Promise<{ discountId: string | null } | string | { unsure: string }> {
  const admin = await deps.adminFor(request.shop);
  if (!admin) return "the shop has no Admin API access";
  const currency = await shopCurrency(deps.db, request.shop);
  // Whether the mutation went out: a failure before it (the variant price lookup) changed nothing.
  let mutating = false;
  try {
    let unitPriceMinor: number | undefined;
    if (reward.kind === "free_product") {
      const { productVariant } = await admin.request<{ productVariant: { price: string } | null }>(REWARD_VARIANT_PRICE_QUERY, {
        id: reward.productVariantId,
      });
      if (!productVariant) return "the reward's product variant no longer exists";
      unitPriceMinor = toMinorUnits(productVariant.price, currency);
      if (unitPriceMinor <= 0) return "the reward's product variant is already free";
    }
    const plan = shopifyRequestFor(
      reward,
      {
        code: row.code ?? "",
        valueMinor: Number(row.value_minor),
        startsAt: now.toISOString(),
        endsAt: new Date(row.expires_at!).toISOString(),
        unitPriceMinor,
      },
      request.customerId,
      currency,
    );
    type Payload = {
      userErrors: ShopifyUserError[];
      codeDiscountNode?: { id: string } | null;
      codeAppDiscount?: { discountId: string } | null;
      storeCreditAccountTransaction?: { id: string } | null;
    };
    let payload: Payload | null | undefined;
    mutating = true;
    if (plan.mutation === "basic") {
      payload = (await admin.request<{ discountCodeBasicCreate: Payload }>(REWARD_DISCOUNT_CREATE, plan.variables)).discountCodeBasicCreate;
    } else if (plan.mutation === "freeShipping") {
      payload = (await admin.request<{ discountCodeFreeShippingCreate: Payload }>(REWARD_FREE_SHIPPING_CREATE, plan.variables))
        .discountCodeFreeShippingCreate;
    } else if (plan.mutation === "app") {
      payload = (await admin.request<{ discountCodeAppCreate: Payload }>(REWARD_APP_DISCOUNT_CREATE, plan.variables)).discountCodeAppCreate;
    } else {
      payload = (await admin.request<{ storeCreditAccountCredit: Payload }>(REWARD_STORE_CREDIT, plan.variables)).storeCreditAccountCredit;
    }
    if (!payload) return "Shopify returned no result";
    if (payload.userErrors.length) return payload.userErrors.map((e) => e.message).join("; ");
    return { discountId: payload.codeDiscountNode?.id ?? payload.codeAppDiscount?.discountId ?? payload.storeCreditAccountTransaction?.id ?? null };
  } catch (error) {
    const reason = (error as Error).message.slice(0, 300);
    return !mutating || certainlyNotApplied(error) ? reason : { unsure: reason };
  }
}

export interface UnusedCode extends RedemptionView {
  rewardName: string;
}

/** The customer's codes that are issued and not yet used, cancelled or expired, newest first. */
export async function listUnusedCodesForCustomer(db: SqlExecutor, shop: string, customerId: string): Promise<UnusedCode[]> {
  const rows = await db.all<RedemptionRow & { reward_name: string }>(
    `SELECT r.*, w."name" AS "reward_name" FROM "redemptions" r
       JOIN "members" m ON m."id" = r."member_id" AND m."shop" = r."shop"
       JOIN "rewards" w ON w."id" = r."reward_id" AND w."shop" = r."shop"
     WHERE r."shop" = ? AND m."customer_id" = ? AND r."status" = 'issued' AND r."code" IS NOT NULL
     ORDER BY r."id" DESC`,
    [shop, customerId],
  );
  return rows.map((row) => ({ ...view(row), rewardName: row.reward_name }));
}

export interface MemberRedemption extends RedemptionView {
  rewardName: string;
  createdAt: string;
}

/** A member's redemptions of every status, newest first: what support staff see on the customer page. */
export async function listRedemptionsForMember(db: SqlExecutor, shop: string, memberId: number, limit = 20): Promise<MemberRedemption[]> {
  const rows = await db.all<RedemptionRow & { reward_name: string; created_at: string | Date }>(
    `SELECT r.*, w."name" AS "reward_name" FROM "redemptions" r
       JOIN "rewards" w ON w."id" = r."reward_id" AND w."shop" = r."shop"
     WHERE r."shop" = ? AND r."member_id" = ?
     ORDER BY r."id" DESC LIMIT ?`,
    [shop, memberId, limit],
  );
  return rows.map((row) => ({ ...view(row), rewardName: row.reward_name, createdAt: new Date(row.created_at).toISOString() }));
}
