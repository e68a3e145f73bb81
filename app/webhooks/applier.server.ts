import { isTransactionConflict } from "../db/dialect";
import { prepare } from "../db/prepared";
import type { Database, DbTransaction } from "../db/types";
import type { OfflineSessions } from "../shopify/offline-sessions.server";
import { keepDeadLetter } from "../models/dead-letters.server";
import { loadShopContext, type ShopContext } from "../models/shops.server";
import { permanentFailure, type PermanentFailure } from "./permanent-failures.server";
import { TOPIC_HANDLERS, type WebhookEvent } from "./topics.server";

/**
 * What became of one delivery. Only "failed" (transient: Shopify must send it again) makes the
 * endpoint answer non-2xx; "dead_lettered" is a permanent failure kept in dead_letters.
 */
export type ApplyOutcome =
  | { status: "applied"; result: unknown }
  | { status: "duplicate" }
  | { status: "ignored"; reason: string }
  | { status: "dead_lettered"; failure: PermanentFailure }
  | { status: "failed"; error: unknown };

export interface WebhookApplierOptions {
  db: Database;
  /** Shopify's session storage, for the topics that end or change the shop's sessions. */
  sessions: OfflineSessions;
  clock?: () => Date;
  /** Most deliveries applied in one transaction. */
  maxBatch?: number;
  /**
   * Batch transactions in flight at once. SQLite has one writer: 1. On PostgreSQL several
   * (4 by default, below the pool's 10 connections), each on its own connection, so one batch's
   * round trips overlap another's instead of queueing behind them.
   */
  concurrentBatches?: number;
  onError?: (error: unknown, event: WebhookEvent) => void;
}

/**
 * Applies one delivery inside the caller's transaction. Throws when it cannot be applied.
 * `shops` memoises each shop's context for the length of one transaction; topics that change
 * the shop itself (uninstall, redact, scopes) drop its entry.
 */
const insertReceipt = prepare((q, p: { webhookId: string; shop: string; topic: string; now: string }) =>
  q
    .insertInto("webhook_receipts")
    .values({ webhook_id: p.webhookId, shop: p.shop, topic: p.topic, received_at: p.now })
    .onConflict((conflict) => conflict.column("webhook_id").doNothing()),
);

const receiptExists = prepare((q, p: { webhookId: string }) => q.selectFrom("webhook_receipts").select("webhook_id").where("webhook_id", "=", p.webhookId));

export async function applyWebhookEvent(
  tx: DbTransaction,
  event: WebhookEvent,
  now: string,
  shops: Map<string, ShopContext> = new Map(),
): Promise<ApplyOutcome> {
  const handler = TOPIC_HANDLERS[event.topic];
  if (!handler) return { status: "ignored", reason: `topic ${event.topic} is not handled` };
  const changes = await insertReceipt.run(tx, { webhookId: event.webhookId, shop: event.shop, topic: event.topic, now });
  if (changes === 0) return { status: "duplicate" };
  let shop = shops.get(event.shop);
  if (!shop) {
    shop = await loadShopContext(tx, event.shop, { now: new Date(now) });
    shops.set(event.shop, shop);
  }
  if (!shop.installed && !handler.whenUninstalled) return { status: "ignored", reason: "shop is not installed" };
  if (handler.changesShop) shops.delete(event.shop);
  return { status: "applied", result: await handler.apply({ db: tx, shop, event, now }) };
}

/**
 * Group commit: deliveries that arrive while a transaction is being written wait and are then
 * applied together in the next one, each inside its own savepoint. Under load one commit serves
 * many webhooks; when idle a delivery is applied at once. Nobody hears "applied" before the
 * transaction holding their change has committed. If a whole batch fails to commit, its
 * deliveries are retried one transaction each, so one bad event cannot fail its neighbours.
 * Concurrent batches (PostgreSQL) take their row locks in one order (inLockOrder); a batch that
 * still deadlocks with another is rolled back whole and run again, so every delivery in it is
 * still applied exactly once.
 */
export function createWebhookApplier({
  db,
  sessions,
  clock = () => new Date(),
  maxBatch = 200,
  concurrentBatches = db.dialect === "postgres" ? 4 : 1,
  onError,
}: WebhookApplierOptions) {
  type Pending = { event: WebhookEvent; resolve: (outcome: ApplyOutcome) => void };
  let queue: Pending[] = [];
  let draining = 0;
  let starting = false;
  let batchSizes = { batches: 0, events: 0, conflicts: 0 };

  async function applyInSavepoint(tx: DbTransaction, event: WebhookEvent, now: string, shops: Map<string, ShopContext>): Promise<ApplyOutcome> {
    try {
      return await tx.savepoint(() => applyWebhookEvent(tx, event, now, shops));
    } catch (error) {
      // A deadlock is the whole transaction's: the locks its other deliveries hold are the cycle.
      if (isTransactionConflict(error)) throw error;
      shops.delete(event.shop);
      const failure = permanentFailure(error);
      if (failure) return keepAsDeadLetter(event, failure, (keep) => tx.savepoint(() => keep(tx)));
      onError?.(error, event);
      return { status: "failed", error };
    }
  }

  /**
   * A permanent failure is kept after its own savepoint was rolled back (its receipt with it),
   * in a savepoint of its own, or a transaction of its own outside a batch: answered 200 only
   * once that is committed, 5xx if it cannot be kept.
   */
  async function keepAsDeadLetter(
    event: WebhookEvent,
    failure: PermanentFailure,
    within: (keep: (tx: DbTransaction) => Promise<void>) => Promise<void>,
  ): Promise<ApplyOutcome> {
    try {
      await within((tx) => keepDeadLetter(tx, event, failure, clock().toISOString()));
      return { status: "dead_lettered", failure };
    } catch (error) {
      onError?.(error, event);
      return { status: "failed", error };
    }
  }

  const MAX_CONFLICT_RETRIES = 5;

  /**
   * Concurrent batches apply their deliveries in one lock order (TopicHandler.lockKey, then
   * webhook id). A lone writer, or a batch holding a topic with no lock key (an uninstall, say),
   * keeps arrival order.
   */
  const inLockOrder = (batch: Pending[]) => {
    if (concurrentBatches === 1 || batch.length === 1) return batch;
    const keyed: { pending: Pending; key: string }[] = [];
    for (const pending of batch) {
      const lockKey = TOPIC_HANDLERS[pending.event.topic]?.lockKey;
      if (!lockKey) return batch;
      keyed.push({ pending, key: `${lockKey(pending.event.payload)}:${pending.event.webhookId}` });
    }
    return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ pending }) => pending);
  };

  async function applyBatch(batch: Pending[], conflicts = 0): Promise<void> {
    const now = clock().toISOString();
    const ordered = inLockOrder(batch);
    try {
      const outcomes = await db.transaction(async (tx) => {
        const results: ApplyOutcome[] = [];
        const shops = new Map<string, ShopContext>();
        for (const { event } of ordered) results.push(await applyInSavepoint(tx, event, now, shops));
        return results;
      });
      ordered.forEach((pending, index) => pending.resolve(outcomes[index]));
    } catch (error) {
      if (isTransactionConflict(error) && conflicts < MAX_CONFLICT_RETRIES) {
        batchSizes = { ...batchSizes, conflicts: batchSizes.conflicts + 1 };
        return applyBatch(batch, conflicts + 1);
      }
      if (batch.length === 1) {
        onError?.(error, batch[0].event);
        batch[0].resolve({ status: "failed", error });
        return;
      }
      for (const pending of batch) await applyBatch([pending]);
    }
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        batchSizes = { ...batchSizes, batches: batchSizes.batches + 1, events: batchSizes.events + batch.length };
        await applyBatch(batch);
      }
    } finally {
      draining--;
    }
  }

  /**
   * Session storage is not in the database transaction (Prisma owns its connection), so a topic's
   * session change is made first: it is idempotent, and if it fails the delivery fails and
   * Shopify sends it again. A delivery already applied changes nothing.
   */
  async function changeSessions(event: WebhookEvent): Promise<ApplyOutcome | null> {
    const change = TOPIC_HANDLERS[event.topic]?.sessions;
    if (!change) return null;
    try {
      if (await receiptExists.first(db, { webhookId: event.webhookId })) return { status: "duplicate" };
      await change({ sessions, shop: event.shop, payload: event.payload });
      return null;
    } catch (error) {
      const failure = permanentFailure(error);
      if (failure) return keepAsDeadLetter(event, failure, (keep) => db.transaction(keep));
      onError?.(error, event);
      return { status: "failed", error };
    }
  }

  return {
    async apply(event: WebhookEvent): Promise<ApplyOutcome> {
      const answered = await changeSessions(event);
      if (answered) return answered;
      return new Promise((resolve) => {
        queue.push({ event, resolve });
        if (draining < concurrentBatches && !starting) {
          // Start on the next turn of the event loop, after every request already received in
          // this one has joined the queue: that is what makes a batch. (SQLite work is
          // synchronous, so nothing new is read from the sockets while a batch runs.) A drain
          // takes the next batch as soon as its last one has committed.
          starting = true;
          draining++;
          setImmediate(() => {
            starting = false;
            void drain();
          });
        }
      });
    },
    /** How many transactions and deliveries so far, and batches run again after a deadlock (for benchmarks and tests). */
    stats: () => ({ ...batchSizes }),
  };
}

export type WebhookApplier = ReturnType<typeof createWebhookApplier>;
