import type { EarningRuleKind, Skipped } from "./ways-to-earn";

// Awarding a way to earn that is an action (a product review, a custom action, a social follow)
// by the API, by staff on a member's page or in bulk from a CSV: what a request must say, and
// every reason one is refused with its HTTP status, in one table.

/** What the awards API accepts: review apps and the merchant's own systems award these. */
export const API_ACTION_KINDS: readonly EarningRuleKind[] = ["review", "custom"];
/** What staff may award by hand (a social follow they checked, too). */
export const STAFF_ACTION_KINDS: readonly EarningRuleKind[] = ["review", "custom", "social"];

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
export const MAX_AWARD_NOTE_LENGTH = 500;
export const MAX_EMAIL_LENGTH = 254;
/** Keys our own forms use; an API caller's key may not start with them. */
const RESERVED_KEY_PREFIXES = ["staff:", "bulk:"];

/**
 * A parsed POST /api/v1/awards body.
 *
 * @example { customer: { email: "ada@example.com" }, ruleId: 12, idempotencyKey: "judgeme-review-88120", photo: true, note: null }
 */
export interface AwardRequest {
  customer: { customerId: string } | { email: string };
  ruleId: number;
  idempotencyKey: string;
  photo: boolean;
  note: string | null;
}

export const AWARD_REFUSALS = {
  method_not_allowed: { status: 405, message: "Send awards with POST." },
  missing_key: { status: 401, message: "Send your API key as Authorization: Bearer lyl_..." },
  malformed_key: { status: 401, message: "The Authorization header does not hold an API key of the form lyl_<prefix>_<secret>." },
  unknown_key: { status: 401, message: "This API key is not known. Create one on the app's API keys page." },
  revoked_key: { status: 401, message: "This API key was revoked. Create a new one on the app's API keys page." },
  not_installed: { status: 403, message: "The store this key belongs to no longer has the app installed." },
  rate_limited: { status: 429, message: "Too many requests with this key; wait and retry." },
  payload_too_large: { status: 413, message: "The request body is too large (16 KB at most)." },
  bad_json: { status: 400, message: "The request body is not valid JSON." },
  invalid_request: { status: 400, message: "The request is missing a field or has one of the wrong type." },
  idempotency_conflict: { status: 409, message: "This idempotency key was already used with a different request body." },
  member_not_found: { status: 404, message: "No customer in this store's program has this id or email." },
  ambiguous_email: { status: 422, message: "More than one member has this email; send the customerId instead." },
  rule_not_found: { status: 404, message: "This store has no way to earn with this id." },
  not_awardable: { status: 422, message: "This way to earn cannot be awarded this way." },
  limit_reached: { status: 422, message: "The customer already earned this way to earn as often as its limit allows." },
  not_eligible: { status: 422, message: "The customer cannot earn this way to earn now." },
  already_awarded: { status: 422, message: "The customer already earned this way to earn." },
} as const satisfies Record<string, { status: number; message: string }>;

export type AwardRefusalReason = keyof typeof AWARD_REFUSALS;

/** A refusal as the API answers it: `{ ok: false, reason, message }` and the field it is about, if any. */
export interface AwardRefusal {
  ok: false;
  reason: AwardRefusalReason;
  message: string;
  field?: string;
}

export const awardRefusal = (reason: AwardRefusalReason, message?: string, field?: string): AwardRefusal => ({
  ok: false,
  reason,
  message: message ?? AWARD_REFUSALS[reason].message,
  ...(field ? { field } : {}),
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A trimmed, lower-cased email, or null when it cannot be one. */
export function normaliseEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email) ? email : null;
}

/** Shopify's numeric customer id, from 123, "123" or "gid://shopify/Customer/123". */
export function customerIdFrom(value: unknown): string | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  if (typeof value !== "string") return null;
  const match = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec(value.trim());
  return match && !/^0+$/.test(match[1]) ? match[1] : null;
}

const invalid = (field: string, message: string) => awardRefusal("invalid_request", message, field);

/** Validates a parsed JSON body, one field at a time. Pure. */
export function parseAwardRequest(body: unknown): { ok: true; request: AwardRequest } | AwardRefusal {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return invalid("body", "The body must be a JSON object.");
  const raw = body as Record<string, unknown>;
  let customer: AwardRequest["customer"];
  if (raw.customerId !== undefined && raw.email !== undefined) return invalid("customerId", "Send customerId or email, not both.");
  if (raw.customerId !== undefined) {
    const customerId = customerIdFrom(raw.customerId);
    if (!customerId) return invalid("customerId", "customerId must be Shopify's numeric customer id (or its gid://shopify/Customer/ form).");
    customer = { customerId };
  } else if (raw.email !== undefined) {
    const email = typeof raw.email === "string" ? normaliseEmail(raw.email) : null;
    if (!email) return invalid("email", "email must be an email address.");
    customer = { email };
  } else {
    return invalid("customerId", "Say who earns: send customerId or email.");
  }
  const ruleId = typeof raw.ruleId === "string" && /^\d+$/.test(raw.ruleId) ? Number(raw.ruleId) : raw.ruleId;
  if (raw.ruleId === undefined) return invalid("ruleId", "Send ruleId: the id of the review or custom way to earn.");
  if (typeof ruleId !== "number" || !Number.isSafeInteger(ruleId) || ruleId < 1) return invalid("ruleId", "ruleId must be a positive whole number.");
  const key = raw.idempotencyKey;
  if (key === undefined) return invalid("idempotencyKey", "Send idempotencyKey: one per award, like the review's id.");
  if (typeof key !== "string" || key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    return invalid("idempotencyKey", `idempotencyKey must be a string of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return invalid("idempotencyKey", "idempotencyKey may not hold control characters.");
  if (RESERVED_KEY_PREFIXES.some((prefix) => key.startsWith(prefix)))
    return invalid("idempotencyKey", `idempotencyKey may not start with ${RESERVED_KEY_PREFIXES.join(" or ")}: the app's own forms use them.`);
  if (raw.photo !== undefined && typeof raw.photo !== "boolean") return invalid("photo", "photo must be true or false.");
  if (raw.note !== undefined && raw.note !== null && typeof raw.note !== "string") return invalid("note", "note must be a string.");
  const note = typeof raw.note === "string" ? raw.note.trim() : "";
  if (note.length > MAX_AWARD_NOTE_LENGTH) return invalid("note", `Keep note under ${MAX_AWARD_NOTE_LENGTH} characters.`);
  return { ok: true, request: { customer, ruleId, idempotencyKey: key, photo: raw.photo === true, note: note || null } };
}

/** The request as its idempotency record compares it: the same award asked again reads the same. */
export const canonicalAwardRequest = (request: AwardRequest) =>
  JSON.stringify([
    "customerId" in request.customer ? { customerId: request.customer.customerId } : { email: request.customer.email },
    request.ruleId,
    request.photo,
    request.note,
  ]);

/** Why the rule could not be awarded, from what the decision skipped. */
export function refusalOfSkipped(skipped: readonly Skipped[]): AwardRefusal {
  const reason = skipped[0]?.reason ?? "nothing to award";
  if (reason === "no such way to earn") return awardRefusal("rule_not_found");
  if (reason === "already earned" || reason.startsWith("limit of ")) return awardRefusal("limit_reached", `The customer cannot earn it again: ${reason}.`);
  if (reason === "the way to earn is off" || reason === "this way to earn is not awarded as an action")
    return awardRefusal("not_awardable", `Not awarded: ${reason}.`);
  return awardRefusal("not_eligible", `Not awarded: ${reason}.`);
}

/**
 * The member page's "Award a way to earn" form, as submitted.
 *
 * @example { ruleId: "12", photo: true, reason: "Review left by phone", awardKey: "3f0c...-..." }
 */
export interface StaffAwardForm {
  ruleId: string;
  photo: boolean;
  reason: string;
  /** Generated when the page rendered: the same form submitted twice awards once. */
  awardKey: string;
}

export type StaffAwardFieldErrors = Partial<Record<keyof StaffAwardForm, string>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key a form was rendered with (crypto.randomUUID()). */
export const isFormKey = (value: string) => UUID.test(value);

/** Validates the form. Pure. */
export function validateStaffAwardForm(
  form: StaffAwardForm,
): { ok: true; award: { ruleId: number; photo: boolean; note: string | null; key: string } } | { ok: false; fieldErrors: StaffAwardFieldErrors } {
  const fieldErrors: StaffAwardFieldErrors = {};
  const ruleId = /^\d{1,9}$/.test(form.ruleId.trim()) ? Number(form.ruleId.trim()) : 0;
  if (ruleId < 1) fieldErrors.ruleId = "Choose the way to earn to award.";
  const reason = form.reason.trim();
  if (reason.length > MAX_AWARD_NOTE_LENGTH) fieldErrors.reason = `Keep the reason under ${MAX_AWARD_NOTE_LENGTH} characters.`;
  if (!isFormKey(form.awardKey)) fieldErrors.awardKey = "This form is incomplete. Reload the page and try again.";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, award: { ruleId, photo: form.photo, note: reason || null, key: `staff:${form.awardKey.toLowerCase()}` } };
}
