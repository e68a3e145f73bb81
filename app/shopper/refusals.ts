// Every reason a shopper-facing request is refused, with its HTTP status and the key of the
// message the shopper surfaces show (their locales translate the key; `message` is the English
// default sent with it). The app proxy, checkout and customer account endpoints all answer from
// this one table.

export const SHOPPER_REFUSALS = {
  unauthorized: { status: 401, message: "The request is not signed by Shopify, or its signature or session token is not valid." },
  not_logged_in: { status: 401, message: "Sign in to use your points." },
  not_installed: { status: 404, message: "The rewards program is not available." },
  not_found: { status: 404, message: "Not found." },
  method_not_allowed: { status: 405, message: "This method is not allowed here." },
  bad_request: { status: 400, message: "The request could not be read." },
  invalid_idempotency_key: { status: 400, message: "The idempotency key must be 8-100 letters, digits or _.:-" },
  program_disabled: { status: 403, message: "The rewards program is paused. Your points are safe." },
  reward_not_found: { status: 404, message: "This reward is not available." },
  invalid_amount: { status: 422, message: "Choose an amount this reward allows." },
  insufficient_points: { status: 422, message: "You don't have enough points for this reward yet." },
  discount_not_created: { status: 502, message: "We couldn't create your discount just now. Your points are back in your balance; please try again." },
  redemption_pending: {
    status: 409,
    message: "We couldn't confirm your reward with Shopify yet. If it wasn't created, your points come back within a few minutes.",
  },
  redemption_not_found: { status: 404, message: "No such reward code." },
  not_returnable: { status: 409, message: "This code cannot be returned." },
  shopify_unavailable: { status: 502, message: "Shopify did not answer just now. Please try again." },
  invalid_birthday: { status: 422, message: "Choose a valid date." },
  birthday_already_set: { status: 409, message: "Your birthday is already saved. Contact the store to change it." },
  way_to_earn_not_found: { status: 404, message: "This way to earn is not available." },
  not_claimable: { status: 422, message: "This way to earn can't be claimed from the store; its points come on their own." },
  way_to_earn_off: { status: 422, message: "This way to earn is not running just now." },
  way_to_earn_not_eligible: { status: 422, message: "This way to earn is not open to your account." },
  // Referrals: the friend's claim of a referral link's offer (messageKey referrals.errors.<reason>).
  unknown_code: { status: 404, message: "This referral link is not valid.", messageKey: "referrals.errors.unknown_code" },
  program_off: { status: 404, message: "This store's referral program is not running just now.", messageKey: "referrals.errors.program_off" },
  invalid_email: { status: 422, message: "Enter a valid email address.", messageKey: "referrals.errors.invalid_email" },
  already_customer: {
    status: 409,
    message: "This offer is for new customers, and this email has already ordered here.",
    messageKey: "referrals.errors.already_customer",
  },
  self_referral: { status: 422, message: "You can't use your own referral link.", messageKey: "referrals.errors.self_referral" },
  already_claimed: { status: 409, message: "This email has already claimed a referral offer.", messageKey: "referrals.errors.already_claimed" },
  offer_expired: {
    status: 410,
    message: "Your referral offer has expired.",
    messageKey: "referrals.errors.offer_expired",
  },
  too_many_claims: {
    status: 429,
    message: "Too many offers were claimed from this device or network. Please try again later.",
    messageKey: "referrals.errors.too_many_claims",
  },
} as const satisfies Record<string, { status: number; message: string; messageKey?: string }>;

export type ShopperRefusalReason = keyof typeof SHOPPER_REFUSALS;

/**
 * The JSON body of a refusal: `error` is the reason code (what the surfaces branch on and
 * translate), `message` the model's own explanation when it gave one, else the table's.
 */
export function refusalBody(refusal: { reason: ShopperRefusalReason; message?: string } & Record<string, unknown>) {
  const { reason, message, ...details } = refusal;
  delete (details as { ok?: unknown }).ok;
  const entry: { message: string; messageKey?: string } = SHOPPER_REFUSALS[reason];
  return { ok: false as const, error: reason, messageKey: entry.messageKey ?? `errors.${reason}`, message: message ?? entry.message, ...details };
}

/**
 * A shopper endpoint's answer before it is sent: its status, the JSON body (null: none) and any
 * headers beyond the JSON ones. Both servers (the app's own and the Fetch adapter) send it the same way.
 *
 * @example json(200, { points: 120 }) // { status: 200, body: { points: 120 } }
 */
export interface ShopperAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const json = (status: number, body: unknown): ShopperAnswer => ({ status, body });

export function refusalAnswer(refusal: { reason: ShopperRefusalReason; message?: string } & Record<string, unknown>): ShopperAnswer {
  return json(SHOPPER_REFUSALS[refusal.reason].status, refusalBody(refusal));
}
