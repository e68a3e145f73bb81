import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import BetterSqlite from "better-sqlite3";
import pg from "pg";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createPrisma } from "../../app/db/prisma.server";
import { typedDatabase } from "../../app/db/connection.server";
import { openPostgres } from "../../app/db/postgres.server";
import { openSqlite } from "../../app/db/sqlite.server";
import type { Database } from "../../app/db/types";
import { migrationScripts } from "../../scripts/migrations.mjs";
import { offlineSessionsFrom, type OfflineSessions } from "../../app/shopify/offline-sessions.server";

/** Which database this run tests: TEST_DATABASE=postgres (with TEST_POSTGRES_URL) or sqlite (default). */
export const testDialect: "sqlite" | "postgres" = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

export interface TestDatabase {
  db: Database;
  /** A DATABASE_URL for the same database, for code that opens its own connection. */
  url: string;
  /** Shopify's session storage (Prisma) over the same database, opened on first use. */
  readonly sessions: OfflineSessions;
  drop(): Promise<void>;
}

/** The fields of a TestDatabase past the engine: session storage on demand, closed with it. */
function withSessions(url: string, close: () => Promise<void>) {
  let prisma: ReturnType<typeof createPrisma> | null = null;
  let sessions: OfflineSessions | null = null;
  return {
    get sessions() {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      sessions ??= offlineSessionsFrom(new PrismaSessionStorage((prisma = createPrisma(url)) as any));
      return sessions;
    },
    async drop() {
      await prisma?.$disconnect();
      await close();
    },
  };
}

/** A fresh, migrated database of the dialect under test, private to the caller. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDialect === "postgres") {
    const adminUrl = process.env.TEST_POSTGRES_URL;
    if (!adminUrl) throw new Error("TEST_DATABASE=postgres needs TEST_POSTGRES_URL");
    const name = `loyalty_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const setup = new pg.Client({ connectionString: url.toString() });
    await setup.connect();
    for (const sql of migrationScripts("postgres")) await setup.query(sql);
    await setup.end();
    const db = typedDatabase(openPostgres(url.toString(), 20));
    return {
      db,
      url: url.toString(),
      ...withSessions(url.toString(), async () => {
        await db.close();
        const cleanup = new pg.Client({ connectionString: adminUrl });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.end();
      }),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-test-"));
  const file = path.join(dir, "test.sqlite");
  const setup = new BetterSqlite(file);
  for (const sql of migrationScripts("sqlite")) setup.exec(sql);
  setup.close();
  const db = typedDatabase(openSqlite(file));
  return {
    db,
    url: `file:${file}`,
    ...withSessions(`file:${file}`, async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }),
  };
}

/** The ledger's promise: every member's cached balance equals the sum of its entries. */
export async function ledgerMismatches(db: Database) {
  return db.raw.all<{ id: number; balance: number; total: number }>(
    `SELECT m."id", m."balance", COALESCE(SUM(e."delta"), 0) AS "total"
     FROM "members" m LEFT JOIN "ledger_entries" e ON e."member_id" = m."id"
     GROUP BY m."id", m."balance"
     HAVING m."balance" <> COALESCE(SUM(e."delta"), 0)`,
  );
}

/**
 * What the app's auth leaves for an installed shop: Shopify's offline session (stored here as its
 * storage stores it), the shop's row and its purchase way to earn (1 point per unit of currency).
 * The default sign-up and birthday rules are left out: tests of those ways to earn add their own.
 */
export async function installShop(db: Database, shop: string, options: { currency?: string } = {}) {
  const now = new Date().toISOString();
  await db.raw.run(`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "scope", "accessToken") VALUES (?, ?, ?, FALSE, ?, ?)`, [
    `offline_${shop}`,
    shop,
    "installed",
    "read_orders,read_customers",
    `shpat_${shop.split(".")[0]}`,
  ]);
  await db.raw.run(
    `INSERT INTO "shops" ("domain", "installed_at", "currency_code", "updated_at") VALUES (?, ?, ?, ?)
     ON CONFLICT ("domain") DO NOTHING`,
    [shop, now, options.currency ?? "USD", now],
  );
  await db.raw.run(
    `INSERT INTO "earning_rules" ("shop", "kind", "status", "points_per_currency_unit", "created_at", "updated_at")
     SELECT ?, 'purchase', 'live', 1, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "earning_rules" WHERE "shop" = ?)`,
    [shop, now, now, shop],
  );
}
