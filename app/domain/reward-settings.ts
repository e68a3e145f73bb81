import { MoneyFormatError, currencyDecimals, fromMinorUnits, toMinorUnits } from "./money";
import type { RewardDefinition, RewardKind } from "./rewards";

export const REWARD_KINDS: readonly RewardKind[] = ["fixed_amount", "percentage", "free_shipping", "free_product", "variable", "store_credit"];

/** A catalogue entry as it is stored: what redemptions need, and whether shoppers can pick it. */
export type RewardSettings = Omit<RewardDefinition, "id"> & { enabled: boolean };

/**
 * The reward form as submitted: every field is text, exactly as the merchant typed it. Fields
 * another kind uses are ignored, so switching kinds in the form never blocks a save.
 *
 * @example { name: "5 off", kind: "fixed_amount", pointsCost: "500", amount: "5.00", codeLifetimeDays: "30", ... }
 */
export interface RewardSettingsForm {
  name: string;
  kind: string;
  pointsCost: string;
  /** fixed_amount, store_credit: the amount given. */
  amount: string;
  /** percentage: whole percent off, and an optional cap on the discount. */
  percentOff: string;
  maxDiscountAmount: string;
  /** free_product: a numeric id or gid://shopify/ProductVariant/<id>. */
  productVariantId: string;
  /** variable: what `pointsCost` points buy, and the amounts a shopper may pick between. */
  stepAmount: string;
  minAmount: string;
  maxAmount: string;
  minimumSubtotal: string;
  codeLifetimeDays: string;
  combinesWithOrderDiscounts: boolean;
  combinesWithProductDiscounts: boolean;
  combinesWithShippingDiscounts: boolean;
  enabled: boolean;
  /** Who can see and redeem it: VIP tier ids, comma-separated; empty (or absent): every member. */
  tierIds?: string;
}

export type RewardSettingsField = keyof RewardSettingsForm;
export type RewardSettingsFieldErrors = Partial<Record<RewardSettingsField, string>>;

export type RewardSettingsValidation = { ok: true; settings: RewardSettings } | { ok: false; reason: "invalid_fields"; fieldErrors: RewardSettingsFieldErrors };

export const MAX_REWARD_NAME_LENGTH = 80;
export const MAX_POINTS_COST = 1_000_000;
export const DEFAULT_CODE_LIFETIME_DAYS = 30;
export const MAX_CODE_LIFETIME_DAYS = 365;
/** Redemptions store points in a 32-bit integer column. */
const MAX_POINTS_PER_REDEMPTION = 2_147_483_647;

const KIND_LABELS: Record<RewardKind, string> = {
  fixed_amount: "Amount off the order",
  percentage: "Percentage off the order",
  free_shipping: "Free shipping",
  free_product: "Free product",
  variable: "Amount off, shopper picks how much",
  store_credit: "Store credit",
};

export const rewardKindLabel = (kind: RewardKind) => KIND_LABELS[kind];

const isRewardKind = (kind: string): kind is RewardKind => (REWARD_KINDS as readonly string[]).includes(kind);

/** A whole number typed as digits, within [min, max]; undefined when it is not. */
function wholeNumber(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : undefined;
}

type Amount = { ok: true; minor: number | null } | { ok: false; reason: "invalid_amount"; message: string };

/**
 * An amount of the shop's currency in minor units. Blank is null when the amount is optional;
 * zero counts as blank for optional amounts and is refused for required ones.
 */
function parseAmount(text: string, currency: string, { required }: { required: boolean }): Amount {
  const trimmed = text.trim();
  if (!trimmed) return required ? { ok: false, reason: "invalid_amount", message: `Enter an amount in ${currency}.` } : { ok: true, minor: null };
  let minor: number;
  try {
    minor = toMinorUnits(trimmed, currency);
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    if (/precision/.test(error.message)) {
      return { ok: false, reason: "invalid_amount", message: `${currency} amounts have at most ${currencyDecimals(currency)} decimals.` };
    }
    if (/too large/.test(error.message)) return { ok: false, reason: "invalid_amount", message: "That amount is too large." };
    return {
      ok: false,
      reason: "invalid_amount",
      message: `Enter an amount in ${currency}, like ${fromMinorUnits(5 * 10 ** currencyDecimals(currency), currency)}.`,
    };
  }
  if (minor < 0) return { ok: false, reason: "invalid_amount", message: "The amount cannot be negative." };
  if (minor === 0) return required ? { ok: false, reason: "invalid_amount", message: "The amount must be more than 0." } : { ok: true, minor: null };
  return { ok: true, minor };
}

/** A variant's Admin API gid from `123` or `gid://shopify/ProductVariant/123`; undefined when neither. */
export function parseProductVariantId(text: string): string | undefined {
  const trimmed = text.trim();
  const id = /^\d+$/.test(trimmed) ? trimmed : /^gid:\/\/shopify\/ProductVariant\/(\d+)$/.exec(trimmed)?.[1];
  if (!id || !/^[1-9]\d{0,19}$/.test(id)) return undefined;
  return `gid://shopify/ProductVariant/${id}`;
}

/** Validates the reward form for a shop whose currency is `currency`. Pure: no I/O. */
export function validateRewardSettings(
  form: RewardSettingsForm,
  currency: string,
  { knownTierIds = [] }: { knownTierIds?: readonly number[] } = {},
): RewardSettingsValidation {
  const fieldErrors: RewardSettingsFieldErrors = {};
  // Limited to some VIP tiers, each one the shop has; none chosen: every member.
  let tierIds: number[] | null = null;
  const tierText = (form.tierIds ?? "").trim();
  if (tierText) {
    const ids = tierText.split(",").map((part) => part.trim());
    if (ids.some((id) => !/^\d{1,9}$/.test(id) || !knownTierIds.includes(Number(id)))) {
      fieldErrors.tierIds = knownTierIds.length
        ? "Choose tiers this store has, or none for every member."
        : "This store has no VIP tiers: leave it open to every member.";
    } else tierIds = [...new Set(ids.map(Number))].sort((a, b) => a - b);
  }
  const amountField = (field: RewardSettingsField, required: boolean): number | null => {
    const parsed = parseAmount(String(form[field]), currency, { required });
    if (!parsed.ok) {
      fieldErrors[field] = parsed.message;
      return null;
    }
    return parsed.minor;
  };

  const name = form.name.trim();
  if (!name) fieldErrors.name = "Give the reward a name shoppers will recognise.";
  else if (name.length > MAX_REWARD_NAME_LENGTH) fieldErrors.name = `Names are at most ${MAX_REWARD_NAME_LENGTH} characters.`;

  const kind = form.kind;
  if (!isRewardKind(kind)) fieldErrors.kind = "Choose what the reward gives.";

  const pointsCost = wholeNumber(form.pointsCost, 1, MAX_POINTS_COST);
  if (pointsCost === undefined) {
    fieldErrors.pointsCost = `Enter a whole number of points from 1 to ${MAX_POINTS_COST.toLocaleString("en-US")}.`;
  }

  let valueMinor = 0;
  let percentOff = 0;
  let maxDiscountMinor: number | null = null;
  let productVariantId: string | null = null;
  let minAmountMinor: number | null = null;
  let maxAmountMinor: number | null = null;

  if (kind === "fixed_amount" || kind === "store_credit") {
    valueMinor = amountField("amount", true) ?? 0;
  } else if (kind === "percentage") {
    const percent = wholeNumber(form.percentOff, 1, 100);
    if (percent === undefined) fieldErrors.percentOff = "Enter a whole percentage from 1 to 100.";
    else percentOff = percent;
    // Optional: a capped percentage is served by the capped-percentage Shopify Function.
    maxDiscountMinor = amountField("maxDiscountAmount", false);
  } else if (kind === "free_product") {
    productVariantId = parseProductVariantId(form.productVariantId) ?? null;
    if (!productVariantId) {
      fieldErrors.productVariantId = form.productVariantId.trim()
        ? `"${form.productVariantId.trim()}" is not a product variant id. Use a number or gid://shopify/ProductVariant/<number>.`
        : "Enter the id of the product variant shoppers get.";
    }
  } else if (kind === "variable") {
    const step = amountField("stepAmount", true);
    minAmountMinor = amountField("minAmount", true);
    maxAmountMinor = amountField("maxAmount", true);
    if (step !== null) {
      valueMinor = step;
      const stepText = fromMinorUnits(step, currency);
      if (minAmountMinor !== null && minAmountMinor % step !== 0) {
        fieldErrors.minAmount = `The minimum must be a whole number of ${stepText} steps.`;
      }
      if (maxAmountMinor !== null && maxAmountMinor % step !== 0) {
        fieldErrors.maxAmount = `The maximum must be a whole number of ${stepText} steps.`;
      } else if (maxAmountMinor !== null && pointsCost !== undefined && (maxAmountMinor / step) * pointsCost > MAX_POINTS_PER_REDEMPTION) {
        fieldErrors.maxAmount = `The maximum would cost more than ${MAX_POINTS_PER_REDEMPTION.toLocaleString("en-US")} points.`;
      }
    }
    if (minAmountMinor !== null && maxAmountMinor !== null && minAmountMinor > maxAmountMinor && !fieldErrors.maxAmount) {
      fieldErrors.maxAmount = "The maximum cannot be less than the minimum.";
    }
  }

  const minimumSubtotalMinor = amountField("minimumSubtotal", false);

  let codeLifetimeDays = DEFAULT_CODE_LIFETIME_DAYS;
  if (form.codeLifetimeDays.trim()) {
    const days = wholeNumber(form.codeLifetimeDays, 1, MAX_CODE_LIFETIME_DAYS);
    if (days === undefined) fieldErrors.codeLifetimeDays = `Enter a whole number of days from 1 to ${MAX_CODE_LIFETIME_DAYS}.`;
    else codeLifetimeDays = days;
  }

  if (Object.keys(fieldErrors).length > 0 || !isRewardKind(kind) || pointsCost === undefined) return { ok: false, reason: "invalid_fields", fieldErrors };
  return {
    ok: true,
    settings: {
      name,
      kind,
      pointsCost,
      valueMinor,
      percentOff,
      maxDiscountMinor,
      productVariantId,
      minAmountMinor,
      maxAmountMinor,
      minimumSubtotalMinor,
      codeLifetimeDays,
      combinesWith: {
        orderDiscounts: form.combinesWithOrderDiscounts,
        productDiscounts: form.combinesWithProductDiscounts,
        shippingDiscounts: form.combinesWithShippingDiscounts,
      },
      enabled: form.enabled,
      tierIds,
    },
  };
}

/** The form for a new reward: the schema's defaults, nothing chosen yet. */
export function newRewardForm(): RewardSettingsForm {
  return {
    name: "",
    kind: "fixed_amount",
    pointsCost: "",
    amount: "",
    percentOff: "",
    maxDiscountAmount: "",
    productVariantId: "",
    stepAmount: "",
    minAmount: "",
    maxAmount: "",
    minimumSubtotal: "",
    codeLifetimeDays: String(DEFAULT_CODE_LIFETIME_DAYS),
    combinesWithOrderDiscounts: false,
    combinesWithProductDiscounts: false,
    combinesWithShippingDiscounts: true,
    enabled: true,
    tierIds: "",
  };
}

/** The form a merchant sees for a stored reward. */
export function rewardToForm(reward: RewardSettings, currency: string): RewardSettingsForm {
  const amount = (minor: number | null) => (minor === null ? "" : fromMinorUnits(minor, currency));
  const variable = reward.kind === "variable";
  return {
    name: reward.name,
    kind: reward.kind,
    pointsCost: String(reward.pointsCost),
    amount: reward.kind === "fixed_amount" || reward.kind === "store_credit" ? amount(reward.valueMinor) : "",
    percentOff: reward.kind === "percentage" ? String(reward.percentOff) : "",
    maxDiscountAmount: amount(reward.maxDiscountMinor),
    productVariantId: reward.productVariantId ?? "",
    stepAmount: variable ? amount(reward.valueMinor) : "",
    minAmount: amount(reward.minAmountMinor),
    maxAmount: amount(reward.maxAmountMinor),
    minimumSubtotal: amount(reward.minimumSubtotalMinor),
    codeLifetimeDays: String(reward.codeLifetimeDays),
    combinesWithOrderDiscounts: reward.combinesWith.orderDiscounts,
    combinesWithProductDiscounts: reward.combinesWith.productDiscounts,
    combinesWithShippingDiscounts: reward.combinesWith.shippingDiscounts,
    enabled: reward.enabled,
    tierIds: (reward.tierIds ?? []).join(","),
  };
}

/** What a reward gives, in a few words: "5.00 USD off", "10% off (up to 20.00 USD)". */
export function describeRewardValue(reward: RewardSettings, currency: string): string {
  const money = (minor: number) => `${fromMinorUnits(minor, currency)} ${currency}`;
  switch (reward.kind) {
    case "fixed_amount":
      return `${money(reward.valueMinor)} off`;
    case "store_credit":
      return `${money(reward.valueMinor)} store credit`;
    case "percentage":
      return `${reward.percentOff}% off${reward.maxDiscountMinor ? ` (up to ${money(reward.maxDiscountMinor)})` : ""}`;
    case "free_shipping":
      return "Free shipping";
    case "free_product":
      return `Free ${reward.productVariantId?.replace("gid://shopify/ProductVariant/", "variant ") ?? "product"}`;
    case "variable":
      return `${money(reward.valueMinor)} per ${reward.pointsCost} points, ${money(reward.minAmountMinor ?? reward.valueMinor)} to ${
        reward.maxAmountMinor === null ? "any amount" : money(reward.maxAmountMinor)
      }`;
  }
}
