#!/usr/bin/env node
// Builds the theme app extension's script: storefront/loyalty.js (readable source) and the reward
// rules it imports from extensions/shared into assets/loyalty.js, one minified classic script
// (what Shopify serves; theme-check allows 10 KB), and storefront/loyalty-referral.js (the referral
// link on every page and the "Refer a friend" section) into assets/loyalty-referral.js.
// `--check` fails when the committed asset is not the build of the source.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SCRIPTS = ["loyalty.js", "loyalty-referral.js"].map((name) => ({
  source: path.join(root, "storefront", name),
  asset: path.join(root, "extensions/loyalty-theme/assets", name),
}));

export function buildThemeScript(source = SCRIPTS[0].source) {
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
  for (const { source, asset } of SCRIPTS) {
    const built = buildThemeScript(source);
    if (process.argv.includes("--check")) {
      const current = fs.existsSync(asset) ? fs.readFileSync(asset, "utf8") : "";
      if (current !== built) {
        console.error(`${path.relative(root, asset)} is not the build of ${path.relative(root, source)}: run npm run build:theme`);
        process.exit(1);
      }
    } else {
      fs.writeFileSync(asset, built);
      console.log(`wrote ${path.relative(root, asset)} (${Buffer.byteLength(built)} B)`);
    }
  }
}
