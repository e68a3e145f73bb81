import { describe, expect, it } from "vitest";
import {
  numericTargetId,
  tierAccessMetafieldValue,
  tierAccessStatus,
  tierAccessWho,
  validateTierAccessForm,
  type TierAccessForm,
  type TierAccessRule,
} from "../app/domain/tier-access";
import type { TierProgramConfig } from "../app/domain/tiers";
import { tierConfig, tierProgramConfig } from "./support/tiers";

// Members-only and tier-only products, pure: the admin's form from one valid form with one field
// varied at a time, whether a rule runs, and the metafield the theme block reads.

const NOW = new Date("2026-12-03T10:00:00.000Z");
const ZONE = "Europe/Copenhagen";

const PROGRAM: TierProgramConfig = tierProgramConfig([tierConfig(1, "Silver"), tierConfig(2, "Gold", { names: { en: "Gold", he: "זהב" } })], {
  period: { kind: "calendar_year" },
});

const VALID: TierAccessForm = { targetType: "product", target: "gid://shopify/Product/8001", minRank: "2", until: "2026-12-10", title: "Winter blend" };
const validate = (change: Record<string, string>, tiers: readonly { rank: number }[] = PROGRAM.tiers) =>
  validateTierAccessForm({ ...VALID, ...change }, { tiers, timeZone: ZONE, now: NOW });
const errorsOf = (change: Record<string, string>, tiers?: readonly { rank: number }[]) => {
  const result = validate(change, tiers);
  return result.ok ? {} : result.fieldErrors;
};

describe("the members-only form", () => {
  it("reads a valid form into the rule the model saves, the day read as its start in the shop's zone", () => {
    expect(validate({})).toEqual({
      ok: true,
      input: { targetType: "product", targetId: "gid://shopify/Product/8001", targetTitle: "Winter blend", minRank: 2, until: "2026-12-09T23:00:00.000Z" },
    });
  });

  it.each<[string, Record<string, string>, Partial<{ targetType: string; targetId: string; minRank: number; until: string | null; targetTitle: string }>]>([
    ["a bare product number, with the type chosen", { target: " 8001 " }, { targetId: "gid://shopify/Product/8001" }],
    [
      "a collection GID",
      { targetType: "collection", target: "gid://shopify/Collection/42" },
      { targetType: "collection", targetId: "gid://shopify/Collection/42" },
    ],
    ["a bare collection number", { targetType: "collection", target: "42" }, { targetId: "gid://shopify/Collection/42" }],
    ["any member", { minRank: "0" }, { minRank: 0 }],
    ["no end date: members only for good", { until: "" }, { until: null }],
    ["tomorrow", { until: "2026-12-04" }, { until: "2026-12-03T23:00:00.000Z" }],
    ["no title", { title: "  " }, { targetTitle: "" }],
    ["a title of 255 characters", { title: "x".repeat(255) }, { targetTitle: "x".repeat(255) }],
  ])("accepts %s", (_, change, expected) => {
    const result = validate(change);
    expect(result.ok && result.input).toMatchObject(expected);
  });

  it.each<[string, Record<string, string>, string, Array<{ rank: number }>?]>([
    ["no type", { targetType: "" }, "targetType"],
    ["an unknown type", { targetType: "variant" }, "targetType"],
    ["no target", { target: "" }, "target"],
    ["a target that is no ID", { target: "winter-blend" }, "target"],
    ["a variant GID", { target: "gid://shopify/ProductVariant/8001" }, "target"],
    ["a collection GID for a product rule", { target: "gid://shopify/Collection/42" }, "target"],
    ["a product GID for a collection rule", { targetType: "collection", target: "gid://shopify/Product/8001" }, "target"],
    ["zero", { target: "0" }, "target"],
    ["a number beyond what Liquid compares exactly", { target: "90071992547409930" }, "target"],
    ["a rank no tier has", { minRank: "3" }, "minRank"],
    ["a rank that is not a whole number", { minRank: "gold" }, "minRank"],
    ["no rank", { minRank: "" }, "minRank"],
    ["a tier in a shop without tiers", { minRank: "1" }, "minRank", []],
    ["a day that does not exist", { until: "2026-02-30" }, "until"],
    ["a day in another format", { until: "10/12/2026" }, "until"],
    ["today (already started in the shop's zone)", { until: "2026-12-03" }, "until"],
    ["a day in the past", { until: "2025-12-10" }, "until"],
    ["a title over 255 characters", { title: "x".repeat(256) }, "title"],
  ])("refuses %s, on that field alone", (_, change, field, tiers) => {
    const errors = errorsOf(change, tiers);
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field as keyof typeof errors]).toMatch(/\w/);
  });

  it("says plainly what a mismatched ID is", () => {
    expect(errorsOf({ target: "gid://shopify/Collection/42" }).target).toBe("That is a collection ID; choose collection above, or enter a product's ID.");
    expect(errorsOf({ until: "2026-12-03" }).until).toBe("Choose a day after today (2026-12-03 in your shop's time zone).");
    expect(errorsOf({ minRank: "1" }, []).minRank).toBe("Your shop has no VIP tiers yet: choose any member.");
  });

  it("reads the end date in the shop's zone: a day already begun there is refused though UTC has not reached it", () => {
    const lateEvening = new Date("2026-12-03T23:30:00.000Z");
    const inAuckland = validateTierAccessForm({ ...VALID, until: "2026-12-04" }, { tiers: PROGRAM.tiers, timeZone: "Pacific/Auckland", now: lateEvening });
    expect(inAuckland.ok).toBe(false);
    const inUtc = validateTierAccessForm({ ...VALID, until: "2026-12-04" }, { tiers: PROGRAM.tiers, timeZone: "UTC", now: lateEvening });
    expect(inUtc.ok && inUtc.input.until).toBe("2026-12-04T00:00:00.000Z");
  });
});

const rule = (spec: Partial<TierAccessRule> = {}): TierAccessRule => ({
  id: 1,
  targetType: "product",
  targetId: "gid://shopify/Product/8001",
  targetTitle: "Winter blend",
  minRank: 2,
  until: null,
  createdAt: "2026-12-01T00:00:00.000Z",
  ...spec,
});

describe("whether a rule runs", () => {
  it.each<[string, Partial<TierAccessRule>, TierProgramConfig | null, string]>([
    ["a tier rule with no end", {}, PROGRAM, "running"],
    ["early access before its day", { until: "2026-12-10T00:00:00.000Z" }, PROGRAM, "running"],
    ["early access from its day on", { until: NOW.toISOString() }, PROGRAM, "ended"],
    ["a members-only rule in a shop without tiers", { minRank: 0 }, null, "running"],
    ["a members-only rule while tiers are off", { minRank: 0 }, { ...PROGRAM, enabled: false }, "running"],
    ["a tier rule while tiers are off", {}, { ...PROGRAM, enabled: false }, "tiers_off"],
    ["a rule naming a tier since removed", { minRank: 3 }, PROGRAM, "tier_missing"],
    ["a tier rule in a shop without tiers", {}, null, "tier_missing"],
  ])("%s: %s", (_, spec, program, status) => {
    expect(tierAccessStatus(rule(spec), program, NOW)).toBe(status);
  });

  it.each<[number, string]>([
    [0, "Any member"],
    [1, "Silver and above"],
    [2, "Gold only"],
    [3, "Tier 3 (no longer exists)"],
  ])("rank %i: %s may buy", (minRank, who) => {
    expect(tierAccessWho({ minRank }, PROGRAM)).toBe(who);
  });
});

describe("the loyalty.access metafield", () => {
  it("lists the running rules with numeric ids and the tier they ask for, and the tiers by rank", () => {
    const value = tierAccessMetafieldValue(
      [
        rule({ id: 1, targetType: "product", targetId: "gid://shopify/Product/8001", minRank: 2, until: "2026-12-10T00:00:00.000Z" }),
        rule({ id: 2, targetType: "collection", targetId: "gid://shopify/Collection/42", minRank: 0 }),
        rule({ id: 3, targetType: "product", targetId: "gid://shopify/Product/7", minRank: 1, until: "2026-12-01T00:00:00.000Z" }),
        rule({ id: 4, targetType: "product", targetId: "gid://shopify/Product/9", minRank: 5 }),
      ],
      PROGRAM,
      NOW,
    );
    expect(value).toEqual({
      rules: [
        { type: "collection", id: 42, minRank: 0, until: null, tier: null },
        { type: "product", id: 8001, minRank: 2, until: "2026-12-10T00:00:00.000Z", tier: { rank: 2, name: "Gold", names: { en: "Gold", he: "זהב" } } },
      ],
      tiers: [
        { rank: 1, name: "Silver", names: { en: "Silver" } },
        { rank: 2, name: "Gold", names: { en: "Gold", he: "זהב" } },
      ],
    });
  });

  it("keeps only members-only rules, and no tiers, while tiers are off", () => {
    const value = tierAccessMetafieldValue(
      [rule({ id: 1, minRank: 2 }), rule({ id: 2, targetId: "gid://shopify/Product/5", minRank: 0 })],
      { ...PROGRAM, enabled: false },
      NOW,
    );
    expect(value).toEqual({ rules: [{ type: "product", id: 5, minRank: 0, until: null, tier: null }], tiers: [] });
  });

  it("is empty for a shop with no rules", () => {
    expect(tierAccessMetafieldValue([], null, NOW)).toEqual({ rules: [], tiers: [] });
  });

  it("reads the number at the end of a GID", () => {
    expect(numericTargetId("gid://shopify/Collection/123456789012")).toBe(123456789012);
  });
});
