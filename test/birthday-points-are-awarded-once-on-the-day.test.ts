import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../app/db/types";
import { runDueJobs, type JobHandler } from "../app/jobs/queue.server";
import {
  awardBirthdaysOfDay,
  BIRTHDAY_JOB,
  BIRTHDAY_SCHEDULER_JOB,
  birthdayJobHandlers,
  enqueueBirthdayJob,
  enqueueBirthdayScheduler,
  startBirthdayJobs,
} from "../app/models/birthdays.server";
import { METAFIELD_SYNC_JOB } from "../app/models/metafields.server";
import { ensureShop, markUninstalled } from "../app/models/shops.server";
import { saveTierProgram } from "../app/models/tiers.server";
import { tierInput } from "./support/tiers";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./support/database";
import { balanceOf, createMember } from "./support/members";

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database.drop();
});
afterEach(async () => {
  expect(await ledgerMismatches(db)).toEqual([]);
  // Each test's chain of daily jobs stays its own.
  await db.raw.run('DELETE FROM "jobs"');
});

/** Two members a batch, so every day here takes several transactions. */
const handlers: Record<string, JobHandler> = {
  ...birthdayJobHandlers({ batchSize: 2 }),
  // Each credit re-arms the shop's metafield sync; syncing Shopify is not what this file proves.
  [METAFIELD_SYNC_JOB]: async () => {},
};

let shops = 0;

/** An installed shop in a time zone with a birthday way to earn (100 points, once a year, 30 days' notice unless told). */
async function birthdayShop({
  timeZone = "UTC",
  status = "live",
  points = 100,
}: { timeZone?: string; status?: "live" | "dry_run" | "off" | null; points?: number } = {}) {
  const shop = `birthdays-${++shops}.myshopify.com`;
  await installShop(db, shop);
  await db.raw.run('UPDATE "shops" SET "time_zone" = ? WHERE "domain" = ?', [timeZone, shop]);
  if (status !== null) {
    const now = new Date().toISOString();
    await db.raw.run(
      `INSERT INTO "earning_rules" ("shop", "kind", "status", "points", "limit_count", "limit_period", "position", "created_at", "updated_at")
       VALUES (?, 'birthday', ?, ?, 1, 'year', 2, ?, ?)`,
      [shop, status, points, now, now],
    );
  }
  return shop;
}

/** A member with a birthday ("MM-DD"), saved long before it unless told. */
async function memberBorn(shop: string, birthday: string | null, { savedAt = "2024-01-01T00:00:00.000Z" }: { savedAt?: string | null } = {}) {
  const member = await createMember(db, shop);
  await db.raw.run('UPDATE "members" SET "birthday" = ?, "birthday_set_at" = ? WHERE "id" = ?', [birthday, savedAt, member.id]);
  return member;
}

const birthdayEntries = (shop: string) =>
  db.raw.all<{ member_id: number; source_key: string; delta: number; kind: string; rule_id: number | null; created_at: string }>(
    `SELECT "member_id", "source_key", "delta", "kind", "rule_id", "created_at" FROM "ledger_entries" WHERE "shop" = ? ORDER BY "id"`,
    [shop],
  );

const birthdayJob = (shop: string, date: string) =>
  db.raw.get<{ run_at: string; payload: string; done_at: string | null; attempts: number }>(
    'SELECT "run_at", "payload", "done_at", "attempts" FROM "jobs" WHERE "job_key" = ?',
    [`birthdays:${shop}:${date}`],
  );

/** Runs every due job at `now` until none is left. */
async function runJobsAt(now: string, runHandlers = handlers) {
  const totals = { done: 0, retried: 0, failed: 0 };
  for (let round = 0; round < 10; round++) {
    const report = await runDueJobs(db, runHandlers, { now: new Date(now) });
    totals.done += report.done;
    totals.retried += report.retried;
    totals.failed += report.failed;
    if (report.done + report.retried + report.failed === 0) break;
  }
  return totals;
}

describe("the day's birthday job", () => {
  it("pays members whose birthday is today, once each, and leaves tomorrow's, the redacted and those with no birthday", async () => {
    const shop = await birthdayShop();
    const today = await Promise.all(Array.from({ length: 5 }, () => memberBorn(shop, "12-03")));
    const tomorrow = await memberBorn(shop, "12-04");
    const noBirthday = await memberBorn(shop, null);
    const redacted = await memberBorn(shop, "12-03");
    await db.raw.run('UPDATE "members" SET "redacted_at" = ? WHERE "id" = ?', ["2026-11-01T00:00:00.000Z", redacted.id]);

    await startBirthdayJobs(db, shop, "UTC", new Date("2026-12-02T23:59:00.000Z"));
    expect((await birthdayJob(shop, "2026-12-02"))?.run_at).toBe("2026-12-02T00:00:00.000Z");
    await runJobsAt("2026-12-02T23:59:00.000Z");
    expect(await birthdayEntries(shop)).toEqual([]);

    await runJobsAt("2026-12-03T00:00:05.000Z");
    const entries = await birthdayEntries(shop);
    expect(entries.map((entry) => entry.member_id).sort()).toEqual(today.map((member) => member.id).sort());
    expect(entries[0]).toMatchObject({ kind: "birthday", delta: 100, created_at: "2026-12-03T00:00:05.000Z" });
    expect(entries.map((entry) => entry.source_key).sort()).toEqual(today.map((member) => `birthday:${member.customerId}:2026`).sort());
    for (const member of today) expect(await balanceOf(db, member.id)).toBe(100);
    for (const member of [tomorrow, noBirthday, redacted]) expect(await balanceOf(db, member.id)).toBe(0);

    await runJobsAt("2026-12-04T00:00:05.000Z");
    expect(await balanceOf(db, tomorrow.id)).toBe(100);
    expect(await birthdayEntries(shop)).toHaveLength(6);
  });

  it("pays a VIP tier's own birthday points in place of the rule's, and the rule's to members of other tiers or none", async () => {
    const shop = await birthdayShop();
    const tier = (rank: number, name: string, birthdayPoints: number | null) => tierInput(rank, name, { birthdayPoints });
    await saveTierProgram(
      db,
      shop,
      {
        enabled: true,
        basis: "points_earned",
        period: { kind: "lifetime" },
        retention: "period_and_next",
        adjustmentsCount: false,
        tagPrefix: null,
        tiers: [tier(1, "Silver", null), tier(2, "Gold", 250)],
      },
      "2026-11-01T00:00:00.000Z",
    );
    const ids = await db.raw.all<{ id: number; rank: number }>('SELECT "id", "rank" FROM "tiers" WHERE "shop" = ?', [shop]);
    const [silver, gold, none] = [await memberBorn(shop, "12-03"), await memberBorn(shop, "12-03"), await memberBorn(shop, "12-03")];
    await db.raw.run('UPDATE "members" SET "tier_id" = ? WHERE "id" = ?', [ids.find((t) => t.rank === 1)!.id, silver.id]);
    await db.raw.run('UPDATE "members" SET "tier_id" = ? WHERE "id" = ?', [ids.find((t) => t.rank === 2)!.id, gold.id]);

    await awardBirthdaysOfDay(db, shop, "2026-12-03", { now: new Date("2026-12-03T09:00:00.000Z") });
    await awardBirthdaysOfDay(db, shop, "2026-12-03", { now: new Date("2026-12-03T09:00:00.000Z") });
    expect([await balanceOf(db, silver.id), await balanceOf(db, gold.id), await balanceOf(db, none.id)]).toEqual([100, 250, 100]);
    const breakdown = await db.raw.get<{ breakdown: string }>('SELECT "breakdown" FROM "ledger_entries" WHERE "member_id" = ?', [gold.id]);
    expect(JSON.parse(breakdown!.breakdown)).toEqual([{ label: "Gold birthday", points: 250 }]);
  });

  it("enqueues the next day's job at the shop's next local midnight when it is done", async () => {
    const shop = await birthdayShop({ timeZone: "America/Los_Angeles" });
    await memberBorn(shop, "03-08");
    await enqueueBirthdayJob(db, shop, "2026-03-07", "America/Los_Angeles");
    expect((await birthdayJob(shop, "2026-03-07"))?.run_at).toBe("2026-03-07T08:00:00.000Z");

    await runJobsAt("2026-03-07T08:00:01.000Z");
    expect(await birthdayJob(shop, "2026-03-07")).toMatchObject({ done_at: expect.any(String) });
    // Clocks go forward in the night of 8 March: the 9th starts seven hours after UTC midnight, not eight.
    expect(await birthdayJob(shop, "2026-03-08")).toMatchObject({ run_at: "2026-03-08T08:00:00.000Z", payload: '{"date":"2026-03-08"}', done_at: null });
    await runJobsAt("2026-03-08T08:00:01.000Z");
    expect(await birthdayEntries(shop)).toHaveLength(1);
    expect(await birthdayJob(shop, "2026-03-09")).toMatchObject({ run_at: "2026-03-09T07:00:00.000Z", done_at: null });
  });

  it("pays 29 February birthdays on 28 February outside leap years, and on the 29th in them", async () => {
    const shop = await birthdayShop();
    const leapling = await memberBorn(shop, "02-29");
    const twentyEighth = await memberBorn(shop, "02-28");
    const first = await memberBorn(shop, "03-01");

    await enqueueBirthdayJob(db, shop, "2027-02-28", "UTC");
    await runJobsAt("2027-02-28T00:00:01.000Z");
    expect((await birthdayEntries(shop)).map((entry) => entry.source_key).sort()).toEqual(
      [`birthday:${leapling.customerId}:2027`, `birthday:${twentyEighth.customerId}:2027`].sort(),
    );
    await runJobsAt("2027-03-01T00:00:01.000Z");
    expect(await balanceOf(db, first.id)).toBe(100);
    expect(await balanceOf(db, leapling.id)).toBe(100);

    await db.raw.run('DELETE FROM "jobs"');
    await enqueueBirthdayJob(db, shop, "2028-02-28", "UTC");
    await runJobsAt("2028-02-28T00:00:01.000Z");
    expect(await balanceOf(db, twentyEighth.id)).toBe(200);
    expect(await balanceOf(db, leapling.id)).toBe(100);
    await runJobsAt("2028-02-29T00:00:01.000Z");
    expect(await balanceOf(db, leapling.id)).toBe(200);
    expect((await birthdayEntries(shop)).at(-1)?.source_key).toBe(`birthday:${leapling.customerId}:2028`);
  });

  it("keeps each shop's own calendar: at one instant it is already 4 December in Auckland and still 3 December in Los Angeles", async () => {
    const auckland = await birthdayShop({ timeZone: "Pacific/Auckland" });
    const losAngeles = await birthdayShop({ timeZone: "America/Los_Angeles" });
    const members = {
      auckland3: await memberBorn(auckland, "12-03"),
      auckland4: await memberBorn(auckland, "12-04"),
      losAngeles3: await memberBorn(losAngeles, "12-03"),
      losAngeles4: await memberBorn(losAngeles, "12-04"),
    };
    const instant = "2026-12-03T11:30:00.000Z";
    await startBirthdayJobs(db, auckland, "Pacific/Auckland", new Date(instant));
    await startBirthdayJobs(db, losAngeles, "America/Los_Angeles", new Date(instant));
    expect((await birthdayJob(auckland, "2026-12-04"))?.run_at).toBe("2026-12-03T11:00:00.000Z");
    expect((await birthdayJob(losAngeles, "2026-12-03"))?.run_at).toBe("2026-12-03T08:00:00.000Z");

    await runJobsAt(instant);
    expect(await balanceOf(db, members.auckland4.id)).toBe(100);
    expect(await balanceOf(db, members.auckland3.id)).toBe(0);
    expect(await balanceOf(db, members.losAngeles3.id)).toBe(100);
    expect(await balanceOf(db, members.losAngeles4.id)).toBe(0);
    expect((await birthdayJob(auckland, "2026-12-05"))?.run_at).toBe("2026-12-04T11:00:00.000Z");
    expect((await birthdayJob(losAngeles, "2026-12-04"))?.run_at).toBe("2026-12-04T08:00:00.000Z");

    // 07:59 UTC on the 4th is still the 3rd in Los Angeles: nothing more is due there.
    await runJobsAt("2026-12-04T07:59:00.000Z");
    expect(await balanceOf(db, members.losAngeles4.id)).toBe(0);
    await runJobsAt("2026-12-04T08:00:00.000Z");
    expect(await balanceOf(db, members.losAngeles4.id)).toBe(100);
  });

  it("pays a birthday saved ten days before it from the next year", async () => {
    const shop = await birthdayShop();
    const late = await memberBorn(shop, "12-03", { savedAt: "2026-11-23T09:00:00.000Z" });
    const early = await memberBorn(shop, "12-03", { savedAt: "2026-10-01T09:00:00.000Z" });

    await enqueueBirthdayJob(db, shop, "2026-12-03", "UTC");
    await runJobsAt("2026-12-03T06:00:00.000Z");
    expect(await balanceOf(db, late.id)).toBe(0);
    expect(await balanceOf(db, early.id)).toBe(100);

    await db.raw.run('DELETE FROM "jobs"');
    await enqueueBirthdayJob(db, shop, "2027-12-03", "UTC");
    await runJobsAt("2027-12-03T06:00:00.000Z");
    expect(await balanceOf(db, late.id)).toBe(100);
    expect(await balanceOf(db, early.id)).toBe(200);
    expect((await birthdayEntries(shop)).map((entry) => entry.source_key)).toContain(`birthday:${late.customerId}:2027`);
  });

  it("repeats nothing when it runs again after dying between batches, resuming from its cursor", async () => {
    const shop = await birthdayShop();
    const members = await Promise.all(Array.from({ length: 5 }, () => memberBorn(shop, "07-14")));
    await enqueueBirthdayJob(db, shop, "2026-07-14", "UTC");

    // The process dies as the second batch starts: the first batch (two members) is committed with its cursor.
    let transactions = 0;
    const dying: Database = {
      ...db,
      transaction: (fn) => {
        if (++transactions === 2) return Promise.reject(new Error("the process died"));
        return db.transaction(fn);
      },
    };
    const crashing: Record<string, JobHandler> = { ...handlers, [BIRTHDAY_JOB]: (context) => handlers[BIRTHDAY_JOB]({ ...context, db: dying }) };
    expect(await runDueJobs(db, crashing, { now: new Date("2026-07-14T00:00:01.000Z") })).toMatchObject({ done: 0, retried: 1 });
    expect(await birthdayEntries(shop)).toHaveLength(2);
    const sorted = members.map((member) => member.id).sort((a, b) => a - b);
    expect(JSON.parse((await birthdayJob(shop, "2026-07-14"))!.payload)).toEqual({ date: "2026-07-14", afterId: sorted[1] });
    expect(await birthdayJob(shop, "2026-07-15")).toBeUndefined();

    // Its retry (later the same day) pays the other three.
    await runJobsAt("2026-07-14T02:00:00.000Z");
    expect(await birthdayEntries(shop)).toHaveLength(5);
    for (const member of members) expect(await balanceOf(db, member.id)).toBe(100);
    expect(await birthdayJob(shop, "2026-07-15")).toMatchObject({ done_at: null });

    // Even run again from the start (the cursor lost), the day pays no one twice.
    await db.raw.run('UPDATE "jobs" SET "done_at" = NULL, "payload" = ? WHERE "job_key" = ?', ['{"date":"2026-07-14"}', `birthdays:${shop}:2026-07-14`]);
    await runJobsAt("2026-07-14T03:00:00.000Z");
    expect(await birthdayJob(shop, "2026-07-14")).toMatchObject({ done_at: expect.any(String) });
    expect(await birthdayEntries(shop)).toHaveLength(5);
    for (const member of members) expect(await balanceOf(db, member.id)).toBe(100);
  });

  it("pays each member once when two workers race for the day", async () => {
    const shop = await birthdayShop();
    const members = await Promise.all(Array.from({ length: 7 }, () => memberBorn(shop, "05-20")));
    await enqueueBirthdayJob(db, shop, "2026-05-20", "UTC");
    const now = new Date("2026-05-20T00:00:01.000Z");

    await Promise.all([
      runDueJobs(db, handlers, { now, worker: "a" }),
      runDueJobs(db, handlers, { now, worker: "b" }),
      // A worker whose lease has lapsed runs the same day beside them.
      awardBirthdaysOfDay(db, shop, "2026-05-20", { now, batchSize: 3 }),
      awardBirthdaysOfDay(db, shop, "2026-05-20", { now, batchSize: 2 }),
    ]);
    expect(await birthdayJob(shop, "2026-05-20")).toMatchObject({ attempts: 1, done_at: expect.any(String) });
    expect(await birthdayEntries(shop)).toHaveLength(7);
    for (const member of members) expect(await balanceOf(db, member.id)).toBe(100);
    expect(await db.raw.get('SELECT COUNT(*) AS "n" FROM "jobs" WHERE "job_key" = ?', [`birthdays:${shop}:2026-05-21`])).toEqual({ n: 1 });
  });

  it("awards nothing in a shop whose birthday way to earn is off, or that has none, and keeps the daily chain going", async () => {
    const off = await birthdayShop({ status: "off" });
    const none = await birthdayShop({ status: null });
    const offMember = await memberBorn(off, "09-09");
    const noneMember = await memberBorn(none, "09-09");
    await enqueueBirthdayJob(db, off, "2026-09-09", "UTC");
    await enqueueBirthdayJob(db, none, "2026-09-09", "UTC");

    expect(await awardBirthdaysOfDay(db, off, "2026-09-09", { now: new Date("2026-09-09T01:00:00.000Z") })).toMatchObject({
      skipped: "no birthday way to earn",
      members: 0,
      nextDay: "2026-09-10",
    });
    await runJobsAt("2026-09-09T01:00:00.000Z");
    expect(await balanceOf(db, offMember.id)).toBe(0);
    expect(await balanceOf(db, noneMember.id)).toBe(0);
    expect(await db.raw.get('SELECT COUNT(*) AS "n" FROM "dry_run_awards" WHERE "shop" IN (?, ?)', [off, none])).toEqual({ n: 0 });
    expect(await birthdayJob(off, "2026-09-10")).toMatchObject({ done_at: null });
    expect(await birthdayJob(none, "2026-09-10")).toMatchObject({ done_at: null });
  });

  it("records what a dry-run birthday way to earn would have paid, once, and credits nothing", async () => {
    const shop = await birthdayShop({ status: "dry_run", points: 250 });
    const member = await memberBorn(shop, "10-31");
    await enqueueBirthdayJob(db, shop, "2026-10-31", "UTC");
    expect(await awardBirthdaysOfDay(db, shop, "2026-10-31", { now: new Date("2026-10-31T12:00:00.000Z") })).toMatchObject({ awarded: 0, dryRuns: 1 });
    // The job itself runs the day again: its dry run is already recorded.
    await runJobsAt("2026-10-31T13:00:00.000Z");
    expect(await birthdayJob(shop, "2026-10-31")).toMatchObject({ done_at: expect.any(String) });

    expect(await birthdayEntries(shop)).toEqual([]);
    expect(await balanceOf(db, member.id)).toBe(0);
    expect(await db.raw.all('SELECT "member_id", "source_key", "points" FROM "dry_run_awards" WHERE "shop" = ?', [shop])).toEqual([
      { member_id: member.id, source_key: `dry:birthday:${member.customerId}:2026`, points: 250 },
    ]);
  });

  it("ends the chain of a shop that uninstalled the app", async () => {
    const shop = await birthdayShop();
    const member = await memberBorn(shop, "04-01");
    await enqueueBirthdayJob(db, shop, "2026-04-01", "UTC");
    await markUninstalled(db, shop, "2026-03-31T10:00:00.000Z");
    await runJobsAt("2026-04-01T00:00:01.000Z");
    expect(await balanceOf(db, member.id)).toBe(0);
    expect(await birthdayJob(shop, "2026-04-01")).toMatchObject({ done_at: expect.any(String) });
    expect(await birthdayJob(shop, "2026-04-02")).toBeUndefined();
  });
});

describe("starting the chain of daily birthday jobs", () => {
  it("starts at install, in the shop's time zone, with the default birthday way to earn", async () => {
    const shop = "birthdays-installed.myshopify.com";
    await ensureShop(db, shop, "2026-06-30T20:00:00.000Z", "NZD", "Pacific/Auckland");
    // 08:00 on 1 July in Auckland.
    expect(await birthdayJob(shop, "2026-07-01")).toMatchObject({ run_at: "2026-06-30T12:00:00.000Z", done_at: null });
    const member = await memberBorn(shop, "07-01");
    await runJobsAt("2026-06-30T20:00:00.000Z");
    expect(await balanceOf(db, member.id)).toBe(100);
  });

  it("the daily scheduler enqueues today's job for every installed shop that has none, and its own run for tomorrow", async () => {
    const withChain = await birthdayShop({ timeZone: "Pacific/Auckland" });
    const withoutChain = await birthdayShop({ timeZone: "America/Los_Angeles" });
    const uninstalled = await birthdayShop();
    await markUninstalled(db, uninstalled, "2026-08-01T00:00:00.000Z");
    const now = new Date("2026-08-10T00:30:00.000Z");
    await enqueueBirthdayJob(db, withChain, "2026-08-10", "Pacific/Auckland");
    await db.raw.run('UPDATE "jobs" SET "done_at" = ? WHERE "job_key" = ?', [now.toISOString(), `birthdays:${withChain}:2026-08-10`]);
    const member = await memberBorn(withoutChain, "08-09");

    await enqueueBirthdayScheduler(db, now);
    await enqueueBirthdayScheduler(db, now);
    const onlyScheduler = { [BIRTHDAY_SCHEDULER_JOB]: handlers[BIRTHDAY_SCHEDULER_JOB] };
    expect(await runDueJobs(db, onlyScheduler, { now })).toMatchObject({ done: 1 });

    expect(await birthdayJob(withChain, "2026-08-10")).toMatchObject({ done_at: now.toISOString() });
    expect(await birthdayJob(withoutChain, "2026-08-09")).toMatchObject({ run_at: "2026-08-09T07:00:00.000Z", done_at: null });
    expect(await db.raw.get('SELECT COUNT(*) AS "n" FROM "jobs" WHERE "shop" = ?', [uninstalled])).toEqual({ n: 0 });
    expect(await db.raw.get('SELECT "run_at", "done_at" FROM "jobs" WHERE "job_key" = ?', ["birthdays:scheduler:2026-08-11"])).toEqual({
      run_at: "2026-08-11T00:00:00.000Z",
      done_at: null,
    });
    await runJobsAt(now.toISOString());
    expect(await balanceOf(db, member.id)).toBe(100);
  });
});
