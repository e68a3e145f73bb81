import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAppProxyRequest } from "../../app/shopper/app-proxy-signature.server";
import { MEMBER_METAFIELDS_SET } from "../../app/shopify/queries";
import { startSimulator, type RunningSimulator } from "../server";
import { SimulatedStore } from "../store";
import { EXTENSION_DIR } from "../theme-renderer";
import { startRecordingServer } from "./support/recording-server";

const SECRET = "storefront-secret-0123456789";
const SHOP = "storefront-shop.myshopify.com";
const OTHER_SHOP = "other-shop.myshopify.com";

let app: Awaited<ReturnType<typeof startRecordingServer>>;
let simulator: RunningSimulator;
let customerId: number;
let signInCookie: string;

const storefront = (pathAndQuery: string, init: RequestInit = {}) => fetch(`${simulator.url}${pathAndQuery}`, { redirect: "manual", ...init });

beforeAll(async () => {
  app = await startRecordingServer(({ url }, _index, { res }) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ answered: new URL(url, "http://app").pathname }));
  });
  const store = new SimulatedStore();
  simulator = await startSimulator({ appUrl: app.url, apiKey: "key", apiSecret: SECRET, store });
  store.createShop({ domain: SHOP, name: "Storefront <Shop>", currency: "USD" });
  store.createShop({ domain: OTHER_SHOP, name: "Other", currency: "USD" });
  customerId = store.createCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" }).value.id;
  // As the app writes them: metafieldsSet with the $app namespace through the Admin API.
  const token = store.installApp(SHOP, ["write_customers"]);
  const ownerId = `gid://shopify/Customer/${customerId}`;
  const answer = await fetch(`${simulator.url}/shops/${SHOP}/admin/api/2026-01/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({
      query: MEMBER_METAFIELDS_SET,
      variables: {
        metafields: [
          { ownerId, namespace: "$app:loyalty", key: "points", type: "number_integer", value: "420" },
          { ownerId, namespace: "$app:loyalty", key: "next_reward", type: "json", value: JSON.stringify({ name: "5 off", pointsCost: 500, pointsToGo: 80 }) },
        ],
      },
    }),
  });
  expect(((await answer.json()) as { data: { metafieldsSet: { userErrors: unknown[] } } }).data.metafieldsSet.userErrors).toEqual([]);
  const signIn = await storefront(`/store/${SHOP}?customer=${customerId}`);
  expect(signIn.status).toBe(303);
  signInCookie = signIn.headers.get("set-cookie")!.split(";")[0];
});

afterAll(async () => {
  await simulator?.close();
  await app?.close();
});

describe("the simulated storefront page", () => {
  it("renders the extension's blocks for the signed-in customer with their $app:loyalty metafields", async () => {
    const page = await (await storefront(`/store/${SHOP}`, { headers: { Cookie: signInCookie } })).text();
    // The launcher button, its panel, and the rewards section.
    expect(page.match(/<span data-loyalty-balance>420<\/span>/g)).toHaveLength(3);
    expect(page).toContain('<progress value="420" max="500"');
    expect(page).toContain("Points to go until <bdi>5 off</bdi>: 80");
    expect(page).toContain('data-root="/store/storefront-shop.myshopify.com/"');
    expect(page).toContain("Storefront &lt;Shop&gt;");
    expect(page).toContain("Signed in as <strong>Ada Lovelace</strong>");
  });

  it("renders the guest view without a sign-in", async () => {
    const page = await (await storefront(`/store/${SHOP}`)).text();
    expect(page).toContain('data-member="false"');
    expect(page).not.toContain("data-loyalty-balance");
    expect(page).toContain('href="/store/storefront-shop.myshopify.com/account/login"');
  });

  it("serves the extension's assets where asset_url points, and nothing else from there", async () => {
    const page = await (await storefront(`/store/${SHOP}`)).text();
    const script = /<script src="([^"]+loyalty\.js)" defer>/.exec(page)![1];
    const answer = await storefront(script);
    expect(answer.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await answer.text()).toBe(fs.readFileSync(path.join(EXTENSION_DIR, "assets/loyalty.js"), "utf8"));
    expect((await storefront(script.replace("loyalty.js", "missing.js"))).status).toBe(404);
    expect((await storefront(script.replace("loyalty.js", "..%2Fblocks%2Floyalty-launcher.liquid"))).status).toBe(404);
  });
});

describe("the app proxy from the storefront", () => {
  it("forwards a POST at /apps/loyalty with its body, signed with the signed-in customer of the page's shop", async () => {
    const before = app.requests.length;
    const answer = await storefront("/apps/loyalty/redemptions?lang=en", {
      method: "POST",
      headers: { Cookie: signInCookie, Referer: `${simulator.url}/store/${SHOP}`, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ rewardId: 1, idempotencyKey: "k-1" }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ answered: "/proxy/redemptions" });
    const forwarded = app.requests.slice(before).find((request) => request.url.startsWith("/proxy/"))!;
    expect(forwarded.method).toBe("POST");
    expect(forwarded.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(forwarded.body.toString())).toEqual({ rewardId: 1, idempotencyKey: "k-1" });
    const url = new URL(forwarded.url, app.url);
    expect(url.searchParams.get("lang")).toBe("en");
    expect(verifyAppProxyRequest(url, [SECRET])).toEqual({ ok: true, shop: SHOP, customerId: String(customerId) });
  });

  it("signs a guest's request with an empty logged_in_customer_id, and under /store/<shop>/apps/loyalty too", async () => {
    const before = app.requests.length;
    expect((await storefront(`/store/${SHOP}/apps/loyalty/customer`)).status).toBe(200);
    const url = new URL(app.requests.slice(before).find((request) => request.url.startsWith("/proxy/"))!.url, app.url);
    expect(url.pathname).toBe("/proxy/customer");
    expect(verifyAppProxyRequest(url, [SECRET])).toEqual({ ok: true, shop: SHOP, customerId: null });
  });

  it("refuses a root /apps/loyalty request that names no shop when the simulator has several", async () => {
    const answer = await storefront("/apps/loyalty/customer");
    expect(answer.status).toBe(400);
    expect(await answer.text()).toMatch(/open it from a storefront page/);
  });
});

describe("/discount/<code> on the storefront", () => {
  it("puts the code on the cart, redirects to the local path given, and the page shows the cart's code", async () => {
    const answer = await storefront(`/store/${SHOP}/discount/PTS-AAAA-BBBB-CCCC?redirect=${encodeURIComponent(`/store/${SHOP}`)}`);
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe(`/store/${SHOP}`);
    const cartCookie = answer.headers.get("set-cookie")!.split(";")[0];
    const page = await (await storefront(`/store/${SHOP}`, { headers: { Cookie: `${signInCookie}; ${cartCookie}` } })).text();
    expect(page).toContain("<code data-cart-discount-code>PTS-AAAA-BBBB-CCCC</code>");
    const otherShop = await (await storefront(`/store/${OTHER_SHOP}`, { headers: { Cookie: cartCookie } })).text();
    expect(otherShop).toContain("Cart: no discount code");
  });

  it("never redirects off the storefront", async () => {
    const answer = await storefront(`/store/${SHOP}/discount/CODE?redirect=${encodeURIComponent("//evil.example/")}`);
    expect(answer.headers.get("location")).toBe(`/store/${SHOP}`);
  });
});
