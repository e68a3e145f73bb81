#!/usr/bin/env node
// VIP tier benchmark (not a test): a migrated database seeded with one shop running a tier program
// (points earned over the calendar year; Bronze, Silver and Gold), N members and E ledger entries
// over the last 18 months (orders, campaign bonuses, refunds, redemptions, birthdays, staff
// adjustments, tier bonuses), their orders and refunds, and the tier activity the live path would
// have written for them. Then the app's tier evaluation job (app/models/tiers.server.ts, through
// the job runner) in three runs, each timed on its own:
//
//   1. placement: startTierRecompute over members who hold no tier yet; every member who
//      qualifies moves (the most changes a recompute can make);
//   2. a change: the merchant lowers Silver's and Gold's thresholds (saveTierProgram, as the Tiers
//      page saves) and the recompute it starts moves the members who now reach a higher tier;
//   3. tiers turned on: with nothing counted yet (activity, orders' counts and members' tiers
//      cleared), startTierRecompute with rebuild, as saving the Tiers page does the first time:
//      every member's activity rebuilt from the ledger and orders, then every member placed. The
//      rebuilt activity and orders' counts must equal the seeded ones, the tiers runs 1 and 2's.
//
//   npm run bench:tiers -- [--members 1000000] [--entries 10000000] [--db sqlite|postgres]
//                          [--batch N] [--pg-setting name=value ...] [--keep]
//
// --batch sets the members per transaction (the job's own default otherwise). --db postgres starts
// a throwaway PostgreSQL server (scripts/postgres.mjs, PostgreSQL's default settings unless
// --pg-setting says otherwise). --keep leaves the database: data/bench-tiers.sqlite, or the
// PostgreSQL server running (its URL and folder are printed).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseKindOption, describeDatabase, loadAppModules, option, postgresSettingsOption, root } from "./bench-support.mjs";
import { migrationScripts } from "./migrations.mjs";
import { startPostgres } from "./postgres.mjs";

const MEMBERS = option("members", 1_000_000);
const ENTRIES = option("entries", 10_000_000);
const KIND = databaseKindOption();
const PG_SETTINGS = postgresSettingsOption();
const KEEP = process.argv.includes("--keep");
const SHOP = "tiers-bench.myshopify.com";
const DAY_MS = 86_400_000;
/** The evaluation instant of the first run; the ledger covers the 548 days (about 18 months) before it. */
const NOW = "2027-10-15T09:00:00.000Z";
const SPAN_DAYS = 548;
const START_MS = Date.parse(NOW) - SPAN_DAYS * DAY_MS;
/** The calendar year's window at NOW (the shop's zone is UTC). */
const WINDOW_START_DAY = "2027-01-01";
const TIERS = [
  { rank: 1, name: "Bronze", threshold: 200, entryBonusPoints: 0 },
  { rank: 2, name: "Silver", threshold: 800, entryBonusPoints: 50 },
  { rank: 3, name: "Gold", threshold: 2000, entryBonusPoints: 100 },
];
/** What the merchant saves in run 2: Silver and Gold within reach of more members. */
const LOWERED = { 2: 600, 3: 1500 };
/** Ledger kinds that count towards tiers as points earned (app/models/tiers.server.ts, EARNING_KINDS), and the staff adjustment apart. */
const EARNING_KINDS = [
  "earned",
  "refund_reversal",
  "cancel_reversal",
  "order_bonus",
  "campaign_bonus",
  "signup",
  "birthday",
  "newsletter",
  "social",
  "review",
  "custom_action",
];
const sqlList = (values) => values.map((value) => `'${value}'`).join(", ");

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const count = (n) => Number(n).toLocaleString("en");

// ---------------------------------------------------------------------------------------------
// The history, generated in memory first (deterministic: the same on every run and database)

/** A 32-bit integer hash (two multiply-xorshift rounds): spreads entries over members and amounts. */
function mix(x) {
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** How much a member buys: half of them at 1x, then 2x, 5x and a few at 12x, so the tiers fill unevenly. */
function levelOf(member) {
  const h = mix(member * 7 + 3) % 100;
  return h < 50 ? 1 : h < 80 ? 2 : h < 95 ? 5 : 12;
}

const KINDS = ["earned", "campaign_bonus", "refund_reversal", "redeemed", "birthday", "manual_adjustment", "tier_bonus"];
const KIND_ID = Object.fromEntries(KINDS.map((kind, index) => [kind, index]));
/** Entry j's intended kind by j mod 20: 60% orders, 10% campaign bonuses, 5% refunds, 10% redemptions, 5% each of birthdays, staff adjustments and tier bonuses. */
const SLOT_KINDS = [
  ...Array(12).fill("earned"),
  "campaign_bonus",
  "campaign_bonus",
  "refund_reversal",
  "redeemed",
  "redeemed",
  "birthday",
  "manual_adjustment",
  "tier_bonus",
];

/**
 * Entry j falls at START + j/E of the span (ledger ids rise with time, as they do live) on a member
 * chosen by hash. An order earns 1 point per unit of its merchandise; a campaign bonus (25) and a
 * refund (one unit of the order, its share of the order's points back) go to the member's latest
 * order; redemptions (200) only when the balance allows. A kind that cannot apply becomes an order.
 */
function generateHistory() {
  const entry = {
    member: new Int32Array(ENTRIES),
    delta: new Int32Array(ENTRIES),
    kind: new Uint8Array(ENTRIES),
    order: new Int32Array(ENTRIES).fill(-1),
  };
  const order = {
    member: new Int32Array(ENTRIES),
    quantity: new Uint8Array(ENTRIES),
    basis: new Int32Array(ENTRIES),
    earnedPoints: new Int32Array(ENTRIES),
    reversedPoints: new Int32Array(ENTRIES),
    refundedUnits: new Uint8Array(ENTRIES),
    entry: new Int32Array(ENTRIES),
    qualifyingNumber: new Int32Array(ENTRIES),
    refundEntry: new Int32Array(ENTRIES).fill(-1),
  };
  let orders = 0;
  const lastOrder = new Int32Array(MEMBERS + 1).fill(-1);
  const qualifyingOrders = new Int32Array(MEMBERS + 1);
  const balance = new Float64Array(MEMBERS + 1);
  for (let j = 0; j < ENTRIES; j++) {
    const member = 1 + (mix(j * 2 + 1) % MEMBERS);
    let kind = SLOT_KINDS[j % 20];
    let delta = 0;
    const latest = lastOrder[member];
    if (kind === "campaign_bonus") {
      if (latest < 0) kind = "earned";
      else {
        delta = 25;
        order.earnedPoints[latest] += delta;
        entry.order[j] = latest;
      }
    } else if (kind === "refund_reversal") {
      const points =
        latest < 0 || order.refundedUnits[latest] > 0
          ? 0
          : Math.floor((order.earnedPoints[latest] * Math.floor(order.basis[latest] / order.quantity[latest])) / order.basis[latest]);
      if (points <= 0) kind = "earned";
      else {
        delta = -points;
        order.refundedUnits[latest] = 1;
        order.reversedPoints[latest] = points;
        order.refundEntry[latest] = j;
        entry.order[j] = latest;
      }
    } else if (kind === "redeemed") {
      if (balance[member] < 200) kind = "earned";
      else delta = -200;
    } else if (kind === "birthday") delta = 100;
    else if (kind === "manual_adjustment") delta = j % 40 === 18 && balance[member] >= 40 ? -40 : 75;
    else if (kind === "tier_bonus") delta = 25;
    if (kind === "earned") {
      const o = orders++;
      const quantity = 1 + (mix(j) % 3);
      const basis = quantity * (1000 + (mix(j ^ 0x9e3779b9) % 3000)) * levelOf(member);
      delta = Math.floor(basis / 100);
      order.member[o] = member;
      order.quantity[o] = quantity;
      order.basis[o] = basis;
      order.earnedPoints[o] = delta;
      order.entry[o] = j;
      order.qualifyingNumber[o] = ++qualifyingOrders[member];
      lastOrder[member] = o;
      entry.order[j] = o;
    }
    entry.member[j] = member;
    entry.delta[j] = delta;
    entry.kind[j] = KIND_ID[kind];
    balance[member] += delta;
  }
  return { entry, order, orders, qualifyingOrders };
}

const entryAt = (j) => new Date(START_MS + Math.floor((j * SPAN_DAYS * DAY_MS) / ENTRIES)).toISOString();
const customerIdOf = (member) => String(9_000_000_000_000 + member);
const orderIdOf = (o) => String(5_000_000_000_000 + o);

// ---------------------------------------------------------------------------------------------
// Writing it: big transactions of multi-row inserts (SQLite) or unnest arrays (PostgreSQL)

/**
 * One bulk writer per dialect: `insert(table, columns, n, rowAt)` writes rows 0..n-1, `exec`, `get`
 * and `all` run one statement. A table's secondary indexes are dropped for its load and made
 * again afterwards from their own definitions (the migrated schema's), which sorts once instead
 * of inserting millions of keys in random order; its triggers (the balance) run for every row.
 */
function sqliteWriter(file) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("cache_size = -1000000");
  const ROWS = 400;
  const indexesOf = (table) =>
    db.prepare(`SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'index' AND "tbl_name" = ? AND "sql" IS NOT NULL`).all(table);
  return {
    async insert(table, columns, n, rowAt) {
      const indexes = indexesOf(table);
      for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
      const names = columns.map(([name]) => `"${name}"`).join(", ");
      const row = `(${columns.map(() => "?").join(", ")})`;
      const many = db.prepare(`INSERT INTO "${table}" (${names}) VALUES ${Array(ROWS).fill(row).join(", ")}`);
      const one = db.prepare(`INSERT INTO "${table}" (${names}) VALUES ${row}`);
      const range = db.transaction((from, to) => {
        let i = from;
        for (; i + ROWS <= to; i += ROWS) {
          const values = [];
          for (let k = i; k < i + ROWS; k++) values.push(...rowAt(k));
          many.run(values);
        }
        for (; i < to; i++) one.run(rowAt(i));
      });
      for (let from = 0; from < n; from += 200_000) range(from, Math.min(n, from + 200_000));
      for (const index of indexes) db.exec(index.sql);
    },
    exec: async (sql, params = []) => db.prepare(sql).run(...params),
    get: async (sql, params = []) => db.prepare(sql).get(...params),
    all: async (sql, params = []) => db.prepare(sql).all(...params),
    close: async () => db.close(),
  };
}

async function postgresWriter(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const ROWS = 20_000;
  const numbered = (sql) => {
    let index = 0;
    return sql.replace(/\?/g, () => `$${++index}`);
  };
  // Every index but the primary key's (Prisma's migrations make unique keys as plain unique indexes).
  const indexesOf = async (table) =>
    (
      await client.query(
        `SELECT i."indexname" AS "name", i."indexdef" AS "sql" FROM "pg_indexes" i
         WHERE i."schemaname" = current_schema() AND i."tablename" = $1
           AND NOT EXISTS (SELECT 1 FROM "pg_constraint" c WHERE c."conname" = i."indexname" AND c."contype" = 'p')`,
        [table],
      )
    ).rows;
  return {
    async insert(table, columns, n, rowAt) {
      const indexes = await indexesOf(table);
      for (const { name } of indexes) await client.query(`DROP INDEX "${name}"`);
      const names = columns.map(([name]) => `"${name}"`).join(", ");
      const sql = `INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(", ")})`;
      for (let from = 0; from < n; from += 200_000) {
        await client.query("BEGIN");
        for (let i = from; i < Math.min(n, from + 200_000); i += ROWS) {
          const arrays = columns.map(() => []);
          for (let k = i; k < Math.min(n, from + 200_000, i + ROWS); k++) {
            const row = rowAt(k);
            for (let c = 0; c < row.length; c++) arrays[c].push(row[c]);
          }
          await client.query(sql, arrays);
        }
        await client.query("COMMIT");
      }
      for (const index of indexes) await client.query(index.sql);
    },
    exec: async (sql, params = []) => client.query(numbered(sql), params),
    get: async (sql, params = []) => (await client.query(numbered(sql), params)).rows[0],
    all: async (sql, params = []) => (await client.query(numbered(sql), params)).rows,
    close: () => client.end(),
  };
}

/** The local day of a timestamp column, in SQL (the shop's zone is UTC). */
const dayOf = (column) => (KIND === "sqlite" ? `substr(${column}, 1, 10)` : `to_char(${column}, 'YYYY-MM-DD')`);

async function seed(writer) {
  let started = performance.now();
  const history = generateHistory();
  const { entry, order, orders } = history;
  const refunds = [];
  for (let o = 0; o < orders; o++) if (order.refundEntry[o] >= 0) refunds.push(o);
  console.log(
    `generated ${count(ENTRIES)} ledger entries, ${count(orders)} orders and ${count(refunds.length)} refunds in ${seconds(performance.now() - started)}`,
  );

  started = performance.now();
  const now = new Date(START_MS - DAY_MS).toISOString();
  await writer.exec(`INSERT INTO "shops" ("domain", "installed_at", "currency_code", "time_zone", "updated_at") VALUES (?, ?, 'USD', 'UTC', ?)`, [
    SHOP,
    now,
    now,
  ]);
  await writer.exec(
    `INSERT INTO "earning_rules" ("shop", "kind", "status", "points", "points_per_currency_unit", "position", "created_at", "updated_at") VALUES (?, 'purchase', 'live', 0, 1, 0, ?, ?)`,
    [SHOP, now, now],
  );
  await writer.exec(
    `INSERT INTO "tier_programs" ("shop", "enabled", "basis", "period_kind", "period_months", "retention", "adjustments_count", "updated_at")
     VALUES (?, TRUE, 'points_earned', 'calendar_year', 12, 'period_and_next', FALSE, ?)`,
    [SHOP, now],
  );
  for (const tier of TIERS) {
    await writer.exec(
      `INSERT INTO "tiers" ("shop", "rank", "threshold", "names", "entry_bonus_points", "created_at", "updated_at") VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [SHOP, tier.rank, tier.threshold, JSON.stringify({ en: tier.name }), tier.entryBonusPoints, now, now],
    );
  }
  // Members, ids 1..N in order (a fresh table), with their qualifying orders counted.
  await writer.insert(
    "members",
    [
      ["shop", "text"],
      ["customer_id", "text"],
      ["email", "text"],
      ["first_name", "text"],
      ["last_name", "text"],
      ["qualifying_orders", "int"],
      ["created_at", "timestamp"],
      ["updated_at", "timestamp"],
    ],
    MEMBERS,
    (i) => {
      const member = i + 1;
      const customerId = customerIdOf(member);
      return [SHOP, customerId, `c${customerId}@example.com`, "Bench", `Member${member % 1000}`, history.qualifyingOrders[member], now, now];
    },
  );
  const { lowest, highest } = await writer.get(`SELECT MIN("id") AS "lowest", MAX("id") AS "highest" FROM "members"`);
  if (Number(lowest) !== 1 || Number(highest) !== MEMBERS) throw new Error(`members were given ids ${lowest}..${highest}, not 1..${MEMBERS}`);
  console.log(`seeded ${count(MEMBERS)} members in ${seconds(performance.now() - started)}`);

  // The ledger, oldest first; the balance trigger keeps every member's balance.
  started = performance.now();
  const reasons = {
    earned: (o) => `Order #${o}`,
    campaign_bonus: () => "Campaign: 25 bonus",
    refund_reversal: (o) => `Refund of order #${o}`,
    redeemed: () => "Redeemed: 200 points off",
    birthday: () => "Birthday",
    manual_adjustment: () => "Goodwill",
    tier_bonus: () => "Tier bonus",
  };
  const sourceKey = (kind, j, o) =>
    kind === "earned"
      ? `order:${orderIdOf(o)}:earn`
      : kind === "campaign_bonus"
        ? `order:${orderIdOf(o)}:campaign:${j}`
        : kind === "refund_reversal"
          ? `refund:${orderIdOf(o)}1`
          : `${kind}:${j}`;
  await writer.insert(
    "ledger_entries",
    [
      ["shop", "text"],
      ["member_id", "int"],
      ["delta", "int"],
      ["kind", "text"],
      ["source_key", "text"],
      ["order_id", "text"],
      ["actor_type", "text"],
      ["actor_id", "text"],
      ["actor_name", "text"],
      ["reason", "text"],
      ["created_at", "timestamp"],
    ],
    ENTRIES,
    (j) => {
      const kind = KINDS[entry.kind[j]];
      const o = entry.order[j];
      const staff = kind === "manual_adjustment";
      return [
        SHOP,
        entry.member[j],
        entry.delta[j],
        kind,
        sourceKey(kind, j, o),
        o >= 0 ? orderIdOf(o) : null,
        staff ? "staff" : "system",
        staff ? "staff-1" : null,
        staff ? "Bench Staff" : null,
        reasons[kind](o),
        entryAt(j),
      ];
    },
  );
  console.log(`seeded ${count(ENTRIES)} ledger entries in ${seconds(performance.now() - started)}`);

  // Orders as the orders/paid webhook leaves them (one line, posted at once), counted towards tiers net of their refund.
  started = performance.now();
  await writer.insert(
    "loyalty_orders",
    [
      ["shop", "text"],
      ["order_id", "text"],
      ["order_name", "text"],
      ["customer_id", "text"],
      ["currency_code", "text"],
      ["earning_lines", "text"],
      ["basis_minor", "bigint"],
      ["earned_points", "int"],
      ["reversed_points", "int"],
      ["earned_at", "timestamp"],
      ["posted_at", "timestamp"],
      ["qualifying_number", "int"],
      ["tier_counted_minor", "bigint"],
      ["tier_counted_orders", "int"],
      ["created_at", "timestamp"],
      ["updated_at", "timestamp"],
    ],
    orders,
    (o) => {
      const orderId = orderIdOf(o);
      const at = entryAt(order.entry[o]);
      const basis = order.basis[o];
      const refunded = order.refundedUnits[o] ? Math.floor(basis / order.quantity[o]) : 0;
      const updated = order.refundEntry[o] >= 0 ? entryAt(order.refundEntry[o]) : at;
      return [
        SHOP,
        orderId,
        `#${o}`,
        customerIdOf(order.member[o]),
        "USD",
        JSON.stringify([{ lineItemId: `${orderId}1`, productId: String(700 + (o % 50)), quantity: order.quantity[o], basisMinor: basis }]),
        basis,
        order.earnedPoints[o],
        order.reversedPoints[o],
        at,
        at,
        order.qualifyingNumber[o],
        basis - refunded,
        1,
        at,
        updated,
      ];
    },
  );
  await writer.insert(
    "order_refunds",
    [
      ["shop", "text"],
      ["order_id", "text"],
      ["refund_id", "text"],
      ["lines", "text"],
      ["created_at", "timestamp"],
    ],
    refunds.length,
    (i) => {
      const o = refunds[i];
      const orderId = orderIdOf(o);
      return [SHOP, orderId, `${orderId}1`, JSON.stringify([{ lineItemId: `${orderId}1`, quantity: 1 }]), entryAt(order.refundEntry[o])];
    },
  );
  console.log(`seeded ${count(orders)} orders and ${count(refunds.length)} refunds in ${seconds(performance.now() - started)}`);

  // What the live path wrote as it went (recordTierActivity): per member and day, the earning
  // kinds' points (a refund on its order's day), staff adjustments apart, and every order's
  // merchandise net of refunds and 1 order on the day it earned; in the order of days, as the
  // live path adds a member's row on their first event of the day.
  started = performance.now();
  await writer.exec(
    `INSERT INTO "tier_activity" ("member_id", "day", "shop", "points", "adjusted_points", "amount_minor", "orders")
     SELECT "member_id", "day", ?, SUM("points"), SUM("adjusted_points"), SUM("amount_minor"), SUM("orders") FROM (
       SELECT e."member_id", ${dayOf(`CASE WHEN e."kind" IN ('refund_reversal', 'cancel_reversal') AND o."earned_at" IS NOT NULL THEN o."earned_at" ELSE e."created_at" END`)} AS "day",
              CASE WHEN e."kind" = 'manual_adjustment' THEN 0 ELSE e."delta" END AS "points",
              CASE WHEN e."kind" = 'manual_adjustment' THEN e."delta" ELSE 0 END AS "adjusted_points",
              0 AS "amount_minor", 0 AS "orders"
       FROM "ledger_entries" e LEFT JOIN "loyalty_orders" o ON o."shop" = e."shop" AND o."order_id" = e."order_id"
       WHERE e."shop" = ? AND e."kind" IN (${sqlList([...EARNING_KINDS, "manual_adjustment"])})
       UNION ALL
       SELECT m."id", ${dayOf(`o."earned_at"`)}, 0, 0, o."tier_counted_minor", o."tier_counted_orders"
       FROM "loyalty_orders" o JOIN "members" m ON m."shop" = o."shop" AND m."customer_id" = o."customer_id"
       WHERE o."shop" = ? AND o."qualifying_number" IS NOT NULL AND o."cancelled_at" IS NULL AND o."earned_at" IS NOT NULL
     ) AS "activity" GROUP BY "member_id", "day" ORDER BY "day", "member_id"`,
    [SHOP, SHOP, SHOP],
  );
  const { n } = await writer.get(`SELECT COUNT(*) AS "n" FROM "tier_activity"`);
  console.log(`seeded ${count(n)} tier activity rows (member and day) in ${seconds(performance.now() - started)}`);
  started = performance.now();
  await writer.exec("ANALYZE");
  console.log(`analyzed in ${seconds(performance.now() - started)}`);
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Members per tier rank (0: none). */
async function membersPerRank(check) {
  const rows = await check.all(
    `SELECT COALESCE(t."rank", 0) AS "rank", COUNT(*) AS "n" FROM "members" m LEFT JOIN "tiers" t ON t."id" = m."tier_id" WHERE m."shop" = ? GROUP BY COALESCE(t."rank", 0)`,
    [SHOP],
  );
  const perRank = [0, ...TIERS.map((tier) => tier.rank)].map((rank) => Number(rows.find((row) => Number(row.rank) === rank)?.n ?? 0));
  return perRank;
}

const rankNames = ["none", ...TIERS.map((tier) => tier.name)];
const describeRanks = (before, after) => rankNames.map((name, rank) => `${name} ${count(before[rank])} -> ${count(after[rank])}`).join(", ");

/**
 * What every member should hold after a recompute at one instant: the tier their window total
 * reaches (no tier was reached earlier and kept), and a total equal to the window's sum of points.
 */
async function checkPlacement(check) {
  const { wrong } = await check.get(
    `SELECT COUNT(*) AS "wrong" FROM "members" m LEFT JOIN "tiers" t ON t."id" = m."tier_id"
     WHERE m."shop" = ? AND COALESCE(t."rank", 0) <> COALESCE((SELECT MAX(r."rank") FROM "tiers" r WHERE r."shop" = m."shop" AND r."threshold" <= m."tier_total"), 0)`,
    [SHOP],
  );
  const { held, counted } = await check.get(
    `SELECT (SELECT SUM("tier_total") FROM "members" WHERE "shop" = ?) AS "held",
            (SELECT SUM(CASE WHEN "points" > 0 THEN "points" ELSE 0 END) FROM
               (SELECT SUM("points") AS "points" FROM "tier_activity" WHERE "shop" = ? AND "day" >= ? GROUP BY "member_id") AS "sums") AS "counted"`,
    [SHOP, SHOP, WINDOW_START_DAY],
  );
  if (Number(wrong) !== 0) throw new Error(`${wrong} members hold a tier their total does not reach`);
  if (String(held) !== String(counted)) throw new Error(`members' totals add up to ${held}, their window's points to ${counted}`);
}

/** A fingerprint of what counts towards tiers: the activity's rows, sums and sums weighted by member and day, and the orders' counts. */
async function activityFingerprint(check) {
  const row = await check.get(
    `SELECT COUNT(*) AS "rows", SUM("points") AS "points", SUM("adjusted_points") AS "adjusted", SUM("amount_minor") AS "amount", SUM("orders") AS "orders",
            SUM("points" * ("member_id" % 997)) AS "points_by_member", SUM("amount_minor" * ("member_id" % 991)) AS "amount_by_member",
            SUM(("points" + "adjusted_points" + "orders") * CAST(substr("day", 6, 2) || substr("day", 9, 2) AS INTEGER)) AS "by_day"
     FROM "tier_activity" WHERE "shop" = ?`,
    [SHOP],
  );
  const orders = await check.get(
    `SELECT SUM("tier_counted_minor") AS "counted_minor", SUM("tier_counted_orders") AS "counted_orders", SUM("tier_counted_minor" * ("id" % 983)) AS "counted_by_order"
     FROM "loyalty_orders" WHERE "shop" = ?`,
    [SHOP],
  );
  return Object.fromEntries(Object.entries({ ...row, ...orders }).map(([name, value]) => [name, String(value)]));
}

const changesSince = async (check, id) => Number((await check.get(`SELECT COUNT(*) AS "n" FROM "tier_changes" WHERE "shop" = ? AND "id" > ?`, [SHOP, id])).n);
const lastChangeId = async (check) => Number((await check.get(`SELECT COALESCE(MAX("id"), 0) AS "id" FROM "tier_changes"`)).id);
const tierBonuses = async (check) =>
  Number((await check.get(`SELECT COUNT(*) AS "n" FROM "ledger_entries" WHERE "shop" = ? AND "kind" = 'tier_bonus'`, [SHOP])).n);

// ---------------------------------------------------------------------------------------------
// The app

/** The app's job runner and tier engine, bundled from TypeScript for this process (its packages stay external). */
async function loadApp() {
  return loadAppModules(
    "bench-tiers",
    `
        export { typedDatabase } from "./app/db/connection.server";
        export { openSqlite } from "./app/db/sqlite.server";
        export { openPostgres } from "./app/db/postgres.server";
        export { runDueJobs } from "./app/jobs/queue.server";
        export { TIER_BATCH_SIZE, TIER_EVALUATION_JOB, readTierProgramConfig, saveTierProgram, startTierRecompute, tierJobHandlers } from "./app/models/tiers.server";
      `,
  );
}

/**
 * The database the job runs on, seen through: the moment the job saves its payload with the
 * rebuild done (`"rebuild":false`) is when the rebuild ends and the evaluation starts.
 */
function watchRebuildEnd(db) {
  const watch = { active: false, rebuiltAt: null };
  const raw = new Proxy(db.raw, {
    get(target, name) {
      if (name !== "execute") return target[name];
      return (sql, params) => {
        if (watch.active && watch.rebuiltAt === null && /^update "jobs" set "payload"/i.test(sql) && String(params?.[0]).includes('"rebuild":false'))
          watch.rebuiltAt = performance.now();
        return target.execute(sql, params);
      };
    },
  });
  return { db: { ...db, raw }, watch };
}

// ---------------------------------------------------------------------------------------------
// Databases

async function openDatabases() {
  if (KIND === "sqlite") {
    const file = path.join(root, "data", "bench-tiers.sqlite");
    const remove = () => {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${file}${suffix}`, { force: true });
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    remove();
    const migrated = spawnSync(process.execPath, [path.join(root, "scripts/prisma.mjs"), "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${file}` },
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (migrated.status !== 0) throw new Error("prisma migrate deploy failed");
    return {
      label: path.relative(root, file),
      writer: () => sqliteWriter(file),
      open: (app) => app.typedDatabase(app.openSqlite(file)),
      finish: async () => (KEEP ? console.log(`kept ${path.relative(root, file)}`) : remove()),
    };
  }
  const server = await startPostgres({ settings: PG_SETTINGS });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      server.stop();
      process.exit(130);
    });
  }
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query("CREATE DATABASE bench_tiers");
  await admin.end();
  const url = Object.assign(new URL(server.url), { pathname: "/bench_tiers" }).toString();
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  for (const script of migrationScripts("postgres")) await setup.query(script);
  await setup.end();
  return {
    label: url,
    writer: () => postgresWriter(url),
    open: (app) => app.typedDatabase(app.openPostgres(url, 10)),
    finish: async () => {
      if (!KEEP) return server.stop();
      console.log(`kept the PostgreSQL server running: ${url} (data in ${path.dirname(server.logFile)}; stop it with pg_ctl -D <that>/data stop)`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The runs

async function main() {
  let started = performance.now();
  const databases = await openDatabases();
  console.log(`migrated ${databases.label} in ${seconds(performance.now() - started)}`);
  const writer = await databases.writer();
  try {
    await seed(writer);
  } catch (error) {
    await writer.close();
    await databases.finish();
    throw error;
  }

  const app = await loadApp();
  const BATCH = option("batch", app.TIER_BATCH_SIZE);
  const base = databases.open(app);
  const { db, watch } = watchRebuildEnd(base);
  // Tier changes re-arm the shop's metafield sync, and saving the tiers the tier Shopify sync (Admin
  // API calls, not part of this job): counted, not run.
  let metafieldSyncs = 0;
  const handlers = {
    ...app.tierJobHandlers({ batchSize: BATCH }),
    "metafields.sync": async () => void metafieldSyncs++,
    "tiers.shopify_sync": async () => undefined,
  };
  const check = writer;
  const load = os.loadavg()[0].toFixed(1);
  console.log(
    `bench: the tier evaluation job over ${count(MEMBERS)} members and ${count(ENTRIES)} ledger entries, ${BATCH} members a batch, ${describeDatabase(KIND, PG_SETTINGS)}, ${os.cpus().length} cores, load average ${load}`,
  );
  const results = [];

  /** One run of the job through the job runner at `now`, after `start` (which makes the job due); checked, printed and kept. */
  const run = async (label, now, start, { rebuild = false } = {}) => {
    const before = await membersPerRank(check);
    const changesFrom = await lastChangeId(check);
    const bonusesBefore = await tierBonuses(check);
    const syncsBefore = metafieldSyncs;
    const startedAt = performance.now();
    await start();
    const queued = performance.now();
    const cpuBefore = process.cpuUsage();
    watch.rebuiltAt = null;
    watch.active = rebuild;
    const report = await app.runDueJobs(db, handlers, { now: new Date(now), limit: 10 });
    const ended = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    const after = await membersPerRank(check);
    const changes = await changesSince(check, changesFrom);
    const bonuses = (await tierBonuses(check)) - bonusesBefore;
    if (report.retried + report.failed > 0) throw new Error(`the ${label} run retried ${report.retried} and failed ${report.failed} jobs`);
    const job = await check.get(`SELECT "payload", "done_at" FROM "jobs" WHERE "job_key" = ?`, [`tiers:${SHOP}:recompute`]);
    const payload = JSON.parse(job.payload);
    if (job.done_at === null || payload.done !== MEMBERS) throw new Error(`the ${label} run evaluated ${payload.done} of ${MEMBERS} members`);
    await checkPlacement(check);
    const ms = ended - queued;
    const split = watch.rebuiltAt === null ? "" : ` (rebuild ${seconds(watch.rebuiltAt - queued)}, evaluation ${seconds(ended - watch.rebuiltAt)})`;
    console.log(
      `  ${label}: ${seconds(ms)}${split}, ${count(Math.round(MEMBERS / (ms / 1000)))} members/s; this process's CPU ${seconds((cpu.user + cpu.system) / 1000)}; started in ${((queued - startedAt) / 1000).toFixed(2)} s`,
    );
    console.log(`    members per tier: ${describeRanks(before, after)}`);
    console.log(
      `    ${count(changes)} tier changes, ${count(bonuses)} entry bonuses, jobs done ${report.done - (metafieldSyncs - syncsBefore)} (+ ${metafieldSyncs - syncsBefore} metafield sync left by the run before)`,
    );
    results.push({ label, ms, rebuildMs: watch.rebuiltAt === null ? null : watch.rebuiltAt - queued, changes });
    return after;
  };

  try {
    const seeded = await activityFingerprint(check);
    await run("1. placement (recompute, members without a tier yet)", NOW, () => app.startTierRecompute(db, SHOP, new Date(NOW)));

    const second = new Date(Date.parse(NOW) + 3_600_000).toISOString();
    const changed = await run("2. recompute after the merchant lowered Silver and Gold", second, async () => {
      const program = await app.readTierProgramConfig(db, SHOP);
      const { tiers, ...settings } = program;
      await app.saveTierProgram(
        db,
        SHOP,
        { ...settings, tiers: tiers.map(({ id: _id, ...tier }) => ({ ...tier, threshold: LOWERED[tier.rank] ?? tier.threshold })) },
        second,
      );
      for (const tier of TIERS) tier.threshold = LOWERED[tier.rank] ?? tier.threshold;
    });

    // As if tiers had never been on: nothing counted (no activity, no order counted) and no member in a tier.
    started = performance.now();
    await check.exec(`DELETE FROM "tier_activity"`);
    await check.exec(`UPDATE "loyalty_orders" SET "tier_counted_minor" = 0, "tier_counted_orders" = 0 WHERE "shop" = ?`, [SHOP]);
    await check.exec(`UPDATE "members" SET "tier_id" = NULL, "tier_reached_at" = NULL, "tier_kept_until" = NULL, "tier_total" = 0 WHERE "shop" = ?`, [SHOP]);
    console.log(`  (tier activity, orders' counts and members' tiers cleared in ${seconds(performance.now() - started)}: tiers as if never turned on)`);
    const third = new Date(Date.parse(NOW) + 7_200_000).toISOString();
    const placed = await run(
      "3. tiers turned on: activity rebuilt from the ledger and orders, then every member placed",
      third,
      () => app.startTierRecompute(db, SHOP, new Date(third), { rebuild: true }),
      { rebuild: true },
    );
    const rebuilt = await activityFingerprint(check);
    if (JSON.stringify(rebuilt) !== JSON.stringify(seeded)) {
      throw new Error(
        `the rebuilt tier activity differs from what the live path wrote:\n  seeded  ${JSON.stringify(seeded)}\n  rebuilt ${JSON.stringify(rebuilt)}`,
      );
    }
    if (JSON.stringify(placed) !== JSON.stringify(changed)) throw new Error(`run 3 placed members ${placed}, runs 1 and 2 ${changed}`);
    console.log(`    rebuilt tier activity and orders' counts equal the seeded ones (${count(rebuilt.rows)} rows); members placed as runs 1 and 2 left them`);
    console.log(
      `tiers bench (${describeDatabase(KIND, PG_SETTINGS)}, ${count(MEMBERS)} members, ${count(ENTRIES)} entries): ${results
        .map((result) => `${result.label.slice(0, 2)} ${seconds(result.ms)}`)
        .join(", ")}`,
    );
  } finally {
    await base.close();
    await writer.close();
    await databases.finish();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
