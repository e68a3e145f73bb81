import { describe, expect, it } from "vitest";
import { enqueueExpiryScheduler, EXPIRY_JOB, expirePoints } from "../app/models/expiry.server";
import { jobHandlers } from "../app/runtime.server";
import { useEarningApp } from "./support/earning-app";
import { recordEntry } from "./support/members";
import { orderPayload, refundPayload } from "./support/shopify-payloads";

// Points expiry through the app's real server and its job queue, the clock in the test's hands:
// signed order webhooks earn (and move the member's last activity), the daily job writes each
// expiry once, shoppers read what expires and when, and a refund after expiry never takes the
// same points twice.

const earn = useEarningApp("2026-01-10T12:00:00.000Z");

/** An order of one 100.00 line: 100 points under the default purchase rule. */
const order = (customerId: number) => orderPayload({ customerId, lines: [{ price: "100.00", quantity: 1 }], shipping: "0.00", totalTax: "0.00" });

async function expiryShop(policy: "inactivity" | "age", months: number, settings: { pendingDays?: number } = {}) {
  const shop = await earn.shop(settings);
  await earn.db.query.updateTable("shops").set({ expiry_policy: policy, expiry_months: months }).where("domain", "=", shop).execute();
  return shop;
}

async function buy(shop: string, customerId: number, at: string) {
  earn.at(at);
  const payload = order(customerId);
  const response = await earn.deliver(shop, "orders/paid", payload);
  expect(response.status).toBe(200);
  return payload;
}

/** Every job due at `at`, run until none is left (the scheduler enqueues the day's jobs, which then run). */
async function runJobsAt(at: string, worker = "worker-a") {
  earn.at(at);
  await enqueueExpiryScheduler(earn.db, new Date(at));
  for (let round = 0; round < 10; round++) {
    const report = await earn.runJobs(at, worker);
    if (report.done + report.retried + report.failed === 0) break;
  }
}

const expiredEntries = (shop: string, customerId: number) => earn.entries(shop, customerId).then((rows) => rows.filter((row) => row.kind === "expired"));

describe("expiry after inactivity", () => {
  it("expires every point N months after the last earn, once, and shoppers see when", async () => {
    const shop = await expiryShop("inactivity", 12);
    await buy(shop, 501, "2026-01-10T12:00:00.000Z");
    expect(await earn.balance(shop, 501)).toBe(100);

    const read = (await earn.shopperRead(shop, 501)) as unknown as { pointsExpiring: unknown; expiryPolicy: unknown };
    expect(read.expiryPolicy).toEqual({ kind: "inactivity", months: 12 });
    expect(read.pointsExpiring).toEqual({ points: 100, expiresAt: "2027-01-10T12:00:00.000Z" });

    await runJobsAt("2027-01-10T00:00:00.000Z");
    expect(await earn.balance(shop, 501)).toBe(100);

    await runJobsAt("2027-01-11T00:00:00.000Z");
    expect(await earn.balance(shop, 501)).toBe(0);
    const [expiry] = await expiredEntries(shop, 501);
    expect(expiry).toMatchObject({ delta: -100, kind: "expired" });
    expect(expiry.source_key).toMatch(/^expiry:inactive:\d+:2026-01-10T12:00:00.000Z$/);

    // The next day's run, and the same day's again by another worker, take nothing more.
    await runJobsAt("2027-01-11T00:00:00.000Z", "worker-b");
    await runJobsAt("2027-01-12T00:00:00.000Z");
    expect(await expiredEntries(shop, 501)).toHaveLength(1);
    const after = (await earn.shopperRead(shop, 501)) as unknown as { pointsExpiring: unknown };
    expect(after.pointsExpiring).toBeNull();
  });

  it("any earn moves the date on", async () => {
    const shop = await expiryShop("inactivity", 12);
    await buy(shop, 502, "2026-01-10T12:00:00.000Z");
    await buy(shop, 502, "2026-07-01T09:00:00.000Z");
    await runJobsAt("2027-01-11T00:00:00.000Z");
    expect(await earn.balance(shop, 502)).toBe(200);
    const read = (await earn.shopperRead(shop, 502)) as unknown as { pointsExpiring: unknown };
    expect(read.pointsExpiring).toEqual({ points: 200, expiresAt: "2027-07-01T09:00:00.000Z" });
    await runJobsAt("2027-07-02T00:00:00.000Z");
    expect(await earn.balance(shop, 502)).toBe(0);
  });

  it("a refund after expiry takes nothing that expired, and leaves points earned since", async () => {
    const shop = await expiryShop("inactivity", 3);
    const first = await buy(shop, 503, "2026-01-10T12:00:00.000Z");
    await runJobsAt("2026-04-11T00:00:00.000Z");
    expect(await earn.balance(shop, 503)).toBe(0);
    await buy(shop, 503, "2026-05-01T12:00:00.000Z");
    expect(await earn.balance(shop, 503)).toBe(100);

    earn.at("2026-05-02T12:00:00.000Z");
    expect((await earn.deliver(shop, "refunds/create", refundPayload(first, [[0, 1]]))).status).toBe(200);
    expect(await earn.balance(shop, 503)).toBe(100);
    expect((await earn.entries(shop, 503)).filter((row) => row.kind === "refund_reversal")).toEqual([]);
  });

  it("never takes pending points, and never takes a balance below zero", async () => {
    const shop = await expiryShop("inactivity", 1, { pendingDays: 60 });
    await buy(shop, 504, "2026-01-10T12:00:00.000Z");
    const member = await earn.member(shop, 504);
    // Nothing posted yet: nothing to expire, whatever the date.
    expect(member?.balance).toBe(0);
    await runJobsAt("2026-02-11T00:00:00.000Z");
    expect(await expiredEntries(shop, 504)).toEqual([]);

    // A member whose balance is below zero (a refund of points already spent) loses nothing more.
    const other = await earn.shop();
    await earn.db.query.updateTable("shops").set({ expiry_policy: "inactivity", expiry_months: 1 }).where("domain", "=", other).execute();
    await buy(other, 505, "2026-01-10T12:00:00.000Z");
    const owing = (await earn.member(other, 505))!;
    await recordEntry(earn.db, other, owing.id, -150, { kind: "redeemed", at: new Date("2026-01-11T00:00:00.000Z") });
    await runJobsAt("2026-03-01T00:00:00.000Z");
    expect(await earn.balance(other, 505)).toBe(-50);
    expect(await expiredEntries(other, 505)).toEqual([]);
  });
});

describe("expiry by age", () => {
  it("expires each lot N months after it was earned, spending the oldest first", async () => {
    const shop = await expiryShop("age", 6);
    const first = await buy(shop, 601, "2026-01-10T12:00:00.000Z");
    await buy(shop, 601, "2026-03-01T12:00:00.000Z");
    const member = (await earn.member(shop, 601))!;
    await recordEntry(earn.db, shop, member.id, -30, { kind: "redeemed", at: new Date("2026-03-02T00:00:00.000Z") });
    expect(await earn.balance(shop, 601)).toBe(170);

    earn.at("2026-05-01T00:00:00.000Z");
    const read = (await earn.shopperRead(shop, 601)) as unknown as { pointsExpiring: unknown };
    expect(read.pointsExpiring).toEqual({ points: 70, expiresAt: "2026-07-10T12:00:00.000Z" });

    await runJobsAt("2026-07-11T00:00:00.000Z");
    expect(await earn.balance(shop, 601)).toBe(100);
    expect((await expiredEntries(shop, 601)).map((row) => row.delta)).toEqual([-70]);
    const later = (await earn.shopperRead(shop, 601)) as unknown as { pointsExpiring: unknown };
    expect(later.pointsExpiring).toEqual({ points: 100, expiresAt: "2026-09-01T12:00:00.000Z" });

    // The first order's 100: 30 were spent, 70 expired. The 70 left the balance once; a full
    // refund takes back the 30.
    earn.at("2026-07-12T00:00:00.000Z");
    expect((await earn.deliver(shop, "refunds/create", refundPayload(first, [[0, 1]]))).status).toBe(200);
    expect(await earn.balance(shop, 601)).toBe(70);

    await runJobsAt("2026-09-02T00:00:00.000Z");
    expect(await earn.balance(shop, 601)).toBe(0);
    await runJobsAt("2026-09-03T00:00:00.000Z");
    expect((await expiredEntries(shop, 601)).map((row) => row.delta)).toEqual([-70, -70]);
  });

  it("two runs at once write each lot's expiry once", async () => {
    const shop = await expiryShop("age", 1);
    for (const customer of [611, 612, 613]) await buy(shop, customer, "2026-01-10T12:00:00.000Z");
    const now = new Date("2026-02-11T00:00:00.000Z");
    const runs = await Promise.all([expirePoints(earn.db, shop, { now, batchSize: 2 }), expirePoints(earn.db, shop, { now, batchSize: 1 })]);
    expect(runs[0].points + runs[1].points).toBe(300);
    for (const customer of [611, 612, 613]) expect(await earn.balance(shop, customer)).toBe(0);
  });
});

describe("the daily chain", () => {
  it("runs only for shops with a policy, and carries on day by day", async () => {
    const off = await earn.shop();
    const on = await expiryShop("inactivity", 12);
    await runJobsAt("2026-01-11T00:00:00.000Z");
    const jobs = await earn.db.raw.all<{ shop: string; job_key: string; done_at: string | null }>(
      `SELECT "shop", "job_key", "done_at" FROM "jobs" WHERE "kind" = ? AND "shop" IN (?, ?) ORDER BY "job_key"`,
      [EXPIRY_JOB, off, on],
    );
    expect(jobs.map((job) => [job.job_key, job.done_at !== null])).toEqual([
      [`expiry:${on}:2026-01-11`, true],
      [`expiry:${on}:2026-01-12`, false],
    ]);
    // Its handler is registered with the app's worker.
    expect(Object.keys(jobHandlers({} as never))).toContain(EXPIRY_JOB);
  });
});

describe("reminders before points expire", () => {
  it("queue the 30-day, 7-day and last-chance emails once each, and tell Flow once per expiry", async () => {
    const shop = await expiryShop("inactivity", 12);
    const now = new Date().toISOString();
    for (const kind of ["points_expiring", "last_chance"]) {
      await earn.db.query.insertInto("message_settings").values({ shop, kind, enabled: true, options: "{}", updated_at: now }).execute();
    }
    await earn.db.query.insertInto("flow_trigger_uses").values({ shop, handle: "loyalty-points-expiring", active: true, updated_at: now }).execute();
    await buy(shop, 701, "2026-01-10T12:00:00.000Z");
    const outbox = () =>
      earn.db.raw.all<{ kind: string; occasion_key: string; subject: string }>(
        `SELECT "kind", "occasion_key", "subject" FROM "outbox_messages" WHERE "shop" = ? ORDER BY "id"`,
        [shop],
      );

    await runJobsAt("2026-12-01T00:00:00.000Z");
    expect(await outbox()).toEqual([]);
    await runJobsAt("2026-12-12T00:00:00.000Z");
    await runJobsAt("2026-12-12T00:00:00.000Z", "worker-b");
    await runJobsAt("2027-01-04T00:00:00.000Z");
    await runJobsAt("2027-01-10T00:00:00.000Z");
    const sent = await outbox();
    expect(sent.map((row) => [row.kind, row.occasion_key.split(":").slice(2).join(":")])).toEqual([
      ["points_expiring", "2027-01-10T12:00:00.000Z:30"],
      ["points_expiring", "2027-01-10T12:00:00.000Z:7"],
      ["last_chance", "2027-01-10T12:00:00.000Z"],
    ]);
    expect(sent[0].subject).toContain("100");
    const flow = await earn.db.raw.all<{ job_key: string }>(`SELECT "job_key" FROM "jobs" WHERE "shop" = ? AND "kind" = 'flow.trigger'`, [shop]);
    expect(flow).toHaveLength(1);
    // Expired the next day: no reminder left to send.
    await runJobsAt("2027-01-11T00:00:00.000Z");
    expect(await earn.balance(shop, 701)).toBe(0);
    expect(await outbox()).toHaveLength(3);
  });
});
