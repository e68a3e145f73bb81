// What the benchmarks (scripts/bench-webhooks.mjs, scripts/bench-proxy.mjs) share: options, a
// fresh migrated database of either kind, the production server and the floor as child
// processes, a keep-alive load generator, and rounds that alternate app and floor.
import { fork, spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { build } from "esbuild";
import pg from "pg";
import { migrationScripts } from "./migrations.mjs";
import { startPostgres } from "./postgres.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BENCH_SECRET = "bench-secret";
export const BENCH_API_KEY = "bench-key";
export const BENCH_SHOP = "bench.myshopify.com";
/** The app's own pool size (openPostgres's default); the PostgreSQL floor uses the same. */
export const APP_POOL_SIZE = 10;

/** `--name value` from the command line: numbers for numeric fallbacks, every value of a repeated option for arrays. */
export function option(name, fallback) {
  const values = process.argv.flatMap((arg, index) => (arg === `--${name}` ? [process.argv[index + 1]] : []));
  if (Array.isArray(fallback)) return values.length ? values : fallback;
  if (!values.length) return fallback;
  return typeof fallback === "number" ? Number(values.at(-1)) : values.at(-1);
}

export function databaseKindOption() {
  const kind = option("db", "sqlite");
  if (kind !== "sqlite" && kind !== "postgres") throw new Error(`--db must be sqlite or postgres, got ${kind}`);
  return kind;
}

export const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export function ensureBuild() {
  if (fs.existsSync(path.join(root, "build/server/index.js"))) return;
  const build = spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (build.status !== 0) throw new Error("build failed");
}

/**
 * SQL with `?` placeholders on a SQLite file or a PostgreSQL database, by URL: enough to migrate,
 * seed and check (and for the floor's one statement), without the app's data layer.
 */
export function openDatabaseClient(url, poolSize = 1) {
  if (url.startsWith("file:")) {
    const db = new Database(url.slice("file:".length));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    const statements = new Map();
    const prepare = (sql) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql);
    return {
      dialect: "sqlite",
      exec: async (script) => db.exec(script),
      run: async (sql, params = []) => prepare(sql).run(...params),
      get: async (sql, params = []) => prepare(sql).get(...params),
      close: async () => db.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const converted = new Map();
  const numbered = (sql) => {
    if (!converted.has(sql)) {
      let index = 0;
      converted.set(
        sql,
        sql.replace(/\?/g, () => `$${++index}`),
      );
    }
    return converted.get(sql);
  };
  return {
    dialect: "postgres",
    exec: async (script) => void (await pool.query(script)),
    run: async (sql, params = []) => pool.query(numbered(sql), params),
    get: async (sql, params = []) => (await pool.query(numbered(sql), params)).rows[0],
    close: () => pool.end(),
  };
}

/**
 * A fresh database with the app's migrations (as test/support/database.ts applies them) and an
 * empty one for the floor: two SQLite files in a temporary folder, or two databases on a
 * throwaway PostgreSQL server started with `settings` (PostgreSQL's defaults unless given).
 */
export async function createBenchDatabases(kind, { settings = {} } = {}) {
  let appUrl;
  let floorUrl;
  let cleanup;
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-bench-"));
    appUrl = `file:${path.join(dir, "app.sqlite")}`;
    floorUrl = `file:${path.join(dir, "floor.sqlite")}`;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const server = await startPostgres({ settings });
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("CREATE DATABASE bench_app");
    await admin.query("CREATE DATABASE bench_floor");
    await admin.end();
    const named = (name) => Object.assign(new URL(server.url), { pathname: `/${name}` }).toString();
    appUrl = named("bench_app");
    floorUrl = named("bench_floor");
    cleanup = async () => server.stop();
    for (const signal of ["SIGINT", "SIGTERM"]) {
      process.once(signal, () => {
        server.stop();
        process.exit(130);
      });
    }
  }
  const app = openDatabaseClient(appUrl);
  for (const script of migrationScripts(kind)) await app.exec(script);
  return { kind, appUrl, floorUrl, app, cleanup };
}

/** The ways to earn a new shop starts with (ensureDefaultEarningRules): 1 point per unit of currency, sign-up and birthday points. */
const DEFAULT_RULES = [
  { kind: "purchase", points: 0, pointsPerCurrencyUnit: 1 },
  { kind: "signup", points: 100 },
  { kind: "birthday", points: 100, limitCount: 1, limitPeriod: "year" },
];

/**
 * What BENCH_PROGRAM=campaigns adds to the defaults: a stamp card (50 points every 6th order) and
 * three live campaigns that overlap on every order: 2x on everything, 3x on product 902 (the
 * higher wins on its line) and a fixed 25-point bonus.
 */
const CAMPAIGN_PROGRAM = {
  rules: [{ kind: "nth_order", points: 50, everyNth: 6 }],
  campaigns: [
    { name: "Double points", multiplierPercent: 200, bonusPoints: null, productIds: [] },
    { name: "Triple on 902", multiplierPercent: 300, bonusPoints: null, productIds: ["902"] },
    { name: "25 bonus", multiplierPercent: null, bonusPoints: 25, productIds: [] },
  ],
};

/**
 * What BENCH_PROGRAM=tiers adds to the defaults: Silver, Gold and Platinum on points earned over
 * the calendar year, low enough that the benchmark's customers climb them during the run (each
 * order counts towards the tier in its transaction; upgrades, the 1.25x/1.5x/2x multipliers and
 * the entry bonuses are written as they happen).
 */
const TIER_PROGRAM = [
  { rank: 1, threshold: 200, name: "Silver", multiplierPercent: 125, entryBonusPoints: 20 },
  { rank: 2, threshold: 1_000, name: "Gold", multiplierPercent: 150, entryBonusPoints: 50 },
  { rank: 3, threshold: 5_000, name: "Platinum", multiplierPercent: 200, entryBonusPoints: 100 },
];

const BENCH_PROGRAMS = ["default", "campaigns", "tiers"];

/** The program the benchmark shop runs: BENCH_PROGRAM=campaigns or tiers, or the defaults. */
export function benchProgramOption() {
  const program = process.env.BENCH_PROGRAM || "default";
  if (!BENCH_PROGRAMS.includes(program)) throw new Error(`BENCH_PROGRAM must be one of ${BENCH_PROGRAMS.join(", ")}, got ${program}`);
  return program;
}

/**
 * The offline session that makes the shop installed, its shops row and its ways to earn (the
 * defaults an install gives, and with program "campaigns" a stamp card and three overlapping campaigns).
 */
export async function installBenchShop(db, now = new Date().toISOString(), program = "default") {
  await db.run(`INSERT INTO "Session" ("id", "shop", "state", "isOnline", "accessToken") VALUES (?, ?, 'bench', FALSE, 'shpat_bench')`, [
    `offline_${BENCH_SHOP}`,
    BENCH_SHOP,
  ]);
  await db.run(`INSERT INTO "shops" ("domain", "installed_at", "currency_code", "updated_at") VALUES (?, ?, 'USD', ?)`, [BENCH_SHOP, now, now]);
  const rules = [...DEFAULT_RULES, ...(program === "campaigns" ? CAMPAIGN_PROGRAM.rules : [])];
  for (const [position, rule] of rules.entries()) {
    await db.run(
      `INSERT INTO "earning_rules" ("shop", "kind", "status", "points", "points_per_currency_unit", "every_nth", "limit_count", "limit_period", "position", "created_at", "updated_at")
       VALUES (?, ?, 'live', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        BENCH_SHOP,
        rule.kind,
        rule.points,
        rule.pointsPerCurrencyUnit ?? null,
        rule.everyNth ?? null,
        rule.limitCount ?? null,
        rule.limitPeriod ?? null,
        position,
        now,
        now,
      ],
    );
  }
  if (program === "tiers") {
    await db.run(
      `INSERT INTO "tier_programs" ("shop", "enabled", "basis", "period_kind", "retention", "updated_at") VALUES (?, TRUE, 'points_earned', 'calendar_year', 'period_and_next', ?)`,
      [BENCH_SHOP, now],
    );
    for (const tier of TIER_PROGRAM) {
      await db.run(
        `INSERT INTO "tiers" ("shop", "rank", "threshold", "names", "multiplier_percent", "entry_bonus_points", "created_at", "updated_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [BENCH_SHOP, tier.rank, tier.threshold, JSON.stringify({ en: tier.name }), tier.multiplierPercent, tier.entryBonusPoints, now, now],
      );
    }
    return;
  }
  if (program !== "campaigns") return;
  const startsAt = new Date(Date.parse(now) - 86_400_000).toISOString();
  const endsAt = new Date(Date.parse(now) + 30 * 86_400_000).toISOString();
  for (const campaign of CAMPAIGN_PROGRAM.campaigns) {
    await db.run(
      `INSERT INTO "campaigns" ("shop", "name", "status", "starts_at", "ends_at", "multiplier_percent", "bonus_points", "product_ids", "created_at", "updated_at")
       VALUES (?, ?, 'live', ?, ?, ?, ?, ?, ?, ?)`,
      [BENCH_SHOP, campaign.name, startsAt, endsAt, campaign.multiplierPercent, campaign.bonusPoints, JSON.stringify(campaign.productIds), now, now],
    );
  }
}

/** Ledger entries by kind ("earned", "campaign_bonus", ...), for the benchmark's closing line. */
export async function ledgerKinds(db) {
  const kinds = {};
  for (const kind of ["earned", "campaign_bonus", "order_bonus", "tier_bonus"]) {
    const { n } = await db.get('SELECT COUNT(*) AS "n" FROM "ledger_entries" WHERE "kind" = ?', [kind]);
    if (Number(n) > 0) kinds[kind] = Number(n);
  }
  return kinds;
}

/** The ledger's promise after a run: how many entries, and how many members' balances differ from their sum. */
export async function ledgerCheck(db) {
  const { n: entries } = await db.get('SELECT COUNT(*) AS "n" FROM "ledger_entries"');
  const { n: mismatches } = await db.get(
    `SELECT COUNT(*) AS "n" FROM (SELECT m."id" FROM "members" m LEFT JOIN "ledger_entries" e ON e."member_id" = m."id"
     GROUP BY m."id", m."balance" HAVING m."balance" <> COALESCE(SUM(e."delta"), 0)) AS "off"`,
  );
  return { entries: Number(entries), mismatches: Number(mismatches) };
}

const childStopper = (child) => () =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

/** The production server (server.mjs) on 127.0.0.1 over `databaseUrl`; `nodeArgs` go before the script (e.g. --import). */
export async function startApp(databaseUrl, { nodeArgs = [], env = {} } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, "server.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: BENCH_API_KEY,
      SHOPIFY_API_SECRET: BENCH_SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1",
      SCOPES: "read_orders,read_customers",
      PORT: String(port),
      HOST: "127.0.0.1",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => String(chunk).includes("listening") && resolve());
    child.once("exit", (code) => reject(new Error(`server.mjs exited with ${code} before listening`)));
  });
  child.stdout.resume();
  return { port, child, stop: childStopper(child) };
}

/** scripts/bench-floor.mjs in `mode` ("webhooks" or "shopper") over `databaseUrl`, with the app's pool size. */
export async function startFloor(mode, databaseUrl) {
  const port = await freePort();
  const child = fork(path.join(root, "scripts/bench-floor.mjs"), {
    env: {
      ...process.env,
      FLOOR_MODE: mode,
      FLOOR_DATABASE_URL: databaseUrl,
      FLOOR_POOL_SIZE: String(APP_POOL_SIZE),
      FLOOR_SECRET: BENCH_SECRET,
      FLOOR_API_KEY: BENCH_API_KEY,
      FLOOR_PORT: String(port),
    },
  });
  await new Promise((resolve) => child.once("message", resolve));
  return { port, child, stop: childStopper(child) };
}

/**
 * Sends every request ({ method, path, headers, body }) over keep-alive connections, `concurrency`
 * at a time, each connection sending its next as soon as the previous answer has ended.
 */
export async function load(port, requests, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  const failures = new Map();
  let next = 0;
  const fail = (why) => failures.set(why, (failures.get(why) ?? 0) + 1);
  const send = (request) =>
    new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const req = http.request({ host: "127.0.0.1", port, path: request.path, method: request.method, headers: request.headers, agent }, (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (res.statusCode !== 200) fail(res.statusCode);
          resolve();
        });
      });
      req.on("error", (error) => {
        fail(error.code ?? "error");
        resolve();
      });
      req.end(request.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) await send(requests[next++]);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const failed = [...failures.values()].reduce((sum, n) => sum + n, 0);
  return { perSecond: requests.length / seconds, p50: at(0.5), p99: at(0.99), failures: failed, failureKinds: Object.fromEntries(failures) };
}

/**
 * CPU seconds (user + system) a child process has used so far, from /proc (Linux); null elsewhere.
 * Beside throughput it shows what a request costs when other work shares the machine's cores.
 */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The fields after the command name (which may hold spaces) start with the state, field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
// USER_HZ: 100 on every Linux architecture Node runs on.
const CLOCK_TICKS = 100;

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const describeFailures = (result) =>
  result.failures
    ? `${result.failures} (${Object.entries(result.failureKinds)
        .map(([kind, n]) => `${kind}: ${n}`)
        .join(", ")})`
    : "0";

/**
 * R rounds of app against floor on one endpoint; the order alternates each round so a noisy
 * neighbour hurts both alike. `requests(which, round)` builds a round's requests just before it
 * is sent (signatures and tokens are fresh). Prints each round and the medians; returns them.
 */
export async function compareRounds({ label, unit, rounds, concurrency, contenders, requests }) {
  const results = { app: [], floor: [] };
  for (let round = 0; round < rounds; round++) {
    for (const which of round % 2 ? ["floor", "app"] : ["app", "floor"]) {
      const batch = requests(which, round);
      const cpuBefore = cpuSeconds(contenders[which].child.pid);
      const result = await load(contenders[which].port, batch, concurrency);
      const cpuAfter = cpuSeconds(contenders[which].child.pid);
      result.cpuMsPerRequest = cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1000) / batch.length;
      results[which].push(result);
      const cpu = result.cpuMsPerRequest === null ? "" : `  cpu ${result.cpuMsPerRequest.toFixed(3)} ms/${unit}`;
      console.log(
        `  ${label} round ${round + 1} ${which.padEnd(5)} ${result.perSecond.toFixed(0).padStart(6)} ${unit}/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms${cpu}  non-200: ${describeFailures(result)}`,
      );
    }
  }
  const summary = (list) => ({
    perSecond: median(list.map((r) => r.perSecond)),
    p50: median(list.map((r) => r.p50)),
    p99: median(list.map((r) => r.p99)),
    cpuMsPerRequest: list.some((r) => r.cpuMsPerRequest === null) ? null : median(list.map((r) => r.cpuMsPerRequest)),
    failures: list.reduce((sum, r) => sum + r.failures, 0),
  });
  const app = summary(results.app);
  const floor = summary(results.floor);
  const line = (s) =>
    `${s.perSecond.toFixed(0)} ${unit}/s, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms${s.cpuMsPerRequest === null ? "" : `, cpu ${s.cpuMsPerRequest.toFixed(3)} ms/${unit}`}, non-200 ${s.failures}`;
  console.log(`${label} app   (median of ${rounds}): ${line(app)}`);
  console.log(`${label} floor (median of ${rounds}): ${line(floor)}`);
  const cpuRatio = app.cpuMsPerRequest && floor.cpuMsPerRequest ? `, ${(app.cpuMsPerRequest / floor.cpuMsPerRequest).toFixed(2)}x cpu per ${unit}` : "";
  console.log(`${label} ratio app/floor: ${(app.perSecond / floor.perSecond).toFixed(2)}x throughput${cpuRatio}`);
  return { app, floor };
}

/** The PostgreSQL settings given as repeated `--pg-setting name=value`. */
export function postgresSettingsOption() {
  return Object.fromEntries(
    option("pg-setting", []).map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new Error(`--pg-setting takes name=value, got ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** "SQLite" or "PostgreSQL (default settings)" / "PostgreSQL (synchronous_commit=off)", for the header line. */
export function describeDatabase(kind, settings) {
  if (kind === "sqlite") return "SQLite";
  const given = Object.entries(settings)
    .map(([name, value]) => `${name}=${value}`)
    .join(" ");
  return `PostgreSQL (${given || "default settings"})`;
}

/**
 * The app proxy's signature over URLSearchParams, as Shopify computes it and
 * app/proxy/verify.server.ts checks it: hex HMAC-SHA256 over every `key=value` but `signature`
 * (repeated keys joined by commas), sorted, concatenated.
 */
export function appProxySignature(secret, params) {
  const message = [...new Set(params.keys())]
    .filter((key) => key !== "signature")
    .map((key) => `${key}=${params.getAll(key).join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/**
 * The app's own modules for a benchmark that drives them in its process (the job runner, the
 * models): `source` re-exports them from app/, bundled by esbuild into a file inside the project
 * (so their imports resolve to node_modules), imported, and removed.
 */
export async function loadAppModules(name, source) {
  const outfile = path.join(root, "data", `.${name}-${process.pid}.mjs`);
  await build({
    stdin: { contents: source, resolveDir: root, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    fs.rmSync(outfile, { force: true });
  }
}

/**
 * A fresh SQLite file in data/ for a benchmark that drives the app's modules in its process
 * (bench-birthdays, bench-expiry), migrated by Prisma; `remove` deletes it and its WAL files.
 */
export function freshSqliteFile(name) {
  const file = path.join(root, "data", `${name}.sqlite`);
  const remove = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${file}${suffix}`, { force: true });
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  remove();
  const result = spawnSync(process.execPath, [path.join(root, "scripts/prisma.mjs"), "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error("prisma migrate deploy failed");
  return { file, remove };
}
