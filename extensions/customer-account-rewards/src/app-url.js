// The app's backend, which the extension calls with the customer's session token. Keep it equal to
// application_url in shopify.app.toml (test/customer-account-extension-*.test.ts checks they agree).
export const APP_URL = "https://localhost:3000";
