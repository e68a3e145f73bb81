import type { Database } from "../db/types";
import { FLOW_REFUSALS, flowRefusal, parseAdjustPointsRequest, parseLifecycleCallback, type FlowRefusal } from "../domain/flow";
import { applyFlowPointsAdjustment, recordFlowTriggerUse } from "../models/flow.server";
import { isValidWebhookSignature } from "../webhooks/verify.server";

// Shopify Flow's requests to the app, whole: both are POSTs signed like webhooks (base64
// HMAC-SHA256 of the raw body with the app's secret, in X-Shopify-Hmac-SHA256).
//   POST /flow/lifecycle                 a shop started or stopped using one of the app's triggers
//   POST /flow/actions/adjust-points     one run of the "Adjust loyalty points" action
// Nothing is answered 200 unless it is recorded.

export const FLOW_LIFECYCLE_PATH = "/flow/lifecycle";
export const FLOW_ADJUST_POINTS_PATH = "/flow/actions/adjust-points";

/** Flow's request bodies are a few hundred bytes. */
export const MAX_FLOW_BODY_BYTES = 64 * 1024;

export interface FlowRequestDeps {
  db: Database;
  /** The app's API secret; a second one is accepted while rotating. */
  secrets: readonly string[];
  now?: () => Date;
}

export interface FlowHttpRequest {
  method: string;
  header(name: string): string | null | undefined;
  body: Buffer;
}

export interface FlowAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const refusalAnswer = (refusal: FlowRefusal): FlowAnswer => ({
  status: FLOW_REFUSALS[refusal.reason].status,
  body: refusal,
  ...(refusal.reason === "method_not_allowed" ? { headers: { Allow: "POST" } } : {}),
});

/** The signed JSON body, or the refusal that answers the request. */
function signedJson(request: FlowHttpRequest, secrets: readonly string[]): { ok: true; json: unknown } | FlowRefusal {
  if (request.method !== "POST") return flowRefusal("method_not_allowed");
  if (request.body.length > MAX_FLOW_BODY_BYTES) return flowRefusal("payload_too_large");
  const hmac = request.header("x-shopify-hmac-sha256");
  if (!hmac) return flowRefusal("not_signed");
  if (!isValidWebhookSignature(secrets, request.body, hmac)) return flowRefusal("bad_signature");
  try {
    return { ok: true, json: JSON.parse(request.body.toString("utf8")) };
  } catch {
    return flowRefusal("bad_json");
  }
}

/** The lifecycle callback: records whether the shop uses the trigger; 200 once recorded. */
export async function answerFlowLifecycle(deps: FlowRequestDeps, request: FlowHttpRequest): Promise<FlowAnswer> {
  const signed = signedJson(request, deps.secrets);
  if (!signed.ok) return refusalAnswer(signed);
  const parsed = parseLifecycleCallback(signed.json, deps.now?.() ?? new Date());
  if (!parsed.ok) return refusalAnswer(parsed);
  await recordFlowTriggerUse(deps.db, parsed.change);
  return { status: 200, body: { ok: true, handle: parsed.change.handle, active: parsed.change.active } };
}

/** One run of "Adjust loyalty points": 200 with the entry once applied (or already applied by this run), a 4xx with the reason otherwise. */
export async function answerFlowAdjustPoints(deps: FlowRequestDeps, request: FlowHttpRequest): Promise<FlowAnswer> {
  const signed = signedJson(request, deps.secrets);
  if (!signed.ok) return refusalAnswer(signed);
  const parsed = parseAdjustPointsRequest(signed.json);
  if (!parsed.ok) return refusalAnswer(parsed);
  const result = await applyFlowPointsAdjustment(deps.db, parsed.adjustment, (deps.now?.() ?? new Date()).toISOString());
  if (!result.ok) return refusalAnswer(result);
  return { status: 200, body: result };
}

/** The Flow endpoint at this path, or null when the path is not one. */
export function flowEndpoint(path: string): typeof answerFlowLifecycle | null {
  if (path === FLOW_LIFECYCLE_PATH) return answerFlowLifecycle;
  if (path === FLOW_ADJUST_POINTS_PATH) return answerFlowAdjustPoints;
  return null;
}

/** A Flow endpoint over a Fetch request and response (the Remix routes, for `shopify app dev`). */
export async function answerFlowFetchRequest(endpoint: typeof answerFlowLifecycle, deps: FlowRequestDeps, request: Request): Promise<Response> {
  const answer = await endpoint(deps, { method: request.method, header: (name) => request.headers.get(name), body: Buffer.from(await request.arrayBuffer()) });
  return Response.json(answer.body, { status: answer.status, headers: answer.headers });
}
