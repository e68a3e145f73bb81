/** Why points moved. New kinds are added here, never reused for another meaning. */
export type LedgerKind =
  | "earned"
  | "refund_reversal"
  | "cancel_reversal"
  | "manual_adjustment"
  | "redeemed"
  | "redemption_returned"
  // Ways to earn beyond the purchase itself (app/domain/ways-to-earn.ts).
  | "order_bonus"
  | "campaign_bonus"
  | "signup"
  | "birthday"
  | "newsletter"
  | "social"
  | "review"
  | "custom_action"
  // VIP tiers (app/domain/tiers.ts): a tier's multiplier on a purchase, and its entry bonus.
  | "tier_bonus"
  // Points expiry (app/domain/expiry.ts), and a win-back message's bonus (app/domain/member-messages.ts).
  | "expired"
  | "win_back_bonus"
  // Referrals (app/domain/referrals.ts): the referrer's points once a friend's first order has passed its window.
  | "referral";

export type LedgerActorType = "system" | "staff";

/** Who moved the points: the app itself, or a named staff member. */
export type LedgerActor = { type: "system" } | { type: "staff"; id: string; name: string };

/** The ledger's bound on one entry (a CHECK constraint in the database says the same). */
export const MAX_ENTRY_POINTS = 1_000_000_000;

/** An entry of more points than MAX_ENTRY_POINTS (either way): refused before the database is asked. */
export class PointsOverBoundError extends RangeError {
  constructor(readonly points: number) {
    super(`${points} points is beyond the ledger's bound of ${MAX_ENTRY_POINTS.toLocaleString("en-US")} per entry`);
    this.name = "PointsOverBoundError";
  }
}
