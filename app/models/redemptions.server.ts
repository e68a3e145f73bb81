import type { Selectable } from "kysely";
import { lockedForUpdate } from "../db/dialect";
import type { Database, DB, Db } from "../db/types";
import type { LedgerActor } from "../domain/ledger";
import { toMinorUnits } from "../domain/money";
import { codeIsShown, transition, type RedemptionEvent, type RedemptionStatus, type ShopifyOutcome } from "../domain/redemption-lifecycle";
import type { Ok, Refused } from "../domain/result";
import { quoteRedemption, newDiscountCode, shopifyRequestFor, type RewardDefinition } from "../domain/rewards";
import { certainlyNotApplied, type AdminGraphql } from "../shopify/admin-api.server";
import { enqueueJob, RetryLater, type JobHandler } from "../jobs/queue.server";
import type { RewardAppDiscountCreateMutation, RewardDiscountCreateMutation, RewardStoreCreditMutation } from "../shopify/generated/admin.generated";
import {
  DISCOUNT_BY_CODE_QUERY,
  REWARD_DISCOUNT_DELETE,
  REWARD_APP_DISCOUNT_CREATE,
  REWARD_DISCOUNT_CREATE,
  REWARD_FREE_SHIPPING_CREATE,
  REWARD_STORE_CREDIT,
  REWARD_VARIANT_PRICE_QUERY,
  STORE_CREDIT_CREDITS_QUERY,
} from "../shopify/queries";
import { appendLedgerEntry } from "./ledger.server";
import { fireRewardRedeemedTrigger } from "./flow.server";
import { findEnabledReward, shopCurrency } from "./rewards.server";
import { tierAllowsReward } from "../domain/tier-view";

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
  status: RedemptionStatus;
  points: number;
  valueMinor: number;
  code: string | null;
  expiresAt: string | null;
  failureReason: string | null;
}

/** Why a redemption was refused; app/shopper/refusals.ts gives each its HTTP status and message. */
export type RedemptionRefusal =
  | Refused<"invalid_idempotency_key">
  | Refused<"program_disabled">
  | Refused<"reward_not_found">
  | Refused<"invalid_amount", { message: string }>
  | Refused<"insufficient_points", { balance: number; pointsNeeded: number | null }>
  /** Shopify certainly did not make it: the points are back. */
  | Refused<"discount_not_created", { balance: number; redemption: RedemptionView }>
  /** Shopify's answer was lost: the points stay taken until the settle job finds out what exists. */
  | Refused<"redemption_pending", { balance: number; redemption: RedemptionView }>;

export type RedemptionResult = Ok<{ redemption: RedemptionView; balance: number; repeated: boolean }> | RedemptionRefusal;

export interface RedemptionDeps {
  db: Database;
  /** The shop's Admin API client (offline token), or null when it has none. */
  adminFor(shop: string): Promise<AdminGraphql | null>;
  clock?: () => Date;
  newCode?: () => string;
}

type RedemptionRow = Selectable<DB["redemptions"]>;

const view = (row: RedemptionRow): RedemptionView => ({
  id: row.id,
  rewardId: row.reward_id,
  status: row.status,
  points: row.points,
  valueMinor: row.value_minor,
  code: codeIsShown(row.status) ? row.code : null,
  expiresAt: row.expires_at,
  failureReason: row.failure_reason,
});

const REQUEST_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

async function balanceOf(db: Db, memberId: number) {
  return (await db.query.selectFrom("members").select("balance").where("id", "=", memberId).executeTakeFirstOrThrow()).balance;
}

function lockRedemption(db: Db, shop: string, id: number) {
  return lockedForUpdate(db.dialect, db.query.selectFrom("redemptions").selectAll().where("shop", "=", shop).where("id", "=", id)).executeTakeFirst();
}

/**
 * Moves a redemption (its row locked by the caller's transaction) as the lifecycle rule allows,
 * and gives its points back or takes them again when the move says so. The update only applies
 * while the row is still in the status the rule was asked about. False when the rule refuses.
 */
async function moveRedemption(
  db: Db,
  row: RedemptionRow,
  event: RedemptionEvent,
  at: string,
  {
    set = {},
    reason,
    actor = { type: "system" },
    orderId,
  }: {
    set?: Partial<Pick<RedemptionRow, "shopify_discount_id" | "failure_reason">>;
    /** The ledger's reason when points move. */
    reason?: string;
    actor?: LedgerActor;
    orderId?: string;
  } = {},
): Promise<boolean> {
  const move = transition(row.status, event);
  if (!move.ok) return false;
  const result = await db.query
    .updateTable("redemptions")
    .set({ ...set, status: move.to, updated_at: at })
    .where("id", "=", row.id)
    .where("status", "=", row.status)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  if (move.points !== "none") {
    const giveBack = move.points === "give_back";
    await appendLedgerEntry(
      db,
      {
        shop: row.shop,
        memberId: row.member_id,
        delta: giveBack ? row.points : -row.points,
        kind: giveBack ? "redemption_returned" : "redeemed",
        sourceKey: giveBack ? `redemption:${row.id}:returned` : `redemption:${row.id}:used-after-return`,
        orderId: orderId ?? null,
        actor,
        reason: reason ?? (giveBack ? "Returned" : `Code ${row.code} used on an order after its points were returned`),
      },
      at,
    );
  }
  return true;
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
  if (!REQUEST_KEY.test(request.requestKey)) return { ok: false, reason: "invalid_idempotency_key" };
  const now = clock();
  type Reserved =
    { refusal: RedemptionRefusal } | { repeat: RedemptionRow; balance: number } | { row: RedemptionRow; reward: RewardDefinition; memberId: number };
  const reserved = await db.transaction(async (tx): Promise<Reserved> => {
    // On PostgreSQL the member row is locked so two redemptions cannot both spend the same
    // points (the second waits, then sees the lower balance); SQLite has a single writer.
    const member = await lockedForUpdate(
      tx.dialect,
      tx.query.selectFrom("members").select(["id", "balance", "tier_id"]).where("shop", "=", request.shop).where("customer_id", "=", request.customerId),
    ).executeTakeFirst();
    if (!member) return { refusal: { ok: false, reason: "insufficient_points", balance: 0, pointsNeeded: null } };
    const earlier = await tx.query
      .selectFrom("redemptions")
      .selectAll()
      .where("shop", "=", request.shop)
      .where("member_id", "=", member.id)
      .where("request_key", "=", request.requestKey)
      .executeTakeFirst();
    if (earlier) return { repeat: earlier, balance: member.balance };
    const program = await tx.query.selectFrom("shops").select("program_enabled").where("domain", "=", request.shop).executeTakeFirst();
    if (program && !program.program_enabled) return { refusal: { ok: false, reason: "program_disabled" } };
    const reward = await findEnabledReward(tx, request.shop, request.rewardId);
    // A reward limited to some VIP tiers is not there for other members (as their lists do not show it).
    if (!reward || !tierAllowsReward(reward.tierIds ?? null, member.tier_id)) return { refusal: { ok: false, reason: "reward_not_found" } };
    const quote = quoteRedemption(reward, request.amountMinor);
    if (!quote.ok) return { refusal: { ok: false, reason: "invalid_amount", message: quote.message } };
    if (member.balance < quote.points) {
      return { refusal: { ok: false, reason: "insufficient_points", balance: member.balance, pointsNeeded: quote.points } };
    }
    // Store credit is no code: nothing to expire, and no expiry job to schedule.
    const code = reward.kind === "store_credit" ? null : (deps.newCode ?? newDiscountCode)();
    const expiresAt = code === null ? null : new Date(now.getTime() + reward.codeLifetimeDays * 86_400_000).toISOString();
    const row = await tx.query
      .insertInto("redemptions")
      .values({
        shop: request.shop,
        member_id: member.id,
        reward_id: reward.id,
        request_key: request.requestKey,
        points: quote.points,
        value_minor: quote.valueMinor,
        status: "pending",
        code,
        expires_at: expiresAt,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
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
      {
        shop: request.shop,
        kind: SETTLE_JOB,
        key: `redemption:${row.id}:settle`,
        payload: { redemptionId: row.id },
        runAt: new Date(now.getTime() + SETTLE_AFTER_MS),
      },
      now,
    );
    return { row, reward, memberId: member.id };
  });

  if ("refusal" in reserved) return reserved.refusal;
  if ("repeat" in reserved) return repeatOf(reserved.repeat, reserved.balance);

  const outcome = await createInShopify(deps, request, reserved.reward, reserved.row, now);
  // Shopify may have made it before the answer was lost: returning the points now could pay
  // twice. The settle job asks Shopify what exists and finishes the redemption either way.
  if (outcome.kind === "unknown") return stillPending(reserved.row, await balanceOf(db, reserved.memberId));
  const finished = await settleRedemption(db, request.shop, reserved.row.id, outcome, clock());
  if (finished.row.status === "failed") {
    return { ok: false, reason: "discount_not_created", balance: finished.balance, redemption: view(finished.row) };
  }
  return { ok: true, redemption: view(finished.row), balance: finished.balance, repeated: false };
}

/**
 * A repeat of a key answers as the first request did: a failed redemption stays a failure (never a
 * success with no code behind it), one still waiting on Shopify says so, anything else is the
 * redemption as it stands.
 */
function repeatOf(row: RedemptionRow, balance: number): RedemptionResult {
  if (row.status === "failed") return { ok: false, reason: "discount_not_created", balance, redemption: view(row) };
  if (row.status === "pending") return stillPending(row, balance);
  return { ok: true, redemption: view(row), balance, repeated: true };
}

/** A redemption whose points are taken while the app does not yet know what Shopify made. */
function stillPending(row: RedemptionRow, balance: number): RedemptionResult {
  return { ok: false, reason: "redemption_pending", balance, redemption: view(row) };
}

const SETTLE_JOB = "redemption.settle";
const EXPIRE_JOB = "redemption.expire";
const SETTLE_AFTER_MS = 2 * 60_000;

/**
 * Records Shopify's answer (made or certainly not made) for a pending redemption, once: issued
 * (and its expiry scheduled), or failed with its points returned. A redemption no longer
 * pending is left as it is.
 */
async function settleRedemption(db: Database, shop: string, redemptionId: number, outcome: Exclude<ShopifyOutcome, { kind: "unknown" }>, at: Date) {
  const finishedAt = at.toISOString();
  return db.transaction(async (tx) => {
    // Locked on PostgreSQL: the request that made it and the settle job cannot both settle it.
    const current = (await lockRedemption(tx, shop, redemptionId))!;
    const event: RedemptionEvent = { type: "shopify_answered", outcome };
    if (outcome.kind === "made") {
      const moved = await moveRedemption(tx, current, event, finishedAt, { set: { shopify_discount_id: outcome.shopifyId } });
      if (moved && current.expires_at) {
        await enqueueJob(
          tx,
          { shop, kind: EXPIRE_JOB, key: `redemption:${redemptionId}:expire`, payload: { redemptionId }, runAt: new Date(current.expires_at) },
          at,
        );
      }
      if (moved) await fireRewardRedeemedTrigger(tx, current, at);
    } else {
      await moveRedemption(tx, current, event, finishedAt, {
        set: { failure_reason: outcome.reason },
        reason: `Returned: Shopify could not create the discount (${outcome.reason})`,
      });
    }
    const row = await tx.query.selectFrom("redemptions").selectAll().where("id", "=", redemptionId).executeTakeFirstOrThrow();
    return { row, balance: await balanceOf(tx, current.member_id) };
  });
}

export type ReturnResult =
  | Ok<{ redemption: RedemptionView; balance: number }>
  | Refused<"redemption_not_found">
  | Refused<"not_returnable", { status: RedemptionStatus | "store_credit" }>
  | Refused<"shopify_unavailable", { message: string }>;

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
  const claimed = await db.transaction(async (tx): Promise<ReturnResult | { row: RedemptionRow }> => {
    const row = await lockRedemption(tx, input.shop, input.redemptionId);
    const owner = row && (await tx.query.selectFrom("members").select("customer_id").where("id", "=", row.member_id).executeTakeFirst());
    if (!row || !owner || (input.customerId && owner.customer_id !== input.customerId) || (input.memberId && row.member_id !== input.memberId)) {
      return { ok: false, reason: "redemption_not_found" };
    }
    if (row.status === input.outcome) return { ok: true, redemption: view(row), balance: await balanceOf(tx, row.member_id) };
    if (!transition(row.status, { type: "return_started" }).ok) return { ok: false, reason: "not_returnable", status: row.status };
    if (!row.code) return { ok: false, reason: "not_returnable", status: "store_credit" };
    await moveRedemption(tx, row, { type: "return_started" }, clock().toISOString());
    return { row };
  });
  if (!("row" in claimed)) return claimed;
  const row = claimed.row;
  const deleted = await deleteFromShopify(deps, input.shop, row.shopify_discount_id);
  return db.transaction(async (tx): Promise<ReturnResult> => {
    const at = clock().toISOString();
    const current = (await lockRedemption(tx, input.shop, row.id))!;
    if (current.status !== "returning") {
      // An order used the code while Shopify was being asked: it stays used.
      return { ok: false, reason: "not_returnable", status: current.status };
    }
    if (deleted !== true) {
      await moveRedemption(tx, current, { type: "return_failed" }, at);
      return { ok: false, reason: "shopify_unavailable", message: `The code could not be removed from Shopify: ${deleted}` };
    }
    const reason =
      input.outcome === "expired"
        ? "Returned: code expired unused"
        : input.actor?.type === "staff"
          ? "Returned: code cancelled by staff"
          : "Returned: code cancelled";
    await moveRedemption(tx, current, { type: "returned", as: input.outcome }, at, { reason, actor: input.actor });
    const updated = await tx.query.selectFrom("redemptions").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    return { ok: true, redemption: view(updated), balance: await balanceOf(tx, current.member_id) };
  });
}

async function deleteFromShopify(deps: RedemptionDeps, shop: string, discountId: string | null): Promise<true | string> {
  if (!discountId) return true;
  const admin = await deps.adminFor(shop);
  if (!admin) return "the shop has no Admin API access";
  try {
    const { discountCodeDelete } = await admin.request(REWARD_DISCOUNT_DELETE, { id: discountId });
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
 * was cancelled or expired while the order was being placed, or recorded as failed) takes them
 * again, so the ledger tells the truth even if the balance goes below zero.
 */
export async function markCodesUsed(db: Db, shop: string, codes: readonly string[], orderId: string, at: string) {
  for (const code of codes) {
    const row = await lockedForUpdate(
      db.dialect,
      db.query.selectFrom("redemptions").selectAll().where("shop", "=", shop).where("code", "=", code.trim().toUpperCase()),
    ).executeTakeFirst();
    if (row) await moveRedemption(db, row, { type: "code_used" }, at, { orderId });
  }
}

/** The durable jobs of a redemption's life. */
export function redemptionJobHandlers(deps: Omit<RedemptionDeps, "db">): Record<string, JobHandler> {
  return {
    // The process that reserved the points may have died before Shopify answered.
    [SETTLE_JOB]: async ({ db, shop, payload, now }) => {
      const row = await db.query
        .selectFrom("redemptions")
        .selectAll()
        .where("shop", "=", shop)
        .where("id", "=", Number(payload.redemptionId))
        .executeTakeFirst();
      if (!row || row.status !== "pending") return;
      const admin = await deps.adminFor(shop);
      if (!admin) throw new RetryLater("no Admin API access");
      // Until Shopify says what exists the points stay taken: asking fails (an outage, a scope
      // not yet granted) and the job asks again later, however long that takes.
      let found: { id: string } | null;
      try {
        found = row.code
          ? ((await admin.request(DISCOUNT_BY_CODE_QUERY, { code: row.code })).codeDiscountNodeByCode ?? null)
          : await findStoreCredit(db, admin, shop, row);
      } catch (error) {
        throw new RetryLater((error as Error).message);
      }
      const missing = row.code ? "no discount was created before the app stopped" : "no store credit was added before the app stopped";
      await settleRedemption(db, shop, row.id, found ? { kind: "made", shopifyId: found.id } : { kind: "not_made", reason: missing }, now);
    },
    [EXPIRE_JOB]: async ({ db, shop, payload }) => {
      const result = await returnUnusedRedemption({ ...deps, db }, { shop, redemptionId: Number(payload.redemptionId), outcome: "expired" });
      if (!result.ok && result.reason === "shopify_unavailable") throw new Error(result.message);
    },
  };
}

/**
 * Store credit has no code to look up, and Shopify takes no idempotency key for it: a credit of
 * this redemption's amount, made since the redemption was written (the request goes out only
 * after), not from an order (a refund to store credit has an origin), and not already another
 * redemption's, is taken as this one's (returning the points as well would pay the shopper twice).
 * The unique (shop, shopify_discount_id) index stops two settle jobs taking the same credit.
 */
async function findStoreCredit(db: Db, admin: AdminGraphql, shop: string, row: RedemptionRow) {
  const owner = await db.query.selectFrom("members").select("customer_id").where("id", "=", row.member_id).executeTakeFirst();
  if (!owner) return null;
  const { customer } = await admin.request(STORE_CREDIT_CREDITS_QUERY, { customerId: `gid://shopify/Customer/${owner.customer_id}` });
  // Shopify's clock and ours may differ by a little.
  const since = new Date(row.created_at).getTime() - 30_000;
  const currency = await shopCurrency(db, shop);
  for (const account of customer?.storeCreditAccounts.nodes ?? []) {
    for (const credit of account.transactions.nodes) {
      if (!credit.id || !credit.amount || credit.origin || credit.amount.currencyCode !== currency) continue;
      if (new Date(credit.createdAt!).getTime() < since || toMinorUnits(credit.amount.amount, currency) !== row.value_minor) continue;
      const claimed = await db.query
        .selectFrom("redemptions")
        .select("id")
        .where("shop", "=", shop)
        .where("shopify_discount_id", "=", credit.id)
        .executeTakeFirst();
      if (!claimed) return { id: credit.id };
    }
  }
  return null;
}

/** Asks Shopify for the reward's discount code (or store credit): made, certainly not made, or unknown. */
async function createInShopify(
  deps: RedemptionDeps,
  request: RedemptionRequest,
  reward: RewardDefinition,
  row: RedemptionRow,
  now: Date,
): Promise<ShopifyOutcome> {
  const notMade = (reason: string): ShopifyOutcome => ({ kind: "not_made", reason });
  const admin = await deps.adminFor(request.shop);
  if (!admin) return notMade("the shop has no Admin API access");
  const currency = await shopCurrency(deps.db, request.shop);
  // Whether the mutation went out: a failure before it (the variant price lookup) changed nothing.
  let mutating = false;
  try {
    let unitPriceMinor: number | undefined;
    if (reward.kind === "free_product") {
      const { productVariant } = await admin.request(REWARD_VARIANT_PRICE_QUERY, {
        id: reward.productVariantId!,
      });
      if (!productVariant) return notMade("the reward's product variant no longer exists");
      unitPriceMinor = toMinorUnits(productVariant.price, currency);
      if (unitPriceMinor <= 0) return notMade("the reward's product variant is already free");
    }
    const plan = shopifyRequestFor(
      reward,
      {
        code: row.code ?? "",
        valueMinor: row.value_minor,
        startsAt: now.toISOString(),
        endsAt: new Date(row.expires_at!).toISOString(),
        unitPriceMinor,
      },
      request.customerId,
      currency,
    );
    // The four mutations' payloads, read alike: their errors and the id of what was made.
    type Payload = { userErrors: { message: string }[] } & Partial<
      Pick<NonNullable<RewardDiscountCreateMutation["discountCodeBasicCreate"]>, "codeDiscountNode"> &
        Pick<NonNullable<RewardAppDiscountCreateMutation["discountCodeAppCreate"]>, "codeAppDiscount"> &
        Pick<NonNullable<RewardStoreCreditMutation["storeCreditAccountCredit"]>, "storeCreditAccountTransaction">
    >;
    let payload: Payload | null | undefined;
    mutating = true;
    if (plan.mutation === "basic") {
      payload = (await admin.request(REWARD_DISCOUNT_CREATE, plan.variables)).discountCodeBasicCreate;
    } else if (plan.mutation === "freeShipping") {
      payload = (await admin.request(REWARD_FREE_SHIPPING_CREATE, plan.variables)).discountCodeFreeShippingCreate;
    } else if (plan.mutation === "app") {
      payload = (await admin.request(REWARD_APP_DISCOUNT_CREATE, plan.variables)).discountCodeAppCreate;
    } else {
      payload = (await admin.request(REWARD_STORE_CREDIT, plan.variables)).storeCreditAccountCredit;
    }
    if (!payload) return notMade("Shopify returned no result");
    if (payload.userErrors.length) return notMade(payload.userErrors.map((e) => e.message).join("; "));
    return {
      kind: "made",
      shopifyId: payload.codeDiscountNode?.id ?? payload.codeAppDiscount?.discountId ?? payload.storeCreditAccountTransaction?.id ?? null,
    };
  } catch (error) {
    const reason = (error as Error).message.slice(0, 300);
    return !mutating || certainlyNotApplied(error) ? notMade(reason) : { kind: "unknown", reason };
  }
}

export interface UnusedCode extends RedemptionView {
  rewardName: string;
}

/** The customer's codes that are issued and not yet used, cancelled or expired, newest first. */
export async function listUnusedCodesForCustomer(db: Db, shop: string, customerId: string): Promise<UnusedCode[]> {
  const rows = await db.query
    .selectFrom("redemptions as r")
    .innerJoin("members as m", (join) => join.onRef("m.id", "=", "r.member_id").onRef("m.shop", "=", "r.shop"))
    .innerJoin("rewards as w", (join) => join.onRef("w.id", "=", "r.reward_id").onRef("w.shop", "=", "r.shop"))
    .selectAll("r")
    .select("w.name as reward_name")
    .where("r.shop", "=", shop)
    .where("m.customer_id", "=", customerId)
    .where("r.status", "=", "issued")
    .where("r.code", "is not", null)
    .orderBy("r.id", "desc")
    .execute();
  return rows.map((row) => ({ ...view(row), rewardName: row.reward_name }));
}

export interface MemberRedemption extends RedemptionView {
  rewardName: string;
  createdAt: string;
}

/** A member's redemptions of every status, newest first: what support staff see on the customer page. */
export async function listRedemptionsForMember(db: Db, shop: string, memberId: number, limit = 20): Promise<MemberRedemption[]> {
  const rows = await db.query
    .selectFrom("redemptions as r")
    .innerJoin("rewards as w", (join) => join.onRef("w.id", "=", "r.reward_id").onRef("w.shop", "=", "r.shop"))
    .selectAll("r")
    .select("w.name as reward_name")
    .where("r.shop", "=", shop)
    .where("r.member_id", "=", memberId)
    .orderBy("r.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...view(row), rewardName: row.reward_name, createdAt: row.created_at }));
}
