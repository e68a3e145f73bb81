import { describe, expect, it } from "vitest";
import {
  addMonths,
  dueLotExpiries,
  inactivityExpiry,
  nextLotExpiry,
  readExpiryPolicy,
  replayLots,
  reversalAfterExpiry,
  movementsOfEntries,
  type PointMovement,
} from "../app/domain/expiry";

// Points expiry's pure rules, one thing varied at a time: the merchant's policy field by field,
// calendar months at the month's edges, inactivity, and the lots that age expiry replays from the
// ledger (oldest spent first, reversals from their own lot, earlier expiries never taken twice).

describe("readExpiryPolicy", () => {
  it.each([
    [{}, { ok: true, policy: { kind: "off" } }],
    [
      { kind: "off", months: "abc" },
      { ok: true, policy: { kind: "off" } },
    ],
    [
      { kind: "inactivity", months: "12" },
      { ok: true, policy: { kind: "inactivity", months: 12 } },
    ],
    [
      { kind: "age", months: 6 },
      { ok: true, policy: { kind: "age", months: 6 } },
    ],
    [
      { kind: " age ", months: " 60 " },
      { ok: true, policy: { kind: "age", months: 60 } },
    ],
    [
      { kind: "forever", months: "12" },
      { ok: false, field: "kind" },
    ],
    [{ kind: "age" }, { ok: false, field: "months" }],
    [
      { kind: "age", months: "" },
      { ok: false, field: "months" },
    ],
    [
      { kind: "age", months: "1.5" },
      { ok: false, field: "months" },
    ],
    [
      { kind: "age", months: "-3" },
      { ok: false, field: "months" },
    ],
    [
      { kind: "age", months: "0" },
      { ok: false, field: "months" },
    ],
    [
      { kind: "age", months: "61" },
      { ok: false, field: "months" },
    ],
    [
      { kind: "inactivity", months: 12.5 },
      { ok: false, field: "months" },
    ],
  ])("%j → %j", (input, expected) => {
    expect(readExpiryPolicy(input)).toMatchObject(expected);
  });

  it("says what is wrong in words a merchant reads", () => {
    expect(readExpiryPolicy({ kind: "age", months: "99" })).toMatchObject({ message: "Months must be between 1 and 60." });
  });
});

describe("addMonths", () => {
  it.each([
    ["2026-01-15T10:00:00.000Z", 1, "2026-02-15T10:00:00.000Z"],
    ["2026-01-31T10:00:00.000Z", 1, "2026-02-28T10:00:00.000Z"],
    ["2028-01-31T10:00:00.000Z", 1, "2028-02-29T10:00:00.000Z"],
    ["2026-03-31T23:59:59.000Z", 1, "2026-04-30T23:59:59.000Z"],
    ["2026-11-30T00:00:00.000Z", 3, "2027-02-28T00:00:00.000Z"],
    ["2026-12-02T08:00:00.000Z", 12, "2027-12-02T08:00:00.000Z"],
    ["2028-02-29T12:00:00.000Z", 12, "2029-02-28T12:00:00.000Z"],
    ["2026-05-31T00:00:00.000Z", 60, "2031-05-31T00:00:00.000Z"],
  ])("%s + %i months = %s", (at, months, expected) => {
    expect(addMonths(at, months)).toBe(expected);
  });
});

describe("inactivityExpiry", () => {
  const policy = { kind: "inactivity", months: 12 } as const;
  it.each([
    [
      { balance: 500, lastActivityAt: "2026-03-01T09:00:00.000Z" },
      { points: 500, expiresAt: "2027-03-01T09:00:00.000Z" },
    ],
    [{ balance: 0, lastActivityAt: "2026-03-01T09:00:00.000Z" }, null],
    [{ balance: -20, lastActivityAt: "2026-03-01T09:00:00.000Z" }, null],
    [{ balance: 500, lastActivityAt: null }, null],
  ])("%j → %j", (member, expected) => {
    expect(inactivityExpiry(policy, member)).toEqual(expected);
  });
});

const earn = (lot: string, at: string, points: number): PointMovement => ({ type: "earn", lot, at, points });
const spend = (at: string, points: number): PointMovement => ({ type: "spend", at, points });
const reverse = (lot: string | null, at: string, points: number): PointMovement => ({ type: "reverse", lots: lot === null ? [] : [lot], at, points });
const expire = (lot: string | null, at: string, points: number): PointMovement => ({ type: "expire", lot, at, points });

const remaining = (movements: PointMovement[]) => Object.fromEntries(replayLots(movements, 6).lots.map((lot) => [lot.lot, lot.remaining]));

describe("replayLots (age: 6 months)", () => {
  it.each<[string, PointMovement[], Record<string, number>, number]>([
    ["one lot", [earn("a", "2026-01-10T00:00:00Z", 100)], { a: 100 }, 0],
    [
      "spending takes the oldest first",
      [earn("a", "2026-01-10T00:00:00Z", 100), earn("b", "2026-02-10T00:00:00Z", 50), spend("2026-03-01T00:00:00Z", 120)],
      { a: 0, b: 30 },
      0,
    ],
    [
      "spending across three lots",
      [earn("a", "2026-01-01T00:00:00Z", 10), earn("b", "2026-01-02T00:00:00Z", 10), earn("c", "2026-01-03T00:00:00Z", 10), spend("2026-02-01T00:00:00Z", 25)],
      { a: 0, b: 0, c: 5 },
      0,
    ],
    [
      "a reversal takes from its own lot",
      [earn("a", "2026-01-10T00:00:00Z", 100), earn("b", "2026-02-10T00:00:00Z", 50), reverse("b", "2026-02-20T00:00:00Z", 50)],
      { a: 100, b: 0 },
      0,
    ],
    [
      "a reversal of a spent lot takes the oldest",
      [
        earn("a", "2026-01-10T00:00:00Z", 100),
        earn("b", "2026-02-10T00:00:00Z", 50),
        spend("2026-02-11T00:00:00Z", 130),
        reverse("a", "2026-02-20T00:00:00Z", 20),
      ],
      { a: 0, b: 0 },
      0,
    ],
    [
      "more spent than held is owed, and the next lot pays it",
      [earn("a", "2026-01-10T00:00:00Z", 10), spend("2026-01-11T00:00:00Z", 30), earn("b", "2026-02-10T00:00:00Z", 50)],
      { a: 0, b: 30 },
      0,
    ],
    ["still owed", [earn("a", "2026-01-10T00:00:00Z", 10), reverse(null, "2026-01-11T00:00:00Z", 30)], { a: 0 }, 20],
    [
      "an expiry written leaves the lot",
      [earn("a", "2026-01-10T00:00:00Z", 100), spend("2026-02-01T00:00:00Z", 40), expire("a", "2026-07-10T00:00:00Z", 60)],
      { a: 0 },
      0,
    ],
    [
      "an inactivity expiry empties every lot",
      [
        earn("a", "2026-01-10T00:00:00Z", 100),
        earn("b", "2026-02-10T00:00:00Z", 50),
        spend("2026-02-11T00:00:00Z", 30),
        expire(null, "2027-02-11T00:00:00Z", 120),
      ],
      { a: 0, b: 0 },
      0,
    ],
    [
      "a reversal takes from each of its order's lots",
      [
        earn("a", "2026-01-10T00:00:00Z", 100),
        { type: "earn", lot: "a-bonus", at: "2026-01-10T00:00:00Z", points: 20 },
        earn("b", "2026-02-10T00:00:00Z", 50),
        { type: "reverse", lots: ["a", "a-bonus"], at: "2026-02-20T00:00:00Z", points: 110 },
      ],
      { a: 0, "a-bonus": 10, b: 50 },
      0,
    ],
    ["an expiry of an unknown lot is ignored", [earn("a", "2026-01-10T00:00:00Z", 100), expire("zz", "2026-07-10T00:00:00Z", 60)], { a: 100 }, 0],
    [
      "zero and negative amounts change nothing",
      [earn("a", "2026-01-10T00:00:00Z", 100), spend("2026-02-01T00:00:00Z", 0), earn("b", "2026-02-02T00:00:00Z", -5)],
      { a: 100 },
      0,
    ],
  ])("%s", (_name, movements, expected, owed) => {
    expect(remaining(movements)).toEqual(expected);
    expect(replayLots(movements, 6).owed).toBe(owed);
  });

  it("dates each lot N months after it was earned", () => {
    const [lot] = replayLots([earn("a", "2026-08-31T12:00:00.000Z", 5)], 6).lots;
    expect(lot.expiresAt).toBe("2027-02-28T12:00:00.000Z");
  });
});

describe("dueLotExpiries", () => {
  const state = replayLots(
    [
      earn("a", "2026-01-10T00:00:00.000Z", 100),
      earn("b", "2026-02-10T00:00:00.000Z", 50),
      earn("c", "2026-03-10T00:00:00.000Z", 70),
      spend("2026-03-11T00:00:00.000Z", 30),
    ],
    6,
  );
  it.each([
    ["before any date", "2026-07-09T23:59:59.999Z", 190, []],
    ["on the first lot's date: what it still holds", "2026-07-10T00:00:00.000Z", 190, [{ lot: "a", points: 70 }]],
    [
      "two lots due",
      "2026-08-10T00:00:00.000Z",
      190,
      [
        { lot: "a", points: 70 },
        { lot: "b", points: 50 },
      ],
    ],
    [
      "never below zero: capped at the balance",
      "2026-09-10T00:00:00.000Z",
      90,
      [
        { lot: "a", points: 70 },
        { lot: "b", points: 20 },
      ],
    ],
    ["a negative balance expires nothing", "2026-09-10T00:00:00.000Z", -10, []],
  ])("%s", (_name, now, balance, expected) => {
    expect(dueLotExpiries(state, now, balance)).toEqual(expected);
  });

  it("a lot expired once is not due again", () => {
    const again = replayLots([earn("a", "2026-01-10T00:00:00.000Z", 100), expire("a", "2026-07-10T00:00:00.000Z", 100)], 6);
    expect(dueLotExpiries(again, "2026-12-01T00:00:00.000Z", 100)).toEqual([]);
  });
});

describe("reversalAfterExpiry", () => {
  // Lot a: 100 earned, 20 reversed by a first partial refund, 30 spent, the 50 left expired.
  const expired = replayLots(
    [
      earn("a", "2026-01-10T00:00:00.000Z", 100),
      reverse("a", "2026-01-20T00:00:00.000Z", 20),
      spend("2026-02-01T00:00:00.000Z", 30),
      expire("a", "2026-07-10T00:00:00.000Z", 50),
    ],
    6,
  );
  it.each<[string, string[], number, number, number]>([
    ["a full refund takes what neither expired nor was taken", ["a"], 100, 20, 30],
    ["a refund within the expired part takes nothing more", ["a"], 60, 20, 0],
    ["a refund already taken takes nothing", ["a"], 20, 20, 0],
    ["an order with no lot left takes what was asked", ["zz"], 40, 0, 40],
  ])("%s", (_name, lots, target, taken, expected) => {
    expect(reversalAfterExpiry(expired, lots, target, taken)).toBe(expected);
  });

  it("after an inactivity expiry, a refund takes nothing of what expired", () => {
    const state = replayLots(
      [earn("a", "2026-01-10T00:00:00.000Z", 100), spend("2026-01-11T00:00:00.000Z", 40), expire(null, "2027-01-11T00:00:00.000Z", 60)],
      12,
    );
    expect(reversalAfterExpiry(state, ["a"], 100, 0)).toBe(40);
  });
});

describe("movementsOfEntries", () => {
  const row = (id: number, delta: number, kind: string, sourceKey = `k${id}`, orderId: string | null = null) => ({
    id,
    delta,
    kind,
    sourceKey,
    orderId,
    createdAt: `2026-01-0${id}T00:00:00.000Z`,
  });
  it("reads lots, spending, reversals by order and both kinds of expiry", () => {
    const { movements, lotsOfOrder } = movementsOfEntries([
      row(1, 100, "earned", "order:9:earn", "9"),
      row(2, 10, "campaign_bonus", "order:9:campaign:1", "9"),
      row(3, -30, "redeemed"),
      row(4, -50, "refund_reversal", "order:9:reversed-to:50", "9"),
      row(5, -20, "expired", "expiry:lot:2"),
      row(6, -5, "expired", "expiry:inactive:1:2026-01-01T00:00:00.000Z"),
      row(7, -5, "manual_adjustment"),
    ]);
    expect(lotsOfOrder.get("9")).toEqual(["1", "2"]);
    expect(movements.map((move) => [move.type, "lot" in move ? move.lot : "lots" in move ? move.lots.join("+") : "", move.points])).toEqual([
      ["earn", "1", 100],
      ["earn", "2", 10],
      ["spend", "", 30],
      ["reverse", "1+2", 50],
      ["expire", "2", 20],
      ["expire", null, 5],
      ["spend", "", 5],
    ]);
  });
});

describe("nextLotExpiry", () => {
  const state = replayLots(
    [earn("a", "2026-01-10T08:00:00.000Z", 100), earn("b", "2026-01-10T20:00:00.000Z", 40), earn("c", "2026-03-01T00:00:00.000Z", 70)],
    6,
  );
  it.each([
    ["the first day's lots together", "2026-05-01T00:00:00.000Z", 210, { points: 140, expiresAt: "2026-07-10T08:00:00.000Z" }],
    ["capped at the balance", "2026-05-01T00:00:00.000Z", 90, { points: 90, expiresAt: "2026-07-10T08:00:00.000Z" }],
    [
      "a lot whose instant passed is not counted, its day's later lot is",
      "2026-07-10T09:00:00.000Z",
      210,
      { points: 40, expiresAt: "2026-07-10T20:00:00.000Z" },
    ],
    ["the next day after those", "2026-07-11T00:00:00.000Z", 210, { points: 70, expiresAt: "2026-09-01T00:00:00.000Z" }],
    ["nothing after the last", "2026-09-02T00:00:00.000Z", 210, null],
    ["nothing with no balance", "2026-05-01T00:00:00.000Z", 0, null],
  ])("%s", (_name, now, balance, expected) => {
    expect(nextLotExpiry(state, now, balance)).toEqual(expected);
  });
});
