import { lockedForUpdate } from "../db/dialect";
import { prepare } from "../db/prepared";
import type { Database, Db } from "../db/types";
import {
  addMonths,
  dueLotExpiries,
  EXPIRY_OFF,
  inactivityExpiry,
  inactivityExpiryKey,
  lotExpiryKey,
  movementsOfEntries,
  nextLotExpiry,
  replayLots,
  reversalAfterExpiry,
  type ExpiryPolicy,
  type LotState,
  type PointsExpiring,
} from "../domain/expiry";
import { localDateKey, nextDateKey, parseDateKey, startOfLocalDay } from "../domain/local-days";
import { DEFAULT_EXPIRY_REMINDERS, dueExpiryReminder, type ExpiryReminders } from "../domain/member-messages";
import { enqueueJob, enqueueJobs, type JobHandler } from "../jobs/queue.server";
import { firePointsExpiringTrigger } from "./flow.server";
import { sendExpiryReminder } from "./messages.server";
import { appendLedgerEntries, type NewLedgerEntry } from "./ledger.server";

// Points expiry (issue 14). Each shop whose policy is on has one job per UTC day
// (expiry:<shop>:<YYYY-MM-DD>, due at that day's midnight UTC): it writes the `expired` entries
// that have come due, then queues the reminders that are due, in batches by member id, saving its
// cursor (and phase) with each batch, and enqueues the next day's job in its last batch's transaction. A daily scheduler (enqueued by every worker
// at start-up, then by itself) enqueues today's job for any shop with a policy that lacks one, so
// a chain broken by a job that gave up, or a policy just turned on, runs the next day at the
// latest. Running any of it again repeats nothing: an expiry's source key names its period of
// inactivity (inactivity) or its lot (age), and the ledger takes each key once.

export const EXPIRY_JOB = "points.expiry";
export const EXPIRY_SCHEDULER_JOB = "points.expiry_scheduler";

/** Members looked at per transaction: on SQLite a batch holds the one writer for tens of milliseconds. */
export const EXPIRY_BATCH_SIZE = 500;

export const expiryJobKey = (shop: string, date: string) => `expiry:${shop}:${date}`;
const schedulerJobKey = (date: string) => `expiry:scheduler:${date}`;

/** The shop's policy from its row (anything unreadable counts as off: points never vanish by mistake). */
export function expiryPolicyOf(row: { expiry_policy: string; expiry_months: number }): ExpiryPolicy {
  const months = row.expiry_months;
  if (!Number.isSafeInteger(months) || months < 1) return EXPIRY_OFF;
  if (row.expiry_policy === "inactivity" || row.expiry_policy === "age") return { kind: row.expiry_policy, months };
  return EXPIRY_OFF;
}

const shopPolicy = prepare((q, p: { shop: string }) =>
  q.selectFrom("shops").select(["expiry_policy", "expiry_months", "uninstalled_at", "redacted_at"]).where("domain", "=", p.shop),
);

export async function loadExpiryPolicy(db: Db, shop: string): Promise<ExpiryPolicy> {
  const row = await shopPolicy.first(db, { shop });
  return row ? expiryPolicyOf(row) : EXPIRY_OFF;
}

const memberEntries = prepare((q, p: { shop: string; memberId: number }) =>
  q
    .selectFrom("ledger_entries")
    .select(["id", "delta", "kind", "source_key", "order_id", "created_at"])
    .where("member_id", "=", p.memberId)
    .where("shop", "=", p.shop)
    .orderBy("id"),
);

type EntryRow = { id: number; delta: number; kind: string; source_key: string; order_id: string | null; created_at: string };

/** Lots replayed from one member's entries, in id order; with what each order's reversals took. */
function lotsOfEntries(rows: readonly EntryRow[], months: number) {
  const { movements, lotsOfOrder } = movementsOfEntries(
    rows.map((row) => ({ id: row.id, delta: row.delta, kind: row.kind, sourceKey: row.source_key, orderId: row.order_id, createdAt: row.created_at })),
  );
  const taken = new Map<string, number>();
  for (const row of rows) {
    if ((row.kind === "refund_reversal" || row.kind === "cancel_reversal") && row.order_id !== null) {
      taken.set(row.order_id, (taken.get(row.order_id) ?? 0) - row.delta);
    }
  }
  return { state: replayLots(movements, months), lotsOfOrder, taken };
}

/** A member's lots, replayed from their ledger (age policy; also what a refund after expiry reads). */
export async function memberLots(db: Db, shop: string, memberId: number, months: number) {
  return lotsOfEntries(await memberEntries.all(db, { shop, memberId }), months);
}

/** The lots of a batch of members, their entries read in one statement (the expiry job's batches). */
async function lotsOfMembers(db: Db, shop: string, memberIds: readonly number[], months: number) {
  const byMember = new Map<number, EntryRow[]>(memberIds.map((id) => [id, []]));
  if (memberIds.length > 0) {
    const rows = await db.query
      .selectFrom("ledger_entries")
      .select(["member_id", "id", "delta", "kind", "source_key", "order_id", "created_at"])
      .where("member_id", "in", [...memberIds])
      .where("shop", "=", shop)
      .orderBy("member_id")
      .orderBy("id")
      .execute();
    for (const row of rows) byMember.get(row.member_id)?.push(row);
  }
  return new Map([...byMember].map(([id, rows]) => [id, lotsOfEntries(rows, months).state]));
}

/** What expires next for a member and when (`pointsExpiring`), under the shop's policy; null when nothing will. */
export async function pointsExpiringFor(
  db: Db,
  shop: string,
  policy: ExpiryPolicy,
  member: { id: number; balance: number; lastActivityAt: string | null },
  now: Date = new Date(),
): Promise<PointsExpiring | null> {
  if (policy.kind === "off" || member.balance <= 0) return null;
  if (policy.kind === "inactivity") return inactivityExpiry(policy, member);
  const { state } = await memberLots(db, shop, member.id, policy.months);
  return nextLotExpiry(state, now.toISOString(), member.balance);
}

const hasExpired = prepare((q, p: { shop: string; memberId: number }) =>
  q.selectFrom("ledger_entries").select("id").where("member_id", "=", p.memberId).where("shop", "=", p.shop).where("kind", "=", "expired").limit(1),
);

/**
 * The points a refund or cancellation of an order takes now, once expiry is accounted for: what
 * `wanted` asks less the part of the order's points that already expired (the ledger took it
 * once) and what its earlier reversals took. Members with no expiry take what was asked.
 */
export async function reversalTakingExpiryIntoAccount(
  db: Db,
  shop: string,
  memberId: number,
  orderId: string,
  { target, wanted }: { target: number; wanted: number },
): Promise<number> {
  if (!(await hasExpired.first(db, { shop, memberId }))) return wanted;
  // Months do not matter here: what expired is read from the entries themselves.
  const { state, lotsOfOrder, taken } = await memberLots(db, shop, memberId, 12);
  return Math.min(wanted, reversalAfterExpiry(state, lotsOfOrder.get(orderId) ?? [], target, taken.get(orderId) ?? 0));
}

// The job.

const installedShopsWithExpiry = prepare((q) =>
  q
    .selectFrom("shops")
    .select("domain")
    .where("uninstalled_at", "is", null)
    .where("redacted_at", "is", null)
    .where("expiry_policy", "!=", "off")
    .orderBy("domain"),
);

/** Enqueues a shop's expiry job for a UTC day, due at its midnight (kept if it exists). */
export async function enqueueExpiryJob(db: Db, shop: string, date: string, now: Date = new Date()): Promise<void> {
  await enqueueJob(db, { shop, kind: EXPIRY_JOB, key: expiryJobKey(shop, date), payload: { date }, runAt: startOfLocalDay(date, "UTC") }, now);
}

/** Today's expiry run for the shop, due now (turning a policy on calls it: the first run need not wait for midnight). */
export async function startExpiryJobs(db: Db, shop: string, now: Date = new Date()): Promise<void> {
  const date = localDateKey(now, "UTC");
  await enqueueJob(db, { shop, kind: EXPIRY_JOB, key: expiryJobKey(shop, date), payload: { date }, runAt: now }, now);
}

export async function enqueueExpiryScheduler(db: Db, now: Date = new Date()): Promise<void> {
  await enqueueJob(db, { shop: "", kind: EXPIRY_SCHEDULER_JOB, key: schedulerJobKey(localDateKey(now, "UTC")), runAt: now }, now);
}

/** Inactivity: members with points whose last activity is at least N months old (a day's slack; the exact date is checked per member). */
const inactiveMembers = prepare((q, p: { shop: string; before: string; afterId: number; limit: number }, dialect) =>
  lockedForUpdate(
    dialect,
    q
      .selectFrom("members")
      .select(["id", "balance", "last_activity_at"])
      .where("shop", "=", p.shop)
      .where("last_activity_at", "<=", p.before)
      .where("balance", ">", 0)
      .where("redacted_at", "is", null)
      .where("id", ">", p.afterId)
      .orderBy("id")
      .limit(p.limit),
  ),
);

/** Age: members whose oldest lot may have come due. */
const membersWithOldLots = prepare((q, p: { shop: string; before: string; afterId: number; limit: number }, dialect) =>
  lockedForUpdate(
    dialect,
    q
      .selectFrom("members")
      .select(["id", "balance", "oldest_lot_at"])
      .where("shop", "=", p.shop)
      .where("oldest_lot_at", "<=", p.before)
      .where("redacted_at", "is", null)
      .where("id", ">", p.afterId)
      .orderBy("id")
      .limit(p.limit),
  ),
);

const setOldestLot = prepare((q, p: { id: number; at: string | null }) => q.updateTable("members").set({ oldest_lot_at: p.at }).where("id", "=", p.id));

const saveCursor = prepare((q, p: { key: string; payload: string }) => q.updateTable("jobs").set({ payload: p.payload }).where("job_key", "=", p.key));

export interface ExpiryRun {
  skipped: "not installed" | "expiry off" | null;
  /** Members looked at, members whose points expired, and the points. */
  members: number;
  expired: number;
  points: number;
}

const monthsWord = (months: number) => (months === 1 ? "1 month" : `${months} months`);

/** Slack for month ends in the index ranges below (31 January + 1 month is 28 February); each member's exact date is checked after. */
const MONTH_END_SLACK_MS = 4 * 86_400_000;

/** The latest last activity (or lot) whose points may be due at `now`: N months back, with slack for month ends. */
function dueBefore(now: Date, months: number): string {
  return addMonths(new Date(now.getTime() + MONTH_END_SLACK_MS).toISOString(), -months);
}

/** The last activities (or lots) whose points may expire after `now` and by `until`, as an index range with slack for month ends. */
function expiringBetween(now: Date, until: Date, months: number): { from: string; to: string } {
  return { from: addMonths(new Date(now.getTime() - MONTH_END_SLACK_MS).toISOString(), -months), to: dueBefore(until, months) };
}

/**
 * Writes the expiries due at `now` in a shop, from `afterId` on, `batchSize` members per
 * transaction (their rows locked: a redemption cannot spend what is expiring). With `date` (the
 * day's job), each batch saves the cursor and the last hands the job on to the day's reminders. Safe to run again, or
 * twice at once: the source keys count each expiry once, and it never takes more than the balance.
 */
export async function expirePoints(
  db: Database,
  shop: string,
  {
    now = new Date(),
    date = null,
    afterId = 0,
    batchSize = EXPIRY_BATCH_SIZE,
  }: { now?: Date; date?: string | null; afterId?: number; batchSize?: number } = {},
): Promise<ExpiryRun> {
  const run: ExpiryRun = { skipped: null, members: 0, expired: 0, points: 0 };
  const row = await shopPolicy.first(db, { shop });
  if (!row || row.uninstalled_at !== null || row.redacted_at !== null) return { ...run, skipped: "not installed" };
  const policy = expiryPolicyOf(row);
  const at = now.toISOString();
  // A policy turned off ends the chain; turning it on starts it again.
  if (policy.kind === "off") return { ...run, skipped: "expiry off" };
  const before = dueBefore(now, policy.months);
  let cursor = afterId;
  for (let more = true; more;) {
    await db.transaction(async (tx) => {
      const entries: NewLedgerEntry[] = [];
      let seen: number;
      if (policy.kind === "inactivity") {
        const members = await inactiveMembers.all(tx, { shop, before, afterId: cursor, limit: batchSize });
        for (const member of members) {
          const due = inactivityExpiry(policy, { balance: member.balance, lastActivityAt: member.last_activity_at });
          if (!due || due.expiresAt > at) continue;
          entries.push({
            shop,
            memberId: member.id,
            delta: -member.balance,
            kind: "expired",
            sourceKey: inactivityExpiryKey(member.id, member.last_activity_at!),
            actor: { type: "system" },
            reason: `Points expired after ${monthsWord(policy.months)} without earning or redeeming`,
          });
        }
        seen = members.length;
        if (members.length > 0) cursor = members[members.length - 1].id;
      } else {
        const members = await membersWithOldLots.all(tx, { shop, before, afterId: cursor, limit: batchSize });
        const lots = await lotsOfMembers(
          tx,
          shop,
          members.map((member) => member.id),
          policy.months,
        );
        for (const member of members) {
          const state = lots.get(member.id)!;
          const due = dueLotExpiries(state, at, member.balance);
          for (const lot of due) {
            entries.push({
              shop,
              memberId: member.id,
              delta: -lot.points,
              kind: "expired",
              sourceKey: lotExpiryKey(lot.lot),
              actor: { type: "system" },
              reason: `Points earned ${state.lots.find((candidate) => candidate.lot === lot.lot)!.earnedAt.slice(0, 10)} expired after ${monthsWord(policy.months)}`,
            });
          }
          await setOldestLot.run(tx, { id: member.id, at: oldestLotAfter(state, due) });
        }
        seen = members.length;
        if (members.length > 0) cursor = members[members.length - 1].id;
      }
      if (entries.length > 0) {
        const inserted = await appendLedgerEntries(tx, entries, at);
        const members = new Set<number>();
        for (const entry of entries) {
          if (!inserted.has(entry.sourceKey)) continue;
          members.add(entry.memberId);
          run.points -= entry.delta;
        }
        run.expired += members.size;
      }
      run.members += seen;
      more = seen === batchSize;
      // The last batch hands the day's job on to its reminders (remindExpiringPoints), from the first member.
      if (date !== null) {
        const next = more ? { date, phase: "expire", afterId: cursor } : { date, phase: "remind", afterId: 0 };
        await saveCursor.run(tx, { key: expiryJobKey(shop, date), payload: JSON.stringify(next) });
      }
    });
  }
  return run;
}

/** Inactivity: members with points whose expiry falls within the reminders' reach (the earliest reminder's days ahead). */
const membersExpiringSoon = prepare((q, p: { shop: string; from: string; to: string; afterId: number; limit: number }) =>
  q
    .selectFrom("members")
    .select(["id", "customer_id", "balance", "last_activity_at", "oldest_lot_at"])
    .where("shop", "=", p.shop)
    .where("last_activity_at", ">=", p.from)
    .where("last_activity_at", "<=", p.to)
    .where("balance", ">", 0)
    .where("redacted_at", "is", null)
    .where("id", ">", p.afterId)
    .orderBy("id")
    .limit(p.limit),
);

/** Age: members whose oldest lot may expire within the reminders' reach. */
const membersWithLotsExpiringSoon = prepare((q, p: { shop: string; from: string; to: string; afterId: number; limit: number }) =>
  q
    .selectFrom("members")
    .select(["id", "customer_id", "balance", "last_activity_at", "oldest_lot_at"])
    .where("shop", "=", p.shop)
    .where("oldest_lot_at", "<=", p.to)
    .where("balance", ">", 0)
    .where("redacted_at", "is", null)
    .where("id", ">", p.afterId)
    .orderBy("id")
    .limit(p.limit),
);

const shopReminders = prepare((q, p: { shop: string }) => q.selectFrom("shops").select("expiry_reminder_days").where("domain", "=", p.shop));

/** The shop's reminder days (JSON list of whole days; anything unreadable reads as the defaults), and the last chance. */
export function readReminderDays(json: string | null | undefined): ExpiryReminders {
  try {
    const days = JSON.parse(json ?? "") as unknown;
    if (Array.isArray(days) && days.every((day) => Number.isSafeInteger(day) && day > 1 && day <= 365)) {
      return { daysBefore: days as number[], lastChance: true };
    }
  } catch {
    // the defaults
  }
  return DEFAULT_EXPIRY_REMINDERS;
}

export interface ReminderRun {
  members: number;
  /** Reminders queued (the outbox keeps one per occasion) and Flow triggers fired. */
  reminded: number;
  nextDay: string | null;
}

/**
 * The day's expiry reminders: each member whose points expire within the reminders' reach gets
 * the one reminder due (30 and 7 days before by default, the last chance within a day), queued in
 * the outbox under its occasion (once, whatever re-runs), and Shopify Flow's "points about to
 * expire" fires once per member and expiry date for shops that use it. The last batch enqueues the
 * next day's job.
 */
export async function remindExpiringPoints(
  db: Database,
  shop: string,
  {
    now = new Date(),
    date = null,
    afterId = 0,
    batchSize = EXPIRY_BATCH_SIZE,
  }: { now?: Date; date?: string | null; afterId?: number; batchSize?: number } = {},
): Promise<ReminderRun> {
  const run: ReminderRun = { members: 0, reminded: 0, nextDay: null };
  const policy = await loadExpiryPolicy(db, shop);
  if (policy.kind === "off") return run;
  const reminders = readReminderDays((await shopReminders.first(db, { shop }))?.expiry_reminder_days);
  const reach = Math.max(1, ...reminders.daysBefore);
  const at = now.toISOString();
  // Whose points expire after now and within `reach` days.
  const { from, to } = expiringBetween(now, new Date(now.getTime() + reach * 86_400_000), policy.months);
  let cursor = afterId;
  for (let more = true; more;) {
    await db.transaction(async (tx) => {
      const query = policy.kind === "inactivity" ? membersExpiringSoon : membersWithLotsExpiringSoon;
      const members = await query.all(tx, { shop, from, to, afterId: cursor, limit: batchSize });
      for (const member of members) {
        const next = await pointsExpiringFor(tx, shop, policy, { id: member.id, balance: member.balance, lastActivityAt: member.last_activity_at }, now);
        if (!next) continue;
        const occasion = dueExpiryReminder(next.expiresAt, at, reminders);
        if (!occasion) continue;
        const sent = await sendExpiryReminder(tx, shop, member.id, occasion, next.points, now);
        if (sent.ok) run.reminded++;
        await firePointsExpiringTrigger(tx, shop, { customerId: member.customer_id, balance: member.balance }, next.points, next.expiresAt, now);
      }
      run.members += members.length;
      more = members.length === batchSize;
      if (members.length > 0) cursor = members[members.length - 1].id;
      if (date !== null) {
        if (more) await saveCursor.run(tx, { key: expiryJobKey(shop, date), payload: JSON.stringify({ date, phase: "remind", afterId: cursor }) });
        else {
          run.nextDay = nextDateKey(date);
          await enqueueExpiryJob(tx, shop, run.nextDay, now);
        }
      }
    });
  }
  return run;
}

/** The earned date of the oldest lot still holding points once `due` has expired (null: none). */
function oldestLotAfter(state: LotState, due: readonly { lot: string; points: number }[]): string | null {
  const expiring = new Map(due.map((lot) => [lot.lot, lot.points]));
  for (const lot of state.lots) {
    if (lot.remaining - (expiring.get(lot.lot) ?? 0) > 0) return lot.earnedAt;
  }
  return null;
}

/** Today's expiry job for every shop with a policy that has none (a few hundred rows per statement). */
export async function enqueueMissingExpiryJobs(db: Db, now: Date = new Date()): Promise<number> {
  const date = localDateKey(now, "UTC");
  const jobs = (await installedShopsWithExpiry.all(db, {})).map(({ domain }) => ({
    shop: domain,
    kind: EXPIRY_JOB,
    key: expiryJobKey(domain, date),
    payload: { date },
    runAt: startOfLocalDay(date, "UTC"),
  }));
  return enqueueJobs(db, jobs, now);
}

/** The expiry jobs, by kind (app/runtime.server.ts registers them). */
export function expiryJobHandlers({ batchSize = EXPIRY_BATCH_SIZE }: { batchSize?: number } = {}): Record<string, JobHandler> {
  return {
    [EXPIRY_JOB]: async ({ db, shop, payload, now }) => {
      const { date, afterId, phase } = payload as { date?: unknown; afterId?: unknown; phase?: unknown };
      if (typeof date !== "string" || !parseDateKey(date)) throw new Error(`expiry job without a calendar date: ${JSON.stringify(payload)}`);
      const from = typeof afterId === "number" ? afterId : 0;
      // First the day's expiries, then its reminders (a job resumed mid-way starts where it stopped).
      if (phase !== "remind") {
        const expired = await expirePoints(db, shop, { now, date, afterId: from, batchSize });
        // A policy turned off ends the chain; turning it on starts it again.
        if (expired.skipped) return;
      }
      await remindExpiringPoints(db, shop, { now, date, afterId: phase === "remind" ? from : 0, batchSize });
    },
    [EXPIRY_SCHEDULER_JOB]: async ({ db, now }) => {
      await db.transaction(async (tx) => {
        await enqueueMissingExpiryJobs(tx, now);
        const tomorrow = nextDateKey(localDateKey(now, "UTC"));
        await enqueueJob(tx, { shop: "", kind: EXPIRY_SCHEDULER_JOB, key: schedulerJobKey(tomorrow), runAt: startOfLocalDay(tomorrow, "UTC") }, now);
      });
    },
  };
}

/** What the next `days` days will expire in a shop: exact under inactivity; under age, at most this (spending since may have used some of those lots). */
export interface ExpiringSoon {
  points: number;
  members: number;
  exact: boolean;
}

const EXPIRING_PAGE = 5_000;

/** The points due to expire between now and `days` days from now, under the shop's policy (the admin's home page). */
export async function pointsExpiringWithin(db: Db, shop: string, days: number, now: Date = new Date()): Promise<ExpiringSoon> {
  const policy = await loadExpiryPolicy(db, shop);
  if (policy.kind === "off") return { points: 0, members: 0, exact: true };
  const at = now.toISOString();
  const until = new Date(now.getTime() + days * 86_400_000).toISOString();
  const { from, to } = expiringBetween(now, new Date(until), policy.months);
  if (policy.kind === "inactivity") {
    // The reminders' statement, read in pages.
    let points = 0;
    let members = 0;
    for (let afterId = 0, more = true; more;) {
      const rows = await membersExpiringSoon.all(db, { shop, from, to, afterId, limit: EXPIRING_PAGE });
      for (const row of rows) {
        const next = inactivityExpiry(policy, { balance: row.balance, lastActivityAt: row.last_activity_at });
        if (!next || next.expiresAt <= at || next.expiresAt > until) continue;
        points += next.points;
        members++;
      }
      more = rows.length === EXPIRING_PAGE;
      if (more) afterId = rows[rows.length - 1].id;
    }
    return { points, members, exact: true };
  }
  const rows = await db.query
    .selectFrom("ledger_entries as e")
    .innerJoin("members as m", "m.id", "e.member_id")
    .select(["e.member_id", "m.balance", (eb) => eb.fn.sum<number>("e.delta").as("points")])
    .where("e.shop", "=", shop)
    .where("e.delta", ">", 0)
    .where("e.created_at", ">=", from)
    .where("e.created_at", "<=", to)
    .where("m.balance", ">", 0)
    .where("m.redacted_at", "is", null)
    .groupBy(["e.member_id", "m.balance"])
    .execute();
  let points = 0;
  for (const row of rows) points += Math.min(row.balance, Number(row.points));
  return { points, members: rows.length, exact: false };
}
