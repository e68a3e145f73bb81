import { createHmac, timingSafeEqual } from "node:crypto";

/** The claims the shopper endpoints use from a valid UI extension session token. */
export interface SessionTokenClaims {
  /** The shop, `https://<shop>.myshopify.com`. */
  dest: string;
  /** The logged-in customer's gid; absent for a guest. */
  sub?: string;
}

/**
 * Checks a UI extension's session token (HS256, the app's secret) and returns its claims, or
 * null when it is not valid.
 *
 * @example const claims = verify(token); // { dest: "https://shop.myshopify.com", sub: "gid://shopify/Customer/7" } | null
 */
export type SessionTokenVerifier = (token: string, now?: number) => SessionTokenClaims | null;

/** Seconds of clock difference allowed on `exp` and `nbf` (what Shopify's libraries allow). */
export const SESSION_TOKEN_LEEWAY_SECONDS = 10;

const jsonObject = (segment: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

const isNumberOrAbsent = (value: unknown) => value === undefined || typeof value === "number";

/**
 * The session token check Shopify's libraries make (`decodeSessionToken` through jose), done
 * directly with node:crypto because every checkout and customer account read pays for it: the
 * HMAC-SHA256 signature with the app's secret, an HS256 header without critical extensions,
 * `exp` required and not passed and `nbf` reached (each with 10 s leeway), numeric `iat` when
 * present, `aud` the app's API key, and `dest` present (the surface checks it names a shop).
 */
export function sessionTokenVerifier(config: { apiKey: string; apiSecret: string }): SessionTokenVerifier {
  return (token, now = Date.now()) => {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const [header, payload, signature] = parts;
    const expected = createHmac("sha256", config.apiSecret).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const head = jsonObject(header);
    if (!head || head.alg !== "HS256" || "crit" in head || "b64" in head) return null;
    const claims = jsonObject(payload);
    if (!claims) return null;
    const seconds = Math.floor(now / 1000);
    if (typeof claims.exp !== "number" || claims.exp <= seconds - SESSION_TOKEN_LEEWAY_SECONDS) return null;
    if (!isNumberOrAbsent(claims.nbf) || (claims.nbf as number) > seconds + SESSION_TOKEN_LEEWAY_SECONDS) return null;
    if (!isNumberOrAbsent(claims.iat)) return null;
    if (claims.aud !== config.apiKey) return null;
    if (typeof claims.dest !== "string") return null;
    return { dest: claims.dest, sub: typeof claims.sub === "string" ? claims.sub : undefined };
  };
}
