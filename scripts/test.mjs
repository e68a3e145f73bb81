#!/usr/bin/env node
// The test command: ESLint and Prettier's check (one result each), then the whole Vitest suite
// on SQLite, then again on PostgreSQL (a throwaway server on loopback unless TEST_POSTGRES_URL
// names one), after checking that the real Prisma migrations deploy on both. A lint or format
// finding counts as a failure, and the tests still run. Ends with one line:
// "N passed, N failed, N skipped".
//
//   npm test                 both databases
//   npm test -- sqlite       one database (sqlite | postgres)
//   npm test -- sqlite test/order-webhooks-award-points.test.ts   and only these files (linted and checked alone)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgres } from "./postgres.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const only = ["sqlite", "postgres"].includes(args[0]) ? args.shift() : null;
const files = args;

function run(command, commandArgs, env = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const totals = { passed: 0, failed: 0, skipped: 0 };

function must(status, what) {
  if (status !== 0) {
    console.error(`${what} failed`);
    console.log(`${totals.passed} passed, ${totals.failed + 1} failed, ${totals.skipped} skipped`);
    process.exit(1);
  }
}

// Lint and formatting, as `npm run lint` and `npm run format:check` do them: one result each.
function check(label, script, scriptArgs) {
  console.log(`\n=== ${label} ===`);
  const passed = run(process.execPath, [script, ...scriptArgs]) === 0;
  console.log(`${label}: ${passed ? "passed" : "failed"}`);
  totals[passed ? "passed" : "failed"]++;
}

// Files named on the command line are checked alone; Vitest's name filters are not files.
const named = files.filter((file) => fs.existsSync(path.resolve(root, file)));
const checked = named.length > 0 ? named : ["."];
check("eslint", "node_modules/eslint/bin/eslint.js", ["--max-warnings=0", "--no-warn-ignored", ...checked]);
check("prettier --check", "node_modules/prettier/bin/prettier.cjs", ["--check", "--ignore-unknown", ...checked]);

// Generated Prisma clients and a production build (tests drive the built Remix app).
if (!fs.existsSync(path.join(root, "node_modules/@loyalty-app/prisma-sqlite/index.js"))) {
  must(run(process.execPath, ["scripts/prisma.mjs", "generate"]), "prisma generate");
}
must(run(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { NODE_ENV: "production" }), "build");

function vitest(label, env) {
  const report = path.join(os.tmpdir(), `loyalty-vitest-${label}-${process.pid}.json`);
  console.log(`\n=== tests on ${label} ===`);
  const status = run(
    process.execPath,
    ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...files],
    env,
  );
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, "utf8"));
    const failedSuites = (json.testResults ?? []).filter((r) => r.status === "failed" && !(r.assertionResults ?? []).length).length;
    counts = {
      passed: json.numPassedTests ?? 0,
      failed: (json.numFailedTests ?? 0) + failedSuites,
      skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    };
    fs.rmSync(report, { force: true });
  }
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  console.log(`${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const key of Object.keys(totals)) totals[key] += counts[key];
}

function deploySmoke(url) {
  // The real migration path (prisma migrate deploy through the WASM engine) on a fresh database.
  return run(process.execPath, ["scripts/prisma.mjs", "deploy"], { DATABASE_URL: url });
}

if (only !== "postgres") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-deploy-"));
  must(deploySmoke(`file:${path.join(dir, "deploy.sqlite")}`), "prisma migrate deploy (SQLite)");
  fs.rmSync(dir, { recursive: true, force: true });
  vitest("sqlite", { TEST_DATABASE: "sqlite" });
}

if (only !== "sqlite") {
  let server = null;
  let url = process.env.TEST_POSTGRES_URL;
  try {
    if (!url) {
      server = await startPostgres();
      url = server.url;
      // An interrupted run must not leave its server behind.
      for (const signal of ["SIGINT", "SIGTERM"]) {
        process.once(signal, () => {
          server?.stop();
          process.exit(130);
        });
      }
    }
    const smoke = new URL(url);
    const name = `loyalty_deploy_${process.pid}`;
    must(run("psql", [url, "-qc", `DROP DATABASE IF EXISTS ${name}`, "-c", `CREATE DATABASE ${name}`]), "create deploy database");
    smoke.pathname = `/${name}`;
    must(deploySmoke(smoke.toString()), "prisma migrate deploy (PostgreSQL)");
    vitest("postgres", { TEST_DATABASE: "postgres", TEST_POSTGRES_URL: url });
  } finally {
    server?.stop();
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
