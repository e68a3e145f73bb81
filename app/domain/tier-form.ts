import { fromMinorUnits, MoneyFormatError, toMinorUnits } from "./money";
import { parseShopifyIds } from "./program-settings";
import { SHOPPER_LOCALES } from "./earning-rule-form";
import type { TierBasis, TierConfig, TierProgramConfig, TierRetention } from "./tiers";
import { TIER_WITHOUT_PERKS } from "./tiers";

// The Tiers page's form, as the merchant submits it (every field text, tiers numbered from 0 in
// rank order), validated into the program the engine saves. Pure: the shop's currency and primary
// locale come in as arguments.

export const MAX_TIERS = 10;
export const MAX_THRESHOLD = 1_000_000_000;
export const MIN_TIER_MULTIPLIER_PERCENT = 100;
export const MAX_TIER_MULTIPLIER_PERCENT = 1000;
export const MAX_TIER_POINTS = 1_000_000;
export const MAX_MEMBER_PRICE_PERCENT = 90;
export const MAX_ROLLING_MONTHS = 36;
export const MAX_PAID_DAYS = 3660;
export const MAX_TIER_NAME_LENGTH = 40;
export const MAX_TAG_PREFIX_LENGTH = 20;

export const TIER_BASES: readonly TierBasis[] = ["points_earned", "amount_spent", "orders"];
export const TIER_RETENTIONS: readonly TierRetention[] = ["period_and_next", "rolling"];
export const TIER_PERIOD_KINDS = ["lifetime", "calendar_year", "rolling"] as const;

/** A program without tier ids, as the engine saves it (app/models/tiers.server.ts TierProgramInput). */
export type TierProgramDraft = Omit<TierProgramConfig, "tiers"> & { tiers: Omit<TierConfig, "id">[] };

/** The flat form: `enabled`, `basis`, `periodKind`, `periodMonths`, `retention`, `adjustmentsCount`, `tagPrefix`, `tierCount`, and per tier i `tiers.<i>.<field>`. */
export type TierFormData = Readonly<Record<string, string | undefined>>;

export type TierFieldErrors = Record<string, string>;

export type TierFormResult = { ok: true; program: TierProgramDraft } | { ok: false; fieldErrors: TierFieldErrors };

export const TIER_FIELDS = [
  "threshold",
  "multiplier",
  "entryBonusPoints",
  "birthdayPoints",
  "freeShipping",
  "memberPricePercent",
  "memberPriceCollections",
  "paidProduct",
  "paidDurationDays",
] as const;

export const tierField = (index: number, field: (typeof TIER_FIELDS)[number] | `name_${string}`) => `tiers.${index}.${field}`;

const wholeIn = (text: string, min: number, max: number): number | null => {
  if (!/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
};

/** "1.5", "1.5x", "150%" as a percent (150); null when it is not a multiplier. */
export function parseMultiplier(text: string): number | null {
  const trimmed = text.trim().replace(/x$/i, "");
  if (/^\d+(\.\d{1,2})?%$/.test(trimmed)) return Math.round(Number(trimmed.slice(0, -1)));
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  return Math.round(Number(trimmed) * 100);
}

/** A threshold as the basis reads it: money in the shop's currency for amount spent, whole points or orders otherwise. */
function parseThreshold(text: string, basis: TierBasis, currency: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (!trimmed) return { error: "Enter the threshold." };
  if (basis === "amount_spent") {
    try {
      const minor = toMinorUnits(trimmed, currency);
      if (minor < 0 || minor > MAX_THRESHOLD) return { error: `Enter an amount from 0 to ${fromMinorUnits(MAX_THRESHOLD, currency)} ${currency}.` };
      return { value: minor };
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      return { error: `Enter an amount in ${currency}, such as 250.00.` };
    }
  }
  const value = wholeIn(trimmed, 0, MAX_THRESHOLD);
  return value === null ? { error: `Enter a whole number from 0 to ${MAX_THRESHOLD.toLocaleString("en-US")}.` } : { value };
}

/** Validates the Tiers page's form. */
export function validateTierForm(form: TierFormData, { currency, primaryLocale }: { currency: string; primaryLocale: string }): TierFormResult {
  const fieldErrors: TierFieldErrors = {};
  const text = (name: string) => (form[name] ?? "").trim();

  const basis = text("basis") as TierBasis;
  if (!TIER_BASES.includes(basis)) fieldErrors.basis = "Choose what counts towards a tier: points earned, amount spent or orders.";
  const periodKind = text("periodKind") as (typeof TIER_PERIOD_KINDS)[number];
  let period: TierProgramConfig["period"] = { kind: "lifetime" };
  if (periodKind === "rolling") {
    const months = wholeIn(text("periodMonths"), 1, MAX_ROLLING_MONTHS);
    if (months === null) fieldErrors.periodMonths = `Enter a whole number of months from 1 to ${MAX_ROLLING_MONTHS}.`;
    else period = { kind: "rolling", months };
  } else if (periodKind === "calendar_year") period = { kind: "calendar_year" };
  else if (periodKind !== "lifetime") fieldErrors.periodKind = "Choose the period totals are counted over: lifetime, calendar year or rolling months.";
  const retention = text("retention") as TierRetention;
  if (!TIER_RETENTIONS.includes(retention)) fieldErrors.retention = "Choose how long a reached tier is kept.";
  const tagPrefix = form.tagPrefix ?? "";
  if (tagPrefix.length > MAX_TAG_PREFIX_LENGTH) fieldErrors.tagPrefix = `Keep the tag prefix to ${MAX_TAG_PREFIX_LENGTH} characters.`;
  if (/,/.test(tagPrefix)) fieldErrors.tagPrefix = "A tag cannot contain a comma.";

  const count = wholeIn(text("tierCount"), 0, 1000);
  const tiers: Omit<TierConfig, "id">[] = [];
  if (count === null || count === 0) fieldErrors.tiers = "Add at least one tier.";
  else if (count > MAX_TIERS) fieldErrors.tiers = `A program has at most ${MAX_TIERS} tiers.`;
  else {
    for (let index = 0; index < count; index++) {
      const field = (name: Parameters<typeof tierField>[1]) => tierField(index, name);
      const value = (name: Parameters<typeof tierField>[1]) => text(field(name));
      const names: Record<string, string> = {};
      for (const locale of SHOPPER_LOCALES) {
        const name = value(`name_${locale}`);
        if (name.length > MAX_TIER_NAME_LENGTH) fieldErrors[field(`name_${locale}`)] = `Keep the name to ${MAX_TIER_NAME_LENGTH} characters.`;
        else if (name) names[locale] = name;
      }
      if (!names[primaryLocale] && !fieldErrors[field(`name_${primaryLocale}`)])
        fieldErrors[field(`name_${primaryLocale}`)] = "Name the tier in the shop's language.";

      const threshold = TIER_BASES.includes(basis) ? parseThreshold(value("threshold"), basis, currency) : { value: 0 };
      if ("error" in threshold) fieldErrors[field("threshold")] = threshold.error;

      const multiplier = value("multiplier") ? parseMultiplier(value("multiplier")) : 100;
      if (multiplier === null || multiplier < MIN_TIER_MULTIPLIER_PERCENT || multiplier > MAX_TIER_MULTIPLIER_PERCENT) {
        fieldErrors[field("multiplier")] = "Enter a multiplier from 1x to 10x, such as 1.5.";
      }
      const points = (name: "entryBonusPoints" | "birthdayPoints") => {
        if (!value(name)) return null;
        const parsed = wholeIn(value(name), 0, MAX_TIER_POINTS);
        if (parsed === null) fieldErrors[field(name)] = `Enter whole points from 0 to ${MAX_TIER_POINTS.toLocaleString("en-US")}.`;
        return parsed;
      };
      const entryBonusPoints = points("entryBonusPoints") ?? 0;
      const birthdayPoints = points("birthdayPoints");

      const memberPricePercent = value("memberPricePercent") ? wholeIn(value("memberPricePercent"), 0, MAX_MEMBER_PRICE_PERCENT) : 0;
      if (memberPricePercent === null) fieldErrors[field("memberPricePercent")] = `Enter a whole percentage from 0 to ${MAX_MEMBER_PRICE_PERCENT}.`;
      const collections = parseShopifyIds(value("memberPriceCollections"), "Collection");
      if (!collections.ok) fieldErrors[field("memberPriceCollections")] = `"${collections.invalid}" is not a collection ID or gid://shopify/Collection/… ID.`;

      let paidProductId: string | null = null;
      let paidVariantId: string | null = null;
      let paidDurationDays: number | null = null;
      const paid = value("paidProduct");
      const duration = value("paidDurationDays");
      if (paid || duration) {
        if (/^gid:\/\/shopify\/Product\/[1-9]\d{0,19}$/.test(paid)) paidProductId = paid;
        else if (/^gid:\/\/shopify\/ProductVariant\/[1-9]\d{0,19}$/.test(paid)) paidVariantId = paid;
        else fieldErrors[field("paidProduct")] = "Enter the membership's product (gid://shopify/Product/…) or variant (gid://shopify/ProductVariant/…).";
        paidDurationDays = wholeIn(duration, 1, MAX_PAID_DAYS);
        if (paidDurationDays === null) fieldErrors[field("paidDurationDays")] = `Enter how many days a membership lasts, from 1 to ${MAX_PAID_DAYS}.`;
      }

      tiers.push({
        rank: index + 1,
        threshold: "value" in threshold ? threshold.value : 0,
        names,
        multiplierPercent: multiplier ?? 100,
        entryBonusPoints,
        birthdayPoints,
        freeShipping: value("freeShipping") === "on" || value("freeShipping") === "true",
        memberPricePercent: memberPricePercent ?? 0,
        memberPriceCollectionIds: collections.ok ? collections.ids.map((id) => `gid://shopify/Collection/${id}`) : [],
        paidProductId,
        paidVariantId,
        paidDurationDays,
      });
    }
    for (let index = 1; TIER_BASES.includes(basis) && index < tiers.length; index++) {
      const key = tierField(index, "threshold");
      if (!fieldErrors[key] && !fieldErrors[tierField(index - 1, "threshold")] && tiers[index].threshold <= tiers[index - 1].threshold) {
        fieldErrors[key] = "Each tier's threshold must be higher than the tier before it.";
      }
    }
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  return {
    ok: true,
    program: {
      enabled: form.enabled === "on" || form.enabled === "true",
      basis,
      period,
      retention,
      adjustmentsCount: form.adjustmentsCount === "on" || form.adjustmentsCount === "true",
      tagPrefix: tagPrefix.trim() ? tagPrefix : null,
      tiers,
    },
  };
}

/** A saved program as the form shows it (a new shop: three example tiers, off). */
export function tierProgramToForm(program: TierProgramConfig | null, currency: string): Record<string, string> {
  const source: TierProgramConfig = program ?? {
    enabled: false,
    basis: "points_earned",
    period: { kind: "calendar_year" },
    retention: "period_and_next",
    adjustmentsCount: false,
    tagPrefix: null,
    tiers: [
      exampleTier(1, 0, "Bronze"),
      exampleTier(2, 1000, "Silver", { multiplierPercent: 125, entryBonusPoints: 100 }),
      exampleTier(3, 3000, "Gold", { multiplierPercent: 150, entryBonusPoints: 250 }),
    ],
  };
  const form: Record<string, string> = {
    enabled: source.enabled ? "on" : "",
    basis: source.basis,
    periodKind: source.period.kind,
    periodMonths: String(source.period.kind === "rolling" ? source.period.months : 12),
    retention: source.retention,
    adjustmentsCount: source.adjustmentsCount ? "on" : "",
    tagPrefix: source.tagPrefix ?? "",
    tierCount: String(source.tiers.length),
  };
  source.tiers.forEach((tier, index) => {
    const field = (name: Parameters<typeof tierField>[1]) => tierField(index, name);
    form[field("threshold")] = source.basis === "amount_spent" ? fromMinorUnits(tier.threshold, currency) : String(tier.threshold);
    for (const locale of SHOPPER_LOCALES) form[field(`name_${locale}`)] = tier.names[locale] ?? "";
    form[field("multiplier")] = String(tier.multiplierPercent / 100);
    form[field("entryBonusPoints")] = tier.entryBonusPoints ? String(tier.entryBonusPoints) : "";
    form[field("birthdayPoints")] = tier.birthdayPoints === null ? "" : String(tier.birthdayPoints);
    form[field("freeShipping")] = tier.freeShipping ? "on" : "";
    form[field("memberPricePercent")] = tier.memberPricePercent ? String(tier.memberPricePercent) : "";
    form[field("memberPriceCollections")] = tier.memberPriceCollectionIds.join(", ");
    form[field("paidProduct")] = tier.paidVariantId ?? tier.paidProductId ?? "";
    form[field("paidDurationDays")] = tier.paidDurationDays === null ? "" : String(tier.paidDurationDays);
  });
  return form;
}

function exampleTier(rank: number, threshold: number, name: string, perks: Partial<TierConfig> = {}): TierConfig {
  return {
    id: -rank,
    rank,
    threshold,
    names: { en: name },
    ...TIER_WITHOUT_PERKS,
    ...perks,
  };
}

/** The plain statement of how a reached tier is kept, as the Tiers page says it. */
export function retentionStatement(period: TierProgramConfig["period"], retention: TierRetention): string {
  if (period.kind === "lifetime") return "Totals never fall over a lifetime, so a tier once reached is kept for good.";
  if (retention === "rolling")
    return "A member keeps a tier only while their total still qualifies; the daily evaluation moves them down the day it no longer does.";
  if (period.kind === "calendar_year")
    return "A member keeps a tier for the rest of the calendar year in which they reached it and the whole next year; only then can the daily evaluation move them down.";
  return `A member keeps a tier for ${period.months} months from the day they reached it; only then can the daily evaluation move them down.`;
}
