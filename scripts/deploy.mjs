#!/usr/bin/env node
// `npm run deploy [-- flags]`: `shopify app deploy [flags]` with the app's public URL checked
// first. Shopify CLI puts SHOPIFY_APP_URL into the checkout and customer account extensions when
// it bundles them (extensions/shared/app-url.js), so a missing, plain http or loopback URL would
// ship extensions that cannot reach the app; this refuses to run instead.
// `node scripts/deploy.mjs build [flags]` runs `shopify app build` the same way, publishing nothing.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * SHOPIFY_APP_URL as the extensions will call it (its origin, as app/config.server.ts reads it),
 * or why a production build must not use it.
 * @returns {{ ok: true, url: string } | { ok: false, reason: "missing" | "not_a_url" | "not_https" | "not_public" }}
 */
export function publicAppUrl(value) {
  if (!value?.trim()) return { ok: false, reason: "missing" };
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: "not_a_url" };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "not_https" };
  if (!isPublicHost(url.hostname)) return { ok: false, reason: "not_public" };
  return { ok: true, url: url.origin };
}

/** Whether shoppers' browsers can reach the host: not loopback, private, link-local or a bare machine name. */
function isPublicHost(hostname) {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const ipv4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (ipv4) {
    const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
    return !(a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168));
  }
  if (host.includes(":")) return !(host === "::" || host === "::1" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith("::ffff:"));
  return host.includes(".") && host !== "localhost" && !host.endsWith(".localhost") && !host.endsWith(".local");
}

const refusals = {
  missing: () =>
    "SHOPIFY_APP_URL is not set. Set it to the app's public https URL (e.g. SHOPIFY_APP_URL=https://loyalty.example.com npm run deploy): the checkout and customer account extensions are built to call it.",
  not_a_url: (value) => `SHOPIFY_APP_URL "${value}" is not a URL. Set it to the app's public https URL, e.g. https://loyalty.example.com.`,
  not_https: (value) => `SHOPIFY_APP_URL "${value}" is not https. Checkout and customer accounts only call the app over HTTPS.`,
  not_public: (value) =>
    `SHOPIFY_APP_URL "${value}" is a loopback, private or local address that shoppers' browsers cannot reach. Use the app's public https URL (shopify app dev handles local development).`,
};

function main(argv) {
  const [command, args] = argv[0] === "build" ? ["build", argv.slice(1)] : ["deploy", argv];
  const appUrl = publicAppUrl(process.env.SHOPIFY_APP_URL);
  if (!appUrl.ok) {
    console.error(`deploy: refused: ${refusals[appUrl.reason](process.env.SHOPIFY_APP_URL)}`);
    return 1;
  }
  console.log(`deploy: the checkout and customer account extensions will call ${appUrl.url}`);
  const cli = path.join(root, "node_modules/@shopify/cli/bin/run.js");
  // NODE_ENV: the CLI lets the environment's value override the "production" it defines for the build.
  const env = { ...process.env, NODE_ENV: "production", SHOPIFY_APP_URL: appUrl.url };
  const result = spawnSync(process.execPath, [cli, "app", command, ...args], { cwd: root, env, stdio: "inherit" });
  return result.status ?? 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(main(process.argv.slice(2)));
