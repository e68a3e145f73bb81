import { MAX_ENTRY_POINTS, PointsOverBoundError } from "../domain/ledger";
import { MoneyFormatError, type MoneyFormatProblem } from "../domain/money";
import { CorruptSettingsError } from "../models/shops.server";
import { PayloadError } from "./payloads";

// Which failures of a delivery are permanent (the same payload fails the same way however often
// Shopify sends it) and which are transient. A permanent one is kept as a dead letter and answered
// 200, so Shopify stops retrying and the merchant sees why; everything else (database errors,
// Shopify API or network errors, anything not listed here) is transient and answered 5xx, so
// Shopify delivers it again. Errors are recognised by their class, never by their message.

/** Why a delivery can never be applied as it is. */
export type PermanentFailureReason =
  "malformed_payload" | "amount_too_precise" | "amount_unreadable" | "currency_unknown" | "points_over_bound" | "shop_settings_unreadable";

export interface PermanentFailure {
  reason: PermanentFailureReason;
  /** The error's own words, for whoever fixes the cause. */
  message: string;
}

const MONEY_REASONS: Record<MoneyFormatProblem, PermanentFailureReason> = {
  too_precise: "amount_too_precise",
  not_an_amount: "amount_unreadable",
  too_large: "amount_unreadable",
  not_a_currency_code: "currency_unknown",
};

type ErrorClass<E extends Error> = new (...args: never[]) => E;

/** One kind of permanent failure: errors of this class, and the reason they stand for. */
const permanent =
  <E extends Error>(type: ErrorClass<E>, reason: (error: E) => PermanentFailureReason) =>
  (error: unknown): PermanentFailure | null =>
    error instanceof type ? { reason: reason(error), message: error.message } : null;

/** Every kind of permanent failure: a new one is a new row. */
const PERMANENT_ERRORS = [
  permanent(PayloadError, () => "malformed_payload"),
  permanent(MoneyFormatError, (error) => MONEY_REASONS[error.problem]),
  permanent(PointsOverBoundError, () => "points_over_bound"),
  permanent(CorruptSettingsError, () => "shop_settings_unreadable"),
];

/** The permanent failure an error stands for, or null when it is transient (or unknown). */
export function permanentFailure(error: unknown): PermanentFailure | null {
  for (const classify of PERMANENT_ERRORS) {
    const failure = classify(error);
    if (failure) return failure;
  }
  return null;
}

/** Each reason in plain words, for the merchant (the "Events not applied" page, app/routes/app.dead-letters.tsx). */
export const PERMANENT_FAILURE_EXPLANATIONS: Record<PermanentFailureReason, string> = {
  malformed_payload: "Shopify sent this event without a field the app needs, or with one it cannot read.",
  amount_too_precise: "An amount has more decimals than its currency allows.",
  amount_unreadable: "An amount is not a number the app can read.",
  currency_unknown: "The currency is not a currency code the app knows.",
  points_over_bound: `The points it would award or take back are more than one ledger entry may hold (${MAX_ENTRY_POINTS.toLocaleString("en-US")}).`,
  shop_settings_unreadable: "The store's saved program settings cannot be read: ask the app's support to repair them.",
};
