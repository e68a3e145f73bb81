import { DummyDriver, Kysely, type Compilable, type InferResult } from "kysely";
import { kyselyDialect } from "./connection.server";
import type { DB, Db, Dialect, SqlValue } from "./types";

// Statements on the hot paths (every webhook, every shopper read) are built with the query
// builder like any other, but compiled once per dialect instead of on every call: building and
// compiling a query costs more than SQLite takes to run it.

const compilers: Record<Dialect, Kysely<DB>> = {
  sqlite: new Kysely<DB>({ dialect: kyselyDialect("sqlite", new DummyDriver()) }),
  postgres: new Kysely<DB>({ dialect: kyselyDialect("postgres", new DummyDriver()) }),
};

const MARK = "\u0000param:";

type Slot = { name: string } | { value: unknown };
type Row<Q> = Q extends Compilable<unknown> ? (InferResult<Q> extends (infer R)[] ? R : never) : never;

/**
 * A statement built once with named parameters, compiled once per dialect.
 *
 * @example
 * const balanceOf = prepare((q, p: { id: number }) => q.selectFrom("members").select("balance").where("id", "=", p.id));
 * const row = await balanceOf.first(db, { id: 7 }); // { balance: number } | undefined
 */
export function prepare<P extends Record<string, SqlValue>, Q extends Compilable<unknown>>(build: (q: Kysely<DB>, p: P, dialect: Dialect) => Q) {
  const compiled: Partial<Record<Dialect, { sql: string; slots: Slot[] }>> = {};
  const compile = (dialect: Dialect) => {
    let statement = compiled[dialect];
    if (!statement) {
      // Each parameter is a marker while compiling; where it lands in the parameter list is where its value goes.
      const markers = new Proxy({}, { get: (_, name) => `${MARK}${String(name)}` }) as P;
      const { sql, parameters } = build(compilers[dialect], markers, dialect).compile();
      const slots = parameters.map((value): Slot => (typeof value === "string" && value.startsWith(MARK) ? { name: value.slice(MARK.length) } : { value }));
      statement = compiled[dialect] = { sql, slots };
    }
    return statement;
  };
  const execute = (db: Db, params: P) => {
    const { sql, slots } = compile(db.dialect);
    const values = slots.map((slot) => ("name" in slot ? params[slot.name] : slot.value) as SqlValue);
    return db.raw.execute<Row<Q>>(sql, values);
  };
  return {
    async all(db: Db, params: P): Promise<Row<Q>[]> {
      return (await execute(db, params)).rows;
    },
    async first(db: Db, params: P): Promise<Row<Q> | undefined> {
      return (await execute(db, params)).rows[0];
    },
    /** The number of rows the statement changed (or returned). */
    async run(db: Db, params: P): Promise<number> {
      return (await execute(db, params)).changes;
    },
  };
}
