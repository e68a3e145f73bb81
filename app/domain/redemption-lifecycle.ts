// The life of a redemption, as a rule: its statuses, which events move it, and what each move
// does to the shopper's points. Every status change in the app goes through `transition`.

export type RedemptionStatus = "pending" | "issued" | "failed" | "used" | "expired" | "cancelled" | "returning";

/**
 * What asking Shopify for a reward's discount (or store credit) came to:
 * - made: Shopify has it (the discount's or credit transaction's id, when it gave one);
 * - not_made: Shopify certainly did not make it (it refused, or the request never went out);
 * - unknown: the answer was lost after the request went out (a timeout, a 5xx): it may exist.
 */
export type ShopifyOutcome = { kind: "made"; shopifyId: string | null } | { kind: "not_made"; reason: string } | { kind: "unknown"; reason: string };

export type RedemptionEvent =
  /** Shopify's answer to creating it, from the request itself or from the settle job asking later. */
  | { type: "shopify_answered"; outcome: ShopifyOutcome }
  /** An order used the code. */
  | { type: "code_used" }
  /** The shopper or staff cancel an unused code, or it reaches its expiry: Shopify is asked to delete it. */
  | { type: "return_started" }
  /** Shopify could not delete it: the code stays usable. */
  | { type: "return_failed" }
  /** Shopify deleted it. */
  | { type: "returned"; as: "cancelled" | "expired" };

/** What a move does to the points the redemption took. */
export type PointsEffect = "none" | "give_back" | "take_again";

export type Transition =
  | { ok: true; to: RedemptionStatus; points: PointsEffect }
  | { ok: false; reason: "transition_not_allowed"; from: RedemptionStatus; event: RedemptionEvent["type"] };

/** Statuses whose points have gone back to the shopper. */
const POINTS_RETURNED: ReadonlySet<RedemptionStatus> = new Set(["failed", "cancelled", "expired"]);

/**
 * The one rule for every status change.
 *
 * @example transition("pending", { type: "shopify_answered", outcome: { kind: "not_made", reason: "refused" } })
 *          // { ok: true, to: "failed", points: "give_back" }
 */
export function transition(from: RedemptionStatus, event: RedemptionEvent): Transition {
  const refuse: Transition = { ok: false, reason: "transition_not_allowed", from, event: event.type };
  switch (event.type) {
    case "shopify_answered":
      if (from !== "pending") return refuse;
      if (event.outcome.kind === "made") return { ok: true, to: "issued", points: "none" };
      if (event.outcome.kind === "not_made") return { ok: true, to: "failed", points: "give_back" };
      // Returning the points now could pay twice: it stays pending until Shopify can say.
      return { ok: true, to: "pending", points: "none" };
    case "code_used":
      // A code an order used existed in Shopify, whatever the app had concluded: its points are taken again.
      if (from === "used") return refuse;
      return { ok: true, to: "used", points: POINTS_RETURNED.has(from) ? "take_again" : "none" };
    case "return_started":
      return from === "issued" ? { ok: true, to: "returning", points: "none" } : refuse;
    case "return_failed":
      return from === "returning" ? { ok: true, to: "issued", points: "none" } : refuse;
    case "returned":
      return from === "returning" ? { ok: true, to: event.as, points: "give_back" } : refuse;
  }
}

/** Whether the shopper may see the code: once Shopify has it, never while pending nor after Shopify failed to make it. */
export const codeIsShown = (status: RedemptionStatus) => status !== "pending" && status !== "failed";
