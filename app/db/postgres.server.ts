import pg from "pg";
import type { SqlEngine, SqlEngineTransaction, SqlExecutor, SqlValue } from "./types";

// Read back as the generated row types say: BIGINT (and COUNT/SUM) as numbers (every value we
// store fits a double exactly), TIMESTAMP(3) as UTC ISO text (Prisma writes UTC; node-pg would
// read local time), as SQLite reads them.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1114, (value) => new Date(`${value.replace(" ", "T")}Z`).toISOString());

const placeholderCache = new Map<string, string>();
const statementNames = new Map<string, string>();

/**
 * Each distinct statement text with parameters gets a name: node-pg then parses it once per
 * connection and PostgreSQL reuses its plan, instead of parsing and planning it on every
 * execution. (Text without parameters may hold several commands, which cannot be prepared.)
 */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) statementNames.set(sql, (name = `s${statementNames.size + 1}`));
  return name;
}

/** `?` placeholders become `$1, $2, ...`. Only hand-written engine SQL uses `?`; the query builder writes `$n` itself. */
export function toPostgresPlaceholders(sql: string): string {
  let converted = placeholderCache.get(sql);
  if (converted === undefined) {
    let index = 0;
    converted = sql.replace(/\?/g, () => `$${++index}`);
    placeholderCache.set(sql, converted);
  }
  return converted;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

const bind = (params: readonly SqlValue[]) => params.map((value) => (value instanceof Date ? value.toISOString() : value));

/** `before` runs ahead of every statement (a transaction's deferred BEGIN). */
function executorFor(client: Queryable, before?: () => Promise<void>): SqlExecutor {
  const execute = async <T>(sql: string, params: readonly SqlValue[] = []) => {
    await before?.();
    const text = toPostgresPlaceholders(sql);
    const result = await (params.length ? client.query({ name: statementName(text), text, values: bind(params) }) : client.query(text));
    return { rows: result.rows as T[], changes: result.rowCount ?? 0 };
  };
  return {
    dialect: "postgres",
    execute,
    all: async (sql, params) => (await execute(sql, params)).rows as never,
    get: async (sql, params) => (await execute(sql, params)).rows[0] as never,
    run: async (sql, params) => ({ changes: (await execute(sql, params)).changes }),
  };
}

export function openPostgres(url: string, poolSize = 10): SqlEngine {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // 57P01: the server ended an idle connection on purpose (shutdown, DROP DATABASE ... FORCE).
  pool.on("error", (error) => {
    if ((error as { code?: string }).code !== "57P01") console.error("postgres pool error", error);
  });
  return {
    ...executorFor(pool),
    async transaction<T>(fn: (tx: SqlEngineTransaction) => Promise<T>) {
      const client = await pool.connect();
      // BEGIN goes with the first statement when that is a SAVEPOINT (one simple query, one
      // round trip); before any other it is sent on its own.
      let begun = false;
      const begin = async () => {
        if (begun) return;
        begun = true;
        await client.query("BEGIN");
      };
      let savepoints = 0;
      // A savepoint that succeeded is released with the next SAVEPOINT, in the same round trip,
      // or by COMMIT: one round trip per savepoint instead of two.
      let unreleased: string | null = null;
      const tx: SqlEngineTransaction = {
        ...executorFor(client, begin),
        async savepoint<R>(inner: () => Promise<R>) {
          const name = `sp_${++savepoints}`;
          const opening = begun ? "" : "BEGIN; ";
          begun = true;
          await client.query(`${opening}${unreleased ? `RELEASE SAVEPOINT ${unreleased}; ` : ""}SAVEPOINT ${name}`);
          unreleased = null;
          try {
            const result = await inner();
            unreleased = name;
            return result;
          } catch (error) {
            // Savepoints made inside this one (released or not) go with it.
            unreleased = null;
            await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
            throw error;
          }
        },
      };
      try {
        const result = await fn(tx);
        if (begun) await client.query("COMMIT");
        return result;
      } catch (error) {
        if (begun) await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
