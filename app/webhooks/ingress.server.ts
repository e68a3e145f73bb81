import type { WebhookApplier } from "./applier.server";
import { isValidWebhookSignature } from "./verify.server";

/** The HTTP facts of one delivery, independent of the server framework that received it. */
export interface WebhookHttpRequest {
  method: string;
  header(name: string): string | null | undefined;
  body: Buffer;
}

export interface WebhookHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body: { ok: boolean; status?: string; error?: string; reason?: string };
}

export interface WebhookIngressOptions {
  /** The app's API secret; a second one is accepted while rotating. */
  secrets: readonly string[];
  applier: WebhookApplier;
}

/** Largest webhook body accepted; Shopify's order payloads are far smaller. */
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

const reply = (status: number, body: WebhookHttpResponse["body"], headers?: Record<string, string>) => ({
  status,
  body,
  headers,
});

/**
 * Receives one webhook delivery: 405 for a method other than POST, 401 when unsigned or the
 * signature does not match the raw body, 400 for missing headers or a body that is not JSON,
 * 200 only once the event is committed (or was already, or is kept as a dead letter because it
 * can never be applied: Shopify need not retry), 500 when applying failed transiently so that
 * Shopify delivers it again.
 */
export async function receiveWebhook(request: WebhookHttpRequest, options: WebhookIngressOptions): Promise<WebhookHttpResponse> {
  if (request.method !== "POST") return reply(405, { ok: false, error: "webhooks are POST only" }, { Allow: "POST" });
  const hmac = request.header("x-shopify-hmac-sha256");
  if (!hmac) return reply(401, { ok: false, error: "missing X-Shopify-Hmac-Sha256: request is not signed" });
  if (!isValidWebhookSignature(options.secrets, request.body, hmac)) {
    return reply(401, { ok: false, error: "signature does not match the body" });
  }
  const topic = request.header("x-shopify-topic");
  const shop = request.header("x-shopify-shop-domain");
  const webhookId = request.header("x-shopify-webhook-id");
  const missing = [!topic && "X-Shopify-Topic", !shop && "X-Shopify-Shop-Domain", !webhookId && "X-Shopify-Webhook-Id"].filter(Boolean);
  if (missing.length) return reply(400, { ok: false, error: `missing header(s): ${missing.join(", ")}` });
  if (!SHOP_DOMAIN.test(shop!)) return reply(400, { ok: false, error: `"${shop}" is not a myshopify.com domain` });
  let payload: unknown;
  try {
    payload = JSON.parse(request.body.toString("utf8"));
  } catch {
    return reply(400, { ok: false, error: "body is not JSON" });
  }
  const outcome = await options.applier.apply({ webhookId: webhookId!, topic: topic!, shop: shop!, payload });
  switch (outcome.status) {
    case "failed":
      return reply(500, { ok: false, error: "could not apply the event; it will be applied on redelivery" });
    case "dead_lettered":
      return reply(200, { ok: true, status: outcome.status, reason: outcome.failure.reason });
    default:
      return reply(200, { ok: true, status: outcome.status });
  }
}
