import "@shopify/shopify-api/adapters/node";
import { createHmac } from "node:crypto";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { sessionTokenVerifier } from "../app/shopper/session-token.server";

// The app checks extension session tokens itself (node:crypto); this holds it to Shopify's own
// check (@shopify/shopify-api decodeSessionToken, with the audience checked), token by token.

const API_KEY = "verifier-key";
const SECRET = "verifier-secret";
const NOW = Math.floor(Date.now() / 1000);
const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: SECRET,
  hostName: "127.0.0.1",
  apiVersion: ApiVersion.January26,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});
const verify = sessionTokenVerifier({ apiKey: API_KEY, apiSecret: SECRET });

const segment = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
function token({
  claims = {},
  header = { alg: "HS256", typ: "JWT" },
  secret = SECRET,
  payload,
}: { claims?: Record<string, unknown>; header?: unknown; secret?: string; payload?: unknown } = {}) {
  const base = {
    iss: "https://a.myshopify.com",
    dest: "https://a.myshopify.com",
    aud: API_KEY,
    sub: "gid://shopify/Customer/7",
    exp: NOW + 60,
    nbf: NOW - 5,
    iat: NOW - 5,
    jti: "j",
  };
  const unsigned = `${segment(header)}.${segment(payload ?? { ...base, ...claims })}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

const shopifyAccepts = async (value: string) => {
  try {
    await shopify.session.decodeSessionToken(value, { checkAudience: true });
    return true;
  } catch {
    return false;
  }
};

describe("the app's session token check", () => {
  it.each([
    ["a valid token", token()],
    ["another secret", token({ secret: "other" })],
    ["expired 9 s ago (within leeway)", token({ claims: { exp: NOW - 9 } })],
    ["expired 11 s ago", token({ claims: { exp: NOW - 11 } })],
    ["not before 9 s from now (within leeway)", token({ claims: { nbf: NOW + 9 } })],
    ["not before 11 s from now", token({ claims: { nbf: NOW + 11 } })],
    ["exp as text", token({ claims: { exp: String(NOW + 60) } })],
    ["nbf as text", token({ claims: { nbf: String(NOW) } })],
    ["iat as text", token({ claims: { iat: "now" } })],
    ["another app's audience", token({ claims: { aud: "other-key" } })],
    ["the audience in a list", token({ claims: { aud: ["x", API_KEY] } })],
    ["no audience", token({ claims: { aud: undefined } })],
    ["HS512 in the header", token({ header: { alg: "HS512", typ: "JWT" } })],
    ["alg none", token({ header: { alg: "none" } })],
    ["a critical header extension", token({ header: { alg: "HS256", crit: ["exp"] } })],
    ["a header that is not JSON", token({ header: "not json" })],
    ["claims that are a list", token({ payload: [1] })],
    ["claims that are not JSON", token({ payload: "{not json" })],
    ["two segments", "abc.def"],
    ["a signature changed by one character", token().replace(/.$/, (c) => (c === "A" ? "B" : "A"))],
  ])("agrees with Shopify's check on %s", async (_name, value) => {
    expect(verify(value) !== null).toBe(await shopifyAccepts(value));
  });

  it("requires exp, which Shopify's tokens always carry (jose alone would accept a token without one)", () => {
    expect(verify(token({ claims: { exp: undefined } }))).toBeNull();
  });

  it("returns dest and sub, sub absent for a guest", () => {
    expect(verify(token())).toEqual({ dest: "https://a.myshopify.com", sub: "gid://shopify/Customer/7" });
    expect(verify(token({ claims: { sub: undefined } }))).toEqual({ dest: "https://a.myshopify.com", sub: undefined });
    expect(verify(token({ claims: { dest: undefined } }))).toBeNull();
  });
});
