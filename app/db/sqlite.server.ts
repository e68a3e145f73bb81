import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { SqlEngine, SqlEngineTransaction, SqlExecutor, SqlValue } from "./types";

/** A prepared statement with what its rows need to read as the generated row types say. */
interface CachedStatement {
  statement: Database.Statement;
  /** Result columns declared BOOLEAN (SQLite returns 0/1) and DATETIME (Prisma may write epoch ms). */
  booleans: string[];
  timestamps: string[];
}

const bind = (params: readonly SqlValue[]) =>
  params.map((value) => (typeof value === "boolean" ? (value ? 1 : 0) : value instanceof Date ? value.toISOString() : value));

function normalise(rows: Record<string, unknown>[], { booleans, timestamps }: CachedStatement) {
  if (booleans.length === 0 && timestamps.length === 0) return rows;
  for (const row of rows) {
    for (const column of booleans) if (typeof row[column] === "number") row[column] = row[column] !== 0;
    for (const column of timestamps) if (typeof row[column] === "number") row[column] = new Date(row[column] as number).toISOString();
  }
  return rows;
}

/**
 * SQLite through better-sqlite3: one connection, WAL, a single writer. Transactions are
 * serialised in-process (the callback is async, the driver is not) and start with
 * BEGIN IMMEDIATE so a second process waits on busy_timeout instead of failing mid-way.
 */
export function openSqlite(file: string): SqlEngine {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const connection = new Database(file);
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("busy_timeout = 5000");
  connection.pragma("foreign_keys = ON");

  const statements = new Map<string, CachedStatement>();
  const prepare = (sql: string) => {
    let cached = statements.get(sql);
    if (!cached) {
      const statement = connection.prepare(sql);
      const columns = statement.reader ? statement.columns() : [];
      const declared = (type: string) => columns.filter((c) => c.type?.toUpperCase() === type).map((c) => c.name);
      cached = { statement, booleans: declared("BOOLEAN"), timestamps: declared("DATETIME") };
      statements.set(sql, cached);
    }
    return cached;
  };

  const execute = async <T>(sql: string, params: readonly SqlValue[] = []) => {
    const cached = prepare(sql);
    if (cached.statement.reader) {
      const rows = normalise(cached.statement.all(...bind(params)) as Record<string, unknown>[], cached) as T[];
      return { rows, changes: rows.length };
    }
    return { rows: [] as T[], changes: cached.statement.run(...bind(params)).changes };
  };
  const executor: SqlExecutor = {
    dialect: "sqlite",
    execute,
    all: async (sql, params) => (await execute(sql, params)).rows as never,
    get: async (sql, params) => (await execute(sql, params)).rows[0] as never,
    run: async (sql, params) => ({ changes: (await execute(sql, params)).changes }),
  };

  // The tail of the queue of transactions (and of statements that arrive while one is open).
  let tail: Promise<unknown> = Promise.resolve();
  let open = false;
  let savepoints = 0;

  const whenIdle = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };

  const savepointCache: Database.Statement[][] = [];
  const savepointStatements = (depth: number) =>
    (savepointCache[depth] ??= [
      connection.prepare(`SAVEPOINT sp_${depth}`),
      connection.prepare(`RELEASE sp_${depth}`),
      connection.prepare(`ROLLBACK TO sp_${depth}`),
    ]);

  const tx: SqlEngineTransaction = {
    ...executor,
    async savepoint<T>(fn: () => Promise<T>) {
      // Savepoints are prepared once per nesting depth: one is opened per webhook under load.
      const depth = ++savepoints;
      const [begin, release, rollback] = savepointStatements(depth);
      begin.run();
      try {
        const result = await fn();
        release.run();
        return result;
      } catch (error) {
        rollback.run();
        release.run();
        throw error;
      } finally {
        savepoints--;
      }
    },
  };

  // Statements outside a transaction run at once unless one is open on this connection, in
  // which case they wait for it: otherwise they would see or join its uncommitted writes.
  const outside = <T>(sql: string, params?: readonly SqlValue[]) => (open ? whenIdle(() => execute<T>(sql, params)) : execute<T>(sql, params));

  return {
    dialect: "sqlite",
    execute: outside,
    all: async (sql, params) => (await outside(sql, params)).rows as never,
    get: async (sql, params) => (await outside(sql, params)).rows[0] as never,
    run: async (sql, params) => ({ changes: (await outside(sql, params)).changes }),
    transaction<T>(fn: (tx: SqlEngineTransaction) => Promise<T>) {
      return whenIdle(async () => {
        open = true;
        connection.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(tx);
          connection.exec("COMMIT");
          return result;
        } catch (error) {
          if (connection.inTransaction) connection.exec("ROLLBACK");
          throw error;
        } finally {
          open = false;
        }
      });
    },
    async close() {
      await tail;
      connection.close();
    },
  };
}
