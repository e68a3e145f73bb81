import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { SqlDatabase, SqlTransaction, SqlValue } from "./types";

type Statement = Database.Statement;

/**
 * SQLite through better-sqlite3: one connection, WAL, a single writer. Transactions are
 * serialised in-process (the callback is async, the driver is not) and start with
 * BEGIN IMMEDIATE so a second process waits on busy_timeout instead of failing mid-way.
 */
export function openSqlite(file: string): SqlDatabase {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const connection = new Database(file);
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("busy_timeout = 5000");
  connection.pragma("foreign_keys = ON");

  const statements = new Map<string, Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const executor = {
    dialect: "sqlite" as const,
    async all<T>(sql: string, params: SqlValue[] = []) {
      return prepare(sql).all(...params) as T[];
    },
    async get<T>(sql: string, params: SqlValue[] = []) {
      return prepare(sql).get(...params) as T | undefined;
    },
    async run(sql: string, params: SqlValue[] = []) {
      const statement = prepare(sql);
      if (!statement.reader) return { changes: statement.run(...params).changes };
      statement.all(...params);
      return { changes: 0 };
    },
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

  const tx: SqlTransaction = {
    ...executor,
    doneInTransaction: new Set<string>(),
    async savepoint<T>(fn: () => Promise<T>) {
      // Savepoints are prepared once per nesting depth: one is opened per webhook under load.
      const depth = ++savepoints;
      const [open, release, rollback] = savepointStatements(depth);
      open.run();
      try {
        const result = await fn();
        release.run();
        return result;
      } catch (error) {
        rollback.run();
        release.run();
        tx.doneInTransaction.clear();
        throw error;
      } finally {
        savepoints--;
      }
    },
  };

  const savepointCache: Statement[][] = [];
  const savepointStatements = (depth: number) =>
    (savepointCache[depth] ??= [
      connection.prepare(`SAVEPOINT sp_${depth}`),
      connection.prepare(`RELEASE sp_${depth}`),
      connection.prepare(`ROLLBACK TO sp_${depth}`),
    ]);

  // Statements outside a transaction run at once unless one is open on this connection, in
  // which case they wait for it: otherwise they would see or join its uncommitted writes.
  const outside = <K extends "all" | "get" | "run">(method: K) =>
    ((sql: string, params?: SqlValue[]) =>
      open
        ? whenIdle(() => (executor[method] as (s: string, p?: SqlValue[]) => Promise<unknown>)(sql, params))
        : (executor[method] as (s: string, p?: SqlValue[]) => Promise<unknown>)(sql, params)) as (typeof executor)[K];

  return {
    dialect: "sqlite",
    all: outside("all"),
    get: outside("get"),
    run: outside("run"),
    transaction<T>(fn: (tx: SqlTransaction) => Promise<T>) {
      return whenIdle(async () => {
        open = true;
        tx.doneInTransaction.clear();
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
