#!/usr/bin/env node
// `npm run demo`: migrate a local SQLite database, build, then start the app and the Shopify
// simulator (simulator/stack.ts), install the app into a seeded shop and print where to look.
// Ctrl-C stops everything.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const appPort = Number(process.env.PORT || 3000);
const simulatorPort = Number(process.env.SIMULATOR_PORT || 3001);
const databaseUrl = process.env.DEMO_DATABASE_URL || "file:./data/demo.sqlite";
const orders = Number(process.env.DEMO_ORDERS || 300);

function step(label, args) {
  console.log(`demo: ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// A fresh shop each run: the simulator keeps its store in memory, so yesterday's points would be orphans.
fs.mkdirSync(path.join(root, "data"), { recursive: true });
if (databaseUrl === "file:./data/demo.sqlite") {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(path.join(root, `data/demo.sqlite${suffix}`), { force: true });
}
step("migrating the SQLite database (data/demo.sqlite)", ["scripts/prisma.mjs", "deploy"]);
step("building", ["node_modules/@remix-run/dev/dist/cli.js", "vite:build", "--logLevel", "warn"]);

// The simulator is TypeScript; bundle it for Node. Every import.meta.url in it lives in simulator/.
const bundle = path.join(root, ".cache/demo-stack.mjs");
const esbuild = await import("esbuild");
await esbuild.build({
  entryPoints: [path.join(root, "simulator/stack.ts")],
  outfile: bundle,
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  logLevel: "warning",
  define: { "import.meta.url": JSON.stringify(pathToFileURL(path.join(root, "simulator/stack.ts")).href) },
});
const { startDemoStack } = await import(pathToFileURL(bundle).href);

let stack;
try {
  stack = await startDemoStack({
    databaseUrl,
    appPort,
    simulatorPort,
    seed: { orders },
    appOutput: "inherit",
    log: (line) => console.log(`demo: ${line}`),
  });
} catch (error) {
  console.error(`demo: ${error.message}`);
  process.exit(1);
}

const [first] = stack.customers;
console.log(`
The loyalty app is running against a simulated Shopify (nothing here talks to Shopify).

  Admin (the app embedded as in Shopify admin):  ${stack.urls.admin}
  Storefront as ${first.firstName} ${first.lastName}:            ${stack.urls.storefront(first.id)}
  Simulator controls (orders, webhook log):      ${stack.urls.controls}
  Mailbox (the member messages the app sent):    ${stack.urls.mailbox}
  All shops in the simulator:                    ${stack.urls.simulator}

  The app itself listens on ${stack.appUrl}; the simulator's JSON control API is described in simulator/README.md.
Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log("\ndemo: stopping");
    await stack.close();
    process.exit(0);
  });
}
