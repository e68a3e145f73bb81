import { describe, expect, it } from "vitest";
import { parseMultiplier, retentionStatement, tierProgramToForm, validateTierForm, type TierFormData } from "../app/domain/tier-form";

// The Tiers page's form, pure: one valid form, one field varied at a time.

const VALID: TierFormData = {
  enabled: "on",
  basis: "points_earned",
  periodKind: "calendar_year",
  periodMonths: "12",
  retention: "period_and_next",
  adjustmentsCount: "",
  tagPrefix: "VIP: ",
  tierCount: "2",
  "tiers.0.threshold": "500",
  "tiers.0.name_en": "Silver",
  "tiers.0.name_he": "כסף",
  "tiers.0.multiplier": "1.25",
  "tiers.1.threshold": "1500",
  "tiers.1.name_en": "Gold",
  "tiers.1.multiplier": "1.5x",
  "tiers.1.entryBonusPoints": "200",
  "tiers.1.freeShipping": "on",
  "tiers.1.memberPricePercent": "10",
  "tiers.1.memberPriceCollections": "123, gid://shopify/Collection/456",
  "tiers.1.paidProduct": "gid://shopify/Product/99",
  "tiers.1.paidDurationDays": "365",
};
const options = { currency: "USD", primaryLocale: "en" };
const errorsOf = (change: Record<string, string>) => {
  const result = validateTierForm({ ...VALID, ...change }, options);
  return result.ok ? {} : result.fieldErrors;
};

describe("the Tiers form", () => {
  it("reads a valid form into the program the engine saves", () => {
    const result = validateTierForm(VALID, options);
    expect(result).toEqual({
      ok: true,
      program: {
        enabled: true,
        basis: "points_earned",
        period: { kind: "calendar_year" },
        retention: "period_and_next",
        adjustmentsCount: false,
        tagPrefix: "VIP: ",
        tiers: [
          expect.objectContaining({
            rank: 1,
            threshold: 500,
            names: { en: "Silver", he: "כסף" },
            multiplierPercent: 125,
            entryBonusPoints: 0,
            freeShipping: false,
          }),
          expect.objectContaining({
            rank: 2,
            threshold: 1500,
            multiplierPercent: 150,
            entryBonusPoints: 200,
            freeShipping: true,
            memberPricePercent: 10,
            memberPriceCollectionIds: ["gid://shopify/Collection/123", "gid://shopify/Collection/456"],
            paidProductId: "gid://shopify/Product/99",
            paidVariantId: null,
            paidDurationDays: 365,
          }),
        ],
      },
    });
  });

  it.each([
    [{ basis: "visits" }, "basis"],
    [{ periodKind: "weekly" }, "periodKind"],
    [{ periodKind: "rolling", periodMonths: "0" }, "periodMonths"],
    [{ periodKind: "rolling", periodMonths: "37" }, "periodMonths"],
    [{ retention: "forever" }, "retention"],
    [{ tagPrefix: "A very long tag prefix!" }, "tagPrefix"],
    [{ tagPrefix: "VIP," }, "tagPrefix"],
    [{ tierCount: "0" }, "tiers"],
    [{ tierCount: "11" }, "tiers"],
    [{ "tiers.0.threshold": "" }, "tiers.0.threshold"],
    [{ "tiers.0.threshold": "1.5" }, "tiers.0.threshold"],
    [{ "tiers.0.threshold": "-1" }, "tiers.0.threshold"],
    [{ "tiers.1.threshold": "500" }, "tiers.1.threshold"],
    [{ "tiers.1.threshold": "400" }, "tiers.1.threshold"],
    [{ "tiers.0.name_en": "" }, "tiers.0.name_en"],
    [{ "tiers.0.name_da": "x".repeat(41) }, "tiers.0.name_da"],
    [{ "tiers.0.multiplier": "0.5" }, "tiers.0.multiplier"],
    [{ "tiers.0.multiplier": "11" }, "tiers.0.multiplier"],
    [{ "tiers.0.multiplier": "fast" }, "tiers.0.multiplier"],
    [{ "tiers.1.entryBonusPoints": "1000001" }, "tiers.1.entryBonusPoints"],
    [{ "tiers.1.birthdayPoints": "1.5" }, "tiers.1.birthdayPoints"],
    [{ "tiers.1.memberPricePercent": "91" }, "tiers.1.memberPricePercent"],
    [{ "tiers.1.memberPriceCollections": "gid://shopify/Product/1" }, "tiers.1.memberPriceCollections"],
    [{ "tiers.1.paidProduct": "shirt" }, "tiers.1.paidProduct"],
    [{ "tiers.1.paidDurationDays": "" }, "tiers.1.paidDurationDays"],
    [{ "tiers.1.paidDurationDays": "3661" }, "tiers.1.paidDurationDays"],
  ])("refuses %j with an error on %s alone", (change, field) => {
    expect(Object.keys(errorsOf(change))).toEqual([field]);
  });

  it("reads amount thresholds in the shop's currency", () => {
    const result = validateTierForm({ ...VALID, basis: "amount_spent", "tiers.0.threshold": "250.00", "tiers.1.threshold": "1000" }, options);
    expect(result.ok && result.program.tiers.map((tier) => tier.threshold)).toEqual([25000, 100000]);
    expect(Object.keys(errorsOf({ basis: "amount_spent", "tiers.0.threshold": "2.505" }))).toEqual(["tiers.0.threshold"]);
    const yen = validateTierForm(
      { ...VALID, basis: "amount_spent", "tiers.0.threshold": "5000", "tiers.1.threshold": "20000" },
      { ...options, currency: "JPY" },
    );
    expect(yen.ok && yen.program.tiers.map((tier) => tier.threshold)).toEqual([5000, 20000]);
  });

  it("takes a variant as the paid membership, and the shop's primary language for the required name", () => {
    const variant = validateTierForm({ ...VALID, "tiers.1.paidProduct": "gid://shopify/ProductVariant/7" }, options);
    expect(variant.ok && [variant.program.tiers[1].paidProductId, variant.program.tiers[1].paidVariantId]).toEqual([null, "gid://shopify/ProductVariant/7"]);
    expect(
      Object.keys(
        validateTierForm(VALID, { ...options, primaryLocale: "da" }).ok
          ? {}
          : (validateTierForm(VALID, { ...options, primaryLocale: "da" }) as { fieldErrors: object }).fieldErrors,
      ),
    ).toEqual(["tiers.0.name_da", "tiers.1.name_da"]);
  });

  it.each([
    ["1.5", 150],
    ["1.5x", 150],
    ["2X", 200],
    ["125%", 125],
    ["1", 100],
    ["", null],
    ["1.555", null],
    ["x", null],
  ])("reads the multiplier %s as %s percent", (text, percent) => {
    expect(parseMultiplier(text)).toBe(percent);
  });

  it("round-trips a saved program through the form", () => {
    const first = validateTierForm(VALID, options);
    if (!first.ok) throw new Error("valid form refused");
    const form = tierProgramToForm({ ...first.program, tiers: first.program.tiers.map((tier, i) => ({ ...tier, id: i + 1 })) }, "USD");
    expect(validateTierForm(form, options)).toEqual(first);
  });

  it("states the keep rule in plain words", () => {
    expect(retentionStatement({ kind: "calendar_year" }, "period_and_next")).toMatch(/rest of the calendar year .* whole next year/);
    expect(retentionStatement({ kind: "rolling", months: 12 }, "period_and_next")).toMatch(/12 months/);
    expect(retentionStatement({ kind: "calendar_year" }, "rolling")).toMatch(/only while/);
    expect(retentionStatement({ kind: "lifetime" }, "rolling")).toMatch(/for good/);
  });
});
