import type { Kysely } from "kysely";
import type { DB } from "./generated/tables";

export type { DB };
export type Dialect = "sqlite" | "postgres";

/** A value bound to a statement. Booleans and dates are converted for the dialect in one place (the engines). */
export type SqlValue = string | number | boolean | Date | null;

/**
 * Untyped SQL, the engine beneath the typed layer. App code never writes SQL strings (ESLint
 * forbids `.raw` outside app/db); tests use it to check invariants independently of the app.
 */
export interface SqlExecutor {
  readonly dialect: Dialect;
  /** Rows (for statements that return them) and the number of rows changed. */
  execute<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<{ rows: T[]; changes: number }>;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

/**
 * What every model takes: the typed query builder bound to this connection or transaction.
 *
 * @example await db.query.selectFrom("members").select("balance").where("id", "=", 7).executeTakeFirst()
 */
export interface Db {
  readonly dialect: Dialect;
  readonly query: Kysely<DB>;
  /** The engine, for app/db itself and for tests. */
  readonly raw: SqlExecutor;
}

export interface DbTransaction extends Db {
  /**
   * Work done once per transaction however many events ask for it, just before COMMIT (the first
   * `work` given for a key is kept). A coalescing job re-arm goes here: its row is locked only for
   * the commit, not for the whole batch, so concurrent transactions do not queue behind it. It
   * runs even if the savepoint that asked for it rolled back, so it must be harmless to do once more.
   *
   * @example tx.beforeCommit(`metafields:${shop}`, () => rearmJob(tx, job))
   */
  beforeCommit(key: string, work: () => Promise<void>): void;
  /** Runs fn inside a savepoint: if fn throws, only its own writes are undone. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}

export interface Database extends Db {
  /** One database transaction; committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: DbTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What a database engine (SQLite or PostgreSQL driver) provides; app/db wraps it in the typed layer. */
export interface SqlEngine extends SqlExecutor {
  transaction<T>(fn: (tx: SqlEngineTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SqlEngineTransaction extends SqlExecutor {
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}
