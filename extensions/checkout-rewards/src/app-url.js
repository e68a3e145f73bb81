// The app's backend, which the extension calls with the buyer's session token. Keep it equal to
// application_url in shopify.app.toml (test/checkout-extension-*.test.ts checks they agree).
export const APP_URL = "https://localhost:3000";
