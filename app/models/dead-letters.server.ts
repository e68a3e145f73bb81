import { sql } from "kysely";
import type { Db } from "../db/types";
import { ok, refused, type Ok, type Refused } from "../domain/result";
import type { ApplyOutcome } from "../webhooks/applier.server";
import { resourceId } from "../webhooks/payloads";
import type { PermanentFailure, PermanentFailureReason } from "../webhooks/permanent-failures.server";
import type { WebhookEvent } from "../webhooks/topics.server";

// Deliveries that can never be applied as they are (see app/webhooks/permanent-failures.server.ts).
// Idempotency: a dead letter has no webhook receipt (the failed savepoint took it back), so
// replaying it goes through the applier like a first delivery and the receipt's unique key lets it
// apply exactly once, even against a concurrent redelivery of the original.

/** How a dead letter was resolved. */
export type DeadLetterResolution = "replayed" | "dismissed";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The Shopify customer a payload is about, where it names one (orders, customers, compliance requests). */
export function customerNamedBy(topic: string, payload: unknown): string | null {
  if (!isObject(payload)) return null;
  if (isObject(payload.customer)) return resourceId(payload.customer);
  return topic.startsWith("customers/") ? resourceId(payload) : null;
}

/**
 * Keeps a delivery that failed permanently; a redelivery of the same webhook id counts one more
 * attempt with its latest reason and adds no row. Throws when the id is kept for another shop.
 */
export async function keepDeadLetter(db: Db, event: WebhookEvent, failure: PermanentFailure, now: string): Promise<void> {
  const result = await db.query
    .insertInto("dead_letters")
    .values({
      shop: event.shop,
      webhook_id: event.webhookId,
      topic: event.topic,
      payload: JSON.stringify(event.payload),
      customer_id: customerNamedBy(event.topic, event.payload),
      reason: failure.reason,
      message: failure.message.slice(0, 1000),
      attempts: 1,
      received_at: now,
      last_attempt_at: now,
    })
    .onConflict((conflict) =>
      conflict
        .column("webhook_id")
        .doUpdateSet((eb) => ({
          attempts: eb("dead_letters.attempts", "+", 1),
          reason: eb.ref("excluded.reason"),
          message: eb.ref("excluded.message"),
          last_attempt_at: eb.ref("excluded.last_attempt_at"),
        }))
        .whereRef("dead_letters.shop", "=", "excluded.shop"),
    )
    .executeTakeFirst();
  if (result.numInsertedOrUpdatedRows === 0n) {
    throw new Error(`webhook ${event.webhookId} is kept as another shop's dead letter`);
  }
}

/** One dead letter as the admin page shows it. */
export interface DeadLetterSummary {
  id: number;
  topic: string;
  reason: PermanentFailureReason;
  message: string;
  attempts: number;
  receivedAt: string;
  lastAttemptAt: string;
  resolvedAt: string | null;
  resolution: DeadLetterResolution | null;
  /** The payload's first characters. */
  payloadExcerpt: string;
}

const EXCERPT_CHARS = 300;

/** The shop's dead letters: unresolved first, then the most recently resolved, newest first within each. */
export async function listDeadLetters(db: Db, shop: string, limit = 100): Promise<DeadLetterSummary[]> {
  // A duplicate of the delivery that arrived after the cause was fixed applied it without a
  // replay: its receipt says so, and the row counts as replayed then.
  const rows = await db.query
    .selectFrom("dead_letters")
    .leftJoin("webhook_receipts as receipt", "receipt.webhook_id", "dead_letters.webhook_id")
    .select([
      "dead_letters.id",
      "dead_letters.topic",
      "dead_letters.reason",
      "dead_letters.message",
      "dead_letters.attempts",
      "dead_letters.received_at",
      "dead_letters.last_attempt_at",
      "dead_letters.resolved_at",
      "dead_letters.resolution",
      "receipt.received_at as applied_at",
      sql<string>`substr(${sql.ref("dead_letters.payload")}, 1, ${EXCERPT_CHARS})`.as("excerpt"),
    ])
    .where("dead_letters.shop", "=", shop)
    .orderBy(sql`CASE WHEN ${sql.ref("dead_letters.resolved_at")} IS NULL AND ${sql.ref("receipt.received_at")} IS NULL THEN 0 ELSE 1 END`)
    .orderBy("dead_letters.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    reason: row.reason as PermanentFailureReason,
    message: row.message,
    attempts: row.attempts,
    receivedAt: row.received_at,
    lastAttemptAt: row.last_attempt_at,
    resolvedAt: row.resolved_at ?? row.applied_at,
    resolution: (row.resolution ?? (row.applied_at ? "replayed" : null)) as DeadLetterResolution | null,
    payloadExcerpt: row.excerpt,
  }));
}

export async function countUnresolvedDeadLetters(db: Db, shop: string): Promise<number> {
  const row = await db.query
    .selectFrom("dead_letters")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("shop", "=", shop)
    .where("resolved_at", "is", null)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("webhook_receipts").select("webhook_id").whereRef("webhook_receipts.webhook_id", "=", "dead_letters.webhook_id"))),
    )
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

async function resolve(db: Db, shop: string, id: number, resolution: DeadLetterResolution, now: string): Promise<boolean> {
  const result = await db.query
    .updateTable("dead_letters")
    .set({ resolved_at: now, resolution })
    .where("shop", "=", shop)
    .where("id", "=", id)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type DismissResult = Ok | Refused<"not_found">;

/** The merchant decides the delivery is not to be applied. Its row stays, marked dismissed. */
export async function dismissDeadLetter(db: Db, shop: string, id: number, now: string): Promise<DismissResult> {
  return (await resolve(db, shop, id, "dismissed", now)) ? ok({}) : refused("not_found");
}

export type ReplayResult =
  /** applied: the delivery took effect now; already_applied: a redelivery of it had been applied before. */
  | Ok<{ outcome: "applied" | "already_applied" }>
  | Refused<"not_found">
  | Refused<"still_failing", { failure: PermanentFailure }>
  /** A transient failure (database, network): nothing changed, try again. */
  | Refused<"not_applied_now">;

/**
 * Applies a kept delivery again through the webhook applier (the same path as a delivery from
 * Shopify), as the shop's own event. Applied: marked replayed. Still failing permanently: the
 * applier has counted the attempt and its reason. If marking it replayed fails after it applied,
 * the next replay finds the receipt (already_applied) and marks it then; nothing applies twice.
 */
export async function replayDeadLetter(
  db: Db,
  apply: (event: WebhookEvent) => Promise<ApplyOutcome>,
  shop: string,
  id: number,
  now: string,
): Promise<ReplayResult> {
  const row = await db.query
    .selectFrom("dead_letters")
    .select(["webhook_id", "topic", "payload"])
    .where("shop", "=", shop)
    .where("id", "=", id)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  if (!row) return refused("not_found");
  const outcome = await apply({ webhookId: row.webhook_id, topic: row.topic, shop, payload: JSON.parse(row.payload) });
  switch (outcome.status) {
    case "dead_lettered":
      return refused("still_failing", { failure: outcome.failure });
    case "failed":
      return refused("not_applied_now");
    default:
      await resolve(db, shop, id, "replayed", now);
      return ok({ outcome: outcome.status === "duplicate" ? "already_applied" : "applied" });
  }
}

/** customers/data_request: the deliveries kept that name the customer, their payloads as Shopify sent them. */
export async function deadLettersOfCustomer(db: Db, shop: string, customerId: string) {
  const rows = await db.query
    .selectFrom("dead_letters")
    .select(["topic", "received_at", "reason", "payload"])
    .where("shop", "=", shop)
    .where("customer_id", "=", customerId)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) as unknown }));
}

/** customers/redact: the customer's kept payloads are their personal data, and go. */
export async function deleteDeadLettersOfCustomer(db: Db, shop: string, customerId: string): Promise<void> {
  await db.query.deleteFrom("dead_letters").where("shop", "=", shop).where("customer_id", "=", customerId).execute();
}
