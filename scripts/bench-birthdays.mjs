#!/usr/bin/env node
// Birthday job benchmark (not a test): a SQLite database in data/, migrated by Prisma, seeded with
// N members whose birthdays are spread over the year, then the app's daily birthday job
// (app/models/birthdays.server.ts, through the job runner) for D consecutive days, each day
// timed on its own. Prints each day's time and awards, and the median.
//
//   npm run bench:birthdays -- [--members 1000000] [--days 3] [--batch N] [--time-zone UTC] [--keep]
//
// --batch sets the members paid per transaction (the job's own default otherwise); --keep leaves the database (data/bench-birthdays.sqlite) for a look afterwards.
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { freshSqliteFile, loadAppModules, median, option, root } from "./bench-support.mjs";

/** data/bench-birthdays.sqlite, made fresh by main(). */
let file;
let removeDatabase;

const MEMBERS = option("members", 1_000_000);
const DAYS = option("days", 3);
const TIME_ZONE = option("time-zone", "UTC");
const KEEP = process.argv.includes("--keep");
const SHOP = "birthdays-bench.myshopify.com";
/** The first day the job runs for (a non-leap year, so 28 February also pays 29 February's). */
const FIRST_DAY = "2027-02-27";
const SEED_CHUNK = 500;

const pad = (n) => String(n).padStart(2, "0");
/** Member i's birthday: the days of a leap year in turn, so 29 February has its share. */
const DAYS_OF_YEAR = Array.from({ length: 366 }, (_, day) => {
  const date = new Date(Date.UTC(2028, 0, 1 + day));
  return `${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
});

/** The shop, its ways to earn (1 point per unit, 100 birthday points once a year) and N members, in big transactions. */
function seed() {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const now = "2027-01-01T00:00:00.000Z";
  db.prepare(`INSERT INTO "shops" ("domain", "installed_at", "currency_code", "time_zone", "updated_at") VALUES (?, ?, 'USD', ?, ?)`).run(
    SHOP,
    now,
    TIME_ZONE,
    now,
  );
  const rule = db.prepare(
    `INSERT INTO "earning_rules" ("shop", "kind", "status", "points", "points_per_currency_unit", "limit_count", "limit_period", "position", "created_at", "updated_at")
     VALUES (?, ?, 'live', ?, ?, ?, ?, ?, ?, ?)`,
  );
  rule.run(SHOP, "purchase", 0, 1, null, null, 0, now, now);
  rule.run(SHOP, "birthday", 100, null, 1, "year", 1, now, now);
  const columns = `("shop", "customer_id", "email", "first_name", "last_name", "created_at", "updated_at", "birthday", "birthday_set_at")`;
  const row = "(?, ?, ?, 'Bench', ?, ?, ?, ?, ?)";
  const insertChunk = db.prepare(`INSERT INTO "members" ${columns} VALUES ${Array(SEED_CHUNK).fill(row).join(", ")}`);
  const insertOne = db.prepare(`INSERT INTO "members" ${columns} VALUES ${row}`);
  const values = (i) => {
    const customerId = String(9_000_000_000_000 + i);
    return [SHOP, customerId, `c${customerId}@example.com`, `Member${i % 1000}`, now, now, DAYS_OF_YEAR[i % 366], "2026-01-01T00:00:00.000Z"];
  };
  const insertRange = db.transaction((from, to) => {
    let i = from;
    for (; i + SEED_CHUNK <= to; i += SEED_CHUNK) insertChunk.run(Array.from({ length: SEED_CHUNK }, (_, k) => values(i + k)).flat());
    for (; i < to; i++) insertOne.run(values(i));
  });
  for (let from = 0; from < MEMBERS; from += 50_000) insertRange(from, Math.min(MEMBERS, from + 50_000));
  db.exec("ANALYZE");
  db.close();
}

/** The app's job runner and birthday job, bundled from TypeScript for this process (its packages stay external). */
async function loadApp() {
  return loadAppModules(
    "bench-birthdays",
    `
        export { typedDatabase } from "./app/db/connection.server";
        export { openSqlite } from "./app/db/sqlite.server";
        export { runDueJobs } from "./app/jobs/queue.server";
        export { BIRTHDAY_BATCH_SIZE, birthdayJobHandlers, enqueueBirthdayJob } from "./app/models/birthdays.server";
        export { startOfLocalDay, nextDateKey } from "./app/domain/local-days";
      `,
  );
}

async function main() {
  let started = performance.now();
  ({ file, remove: removeDatabase } = freshSqliteFile("bench-birthdays"));
  console.log(`migrated ${path.relative(root, file)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  seed();
  console.log(`seeded ${MEMBERS.toLocaleString("en")} members in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const app = await loadApp();
  const BATCH = option("batch", app.BIRTHDAY_BATCH_SIZE);
  const db = app.typedDatabase(app.openSqlite(file));
  // Each day's credits re-arm the shop's metafield sync (Admin API calls, not part of this job): counted, not run.
  let metafieldSyncs = 0;
  const handlers = { ...app.birthdayJobHandlers({ batchSize: BATCH }), "metafields.sync": async () => void metafieldSyncs++ };
  const plan = new Database(file, { readonly: true });
  const explain = plan
    .prepare(
      `EXPLAIN QUERY PLAN SELECT "id" FROM "members" WHERE "shop" = ? AND "birthday" IN (?, ?) AND "redacted_at" IS NULL AND "id" > ? ORDER BY "id" LIMIT ?`,
    )
    .all(SHOP, "02-28", "02-29", 0, BATCH)
    .map((step) => step.detail);
  console.log(`members query plan: ${explain.join("; ")}`);
  const entries = plan.prepare(`SELECT COUNT(*) AS "n", COALESCE(SUM("delta"), 0) AS "points" FROM "ledger_entries" WHERE "shop" = ? AND "kind" = 'birthday'`);
  const celebrating = plan.prepare(`SELECT COUNT(*) AS "n" FROM "members" WHERE "shop" = ? AND "birthday" IN (?, ?)`);

  console.log(
    `bench: the birthday job over ${MEMBERS.toLocaleString("en")} members, ${DAYS} days from ${FIRST_DAY} (${TIME_ZONE}), ${BATCH} members a batch, SQLite, ${os.cpus().length} cores`,
  );
  const times = [];
  try {
    let date = FIRST_DAY;
    await app.enqueueBirthdayJob(db, SHOP, date, TIME_ZONE);
    for (let day = 0; day < DAYS; day++, date = app.nextDateKey(date)) {
      const now = new Date(app.startOfLocalDay(date, TIME_ZONE).getTime() + 1000);
      const before = entries.get(SHOP);
      const t0 = performance.now();
      const syncsBefore = metafieldSyncs;
      const report = await app.runDueJobs(db, handlers, { now, limit: 10 });
      const ms = performance.now() - t0;
      const after = entries.get(SHOP);
      const [own, leap] = date.endsWith("-02-28") ? ["02-28", "02-29"] : [date.slice(5), date.slice(5)];
      const expected = celebrating.get(SHOP, own, leap).n;
      times.push(ms);
      console.log(
        `  ${date}: ${(ms / 1000).toFixed(2)} s, ${after.n - before.n} members awarded (${after.points - before.points} points; ${expected} celebrate), jobs done ${report.done - (metafieldSyncs - syncsBefore)} (+ the previous day's metafield sync), retried ${report.retried}, failed ${report.failed}`,
      );
      if (report.retried + report.failed > 0 || after.n - before.n !== expected) throw new Error(`the ${date} run did not award every birthday of the day`);
    }
    console.log(`birthday job (median of ${DAYS} days): ${(median(times) / 1000).toFixed(2)} s per day over ${MEMBERS.toLocaleString("en")} members`);
  } finally {
    plan.close();
    await db.close();
    if (!KEEP) removeDatabase();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
