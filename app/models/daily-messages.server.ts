import { prepare } from "../db/prepared";
import type { Database, Db } from "../db/types";
import { localDateKey, nextDateKey, parseDateKey, startOfLocalDay } from "../domain/local-days";
import { enqueueJob, enqueueJobs, type JobHandler } from "../jobs/queue.server";
import { installedShopZones } from "./shops.server";
import { appendLedgerEntry } from "./ledger.server";
import { tierById, tierName } from "../domain/tiers";
import { readMessageSetting, sendMemberMessage, wholeOption } from "./messages.server";
import { tierContext } from "./tiers.server";

// The daily member messages (issue 14), once a day per shop at 10:00 in its zone. Win-back:
// members whose last order is older than the merchant's days (90 by default) get "we miss you",
// once per last order (a new order and another quiet spell make a new occasion), with the
// merchant's bonus points if any, credited once per last order by its source key. Tier at risk:
// members whose tier is kept only until within the merchant's days (14 by default) and whose
// qualifying total is below it, once per tier and kept-until date. A daily scheduler (enqueued
// by every worker at start-up, then by itself) enqueues each installed shop's run for its local day.

export const DAILY_MESSAGES_JOB = "messages.daily";
export const DAILY_MESSAGES_SCHEDULER_JOB = "messages.daily_scheduler";
export const WIN_BACK_DEFAULT_DAYS = 90;
export const WIN_BACK_BATCH_SIZE = 200;
const RUN_HOUR = 10;
const DAY_MS = 86_400_000;

export const TIER_AT_RISK_DEFAULT_DAYS = 14;

export const dailyMessagesJobKey = (shop: string, date: string) => `daily_messages:${shop}:${date}`;
const schedulerKey = (date: string) => `daily_messages:scheduler:${date}`;

export const winBackSourceKey = (memberId: number, lastOrderAt: string) => `win_back:${memberId}:${lastOrderAt}`;

/**
 * Members quiet since before the cutoff whose last order has no win-back yet (its occasion key
 * names the member and the last order), after a cursor, in id order.
 */
const lapsedMembers = prepare((q, p: { shop: string; cutoff: string; afterId: number; limit: number }) =>
  q
    .selectFrom("members as m")
    .select(["m.id", "m.last_order_at", "m.balance"])
    .where("m.shop", "=", p.shop)
    .where("m.last_order_at", "<", p.cutoff)
    .where("m.redacted_at", "is", null)
    .where("m.unsubscribed_at", "is", null)
    .where("m.email", "is not", null)
    // A marketing message: only the subscribed could receive it (mayReceive says so again).
    .where("m.marketing_state", "=", "SUBSCRIBED")
    .where("m.id", ">", p.afterId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("outbox_messages as o")
            .select("o.id")
            .where("o.shop", "=", p.shop)
            .whereRef("o.member_id", "=", "m.id")
            .where("o.kind", "=", "win_back")
            .whereRef("o.created_at", ">", "m.last_order_at"),
        ),
      ),
    )
    .orderBy("m.id")
    .limit(p.limit),
);

const iso = (value: string | Date) => new Date(value).toISOString();

export interface WinBackRun {
  skipped: "off" | null;
  messaged: number;
  bonusPoints: number;
}

/** One shop's win-back run at `now`, `batchSize` members per transaction. Safe to run again, or twice at once. */
export async function sendWinBackMessages(
  db: Database,
  shop: string,
  { now = new Date(), batchSize = WIN_BACK_BATCH_SIZE }: { now?: Date; batchSize?: number } = {},
): Promise<WinBackRun> {
  const run: WinBackRun = { skipped: null, messaged: 0, bonusPoints: 0 };
  const setting = await readMessageSetting(db, shop, "win_back");
  if (!setting.enabled) return { ...run, skipped: "off" };
  const days = wholeOption(setting.options, "days", WIN_BACK_DEFAULT_DAYS, { min: 1, max: 3650 });
  const bonus = wholeOption(setting.options, "bonusPoints", 0, { min: 0, max: 1_000_000 });
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
  let cursor = 0;
  for (let more = true; more;) {
    await db.transaction(async (tx) => {
      const members = await lapsedMembers.all(tx, { shop, cutoff, afterId: cursor, limit: batchSize });
      for (const member of members) {
        const lastOrderAt = iso(member.last_order_at!);
        const sent = await sendMemberMessage(
          tx,
          shop,
          member.id,
          { kind: "win_back", lastOrderAt },
          { values: { points: bonus, balance: member.balance + bonus } },
          now,
        );
        if (!sent.ok) continue;
        run.messaged++;
        if (bonus > 0) {
          const { inserted } = await appendLedgerEntry(
            tx,
            {
              shop,
              memberId: member.id,
              delta: bonus,
              kind: "win_back_bonus",
              sourceKey: winBackSourceKey(member.id, lastOrderAt),
              actor: { type: "system" },
              reason: "Win-back bonus",
            },
            now.toISOString(),
          );
          if (inserted) run.bonusPoints += bonus;
        }
      }
      more = members.length === batchSize;
      if (members.length > 0) cursor = members[members.length - 1].id;
    });
  }
  return run;
}

/** Members holding a tier kept only until before `until`, not placed by staff, after a cursor. */
const tiersEnding = prepare((q, p: { shop: string; now: string; until: string; afterId: number; limit: number }) =>
  q
    .selectFrom("members")
    .select(["id", "tier_id", "tier_kept_until", "tier_total"])
    .where("shop", "=", p.shop)
    .where("tier_id", "is not", null)
    .where("tier_manual", "=", false)
    .where("tier_kept_until", ">", p.now)
    .where("tier_kept_until", "<=", p.until)
    .where("redacted_at", "is", null)
    .where("id", ">", p.afterId)
    .orderBy("id")
    .limit(p.limit),
);

/** One shop's tier-at-risk run at `now`: once per member, tier and kept-until date (its occasion). */
export async function sendTierAtRiskMessages(
  db: Database,
  shop: string,
  { now = new Date(), batchSize = WIN_BACK_BATCH_SIZE }: { now?: Date; batchSize?: number } = {},
): Promise<{ skipped: "off" | "no tiers" | null; messaged: number }> {
  const setting = await readMessageSetting(db, shop, "tier_at_risk");
  if (!setting.enabled) return { skipped: "off", messaged: 0 };
  const { program } = await tierContext(db, shop);
  if (!program) return { skipped: "no tiers", messaged: 0 };
  const days = wholeOption(setting.options, "days", TIER_AT_RISK_DEFAULT_DAYS, { min: 1, max: 365 });
  const until = new Date(now.getTime() + days * DAY_MS).toISOString();
  let messaged = 0;
  let cursor = 0;
  for (let more = true; more;) {
    await db.transaction(async (tx) => {
      const members = await tiersEnding.all(tx, { shop, now: now.toISOString(), until, afterId: cursor, limit: batchSize });
      for (const member of members) {
        const tier = tierById(program, member.tier_id);
        // A total that already keeps the tier puts nothing at risk.
        if (!tier || Number(member.tier_total) >= tier.threshold) continue;
        const periodEnd = iso(member.tier_kept_until!);
        const sent = await sendMemberMessage(
          tx,
          shop,
          member.id,
          { kind: "tier_at_risk", tierId: tier.id, periodEnd },
          { localized: (locale) => ({ tier: tierName(tier, locale) }), dates: { expiry_date: periodEnd } },
          now,
        );
        if (sent.ok) messaged++;
      }
      more = members.length === batchSize;
      if (members.length > 0) cursor = members[members.length - 1].id;
    });
  }
  return { skipped: null, messaged };
}

/** Each installed shop's run of its local day, due at 10:00 there. */
async function enqueueDailyMessageRuns(db: Db, now: Date): Promise<void> {
  const jobs = (await installedShopZones.all(db, {})).map(({ domain, time_zone: timeZone }) => {
    const date = localDateKey(now, timeZone);
    const runAt = new Date(startOfLocalDay(date, timeZone).getTime() + RUN_HOUR * 3_600_000);
    return { shop: domain, kind: DAILY_MESSAGES_JOB, key: dailyMessagesJobKey(domain, date), payload: { date }, runAt };
  });
  await enqueueJobs(db, jobs, now);
}

/** Today's scheduler run (UTC day), due now; every worker calls it at start-up. */
export async function enqueueDailyMessagesScheduler(db: Db, now: Date = new Date()): Promise<void> {
  await enqueueJob(db, { shop: "", kind: DAILY_MESSAGES_SCHEDULER_JOB, key: schedulerKey(localDateKey(now, "UTC")), runAt: now }, now);
}

export function dailyMessagesJobHandlers({ batchSize = WIN_BACK_BATCH_SIZE }: { batchSize?: number } = {}): Record<string, JobHandler> {
  return {
    [DAILY_MESSAGES_JOB]: async ({ db, shop, payload, now }) => {
      const { date } = payload as { date?: unknown };
      if (typeof date !== "string" || !parseDateKey(date)) throw new Error(`win-back job without a calendar date: ${JSON.stringify(payload)}`);
      await sendWinBackMessages(db, shop, { now, batchSize });
      await sendTierAtRiskMessages(db, shop, { now, batchSize });
    },
    [DAILY_MESSAGES_SCHEDULER_JOB]: async ({ db, now }) => {
      await db.transaction(async (tx) => {
        await enqueueDailyMessageRuns(tx, now);
        const tomorrow = nextDateKey(localDateKey(now, "UTC"));
        await enqueueJob(tx, { shop: "", kind: DAILY_MESSAGES_SCHEDULER_JOB, key: schedulerKey(tomorrow), runAt: startOfLocalDay(tomorrow, "UTC") }, now);
      });
    },
  };
}
