import { sql } from "kysely";
import type { Dialect } from "./types";

// The few places where SQLite and PostgreSQL differ in what a query must say. (Upserts, RETURNING,
// booleans, timestamps and BIGINT reads are the same on both through app/db.)

interface Lockable<T> {
  forUpdate(): T;
  skipLocked(): T;
}

/**
 * The row is locked until the transaction ends. On PostgreSQL: FOR UPDATE, so two transactions
 * touching one member or order serialise; SQLite has a single writer (BEGIN IMMEDIATE) already.
 */
export function lockedForUpdate<T extends Lockable<T>>(dialect: Dialect, query: T): T {
  return dialect === "postgres" ? query.forUpdate() : query;
}

/** Rows another transaction holds are skipped (job claims across app instances); SQLite's single writer needs nothing. */
export function lockedSkippingLocked<T extends Lockable<T>>(dialect: Dialect, query: T): T {
  return dialect === "postgres" ? query.forUpdate().skipLocked() : query;
}

/**
 * The transaction lost a race with a concurrent one: a deadlock (40P01) or a serialization
 * failure (40001) on PostgreSQL. Rolled back, it may simply be run again. SQLite's single
 * writer never deadlocks.
 */
export function isTransactionConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40P01" || code === "40001";
}

/**
 * Whether one upsert can create a row or lock the one that exists and say which it did: on
 * PostgreSQL `INSERT ... ON CONFLICT DO UPDATE` locks the row it meets (as FOR UPDATE would),
 * and `upsertInserted` reads true in its RETURNING for a row it inserted. SQLite cannot tell
 * the two apart in one statement; there an insert and a read cost microseconds and its single
 * writer needs no lock.
 */
export const upsertLocksAndTells = (dialect: Dialect) => dialect === "postgres";

/** PostgreSQL: a row version this statement inserted has no xmax (see upsertLocksAndTells). */
export const upsertInserted = sql<boolean>`(xmax = 0)`;
