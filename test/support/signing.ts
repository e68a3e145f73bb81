import { createHmac, randomUUID } from "node:crypto";

export const TEST_API_KEY = "test-api-key";
export const TEST_API_SECRET = "test-api-secret-0123456789";

export function signWebhookBody(body: string, secret = TEST_API_SECRET) {
  return createHmac("sha256", secret).update(body).digest("base64");
}

export interface WebhookDelivery {
  topic: string;
  shop: string;
  payload: unknown;
  webhookId?: string;
  secret?: string;
  headers?: Record<string, string | undefined>;
}

/** Builds the request Shopify sends for one delivery. */
export function webhookRequestInit(delivery: WebhookDelivery) {
  const body = JSON.stringify(delivery.payload);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Shop-Domain": delivery.shop,
    "X-Shopify-Webhook-Id": delivery.webhookId ?? randomUUID(),
    "X-Shopify-Api-Version": "2026-01",
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-Hmac-Sha256": signWebhookBody(body, delivery.secret),
  };
  for (const [name, value] of Object.entries(delivery.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { method: "POST", headers, body };
}

/** Signs app proxy query parameters the way Shopify does (hex HMAC over the sorted pairs). */
export function signProxyQuery(params: Record<string, string>, secret = TEST_API_SECRET) {
  const message = Object.entries(params)
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  return new URLSearchParams({ ...params, signature });
}
