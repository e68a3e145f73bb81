import { randomUUID } from "node:crypto";
import type { SqlDatabase, SqlExecutor } from "../db/types";

export interface JobRow {
  id: number;
  shop: string;
  kind: string;
  job_key: string;
  payload: string;
  attempts: number;
}

/** What a handler gets: the job, its decoded payload, and the database. */
export interface JobContext<P = Record<string, unknown>> {
  db: SqlDatabase;
  shop: string;
  payload: P;
  attempt: number;
  now: Date;
}

export type JobHandler = (context: JobContext<any>) => Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Thrown by a handler to say "not now, try again later" without it counting as a failure. */
export class RetryLater extends Error {}

export interface NewJob {
  shop: string;
  kind: string;
  /** Unique: enqueueing the same key twice keeps one job. */
  key: string;
  payload?: Record<string, unknown>;
  runAt: Date;
}

/** Enqueues a job in the caller's transaction, so it exists exactly when the change that needs it does. */
export async function enqueueJob(db: SqlExecutor, job: NewJob, now: Date = new Date()): Promise<void> {
  await db.run(
    `INSERT INTO "jobs" ("shop", "kind", "job_key", "payload", "run_at", "created_at") VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT ("job_key") DO NOTHING`,
    [job.shop, job.kind, job.key, JSON.stringify(job.payload ?? {}), job.runAt.toISOString(), now.toISOString()],
  );
}

/**
 * Makes a job due again (or creates it): for work that coalesces, such as "this shop has
 * metafields to sync". Re-arming a job that is running resets its attempts, which keeps the
 * running worker from marking it done, so the change that re-armed it is never lost.
 */
export async function rearmJob(db: SqlExecutor, job: NewJob, now: Date = new Date()): Promise<void> {
  await db.run(
    `INSERT INTO "jobs" ("shop", "kind", "job_key", "payload", "run_at", "created_at") VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT ("job_key") DO UPDATE SET "done_at" = NULL, "failed_at" = NULL, "attempts" = 0, "locked_until" = NULL,
       "run_at" = CASE WHEN "jobs"."done_at" IS NULL AND "jobs"."run_at" < excluded."run_at" THEN "jobs"."run_at" ELSE excluded."run_at" END`,
    [job.shop, job.kind, job.key, JSON.stringify(job.payload ?? {}), job.runAt.toISOString(), now.toISOString()],
  );
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
async function claimDueJobs(db: SqlDatabase, now: Date, limit: number, worker: string): Promise<JobRow[]> {
  const skipLocked = db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
  const at = now.toISOString();
  return db.transaction((tx) =>
    tx.all<JobRow>(
      `UPDATE "jobs" SET "locked_until" = ?, "locked_by" = ?, "attempts" = "attempts" + 1
       WHERE "id" IN (
         SELECT "id" FROM "jobs"
         WHERE "done_at" IS NULL AND "run_at" <= ? AND ("locked_until" IS NULL OR "locked_until" < ?)
         ORDER BY "run_at" LIMIT ?${skipLocked}
       )
       RETURNING "id", "shop", "kind", "job_key", "payload", "attempts"`,
      [new Date(now.getTime() + LEASE_MS).toISOString(), worker, at, at, limit],
    ),
  );
}

/** Runs every job that is due now, once each; returns what happened, for logs and tests. */
export async function runDueJobs(
  db: SqlDatabase,
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
      await db.run(
        'UPDATE "jobs" SET "done_at" = ?, "locked_until" = NULL, "last_error" = NULL WHERE "id" = ? AND "attempts" = ?',
        [new Date().toISOString(), job.id, job.attempts],
      );
      report.done++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const finalAttempt = job.attempts >= MAX_ATTEMPTS && !(error instanceof RetryLater);
      if (finalAttempt) {
        const at = new Date().toISOString();
        await db.run(
          'UPDATE "jobs" SET "done_at" = ?, "failed_at" = ?, "locked_until" = NULL, "last_error" = ? WHERE "id" = ?',
          [at, at, message.slice(0, 1000), job.id],
        );
        console.error(`job ${job.kind} ${job.job_key} gave up after ${job.attempts} attempts: ${message}`);
        report.failed++;
      } else {
        await db.run('UPDATE "jobs" SET "run_at" = ?, "locked_until" = NULL, "last_error" = ? WHERE "id" = ?', [
          new Date(now.getTime() + backoffMs(job.attempts, random)).toISOString(),
          message.slice(0, 1000),
          job.id,
        ]);
        report.retried++;
      }
    }
  }
  return report;
}

/** Polls for due jobs until stopped. One per app process; any number of processes may run. */
export function startJobWorker(db: SqlDatabase, handlers: Record<string, JobHandler>, { intervalMs = 2000 } = {}) {
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
