import { describe, expect, it } from "vitest";
import { adminApiEndpoint } from "../app/shopify/admin-api.server";
import { allowSimulatorAdminToFrame, appBridgeScriptUrl, simulatorOrigin } from "../app/shopify/simulator-switch.server";

const demo: NodeJS.ProcessEnv = {
  LOYALTY_SIMULATOR: "1",
  SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:3001",
  SHOPIFY_APP_URL: "http://127.0.0.1:3000",
  NODE_ENV: "production" as const,
};

describe("the simulator switch", () => {
  it("is on for the demo: LOYALTY_SIMULATOR=1 with the simulator and the app on loopback, even as production", () => {
    expect(simulatorOrigin(demo)).toBe("http://127.0.0.1:3001");
    expect(simulatorOrigin({ ...demo, SHOPIFY_ADMIN_API_ORIGIN: "http://localhost:3001/", SHOPIFY_APP_URL: "http://[::1]:3000" })).toBe(
      "http://localhost:3001",
    );
    expect(adminApiEndpoint("a.myshopify.com", demo)).toBe("http://127.0.0.1:3001/shops/a.myshopify.com/admin/api/2026-01/graphql.json");
    expect(appBridgeScriptUrl(demo)).toBe("/simulator/app-bridge.js");
  });

  it.each([
    ["LOYALTY_SIMULATOR unset", { LOYALTY_SIMULATOR: undefined }],
    ["LOYALTY_SIMULATOR=true", { LOYALTY_SIMULATOR: "true" }],
    ["a public app URL (a deployment)", { SHOPIFY_APP_URL: "https://loyalty.example.com" }],
    ["a simulator origin off this machine", { SHOPIFY_ADMIN_API_ORIGIN: "http://10.0.0.5:3001" }],
    ["a look-alike host", { SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1.example.com:3001" }],
    ["no simulator origin", { SHOPIFY_ADMIN_API_ORIGIN: undefined }],
    ["a non-HTTP origin", { SHOPIFY_ADMIN_API_ORIGIN: "file:///tmp/x" }],
  ])("is off with %s: Admin calls go to the shop", (_case, change) => {
    const env = { ...demo, ...change };
    expect(simulatorOrigin(env)).toBeNull();
    expect(adminApiEndpoint("a.myshopify.com", env)).toBe("https://a.myshopify.com/admin/api/2026-01/graphql.json");
    expect(appBridgeScriptUrl(env)).toBeUndefined();
  });

  it("lets only the simulator's admin frame the app besides Shopify's, and only when on", () => {
    const shopifyPolicy = "frame-ancestors https://a.myshopify.com https://admin.shopify.com;";
    const on = new Headers({ "Content-Security-Policy": shopifyPolicy, Link: "<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel=preload" });
    allowSimulatorAdminToFrame(on, demo);
    expect(on.get("Content-Security-Policy")).toBe(`frame-ancestors http://127.0.0.1:3001 https://a.myshopify.com https://admin.shopify.com;`);
    expect(on.get("Link")).toBeNull();
    const off = new Headers({ "Content-Security-Policy": shopifyPolicy });
    allowSimulatorAdminToFrame(off, { ...demo, SHOPIFY_APP_URL: "https://loyalty.example.com" });
    expect(off.get("Content-Security-Policy")).toBe(shopifyPolicy);
  });
});
