#!/usr/bin/env node
// Webhook throughput benchmark (not a test): N distinct signed orders/paid deliveries at
// concurrency C against the production build on 127.0.0.1, next to a floor measured in the same
// run (scripts/bench-floor.mjs). Prints throughput, p50/p99 latency and the ratio.
//
//   npm run bench:webhooks -- [--orders 5000] [--concurrency 50] [--rounds 3]
import { fork, spawn, spawnSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const ORDERS = option("orders", 5000);
const CONCURRENCY = option("concurrency", 50);
const ROUNDS = option("rounds", 3);
const SECRET = "bench-secret";
const SHOP = "bench.myshopify.com";

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

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

function deliveries(offset) {
  return Array.from({ length: ORDERS }, (_, i) => {
    const body = orderBody(offset + i);
    return {
      body,
      headers: {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
        "X-Shopify-Topic": "orders/paid",
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-Api-Version": "2026-01",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
      },
    };
  });
}

async function load(port, requests) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let next = 0;
  let failures = 0;
  const send = (request) =>
    new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const req = http.request({ host: "127.0.0.1", port, path: "/webhooks", method: "POST", headers: request.headers, agent }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (res.statusCode !== 200) failures++;
          resolve();
        });
      });
      req.on("error", () => {
        failures++;
        resolve();
      });
      req.end(request.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) await send(requests[next++]);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: requests.length / seconds, p50: at(0.5), p99: at(0.99), failures };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  if (!fs.existsSync(path.join(root, "build/server/index.js"))) {
    spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { cwd: root, stdio: "inherit" });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-bench-"));
  const appDb = path.join(dir, "app.sqlite");
  const env = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: `file:${appDb}`,
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "http://127.0.0.1",
    SCOPES: "read_orders",
  };
  const deploy = spawnSync(process.execPath, ["scripts/prisma.mjs", "deploy"], { cwd: root, env, encoding: "utf8" });
  if (deploy.status !== 0) throw new Error(`migrate deploy failed: ${deploy.stderr}`);
  const seed = new Database(appDb);
  seed.prepare(`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "accessToken") VALUES (?, ?, 'bench', 0, 'shpat_bench')`).run(`offline_${SHOP}`, SHOP);
  seed.close();

  const appPort = await freePort();
  const app = spawn(process.execPath, ["server.mjs"], { cwd: root, env: { ...env, PORT: String(appPort), HOST: "127.0.0.1" }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve) => app.stdout.on("data", (chunk) => String(chunk).includes("listening") && resolve()));
  const floorPort = await freePort();
  const floor = fork(path.join(root, "scripts/bench-floor.mjs"), {
    env: { ...process.env, FLOOR_DB: path.join(dir, "floor.sqlite"), FLOOR_SECRET: SECRET, FLOOR_PORT: String(floorPort) },
  });
  await new Promise((resolve) => floor.once("message", resolve));

  console.log(`bench: ${ORDERS} distinct signed orders/paid webhooks at concurrency ${CONCURRENCY}, ${ROUNDS} rounds each, SQLite, ${os.cpus().length} cores`);
  // Warm up both (JIT, statement caches, page cache).
  await load(appPort, deliveries(10_000_000).slice(0, 500));
  await load(floorPort, deliveries(10_000_000).slice(0, 500));
  const rounds = { app: [], floor: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first so a noisy neighbour hurts both alike.
    const order = round % 2 ? ["floor", "app"] : ["app", "floor"];
    for (const which of order) {
      const result = await load(which === "app" ? appPort : floorPort, deliveries((round + 1) * 1_000_000 + (which === "app" ? 0 : 500_000)));
      rounds[which].push(result);
      console.log(`  round ${round + 1} ${which.padEnd(5)} ${result.perSecond.toFixed(0).padStart(6)} webhooks/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  non-200: ${result.failures}`);
    }
  }
  const summary = (list) => ({
    perSecond: median(list.map((r) => r.perSecond)),
    p50: median(list.map((r) => r.p50)),
    p99: median(list.map((r) => r.p99)),
    failures: list.reduce((sum, r) => sum + r.failures, 0),
  });
  const a = summary(rounds.app);
  const f = summary(rounds.floor);
  const check = new Database(appDb, { readonly: true });
  const entries = check.prepare('SELECT COUNT(*) AS n FROM "ledger_entries"').get().n;
  const mismatches = check
    .prepare('SELECT COUNT(*) AS n FROM (SELECT m.id FROM members m LEFT JOIN ledger_entries e ON e.member_id = m.id GROUP BY m.id HAVING m.balance <> COALESCE(SUM(e.delta), 0))')
    .get().n;
  check.close();
  console.log(`app   (median of ${ROUNDS}): ${a.perSecond.toFixed(0)} webhooks/s, p50 ${a.p50.toFixed(2)} ms, p99 ${a.p99.toFixed(2)} ms, non-200 ${a.failures}`);
  console.log(`floor (median of ${ROUNDS}): ${f.perSecond.toFixed(0)} webhooks/s, p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms`);
  console.log(`ratio app/floor: ${(a.perSecond / f.perSecond).toFixed(2)}x throughput`);
  console.log(`ledger: ${entries} entries written (expected ${500 + ORDERS * ROUNDS}), members whose balance != sum of entries: ${mismatches}`);
  app.kill("SIGTERM");
  floor.kill("SIGTERM");
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
