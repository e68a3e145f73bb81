#!/usr/bin/env node
// Webhook throughput benchmark (not a test): N distinct signed orders/paid deliveries at
// concurrency C against the production build on 127.0.0.1, next to a floor measured in the same
// run (scripts/bench-floor.mjs). Prints throughput, p50/p99 latency and the ratio.
//
//   npm run bench:webhooks -- [--orders 5000] [--concurrency 50] [--rounds 3] [--db sqlite|postgres]
//                             [--pg-setting name=value ...] [--trace-sql] [--cpu-prof <dir>]
//   BENCH_PROGRAM=campaigns|tiers npm run bench:webhooks -- ...
//
// --db postgres starts a throwaway PostgreSQL server (PostgreSQL's default settings, durable
// commits, unless --pg-setting says otherwise); --trace-sql (PostgreSQL) counts the app's SQL
// statements per delivery by kind and times its batch transactions (scripts/bench-sql-trace.mjs).
// The shop runs the ways to earn an install gives (1 point per unit of currency); with
// BENCH_PROGRAM=campaigns also a stamp card (every 6th order) and three overlapping live
// campaigns, so every order is decided against all of them; BENCH_PROGRAM=tiers three VIP tiers
// the customers climb during the run (scripts/bench-support.mjs).
import { createHmac, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  BENCH_SECRET,
  BENCH_SHOP,
  benchProgramOption,
  compareRounds,
  createBenchDatabases,
  databaseKindOption,
  describeDatabase,
  ensureBuild,
  installBenchShop,
  ledgerCheck,
  ledgerKinds,
  load,
  option,
  postgresSettingsOption,
  root,
  startApp,
  startFloor,
} from "./bench-support.mjs";

const ORDERS = option("orders", 5000);
const CONCURRENCY = option("concurrency", 50);
const ROUNDS = option("rounds", 3);
const KIND = databaseKindOption();
const PG_SETTINGS = postgresSettingsOption();
const TRACE = process.argv.includes("--trace-sql");
const PROGRAM = benchProgramOption();
/** --cpu-prof <dir>: the app's V8 CPU profile, written to <dir> when it stops (open it in Chrome's DevTools). */
const CPU_PROF = process.argv.includes("--cpu-prof") ? path.resolve(process.argv[process.argv.indexOf("--cpu-prof") + 1]) : null;
const WARM_UP = 500;

function orderBody(i) {
  const id = 7_000_000_000_000 + i;
  const customer = 8_000_000_000_000 + (i % 2000);
  const money = (amount) => ({ shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } });
  return JSON.stringify({
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#B${i}`,
    currency: "USD",
    taxes_included: false,
    financial_status: "paid",
    cancelled_at: null,
    line_items: [1, 2, 3].map((n) => ({
      id: id * 10 + n,
      product_id: 900 + n,
      quantity: n,
      price: `${10 * n}.50`,
      price_set: money(`${10 * n}.50`),
      gift_card: false,
      discount_allocations: n === 1 ? [{ amount: "1.00", amount_set: money("1.00") }] : [],
      tax_lines: [{ price: "1.20", price_set: money("1.20"), rate: 0.1, title: "Tax" }],
    })),
    shipping_lines: [{ price: "5.00", price_set: money("5.00") }],
    customer: { id: customer, email: `c${customer}@example.com`, first_name: "Bench", last_name: "Mark", tags: "" },
    refunds: [],
  });
}

function deliveries(count, offset) {
  return Array.from({ length: count }, (_, i) => {
    const body = orderBody(offset + i);
    return {
      method: "POST",
      path: "/webhooks",
      body,
      headers: {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
        "X-Shopify-Topic": "orders/paid",
        "X-Shopify-Shop-Domain": BENCH_SHOP,
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-Api-Version": "2026-01",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", BENCH_SECRET).update(body).digest("base64"),
      },
    };
  });
}

/** Asks the traced app for what it saw since the last ask (and resets its counters). */
async function traceSnapshot(app, file) {
  fs.rmSync(file, { force: true });
  app.child.kill("SIGUSR2");
  for (let waited = 0; !fs.existsSync(file); waited += 20) {
    if (waited > 5000) throw new Error("the SQL trace did not answer");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function printTrace({ batches, otherTransactions, outsideTransactions }) {
  const perDelivery = (n) => (n / batches.deliveries).toFixed(2);
  const wall = [...batches.wallMs].sort((a, b) => a - b);
  const at = (q) => wall[Math.min(wall.length - 1, Math.floor(q * wall.length))]?.toFixed(2);
  const wallTotal = wall.reduce((sum, ms) => sum + ms, 0);
  console.log(
    `sql trace (measured rounds): ${batches.deliveries} deliveries in ${batches.count} batch transactions, ${(batches.deliveries / batches.count).toFixed(1)} deliveries per batch`,
  );
  console.log(`  statements per delivery: ${perDelivery(batches.statements)} (BEGIN/COMMIT included)`);
  for (const [kind, n] of Object.entries(batches.kinds).sort((a, b) => b[1] - a[1])) {
    console.log(`    ${perDelivery(n).padStart(6)}  ${kind.padEnd(48)} ${(batches.kindMs[kind] / n).toFixed(3)} ms each`);
  }
  console.log(
    `  batch transaction wall time: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; per delivery ${(wallTotal / batches.deliveries).toFixed(3)} ms`,
  );
  console.log(
    `  of which waiting on statement round trips: ${((100 * batches.roundTripMs) / wallTotal).toFixed(0)}% (${(batches.roundTripMs / batches.statements).toFixed(3)} ms per statement)`,
  );
  console.log(
    `  other transactions (job worker, ...): ${otherTransactions.count}, ${otherTransactions.statements} statements; outside transactions: ${outsideTransactions.statements}`,
  );
}

async function main() {
  if (TRACE && KIND !== "postgres") throw new Error("--trace-sql traces pg: use it with --db postgres");
  ensureBuild();
  const databases = await createBenchDatabases(KIND, { settings: PG_SETTINGS });
  await installBenchShop(databases.app, new Date().toISOString(), PROGRAM);
  const traceFile = path.join(os.tmpdir(), `loyalty-bench-trace-${process.pid}.json`);
  const app = await startApp(databases.appUrl, {
    nodeArgs: [
      ...(TRACE ? ["--import", path.join(root, "scripts/bench-sql-trace.mjs")] : []),
      ...(CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF}`] : []),
    ],
    env: TRACE ? { BENCH_SQL_TRACE: traceFile } : {},
  });
  const floor = await startFloor("webhooks", databases.floorUrl);
  console.log(
    `bench: ${ORDERS} distinct signed orders/paid webhooks at concurrency ${CONCURRENCY}, ${ROUNDS} rounds each, ${describeDatabase(KIND, PG_SETTINGS)}, program ${PROGRAM}, ${os.cpus().length} cores`,
  );
  try {
    // Warm up both (JIT, statement caches, page cache).
    await load(app.port, deliveries(WARM_UP, 10_000_000), CONCURRENCY);
    await load(floor.port, deliveries(WARM_UP, 10_000_000), CONCURRENCY);
    if (TRACE) await traceSnapshot(app, traceFile);
    await compareRounds({
      label: "webhooks",
      unit: "webhooks",
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      contenders: { app, floor },
      requests: (which, round) => deliveries(ORDERS, (round + 1) * 1_000_000 + (which === "app" ? 0 : 500_000)),
    });
    if (TRACE) printTrace(await traceSnapshot(app, traceFile));
    const { entries, mismatches } = await ledgerCheck(databases.app);
    const byKind = Object.entries(await ledgerKinds(databases.app))
      .map(([kind, n]) => `${kind} ${n}`)
      .join(", ");
    // Each order earns once; with campaigns also three campaign bonuses and, every 6th order of a customer, the stamp card's.
    console.log(`ledger: ${entries} entries written (${byKind}; ${WARM_UP + ORDERS * ROUNDS} orders), members whose balance != sum of entries: ${mismatches}`);
  } finally {
    await app.stop();
    await floor.stop();
    await databases.app.close();
    await databases.cleanup();
    fs.rmSync(traceFile, { force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
