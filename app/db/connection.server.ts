import { resolveDatabaseUrl } from "./database-url";
import { openPostgres } from "./postgres.server";
import { openSqlite } from "./sqlite.server";
import type { SqlDatabase } from "./types";

/** Opens the database DATABASE_URL names (SQLite file by default). */
export function openDatabase(url?: string): SqlDatabase {
  const target = resolveDatabaseUrl(url);
  return target.kind === "postgres" ? openPostgres(target.url) : openSqlite(target.file);
}
