import { prepare } from "../db/prepared";
import type { Selectable } from "kysely";
import type { DB, Db, SqlValue } from "../db/types";
import { MAX_ENTRY_POINTS, PointsOverBoundError, type LedgerActor, type LedgerKind } from "../domain/ledger";
import type { BreakdownLine } from "../domain/ways-to-earn";
import { scheduleMetafieldSync } from "./metafields.server";
import { activityOfEntry, recordTierActivity } from "./tiers.server";
import { messagesAfterCredit } from "./message-events.server";

export type { LedgerActor, LedgerKind };

export type LedgerEntryRow = Selectable<DB["ledger_entries"]>;

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
  /** The way to earn or campaign that produced it, and how it came to its points. */
  ruleId?: number | null;
  campaignId?: number | null;
  breakdown?: readonly BreakdownLine[] | null;
  /** The instant the entry counts towards tiers on (a refund: its order's; default: now). */
  countsAt?: string | null;
}

const insertEntry = prepare(
  (
    q,
    p: {
      shop: string;
      memberId: number;
      delta: number;
      kind: LedgerKind;
      sourceKey: string;
      orderId: string | null;
      actorType: "system" | "staff";
      actorId: string | null;
      actorName: string | null;
      reason: string;
      customerNote: string | null;
      ruleId: number | null;
      campaignId: number | null;
      breakdown: string | null;
      now: string;
    },
  ) =>
    q
      .insertInto("ledger_entries")
      .values({
        shop: p.shop,
        member_id: p.memberId,
        delta: p.delta,
        kind: p.kind,
        source_key: p.sourceKey,
        order_id: p.orderId,
        actor_type: p.actorType,
        actor_id: p.actorId,
        actor_name: p.actorName,
        reason: p.reason,
        customer_note: p.customerNote,
        rule_id: p.ruleId,
        campaign_id: p.campaignId,
        breakdown: p.breakdown,
        created_at: p.now,
      })
      .onConflict((conflict) => conflict.columns(["shop", "source_key"]).doNothing()),
);

/**
 * Appends one entry. The member's cached balance moves with it, in the same statement, by the
 * database trigger. A second entry with the same source key is refused by the unique key and
 * reported as { inserted: false }: that is how redelivered events stay harmless.
 */
export async function appendLedgerEntry(db: Db, entry: NewLedgerEntry, now: string): Promise<{ inserted: boolean }> {
  const changes = await insertEntry.run(db, entryParams(entry, now));
  if (changes === 1) {
    // Shopify's copy of the balance (customer metafields) follows every change.
    await scheduleMetafieldSync(db, entry.shop, new Date(now));
    await countTowardsTiers(db, [entry], now);
    await messagesAfterCredit(db, [entry], now);
  }
  return { inserted: changes === 1 };
}

/** An entry as the insert binds it, once its points are checked. */
function entryParams(entry: NewLedgerEntry, now: string): EntryParams {
  // The database's CHECK says the same; this says it with a type the webhook applier can classify.
  if (Math.abs(entry.delta) > MAX_ENTRY_POINTS) throw new PointsOverBoundError(entry.delta);
  if (!Number.isSafeInteger(entry.delta) || entry.delta === 0) {
    throw new RangeError(`a ledger entry needs a non-zero whole number of points, got ${entry.delta}`);
  }
  const staff = entry.actor.type === "staff" ? entry.actor : null;
  return {
    shop: entry.shop,
    memberId: entry.memberId,
    delta: entry.delta,
    kind: entry.kind,
    sourceKey: entry.sourceKey,
    orderId: entry.orderId ?? null,
    actorType: entry.actor.type,
    actorId: staff?.id ?? null,
    actorName: staff?.name ?? null,
    reason: entry.reason,
    customerNote: entry.customerNote ?? null,
    ruleId: entry.ruleId ?? null,
    campaignId: entry.campaignId ?? null,
    breakdown: entry.breakdown ? JSON.stringify(entry.breakdown) : null,
    now,
  };
}

/** The most entries one statement inserts; an event's awards are fewer (an order's base, its campaigns and bonuses). */
const ENTRIES_PER_STATEMENT = 8;

type EntryParams = Parameters<typeof insertEntry.run>[1];

const ENTRY_FIELDS = [
  "shop",
  "memberId",
  "delta",
  "kind",
  "sourceKey",
  "orderId",
  "actorType",
  "actorId",
  "actorName",
  "reason",
  "customerNote",
  "ruleId",
  "campaignId",
  "breakdown",
  "now",
] as const satisfies readonly (keyof EntryParams)[];

/** NUMBERED.shop[2] = "shop2": the parameter names of the nth row, made once (an order builds them on every webhook). */
const NUMBERED = Object.fromEntries(ENTRY_FIELDS.map((name) => [name, Array.from({ length: ENTRIES_PER_STATEMENT }, (_, i) => `${name}${i}`)])) as Record<
  keyof EntryParams,
  string[]
>;

/** insertEntriesOf[n - 1]: one statement inserting n entries, compiled once per n; returns the source keys it inserted. */
const insertEntriesOf = Array.from({ length: ENTRIES_PER_STATEMENT }, (_, index) =>
  prepare((q, p: Record<string, SqlValue>) => {
    const at = (i: number) => (name: keyof EntryParams) => p[NUMBERED[name][i]] as never;
    return q
      .insertInto("ledger_entries")
      .values(
        Array.from({ length: index + 1 }, (_, i) => {
          const v = at(i);
          return {
            shop: v("shop"),
            member_id: v("memberId"),
            delta: v("delta"),
            kind: v("kind"),
            source_key: v("sourceKey"),
            order_id: v("orderId"),
            actor_type: v("actorType"),
            actor_id: v("actorId"),
            actor_name: v("actorName"),
            reason: v("reason"),
            customer_note: v("customerNote"),
            rule_id: v("ruleId"),
            campaign_id: v("campaignId"),
            breakdown: v("breakdown"),
            created_at: v("now"),
          };
        }),
      )
      .onConflict((conflict) => conflict.columns(["shop", "source_key"]).doNothing())
      .returning("source_key");
  }),
);

/**
 * Appends several entries of one shop (one event's awards) in as few statements as it can; each is checked and
 * counted once by its source key as appendLedgerEntry does. Returns the source keys that were new.
 */
export async function appendLedgerEntries(db: Db, entries: readonly NewLedgerEntry[], now: string): Promise<Set<string>> {
  const inserted = new Set<string>();
  const params = entries.map((entry) => entryParams(entry, now));
  for (let from = 0; from < params.length; from += ENTRIES_PER_STATEMENT) {
    const chunk = params.slice(from, from + ENTRIES_PER_STATEMENT);
    const named: Record<string, SqlValue> = {};
    for (let i = 0; i < chunk.length; i++) {
      const row = chunk[i];
      for (const name of ENTRY_FIELDS) named[NUMBERED[name][i]] = row[name];
    }
    for (const row of await insertEntriesOf[chunk.length - 1].all(db, named)) inserted.add(row.source_key);
  }
  if (inserted.size > 0) {
    // Shopify's copy of the balance (customer metafields) follows every change.
    await scheduleMetafieldSync(db, entries[0].shop, new Date(now));
    const taken = entries.filter((entry) => inserted.has(entry.sourceKey));
    await countTowardsTiers(db, taken, now);
    await messagesAfterCredit(db, taken, now);
  }
  return inserted;
}

/**
 * New entries count towards the member's tier (every entry of one event together, by member and
 * day): earning kinds and their reversals as points earned, staff adjustments apart. Only entries
 * the ledger took count, so an event counts once however often it arrives.
 */
async function countTowardsTiers(db: Db, entries: readonly NewLedgerEntry[], now: string) {
  const groups = new Map<string, { entry: NewLedgerEntry; at: string; points: number; adjustedPoints: number }>();
  for (const entry of entries) {
    const activity = activityOfEntry(entry.kind, entry.delta);
    if (!activity) continue;
    const at = entry.countsAt ?? now;
    const key = `${entry.memberId}:${at}`;
    const group = groups.get(key) ?? { entry, at, points: 0, adjustedPoints: 0 };
    group.points += activity.points ?? 0;
    group.adjustedPoints += activity.adjustedPoints ?? 0;
    groups.set(key, group);
  }
  for (const { entry, at, points, adjustedPoints } of groups.values()) {
    if (points === 0 && adjustedPoints === 0) continue;
    await recordTierActivity(db, entry.shop, entry.memberId, { points, adjustedPoints }, { at, now, sourceKey: entry.sourceKey });
  }
}

export async function findEntryBySource(db: Db, shop: string, sourceKey: string) {
  return db.query.selectFrom("ledger_entries").selectAll().where("shop", "=", shop).where("source_key", "=", sourceKey).executeTakeFirst();
}

/** One ledger entry as its customer may see it: staff reasons stay internal, their customer note does not. */
export interface CustomerActivity {
  id: number;
  kind: LedgerKind;
  delta: number;
  createdAt: string;
  note: string | null;
}

const toActivity = (row: { id: number; kind: LedgerKind; delta: number; created_at: string; customer_note: string | null }): CustomerActivity => ({
  id: row.id,
  kind: row.kind,
  delta: row.delta,
  createdAt: row.created_at,
  note: row.customer_note,
});

const recentActivity = prepare((q, p: { shop: string; customerId: string; limit: number }) =>
  q
    .selectFrom("ledger_entries as e")
    .innerJoin("members as m", (join) => join.onRef("m.id", "=", "e.member_id").onRef("m.shop", "=", "e.shop"))
    .select(["e.id", "e.kind", "e.delta", "e.created_at", "e.customer_note"])
    .where("e.shop", "=", p.shop)
    .where("m.customer_id", "=", p.customerId)
    .orderBy("e.id", "desc")
    .limit(p.limit),
);

const recentActivityOfMember = prepare((q, p: { shop: string; memberId: number; limit: number }) =>
  q
    .selectFrom("ledger_entries")
    .select(["id", "kind", "delta", "created_at", "customer_note"])
    .where("member_id", "=", p.memberId)
    .where("shop", "=", p.shop)
    .orderBy("id", "desc")
    .limit(p.limit),
);

/** The member's latest ledger entries in this shop, newest first (one range of the member_id, id index). */
export async function listRecentActivityOfMember(db: Db, shop: string, memberId: number, limit: number): Promise<CustomerActivity[]> {
  return (await recentActivityOfMember.all(db, { shop, memberId, limit })).map(toActivity);
}

/** The customer's latest ledger entries in this shop, newest first. */
export async function listRecentActivityForCustomer(db: Db, shop: string, customerId: string, limit = 10): Promise<CustomerActivity[]> {
  return (await recentActivity.all(db, { shop, customerId, limit })).map(toActivity);
}
