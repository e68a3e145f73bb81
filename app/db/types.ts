/** A value the SQL layer binds: strings, finite numbers, null. Booleans are bound as 1/0. */
export type SqlValue = string | number | null;

/**
 * The statements every executor runs. SQL is written once with `?` placeholders in the subset
 * SQLite and PostgreSQL share (ON CONFLICT, RETURNING, double-quoted identifiers).
 *
 * @example await db.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "id" = ?', [7])
 */
export interface SqlExecutor {
  readonly dialect: "sqlite" | "postgres";
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: SqlValue[]): Promise<{ changes: number }>;
}

export interface SqlTransaction extends SqlExecutor {
  /**
   * Facts about work already done in this transaction, for work that needs doing once per
   * transaction however many events ask for it. Emptied when a savepoint rolls back.
   */
  readonly doneInTransaction: Set<string>;
  /** Runs fn inside a savepoint: if fn throws, only its own writes are undone. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}

export interface SqlDatabase extends SqlExecutor {
  /** One database transaction; committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
