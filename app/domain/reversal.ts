import type { EarningLine } from "./earning";

/** Units of one order line that a refund gave back. */
export interface RefundedLine {
  lineItemId: string;
  quantity: number;
}

/**
 * How much of the order's earning basis has been refunded: for each earning line, its basis in
 * proportion to the units refunded (never more than were bought), rounded down. Lines that did
 * not earn do not count, so refunding a gift card or an excluded product takes back nothing.
 */
export function refundedBasis(lines: readonly EarningLine[], refunds: readonly (readonly RefundedLine[])[]): number {
  let total = 0;
  for (const line of lines) {
    if (line.quantity <= 0) continue;
    let units = 0;
    for (const refund of refunds) {
      for (const refundedLine of refund) {
        if (refundedLine.lineItemId === line.lineItemId) units += Math.max(0, refundedLine.quantity);
      }
    }
    total += Math.floor((line.basisMinor * Math.min(units, line.quantity)) / line.quantity);
  }
  return total;
}

export interface OrderPointsState {
  earnedPoints: number;
  basisMinor: number;
  refundedBasisMinor: number;
  cancelled: boolean;
}

/**
 * The total points an order should have taken back: all of them once cancelled; otherwise the
 * share of the points matching the share of merchandise refunded, rounded down (in the
 * shopper's favour, as earning rounds down in the merchant's), so the total taken back never
 * exceeds what was earned and a full refund takes back everything.
 */
export function pointsToTakeBack(state: OrderPointsState): number {
  const { earnedPoints, basisMinor, cancelled } = state;
  if (earnedPoints <= 0) return 0;
  if (cancelled || basisMinor <= 0) return earnedPoints;
  const refunded = Math.min(basisMinor, Math.max(0, state.refundedBasisMinor));
  return Math.floor((earnedPoints * refunded) / basisMinor);
}
