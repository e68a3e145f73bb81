import { ok, refused, type Ok, type Refused } from "./result";

// Points expiry (issue 14), the pure rules: the shop's one policy, read from the merchant's form;
// when a member's points expire under it; and, for expiry by age, which earned lots remain once
// spending (oldest points first), reversals and earlier expiries are replayed over them.
//
// Inactivity: every point a member holds expires N calendar months after their last earn or
// redemption; any such activity moves the date. Age: each earned amount (a lot) expires N calendar
// months after it was earned. Spending takes the oldest lot first; a refund or cancellation takes
// from the lot its order earned first, and never the part of it that already expired. Pending
// points are not in the ledger until they post, so they are never a lot and never expire early.
// No expiry takes a balance below zero.

export type ExpiryPolicy = { kind: "off" } | { kind: "inactivity"; months: number } | { kind: "age"; months: number };

export const EXPIRY_OFF: ExpiryPolicy = { kind: "off" };
export const EXPIRY_MONTHS = { min: 1, max: 60 } as const;

export type ExpiryPolicyField = "kind" | "months";
export type ExpiryPolicyRefusal = Refused<"invalid_expiry_policy", { field: ExpiryPolicyField; message: string }>;

/** The merchant's form, one field at a time: the kind ("off", "inactivity", "age") and whole months. */
export function readExpiryPolicy(input: { kind?: unknown; months?: unknown }): Ok<{ policy: ExpiryPolicy }> | ExpiryPolicyRefusal {
  const kind = typeof input.kind === "string" ? input.kind.trim() : "";
  if (kind === "off" || kind === "") return ok({ policy: EXPIRY_OFF });
  if (kind !== "inactivity" && kind !== "age") {
    return refused("invalid_expiry_policy", { field: "kind", message: "Choose no expiry, expiry after inactivity, or expiry by age." });
  }
  const text = typeof input.months === "number" ? String(input.months) : typeof input.months === "string" ? input.months.trim() : "";
  if (text === "") return refused("invalid_expiry_policy", { field: "months", message: "Enter after how many months points expire." });
  if (!/^\d+$/.test(text)) return refused("invalid_expiry_policy", { field: "months", message: "Months must be a whole number, like 12." });
  const months = Number(text);
  if (months < EXPIRY_MONTHS.min || months > EXPIRY_MONTHS.max) {
    return refused("invalid_expiry_policy", {
      field: "months",
      message: `Months must be between ${EXPIRY_MONTHS.min} and ${EXPIRY_MONTHS.max}.`,
    });
  }
  return ok({ policy: { kind, months } });
}

/**
 * The instant N calendar months after `at` (UTC), the day of the month kept where the month has it
 * and the month's last day where it does not (31 January + 1 month = 28 or 29 February).
 */
export function addMonths(at: string, months: number): string {
  const date = new Date(at);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const moved = new Date(date);
  moved.setUTCDate(1);
  moved.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return moved.toISOString();
}

/** What expires next and when, as shoppers see it (`pointsExpiring`); null when nothing will. */
export interface PointsExpiring {
  points: number;
  expiresAt: string;
}

/** Inactivity: the whole balance, N months after the last earn or redemption (null without either, or with nothing to lose). */
export function inactivityExpiry(
  policy: Extract<ExpiryPolicy, { kind: "inactivity" }>,
  member: { balance: number; lastActivityAt: string | null },
): PointsExpiring | null {
  if (member.balance <= 0 || member.lastActivityAt === null) return null;
  return { points: member.balance, expiresAt: addMonths(member.lastActivityAt, policy.months) };
}

/** The source key of an inactivity expiry: once per period of inactivity, whatever retries or instances run it. */
export const inactivityExpiryKey = (memberId: number, lastActivityAt: string) => `expiry:inactive:${memberId}:${lastActivityAt}`;

/** The source key of an age expiry: once per lot. */
const LOT_EXPIRY_PREFIX = "expiry:lot:";
export const lotExpiryKey = (lotId: string) => `${LOT_EXPIRY_PREFIX}${lotId}`;

/**
 * A change to a member's points, oldest first, as the ledger holds them: an earned amount (a lot,
 * named by its ledger entry), spending (redemptions, a negative adjustment: oldest lots first), a
 * reversal of an order (a refund or cancellation: that order's lots first, then the oldest) and an
 * expiry already written, of one lot (age) or of every lot still held (inactivity: lot null).
 */
export type PointMovement =
  | { type: "earn"; lot: string; at: string; points: number }
  | { type: "spend"; at: string; points: number }
  | { type: "reverse"; lots: readonly string[]; at: string; points: number }
  | { type: "expire"; lot: string | null; at: string; points: number };

export interface PointLot {
  lot: string;
  earnedAt: string;
  expiresAt: string;
  earned: number;
  /** Still held: neither spent, reversed nor expired. */
  remaining: number;
  /** Already written as expired. */
  expired: number;
}

export interface LotState {
  lots: PointLot[];
  /** Points spent or reversed beyond every lot (a negative balance): the next lots earned pay it first. */
  owed: number;
}

/** Replays a member's movements over their lots (age policy). */
export function replayLots(movements: readonly PointMovement[], months: number): LotState {
  const lots: PointLot[] = [];
  const byId = new Map<string, PointLot>();
  let owed = 0;
  const takeOldest = (points: number) => {
    let left = points;
    for (const lot of lots) {
      if (left === 0) break;
      const taken = Math.min(lot.remaining, left);
      lot.remaining -= taken;
      left -= taken;
    }
    owed += left;
  };
  for (const move of movements) {
    if (move.points <= 0) continue;
    if (move.type === "earn") {
      const paid = Math.min(owed, move.points);
      owed -= paid;
      const lot: PointLot = {
        lot: move.lot,
        earnedAt: move.at,
        expiresAt: addMonths(move.at, months),
        earned: move.points,
        remaining: move.points - paid,
        expired: 0,
      };
      lots.push(lot);
      byId.set(move.lot, lot);
    } else if (move.type === "spend") {
      takeOldest(move.points);
    } else if (move.type === "reverse") {
      let left = move.points;
      for (const id of move.lots) {
        const own = byId.get(id);
        if (!own || left === 0) continue;
        const taken = Math.min(own.remaining, left);
        own.remaining -= taken;
        left -= taken;
      }
      takeOldest(left);
    } else {
      // An expiry takes what its lots still held when it was written (never more than it says).
      let left = move.points;
      for (const lot of move.lot === null ? lots : [byId.get(move.lot)]) {
        if (!lot || left === 0) continue;
        const taken = Math.min(lot.remaining, left);
        lot.remaining -= taken;
        lot.expired += taken;
        left -= taken;
      }
    }
  }
  return { lots, owed };
}

/**
 * What a refund or cancellation takes now, after expiry: the order's points to take back in all
 * (`target`), less the part of its lots that already expired (it left the balance once, and the
 * shopper is given the benefit of the doubt: the expired part counts first), less what earlier
 * reversals of the order took.
 */
export function reversalAfterExpiry(state: LotState, orderLots: readonly string[], target: number, taken: number): number {
  const lots = new Set(orderLots);
  const expired = state.lots.filter((lot) => lots.has(lot.lot)).reduce((sum, lot) => sum + lot.expired, 0);
  return Math.max(0, target - expired - taken);
}

/** A ledger entry as expiry reads it. */
export interface LedgerMovementRow {
  id: number;
  delta: number;
  kind: string;
  sourceKey: string;
  orderId: string | null;
  createdAt: string;
}

const REVERSAL_KINDS: ReadonlySet<string> = new Set(["refund_reversal", "cancel_reversal"]);

/**
 * A member's ledger, in order, as movements over lots: every entry adding points is a lot (named
 * by its id), a reversal takes from its order's lots, an expiry from the lot its key names (or all
 * of them: inactivity), and any other entry taking points is spending.
 */
export function movementsOfEntries(entries: readonly LedgerMovementRow[]): { movements: PointMovement[]; lotsOfOrder: Map<string, string[]> } {
  const lotsOfOrder = new Map<string, string[]>();
  const movements = entries.map((entry): PointMovement => {
    const at = entry.createdAt;
    if (entry.delta > 0) {
      const lot = String(entry.id);
      if (entry.orderId !== null) lotsOfOrder.set(entry.orderId, [...(lotsOfOrder.get(entry.orderId) ?? []), lot]);
      return { type: "earn", lot, at, points: entry.delta };
    }
    const points = -entry.delta;
    if (entry.kind === "expired") {
      const lot = entry.sourceKey.startsWith(LOT_EXPIRY_PREFIX) ? entry.sourceKey.slice(LOT_EXPIRY_PREFIX.length) : null;
      return { type: "expire", lot, at, points };
    }
    if (REVERSAL_KINDS.has(entry.kind) && entry.orderId !== null) return { type: "reverse", lots: lotsOfOrder.get(entry.orderId) ?? [], at, points };
    return { type: "spend", at, points };
  });
  return { movements, lotsOfOrder };
}

/** The lots whose date has come at `now`, with what each still holds, at most `balance` in all. */
export function dueLotExpiries(state: LotState, now: string, balance: number): { lot: string; points: number }[] {
  const due: { lot: string; points: number }[] = [];
  let left = Math.max(0, balance);
  for (const lot of state.lots) {
    if (left === 0) break;
    if (lot.remaining <= 0 || lot.expiresAt > now) continue;
    const points = Math.min(lot.remaining, left);
    due.push({ lot: lot.lot, points });
    left -= points;
  }
  return due;
}

/** Age: the next lot date still to come after `now`, and every point expiring that same (UTC) day, capped at the balance. */
export function nextLotExpiry(state: LotState, now: string, balance: number): PointsExpiring | null {
  let next: string | null = null;
  for (const lot of state.lots) {
    if (lot.remaining > 0 && lot.expiresAt > now && (next === null || lot.expiresAt < next)) next = lot.expiresAt;
  }
  if (next === null || balance <= 0) return null;
  const day = next.slice(0, 10);
  const points = state.lots
    .filter((lot) => lot.remaining > 0 && lot.expiresAt > now && lot.expiresAt.slice(0, 10) === day)
    .reduce((sum, lot) => sum + lot.remaining, 0);
  return { points: Math.min(points, balance), expiresAt: next };
}
