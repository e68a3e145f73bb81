import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { lockedSkippingLocked } from "../db/dialect";
import { prepare } from "../db/prepared";
import type { Database, DB, Db } from "../db/types";

/** What a handler gets: the job, its decoded payload, and the database. */
export interface JobContext<P = Record<string, unknown>> {
  db: Database;
  shop: string;
  payload: P;
  attempt: number;
  now: Date;
}

export type JobHandler = (context: JobContext<any>) => Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Thrown by a handler to say "not now, try again later" without it counting as a failure. */
export class RetryLater extends Error {}

/** Thrown by a handler when running it again can only fail the same way (Shopify refused what it was sent): the job fails now. */
export class PermanentJobFailure extends Error {}

export interface NewJob {
  shop: string;
  kind: string;
  /** Unique: enqueueing the same key twice keeps one job. */
  key: string;
  payload?: Record<string, unknown>;
  runAt: Date;
}

type JobParams = { shop: string; kind: string; key: string; payload: string; runAt: string; now: string };

const newJobRow = (q: Kysely<DB>, p: JobParams) =>
  q.insertInto("jobs").values({ shop: p.shop, kind: p.kind, job_key: p.key, payload: p.payload, run_at: p.runAt, created_at: p.now });

const jobParams = (job: NewJob, now: Date): JobParams => ({
  shop: job.shop,
  kind: job.kind,
  key: job.key,
  payload: JSON.stringify(job.payload ?? {}),
  runAt: job.runAt.toISOString(),
  now: now.toISOString(),
});

const insertJob = prepare((q, p: JobParams) => newJobRow(q, p).onConflict((conflict) => conflict.column("job_key").doNothing()));

/** Enqueues a job in the caller's transaction, so it exists exactly when the change that needs it does. */
export async function enqueueJob(db: Db, job: NewJob, now: Date = new Date()): Promise<void> {
  await insertJob.run(db, jobParams(job, now));
}

/** Jobs inserted per statement by enqueueJobs. */
const ENQUEUE_CHUNK = 200;

/**
 * Enqueues many jobs, a few hundred rows per statement (a daily scheduler's one job per shop);
 * a key that exists keeps its job. Returns how many were new.
 */
export async function enqueueJobs(db: Db, jobs: readonly NewJob[], now: Date = new Date()): Promise<number> {
  let enqueued = 0;
  for (let from = 0; from < jobs.length; from += ENQUEUE_CHUNK) {
    const rows = jobs.slice(from, from + ENQUEUE_CHUNK).map((job) => {
      const p = jobParams(job, now);
      return { shop: p.shop, kind: p.kind, job_key: p.key, payload: p.payload, run_at: p.runAt, created_at: p.now };
    });
    const result = await db.query
      .insertInto("jobs")
      .values(rows)
      .onConflict((conflict) => conflict.column("job_key").doNothing())
      .executeTakeFirst();
    enqueued += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return enqueued;
}

const rearm = prepare((q, p: JobParams) =>
  newJobRow(q, p).onConflict((conflict) =>
    conflict.column("job_key").doUpdateSet({
      done_at: null,
      failed_at: null,
      attempts: 0,
      // A job already due keeps its earlier time.
      run_at: sql<string>`CASE WHEN "jobs"."done_at" IS NULL AND "jobs"."run_at" < excluded."run_at" THEN "jobs"."run_at" ELSE excluded."run_at" END`,
    }),
  ),
);

/**
 * Makes a job due again (or creates it): for work that coalesces, such as "this shop has
 * metafields to sync". Re-arming a job that is running resets its attempts, which keeps the
 * running worker from marking it done, so the change that re-armed it is never lost; its lease
 * stays, so no other worker runs it alongside (two syncs could land in Shopify out of order):
 * the running worker hands it back when it finishes.
 */
export async function rearmJob(db: Db, job: NewJob, now: Date = new Date()): Promise<void> {
  await rearm.run(db, jobParams(job, now));
}

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;

/** 30 s, 1 min, 2 min ... capped at 1 hour, with jitter so retries of many jobs spread out. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Claims up to `limit` due jobs with a lease. On PostgreSQL SKIP LOCKED lets instances claim
 * different jobs at once; on SQLite the single writer serialises claims.
 */
async function claimDueJobs(db: Database, now: Date, limit: number, worker: string) {
  const at = now.toISOString();
  return db.transaction((tx) =>
    tx.query
      .updateTable("jobs")
      .set((eb) => ({ locked_until: new Date(now.getTime() + LEASE_MS).toISOString(), locked_by: worker, attempts: eb("attempts", "+", 1) }))
      .where("id", "in", (eb) =>
        lockedSkippingLocked(
          tx.dialect,
          eb
            .selectFrom("jobs")
            .select("id")
            .where("done_at", "is", null)
            .where("run_at", "<=", at)
            .where((inner) => inner.or([inner("locked_until", "is", null), inner("locked_until", "<", at)]))
            .orderBy("run_at")
            .limit(limit),
        ),
      )
      .returning(["id", "shop", "kind", "job_key", "payload", "attempts"])
      .execute(),
  );
}

/** Runs every job that is due now, once each; returns what happened, for logs and tests. */
export async function runDueJobs(
  db: Database,
  handlers: Record<string, JobHandler>,
  { now = new Date(), limit = 50, worker = `worker-${process.pid}`, random = Math.random } = {},
) {
  const jobs = await claimDueJobs(db, now, limit, worker);
  const report = { done: 0, retried: 0, failed: 0 };
  for (const job of jobs) {
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler({ db, shop: job.shop, payload: JSON.parse(job.payload), attempt: job.attempts, now });
      // Only the run that claimed it finishes it: a re-arm meanwhile reset attempts.
      const finished = await db.query
        .updateTable("jobs")
        .set({ done_at: new Date().toISOString(), locked_until: null, last_error: null })
        .where("id", "=", job.id)
        .where("attempts", "=", job.attempts)
        .executeTakeFirst();
      // Re-armed while it ran: due again, for the next claim (the lease is still this worker's).
      if (finished.numUpdatedRows === 0n) {
        await db.query.updateTable("jobs").set({ locked_until: null }).where("id", "=", job.id).where("locked_by", "=", worker).execute();
      }
      report.done++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const finalAttempt = error instanceof PermanentJobFailure || (job.attempts >= MAX_ATTEMPTS && !(error instanceof RetryLater));
      if (finalAttempt) {
        const at = new Date().toISOString();
        await db.query
          .updateTable("jobs")
          .set({ done_at: at, failed_at: at, locked_until: null, last_error: message.slice(0, 1000) })
          .where("id", "=", job.id)
          .execute();
        console.error(`job ${job.kind} ${job.job_key} gave up after ${job.attempts} attempts: ${message}`);
        report.failed++;
      } else {
        await db.query
          .updateTable("jobs")
          .set({ run_at: new Date(now.getTime() + backoffMs(job.attempts, random)).toISOString(), locked_until: null, last_error: message.slice(0, 1000) })
          .where("id", "=", job.id)
          .execute();
        report.retried++;
      }
    }
  }
  return report;
}

/** Polls for due jobs until stopped. One per app process; any number of processes may run. */
export function startJobWorker(db: Database, handlers: Record<string, JobHandler>, { intervalMs = 2000 } = {}) {
  const worker = `worker-${randomUUID().slice(0, 8)}`;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const report = await runDueJobs(db, handlers, { worker });
      if (!stopped) timer = setTimeout(tick, report.done + report.retried + report.failed > 0 ? 0 : intervalMs);
    } catch (error) {
      console.error("job worker tick failed", error);
      if (!stopped) timer = setTimeout(tick, intervalMs);
    }
  };
  timer = setTimeout(tick, intervalMs);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
