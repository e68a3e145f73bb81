// The benchmarks' floor: a plain Node HTTP server that does the least a correct endpoint must do,
// on the same kind of database as the app (FLOOR_DATABASE_URL, a SQLite file: URL or PostgreSQL
// through pg with the app's pool size). Started by scripts/bench-support.mjs.
//
//   FLOOR_MODE=webhooks  POST: verify the HMAC over the raw body, insert one row, answer 200 after the commit.
//   FLOOR_MODE=shopper   GET /proxy/...: verify the app proxy signature and its age; GET /api/...: verify
//                        the HS256 session token (signature, exp, aud); then read the member's balance
//                        by shop and customer id (one indexed read of the app's members table) and answer JSON.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { appProxySignature, openDatabaseClient } from "./bench-support.mjs";

const { FLOOR_MODE, FLOOR_DATABASE_URL, FLOOR_POOL_SIZE, FLOOR_SECRET, FLOOR_API_KEY, FLOOR_PORT } = process.env;
const db = openDatabaseClient(FLOOR_DATABASE_URL, Number(FLOOR_POOL_SIZE));

const sameBytes = (given, expected) => given.length === expected.length && timingSafeEqual(given, expected);
const answer = (response, status, body) => {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) }).end(text);
};

const readBody = (request) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });

async function webhook(request, response) {
  const body = await readBody(request);
  const given = Buffer.from(String(request.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
  if (!sameBytes(given, createHmac("sha256", FLOOR_SECRET).update(body).digest())) return answer(response, 401, { ok: false });
  await db.run('INSERT INTO "deliveries" VALUES (?, ?, ?)', [
    request.headers["x-shopify-webhook-id"],
    request.headers["x-shopify-topic"],
    body.toString("utf8"),
  ]);
  answer(response, 200, { ok: true });
}

/** The app proxy's shop and customer, or null: hex HMAC over the sorted `key=value` pairs, at most 90 s old. */
function proxyShopper(params) {
  const given = Buffer.from(params.get("signature") ?? "", "hex");
  if (!sameBytes(given, Buffer.from(appProxySignature(FLOOR_SECRET, params), "hex"))) return null;
  if (Math.abs(Date.now() / 1000 - Number(params.get("timestamp"))) > 90) return null;
  return { shop: params.get("shop"), customerId: params.get("logged_in_customer_id") };
}

/** The session token's shop and customer, or null. */
function tokenShopper(authorization) {
  const [header, payload, signature] = String(authorization ?? "")
    .replace(/^Bearer /, "")
    .split(".");
  if (!signature) return null;
  const expected = createHmac("sha256", FLOOR_SECRET).update(`${header}.${payload}`).digest();
  if (!sameBytes(Buffer.from(signature, "base64url"), expected)) return null;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  if (claims.aud !== FLOOR_API_KEY || !(claims.exp > Date.now() / 1000)) return null;
  return { shop: String(claims.dest).replace(/^https:\/\//, ""), customerId: /\d+$/.exec(claims.sub ?? "")?.[0] };
}

async function shopperPoints(request, response) {
  const url = new URL(request.url, "http://floor");
  const shopper = url.pathname.startsWith("/proxy/") ? proxyShopper(url.searchParams) : tokenShopper(request.headers.authorization);
  if (!shopper?.customerId) return answer(response, 401, { ok: false });
  const member = await db.get('SELECT "balance" FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [shopper.shop, shopper.customerId]);
  answer(response, 200, { customerId: shopper.customerId, points: member?.balance ?? 0 });
}

if (FLOOR_MODE === "webhooks") {
  await db.exec('CREATE TABLE IF NOT EXISTS "deliveries" ("webhook_id" TEXT PRIMARY KEY, "topic" TEXT, "body" TEXT)');
}
const handle = FLOOR_MODE === "webhooks" ? webhook : shopperPoints;
http
  .createServer((request, response) =>
    handle(request, response).catch((error) => {
      console.error("floor failed", error);
      answer(response, 500, { ok: false });
    }),
  )
  .listen(Number(FLOOR_PORT), "127.0.0.1", () => process.send?.("ready"));
