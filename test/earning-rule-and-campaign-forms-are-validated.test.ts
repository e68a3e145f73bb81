import { describe, expect, it } from "vitest";
import {
  campaignPhase,
  parseMultiplier,
  previewCampaignOrder,
  ruleToForm,
  validateCampaignForm,
  validateEarningRuleForm,
  type CampaignForm,
  type EarningRuleForm,
} from "../app/domain/earning-rule-form";
import { localDateTimeToInstant } from "../app/domain/local-days";
import type { Campaign, EarningRule, EarningRuleKind } from "../app/domain/ways-to-earn";

// The Ways to earn forms: one base form per kind, one field varied at a time.

const BASE: EarningRuleForm = {
  status: "live",
  points: "100",
  rateMode: "per_currency",
  pointsPerCurrencyUnit: "1",
  everyNth: "6",
  photoBonusPoints: "",
  network: "instagram",
  url: "https://instagram.com/teashop",
  includeImported: false,
  noticeDays: "30",
  limitCount: "",
  limitPeriod: "",
  startsAt: "",
  endsAt: "",
  customerTags: "",
  titles: {},
  descriptions: {},
};

const ZONE = "Europe/Copenhagen";

describe("a way to earn's form", () => {
  it.each<[string, EarningRuleKind, Partial<EarningRuleForm>, object]>([
    ["a purchase rate", "purchase", {}, { pointsPerCurrencyUnit: 1, points: 0 }],
    ["a purchase rate of 0", "purchase", { pointsPerCurrencyUnit: "0" }, { pointsPerCurrencyUnit: 0 }],
    ["fixed points per order", "purchase", { rateMode: "per_order", points: "25" }, { pointsPerCurrencyUnit: null, points: 25 }],
    ["a stamp card", "nth_order", { everyNth: "5", points: "200" }, { everyNth: 5, points: 200 }],
    ["points with a thousands separator", "signup", { points: "1,000" }, { points: 1000 }],
    ["the most points", "custom", { points: "1000000" }, { points: 1_000_000 }],
    ["a review with a photo bonus", "review", { points: "40", photoBonusPoints: "60" }, { points: 40, photoBonusPoints: 60 }],
    ["a social follow", "social", {}, { settings: { network: "instagram", url: "https://instagram.com/teashop" } }],
    ["sign-up for imported members too", "signup", { includeImported: true }, { settings: { includeImported: true } }],
    ["birthday with its notice", "birthday", { noticeDays: "0" }, { settings: { noticeDays: 0 } }],
    ["birthday, notice left empty", "birthday", { noticeDays: "" }, { settings: { noticeDays: 30 } }],
    ["once a day", "custom", { limitCount: "1", limitPeriod: "day" }, { limit: { count: 1, period: "day" } }],
    ["a period without a count means once", "custom", { limitPeriod: "week" }, { limit: { count: 1, period: "week" } }],
    [
      "a window in the shop's zone",
      "custom",
      { startsAt: "2026-12-05T00:00", endsAt: "2026-12-07T00:00" },
      { startsAt: "2026-12-04T23:00:00.000Z", endsAt: "2026-12-06T23:00:00.000Z" },
    ],
    ["tags, lower-cased, once each", "custom", { customerTags: "VIP, vip , Wholesale" }, { customerTags: ["vip", "wholesale"] }],
    [
      "titles per language",
      "signup",
      { titles: { en: " Join us ", he: "הצטרפו" }, descriptions: { da: "Bliv medlem" } },
      { content: { en: { title: "Join us" }, he: { title: "הצטרפו" }, da: { description: "Bliv medlem" } } },
    ],
    ["a dry run", "custom", { status: "dry_run" }, { status: "dry_run" }],
  ])("accepts %s", (_name, kind, overrides, expected) => {
    const result = validateEarningRuleForm(kind, { ...BASE, ...overrides }, ZONE);
    expect(result).toMatchObject({ ok: true, rule: expected });
  });

  it.each<[string, EarningRuleKind, Partial<EarningRuleForm>, string, RegExp]>([
    ["no points", "signup", { points: "" }, "points", /whole points from 1 to 1,000,000/],
    ["0 points", "signup", { points: "0" }, "points", /from 1 to 1,000,000/],
    ["too many points", "custom", { points: "1000001" }, "points", /from 1 to 1,000,000/],
    ["decimal points", "custom", { points: "12.5" }, "points", /no decimals/],
    ["negative points", "custom", { points: "-5" }, "points", /whole points/],
    ["no purchase mode", "purchase", { rateMode: "" }, "rateMode", /Choose points per unit/],
    ["a rate above 1000", "purchase", { pointsPerCurrencyUnit: "1001" }, "pointsPerCurrencyUnit", /0 to 1000/],
    ["a stamp card of 1", "nth_order", { everyNth: "1" }, "everyNth", /from 2 to 100/],
    ["a stamp card of 101", "nth_order", { everyNth: "101" }, "everyNth", /from 2 to 100/],
    ["a social link that is not a URL", "social", { url: "instagram.com/teashop" }, "url", /starting with https/],
    ["a javascript: link", "social", { url: "javascript:alert(1)" }, "url", /starting with https/],
    ["an unknown network", "social", { network: "myspace" }, "network", /Instagram, TikTok/],
    ["notice of 400 days", "birthday", { noticeDays: "400" }, "noticeDays", /0 to 365/],
    ["an unknown limit period", "custom", { limitPeriod: "decade" }, "limitPeriod", /ever, a year/],
    ["a limit of 0", "custom", { limitPeriod: "day", limitCount: "0" }, "limitCount", /1 to 1000/],
    ["an end before the start", "custom", { startsAt: "2026-12-07T00:00", endsAt: "2026-12-05T00:00" }, "endsAt", /after the start/],
    ["an end equal to the start", "custom", { startsAt: "2026-12-07T00:00", endsAt: "2026-12-07T00:00" }, "endsAt", /after the start/],
    ["a date that is not one", "custom", { startsAt: "2026-02-30T00:00" }, "startsAt", /Enter a date and time/],
    ["a tag too long", "custom", { customerTags: "x".repeat(256) }, "customerTags", /255 characters/],
    ["a title too long", "custom", { titles: { ar: "x".repeat(101) } }, "title_ar", /100 characters/],
    ["a description too long", "custom", { descriptions: { ro: "x".repeat(501) } }, "description_ro", /500 characters/],
    ["an unknown status", "custom", { status: "paused" }, "status", /live, dry run or off/],
  ])("refuses %s", (_name, kind, overrides, field, message) => {
    const result = validateEarningRuleForm(kind, { ...BASE, ...overrides }, ZONE);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[field as keyof typeof result.fieldErrors]).toMatch(message);
  });

  it.each<[EarningRuleKind, boolean]>([
    ["signup", false],
    ["birthday", false],
    ["newsletter", false],
    ["first_order", false],
    ["custom", true],
    ["social", true],
    ["nth_order", true],
  ])("a second %s rule is allowed: %s", (kind, allowed) => {
    const result = validateEarningRuleForm(kind, BASE, ZONE, [{ kind, status: "live" }]);
    expect(result.ok).toBe(allowed);
    if (!result.ok) expect(result.fieldErrors.kind).toMatch(/already has a/);
  });

  it("a second sign-up rule is allowed while the first is off", () => {
    expect(validateEarningRuleForm("signup", BASE, ZONE, [{ kind: "signup", status: "off" }]).ok).toBe(true);
  });

  it("shows a stored rule as the form that saves it again unchanged", () => {
    const first = validateEarningRuleForm(
      "custom",
      { ...BASE, limitCount: "2", limitPeriod: "month", startsAt: "2026-12-05T09:30", customerTags: "vip", titles: { en: "Quiz" } },
      ZONE,
    );
    if (!first.ok) throw new Error("invalid");
    const stored = { id: 1, ...first.rule } as EarningRule;
    const again = validateEarningRuleForm("custom", ruleToForm(stored, ZONE), ZONE);
    expect(again).toEqual(first);
  });
});

const CAMPAIGN: CampaignForm = {
  name: "Double points weekend",
  status: "live",
  startsAt: "2026-12-05T00:00",
  endsAt: "2026-12-07T00:00",
  mode: "multiplier",
  multiplier: "2",
  bonusPoints: "",
  productIds: "",
  collectionIds: "",
  customerTags: "",
  titles: {},
};

describe("a campaign's form", () => {
  it.each<[string, Partial<CampaignForm>, object]>([
    ["double points", {}, { multiplierPercent: 200, bonusPoints: null, startsAt: "2026-12-04T23:00:00.000Z", endsAt: "2026-12-06T23:00:00.000Z" }],
    ["1.5x", { multiplier: "1.5" }, { multiplierPercent: 150 }],
    ["1.25x written with an x", { multiplier: "1.25x" }, { multiplierPercent: 125 }],
    ["the highest multiplier", { multiplier: "10" }, { multiplierPercent: 1000 }],
    ["a fixed bonus", { mode: "bonus", multiplier: "", bonusPoints: "50" }, { multiplierPercent: null, bonusPoints: 50 }],
    ["some products and collections", { productIds: "1, gid://shopify/Product/2", collectionIds: "3" }, { productIds: ["1", "2"], collectionIds: ["3"] }],
    ["a dry run", { status: "dry_run" }, { status: "dry_run" }],
  ])("accepts %s", (_name, overrides, expected) => {
    expect(validateCampaignForm({ ...CAMPAIGN, ...overrides }, ZONE)).toMatchObject({ ok: true, campaign: expected });
  });

  it.each<[string, Partial<CampaignForm>, string, RegExp]>([
    ["no name", { name: " " }, "name", /Give the campaign a name/],
    ["no start", { startsAt: "" }, "startsAt", /when it starts/],
    ["no end", { endsAt: "" }, "endsAt", /when it ends/],
    ["an end before the start", { endsAt: "2026-12-04T00:00" }, "endsAt", /after the start/],
    ["a multiplier of 1", { multiplier: "1" }, "multiplier", /from 1.01 to 10/],
    ["a multiplier of 0.5", { multiplier: "0.5" }, "multiplier", /from 1.01 to 10/],
    ["a multiplier of 50", { multiplier: "50" }, "multiplier", /from 1.01 to 10/],
    ["a multiplier in words", { multiplier: "double" }, "multiplier", /like 2 or 1.5/],
    ["a bonus of 0", { mode: "bonus", multiplier: "", bonusPoints: "0" }, "bonusPoints", /from 1 to 1,000,000/],
    ["both a multiplier and a bonus", { bonusPoints: "50" }, "bonusPoints", /not both/],
    ["neither", { mode: "" }, "mode", /multiplier or a fixed bonus/],
    ["a product id that is not one", { productIds: "tea" }, "productIds", /not a product id/],
    ["a collection id that is not one", { collectionIds: "gid://shopify/Product/3" }, "collectionIds", /not a collection id/],
  ])("refuses %s", (_name, overrides, field, message) => {
    const result = validateCampaignForm({ ...CAMPAIGN, ...overrides }, ZONE);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[field as keyof typeof result.fieldErrors]).toMatch(message);
  });

  it.each([
    ["2", 200],
    ["2.5", 250],
    ["1,5", 150],
    ["3×", 300],
    ["2.555", null],
    ["", null],
  ])("parseMultiplier(%s) = %s", (text, expected) => {
    expect(parseMultiplier(text)).toBe(expected);
  });

  it.each([
    ["2026-12-04T22:59:59.000Z", "scheduled"],
    ["2026-12-04T23:00:00.000Z", "running"],
    ["2026-12-06T23:00:00.000Z", "ended"],
  ])("at %s a campaign is %s", (now, phase) => {
    expect(campaignPhase({ startsAt: "2026-12-04T23:00:00.000Z", endsAt: "2026-12-06T23:00:00.000Z" }, now)).toBe(phase);
  });

  it("previews what an order earns with the live purchase rules and the other running campaigns", () => {
    const purchase = {
      id: 1,
      kind: "purchase",
      status: "live",
      points: 0,
      pointsPerCurrencyUnit: 1,
      everyNth: null,
      photoBonusPoints: 0,
      limit: null,
      startsAt: null,
      endsAt: null,
      customerTags: [],
      settings: {},
      content: {},
    } as EarningRule;
    const at = localDateTimeToInstant("2026-12-05T12:00", ZONE)!;
    const edited: Campaign = {
      id: 7,
      name: "Weekend",
      status: "live",
      startsAt: at,
      endsAt: "2026-12-08T00:00:00.000Z",
      multiplierPercent: 200,
      bonusPoints: null,
      productIds: null,
      customerTags: [],
      content: {},
    };
    const bonus: Campaign = { ...edited, id: 8, name: "Welcome bonus", multiplierPercent: null, bonusPoints: 25 };
    expect(previewCampaignOrder(8050, "USD", [purchase], [bonus], edited, at)).toEqual({
      points: 185,
      breakdown: [
        { label: "1 per 1 USD", points: 80 },
        { label: "Welcome bonus: bonus", points: 25 },
        { label: "Weekend: 2x", points: 80 },
      ],
    });
  });
});
