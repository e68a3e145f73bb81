import { resolveDatabaseUrl } from "./database-url";
import { openPostgres } from "./postgres.server";
import { openSqlite } from "./sqlite.server";
import type { SqlDatabase } from "./types";

/** Opens the database DATABASE_URL names (SQLite file by default). */
export function openDatabase(url?: string): SqlDatabase {
  const target = resolveDatabaseUrl(url);
  return target.kind === "postgres" ? openPostgres(target.url) : openSqlite(target.file);
}

/** SQLite and PostgreSQL name a unique-key violation differently. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** Timestamps are bound as ISO-8601 text, which both databases (and Prisma's adapters) read back. */
export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}
