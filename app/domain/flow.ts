// Shopify Flow, the pure part: the app's triggers and the properties each sends (their keys are
// the field keys in extensions/flow-*/shopify.extension.toml), the lifecycle callback Flow sends
// when a shop starts or stops using a trigger, and the "Adjust loyalty points" action's request,
// each read one field at a time into a value or a refusal. HTTP statuses are chosen in one table
// (FLOW_REFUSALS), never by the code that refuses.
import { customerIdFrom } from "./action-awards";
import { MAX_ADJUSTMENT_POINTS, MAX_REASON_LENGTH } from "./manual-adjustment";

/** The handles of the app's Flow trigger extensions. */
export const FLOW_TRIGGERS = {
  pointsEarned: "loyalty-points-earned",
  rewardRedeemed: "loyalty-reward-redeemed",
  tierChanged: "loyalty-tier-changed",
  pointsExpiring: "loyalty-points-expiring",
} as const;

export type FlowTriggerHandle = (typeof FLOW_TRIGGERS)[keyof typeof FLOW_TRIGGERS];

export const FLOW_TRIGGER_HANDLES: readonly FlowTriggerHandle[] = Object.values(FLOW_TRIGGERS);

export const isFlowTriggerHandle = (value: string): value is FlowTriggerHandle => (FLOW_TRIGGER_HANDLES as readonly string[]).includes(value);

/**
 * A trigger's payload for flowTriggerReceive: a `customer_reference` field is sent as
 * `customer_id` (Shopify's numeric id), an `order_reference` as `order_id`, and every other
 * field under its key (letters and spaces only). Numbers are whole points.
 */
export type FlowTriggerProperties = Record<string, string | number | boolean>;

const numericId = (id: string): number => {
  const value = Number(id);
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`"${id}" is not a Shopify resource id`);
  return value;
};

/** @example pointsEarnedProperties({ customerId: "7", orderId: "1001", points: 40, balance: 140, reason: "Order #1001" }) */
export function pointsEarnedProperties(event: { customerId: string; orderId: string; points: number; balance: number; reason: string }): FlowTriggerProperties {
  return { customer_id: numericId(event.customerId), order_id: numericId(event.orderId), points: event.points, balance: event.balance, reason: event.reason };
}

export function rewardRedeemedProperties(event: {
  customerId: string;
  rewardName: string;
  pointsSpent: number;
  balance: number;
  code: string | null;
}): FlowTriggerProperties {
  return {
    customer_id: numericId(event.customerId),
    "reward name": event.rewardName,
    "points spent": event.pointsSpent,
    balance: event.balance,
    "discount code": event.code ?? "",
  };
}

export function tierChangedProperties(event: {
  customerId: string;
  tierName: string | null;
  previousTierName: string | null;
  upgraded: boolean;
}): FlowTriggerProperties {
  return {
    customer_id: numericId(event.customerId),
    "tier name": event.tierName ?? "",
    "previous tier name": event.previousTierName ?? "",
    upgraded: event.upgraded,
  };
}

export function pointsExpiringProperties(event: { customerId: string; points: number; balance: number; expiresAt: string }): FlowTriggerProperties {
  return { customer_id: numericId(event.customerId), points: event.points, balance: event.balance, "expiry date": new Date(event.expiresAt).toISOString() };
}

/** Every refusal of a Flow request, its HTTP status and what it says. A 4xx tells Flow the run failed (it does not retry); a 5xx is retried. */
export const FLOW_REFUSALS = {
  method_not_allowed: { status: 405, message: "Flow requests are POST only." },
  not_signed: { status: 401, message: "Missing X-Shopify-Hmac-SHA256: the request is not signed." },
  bad_signature: { status: 401, message: "The signature does not match the body." },
  payload_too_large: { status: 413, message: "The request body is too large." },
  bad_json: { status: 400, message: "The request body is not JSON." },
  invalid_request: { status: 400, message: "The request is missing a field or has one of the wrong type." },
  invalid_points: { status: 422, message: "Points must be a whole number other than 0." },
  invalid_reason: { status: 422, message: "Say why the points change: the customer's history shows it." },
  invalid_customer: { status: 422, message: "The customer is not a Shopify customer id." },
  not_installed: { status: 404, message: "This store does not have the loyalty app installed." },
  member_not_found: { status: 404, message: "This customer has no loyalty points to take: they are not a member of the program." },
  run_conflict: { status: 409, message: "This action run was already applied with a different customer or points." },
} as const satisfies Record<string, { status: number; message: string }>;

export type FlowRefusalReason = keyof typeof FLOW_REFUSALS;

/** A refusal as the endpoint answers it: `{ ok: false, reason, message }` and the field at fault, if any. */
export interface FlowRefusal {
  ok: false;
  reason: FlowRefusalReason;
  message: string;
  field?: string;
}

export const flowRefusal = (reason: FlowRefusalReason, message?: string, field?: string): FlowRefusal => ({
  ok: false,
  reason,
  message: message ?? FLOW_REFUSALS[reason].message,
  ...(field ? { field } : {}),
});

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The lifecycle callback Flow POSTs when a shop turns on its first, or turns off its last,
 * workflow that starts with a trigger:
 *
 * @example { "flow_trigger_definition_id": "loyalty-points-earned", "has_enabled_flow": true, "shop_id": 1, "shopify_domain": "x.myshopify.com", "timestamp": "2026-12-03T12:00:00Z" }
 *
 * The trigger is named by `flow_trigger_definition_id` (the trigger extension's handle); a
 * `handle` field is read as well, should Flow send one.
 */
export interface FlowTriggerUseChange {
  shop: string;
  handle: string;
  active: boolean;
  at: string;
}

export function parseLifecycleCallback(json: unknown, receivedAt: Date): { ok: true; change: FlowTriggerUseChange } | FlowRefusal {
  if (!isObject(json)) return flowRefusal("invalid_request", "The body is not a JSON object.");
  const shop = typeof json.shopify_domain === "string" ? json.shopify_domain.trim().toLowerCase() : "";
  if (!SHOP_DOMAIN.test(shop)) return flowRefusal("invalid_request", "shopify_domain is not a myshopify.com domain.", "shopify_domain");
  const named = [json.flow_trigger_definition_id, json.handle].find((value) => typeof value === "string" && value.trim() !== "") as string | undefined;
  if (!named || named.length > 255) return flowRefusal("invalid_request", "flow_trigger_definition_id names no trigger.", "flow_trigger_definition_id");
  if (typeof json.has_enabled_flow !== "boolean") return flowRefusal("invalid_request", "has_enabled_flow is not true or false.", "has_enabled_flow");
  const stamped = typeof json.timestamp === "string" ? new Date(json.timestamp) : null;
  const at = stamped && !Number.isNaN(stamped.getTime()) ? stamped : receivedAt;
  return { ok: true, change: { shop, handle: named.trim(), active: json.has_enabled_flow, at: at.toISOString() } };
}

/**
 * One run of the "Adjust loyalty points" action, as Flow POSTs it to the runtime URL:
 *
 * @example { "shop_id": 1, "shopify_domain": "x.myshopify.com", "action_run_id": "a1b2-...", "handle": "adjust-loyalty-points", "properties": { "customer_id": "gid://shopify/Customer/7", "points": 100, "reason": "Survey answered" } }
 *
 * Flow may send the same run again (a timeout, a 5xx): `action_run_id` is what makes it one change.
 */
export interface FlowPointsAdjustment {
  shop: string;
  runId: string;
  customerId: string;
  points: number;
  reason: string;
}

const RUN_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export function parseAdjustPointsRequest(json: unknown): { ok: true; adjustment: FlowPointsAdjustment } | FlowRefusal {
  if (!isObject(json)) return flowRefusal("invalid_request", "The body is not a JSON object.");
  const shop = typeof json.shopify_domain === "string" ? json.shopify_domain.trim().toLowerCase() : "";
  if (!SHOP_DOMAIN.test(shop)) return flowRefusal("invalid_request", "shopify_domain is not a myshopify.com domain.", "shopify_domain");
  const runId = typeof json.action_run_id === "string" ? json.action_run_id.trim() : "";
  if (!RUN_ID.test(runId)) return flowRefusal("invalid_request", "action_run_id is missing or not an id.", "action_run_id");
  if (!isObject(json.properties)) return flowRefusal("invalid_request", "properties is not an object.", "properties");
  const { customer_id: customer, points: rawPoints, reason: rawReason } = json.properties;

  const customerId = customerIdFrom(customer);
  if (!customerId) return flowRefusal("invalid_customer", undefined, "customer_id");

  const pointsText = typeof rawPoints === "number" ? String(rawPoints) : typeof rawPoints === "string" ? rawPoints.trim().replace(/^\+/, "") : "";
  if (!/^-?\d+$/.test(pointsText)) {
    const decimal = /^-?\d*\.\d+$/.test(pointsText);
    return flowRefusal("invalid_points", decimal ? "Points are whole numbers: no decimals." : "Points must be a whole number, like 100 or -100.", "points");
  }
  const points = Number(pointsText);
  if (points === 0) return flowRefusal("invalid_points", "An adjustment of 0 points changes nothing.", "points");
  if (Math.abs(points) > MAX_ADJUSTMENT_POINTS) {
    return flowRefusal("invalid_points", `Adjustments are limited to ${MAX_ADJUSTMENT_POINTS.toLocaleString("en-US")} points either way.`, "points");
  }

  const reason = typeof rawReason === "string" ? rawReason.trim() : "";
  if (!reason) return flowRefusal("invalid_reason", undefined, "reason");
  if (reason.length > MAX_REASON_LENGTH) return flowRefusal("invalid_reason", `Keep the reason under ${MAX_REASON_LENGTH} characters.`, "reason");

  return { ok: true, adjustment: { shop, runId, customerId, points, reason } };
}

/** The ledger source key of a Flow action run: a run sent again finds its entry. */
export const flowAdjustmentSourceKey = (runId: string) => `flow:${runId}`;

/** What the ledger says of a Flow adjustment. */
export const flowAdjustmentReason = (reason: string) => `Shopify Flow: ${reason}`;
