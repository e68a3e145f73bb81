import { randomUUID } from "node:crypto";
import { signWebhookBody } from "./signing";

/** A request from Shopify Flow: the JSON body, signed as Flow signs it (base64 HMAC-SHA256 of the raw body with the app's secret). */
export function flowRequestInit(body: unknown, { secret, hmac }: { secret?: string; hmac?: string | null } = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const signature = hmac === undefined ? signWebhookBody(text, secret) : hmac;
  if (signature !== null) headers["X-Shopify-Hmac-SHA256"] = signature;
  return { method: "POST", headers, body: text };
}

/** One run of the "Adjust loyalty points" action, as Flow POSTs it to the runtime URL. */
export function adjustPointsRun(shop: string, properties: Record<string, unknown>, runId: string = randomUUID()) {
  return {
    shop_id: 1,
    shopify_domain: shop,
    action_run_id: runId,
    action_definition_id: "adjust-loyalty-points",
    handle: "adjust-loyalty-points",
    properties,
  };
}

/** Flow's lifecycle callback: the shop turned on its first (true) or off its last (false) workflow with the trigger. */
export function lifecycleCallback(shop: string, handle: string, hasEnabledFlow: boolean, timestamp: Date = new Date()) {
  return { flow_trigger_definition_id: handle, has_enabled_flow: hasEnabledFlow, shop_id: 1, shopify_domain: shop, timestamp: timestamp.toISOString() };
}
