import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";

/** Checks a UI extension's session token (HS256, the app's secret) and returns its claims, or null when it is not valid. */
export type SessionTokenVerifier = (token: string) => Promise<{ dest: string; sub?: string } | null>;

/** Shopify's own check (@shopify/shopify-api): signature, expiry and not-before, with the app's key and secret. */
export function shopifySessionTokenVerifier(config: { apiKey: string; apiSecret: string; appUrl: string }): SessionTokenVerifier {
  const api = shopifyApi({
    apiKey: config.apiKey,
    apiSecretKey: config.apiSecret,
    hostName: new URL(config.appUrl).host,
    apiVersion: ApiVersion.January26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
  return async (token) => {
    try {
      const payload = await api.session.decodeSessionToken(token, { checkAudience: false });
      return typeof payload.dest === "string" ? { dest: payload.dest, sub: typeof payload.sub === "string" ? payload.sub : undefined } : null;
    } catch {
      return null;
    }
  };
}
