#!/usr/bin/env node
// Shopper read benchmark (not a test): the storefront's app proxy GET /proxy/customer and the
// extensions' GET /api/checkout/rewards and /api/customer-account/rewards, signed as Shopify
// signs them, for random members of a seeded shop, against the production build on 127.0.0.1;
// next to a floor measured in the same run (scripts/bench-floor.mjs in shopper mode: verify the
// same signature or token, read the member's balance by shop and customer id, answer JSON).
//
//   npm run bench:proxy -- [--requests 2000] [--concurrency 16] [--rounds 5] [--members 2000]
//                          [--db sqlite|postgres] [--pg-setting name=value ...] [--cpu-prof DIR]
//
// Each round also reports the CPU time the app's and the floor's processes used per request
// (Linux /proc), steadier than throughput when other work shares the cores. --cpu-prof DIR runs
// the app under node --cpu-prof and leaves its .cpuprofile in DIR when the bench ends.
import { createHmac, randomUUID } from "node:crypto";
import os from "node:os";
import {
  BENCH_API_KEY,
  BENCH_SECRET,
  BENCH_SHOP,
  appProxySignature,
  compareRounds,
  createBenchDatabases,
  databaseKindOption,
  describeDatabase,
  ensureBuild,
  installBenchShop,
  load,
  option,
  postgresSettingsOption,
  startApp,
  startFloor,
} from "./bench-support.mjs";

const REQUESTS = option("requests", 2000);
const CONCURRENCY = option("concurrency", 16);
const ROUNDS = option("rounds", 5);
const MEMBERS = option("members", 2000);
const KIND = databaseKindOption();
const PG_SETTINGS = postgresSettingsOption();
const CPU_PROFILE_DIR = option("cpu-prof", "");
const WARM_UP = 300;
const FIRST_CUSTOMER_ID = 9_000_000_000_000;
// shopify-app-remix answers 410 to user agents isbot() recognises.
const BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

/** Members with 0 to 3 ledger entries each (their balances follow by the ledger trigger), and four rewards. */
async function seed(db) {
  const now = new Date().toISOString();
  await db.exec("BEGIN");
  for (let i = 0; i < MEMBERS; i++) {
    const customerId = String(FIRST_CUSTOMER_ID + i);
    const { id } = await db.get(
      `INSERT INTO "members" ("shop", "customer_id", "email", "first_name", "last_name", "balance", "created_at", "updated_at")
       VALUES (?, ?, ?, 'Bench', 'Shopper', 0, ?, ?) RETURNING "id"`,
      [BENCH_SHOP, customerId, `c${customerId}@example.com`, now, now],
    );
    for (let entry = 0; entry < i % 4; entry++) {
      await db.run(
        `INSERT INTO "ledger_entries" ("shop", "member_id", "delta", "kind", "source_key", "order_id", "actor_type", "reason", "created_at")
         VALUES (?, ?, ?, 'earned', ?, ?, 'system', ?, ?)`,
        [BENCH_SHOP, id, 100 + ((i * 37 + entry * 11) % 900), `bench:${i}:${entry}`, String(7_000_000 + i * 4 + entry), `Order #S${i}-${entry}`, now],
      );
    }
  }
  const rewards = [
    ["$5 off", "fixed_amount", 500, 500, 0, null, null],
    ["10% off", "percentage", 1000, 0, 10, null, null],
    ["Free shipping", "free_shipping", 300, 0, 0, null, null],
    ["Store credit", "variable", 100, 100, 0, 500, 5000],
  ];
  for (const [name, kind, cost, value, percent, min, max] of rewards) {
    await db.run(
      `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "percent_off", "min_amount_minor", "max_amount_minor", "created_at", "updated_at")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [BENCH_SHOP, name, kind, cost, value, percent, min, max, now, now],
    );
  }
  await db.exec("COMMIT");
}

const randomCustomerId = () => String(FIRST_CUSTOMER_ID + Math.floor(Math.random() * MEMBERS));

/** GET /proxy/customer as Shopify's app proxy forwards it: hex HMAC over the sorted query pairs. */
function proxyRequest(customerId = randomCustomerId()) {
  const params = new URLSearchParams({
    shop: BENCH_SHOP,
    logged_in_customer_id: customerId,
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  params.set("signature", appProxySignature(BENCH_SECRET, params));
  return { method: "GET", path: `/proxy/customer?${params}`, headers: { "User-Agent": BROWSER } };
}

const base64url = (text) => Buffer.from(text).toString("base64url");

/** An extension's session token: HS256 with the app's secret, `dest` the shop, `sub` the customer's gid. */
function sessionToken(claims) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ ...claims, aud: BENCH_API_KEY, exp: now + 300, nbf: now - 5, iat: now - 5, jti: randomUUID() }));
  return `${header}.${payload}.${createHmac("sha256", BENCH_SECRET).update(`${header}.${payload}`).digest("base64url")}`;
}

function extensionRequest(path, issuer, customerId = randomCustomerId()) {
  const claims = { dest: `https://${BENCH_SHOP}`, sub: `gid://shopify/Customer/${customerId}`, ...(issuer ? { iss: `https://${BENCH_SHOP}` } : {}) };
  return { method: "GET", path, headers: { Authorization: `Bearer ${sessionToken(claims)}`, Origin: EXTENSION_ORIGIN, "User-Agent": BROWSER } };
}

const ENDPOINTS = [
  { label: "proxy /proxy/customer", build: proxyRequest },
  { label: "checkout /api/checkout/rewards", build: (customerId) => extensionRequest("/api/checkout/rewards", false, customerId) },
  { label: "customer-account /api/customer-account/rewards", build: (customerId) => extensionRequest("/api/customer-account/rewards", true, customerId) },
];

/** Both answer 200 with the same balance for a member with ledger entries, or the run stops. */
async function checkAnswersAgree(endpoint, app, floor) {
  const customerId = String(FIRST_CUSTOMER_ID + 3);
  const request = endpoint.build(customerId);
  const answers = await Promise.all(
    [app, floor].map(async ({ port }) => {
      const response = await fetch(`http://127.0.0.1:${port}${request.path}`, { headers: request.headers });
      return { status: response.status, points: (await response.json()).points };
    }),
  );
  if (answers.some((a) => a.status !== 200 || a.points !== answers[0].points || !(a.points > 0))) {
    throw new Error(`${endpoint.label}: app and floor disagree for customer ${customerId}: ${JSON.stringify(answers)}`);
  }
}

async function main() {
  ensureBuild();
  const databases = await createBenchDatabases(KIND, { settings: PG_SETTINGS });
  await installBenchShop(databases.app);
  await seed(databases.app);
  const app = await startApp(databases.appUrl, CPU_PROFILE_DIR ? { nodeArgs: ["--cpu-prof", "--cpu-prof-dir", CPU_PROFILE_DIR] } : {});
  // The floor reads the app's own members table.
  const floor = await startFloor("shopper", databases.appUrl);
  console.log(
    `bench: ${REQUESTS} signed GETs per round for random members of ${MEMBERS}, concurrency ${CONCURRENCY}, ${ROUNDS} rounds each, ${describeDatabase(KIND, PG_SETTINGS)}, ${os.cpus().length} cores`,
  );
  const results = [];
  try {
    for (const endpoint of ENDPOINTS) {
      await checkAnswersAgree(endpoint, app, floor);
      const requests = (count) => Array.from({ length: count }, () => endpoint.build());
      // Warm up both (JIT, statement caches, page cache).
      await load(app.port, requests(WARM_UP), CONCURRENCY);
      await load(floor.port, requests(WARM_UP), CONCURRENCY);
      const { app: a, floor: f } = await compareRounds({
        label: endpoint.label,
        unit: "req",
        rounds: ROUNDS,
        concurrency: CONCURRENCY,
        contenders: { app, floor },
        requests: () => requests(REQUESTS),
      });
      results.push({ endpoint: endpoint.label, a, f });
    }
    console.log("summary (medians):");
    for (const { endpoint, a, f } of results) {
      const cpu = a.cpuMsPerRequest && f.cpuMsPerRequest ? ` | cpu/req app ${a.cpuMsPerRequest.toFixed(3)} ms floor ${f.cpuMsPerRequest.toFixed(3)} ms` : "";
      console.log(
        `  ${endpoint.padEnd(48)} app ${a.perSecond.toFixed(0).padStart(5)}/s p99 ${a.p99.toFixed(1).padStart(6)} ms | floor ${f.perSecond.toFixed(0).padStart(5)}/s p99 ${f.p99.toFixed(1).padStart(6)} ms | ${(a.perSecond / f.perSecond).toFixed(2)}x${cpu}`,
      );
    }
  } finally {
    await app.stop();
    await floor.stop();
    await databases.app.close();
    await databases.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
