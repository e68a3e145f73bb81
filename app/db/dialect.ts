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
