import { sql } from "kysely";
import { prepare } from "../db/prepared";
import type { Database, Db } from "../db/types";
import type { LedgerKind } from "../domain/ledger";
import { localDateKey, nextDateKey, parseDateKey, startOfLocalDay } from "../domain/local-days";
import { enqueueJob, type JobHandler } from "../jobs/queue.server";
import { sendMemberMessage } from "./messages.server";

// The member messages that follow points being credited (issue 14), from the one place every
// credit goes through (the ledger's append): "a reward is now affordable" in the same transaction,
// and the day's "points earned" summary as a job per member and local day, due the next morning,
// which sums what the day's entries earned. Both only when the merchant turned them on.

/** The kinds that are points earned (a summary counts them; a reward nudge follows them). */
export const EARNING_KINDS: ReadonlySet<LedgerKind> = new Set<LedgerKind>([
  "earned",
  "order_bonus",
  "campaign_bonus",
  "signup",
  "birthday",
  "newsletter",
  "social",
  "review",
  "custom_action",
  "tier_bonus",
  "win_back_bonus",
  "referral",
]);

export const POINTS_EARNED_JOB = "messages.points_earned";
/** The summary goes out at this local hour of the next day. */
const SUMMARY_HOUR = 9;

export const pointsEarnedJobKey = (shop: string, memberId: number, date: string) => `points_earned:${shop}:${memberId}:${date}`;

const creditMessagesOn = prepare((q, p: { shop: string }) =>
  q
    .selectFrom("message_settings")
    .innerJoin("shops", "shops.domain", "message_settings.shop")
    .select(["message_settings.kind", "shops.time_zone"])
    .where("message_settings.shop", "=", p.shop)
    .where("message_settings.kind", "in", ["reward_affordable", "points_earned"])
    .where("message_settings.enabled", "=", true),
);

const memberBalance = prepare((q, p: { id: number }) => q.selectFrom("members").select(["balance", "tier_id"]).where("id", "=", p.id));

/** The dearest reward every member may redeem whose cost the balance reached with this credit. */
const rewardCrossed = prepare((q, p: { shop: string; before: number; after: number }) =>
  q
    .selectFrom("rewards")
    .select(["id", "name", "points_cost"])
    .where("shop", "=", p.shop)
    .where("enabled", "=", true)
    .where("tier_ids", "is", null)
    .where("points_cost", ">", p.before)
    .where("points_cost", "<=", p.after)
    .orderBy("points_cost", "desc")
    .orderBy("id")
    .limit(1),
);

export interface CreditedEntry {
  shop: string;
  memberId: number;
  delta: number;
  kind: LedgerKind;
}

/** After the ledger took these entries (one shop's), in their transaction. */
export async function messagesAfterCredit(db: Db, entries: readonly CreditedEntry[], now: string): Promise<void> {
  const earned = entries.filter((entry) => entry.delta > 0 && EARNING_KINDS.has(entry.kind));
  if (earned.length === 0) return;
  const shop = earned[0].shop;
  const on = await creditMessagesOn.all(db, { shop });
  if (on.length === 0) return;
  const kinds = new Set(on.map((row) => row.kind));
  const timeZone = on[0].time_zone;
  const byMember = new Map<number, number>();
  for (const entry of earned) byMember.set(entry.memberId, (byMember.get(entry.memberId) ?? 0) + entry.delta);
  for (const [memberId, points] of byMember) {
    if (kinds.has("points_earned")) {
      const date = localDateKey(new Date(now), timeZone);
      const runAt = new Date(startOfLocalDay(nextDateKey(date), timeZone).getTime() + SUMMARY_HOUR * 3_600_000);
      await enqueueJob(db, { shop, kind: POINTS_EARNED_JOB, key: pointsEarnedJobKey(shop, memberId, date), payload: { memberId, date }, runAt }, new Date(now));
    }
    if (kinds.has("reward_affordable")) {
      const member = await memberBalance.first(db, { id: memberId });
      if (!member) continue;
      const reward = await rewardCrossed.first(db, { shop, before: member.balance - points, after: member.balance });
      if (!reward) continue;
      await sendMemberMessage(
        db,
        shop,
        memberId,
        { kind: "reward_affordable", rewardId: reward.id, balanceCrossedAt: now },
        { values: { reward: reward.name, points } },
        new Date(now),
      );
    }
  }
}

const earnedOnDay = prepare((q, p: { shop: string; memberId: number; from: string; until: string }) =>
  q
    .selectFrom("ledger_entries")
    .select(sql<number | null>`SUM("delta")`.as("points"))
    .where("shop", "=", p.shop)
    .where("member_id", "=", p.memberId)
    .where("delta", ">", 0)
    .where("kind", "in", [...EARNING_KINDS])
    .where("created_at", ">=", p.from)
    .where("created_at", "<", p.until),
);

/** The day's summary for a member: what the day's entries earned, once per local day by its occasion. */
export async function sendPointsEarnedSummary(db: Db, shop: string, memberId: number, date: string, now: Date) {
  const timeZone = (await db.query.selectFrom("shops").select("time_zone").where("domain", "=", shop).executeTakeFirst())?.time_zone ?? "UTC";
  const from = startOfLocalDay(date, timeZone).toISOString();
  const until = startOfLocalDay(nextDateKey(date), timeZone).toISOString();
  const points = Number((await earnedOnDay.first(db, { shop, memberId, from, until }))?.points ?? 0);
  if (points <= 0) return null;
  return sendMemberMessage(db, shop, memberId, { kind: "points_earned", localDate: date }, { values: { points } }, now);
}

export function pointsEarnedJobHandlers(): Record<string, JobHandler> {
  return {
    [POINTS_EARNED_JOB]: async ({ db, shop, payload, now }: { db: Database; shop: string; payload: { memberId?: unknown; date?: unknown }; now: Date }) => {
      const { memberId, date } = payload;
      if (typeof memberId !== "number" || typeof date !== "string" || !parseDateKey(date)) {
        throw new Error(`points earned summary without a member and a day: ${JSON.stringify(payload)}`);
      }
      await db.transaction((tx) => sendPointsEarnedSummary(tx, shop, memberId, date, now));
    },
  };
}
