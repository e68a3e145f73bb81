// The Shopify CLI builds this file: each export of a target in shopify.extension.toml.
export { cartLinesDiscountsGenerateRun } from "./cart_lines_discounts_generate_run";
