// Production server: `npm start` after `npm run build`. Webhooks are answered by the app's own
// fast path (app/server/node-server.server.ts); pages, the app proxy and assets go through Remix.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import express from "express";

const root = path.dirname(fileURLToPath(import.meta.url));
process.env.NODE_ENV ??= "production";
const build = await import(path.join(root, "build/server/index.js"));
const { createNodeServer, getRuntime, startBackgroundJobs } = build.entry.module;

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const runtime = getRuntime();
const server = createNodeServer({ runtime, fallback: app });
const host = process.env.HOST || "0.0.0.0";
server.listen(runtime.config.port, host, () => {
  console.log(`loyalty app listening on http://${host === "0.0.0.0" ? "localhost" : host}:${runtime.config.port}`);
});
// Durable background work (reward code expiry, settling interrupted redemptions) and the outbox of member messages.
const jobs = startBackgroundJobs(runtime);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await jobs.stop().catch((error) => console.error("background work did not stop cleanly", error));
    server.close(async () => {
      await runtime.db.close();
      process.exit(0);
    });
  });
}
