import http from "node:http";
import type { AppRuntime } from "../runtime.server";
import { readInput } from "../shopper/handlers.server";
import type { ShopperAnswer } from "../shopper/refusals";
import { answerShopperRequest, answerToSend, isShopperPath, type ShopperRequest } from "../shopper/router.server";
import { MAX_WEBHOOK_BYTES, receiveWebhook } from "../webhooks/ingress.server";
import { flowEndpoint, MAX_FLOW_BODY_BYTES } from "../flow/requests.server";
import { FLOW_REFUSALS, flowRefusal } from "../domain/flow";
import { answerUnsubscribe } from "../email/unsubscribe.server";
import { UNSUBSCRIBE_PATH } from "../email/unsubscribe-link.server";

type NodeHandler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export interface NodeServerOptions {
  runtime: Pick<AppRuntime, "config" | "webhooks" | "shopper"> & Partial<Pick<AppRuntime, "flow">>;
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

/** A Node request as the shopper router reads it: no Fetch objects on the read path; a body is parsed only when an endpoint asks. */
function shopperRequest(request: http.IncomingMessage, body: Buffer | null): ShopperRequest {
  return {
    method: request.method ?? "GET",
    url: new URL(`http://localhost${request.url ?? "/"}`),
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    input: () => {
      const type = request.headers["content-type"];
      const init = { method: "POST", headers: type ? { "content-type": type } : undefined, body: body && body.length ? new Uint8Array(body) : undefined };
      return readInput(new Request("http://localhost/", init));
    },
  };
}

function sendAnswer(response: http.ServerResponse, answer: ShopperAnswer) {
  const { status, headers, text } = answerToSend(answer);
  response.writeHead(status, { "Content-Length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** Largest shopper request body (a redemption or a birthday is a few hundred bytes). */
const MAX_SHOPPER_BYTES = 64 * 1024;

/**
 * The HTTP server: webhooks, Shopify Flow's requests and the shopper endpoints are answered here directly (no framework between the socket and
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
    const flow = runtime.flow && flowEndpoint(path);
    if (flow) {
      try {
        const body = await readBody(request, MAX_FLOW_BODY_BYTES);
        if (!body) return sendJson(response, FLOW_REFUSALS.payload_too_large.status, flowRefusal("payload_too_large"));
        const answer = await flow(runtime.flow!, { method: request.method ?? "GET", header: (name) => request.headers[name] as string | undefined, body });
        return sendJson(response, answer.status, answer.body, answer.headers);
      } catch (error) {
        console.error("Flow request failed", error);
        if (!response.headersSent) sendJson(response, 500, { ok: false, error: "internal error" });
        return;
      }
    }
    if (isShopperPath(path)) {
      try {
        const method = request.method ?? "GET";
        const body = method === "GET" || method === "HEAD" || method === "OPTIONS" ? null : await readBody(request, MAX_SHOPPER_BYTES);
        if (method === "POST" && !body) return sendJson(response, 413, { ok: false, error: "body too large" });
        const answer = await answerShopperRequest(shopperRequest(request, body), runtime.shopper);
        if (answer) return sendAnswer(response, answer);
      } catch (error) {
        console.error("shopper request failed", error);
        if (!response.headersSent) sendJson(response, 500, { ok: false, error: "internal error" });
        return;
      }
    }
    if (path === UNSUBSCRIBE_PATH) {
      try {
        // A one-click body is "List-Unsubscribe=One-Click"; the token is in the URL, so the body is only drained.
        if (request.method === "POST" && !(await readBody(request, 8 * 1024))) return sendJson(response, 413, { ok: false, error: "body too large" });
        const answer = await answerUnsubscribe(
          { method: request.method ?? "GET", url: request.url ?? "/", acceptLanguage: request.headers["accept-language"] },
          { db: runtime.shopper.db, secrets: runtime.config.apiSecrets, now: runtime.shopper.now },
        );
        response.writeHead(answer.status, { ...answer.headers, "Content-Length": Buffer.byteLength(answer.html) });
        response.end(request.method === "HEAD" ? undefined : answer.html);
      } catch (error) {
        console.error("unsubscribe request failed", error);
        if (!response.headersSent) sendJson(response, 500, { ok: false, error: "internal error" });
      }
      return;
    }
    if (path === "/healthz") return sendJson(response, 200, { ok: true });
    if (fallback) return fallback(request, response);
    sendJson(response, 404, { ok: false, error: "not found" });
  });
}
