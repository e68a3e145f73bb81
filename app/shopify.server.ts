import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { ensureShop } from "./models/shops.server";
import { getRuntime } from "./runtime.server";
import { sessionStorage as prismaSessionStorage } from "./sessions.server";
import { adminGraphqlFromRemix } from "./shopify/admin-api.server";
import { routeShopifyRequestsToSimulator } from "./shopify/simulator-switch.server";
import { SHOP_CURRENCY_QUERY } from "./shopify/queries";

const { config } = getRuntime();
// A no-op unless the development switch is on (LOYALTY_SIMULATOR=1 with loopback URLs only).
routeShopifyRequestsToSimulator();

const shopify = shopifyApp({
  apiKey: config.apiKey,
  apiSecretKey: config.apiSecrets[0],
  apiVersion: ApiVersion.January26,
  scopes: config.scopes,
  appUrl: config.appUrl,
  authPathPrefix: "/auth",
  sessionStorage: prismaSessionStorage(),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    // The offline session is stored by now: the shop is installed. Give it its program.
    afterAuth: async ({ session, admin }) => {
      const { db } = getRuntime();
      const now = new Date().toISOString();
      let currency: string | undefined;
      let timeZone: string | undefined;
      try {
        const { shop } = await adminGraphqlFromRemix(admin).request(SHOP_CURRENCY_QUERY);
        currency = shop.currencyCode;
        timeZone = shop.ianaTimezone;
      } catch (error) {
        console.error(`could not read ${session.shop}'s currency and time zone; orders will set the currency`, error);
      }
      await ensureShop(db, session.shop, now, currency, timeZone);
    },
  },
  ...(process.env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [process.env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ApiVersion.January26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
