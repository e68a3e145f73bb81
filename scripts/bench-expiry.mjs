#!/usr/bin/env node
// Points expiry benchmark (not a test): a SQLite database in data/, migrated by Prisma, seeded with
// N members, each with points earned on a day spread over the two years before the first run (one
// ledger entry each, through the ledger trigger, so balances, last activity and oldest lots are
// what the app keeps), then the app's daily expiry job (app/models/expiry.server.ts, through the
// job runner) for D consecutive days, each timed on its own. The first day is the catch-up of a
// policy just turned on (every member past the date expires); the days after expire one day's worth.
//
//   npm run bench:expiry -- [--members 1000000] [--days 3] [--policy inactivity|age] [--months 12] [--batch N] [--keep]
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { cpuSeconds, freshSqliteFile, loadAppModules, median, option, root } from "./bench-support.mjs";

const MEMBERS = option("members", 1_000_000);
const DAYS = option("days", 3);
const MONTHS = option("months", 12);
const POLICY = process.argv.includes("--policy") ? process.argv[process.argv.indexOf("--policy") + 1] : "inactivity";
const KEEP = process.argv.includes("--keep");
const SHOP = "expiry-bench.myshopify.com";
const FIRST_DAY = "2027-03-01";
const SEED_CHUNK = 500;
const DAY_MS = 86_400_000;

if (POLICY !== "inactivity" && POLICY !== "age") throw new Error("--policy is inactivity or age");

/** The shop with its policy, N members and one earned entry each (the trigger sets balance, last activity and oldest lot). */
function seed(file) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const now = "2027-01-01T00:00:00.000Z";
  db.prepare(
    `INSERT INTO "shops" ("domain", "installed_at", "currency_code", "time_zone", "updated_at", "expiry_policy", "expiry_months") VALUES (?, ?, 'USD', 'UTC', ?, ?, ?)`,
  ).run(SHOP, now, now, POLICY, MONTHS);
  const memberRow = "(?, ?, ?, 'Bench', ?, ?, ?)";
  const insertMembers = db.prepare(
    `INSERT INTO "members" ("shop", "customer_id", "email", "first_name", "last_name", "created_at", "updated_at") VALUES ${Array(SEED_CHUNK).fill(memberRow).join(", ")}`,
  );
  const entryRow = "(?, ?, ?, 'earned', ?, 'system', 'Bench order', ?)";
  const insertEntries = db.prepare(
    `INSERT INTO "ledger_entries" ("shop", "member_id", "delta", "kind", "source_key", "actor_type", "reason", "created_at") VALUES ${Array(SEED_CHUNK).fill(entryRow).join(", ")}`,
  );
  const start = Date.parse(`${FIRST_DAY}T00:00:00.000Z`) - 730 * DAY_MS;
  const insertRange = db.transaction((from, to) => {
    for (let i = from; i < to; i += SEED_CHUNK) {
      const ids = Array.from({ length: SEED_CHUNK }, (_, k) => i + k);
      insertMembers.run(ids.flatMap((n) => [SHOP, String(9_000_000_000_000 + n), `c${n}@example.com`, `Member${n % 1000}`, now, now]));
      // Members are numbered from 1 in insertion order; member n earned on day (n mod 730) of the two years.
      insertEntries.run(ids.flatMap((n) => [SHOP, n + 1, 50 + (n % 200), `bench:order:${n}`, new Date(start + (n % 730) * DAY_MS + 3_600_000).toISOString()]));
    }
  });
  for (let from = 0; from < MEMBERS; from += 50_000) insertRange(from, Math.min(MEMBERS, from + 50_000));
  db.exec("ANALYZE");
  db.close();
}

async function loadApp() {
  return loadAppModules(
    "bench-expiry",
    `
        export { typedDatabase } from "./app/db/connection.server";
        export { openSqlite } from "./app/db/sqlite.server";
        export { runDueJobs } from "./app/jobs/queue.server";
        export { EXPIRY_BATCH_SIZE, expiryJobHandlers, enqueueExpiryJob } from "./app/models/expiry.server";
        export { nextDateKey } from "./app/domain/local-days";
      `,
  );
}

async function main() {
  if (MEMBERS % SEED_CHUNK !== 0) throw new Error(`--members must be a multiple of ${SEED_CHUNK}`);
  let started = performance.now();
  const { file, remove } = freshSqliteFile("bench-expiry");
  console.log(`migrated ${path.relative(root, file)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  seed(file);
  console.log(`seeded ${MEMBERS.toLocaleString("en")} members and their entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const app = await loadApp();
  const BATCH = option("batch", app.EXPIRY_BATCH_SIZE);
  const db = app.typedDatabase(app.openSqlite(file));
  // Each day's expiries re-arm the shop's metafield sync (Admin API calls, not part of this job): counted, not run.
  let metafieldSyncs = 0;
  const handlers = { ...app.expiryJobHandlers({ batchSize: BATCH }), "metafields.sync": async () => void metafieldSyncs++ };
  const plan = new Database(file, { readonly: true });
  const column = POLICY === "inactivity" ? "last_activity_at" : "oldest_lot_at";
  const explain = plan
    .prepare(`EXPLAIN QUERY PLAN SELECT "id" FROM "members" WHERE "shop" = ? AND "${column}" <= ? AND "redacted_at" IS NULL AND "id" > ? ORDER BY "id" LIMIT ?`)
    .all(SHOP, "2026-03-01", 0, BATCH)
    .map((step) => step.detail);
  console.log(`members query plan: ${explain.join("; ")}`);
  const expired = plan.prepare(`SELECT COUNT(*) AS "n", COALESCE(-SUM("delta"), 0) AS "points" FROM "ledger_entries" WHERE "shop" = ? AND "kind" = 'expired'`);
  const mismatches = plan.prepare(
    `SELECT COUNT(*) AS "n" FROM "members" m WHERE m."shop" = ? AND m."balance" <> (SELECT COALESCE(SUM(e."delta"), 0) FROM "ledger_entries" e WHERE e."member_id" = m."id")`,
  );
  const negative = plan.prepare(`SELECT COUNT(*) AS "n" FROM "members" WHERE "shop" = ? AND "balance" < 0`);

  console.log(
    `bench: the expiry job (${POLICY}, ${MONTHS} months) over ${MEMBERS.toLocaleString("en")} members, ${DAYS} days from ${FIRST_DAY}, ${BATCH} members a batch, SQLite, ${os.cpus().length} cores`,
  );
  const times = [];
  try {
    let date = FIRST_DAY;
    await app.enqueueExpiryJob(db, SHOP, date);
    for (let day = 0; day < DAYS; day++, date = app.nextDateKey(date)) {
      const now = new Date(Date.parse(`${date}T00:00:00.000Z`) + 1000);
      const before = expired.get(SHOP);
      const cpu0 = cpuSeconds(process.pid);
      const t0 = performance.now();
      const syncsBefore = metafieldSyncs;
      const report = await app.runDueJobs(db, handlers, { now, limit: 10 });
      const ms = performance.now() - t0;
      const cpu = cpuSeconds(process.pid) - cpu0;
      const after = expired.get(SHOP);
      if (day > 0) times.push(ms);
      console.log(
        `  ${date}${day === 0 ? " (catch-up)" : ""}: ${(ms / 1000).toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, ${(after.n - before.n).toLocaleString("en")} expiries (${(after.points - before.points).toLocaleString("en")} points), jobs done ${report.done - (metafieldSyncs - syncsBefore)}, retried ${report.retried}, failed ${report.failed}`,
      );
      if (report.retried + report.failed > 0) throw new Error(`the ${date} run did not finish`);
    }
    const wrong = mismatches.get(SHOP).n;
    const below = negative.get(SHOP).n;
    console.log(`ledger check: ${wrong} balances differ from their entries, ${below} below zero`);
    if (wrong + below > 0) throw new Error("the ledger check failed");
    if (times.length > 0) console.log(`expiry job (median of the ${times.length} days after the catch-up): ${(median(times) / 1000).toFixed(2)} s per day`);
  } finally {
    plan.close();
    await db.close();
    if (!KEEP) remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
