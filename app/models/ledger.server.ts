import type { SqlExecutor } from "../db/types";
import { scheduleMetafieldSync } from "./metafields.server";

/** Why points moved. New kinds are added here, never reused for another meaning. */
export type LedgerKind =
  | "earned"
  | "refund_reversal"
  | "cancel_reversal"
  | "manual_adjustment"
  | "redeemed"
  | "redemption_returned";

/** Who moved the points: the app itself, or a named staff member. */
export type LedgerActor = { type: "system" } | { type: "staff"; id: string; name: string };

export interface NewLedgerEntry {
  shop: string;
  memberId: number;
  delta: number;
  kind: LedgerKind;
  /** Unique per shop: the business event this entry records, e.g. "order:123:earn". */
  sourceKey: string;
  orderId?: string | null;
  actor: LedgerActor;
  reason: string;
  customerNote?: string | null;
}

export interface LedgerEntryRow {
  id: number;
  shop: string;
  member_id: number;
  delta: number;
  kind: LedgerKind;
  source_key: string;
  order_id: string | null;
  actor_type: "system" | "staff";
  actor_id: string | null;
  actor_name: string | null;
  reason: string;
  customer_note: string | null;
  created_at: string | Date;
}

/**
 * Appends one entry. The member's cached balance moves with it, in the same statement, by the
 * database trigger. A second entry with the same source key is refused by the unique key and
 * reported as { inserted: false }: that is how redelivered events stay harmless.
 */
export async function appendLedgerEntry(
  db: SqlExecutor,
  entry: NewLedgerEntry,
  now: string,
): Promise<{ inserted: boolean }> {
  if (!Number.isSafeInteger(entry.delta) || entry.delta === 0) {
    throw new RangeError(`a ledger entry needs a non-zero whole number of points, got ${entry.delta}`);
  }
  const staff = entry.actor.type === "staff" ? entry.actor : null;
  const { changes } = await db.run(
    `INSERT INTO "ledger_entries"
       ("shop", "member_id", "delta", "kind", "source_key", "order_id", "actor_type", "actor_id", "actor_name",
        "reason", "customer_note", "created_at")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("shop", "source_key") DO NOTHING`,
    [
      entry.shop,
      entry.memberId,
      entry.delta,
      entry.kind,
      entry.sourceKey,
      entry.orderId ?? null,
      entry.actor.type,
      staff?.id ?? null,
      staff?.name ?? null,
      entry.reason,
      entry.customerNote ?? null,
      now,
    ],
  );
  // Shopify's copy of the balance (customer metafields) follows every change.
  if (changes === 1) await scheduleMetafieldSync(db, entry.shop, new Date(now));
  return { inserted: changes === 1 };
}

export async function findEntryBySource(db: SqlExecutor, shop: string, sourceKey: string) {
  return db.get<LedgerEntryRow>('SELECT * FROM "ledger_entries" WHERE "shop" = ? AND "source_key" = ?', [shop, sourceKey]);
}

export async function listEntriesForMember(
  db: SqlExecutor,
  shop: string,
  memberId: number,
  { limit = 50, beforeId }: { limit?: number; beforeId?: number } = {},
): Promise<LedgerEntryRow[]> {
  // No cursor, no bound: a sentinel like MAX_SAFE_INTEGER overflows PostgreSQL's integer ids.
  const before = beforeId === undefined ? "" : ' AND "id" < ?';
  return db.all<LedgerEntryRow>(
    `SELECT * FROM "ledger_entries" WHERE "shop" = ? AND "member_id" = ?${before} ORDER BY "id" DESC LIMIT ?`,
    beforeId === undefined ? [shop, memberId, limit] : [shop, memberId, beforeId, limit],
  );
}

/** One ledger entry as its customer may see it: staff reasons stay internal, their customer note does not. */
export interface CustomerActivity {
  id: number;
  kind: LedgerKind;
  delta: number;
  createdAt: string;
  note: string | null;
}

/** The customer's latest ledger entries in this shop, newest first. */
export async function listRecentActivityForCustomer(db: SqlExecutor, shop: string, customerId: string, limit = 10): Promise<CustomerActivity[]> {
  const rows = await db.all<LedgerEntryRow>(
    `SELECT e.* FROM "ledger_entries" e JOIN "members" m ON m."id" = e."member_id" AND m."shop" = e."shop"
     WHERE e."shop" = ? AND m."customer_id" = ? ORDER BY e."id" DESC LIMIT ?`,
    [shop, customerId, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    delta: row.delta,
    createdAt: new Date(row.created_at).toISOString(),
    note: row.customer_note,
  }));
}
