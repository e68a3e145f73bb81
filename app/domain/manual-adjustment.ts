/**
 * A support agent's manual adjustment form, as submitted.
 *
 * @example { points: "-150", reason: "Goodwill for a late delivery", customerNote: "", idempotencyKey: "3f0c...-..." }
 */
export interface ManualAdjustmentForm {
  points: string;
  reason: string;
  customerNote: string;
  /** Generated when the page rendered; the same form submitted twice carries the same key. */
  idempotencyKey: string;
}

export interface ManualAdjustment {
  points: number;
  reason: string;
  customerNote: string | null;
  idempotencyKey: string;
}

export type ManualAdjustmentFieldErrors = Partial<Record<keyof ManualAdjustmentForm, string>>;

/** Larger adjustments are almost certainly a typo (an order number pasted into the points field). */
export const MAX_ADJUSTMENT_POINTS = 1_000_000;
export const MAX_REASON_LENGTH = 500;
export const MAX_CUSTOMER_NOTE_LENGTH = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates the form. Pure: no I/O. */
export function validateManualAdjustment(
  form: ManualAdjustmentForm,
): { ok: true; adjustment: ManualAdjustment } | { ok: false; reason: "invalid_fields"; fieldErrors: ManualAdjustmentFieldErrors } {
  const fieldErrors: ManualAdjustmentFieldErrors = {};

  const pointsText = form.points.trim().replace(/^\+/, "");
  const points = Number(pointsText);
  if (!pointsText) {
    fieldErrors.points = "Enter the points to add (like 100) or remove (like -100).";
  } else if (/^-?\d*[.,]\d*$/.test(pointsText)) {
    fieldErrors.points = "Points are whole numbers: no decimals.";
  } else if (!/^-?\d+$/.test(pointsText)) {
    fieldErrors.points = "Enter a whole number, like 100 or -100.";
  } else if (points === 0) {
    fieldErrors.points = "An adjustment of 0 points changes nothing.";
  } else if (Math.abs(points) > MAX_ADJUSTMENT_POINTS) {
    fieldErrors.points = `Adjustments are limited to ${MAX_ADJUSTMENT_POINTS.toLocaleString("en-US")} points either way.`;
  }

  const reason = form.reason.trim();
  if (!reason) fieldErrors.reason = "Say why the points change; the customer's history shows it.";
  else if (reason.length > MAX_REASON_LENGTH) fieldErrors.reason = `Keep the reason under ${MAX_REASON_LENGTH} characters.`;

  const customerNote = form.customerNote.trim();
  if (customerNote.length > MAX_CUSTOMER_NOTE_LENGTH) {
    fieldErrors.customerNote = `Keep the note under ${MAX_CUSTOMER_NOTE_LENGTH} characters.`;
  }

  if (!UUID.test(form.idempotencyKey)) {
    fieldErrors.idempotencyKey = "This form is incomplete. Reload the page and try again.";
  }

  if (Object.keys(fieldErrors).length > 0) return { ok: false, reason: "invalid_fields", fieldErrors };
  return {
    ok: true,
    adjustment: {
      points,
      reason,
      customerNote: customerNote || null,
      idempotencyKey: form.idempotencyKey.toLowerCase(),
    },
  };
}
