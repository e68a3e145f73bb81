import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClientForToken, certainlyNotApplied } from "../app/shopify/admin-api.server";
import { REWARD_DISCOUNT_DELETE } from "../app/shopify/queries";

// The real client (graphql-request over fetch) against a local server answering as Shopify can
// when something goes wrong. A redemption gives points back at once only when the mutation
// certainly did not run; otherwise the settle job asks Shopify what exists first.

/** Each answer is a shop of its own: /429 is answered for the shop "k-429.myshopify.com". */
const shopFor = (kind: string) => `k-${kind.slice(1)}.myshopify.com`;
type Answer = (res: http.ServerResponse) => void;
const answers: Record<string, Answer> = {
  "/500": (res) => res.writeHead(500, { "Content-Type": "text/plain" }).end("Internal Server Error"),
  "/503": (res) => res.writeHead(503, { "Content-Type": "text/plain" }).end("Service Unavailable"),
  "/429": (res) =>
    res.writeHead(429, { "Content-Type": "application/json", "Retry-After": "2" }).end(JSON.stringify({ errors: "Exceeded 2 calls per second" })),
  "/throttled": (res) =>
    res
      .writeHead(200, { "Content-Type": "application/json" })
      .end(JSON.stringify({ data: null, errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] })),
  "/denied": (res) =>
    res
      .writeHead(200, { "Content-Type": "application/json" })
      .end(JSON.stringify({ errors: [{ message: "Access denied for storeCreditAccountCredit field.", extensions: { code: "ACCESS_DENIED" } }] })),
  "/internal": (res) =>
    res.writeHead(200, { "Content-Type": "application/json" }).end(
      JSON.stringify({
        errors: [{ message: "Internal error. Looks like something went wrong on our end.", extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "abc" } }],
      }),
    ),
  "/partial": (res) =>
    res.writeHead(200, { "Content-Type": "application/json" }).end(
      JSON.stringify({
        data: { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] } },
        errors: [{ message: "something nested failed", extensions: { code: "SOMETHING" } }],
      }),
    ),
  "/uncoded": (res) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ errors: [{ message: "oops" }] })),
  "/html": (res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<html>maintenance</html>"),
  "/reset": (res) => res.socket?.destroy(),
};

let server: http.Server;
let origin: string;
const saved = { ...process.env };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const kind = Object.keys(answers).find((key) => req.url!.startsWith(`/shops/${shopFor(key)}/`));
    req.resume();
    req.on("end", () => (kind ? answers[kind](res) : res.writeHead(404).end()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

/** What the client throws when the shop's Admin API answers as `kind`. */
async function failureFrom(kind: string, base = origin) {
  // The app's documented switch to a local Admin API (loopback only).
  Object.assign(process.env, { LOYALTY_SIMULATOR: "1", SHOPIFY_ADMIN_API_ORIGIN: base, SHOPIFY_APP_URL: "http://127.0.0.1:1" });
  const client = adminClientForToken(shopFor(kind), "shpat_test");
  try {
    await client.request(REWARD_DISCOUNT_DELETE, { id: "gid://shopify/DiscountCodeNode/1" });
  } catch (error) {
    return error;
  }
  throw new Error(`${kind} did not fail`);
}

describe("an Admin API failure", () => {
  it.each([
    ["/429", true],
    ["/throttled", true],
    ["/denied", true],
    ["/500", false],
    ["/503", false],
    ["/internal", false],
    ["/partial", false],
    ["/uncoded", false],
    ["/html", false],
    ["/reset", false],
  ])("answered %s: certainly not applied = %s", async (kind, certain) => {
    expect(certainlyNotApplied(await failureFrom(kind))).toBe(certain);
  });

  it("with nothing listening is certainly not applied", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(certainlyNotApplied(await failureFrom("/500", `http://127.0.0.1:${port}`))).toBe(true);
  });
});
