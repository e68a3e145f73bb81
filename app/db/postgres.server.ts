import pg from "pg";
import type { SqlDatabase, SqlExecutor, SqlTransaction, SqlValue } from "./types";

// COUNT and SUM come back as int8; every value we sum fits a double exactly.
pg.types.setTypeParser(20, (value) => Number(value));
// TIMESTAMP(3) columns hold UTC (as Prisma writes them); node-pg would read them as local time.
pg.types.setTypeParser(1114, (value) => new Date(`${value.replace(" ", "T")}Z`));

const placeholderCache = new Map<string, string>();

/** `?` placeholders become `$1, $2, ...`. The SQL we write has no `?` inside literals. */
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

function executorFor(client: Queryable): SqlExecutor {
  return {
    dialect: "postgres",
    async all<T>(sql: string, params: SqlValue[] = []) {
      return (await client.query(toPostgresPlaceholders(sql), params)).rows as T[];
    },
    async get<T>(sql: string, params: SqlValue[] = []) {
      return (await client.query(toPostgresPlaceholders(sql), params)).rows[0] as T | undefined;
    },
    async run(sql: string, params: SqlValue[] = []) {
      return { changes: (await client.query(toPostgresPlaceholders(sql), params)).rowCount ?? 0 };
    },
  };
}

export function openPostgres(url: string, poolSize = 10): SqlDatabase {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // 57P01: the server ended an idle connection on purpose (shutdown, DROP DATABASE ... FORCE).
  pool.on("error", (error) => {
    if ((error as { code?: string }).code !== "57P01") console.error("postgres pool error", error);
  });
  return {
    ...executorFor(pool),
    async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>) {
      const client = await pool.connect();
      let savepoints = 0;
      const tx: SqlTransaction = {
        ...executorFor(client),
        doneInTransaction: new Set<string>(),
        async savepoint<R>(inner: () => Promise<R>) {
          const name = `sp_${++savepoints}`;
          await client.query(`SAVEPOINT ${name}`);
          try {
            const result = await inner();
            await client.query(`RELEASE SAVEPOINT ${name}`);
            return result;
          } catch (error) {
            await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
            tx.doneInTransaction.clear();
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
