import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { readAppConfigFile } from "../../app-config";

export const SIM_API_KEY = "sim-api-key";
export const SIM_API_SECRET = "sim-api-secret-0123456789";

/** Shopify's own library, configured as the app configures it, to check what the simulator signs. */
export function shopifyLibrary() {
  return shopifyApi({
    apiKey: SIM_API_KEY,
    apiSecretKey: SIM_API_SECRET,
    scopes: readAppConfigFile().scopes,
    hostName: "127.0.0.1",
    apiVersion: ApiVersion.January26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
}
