import { describe, expect, it } from "vitest";
import type { MemberEarningFacts } from "../app/domain/shopper-ways-to-earn";
import { memberEarningMetafield, socialClaimCheck, storefrontEarning, storefrontEarningChanges } from "../app/domain/storefront-ways-to-earn";
import type { Campaign, EarningRule } from "../app/domain/ways-to-earn";

// The pure part of the storefront's ways to earn: what the shop-wide metafield holds, what a
// member's holds, when the shop-wide one must be written again, and whether a follow may be
// claimed. One base rule, one field changed per case.

const NOW = "2026-12-02T12:00:00.000Z";
const rule = (overrides: Partial<EarningRule> = {}): EarningRule => ({
  id: 1,
  kind: "social",
  status: "live",
  points: 50,
  pointsPerCurrencyUnit: null,
  everyNth: null,
  photoBonusPoints: 0,
  limit: null,
  startsAt: null,
  endsAt: null,
  customerTags: [],
  settings: { network: "instagram", url: "https://instagram.com/tea" },
  content: {},
  ...overrides,
});
const campaign = (overrides: Partial<Campaign> = {}): Campaign => ({
  id: 7,
  name: "Double",
  status: "live",
  startsAt: "2026-12-01T00:00:00.000Z",
  endsAt: "2026-12-07T00:00:00.000Z",
  multiplierPercent: 200,
  bonusPoints: null,
  productIds: null,
  customerTags: [],
  content: {},
  ...overrides,
});
const member = (overrides: Partial<MemberEarningFacts> = {}): MemberEarningFacts => ({
  qualifyingOrders: 0,
  tags: [],
  ruleAwards: {},
  pending: [],
  ...overrides,
});
const shown = (rules: EarningRule[]) => storefrontEarning(rules, [], "USD", NOW, "UTC").ways.map((way) => way.id);

describe("the shop-wide ways to earn", () => {
  it.each<[string, Partial<EarningRule>, boolean]>([
    ["a live rule", {}, true],
    ["off", { status: "off" }, false],
    ["dry run", { status: "dry_run" }, false],
    ["not started", { startsAt: "2026-12-03T00:00:00.000Z" }, false],
    ["ended", { endsAt: "2026-12-02T11:00:00.000Z" }, false],
    ["for some customer tags only", { customerTags: ["vip"] }, false],
    ["a social rule with no page", { settings: { network: "instagram" } }, false],
    ["a social rule whose page is not a web address", { settings: { network: "x", url: "javascript:alert(1)" } }, false],
  ])("%s: shown %s", (_name, overrides, expected) => {
    expect(shown([rule(overrides)])).toEqual(expected ? [1] : []);
  });

  it("carries what each kind paints", () => {
    const { ways, campaigns, currency } = storefrontEarning(
      [
        rule({ id: 1, kind: "purchase", points: 0, pointsPerCurrencyUnit: 2, settings: {} }),
        rule({ id: 2, kind: "nth_order", points: 250, everyNth: 6, settings: {} }),
        rule({ id: 3, kind: "review", points: 20, photoBonusPoints: 40, settings: {}, endsAt: "2027-01-01T00:00:00.000Z" }),
        rule({ id: 4, content: { da: { title: "Følg os" } } }),
      ],
      [campaign(), campaign({ id: 8, customerTags: ["vip"] })],
      "DKK",
      NOW,
      "UTC",
    );
    expect(currency).toBe("DKK");
    expect(ways).toEqual([
      { id: 1, kind: "purchase", points: 0, pointsPerCurrencyUnit: 2, content: {} },
      { id: 2, kind: "nth_order", points: 250, stampsOf: 6, content: {} },
      { id: 3, kind: "review", points: 20, photoBonusPoints: 40, endsAt: "2027-01-01T00:00:00.000Z", content: {} },
      { id: 4, kind: "social", points: 50, network: "instagram", url: "https://instagram.com/tea", content: { da: { title: "Følg os" } } },
    ]);
    expect(campaigns.map((c) => c.id)).toEqual([7]);
  });
});

describe("a member's earning metafield", () => {
  const rules = [rule({ id: 1 }), rule({ id: 2, kind: "nth_order", everyNth: 6, settings: {} }), rule({ id: 3, kind: "signup", settings: {} })];
  it.each<[string, Partial<MemberEarningFacts>, object]>([
    ["nothing yet", {}, { done: [], orders: 0, stamps: { 2: 0 }, pending: [] }],
    ["followed", { ruleAwards: { 1: "2026-11-01T00:00:00.000Z" } }, { done: [1], orders: 0, stamps: { 2: 0 }, pending: [] }],
    ["eight orders on a card of six", { qualifyingOrders: 8 }, { done: [], orders: 8, stamps: { 2: 2 }, pending: [] }],
    [
      "points pending",
      { pending: [{ points: 120, availableOn: "2026-12-12T00:00:00.000Z" }] },
      { done: [], orders: 0, stamps: { 2: 0 }, pending: [{ points: 120, availableOn: "2026-12-12T00:00:00.000Z" }] },
    ],
  ])("%s", (_name, overrides, expected) => {
    expect(memberEarningMetafield(rules, member(overrides), NOW, "UTC")).toEqual(expected);
  });
});

describe("when the shop-wide metafield is written again", () => {
  it("at each future start and end of a live rule or campaign, once each, soonest first", () => {
    const rules = [
      rule({ id: 1, startsAt: "2026-12-10T00:00:00.000Z", endsAt: "2026-12-20T00:00:00.000Z" }),
      rule({ id: 2, status: "off", startsAt: "2026-12-05T00:00:00.000Z" }),
      rule({ id: 3, endsAt: "2026-12-01T00:00:00.000Z" }),
    ];
    const campaigns = [campaign({ endsAt: "2026-12-10T00:00:00.000Z" }), campaign({ id: 9, status: "dry_run", endsAt: "2026-12-04T00:00:00.000Z" })];
    expect(storefrontEarningChanges(rules, campaigns, NOW)).toEqual(["2026-12-10T00:00:00.000Z", "2026-12-20T00:00:00.000Z"]);
  });
});

describe("whether a follow may be claimed", () => {
  it.each<[string, EarningRule | undefined, MemberEarningFacts | null, object]>([
    ["a live follow not done", rule(), member(), { ok: true, done: false }],
    ["already followed", rule(), member({ ruleAwards: { 1: NOW } }), { ok: true, done: true }],
    ["a customer the program has not met", rule(), null, { ok: true, done: false }],
    ["no such rule", undefined, member(), { ok: false, reason: "way_to_earn_not_found" }],
    ["not a follow", rule({ kind: "review" }), member(), { ok: false, reason: "not_claimable" }],
    ["off", rule({ status: "off" }), member(), { ok: false, reason: "way_to_earn_off" }],
    ["dry run", rule({ status: "dry_run" }), member(), { ok: false, reason: "way_to_earn_off" }],
    ["ended", rule({ endsAt: "2026-12-01T00:00:00.000Z" }), member(), { ok: false, reason: "way_to_earn_off" }],
    ["for other tags", rule({ customerTags: ["vip"] }), member({ tags: ["regular"] }), { ok: false, reason: "way_to_earn_not_eligible" }],
    ["for the member's tag", rule({ customerTags: ["vip"] }), member({ tags: ["VIP"] }), { ok: true, done: false }],
  ])("%s", (_name, candidate, facts, expected) => {
    expect(socialClaimCheck(candidate, facts, NOW, "UTC")).toEqual(expected);
  });
});
