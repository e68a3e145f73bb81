import { describe, expect, it } from "vitest";
import { earningLines, pointsForOrder } from "../app/domain/earning";
import { PURCHASE_CASES } from "./support/purchase-cases";
import {
  birthdayInYear,
  campaignAwards,
  decideAwards,
  periodKey,
  stampProgress,
  type Campaign,
  type DecisionContext,
  type EarningEvent,
  type EarningRule,
  type MemberHistory,
} from "../app/domain/ways-to-earn";
import { parsePendingPoints, ruleDone, shopperCampaigns, shopperWaysToEarn } from "../app/domain/shopper-ways-to-earn";

// decideAwards is the one rule for every way to earn: each table starts from one base event,
// rules and history, and varies one field at a time.

const AT = "2026-12-02T12:00:00.000Z";

const rule = (spec: Partial<EarningRule> & Pick<EarningRule, "kind">): EarningRule => ({
  id: 1,
  status: "live",
  points: 0,
  pointsPerCurrencyUnit: null,
  everyNth: null,
  photoBonusPoints: 0,
  limit: null,
  startsAt: null,
  endsAt: null,
  customerTags: [],
  settings: {},
  content: {},
  ...spec,
});

const campaign = (spec: Partial<Campaign> = {}): Campaign => ({
  id: 10,
  name: "Double points",
  status: "live",
  startsAt: "2026-12-01T00:00:00.000Z",
  endsAt: "2026-12-08T00:00:00.000Z",
  multiplierPercent: 200,
  bonusPoints: null,
  productIds: null,
  customerTags: [],
  content: {},
  ...spec,
});

const history = (spec: Partial<MemberHistory> = {}): MemberHistory => ({ customerId: "42", qualifyingOrders: 0, awards: new Map(), ...spec });
const context = (spec: Partial<DecisionContext["program"]> = {}, timeZone = "UTC"): DecisionContext => ({
  program: { enabled: true, minimumOrderMinor: 0, excludedCustomerTags: new Set(), ...spec },
  timeZone,
});

const order = (spec: Partial<Extract<EarningEvent, { type: "order" }>> = {}): EarningEvent => ({
  type: "order",
  at: AT,
  orderId: "1001",
  currency: "USD",
  customerTags: [],
  lines: [
    { lineItemId: "a", productId: "100", basisMinor: 5000 },
    { lineItemId: "b", productId: "200", basisMinor: 2550 },
  ],
  ...spec,
});

const purchase = rule({ id: 1, kind: "purchase", pointsPerCurrencyUnit: 1 });
const total = (awards: { points: number }[]) => awards.reduce((sum, a) => sum + a.points, 0);

describe("the purchase rule: what today's rule computed, unchanged", () => {
  it.each(PURCHASE_CASES)("%s: decideAwards gives what pointsForOrder gives", (_name, input, program) => {
    const expected = pointsForOrder(input, program);
    const lines = earningLines(input, program).map((l) => ({ lineItemId: l.lineItemId, productId: l.productId ?? null, basisMinor: l.basisMinor }));
    const decision = decideAwards(
      order({ currency: input.currency, customerTags: input.customerTags, lines }),
      [rule({ kind: "purchase", pointsPerCurrencyUnit: program.pointsPerCurrencyUnit })],
      [],
      history(),
      context({ enabled: program.enabled, minimumOrderMinor: program.minimumOrderMinor, excludedCustomerTags: program.excludedCustomerTags }),
    );
    expect(total(decision.awards)).toBe(expected.earns ? expected.points : 0);
    if (expected.earns) expect(decision.awards[0]).toMatchObject({ kind: "earned", sourceKey: "order:1001:earn", points: expected.points });
  });
});

describe("decideAwards on an order: one field at a time", () => {
  const cases: [
    string,
    { rules?: EarningRule[]; campaigns?: Campaign[]; history?: MemberHistory; event?: EarningEvent; ctx?: DecisionContext },
    Record<string, number>,
  ][] = [
    ["base: 75.50 at 1 per unit", {}, { "order:1001:earn": 75 }],
    ["fixed points per order", { rules: [rule({ kind: "purchase", points: 30 })] }, { "order:1001:earn": 30 }],
    ["two live purchase rules add in one entry", { rules: [purchase, rule({ id: 2, kind: "purchase", points: 10 })] }, { "order:1001:earn": 85 }],
    ["a rule that is off", { rules: [{ ...purchase, status: "off" }] }, {}],
    ["a rule before its dates", { rules: [{ ...purchase, startsAt: "2026-12-03T00:00:00.000Z" }] }, {}],
    ["a rule after its dates (end exclusive)", { rules: [{ ...purchase, endsAt: AT }] }, {}],
    ["a rule for tagged customers, untagged", { rules: [{ ...purchase, customerTags: ["vip"] }] }, {}],
    [
      "a rule for tagged customers, tagged (any case)",
      { rules: [{ ...purchase, customerTags: ["vip"] }], event: order({ customerTags: [" VIP "] }) },
      { "order:1001:earn": 75 },
    ],
    ["2x campaign", { campaigns: [campaign()] }, { "order:1001:earn": 75, "campaign:10:1001": 75 }],
    ["1.5x campaign rounds down once", { campaigns: [campaign({ multiplierPercent: 150 })] }, { "order:1001:earn": 75, "campaign:10:1001": 37 }],
    ["campaign not started", { campaigns: [campaign({ startsAt: "2026-12-03T00:00:00.000Z" })] }, { "order:1001:earn": 75 }],
    ["campaign ended (end exclusive)", { campaigns: [campaign({ endsAt: AT })] }, { "order:1001:earn": 75 }],
    ["campaign off", { campaigns: [campaign({ status: "off" })] }, { "order:1001:earn": 75 }],
    ["campaign for tagged customers, untagged", { campaigns: [campaign({ customerTags: ["vip"] })] }, { "order:1001:earn": 75 }],
    ["campaign on one product", { campaigns: [campaign({ productIds: new Set(["100"]) })] }, { "order:1001:earn": 75, "campaign:10:1001": 49 }],
    [
      "2x and 3x overlapping: the highest wins",
      { campaigns: [campaign(), campaign({ id: 11, name: "Triple", multiplierPercent: 300 })] },
      { "order:1001:earn": 75, "campaign:11:1001": 150 },
    ],
    [
      "3x on one product, 2x on all: each line its highest",
      { campaigns: [campaign(), campaign({ id: 11, name: "Triple", multiplierPercent: 300, productIds: new Set(["100"]) })] },
      { "order:1001:earn": 75, "campaign:10:1001": 25, "campaign:11:1001": 99 },
    ],
    [
      "a fixed bonus adds to a multiplier",
      { campaigns: [campaign(), campaign({ id: 12, name: "Bonus", multiplierPercent: null, bonusPoints: 50 })] },
      { "order:1001:earn": 75, "campaign:10:1001": 75, "campaign:12:1001": 50 },
    ],
    [
      "a fixed bonus limited to a product not bought",
      { campaigns: [campaign({ multiplierPercent: null, bonusPoints: 50, productIds: new Set(["999"]) })] },
      { "order:1001:earn": 75 },
    ],
    ["a multiplier with no purchase points gives nothing", { rules: [], campaigns: [campaign()] }, {}],
    ["program off", { ctx: context({ enabled: false }), campaigns: [campaign()] }, {}],
    ["below the minimum", { ctx: context({ minimumOrderMinor: 10000 }) }, {}],
    ["excluded tag", { ctx: context({ excludedCustomerTags: new Set(["staff"]) }), event: order({ customerTags: ["Staff"] }) }, {}],
    [
      "stamp card, third order of three",
      { rules: [purchase, rule({ id: 3, kind: "nth_order", everyNth: 3, points: 200 })], history: history({ qualifyingOrders: 2 }) },
      { "order:1001:earn": 75, "nth:3:1001": 200 },
    ],
    [
      "stamp card, second order of three",
      { rules: [purchase, rule({ id: 3, kind: "nth_order", everyNth: 3, points: 200 })], history: history({ qualifyingOrders: 1 }) },
      { "order:1001:earn": 75 },
    ],
    [
      "stamp card, sixth order",
      { rules: [purchase, rule({ id: 3, kind: "nth_order", everyNth: 3, points: 200 })], history: history({ qualifyingOrders: 5 }) },
      { "order:1001:earn": 75, "nth:3:1001": 200 },
    ],
    [
      "first order bonus, first order",
      { rules: [purchase, rule({ id: 4, kind: "first_order", points: 150 })] },
      { "order:1001:earn": 75, "first-order:4:42": 150 },
    ],
    [
      "first order bonus, second order",
      { rules: [purchase, rule({ id: 4, kind: "first_order", points: 150 })], history: history({ qualifyingOrders: 1 }) },
      { "order:1001:earn": 75 },
    ],
    [
      "limit 1 a day, already earned today",
      { rules: [{ ...purchase, limit: { count: 1, period: "day" } }], history: history({ awards: new Map([[1, ["2026-12-02T08:00:00.000Z"]]]) }) },
      {},
    ],
    [
      "limit 1 a day, earned yesterday",
      { rules: [{ ...purchase, limit: { count: 1, period: "day" } }], history: history({ awards: new Map([[1, ["2026-12-01T08:00:00.000Z"]]]) }) },
      { "order:1001:earn": 75 },
    ],
    [
      "limit 1 a day, yesterday in UTC is today in Auckland",
      {
        rules: [{ ...purchase, limit: { count: 1, period: "day" } }],
        history: history({ awards: new Map([[1, ["2026-12-01T12:30:00.000Z"]]]) }),
        event: order({ at: "2026-12-02T10:00:00.000Z" }),
        ctx: context({}, "Pacific/Auckland"),
      },
      {},
    ],
  ];

  it.each(cases)("%s", (_name, spec, expected) => {
    const decision = decideAwards(spec.event ?? order(), spec.rules ?? [purchase], spec.campaigns ?? [], spec.history ?? history(), spec.ctx ?? context());
    expect(Object.fromEntries(decision.awards.map((a) => [a.sourceKey, a.points]))).toEqual(expected);
  });

  it("keeps a breakdown on each award: the rule, the basis and the rate; the campaign and its multiplier", () => {
    const { awards } = decideAwards(order(), [purchase], [campaign()], history(), context());
    expect(awards[0]).toMatchObject({ kind: "earned", ruleId: 1, breakdown: [{ ruleId: 1, basisMinor: 7550, pointsPerCurrencyUnit: 1, points: 75 }] });
    expect(awards[1]).toMatchObject({
      kind: "campaign_bonus",
      campaignId: 10,
      breakdown: [{ campaignId: 10, multiplierPercent: 200, points: 75, label: "Double points: 2x" }],
    });
  });

  it("evaluates dry-run rules and campaigns beside the live ones and credits nothing for them", () => {
    const decision = decideAwards(
      order(),
      [
        purchase,
        rule({ id: 2, kind: "purchase", status: "dry_run", pointsPerCurrencyUnit: 3 }),
        rule({ id: 5, kind: "first_order", status: "dry_run", points: 500 }),
      ],
      [campaign({ status: "dry_run" })],
      history(),
      context(),
    );
    expect(decision.awards.map((a) => [a.sourceKey, a.points])).toEqual([["order:1001:earn", 75]]);
    expect(decision.dryRun.map((a) => [a.sourceKey, a.points])).toEqual([
      ["dry:order:1001:earn:2", 226],
      ["dry:campaign:10:1001", 75],
      ["dry:first-order:5:42", 500],
    ]);
  });

  it("says why a rule did not apply", () => {
    const decision = decideAwards(
      order(),
      [purchase, rule({ id: 3, kind: "nth_order", everyNth: 6, points: 100 })],
      [campaign({ endsAt: AT })],
      history({ qualifyingOrders: 1 }),
      context(),
    );
    expect(decision.skipped).toEqual([
      { campaignId: 10, reason: "campaign not running" },
      { ruleId: 3, reason: "order 2 of 6" },
    ]);
    expect(decision.qualifies).toBe(true);
  });
});

describe("decideAwards on the events that are not orders", () => {
  const signup = rule({ id: 20, kind: "signup", points: 100 });
  const birthday = rule({ id: 21, kind: "birthday", points: 100, limit: { count: 1, period: "year" } });
  const newsletter = rule({ id: 22, kind: "newsletter", points: 50 });
  const social = rule({ id: 23, kind: "social", points: 25, settings: { network: "instagram", url: "https://instagram.com/shop" } });
  const review = rule({ id: 24, kind: "review", points: 40, photoBonusPoints: 60 });
  const custom = rule({ id: 25, kind: "custom", points: 75, limit: { count: 2, period: "month" } });
  const rules = [purchase, signup, birthday, newsletter, social, review, custom];
  const bday = (spec: Partial<Extract<EarningEvent, { type: "birthday" }>> = {}): EarningEvent => ({
    type: "birthday",
    at: "2026-03-12T09:00:00.000Z",
    year: 2026,
    birthday: "03-12",
    birthdaySetAt: "2025-06-01T00:00:00.000Z",
    customerTags: [],
    ...spec,
  });
  const action = (ruleId: number, spec: Partial<Extract<EarningEvent, { type: "action" }>> = {}): EarningEvent => ({
    type: "action",
    at: AT,
    ruleId,
    key: "k1",
    photo: false,
    customerTags: [],
    ...spec,
  });

  it.each<[string, EarningEvent, MemberHistory, EarningRule[], Record<string, number> | string]>([
    ["sign-up", { type: "signup", at: AT, imported: false, customerTags: [] }, history(), rules, { "signup:42": 100 }],
    [
      "sign-up of an imported member",
      { type: "signup", at: AT, imported: true, customerTags: [] },
      history(),
      rules,
      "imported members do not earn the sign-up points",
    ],
    [
      "sign-up of an imported member, the merchant asked",
      { type: "signup", at: AT, imported: true, customerTags: [] },
      history(),
      [{ ...signup, settings: { includeImported: true } }],
      { "signup:42": 100 },
    ],
    ["sign-up rule off", { type: "signup", at: AT, imported: false, customerTags: [] }, history(), [{ ...signup, status: "off" }], "the way to earn is off"],
    ["birthday on the day", bday(), history(), rules, { "birthday:42:2026": 100 }],
    ["birthday the day before", bday({ at: "2026-03-11T09:00:00.000Z" }), history(), rules, "not the member's birthday today"],
    [
      "birthday saved 10 days before",
      bday({ birthdaySetAt: "2026-03-02T09:00:00.000Z" }),
      history(),
      rules,
      "birthday saved fewer than 30 days before it: pays from next year",
    ],
    ["birthday saved 30 days before", bday({ birthdaySetAt: "2026-02-10T09:00:00.000Z" }), history(), rules, { "birthday:42:2026": 100 }],
    [
      "birthday, notice of 0 days",
      bday({ birthdaySetAt: "2026-03-12T08:00:00.000Z" }),
      history(),
      [{ ...birthday, settings: { noticeDays: 0 } }],
      { "birthday:42:2026": 100 },
    ],
    [
      "29 February in a non-leap year pays on the 28th",
      bday({ at: "2026-02-28T09:00:00.000Z", birthday: "02-29" }),
      history(),
      rules,
      { "birthday:42:2026": 100 },
    ],
    [
      "29 February in a leap year pays on the 29th",
      bday({ at: "2028-02-29T09:00:00.000Z", year: 2028, birthday: "02-29" }),
      history(),
      rules,
      { "birthday:42:2028": 100 },
    ],
    [
      "birthday in the shop's time zone (still the 11th in UTC, the 12th in Auckland)",
      bday({ at: "2026-03-11T12:00:00.000Z" }),
      history(),
      rules,
      { "birthday:42:2026": 100 },
    ],
    ["birthday in UTC at the same instant", bday({ at: "2026-03-11T12:00:00.000Z" }), history(), rules, "not the member's birthday today"],
    ["newsletter", { type: "newsletter", at: AT, customerTags: [] }, history(), rules, { "newsletter:42": 50 }],
    ["social follow, once per customer", action(23), history(), rules, { "social:23:42": 25 }],
    ["review", action(24), history(), rules, { "action:24:k1": 40 }],
    ["review with a photo", action(24, { photo: true }), history(), rules, { "action:24:k1": 100 }],
    ["custom action", action(25), history(), rules, { "action:25:k1": 75 }],
    [
      "custom action, limit of 2 a month reached",
      action(25),
      history({ awards: new Map([[25, ["2026-12-01T00:00:00.000Z", "2026-12-02T00:00:00.000Z"]]]) }),
      rules,
      "limit of 2 per month reached",
    ],
    [
      "custom action, two last month",
      action(25),
      history({ awards: new Map([[25, ["2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z"]]]) }),
      rules,
      { "action:25:k1": 75 },
    ],
    ["an action on the sign-up rule", action(20), history(), rules, "this way to earn is not awarded as an action"],
    ["an action on a rule that does not exist", action(99), history(), rules, "no such way to earn"],
  ])("%s", (_name, event, memberHistory, shopRules, expected) => {
    const decision = decideAwards(event, shopRules, [], memberHistory, context({}, _name.includes("Auckland") ? "Pacific/Auckland" : "UTC"));
    if (typeof expected === "string") {
      expect(decision.awards).toEqual([]);
      expect(decision.skipped.map((s) => s.reason)).toContain(expected);
    } else {
      expect(Object.fromEntries(decision.awards.map((a) => [a.sourceKey, a.points]))).toEqual(expected);
    }
  });

  it.each<[string, EarningEvent]>([
    ["sign-up", { type: "signup", at: AT, imported: false, customerTags: [] }],
    ["newsletter", { type: "newsletter", at: AT, customerTags: [] }],
    ["a review", action(24)],
    ["a birthday", bday()],
  ])("a paused program gives nothing for %s", (_name, event) => {
    const decision = decideAwards(event, rules, [], history(), context({ enabled: false }));
    expect(decision).toMatchObject({ awards: [], dryRun: [], skipped: [{ reason: "program is off" }] });
  });

  it("the review's breakdown shows the photo bonus", () => {
    const { awards } = decideAwards(action(24, { photo: true }), rules, [], history(), context());
    expect(awards[0]).toMatchObject({
      kind: "review",
      ruleId: 24,
      breakdown: [
        { label: "Product review", points: 40 },
        { label: "Photo review bonus", points: 60 },
      ],
    });
  });
});

describe("calendar periods, birthdays and stamp cards", () => {
  it.each([
    ["2026-12-02T12:00:00.000Z", "day", "UTC", "2026-12-02"],
    ["2026-12-02T12:00:00.000Z", "day", "Pacific/Auckland", "2026-12-03"],
    ["2026-12-02T03:00:00.000Z", "day", "America/Los_Angeles", "2026-12-01"],
    ["2026-12-02T12:00:00.000Z", "month", "UTC", "2026-12"],
    ["2026-12-31T23:00:00.000Z", "year", "Europe/Copenhagen", "2027"],
    ["2026-12-02T12:00:00.000Z", "week", "UTC", "2026-W49"],
    ["2027-01-01T12:00:00.000Z", "week", "UTC", "2026-W53"],
    ["2024-12-30T12:00:00.000Z", "week", "UTC", "2025-W01"],
    ["2026-12-02T12:00:00.000Z", "ever", "UTC", "ever"],
    ["2026-12-02T12:00:00.000Z", "day", "Not/AZone", "2026-12-02"],
  ] as const)("periodKey(%s, %s, %s) = %s", (at, period, zone, expected) => {
    expect(periodKey(at, period, zone)).toBe(expected);
  });

  it.each([
    ["02-29", 2026, { month: 2, day: 28 }],
    ["02-29", 2028, { month: 2, day: 29 }],
    ["02-29", 2100, { month: 2, day: 28 }],
    ["02-29", 2000, { month: 2, day: 29 }],
    ["12-31", 2026, { month: 12, day: 31 }],
  ])("birthdayInYear(%s, %s)", (birthday, year, expected) => {
    expect(birthdayInYear(birthday, year)).toEqual(expected);
  });

  it.each([
    [0, 6, { done: 0, of: 6 }],
    [2, 6, { done: 2, of: 6 }],
    [6, 6, { done: 0, of: 6 }],
    [13, 6, { done: 1, of: 6 }],
  ])("stampProgress(%s, %s)", (orders, n, expected) => {
    expect(stampProgress(orders, n)).toEqual(expected);
  });

  it("campaignAwards never gives more extra points than the multiplier allows", () => {
    const lines = [
      { lineItemId: "a", productId: "1", basisMinor: 333 },
      { lineItemId: "b", productId: "2", basisMinor: 333 },
      { lineItemId: "c", productId: "3", basisMinor: 334 },
    ];
    const [bonus] = campaignAwards([campaign({ multiplierPercent: 1000 })], 10, lines);
    expect(bonus.points).toBe(90);
  });
});

describe("what shoppers see of the ways to earn", () => {
  const rules = [
    purchase,
    rule({ id: 2, kind: "signup", points: 100 }),
    rule({ id: 3, kind: "nth_order", everyNth: 6, points: 200 }),
    rule({ id: 4, kind: "social", points: 25, settings: { network: "tiktok", url: "https://tiktok.com/@shop" } }),
    rule({ id: 5, kind: "custom", points: 10, status: "dry_run" }),
    rule({ id: 6, kind: "review", points: 40, customerTags: ["vip"] }),
    rule({ id: 7, kind: "birthday", points: 100, limit: { count: 1, period: "year" } }),
  ];
  const member = { qualifyingOrders: 8, tags: [], ruleAwards: { "2": "2026-01-01T00:00:00.000Z", "7": "2025-03-01T00:00:00.000Z" }, pending: [] };

  it("lists the live rules running now that apply to the member, with done marks and stamp progress", () => {
    const ways = shopperWaysToEarn(rules, member, AT, "UTC");
    expect(ways.map((w) => [w.id, w.kind, w.done, w.claimable])).toEqual([
      [1, "purchase", false, false],
      [2, "signup", true, false],
      [3, "nth_order", false, false],
      [4, "social", false, true],
      [7, "birthday", false, false],
    ]);
    expect(ways.find((w) => w.kind === "nth_order")?.progress).toEqual({ done: 2, of: 6 });
    expect(ways.find((w) => w.kind === "social")).toMatchObject({ network: "tiktok", url: "https://tiktok.com/@shop" });
    expect(ways[0].pointsPerCurrencyUnit).toBe(1);
  });

  it("shows a guest the rules open to everyone, nothing done, nothing claimable", () => {
    expect(shopperWaysToEarn(rules, null, AT, "UTC").map((w) => [w.id, w.done, w.claimable])).toEqual([
      [1, false, false],
      [2, false, false],
      [3, false, false],
      [4, false, false],
      [7, false, false],
    ]);
  });

  it.each([
    ["signup once ever", rule({ kind: "signup" }), "2020-01-01T00:00:00.000Z", true],
    ["birthday this year", rule({ kind: "birthday" }), "2026-03-01T00:00:00.000Z", true],
    ["birthday last year", rule({ kind: "birthday" }), "2025-12-31T00:00:00.000Z", false],
    ["custom, once a day, today", rule({ kind: "custom", limit: { count: 1, period: "day" } }), "2026-12-02T01:00:00.000Z", true],
    ["custom, twice a day", rule({ kind: "custom", limit: { count: 2, period: "day" } }), "2026-12-02T01:00:00.000Z", false],
    ["never", rule({ kind: "signup" }), undefined, false],
  ])("ruleDone: %s", (_name, r, last, expected) => {
    expect(ruleDone(r, last, AT, "UTC")).toBe(expected);
  });

  it("shows running live campaigns only, as multipliers", () => {
    const shown = shopperCampaigns(
      [campaign(), campaign({ id: 11, status: "dry_run" }), campaign({ id: 12, endsAt: AT }), campaign({ id: 13, customerTags: ["vip"] })],
      null,
      AT,
    );
    expect(shown).toEqual([
      { id: 10, name: "Double points", multiplier: 2, bonusPoints: null, endsAt: "2026-12-08T00:00:00.000Z", productLimited: false, content: {} },
    ]);
  });

  it("reads pending points from the member's row, soonest first, and none from a broken record", () => {
    expect(
      parsePendingPoints(
        JSON.stringify([
          { orderId: "2", points: 50, availableOn: "2026-12-20T00:00:00.000Z" },
          { orderId: "1", points: 30, availableOn: "2026-12-10T00:00:00.000Z" },
          { orderId: "3", points: 0, availableOn: "2026-12-11T00:00:00.000Z" },
        ]),
      ),
    ).toEqual([
      { points: 30, availableOn: "2026-12-10T00:00:00.000Z" },
      { points: 50, availableOn: "2026-12-20T00:00:00.000Z" },
    ]);
    expect(parsePendingPoints("not json")).toEqual([]);
  });
});
