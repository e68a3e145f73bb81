import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bundleTarget, extensionRootOf } from "./support/ui-extension";

/** Shopify refuses a UI extension script above 64 KB compressed; we hold ourselves to 25 KB. */
const SHOPIFY_LIMIT_BYTES = 64 * 1024;
const BUDGET_BYTES = 25 * 1024;

describe("UI extension bundles", () => {
  it.each([
    ["checkout-rewards", "src/Checkout.jsx"],
    ["checkout-rewards", "src/ThankYou.jsx"],
    ["customer-account-rewards", "src/ProfileBlock.jsx"],
  ])("%s %s bundles (esbuild, minified ESM, for production) within 25 KB gzip", async (handle, module) => {
    const bundle = await bundleTarget(module, extensionRootOf(handle), { environment: "production", env: { SHOPIFY_APP_URL: "https://loyalty.example.com" } });
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    console.log(`${handle}/${module}: ${(bundle.length / 1024).toFixed(1)} KB minified, ${(gzipped / 1024).toFixed(1)} KB gzip`);
    expect(gzipped).toBeLessThan(SHOPIFY_LIMIT_BYTES);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
