/** Why points moved. New kinds are added here, never reused for another meaning. */
export type LedgerKind =
  | "earned"
  | "refund_reversal"
  | "cancel_reversal"
  | "manual_adjustment"
  | "redeemed"
  | "redemption_returned";

export type LedgerActorType = "system" | "staff";

/** Who moved the points: the app itself, or a named staff member. */
export type LedgerActor = { type: "system" } | { type: "staff"; id: string; name: string };

/** The ledger's bound on one entry (a CHECK constraint in the database says the same). */
export const MAX_ENTRY_POINTS = 1_000_000_000;
