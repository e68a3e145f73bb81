import { describe, expect, it } from "vitest";
import { verifyAppProxyRequest } from "../../app/shopper/app-proxy-signature.server";
import { readAppConfigFile } from "../app-config";
import { shopifyLibrary } from "./support/shopify-api";
import { proxyUrlFor, signedAppProxyUrl } from "../app-proxy";

const SECRET = "sim-api-secret-0123456789";
const SHOP = "sim-shop.myshopify.com";
const config = readAppConfigFile();
const proxyUrl = proxyUrlFor("http://127.0.0.1:3000", config.appProxy!.url);

const shopify = shopifyLibrary();

describe("a signed app proxy URL", () => {
  it("is the toml's proxy path on the app's origin, with Shopify's parameters", () => {
    const url = signedAppProxyUrl({ proxyUrl, apiSecret: SECRET, shop: SHOP, path: "/customer", loggedInCustomerId: 42, timestamp: 1_790_000_000 });
    expect(url.origin + url.pathname).toBe("http://127.0.0.1:3000/proxy/customer");
    expect([...url.searchParams.keys()]).toEqual(["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]);
    expect(url.searchParams.get("path_prefix")).toBe("/apps/loyalty");
    expect(url.searchParams.get("signature")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("passes the app's verifier for a logged-in customer and for a guest", () => {
    const customer = signedAppProxyUrl({ proxyUrl, apiSecret: SECRET, shop: SHOP, path: "/customer", loggedInCustomerId: 42 });
    expect(verifyAppProxyRequest(customer, [SECRET])).toEqual({ ok: true, shop: SHOP, customerId: "42" });
    const guest = signedAppProxyUrl({ proxyUrl, apiSecret: SECRET, shop: SHOP, loggedInCustomerId: null });
    expect(guest.searchParams.get("logged_in_customer_id")).toBe("");
    expect(verifyAppProxyRequest(guest, [SECRET])).toEqual({ ok: true, shop: SHOP, customerId: null });
  });

  it("passes @shopify/shopify-api's validateHmac, repeated query keys included", async () => {
    const url = signedAppProxyUrl({
      proxyUrl,
      apiSecret: SECRET,
      shop: SHOP,
      loggedInCustomerId: 7,
      query: [
        ["tag", "a"],
        ["tag", "b"],
        ["page", "2"],
      ],
    });
    expect(await shopify.utils.validateHmac(url.searchParams, { signator: "appProxy" })).toBe(true);
    expect(verifyAppProxyRequest(url, [SECRET])).toMatchObject({ ok: true, customerId: "7" });
  });

  it("fails both verifiers once a shopper edits logged_in_customer_id, or with another secret", async () => {
    const url = signedAppProxyUrl({ proxyUrl, apiSecret: SECRET, shop: SHOP, loggedInCustomerId: 42 });
    url.searchParams.set("logged_in_customer_id", "43");
    expect(verifyAppProxyRequest(url, [SECRET])).toEqual({ ok: false, status: 401, error: "signature does not match" });
    expect(await shopify.utils.validateHmac(url.searchParams, { signator: "appProxy" })).toBe(false);
    const foreign = signedAppProxyUrl({ proxyUrl, apiSecret: "another-secret", shop: SHOP, loggedInCustomerId: 42 });
    expect(verifyAppProxyRequest(foreign, [SECRET])).toMatchObject({ ok: false, status: 401 });
  });

  it("expires like Shopify's: the app refuses a signature older than 90 seconds", () => {
    const old = signedAppProxyUrl({ proxyUrl, apiSecret: SECRET, shop: SHOP, timestamp: Math.floor(Date.now() / 1000) - 300 });
    expect(verifyAppProxyRequest(old, [SECRET])).toEqual({ ok: false, status: 401, error: "signature has expired" });
  });
});
