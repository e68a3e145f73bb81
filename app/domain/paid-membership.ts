import type { TierProgramConfig } from "./tiers";

// Paid membership (issue 13), the pure rules: which of an order's lines buy a tier, and the window
// each membership holds once purchases, extensions, refunds and cancellations are known.
//
// A membership of a tier bought while another of the same tier still runs starts where that one
// ends (a second purchase extends); one bought after a lapse starts when it was bought. Each unit
// of the line gives the tier's duration, so buying two gives twice the days. A refund of some
// units takes their days away; a refund of all of them, or the order's cancellation, ends it, and
// memberships bought after it move up to close the gap.

const DAY_MS = 86_400_000;

/** A tier sold as a paid membership: its product (any variant) or one variant, and the days one unit gives. */
export interface PaidTierLink {
  tierId: number;
  rank: number;
  /** Numeric ids (the order webhook's product_id and variant_id). */
  productId: string | null;
  variantId: string | null;
  durationDays: number;
}

const numericId = (gid: string | null) => (gid === null ? null : (/(\d+)$/.exec(gid)?.[1] ?? null));

/** The program's paid tiers, ids as the order webhook names products and variants. */
export function paidTierLinks(program: Pick<TierProgramConfig, "tiers">): PaidTierLink[] {
  const links: PaidTierLink[] = [];
  for (const tier of program.tiers) {
    const productId = numericId(tier.paidProductId);
    const variantId = numericId(tier.paidVariantId);
    if ((productId === null && variantId === null) || !tier.paidDurationDays) continue;
    links.push({ tierId: tier.id, rank: tier.rank, productId, variantId, durationDays: tier.paidDurationDays });
  }
  return links;
}

export interface PurchasedLine {
  lineItemId: string;
  productId: string | null;
  variantId?: string | null;
  quantity: number;
}

export interface MembershipLine {
  lineItemId: string;
  tierId: number;
  units: number;
  daysPerUnit: number;
}

/**
 * The lines of an order that buy a paid tier. A link to a variant is more particular than one to
 * its product, so it wins; between two links of the same precision, the higher tier.
 */
export function membershipLines(links: readonly PaidTierLink[], lines: readonly PurchasedLine[]): MembershipLine[] {
  const bought: MembershipLine[] = [];
  for (const line of lines) {
    if (line.quantity <= 0) continue;
    const byVariant = links.filter((link) => link.variantId !== null && link.variantId === (line.variantId ?? null));
    const byProduct = links.filter((link) => link.variantId === null && link.productId !== null && link.productId === line.productId);
    const candidates = byVariant.length ? byVariant : byProduct;
    if (!candidates.length) continue;
    const link = candidates.reduce((best, next) => (next.rank > best.rank ? next : best));
    bought.push({ lineItemId: line.lineItemId, tierId: link.tierId, units: line.quantity, daysPerUnit: link.durationDays });
  }
  return bought;
}

/** One membership as stored, with what refunds and the order's cancellation did to it. */
export interface MembershipRecord {
  id: number;
  tierId: number;
  boughtAt: string;
  units: number;
  daysPerUnit: number;
  /** Units of its line refunded so far (never more than bought counts). */
  refundedUnits: number;
  cancelled: boolean;
}

export interface MembershipWindow {
  id: number;
  tierId: number;
  /** Units still held (0: ended). */
  units: number;
  startsAt: string;
  endsAt: string;
  ended: boolean;
}

/** Every membership's window, chained per tier in the order they were bought (ties by id). */
export function membershipWindows(records: readonly MembershipRecord[]): MembershipWindow[] {
  const ordered = [...records].sort((a, b) => Date.parse(a.boughtAt) - Date.parse(b.boughtAt) || a.id - b.id);
  const lastEnd = new Map<number, number>();
  return ordered.map((record) => {
    const units = record.cancelled ? 0 : Math.max(0, record.units - Math.max(0, record.refundedUnits));
    const bought = Date.parse(record.boughtAt);
    if (units === 0) {
      const at = new Date(bought).toISOString();
      return { id: record.id, tierId: record.tierId, units, startsAt: at, endsAt: at, ended: true };
    }
    const start = Math.max(bought, lastEnd.get(record.tierId) ?? bought);
    const end = start + units * record.daysPerUnit * DAY_MS;
    lastEnd.set(record.tierId, end);
    return { id: record.id, tierId: record.tierId, units, startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString(), ended: false };
  });
}

/**
 * The paid tier a member holds at `now`, given the windows of their memberships and the tiers'
 * ranks: the highest-ranked tier with a window running now, until its chain of windows ends; null
 * when none runs.
 */
export function heldPaidTier(
  windows: readonly MembershipWindow[],
  rankOf: (tierId: number) => number | null,
  now: string,
): { tierId: number; until: string } | null {
  const t = Date.parse(now);
  let held: { tierId: number; until: string; rank: number } | null = null;
  const byTier = new Map<number, MembershipWindow[]>();
  for (const window of windows) if (!window.ended) byTier.set(window.tierId, [...(byTier.get(window.tierId) ?? []), window]);
  for (const [tierId, chain] of byTier) {
    const rank = rankOf(tierId);
    if (rank === null) continue;
    if (!chain.some((window) => Date.parse(window.startsAt) <= t && t < Date.parse(window.endsAt))) continue;
    const until = chain.reduce((latest, window) => (Date.parse(window.endsAt) > Date.parse(latest) ? window.endsAt : latest), chain[0].endsAt);
    if (!held || rank > held.rank) held = { tierId, until, rank };
  }
  return held && { tierId: held.tierId, until: held.until };
}
