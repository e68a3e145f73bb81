import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ledgerHistoryPage } from "../app/models/ledger-history.server";
import { searchMembers } from "../app/models/members.server";
import { programFigures, startOfMonthUtc } from "../app/models/stats.server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./support/database";
import { createMember, recordEntry } from "./support/members";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());
afterEach(async () => {
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

describe("home page figures", () => {
  const SHOP = "figures-test.myshopify.com";
  const OTHER_SHOP = "other-figures-test.myshopify.com";
  const NOW = new Date("2026-11-15T12:00:00Z");

  it("are zero for a new shop", async () => {
    await installShop(database.db, SHOP);
    expect(await programFigures(database.db, SHOP, NOW)).toEqual({ members: 0, pointsOutstanding: 0, pointsEarnedThisMonth: 0 });
  });

  it("count members, sum balances and this month's earned points, for this shop only", async () => {
    await installShop(database.db, OTHER_SHOP);
    const ada = await createMember(database.db, SHOP);
    const grace = await createMember(database.db, SHOP);
    await createMember(database.db, SHOP); // a member with nothing yet
    const stranger = await createMember(database.db, OTHER_SHOP);

    await recordEntry(database.db, SHOP, ada.id, 100, { at: new Date("2026-10-31T23:59:59.999Z") }); // last month
    await recordEntry(database.db, SHOP, ada.id, 40, { at: new Date("2026-11-01T00:00:00.000Z") }); // first instant
    await recordEntry(database.db, SHOP, grace.id, 60, { at: new Date("2026-11-14T08:00:00Z") });
    await recordEntry(database.db, SHOP, grace.id, -20, { kind: "refund_reversal", at: new Date("2026-11-14T09:00:00Z") });
    await recordEntry(database.db, SHOP, grace.id, 500, { kind: "manual_adjustment", at: new Date("2026-11-14T10:00:00Z") });
    await recordEntry(database.db, OTHER_SHOP, stranger.id, 999, { at: new Date("2026-11-10T00:00:00Z") });

    expect(await programFigures(database.db, SHOP, NOW)).toEqual({
      members: 3,
      pointsOutstanding: 100 + 40 + 60 - 20 + 500,
      pointsEarnedThisMonth: 40 + 60,
    });
  });

  it("start the month at midnight UTC on the first", () => {
    expect(startOfMonthUtc(new Date("2026-12-01T00:30:00+01:00")).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(startOfMonthUtc(new Date("2027-01-31T23:59:59Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("customer list pages", () => {
  const SHOP = "search-test.myshopify.com";

  it("page forward and back by keyset, newest first, matching email or name", async () => {
    await installShop(database.db, SHOP);
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createMember(database.db, SHOP, { lastName: `Turing${i}` })).id);
    await createMember(database.db, SHOP, { firstName: "Alan", lastName: "Kay", email: "kay@example.com" });
    const newestFirst = [...ids].reverse();

    const first = await searchMembers(database.db, SHOP, { query: "turing", limit: 3 });
    expect(first.members.map((m) => m.id)).toEqual(newestFirst.slice(0, 3));
    expect(first.previousBeforeId).toBeNull();
    const second = await searchMembers(database.db, SHOP, { query: "turing", limit: 3, afterId: first.nextAfterId! });
    expect(second.members.map((m) => m.id)).toEqual(newestFirst.slice(3, 6));
    const third = await searchMembers(database.db, SHOP, { query: "turing", limit: 3, afterId: second.nextAfterId! });
    expect(third.members.map((m) => m.id)).toEqual(newestFirst.slice(6));
    expect(third.nextAfterId).toBeNull();

    const backToSecond = await searchMembers(database.db, SHOP, { query: "turing", limit: 3, beforeId: third.previousBeforeId! });
    expect(backToSecond.members.map((m) => m.id)).toEqual(newestFirst.slice(3, 6));
    const backToFirst = await searchMembers(database.db, SHOP, { query: "turing", limit: 3, beforeId: backToSecond.previousBeforeId! });
    expect(backToFirst.members.map((m) => m.id)).toEqual(newestFirst.slice(0, 3));
    expect(backToFirst.previousBeforeId).toBeNull();
    expect(backToFirst.nextAfterId).toBe(first.nextAfterId);

    expect((await searchMembers(database.db, SHOP, { query: "KAY@example" })).members).toHaveLength(1);
    expect((await searchMembers(database.db, SHOP, { query: "alan kay" })).members).toHaveLength(1);
    expect((await searchMembers(database.db, "nobody.myshopify.com", { query: "turing" })).members).toEqual([]);
  });
});

describe("ledger history pages", () => {
  const SHOP = "history-test.myshopify.com";

  it("list a member's entries newest first, forward and back, in this shop only", async () => {
    await installShop(database.db, SHOP);
    const member = await createMember(database.db, SHOP);
    for (const delta of [10, 20, 30, 40, 50]) await recordEntry(database.db, SHOP, member.id, delta);

    const first = await ledgerHistoryPage(database.db, SHOP, member.id, { limit: 2 });
    expect(first.entries.map((e) => e.delta)).toEqual([50, 40]);
    expect(first.newerThanId).toBeNull();
    const second = await ledgerHistoryPage(database.db, SHOP, member.id, { limit: 2, olderThan: first.olderThanId! });
    expect(second.entries.map((e) => e.delta)).toEqual([30, 20]);
    const last = await ledgerHistoryPage(database.db, SHOP, member.id, { limit: 2, olderThan: second.olderThanId! });
    expect(last.entries.map((e) => e.delta)).toEqual([10]);
    expect(last.olderThanId).toBeNull();
    const back = await ledgerHistoryPage(database.db, SHOP, member.id, { limit: 2, newerThan: last.newerThanId! });
    expect(back.entries.map((e) => e.delta)).toEqual([30, 20]);
    const front = await ledgerHistoryPage(database.db, SHOP, member.id, { limit: 2, newerThan: back.newerThanId! });
    expect(front.entries.map((e) => e.delta)).toEqual([50, 40]);
    expect(front.newerThanId).toBeNull();

    expect((await ledgerHistoryPage(database.db, "other-history.myshopify.com", member.id)).entries).toEqual([]);
  });
});
