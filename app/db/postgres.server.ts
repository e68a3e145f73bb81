import pg from "pg";
import type { SqlEngine, SqlEngineTransaction, SqlExecutor, SqlValue } from "./types";

// Read back as the generated row types say: BIGINT (and COUNT/SUM) as numbers (every value we
// store fits a double exactly), TIMESTAMP(3) as UTC ISO text (Prisma writes UTC; node-pg would
// read local time), as SQLite reads them.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1114, (value) => new Date(`${value.replace(" ", "T")}Z`).toISOString());

const placeholderCache = new Map<string, string>();

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

function executorFor(client: Queryable): SqlExecutor {
  const execute = async <T>(sql: string, params: readonly SqlValue[] = []) => {
    const result = await client.query(toPostgresPlaceholders(sql), bind(params));
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
      let savepoints = 0;
      const tx: SqlEngineTransaction = {
        ...executorFor(client),
        async savepoint<R>(inner: () => Promise<R>) {
          const name = `sp_${++savepoints}`;
          await client.query(`SAVEPOINT ${name}`);
          try {
            const result = await inner();
            await client.query(`RELEASE SAVEPOINT ${name}`);
            return result;
          } catch (error) {
            await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
            throw error;
          }
        },
      };
      try {
        await client.query("BEGIN");
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
