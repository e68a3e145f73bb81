import { describe, expect, it } from "vitest";
import {
  addMonths,
  combinedMultiplierPercent,
  evaluateTier,
  keptUntil,
  progressToNext,
  tierForTotal,
  upgradeOnEvent,
  windowStart,
  zonedMidnight,
  type MemberTier,
  type TierProgram,
} from "../app/domain/tiers";

// The tier rules (issue 13), pure: one base program and member, one field varied at a time.

const BRONZE = { id: 1, rank: 1, threshold: 0, multiplierPercent: 100 };
const SILVER = { id: 2, rank: 2, threshold: 500, multiplierPercent: 125 };
const GOLD = { id: 3, rank: 3, threshold: 1500, multiplierPercent: 150 };
const program = (spec: Partial<TierProgram> = {}): TierProgram => ({
  basis: "points_earned",
  period: { kind: "calendar_year" },
  retention: "period_and_next",
  tiers: [BRONZE, SILVER, GOLD],
  ...spec,
});
const member = (spec: Partial<MemberTier> = {}): MemberTier => ({
  tierId: 2,
  reachedAt: "2026-03-01T00:00:00.000Z",
  keptUntil: "2028-01-01T00:00:00.000Z",
  manual: null,
  paid: null,
  ...spec,
});
const NOW = "2026-12-02T12:00:00.000Z";

describe("which tier a total reaches", () => {
  it.each([
    [0, 1],
    [499, 1],
    [500, 2],
    [1499, 2],
    [1500, 3],
    [1_000_000, 3],
  ])("%s reaches tier %s", (total, id) => {
    expect(tierForTotal([GOLD, BRONZE, SILVER], total)?.id).toBe(id);
  });

  it("below the lowest threshold reaches none", () => {
    expect(tierForTotal([SILVER, GOLD], 10)).toBeNull();
  });

  it.each([
    [0, { tierId: 2, remaining: 500 }],
    [620, { tierId: 3, remaining: 880 }],
    [1500, null],
  ])("progress from %s", (total, expected) => {
    expect(progressToNext([BRONZE, SILVER, GOLD], total)).toEqual(expected);
  });
});

describe("qualifying windows and how long a tier is kept, in the shop's time zone", () => {
  it.each([
    [{ kind: "lifetime" } as const, "UTC", null],
    [{ kind: "calendar_year" } as const, "UTC", "2026-01-01T00:00:00.000Z"],
    [{ kind: "calendar_year" } as const, "Pacific/Auckland", "2025-12-31T11:00:00.000Z"],
    [{ kind: "calendar_year" } as const, "America/Los_Angeles", "2026-01-01T08:00:00.000Z"],
    [{ kind: "rolling", months: 12 } as const, "UTC", "2025-12-02T00:00:00.000Z"],
    [{ kind: "rolling", months: 6 } as const, "UTC", "2026-06-02T00:00:00.000Z"],
  ])("window %j in %s starts at %s", (period, zone, expected) => {
    expect(windowStart(period, NOW, zone)).toBe(expected);
  });

  it.each([
    [2026, 1, 31, 1, [2026, 2, 28]],
    [2024, 1, 31, 1, [2024, 2, 29]],
    [2026, 12, 15, 1, [2027, 1, 15]],
    [2026, 3, 31, -1, [2026, 2, 28]],
    [2026, 5, 10, -12, [2025, 5, 10]],
  ])("addMonths(%s-%s-%s, %s)", (y, m, d, n, expected) => {
    expect(addMonths(y, m, d, n)).toEqual(expected);
  });

  it.each([
    [2026, 3, 29, "Europe/Copenhagen", "2026-03-28T23:00:00.000Z"],
    [2026, 3, 30, "Europe/Copenhagen", "2026-03-29T22:00:00.000Z"],
    [2026, 7, 1, "Asia/Jerusalem", "2026-06-30T21:00:00.000Z"],
    [2026, 7, 1, "Not/AZone", "2026-07-01T00:00:00.000Z"],
  ])("local midnight of %s-%s-%s in %s", (y, m, d, zone, expected) => {
    expect(zonedMidnight(y, m, d, zone)).toBe(expected);
  });

  it.each([
    ["calendar year: the rest of this year and all of the next", { kind: "calendar_year" } as const, "period_and_next", "2027-01-01T00:00:00.000Z"],
    ["rolling 12 months: one window from when it was reached", { kind: "rolling", months: 12 } as const, "period_and_next", "2026-03-10T00:00:00.000Z"],
    ["rolling retention: not kept beyond the total", { kind: "calendar_year" } as const, "rolling", "2025-03-10T08:00:00.000Z"],
    ["lifetime: for good", { kind: "lifetime" } as const, "period_and_next", null],
  ] as const)("%s", (_name, period, retention, expected) => {
    expect(keptUntil(period, retention, "2025-03-10T08:00:00.000Z", "UTC")).toBe(
      expected === "2027-01-01T00:00:00.000Z" ? "2027-01-01T00:00:00.000Z" : expected,
    );
  });
});

describe("upgrades on an event: at once, never down", () => {
  it.each<[string, Partial<MemberTier>, number, number | null]>([
    ["silver reaching gold", {}, 1500, 3],
    ["silver staying silver", {}, 900, null],
    ["silver whose total fell (a refund) stays silver until evaluation", {}, 100, null],
    ["no tier reaching bronze", { tierId: null, keptUntil: null }, 0, 1],
    ["a manual gold stays gold", { tierId: 3, manual: { until: null } }, 600, null],
  ])("%s", (_name, spec, total, expected) => {
    const decision = upgradeOnEvent(program(), member(spec), total, NOW, "UTC");
    if (expected === null) expect(decision).toEqual({ change: false });
    else expect(decision).toEqual({ change: true, toTierId: expected, reason: "qualified", keptUntil: "2028-01-01T00:00:00.000Z" });
  });
});

describe("evaluation: the only way down, after the kept period", () => {
  it.each<[string, Partial<TierProgram>, Partial<MemberTier>, number, string, { to: number | null; reason: string } | null]>([
    ["kept: silver with a low total, inside the kept period", {}, {}, 100, NOW, null],
    ["down: silver with a low total after the kept period", {}, { keptUntil: "2026-12-01T00:00:00.000Z" }, 100, NOW, { to: 1, reason: "evaluation" }],
    ["down to none below every threshold", { tiers: [SILVER, GOLD] }, { keptUntil: "2026-12-01T00:00:00.000Z" }, 100, NOW, { to: null, reason: "evaluation" }],
    ["up: a total that reached gold", {}, {}, 2000, NOW, { to: 3, reason: "qualified" }],
    ["stays: the total still qualifies", {}, { keptUntil: "2026-12-01T00:00:00.000Z" }, 700, NOW, null],
    [
      "rolling retention: down as soon as the total falls",
      { retention: "rolling" },
      { keptUntil: "2026-03-01T00:00:00.000Z" },
      100,
      NOW,
      { to: 1, reason: "evaluation" },
    ],
    ["lifetime: kept for good", { period: { kind: "lifetime" } }, { keptUntil: null }, 100, NOW, null],
    ["manual placement running", {}, { tierId: 3, manual: { until: "2027-01-01T00:00:00.000Z" }, keptUntil: "2026-01-01T00:00:00.000Z" }, 100, NOW, null],
    [
      "manual placement ended",
      {},
      { tierId: 3, manual: { until: "2026-12-01T00:00:00.000Z" }, keptUntil: "2026-01-01T00:00:00.000Z" },
      100,
      NOW,
      { to: 1, reason: "manual_ended" },
    ],
    ["paid gold running", {}, { tierId: 3, paid: { tierId: 3, until: "2027-06-01T00:00:00.000Z" } }, 100, NOW, null],
    ["paid gold bought by a silver", {}, { paid: { tierId: 3, until: "2027-06-01T00:00:00.000Z" } }, 100, NOW, { to: 3, reason: "paid" }],
    [
      "paid gold ended, falls to what the total qualifies for",
      {},
      { tierId: 3, paid: { tierId: 3, until: "2026-12-01T00:00:00.000Z" } },
      700,
      NOW,
      { to: 2, reason: "paid_ended" },
    ],
  ])("%s", (_name, programSpec, memberSpec, total, now, expected) => {
    const decision = evaluateTier(program(programSpec), member(memberSpec), total, now, "UTC");
    if (expected === null) expect(decision).toEqual({ change: false });
    else expect(decision).toMatchObject({ change: true, toTierId: expected.to, reason: expected.reason });
  });
});

describe("a tier's multiplier with a campaign's", () => {
  it.each([
    [100, 100, 100],
    [150, 100, 150],
    [100, 200, 200],
    [150, 200, 250],
    [125, 300, 325],
  ])("tier %s%% and campaign %s%% make %s%%", (tier, campaign, expected) => {
    expect(combinedMultiplierPercent(tier, campaign)).toBe(expected);
  });
});
