#!/usr/bin/env node
// Runs the Prisma CLI offline for whichever database DATABASE_URL names.
//
//   node scripts/prisma.mjs generate          PostgreSQL schema from prisma/schema.prisma, then both clients
//   node scripts/prisma.mjs deploy            apply prisma[/postgres]/migrations to DATABASE_URL
//   node scripts/prisma.mjs migration NAME    write a new migration for SQLite and PostgreSQL from the schema change
//   node scripts/prisma.mjs <prisma args...>  anything else, passed through
//
// Prisma's CLI looks for native engines at start-up and would try to download them; pointing the
// engine variables at an existing file keeps it offline while the WASM engines do the work.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");
const env = {
  ...process.env,
  // Generators named by package (prisma-kysely) are found on PATH, as under `npm run`.
  PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
  // The schema names env("DATABASE_URL"); prisma.config.ts reads the same default.
  DATABASE_URL: process.env.DATABASE_URL || "file:./data/loyalty.sqlite",
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY || process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};

function prisma(args, extraEnv = {}, capture = false) {
  const result = spawnSync(process.execPath, [prismaBin, ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  return result.stdout;
}

const sqliteSchema = path.join(root, "prisma", "schema.prisma");
const postgresSchema = path.join(root, "prisma", "postgres", "schema.prisma");

/** The PostgreSQL schema is the SQLite one with another provider and client output. */
export function postgresSchemaText(sqliteText) {
  const body = sqliteText
    .replace(/provider = "sqlite"/, 'provider = "postgresql"')
    .replace('output     = "../node_modules/@loyalty-app/prisma-sqlite"', 'output     = "../../node_modules/@loyalty-app/prisma-postgres"')
    // One set of row types (app/db/generated), written from the SQLite schema: both databases read back the same types.
    .replace(/\n(\/\/[^\n]*\n)*generator kysely \{[^}]*\}\n/, "\n");
  return `// GENERATED from prisma/schema.prisma by scripts/prisma.mjs: edit that file, then run \`npm run prisma generate\`.\n${body}`;
}

function writePostgresSchema() {
  fs.mkdirSync(path.dirname(postgresSchema), { recursive: true });
  const text = postgresSchemaText(fs.readFileSync(sqliteSchema, "utf8"));
  if (!fs.existsSync(postgresSchema) || fs.readFileSync(postgresSchema, "utf8") !== text) {
    fs.writeFileSync(postgresSchema, text);
  }
}

// What the schema was when the newest migration was written: new migrations are the diff from it.
const snapshot = path.join(root, "prisma", "migrations", "schema-at-last-migration.prisma");

/**
 * Writes a migration for both databases from the change to prisma/schema.prisma since the last
 * one. (Prisma's --from-migrations cannot replay migrations through the WASM engine: its SQLite
 * shadow runs a script as a single statement, so the diff starts from a schema snapshot.)
 */
function newMigration(name) {
  if (!/^[a-z0-9_]+$/.test(name ?? "")) {
    console.error("usage: node scripts/prisma.mjs migration <snake_case_name>");
    process.exit(2);
  }
  writePostgresSchema();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  fs.mkdirSync(path.join(root, "data"), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(root, "data", ".migration-"));
  const current = fs.readFileSync(sqliteSchema, "utf8");
  const previous = fs.existsSync(snapshot) ? fs.readFileSync(snapshot, "utf8") : null;
  try {
    for (const [schema, folder, previousText] of [
      [sqliteSchema, "prisma/migrations", previous],
      [postgresSchema, "prisma/postgres/migrations", previous && postgresSchemaText(previous)],
    ]) {
      let from = ["--from-empty"];
      if (previousText) {
        const file = path.join(scratch, `${path.basename(path.dirname(schema))}.prisma`);
        fs.writeFileSync(file, previousText);
        from = ["--from-schema-datamodel", file];
      }
      const sql = prisma(["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"], {}, true);
      const dir = path.join(root, folder, `${stamp}_${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "migration.sql"), sql);
      console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
    }
    fs.writeFileSync(snapshot, current);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case "generate":
    writePostgresSchema();
    prisma(["generate", "--schema", sqliteSchema]);
    prisma(["generate", "--schema", postgresSchema]);
    break;
  case "deploy":
    prisma(["migrate", "deploy"]);
    break;
  case "migration":
    newMigration(rest[0]);
    break;
  default:
    if (!command) {
      console.error("usage: node scripts/prisma.mjs generate | deploy | migration NAME | <prisma args>");
      process.exit(2);
    }
    prisma([command, ...rest]);
}
