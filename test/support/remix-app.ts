import { execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./database";
import { TEST_API_KEY, TEST_API_SECRET } from "./signing";

const root = path.resolve(__dirname, "../..");
const serverBuild = path.join(root, "build/server/index.js");

/** The app's URL in these tests; requests are handed to Remix directly, nothing listens here. */
export const TEST_APP_URL = "http://127.0.0.1:3999";
/** What installShop's offline session was granted, so no token exchange is attempted. */
export const TEST_SCOPES = "read_orders,read_customers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const importModule = (specifier: string): Promise<any> => import(/* @vite-ignore */ specifier);

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const isFresh = () => fs.existsSync(serverBuild) && fs.statSync(serverBuild).mtimeMs > newestSourceTime(path.join(root, "app"));

/**
 * Runs `remix vite:build` unless build/ is newer than every file under app/. Test files run in
 * parallel processes, so one builds while the others wait on a lock directory.
 */
export function ensureProductionBuild() {
  const lock = path.join(root, ".cache/remix-build.lock");
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 120_000;
  while (!isFresh()) {
    try {
      fs.mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} is held for over 2 minutes; remove it if no build is running`);
      sleep(200);
      continue;
    }
    try {
      if (!isFresh()) {
        execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
          cwd: root,
          stdio: "pipe",
          env: { ...process.env, NODE_ENV: "production" },
        });
      }
    } finally {
      fs.rmdirSync(lock);
    }
  }
}

/**
 * The production server build (build/server/index.js) behind Remix's request handler, over the
 * given database. The environment is set before the build is imported: shopify.server.ts reads
 * it at module load. One per test file (Vitest runs each file in its own process).
 */
export async function loadRemixApp(databaseUrl: string) {
  ensureProductionBuild();
  Object.assign(process.env, {
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: TEST_APP_URL,
    SCOPES: TEST_SCOPES,
    DATABASE_URL: databaseUrl,
  });
  const build = await importModule(pathToFileURL(serverBuild).href);
  const { createRequestHandler } = await importModule("@remix-run/node");
  const remix: (request: Request) => Promise<Response> = createRequestHandler(build, "production");
  // As the production server routes them: shopper endpoints by the app's own router, the rest by Remix.
  const { getRuntime, handleShopperRequest } = build.entry.module;
  const handle = async (request: Request): Promise<Response> => (await handleShopperRequest(request, getRuntime().shopper)) ?? remix(request);
  return {
    handle,
    async close() {
      await build.entry.module.getRuntime().db.close();
      await (globalThis as { __loyaltyPrisma?: { $disconnect(): Promise<void> } }).__loyaltyPrisma?.$disconnect();
    },
  };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export interface SessionTokenClaims {
  shop: string;
  /** The staff member's Shopify user id. */
  userId?: string;
  secret?: string;
  audience?: string;
  /** Seconds from now until expiry; negative for an expired token. */
  expiresIn?: number;
}

/** An App Bridge session token as Shopify issues it: an HS256 JWT signed with the app's secret. */
export function sessionToken({ shop, userId = "8123456", secret = TEST_API_SECRET, audience = TEST_API_KEY, expiresIn = 60 }: SessionTokenClaims) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: audience,
      sub: userId,
      exp: now + expiresIn,
      nbf: now - 5,
      iat: now - 5,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** A Remix data request (what useFetcher / <Form> send) for one route. */
export function routeDataRequest(
  pathname: string,
  routeId: string,
  { token, method = "GET", form }: { token?: string; method?: "GET" | "POST"; form?: Record<string, string> } = {},
) {
  const url = new URL(pathname, TEST_APP_URL);
  url.searchParams.set("_data", routeId);
  // A browser user agent: shopify-app-remix answers 410 to anything isbot() recognises.
  const headers: Record<string, string> = {
    "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (form) headers["Content-Type"] = "application/x-www-form-urlencoded";
  return new Request(url, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined });
}

/**
 * A document request as the Shopify admin makes it when it opens an embedded page: shop, host,
 * embedded=1 and the session token as id_token in the query string.
 */
export function embeddedPageRequest(pathname: string, shop: string, token = sessionToken({ shop })) {
  const url = new URL(pathname, TEST_APP_URL);
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"));
  url.searchParams.set("embedded", "1");
  url.searchParams.set("id_token", token);
  return new Request(url, {
    headers: {
      "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    },
  });
}

export interface CheckoutTokenClaims {
  shop: string;
  /** The logged-in customer's numeric id; omitted for a guest. */
  customerId?: string;
  secret?: string;
  expiresIn?: number;
}

function extensionToken(claims: Record<string, unknown>, secret: string, expiresIn: number) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ ...claims, aud: TEST_API_KEY, exp: now + expiresIn, nbf: now - 5, iat: now - 5, jti: randomUUID() }));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/**
 * A checkout UI extension's session token (`shopify.sessionToken.get()`): HS256 with the app's
 * secret, `dest` the shop, `sub` the customer's gid only when the buyer is logged in.
 */
export function checkoutSessionToken({ shop, customerId, secret = TEST_API_SECRET, expiresIn = 60 }: CheckoutTokenClaims) {
  return extensionToken({ dest: `https://${shop}`, ...(customerId ? { sub: `gid://shopify/Customer/${customerId}` } : {}) }, secret, expiresIn);
}

/**
 * A customer account UI extension's session token: HS256 with the app's secret, `iss` and `dest`
 * the shop, `sub` the signed-in customer's gid (omitted here to stand for a token without one).
 */
export function customerAccountSessionToken({ shop, customerId, secret = TEST_API_SECRET, expiresIn = 60 }: CheckoutTokenClaims) {
  return extensionToken(
    { iss: `https://${shop}`, dest: `https://${shop}`, ...(customerId ? { sub: `gid://shopify/Customer/${customerId}` } : {}) },
    secret,
    expiresIn,
  );
}

export interface RemixAppFixture {
  database: TestDatabase;
  app: Awaited<ReturnType<typeof loadRemixApp>>;
}

/**
 * A test file's setting for the admin and storefront routes: a fresh database with these shops
 * installed, the production build over it, and after every test each balance equal to its ledger.
 */
export function useRemixApp(shops: string[]): RemixAppFixture {
  const fixture = {} as RemixAppFixture;
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    for (const shop of shops) await installShop(fixture.database.db, shop);
    fixture.app = await loadRemixApp(fixture.database.url);
  }, 120_000);
  afterAll(async () => {
    await fixture.app?.close();
    await fixture.database?.drop();
  });
  afterEach(async () => {
    expect(await ledgerMismatches(fixture.database.db)).toEqual([]);
  });
  return fixture;
}
