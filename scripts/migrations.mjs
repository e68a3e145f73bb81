// The app's migrations as SQL scripts, oldest first, for code that builds a database without
// Prisma's migrate engine (the tests and the benchmarks). Prisma writes them: prisma/migrations
// for SQLite, prisma/postgres/migrations for PostgreSQL.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * @param {"sqlite" | "postgres"} dialect
 * @returns {string[]}
 */
export function migrationScripts(dialect) {
  const dir = path.join(root, dialect === "sqlite" ? "prisma/migrations" : "prisma/postgres/migrations");
  return fs
    .readdirSync(dir)
    .filter((name) => /^\d/.test(name))
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
}
