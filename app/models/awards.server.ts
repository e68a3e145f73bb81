import { sql } from "kysely";
import { prepare } from "../db/prepared";
import type { Db } from "../db/types";
import type { LedgerActor } from "../domain/ledger";
import { decideAwards, type Award, type AwardDecision, type EarningEvent, type EarningRule, type MemberHistory } from "../domain/ways-to-earn";
import { parseList } from "./json-columns.server";
import { appendLedgerEntries } from "./ledger.server";
import type { ShopContext } from "./shops.server";

// Applying what app/domain/ways-to-earn.ts decides: live awards become ledger entries (their
// source keys make each count once), dry-run awards rows of dry_run_awards, and the member's row
// keeps which ways to earn they have done (shopper reads find it there).

/** The member facts the decision and the shopper's read need, from their row. */
export interface MemberFacts {
  id: number;
  customerId: string;
  qualifyingOrders: number;
  tags: readonly string[];
  ruleAwards: Readonly<Record<string, string>>;
}

const memberFactsById = prepare((q, p: { id: number }) =>
  q
    .selectFrom("members")
    .select(["id", "customer_id", "qualifying_orders", "tags", "rule_awards", "birthday", "birthday_set_at", "origin"])
    .where("id", "=", p.id),
);

export async function readMemberFacts(db: Db, memberId: number) {
  const row = await memberFactsById.first(db, { id: memberId });
  if (!row) return null;
  return {
    facts: {
      id: row.id,
      customerId: row.customer_id,
      qualifyingOrders: row.qualifying_orders,
      tags: parseList(row.tags, "members.tags"),
      ruleAwards: parseRuleAwards(row.rule_awards),
    } satisfies MemberFacts,
    birthday: row.birthday,
    birthdaySetAt: row.birthday_set_at,
    origin: row.origin,
  };
}

export function parseRuleAwards(json: string): Record<string, string> {
  try {
    const value = JSON.parse(json) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
    }
  } catch {
    // An unreadable record of what was done only costs the "done" marks; the ledger's keys still count each award once.
  }
  return {};
}

// Read only for rules with limits (a list of ids, so not prepared). An award that waited out an
// order's pending window counts when it was earned (the order's earned_at), not when it posted.
// An order's base entry names no rule when several purchase rules made it (its breakdown does):
// those are read too when a purchase rule is limited.
const awardTimes = (db: Db, p: { memberId: number; ruleIds: number[]; sharedBaseEntries: boolean }) =>
  db.query
    .selectFrom("ledger_entries as e")
    .leftJoin("loyalty_orders as o", (join) => join.onRef("o.shop", "=", "e.shop").onRef("o.order_id", "=", "e.order_id"))
    .select(["e.rule_id", "e.breakdown", "e.created_at", "o.earned_at", "o.pending_awards"])
    .where("e.member_id", "=", p.memberId)
    .where((eb) =>
      p.sharedBaseEntries
        ? eb.or([eb("e.rule_id", "in", p.ruleIds), eb.and([eb("e.rule_id", "is", null), eb("e.kind", "=", "earned")])])
        : eb("e.rule_id", "in", p.ruleIds),
    )
    .orderBy("e.id", "desc")
    .limit(1000)
    .execute();

/** The rules an award came from: its own, or those its breakdown names. */
function awardRuleIds(ruleId: number | null, breakdown: readonly { ruleId?: number }[]): number[] {
  if (ruleId !== null) return [ruleId];
  return [...new Set(breakdown.map((line) => line.ruleId).filter((id): id is number => typeof id === "number"))];
}

function parseBreakdown(json: string | null): { ruleId?: number }[] {
  try {
    const value = JSON.parse(json ?? "[]") as unknown;
    return Array.isArray(value) ? (value as { ruleId?: number }[]) : [];
  } catch {
    return [];
  }
}

function pendingOrderIds(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    if (!Array.isArray(value)) return [];
    return value.map((entry: { orderId?: unknown } | null) => entry?.orderId).filter((id): id is string => typeof id === "string");
  } catch {
    return [];
  }
}

/** Awards of the member's orders still inside their pending window (the member's row lists those orders): not in the ledger yet, but earned. */
async function pendingAwardTimes(db: Db, shop: string, memberId: number, ruleIds: ReadonlySet<number>): Promise<{ rule_id: number; created_at: string }[]> {
  const member = await db.query.selectFrom("members").select("pending_points").where("id", "=", memberId).executeTakeFirst();
  const orderIds = pendingOrderIds(member?.pending_points ?? "[]");
  if (orderIds.length === 0) return [];
  const orders = await db.query
    .selectFrom("loyalty_orders")
    .select(["earned_at", "pending_awards"])
    .where("shop", "=", shop)
    .where("order_id", "in", orderIds)
    .where("posted_at", "is", null)
    .where("cancelled_at", "is", null)
    .execute();
  const times: { rule_id: number; created_at: string }[] = [];
  for (const order of orders) {
    if (!order.earned_at || !order.pending_awards) continue;
    for (const award of JSON.parse(order.pending_awards) as Award[]) {
      for (const ruleId of awardRuleIds(award.ruleId, award.breakdown)) if (ruleIds.has(ruleId)) times.push({ rule_id: ruleId, created_at: order.earned_at });
    }
  }
  return times;
}

const dryRunTimes = (db: Db, p: { shop: string; memberId: number; ruleIds: number[] }) =>
  db.query
    .selectFrom("dry_run_awards")
    .select(["rule_id", "created_at"])
    .where("shop", "=", p.shop)
    .where("member_id", "=", p.memberId)
    .where("rule_id", "in", p.ruleIds)
    .orderBy("id", "desc")
    .limit(1000)
    .execute();

/**
 * The member's history as the rules that apply to this event need it: award times are read only
 * for rules with a limit a source key does not already enforce (once ever is the key itself).
 */
export async function memberHistory(
  db: Db,
  shop: string,
  member: MemberFacts,
  rules: readonly EarningRule[],
  qualifyingOrders = member.qualifyingOrders,
): Promise<MemberHistory> {
  const limited = rules.filter((rule) => rule.limit !== null && rule.status !== "off");
  const awards = new Map<number, string[]>();
  const live = limited.filter((rule) => rule.status === "live").map((rule) => rule.id);
  const dry = limited.filter((rule) => rule.status === "dry_run").map((rule) => rule.id);
  const sharedBaseEntries = limited.some((rule) => rule.status === "live" && rule.kind === "purchase");
  const liveSet = new Set(live);
  const rows = [
    ...(live.length
      ? (await awardTimes(db, { memberId: member.id, ruleIds: live, sharedBaseEntries })).flatMap((row) =>
          awardRuleIds(row.rule_id, parseBreakdown(row.breakdown))
            .filter((ruleId) => liveSet.has(ruleId))
            .map((ruleId) => ({ rule_id: ruleId, created_at: row.pending_awards !== null && row.earned_at ? row.earned_at : row.created_at })),
        )
      : []),
    ...(live.length ? await pendingAwardTimes(db, shop, member.id, new Set(live)) : []),
    ...(dry.length ? await dryRunTimes(db, { shop, memberId: member.id, ruleIds: dry }) : []),
  ];
  for (const row of rows) {
    if (row.rule_id === null) continue;
    const times = awards.get(row.rule_id) ?? [];
    times.push(row.created_at);
    awards.set(row.rule_id, times);
  }
  return { customerId: member.customerId, qualifyingOrders, awards };
}

const insertDryRun = prepare(
  (
    q,
    p: { shop: string; ruleId: number | null; campaignId: number | null; memberId: number; sourceKey: string; points: number; breakdown: string; now: string },
  ) =>
    q
      .insertInto("dry_run_awards")
      .values({
        shop: p.shop,
        rule_id: p.ruleId,
        campaign_id: p.campaignId,
        member_id: p.memberId,
        source_key: p.sourceKey,
        points: p.points,
        breakdown: p.breakdown,
        created_at: p.now,
      })
      .onConflict((conflict) => conflict.columns(["shop", "source_key"]).doNothing()),
);

/** Records what dry-run rules and campaigns would have awarded (once per event, by source key). */
export async function recordDryRuns(db: Db, shop: string, memberId: number, dryRun: readonly Award[], now: string): Promise<void> {
  for (const award of dryRun) {
    await insertDryRun.run(db, {
      shop,
      ruleId: award.ruleId,
      campaignId: award.campaignId,
      memberId,
      sourceKey: award.sourceKey,
      points: award.points,
      breakdown: JSON.stringify(award.breakdown),
      now,
    });
  }
}

/**
 * How many of an order-bonus rule's awards the member holds: in the ledger on orders not
 * cancelled, or waiting on orders still in their pending window.
 */
export async function heldOrderBonuses(db: Db, shop: string, memberId: number, ruleId: number): Promise<number> {
  const posted = await db.query
    .selectFrom("ledger_entries as e")
    .innerJoin("loyalty_orders as o", (join) => join.onRef("o.shop", "=", "e.shop").onRef("o.order_id", "=", "e.order_id"))
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("e.member_id", "=", memberId)
    .where("e.rule_id", "=", ruleId)
    .where("e.delta", ">", 0)
    .where("o.cancelled_at", "is", null)
    .executeTakeFirst();
  return Number(posted?.n ?? 0) + (await pendingAwardTimes(db, shop, memberId, new Set([ruleId]))).length;
}

/** Which of these source keys the shop's ledger already holds (a list of keys, so not prepared). */
export async function creditedSourceKeys(db: Db, shop: string, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.query.selectFrom("ledger_entries").select("source_key").where("shop", "=", shop).where("source_key", "in", keys).execute();
  return new Set(rows.map((row) => row.source_key));
}

// synced_points NULL: the storefront's `earning` metafield shows the ways done, so the member is due a sync.
const setRuleAwards = prepare((q, p: { id: number; ruleAwards: string }) =>
  q.updateTable("members").set({ rule_awards: p.ruleAwards, synced_points: null }).where("id", "=", p.id),
);

const marksDone = (award: Award) => award.kind !== "earned" && award.kind !== "campaign_bonus" && !award.sourceKey.startsWith("nth:");

/**
 * Writes live awards to the ledger; returns those that were new (a redelivered event's are not).
 * The member's row records when each way to earn was last done.
 */
export async function creditAwards(
  db: Db,
  shop: string,
  member: Pick<MemberFacts, "id" | "ruleAwards">,
  awards: readonly Award[],
  {
    now,
    orderId = null,
    actor = { type: "system" },
    note = null,
  }: {
    now: string;
    orderId?: string | null;
    actor?: LedgerActor;
    /** Said by whoever awarded it (staff, an API caller): kept with the reason. */
    note?: string | null;
  },
): Promise<Award[]> {
  const due = awards.filter((award) => award.points > 0);
  if (due.length === 0) return [];
  // One statement for the event's awards: an order's base points, its campaigns' and its bonuses.
  const inserted = await appendLedgerEntries(
    db,
    due.map((award) => ({
      shop,
      memberId: member.id,
      delta: award.points,
      kind: award.kind,
      sourceKey: award.sourceKey,
      orderId,
      actor,
      reason: note ? `${award.reason} · ${note}` : award.reason,
      ruleId: award.ruleId,
      campaignId: award.campaignId,
      breakdown: award.breakdown,
    })),
    now,
  );
  const credited = due.filter((award) => inserted.has(award.sourceKey));
  // Which ways the member has done is what shoppers see as Done: a purchase, a campaign or a
  // stamp card's bonus is never done (the stamp card's progress is the qualifying-order count).
  const marking = credited.filter(marksDone);
  if (marking.length > 0) {
    const ruleAwards = { ...member.ruleAwards };
    for (const award of marking) for (const line of award.breakdown) if (line.ruleId !== undefined) ruleAwards[String(line.ruleId)] = now;
    await setRuleAwards.run(db, { id: member.id, ruleAwards: JSON.stringify(ruleAwards) });
  }
  return credited;
}

/** What applying an event that is not an order did. */
export interface EventAwardOutcome {
  credited: Award[];
  decision: AwardDecision;
}

/**
 * Decides and applies a non-order event (sign-up, birthday, newsletter, an action) for a member:
 * live awards credited once each, dry runs recorded.
 */
export async function awardEvent(
  db: Db,
  shop: ShopContext,
  member: MemberFacts,
  event: EarningEvent,
  { now, actor, note }: { now: string; actor?: LedgerActor; note?: string | null },
): Promise<EventAwardOutcome> {
  const history = await memberHistory(db, shop.domain, member, shop.earning.rules);
  const decision = decideAwards(event, shop.earning.rules, shop.earning.campaigns, history, { program: shop.program, timeZone: shop.timeZone });
  await recordDryRuns(db, shop.domain, member.id, decision.dryRun, now);
  const credited = await creditAwards(db, shop.domain, member, decision.awards, { now, actor, note });
  return { credited, decision };
}

/** Totals of what each dry-run rule and campaign would have awarded, for the admin. */
export async function dryRunTotals(db: Db, shop: string) {
  return db.query
    .selectFrom("dry_run_awards")
    .select([
      "rule_id",
      "campaign_id",
      sql<number>`COUNT(*)`.as("events"),
      sql<number>`COUNT(DISTINCT member_id)`.as("members"),
      sql<number>`SUM(points)`.as("points"),
    ])
    .where("shop", "=", shop)
    .groupBy(["rule_id", "campaign_id"])
    .execute();
}
