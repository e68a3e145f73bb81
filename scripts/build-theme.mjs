#!/usr/bin/env node
// Builds the theme app extension's script: storefront/loyalty.js (readable source) and the reward
// rules it imports from extensions/shared into assets/loyalty.js, one minified classic script
// (what Shopify serves; theme-check allows 10 KB).
// `--check` fails when the committed asset is not the build of the source.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "storefront/loyalty.js");
const asset = path.join(root, "extensions/loyalty-theme/assets/loyalty.js");

export function buildThemeScript() {
  const { outputFiles } = buildSync({
    entryPoints: [source],
    bundle: true,
    format: "iife",
    minify: true,
    target: "es2020",
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  return outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = buildThemeScript();
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(asset) ? fs.readFileSync(asset, "utf8") : "";
    if (current !== built) {
      console.error("extensions/loyalty-theme/assets/loyalty.js is not the build of storefront/loyalty.js: run npm run build:theme");
      process.exit(1);
    }
  } else {
    fs.writeFileSync(asset, built);
    console.log(`wrote ${path.relative(root, asset)} (${Buffer.byteLength(built)} B)`);
  }
}
