// The app's backend, which the checkout and customer account extensions call with the shopper's
// session token. Nothing here is edited per deployment: when Shopify CLI bundles an extension it
// replaces each `process.env.NAME` with that environment variable (an esbuild define) and
// `process.env.NODE_ENV` with "production" for `shopify app build` / `deploy` or "development"
// for `shopify app dev`. A production build takes SHOPIFY_APP_URL, which `npm run deploy`
// (scripts/deploy.mjs) checks is a public https URL; `shopify app dev` sets APP_URL to its tunnel.
// The branch not taken is dropped when minified. test/ui-extensions-call-the-deployed-app.test.ts
// builds both extensions with the CLI and checks what they call.
export const APP_URL = process.env.NODE_ENV === "production" ? process.env.SHOPIFY_APP_URL : process.env.APP_URL;
