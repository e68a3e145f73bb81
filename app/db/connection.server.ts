import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type QueryResult,
} from "kysely";
import { resolveDatabaseUrl } from "./database-url";
import { openPostgres } from "./postgres.server";
import { openSqlite } from "./sqlite.server";
import type { Database, DB, Db, DbTransaction, Dialect, SqlEngine, SqlExecutor, SqlValue } from "./types";

/**
 * Kysely's driver over one of our executors (the engine itself, or one open transaction). The
 * engines own connections, statement caches, transactions and savepoints; Kysely builds and
 * types the SQL. Its own transactions are not used: `db.transaction()` is.
 */
class ExecutorDriver implements Driver {
  constructor(private readonly executor: SqlExecutor) {}
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const { executor } = this;
    return {
      async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
        const { rows, changes } = await executor.execute<R>(compiled.sql, compiled.parameters as readonly SqlValue[]);
        return compiled.query.kind === "SelectQueryNode" ? { rows } : { rows, numAffectedRows: BigInt(changes) };
      },
      streamQuery() {
        throw new Error("streaming is not supported by this driver");
      },
    };
  }
  async beginTransaction(): Promise<void> {
    throw new Error("use db.transaction(), not Kysely's transaction()");
  }
  async commitTransaction() {}
  async rollbackTransaction() {}
  async releaseConnection() {}
  async destroy() {}
}

/** Kysely's adapter, introspector and compiler for the dialect, over the given driver. */
export function kyselyDialect(dialect: Dialect, driver: Driver): KyselyDialect {
  return dialect === "postgres"
    ? {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => driver,
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      }
    : {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => driver,
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      };
}

/** A typed query builder whose queries run on `executor`. */
export function queryBuilderFor(executor: SqlExecutor): Kysely<DB> {
  return new Kysely<DB>({ dialect: kyselyDialect(executor.dialect, new ExecutorDriver(executor)) });
}

/** The typed layer over an engine: what the app and the tests pass around. */
export function typedDatabase(engine: SqlEngine): Database {
  const db: Db = { dialect: engine.dialect, query: queryBuilderFor(engine), raw: engine };
  return {
    ...db,
    transaction<T>(fn: (tx: DbTransaction) => Promise<T>) {
      return engine.transaction(async (engineTx) => {
        const beforeCommit = new Map<string, () => Promise<void>>();
        let query: Kysely<DB> | undefined;
        const tx: DbTransaction = {
          dialect: engine.dialect,
          // Built on first use: a webhook batch runs prepared statements only.
          get query() {
            return (query ??= queryBuilderFor(engineTx));
          },
          raw: engineTx,
          beforeCommit(key, work) {
            if (!beforeCommit.has(key)) beforeCommit.set(key, work);
          },
          savepoint: (inner) => engineTx.savepoint(inner),
        };
        const result = await fn(tx);
        for (const work of beforeCommit.values()) await work();
        return result;
      });
    },
    close: () => engine.close(),
  };
}

/** Opens the database DATABASE_URL names (SQLite file by default). */
export function openDatabase(url?: string, { poolSize }: { poolSize?: number } = {}): Database {
  const target = resolveDatabaseUrl(url);
  return typedDatabase(target.kind === "postgres" ? openPostgres(target.url, poolSize) : openSqlite(target.file));
}
