#!/usr/bin/env node
// `npm run demo`: migrate a local SQLite database, build, and start the production server with
// demo credentials on http://localhost:3000. Ctrl-C stops it.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = process.env.PORT || "3000";
const env = {
  ...process.env,
  SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY || "demo-api-key",
  SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET || "demo-api-secret",
  SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL || `http://localhost:${port}`,
  SCOPES: process.env.SCOPES || "read_customers,write_customers,read_orders,write_discounts,read_products,write_store_credit_account_transactions",
  DATABASE_URL: process.env.DATABASE_URL || "file:./data/demo.sqlite",
  PORT: port,
};

function step(label, args) {
  console.log(`demo: ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step("migrating the SQLite database", ["scripts/prisma.mjs", "deploy"]);
step("building", ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"]);

console.log(`demo: starting the app on http://localhost:${port}`);
console.log(`  webhooks:  POST http://localhost:${port}/webhooks (signed with SHOPIFY_API_SECRET=${env.SHOPIFY_API_SECRET})`);
console.log(`  app proxy: GET  http://localhost:${port}/proxy/customer?shop=...&logged_in_customer_id=...&timestamp=...&signature=...`);
const server = spawn(process.execPath, ["server.mjs"], { cwd: root, env: { ...env, NODE_ENV: "production" }, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
