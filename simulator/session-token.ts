import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { SimulatedStore } from "./store";

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

export interface MintSessionToken {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** The staff member's numeric id. */
  userId: number | string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  ttlSeconds?: number;
  sid?: string;
}

const base64url = (input: Buffer | string) => Buffer.from(input).toString("base64url");

/** An App Bridge session token (HS256 JWT signed with the app secret) for a staff member in the shop's admin. */
export function mintSessionToken(spec: MintSessionToken): string {
  const now = spec.now ?? Math.floor(Date.now() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${spec.shop}/admin`,
    dest: `https://${spec.shop}`,
    aud: spec.apiKey,
    sub: String(spec.userId),
    exp: now + (spec.ttlSeconds ?? 60),
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: spec.sid ?? randomUUID(),
  };
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${createHmac("sha256", spec.apiSecret).update(unsigned).digest("base64url")}`;
}

/** Verifies a session token the way Shopify's token endpoint does: signature, audience, shop and lifetime (10 s leeway). */
export function verifySessionToken(
  token: string,
  apiKey: string,
  apiSecret: string,
  shop: string,
  now = Math.floor(Date.now() / 1000),
): SessionTokenClaims | string {
  const parts = token.split(".");
  if (parts.length !== 3) return "not a JWT";
  const [header, payload, signature] = parts;
  const expected = createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "signature does not match";
  let claims: SessionTokenClaims;
  try {
    if ((JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: string }).alg !== "HS256") return "alg is not HS256";
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as SessionTokenClaims;
  } catch {
    return "not a JWT";
  }
  if (claims.aud !== apiKey) return "aud is not this app";
  if (claims.dest !== `https://${shop}`) return "dest is another shop";
  if (claims.exp < now - 10 || claims.nbf > now + 10) return "token has expired or is not yet valid";
  return claims;
}

const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE_TOKEN = "urn:shopify:params:oauth:token-type:offline-access-token";
const ONLINE_TOKEN = "urn:shopify:params:oauth:token-type:online-access-token";

export interface TokenExchangeOptions {
  store: SimulatedStore;
  apiKey: string;
  apiSecret: string;
  /** The scopes the app is granted on install (shopify.app.toml's access_scopes). */
  scopes: string[];
}

export interface TokenExchangeResponse {
  status: number;
  json: Record<string, unknown>;
}

/**
 * `POST https://<shop>/admin/oauth/access_token` with the token-exchange grant: checks the
 * client credentials and the session token, installs the app on first exchange, and answers
 * `{ access_token, scope }` (offline) or the online token with its associated user.
 */
export function exchangeToken(options: TokenExchangeOptions, shopDomain: string, body: Record<string, unknown>): TokenExchangeResponse {
  const shop = options.store.findShop(shopDomain);
  if (!shop) return { status: 404, json: { error: "shop_not_found", error_description: `no shop ${shopDomain} in the simulator` } };
  if (body.client_id !== options.apiKey || body.client_secret !== options.apiSecret) {
    return { status: 401, json: { error: "invalid_client", error_description: "Client credentials are invalid" } };
  }
  if (body.grant_type !== GRANT_TYPE) return { status: 400, json: { error: "unsupported_grant_type", error_description: `grant_type must be ${GRANT_TYPE}` } };
  if (body.subject_token_type !== ID_TOKEN_TYPE)
    return { status: 400, json: { error: "invalid_request", error_description: `subject_token_type must be ${ID_TOKEN_TYPE}` } };
  const claims = verifySessionToken(String(body.subject_token ?? ""), options.apiKey, options.apiSecret, shop.domain);
  if (typeof claims === "string") return { status: 400, json: { error: "invalid_subject_token", error_description: claims } };
  const requested = body.requested_token_type ?? OFFLINE_TOKEN;
  if (requested !== OFFLINE_TOKEN && requested !== ONLINE_TOKEN) {
    return { status: 400, json: { error: "invalid_request", error_description: "requested_token_type must be an offline or online access token" } };
  }
  const accessToken = options.store.installApp(shop.domain, shop.installation?.scopes ?? options.scopes);
  const scope = shop.installation!.scopes.join(",");
  if (requested === OFFLINE_TOKEN) return { status: 200, json: { access_token: accessToken, scope } };
  return {
    status: 200,
    json: {
      // Online tokens are not accepted by the simulator's Admin API: the app uses offline tokens for its work.
      access_token: `shpua_${randomUUID().replace(/-/g, "")}`,
      scope,
      expires_in: 86399,
      associated_user_scope: scope,
      session: claims.sid,
      associated_user: {
        id: Number(claims.sub),
        first_name: "Sim",
        last_name: "Staff",
        email: `staff@${shop.domain}`,
        account_owner: true,
        locale: "en",
        collaborator: false,
        email_verified: true,
      },
    },
  };
}
