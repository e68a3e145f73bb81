import { RequestedTokenType } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAppConfigFile } from "../app-config";
import { shopifyLibrary } from "./support/shopify-api";
import { startSimulator, type RunningSimulator } from "../server";
import { mintSessionToken } from "../session-token";

const API_KEY = "sim-api-key";
const API_SECRET = "sim-api-secret-0123456789";
const SHOP = "sim-shop.myshopify.com";
const config = readAppConfigFile();

const shopify = shopifyLibrary();

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ appUrl: "http://127.0.0.1:9", apiKey: API_KEY, apiSecret: API_SECRET });
  simulator.store.createShop({ domain: SHOP });
  // shopify-api calls https://<shop>/admin/oauth/access_token; send those requests to the simulator instead.
  const realFetch = globalThis.fetch;
  setAbstractFetchFunc((input, init) => {
    const url = new URL(String(input));
    const target = url.hostname.endsWith(".myshopify.com") ? `${simulator.url}/shops/${url.hostname}${url.pathname}${url.search}` : url.toString();
    return realFetch(target, init);
  });
});
afterAll(async () => {
  setAbstractFetchFunc(globalThis.fetch);
  await simulator.close();
});

describe("a minted session token", () => {
  it("is accepted by shopify.session.decodeSessionToken with Shopify's claims", async () => {
    const token = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: 1001 });
    const claims = await shopify.session.decodeSessionToken(token);
    const now = Math.floor(Date.now() / 1000);
    expect(claims).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: API_KEY, sub: "1001" });
    expect(claims.exp - claims.iat).toBe(60);
    expect(Math.abs(claims.nbf - now)).toBeLessThanOrEqual(1);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.sid).toBeTruthy();
  });

  it("is refused once expired, for another app, or signed with another secret", async () => {
    const expired = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: 1, now: Math.floor(Date.now() / 1000) - 120 });
    await expect(shopify.session.decodeSessionToken(expired)).rejects.toThrow(/exp/);
    const otherApp = mintSessionToken({ shop: SHOP, apiKey: "other-key", apiSecret: API_SECRET, userId: 1 });
    await expect(shopify.session.decodeSessionToken(otherApp)).rejects.toThrow(/invalid API key/);
    const forged = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: "another-secret", userId: 1 });
    await expect(shopify.session.decodeSessionToken(forged)).rejects.toThrow(/signature/);
  });
});

describe("token exchange", () => {
  it("gives shopify-api's tokenExchange an offline token that the Admin API accepts", async () => {
    const sessionToken = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: 1001 });
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken, requestedTokenType: RequestedTokenType.OfflineAccessToken });
    expect(session).toMatchObject({ shop: SHOP, isOnline: false, id: `offline_${SHOP}` });
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.scope).toBe(config.scopes.join(","));

    const response = await fetch(`${simulator.url}/shops/${SHOP}/admin/api/2026-01/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": session.accessToken! },
      body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
    });
    expect(await response.json()).toMatchObject({ data: { shop: { myshopifyDomain: SHOP } } });

    const again = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken, requestedTokenType: RequestedTokenType.OfflineAccessToken });
    expect(again.session.accessToken).toBe(session.accessToken);
  });

  it("gives an online token with its associated user", async () => {
    const sessionToken = mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: 77 });
    const { session } = await shopify.auth.tokenExchange({ shop: SHOP, sessionToken, requestedTokenType: RequestedTokenType.OnlineAccessToken });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(77);
  });

  it("refuses wrong client credentials and a session token for another shop", async () => {
    const post = (body: Record<string, unknown>) =>
      fetch(`${simulator.url}/shops/${SHOP}/admin/oauth/access_token`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const base = {
      client_id: API_KEY,
      client_secret: API_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    };
    const wrongSecret = await post({
      ...base,
      client_secret: "nope",
      subject_token: mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: 1 }),
    });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: "invalid_client" });
    const otherShop = await post({
      ...base,
      subject_token: mintSessionToken({ shop: "other.myshopify.com", apiKey: API_KEY, apiSecret: API_SECRET, userId: 1 }),
    });
    expect(otherShop.status).toBe(400);
    expect(await otherShop.json()).toEqual({ error: "invalid_subject_token", error_description: "dest is another shop" });
  });
});
