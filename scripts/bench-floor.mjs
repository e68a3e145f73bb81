// The benchmark's floor: a plain Node HTTP server that does the least a correct webhook endpoint
// must do (verify the same HMAC over the raw body, insert one row in the same kind of database,
// answer 200 after the commit). Started by scripts/bench-webhooks.mjs.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";

const { FLOOR_DB, FLOOR_SECRET, FLOOR_PORT } = process.env;
const db = new Database(FLOOR_DB);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec('CREATE TABLE IF NOT EXISTS "deliveries" ("webhook_id" TEXT PRIMARY KEY, "topic" TEXT, "body" TEXT)');
const insert = db.prepare('INSERT INTO "deliveries" VALUES (?, ?, ?)');

http
  .createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const given = Buffer.from(String(request.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
      const expected = createHmac("sha256", FLOOR_SECRET).update(body).digest();
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        response.writeHead(401).end();
        return;
      }
      insert.run(request.headers["x-shopify-webhook-id"], request.headers["x-shopify-topic"], body.toString("utf8"));
      response.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}');
    });
  })
  .listen(Number(FLOOR_PORT), "127.0.0.1", () => process.send?.("ready"));
