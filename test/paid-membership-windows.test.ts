import { describe, expect, it } from "vitest";
import {
  heldPaidTier,
  membershipLines,
  membershipWindows,
  paidTierLinks,
  type MembershipRecord,
  type PaidTierLink,
  type PurchasedLine,
} from "../app/domain/paid-membership";
import type { TierConfig } from "../app/domain/tiers";
import { TIER_WITHOUT_PERKS } from "../app/domain/tiers";

// Paid membership's pure rules, one field varied at a time: which lines buy a tier, and the window
// each membership holds through extensions, refunds and cancellations.

const gold: PaidTierLink = { tierId: 3, rank: 3, productId: "100", variantId: null, durationDays: 365 };
const line = (spec: Partial<PurchasedLine> = {}): PurchasedLine => ({ lineItemId: "L1", productId: "100", variantId: "900", quantity: 1, ...spec });

describe("paidTierLinks", () => {
  const tier = (id: number, spec: Partial<TierConfig>): TierConfig => ({
    id,
    rank: id,
    threshold: id * 100,
    names: { en: `T${id}` },
    ...TIER_WITHOUT_PERKS,
    ...spec,
  });
  it.each([
    [
      "a product",
      { paidProductId: "gid://shopify/Product/100", paidDurationDays: 30 },
      [{ tierId: 1, rank: 1, productId: "100", variantId: null, durationDays: 30 }],
    ],
    [
      "a variant",
      { paidVariantId: "gid://shopify/ProductVariant/900", paidDurationDays: 7 },
      [{ tierId: 1, rank: 1, productId: null, variantId: "900", durationDays: 7 }],
    ],
    ["no product", { paidDurationDays: 30 }, []],
    ["no duration", { paidProductId: "gid://shopify/Product/100" }, []],
  ])("reads %s as the order webhook names it", (_, spec, links) => {
    expect(paidTierLinks({ tiers: [tier(1, spec)] })).toEqual(links);
  });
});

describe("membershipLines", () => {
  const silverVariant: PaidTierLink = { tierId: 2, rank: 2, productId: null, variantId: "900", durationDays: 30 };
  it.each<[string, PaidTierLink[], PurchasedLine[], { tierId: number; units: number; daysPerUnit: number }[]]>([
    ["the product's line", [gold], [line()], [{ tierId: 3, units: 1, daysPerUnit: 365 }]],
    ["two units of it", [gold], [line({ quantity: 2 })], [{ tierId: 3, units: 2, daysPerUnit: 365 }]],
    ["another product", [gold], [line({ productId: "101" })], []],
    ["a line of no units", [gold], [line({ quantity: 0 })], []],
    ["a line without a product", [gold], [line({ productId: null })], []],
    ["the linked variant over its product's link", [gold, silverVariant], [line()], [{ tierId: 2, units: 1, daysPerUnit: 30 }]],
    ["another variant of that product: the product's link", [gold, silverVariant], [line({ variantId: "901" })], [{ tierId: 3, units: 1, daysPerUnit: 365 }]],
    ["a line without a variant id", [silverVariant], [line({ variantId: undefined })], []],
    ["two links to one product: the higher tier", [{ ...gold, tierId: 1, rank: 1 }, gold], [line()], [{ tierId: 3, units: 1, daysPerUnit: 365 }]],
  ])("buys with %s", (_, links, lines, bought) => {
    expect(membershipLines(links, lines).map(({ tierId, units, daysPerUnit }) => ({ tierId, units, daysPerUnit }))).toEqual(bought);
  });
});

describe("membershipWindows and heldPaidTier", () => {
  const record = (spec: Partial<MembershipRecord> = {}): MembershipRecord => ({
    id: 1,
    tierId: 3,
    boughtAt: "2026-03-01T00:00:00.000Z",
    units: 1,
    daysPerUnit: 30,
    refundedUnits: 0,
    cancelled: false,
    ...spec,
  });
  const ends = (records: MembershipRecord[]) =>
    membershipWindows(records).map((w) => (w.ended ? "ended" : `${w.startsAt.slice(0, 10)}..${w.endsAt.slice(0, 10)}`));

  it.each<[string, MembershipRecord[], string[]]>([
    ["one membership", [record()], ["2026-03-01..2026-03-31"]],
    ["two units", [record({ units: 2 })], ["2026-03-01..2026-04-30"]],
    ["one of two units refunded", [record({ units: 2, refundedUnits: 1 })], ["2026-03-01..2026-03-31"]],
    ["refunded in full", [record({ refundedUnits: 1 })], ["ended"]],
    ["more refunded than bought", [record({ refundedUnits: 5 })], ["ended"]],
    ["cancelled", [record({ cancelled: true })], ["ended"]],
    [
      "a second purchase while it runs: extends",
      [record(), record({ id: 2, boughtAt: "2026-03-10T00:00:00.000Z" })],
      ["2026-03-01..2026-03-31", "2026-03-31..2026-04-30"],
    ],
    [
      "a second purchase after a lapse: from its day",
      [record(), record({ id: 2, boughtAt: "2026-05-10T00:00:00.000Z" })],
      ["2026-03-01..2026-03-31", "2026-05-10..2026-06-09"],
    ],
    [
      "the first refunded: the second moves up",
      [record({ refundedUnits: 1 }), record({ id: 2, boughtAt: "2026-03-10T00:00:00.000Z" })],
      ["ended", "2026-03-10..2026-04-09"],
    ],
    [
      "another tier's membership: its own chain",
      [record(), record({ id: 2, tierId: 2, boughtAt: "2026-03-10T00:00:00.000Z" })],
      ["2026-03-01..2026-03-31", "2026-03-10..2026-04-09"],
    ],
    [
      "listed out of order: chained by purchase",
      [record({ id: 2, boughtAt: "2026-03-10T00:00:00.000Z" }), record()],
      ["2026-03-01..2026-03-31", "2026-03-31..2026-04-30"],
    ],
  ])("%s", (_, records, windows) => {
    expect(ends(records)).toEqual(windows);
  });

  const ranks = (tierId: number) => ({ 2: 2, 3: 3 })[tierId] ?? null;
  it.each<[string, MembershipRecord[], string, { tierId: number; until: string } | null]>([
    ["while it runs", [record()], "2026-03-15T00:00:00.000Z", { tierId: 3, until: "2026-03-31T00:00:00.000Z" }],
    ["at its end", [record()], "2026-03-31T00:00:00.000Z", null],
    [
      "extended: until the chain ends",
      [record(), record({ id: 2, boughtAt: "2026-03-10T00:00:00.000Z" })],
      "2026-03-15T00:00:00.000Z",
      { tierId: 3, until: "2026-04-30T00:00:00.000Z" },
    ],
    ["refunded", [record({ refundedUnits: 1 })], "2026-03-15T00:00:00.000Z", null],
    ["two tiers: the higher", [record({ tierId: 2 }), record({ id: 2 })], "2026-03-15T00:00:00.000Z", { tierId: 3, until: "2026-03-31T00:00:00.000Z" }],
    ["a tier the merchant removed", [record({ tierId: 9 })], "2026-03-15T00:00:00.000Z", null],
  ])("the tier held: %s", (_, records, now, held) => {
    expect(heldPaidTier(membershipWindows(records), ranks, now)).toEqual(held);
  });
});
