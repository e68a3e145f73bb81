import { prepare } from "../db/prepared";
import type { Database, Db } from "../db/types";
import { birthdaysCelebratedOn, localDateKey, nextDateKey, parseDateKey, startOfLocalDay } from "../domain/local-days";
import { decideAwards, type EarningEvent } from "../domain/ways-to-earn";
import { enqueueJob, enqueueJobs, type JobHandler } from "../jobs/queue.server";
import { creditAwards, memberHistory, parseRuleAwards, recordDryRuns, type MemberFacts } from "./awards.server";
import { parseList } from "./json-columns.server";
import { sendMemberMessage } from "./messages.server";
import { installedShopZones, loadShopContext } from "./shops.server";
import { tierContext } from "./tiers.server";
import { tierBirthdayAwards, tierById } from "../domain/tiers";

// Birthday points, once a day per shop in the shop's time zone. Each shop has one job per local
// day (birthdays:<shop>:<YYYY-MM-DD>, due at that day's local midnight); it pays the day's
// birthdays in batches by member id, saving its cursor with each batch, and enqueues the next
// day's job in its last batch's transaction. A daily scheduler job (enqueued by every worker at
// start-up, then by itself) enqueues today's job for any installed shop that lacks one, so a
// chain broken by a job that gave up, or never started (shops installed before this job
// existed), resumes the next day at the latest. Re-running any of it repeats nothing: each
// award's source key (birthday:<customer>:<year>) counts once.

export const BIRTHDAY_JOB = "points.birthdays";
export const BIRTHDAY_SCHEDULER_JOB = "points.birthdays_scheduler";

/** Members paid per transaction: on SQLite a batch holds the one writer for tens of milliseconds, no longer. */
export const BIRTHDAY_BATCH_SIZE = 200;

export const birthdayJobKey = (shop: string, date: string) => `birthdays:${shop}:${date}`;
const schedulerJobKey = (date: string) => `birthdays:scheduler:${date}`;

/** Enqueues the shop's birthday job for a local day, due at its local midnight (kept if it exists). */
export async function enqueueBirthdayJob(db: Db, shop: string, date: string, timeZone: string, now: Date = new Date()): Promise<void> {
  await enqueueJob(db, { shop, kind: BIRTHDAY_JOB, key: birthdayJobKey(shop, date), payload: { date }, runAt: startOfLocalDay(date, timeZone) }, now);
}

/** Starts the shop's chain of daily birthday jobs at today's (an install calls it; a running chain is untouched). */
export async function startBirthdayJobs(db: Db, shop: string, timeZone: string, now: Date = new Date()): Promise<void> {
  await enqueueBirthdayJob(db, shop, localDateKey(now, timeZone), timeZone, now);
}

/** Enqueues today's scheduler run (UTC day), due now; every worker calls it at start-up. */
export async function enqueueBirthdayScheduler(db: Db, now: Date = new Date()): Promise<void> {
  await enqueueJob(db, { shop: "", kind: BIRTHDAY_SCHEDULER_JOB, key: schedulerJobKey(localDateKey(now, "UTC")), runAt: now }, now);
}

/**
 * Today's birthday job (in its own time zone) for every installed shop that has none, a few
 * hundred rows per statement. Returns how many it enqueued.
 */
export async function enqueueMissingBirthdayJobs(db: Db, now: Date = new Date()): Promise<number> {
  const jobs = (await installedShopZones.all(db, {})).map(({ domain, time_zone: timeZone }) => {
    const date = localDateKey(now, timeZone);
    return { shop: domain, kind: BIRTHDAY_JOB, key: birthdayJobKey(domain, date), payload: { date }, runAt: startOfLocalDay(date, timeZone) };
  });
  return enqueueJobs(db, jobs, now);
}

/** The members celebrating on a day, after a cursor, in id order (the (shop, birthday) index). */
const celebratingMembers = prepare((q, p: { shop: string; birthday: string; alsoBirthday: string; afterId: number; limit: number }) =>
  q
    .selectFrom("members")
    .select(["id", "customer_id", "qualifying_orders", "tags", "rule_awards", "birthday", "birthday_set_at", "tier_id"])
    .where("shop", "=", p.shop)
    .where("birthday", "in", [p.birthday, p.alsoBirthday])
    .where("redacted_at", "is", null)
    .where("id", ">", p.afterId)
    .orderBy("id")
    .limit(p.limit),
);

const saveCursor = prepare((q, p: { key: string; payload: string }) => q.updateTable("jobs").set({ payload: p.payload }).where("job_key", "=", p.key));

export interface BirthdayRun {
  /** Why nothing was looked at: the shop is not installed (its chain ends), or it has no birthday way to earn on. */
  skipped: "not installed" | "no birthday way to earn" | null;
  members: number;
  /** Members credited, and their points. */
  awarded: number;
  points: number;
  /** Dry-run awards recorded. */
  dryRuns: number;
  /** Whether the next day's job was enqueued. */
  nextDay: string | null;
}

/**
 * Pays the birthdays of one local day in a shop, from `afterId` on, `batchSize` members per
 * transaction. Each batch saves the cursor in the job's payload; the last enqueues the next
 * day's job. Safe to run again, or twice at once: the source keys count each award once.
 */
export async function awardBirthdaysOfDay(
  db: Database,
  shop: string,
  date: string,
  { now = new Date(), afterId = 0, batchSize = BIRTHDAY_BATCH_SIZE }: { now?: Date; afterId?: number; batchSize?: number } = {},
): Promise<BirthdayRun> {
  const run: BirthdayRun = { skipped: null, members: 0, awarded: 0, points: 0, dryRuns: 0, nextDay: null };
  const context = await loadShopContext(db, shop, { now });
  if (!context.installed) return { ...run, skipped: "not installed" };
  const { timeZone } = context;
  const next = nextDateKey(date);
  const enqueueNextDay = async (tx: Db) => {
    await enqueueBirthdayJob(tx, shop, next, timeZone, now);
    run.nextDay = next;
  };
  if (!context.earning.rules.some((rule) => rule.kind === "birthday" && rule.status !== "off")) {
    await enqueueNextDay(db);
    return { ...run, skipped: "no birthday way to earn" };
  }
  // The day's instant the awards are made at: now, or the day's bounds when the job runs late (a
  // worker down over midnight still pays that day's birthdays, dated on that day).
  const dayStart = startOfLocalDay(date, timeZone).getTime();
  const dayEnd = startOfLocalDay(next, timeZone).getTime();
  const at = new Date(Math.min(Math.max(now.getTime(), dayStart), dayEnd - 1)).toISOString();
  const year = parseDateKey(date)!.year;
  const [birthday, alsoBirthday = birthday] = birthdaysCelebratedOn(date);
  const birthdayRules = context.earning.rules.filter((rule) => rule.kind === "birthday");
  const decisionContext = { program: context.program, timeZone };
  const tiers = (await tierContext(db, shop)).program;

  let cursor = afterId;
  for (let more = true; more;) {
    await db.transaction(async (tx) => {
      const members = await celebratingMembers.all(tx, { shop, birthday, alsoBirthday, afterId: cursor, limit: batchSize });
      for (const row of members) {
        const member: MemberFacts = {
          id: row.id,
          customerId: row.customer_id,
          qualifyingOrders: row.qualifying_orders,
          tags: parseList(row.tags, "members.tags"),
          ruleAwards: parseRuleAwards(row.rule_awards),
        };
        const event: EarningEvent = { type: "birthday", at, year, birthday: row.birthday!, birthdaySetAt: row.birthday_set_at, customerTags: member.tags };
        const history = await memberHistory(tx, shop, member, birthdayRules);
        const decision = decideAwards(event, context.earning.rules, context.earning.campaigns, history, decisionContext);
        await recordDryRuns(tx, shop, member.id, decision.dryRun, at);
        // A member's tier may have its own birthday points.
        const awards = tiers ? tierBirthdayAwards(decision.awards, tierById(tiers, row.tier_id)) : decision.awards;
        const credited = await creditAwards(tx, shop, member, awards, { now: at });
        const points = credited.reduce((sum, award) => sum + award.points, 0);
        if (points > 0) await sendMemberMessage(tx, shop, member.id, { kind: "birthday", year }, { values: { points } }, new Date(at));
        run.dryRuns += decision.dryRun.length;
        if (credited.length > 0) run.awarded++;
        run.points += points;
      }
      run.members += members.length;
      more = members.length === batchSize;
      if (members.length > 0) cursor = members[members.length - 1].id;
      if (more) await saveCursor.run(tx, { key: birthdayJobKey(shop, date), payload: JSON.stringify({ date, afterId: cursor }) });
      else await enqueueNextDay(tx);
    });
  }
  return run;
}

/** The birthday jobs, by kind (app/runtime.server.ts registers them). */
export function birthdayJobHandlers({ batchSize = BIRTHDAY_BATCH_SIZE }: { batchSize?: number } = {}): Record<string, JobHandler> {
  return {
    [BIRTHDAY_JOB]: async ({ db, shop, payload, now }) => {
      const { date, afterId } = payload as { date?: unknown; afterId?: unknown };
      if (typeof date !== "string" || !parseDateKey(date)) throw new Error(`birthday job without a calendar date: ${JSON.stringify(payload)}`);
      await awardBirthdaysOfDay(db, shop, date, { now, afterId: typeof afterId === "number" ? afterId : 0, batchSize });
    },
    [BIRTHDAY_SCHEDULER_JOB]: async ({ db, now }) => {
      await db.transaction(async (tx) => {
        await enqueueMissingBirthdayJobs(tx, now);
        const tomorrow = nextDateKey(localDateKey(now, "UTC"));
        await enqueueJob(tx, { shop: "", kind: BIRTHDAY_SCHEDULER_JOB, key: schedulerJobKey(tomorrow), runAt: startOfLocalDay(tomorrow, "UTC") }, now);
      });
    },
  };
}
