import http from "node:http";
import type { AppRuntime } from "../runtime.server";
import { MAX_WEBHOOK_BYTES, receiveWebhook } from "../webhooks/ingress.server";

type NodeHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export interface NodeServerOptions {
  runtime: Pick<AppRuntime, "config" | "webhooks">;
  /** Everything that is not a webhook (the Remix app); 404 when absent. */
  fallback?: NodeHandler;
}

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function readBody(request: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(size > limit ? null : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/**
 * The HTTP server: webhooks are answered here directly (no framework between the socket and
 * the ledger, because Shopify's delivery volume lands on this path), everything else goes to
 * the fallback (Remix).
 */
export function createNodeServer({ runtime, fallback }: NodeServerOptions): http.Server {
  return http.createServer(async (request, response) => {
    const path = (request.url ?? "/").split("?", 1)[0];
    if (path === "/webhooks" || path.startsWith("/webhooks/")) {
      try {
        const body = await readBody(request, MAX_WEBHOOK_BYTES);
        if (!body) return sendJson(response, 413, { ok: false, error: "body too large" });
        const result = await receiveWebhook(
          { method: request.method ?? "GET", header: (name) => request.headers[name] as string | undefined, body },
          { secrets: runtime.config.apiSecrets, applier: runtime.webhooks },
        );
        return sendJson(response, result.status, result.body, result.headers);
      } catch (error) {
        console.error("webhook request failed", error);
        if (!response.headersSent) sendJson(response, 500, { ok: false, error: "internal error" });
        return;
      }
    }
    if (path === "/healthz") return sendJson(response, 200, { ok: true });
    if (fallback) return fallback(request, response);
    sendJson(response, 404, { ok: false, error: "not found" });
  });
}
