// The Shopify CLI builds this file: each export of a target in shopify.extension.toml. The rules
// live in app/domain/tier-perks.ts (pure, tested in Node); esbuild bundles them into the function.
export { cartDeliveryOptionsDiscountsGenerateRun, cartLinesDiscountsGenerateRun } from "../../../app/domain/tier-perks";
