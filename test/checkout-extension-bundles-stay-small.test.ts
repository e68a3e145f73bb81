import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bundleTarget } from "./support/checkout-extension";

/** Shopify refuses a checkout UI extension script above 64 KB compressed; we hold ourselves to 25 KB. */
const SHOPIFY_LIMIT_BYTES = 64 * 1024;
const BUDGET_BYTES = 25 * 1024;

describe("checkout extension bundles", () => {
  it.each(["src/Checkout.jsx", "src/ThankYou.jsx"])("%s bundles (esbuild, minified ESM) within 25 KB gzip", async (module) => {
    const bundle = await bundleTarget(module);
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    console.log(`${module}: ${(bundle.length / 1024).toFixed(1)} KB minified, ${(gzipped / 1024).toFixed(1)} KB gzip`);
    expect(gzipped).toBeLessThan(SHOPIFY_LIMIT_BYTES);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
