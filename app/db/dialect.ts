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

/**
 * Rows of whole numbers as a table to join, for updating many rows each with its own values in one
 * statement: its columns are column1, column2, ... (both databases name a VALUES list's columns
 * so); each value is cast, since PostgreSQL would otherwise read untyped parameters as text.
 *
 * @example db.query.updateTable("members").from(integerRows<{ column1: number; column2: number }>([[7, 120]], "totals"))
 */
export function integerRows<Row, Alias extends string>(rows: readonly (readonly number[])[], alias: Alias) {
  const values = rows.map((row) => sql`(${sql.join(row.map((value) => sql`CAST(${value} AS BIGINT)`))})`);
  return sql<Row>`(VALUES ${sql.join(values)})`.as<Alias>(alias);
}
