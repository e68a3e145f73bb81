import path from "node:path";

/** Where the app keeps its data, decided by DATABASE_URL. */
export type DatabaseTarget = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

/** The embedded default: a SQLite file under data/, nothing to start. */
export const DEFAULT_DATABASE_URL = "file:./data/loyalty.sqlite";

/**
 * Reads DATABASE_URL: `file:` paths are SQLite (relative to the working directory),
 * `postgres://` or `postgresql://` URLs are PostgreSQL.
 *
 * @example resolveDatabaseUrl("file:./data/dev.sqlite") // { kind: "sqlite", file: "/app/data/dev.sqlite" }
 */
export function resolveDatabaseUrl(url: string | undefined = process.env.DATABASE_URL, cwd: string = process.cwd()): DatabaseTarget {
  const value = (url ?? "").trim() || DEFAULT_DATABASE_URL;
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: "postgres", url: value };
  if (value.startsWith("file:")) {
    const file = value.slice("file:".length).replace(/\?.*$/, "");
    if (!file) throw new Error(`DATABASE_URL "${value}" names no file`);
    return { kind: "sqlite", file: file === ":memory:" ? file : path.resolve(cwd, file) };
  }
  throw new Error(`DATABASE_URL must be a SQLite "file:" URL or a "postgres://" URL, got "${value.replace(/\/\/[^@]*@/, "//***@")}"`);
}
