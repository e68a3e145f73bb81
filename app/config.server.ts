/** The app's configuration, from the standard Shopify environment variables. */
export interface AppConfig {
  apiKey: string;
  /** The current secret first; SHOPIFY_API_SECRET_PREVIOUS is also accepted on webhooks while rotating. */
  apiSecrets: string[];
  appUrl: string;
  scopes: string[];
  port: number;
  /** LOYALTY_SOCIAL_CLAIM_DELAY_MS: how long after a social follow is claimed its points land (default 15 s). */
  socialClaimDelayMs?: number;
}

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const missing = ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"].filter((name) => !env[name]?.trim());
  if (missing.length) {
    throw new ConfigError(`Missing environment variable(s): ${missing.join(", ")}. See README.md, "Configuration".`);
  }
  let appUrl: URL;
  try {
    appUrl = new URL(env.SHOPIFY_APP_URL!);
  } catch {
    throw new ConfigError(`SHOPIFY_APP_URL "${env.SHOPIFY_APP_URL}" is not a URL`);
  }
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ConfigError(`PORT "${env.PORT}" is not a port number`);
  const claimDelay = env.LOYALTY_SOCIAL_CLAIM_DELAY_MS?.trim();
  if (claimDelay && !/^\d{1,9}$/.test(claimDelay)) throw new ConfigError(`LOYALTY_SOCIAL_CLAIM_DELAY_MS "${claimDelay}" is not a whole number of milliseconds`);
  return {
    apiKey: env.SHOPIFY_API_KEY!.trim(),
    apiSecrets: [env.SHOPIFY_API_SECRET!.trim(), env.SHOPIFY_API_SECRET_PREVIOUS?.trim()].filter(Boolean) as string[],
    appUrl: appUrl.origin,
    scopes: (env.SCOPES ?? "")
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
    port,
    ...(claimDelay ? { socialClaimDelayMs: Number(claimDelay) } : {}),
  };
}
