import { MoneyFormatError, currencyDecimals, fromMinorUnits, toMinorUnits } from "./money";

/**
 * The order-wide settings every way to earn on orders shares, as they are stored (ids are Shopify
 * numeric ids). The points themselves are the ways to earn's (app/domain/ways-to-earn.ts).
 */
export interface ProgramSettings {
  enabled: boolean;
  minimumOrderMinor: number;
  earnTrigger: "paid" | "fulfilled";
  excludedProductIds: string[];
  excludedCollectionIds: string[];
  excludedCustomerTags: string[];
}

/**
 * The settings form as submitted: every field is text, exactly as the merchant typed it.
 *
 * @example { enabled: true, minimumOrderAmount: "10.00", earnTrigger: "paid",
 *   excludedProductIds: "123\ngid://shopify/Product/456", excludedCollectionIds: "", excludedCustomerTags: "wholesale" }
 */
export interface ProgramSettingsForm {
  enabled: boolean;
  minimumOrderAmount: string;
  earnTrigger: string;
  excludedProductIds: string;
  excludedCollectionIds: string;
  excludedCustomerTags: string;
}

export type ProgramSettingsField = keyof ProgramSettingsForm;
export type ProgramSettingsFieldErrors = Partial<Record<ProgramSettingsField, string>>;

export type ProgramSettingsValidation =
  { ok: true; settings: ProgramSettings } | { ok: false; reason: "invalid_fields"; fieldErrors: ProgramSettingsFieldErrors };

/** The highest rate a purchase way to earn may give, in points per unit of currency. */
export const MAX_POINTS_PER_CURRENCY_UNIT = 1000;
const MAX_TAG_LENGTH = 255;

/** Items typed one per line or separated by commas, trimmed, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Numeric ids from `123` or `gid://shopify/Product/123` items. The first item that is neither
 * is reported, so the merchant can find it.
 *
 * @example parseShopifyIds("1, gid://shopify/Collection/2", "Collection") // { ok: true, ids: ["1", "2"] }
 */
export function parseShopifyIds(
  text: string,
  resource: "Product" | "Collection",
): { ok: true; ids: string[] } | { ok: false; reason: "invalid_id"; invalid: string } {
  const ids: string[] = [];
  const gid = new RegExp(`^gid://shopify/${resource}/(\\d+)$`);
  for (const item of splitList(text)) {
    const id = /^\d+$/.test(item) ? item : gid.exec(item)?.[1];
    if (!id || !/^[1-9]\d{0,19}$/.test(id)) return { ok: false, reason: "invalid_id", invalid: item };
    if (!ids.includes(id)) ids.push(id);
  }
  return { ok: true, ids };
}

/** Validates the settings form for a shop whose currency is `currency`. Pure: no I/O. */
export function validateProgramSettings(form: ProgramSettingsForm, currency: string): ProgramSettingsValidation {
  const fieldErrors: ProgramSettingsFieldErrors = {};

  let minimumOrderMinor = 0;
  const minimumText = form.minimumOrderAmount.trim();
  if (minimumText) {
    try {
      minimumOrderMinor = toMinorUnits(minimumText, currency);
      if (minimumOrderMinor < 0) fieldErrors.minimumOrderAmount = "The minimum order amount cannot be negative.";
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      fieldErrors.minimumOrderAmount = /precision/.test(error.message)
        ? `${currency} amounts have at most ${currencyDecimals(currency)} decimals.`
        : `Enter an amount in ${currency}, like ${fromMinorUnits(2500, currency)}.`;
    }
  }

  if (form.earnTrigger !== "paid" && form.earnTrigger !== "fulfilled") {
    fieldErrors.earnTrigger = "Choose when points are earned: when the order is paid or when it is fulfilled.";
  }

  const products = parseShopifyIds(form.excludedProductIds, "Product");
  if (!products.ok) {
    fieldErrors.excludedProductIds = `"${products.invalid}" is not a product id. Use a number or gid://shopify/Product/<number>.`;
  }
  const collections = parseShopifyIds(form.excludedCollectionIds, "Collection");
  if (!collections.ok) {
    fieldErrors.excludedCollectionIds = `"${collections.invalid}" is not a collection id. Use a number or gid://shopify/Collection/<number>.`;
  }

  const tags: string[] = [];
  for (const tag of splitList(form.excludedCustomerTags)) {
    if (tag.length > MAX_TAG_LENGTH) {
      fieldErrors.excludedCustomerTags = `Tags are at most ${MAX_TAG_LENGTH} characters.`;
      break;
    }
    if (!tags.some((kept) => kept.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  }

  if (Object.keys(fieldErrors).length > 0 || !products.ok || !collections.ok) return { ok: false, reason: "invalid_fields", fieldErrors };
  return {
    ok: true,
    settings: {
      enabled: form.enabled,
      minimumOrderMinor,
      earnTrigger: form.earnTrigger as ProgramSettings["earnTrigger"],
      excludedProductIds: products.ids,
      excludedCollectionIds: collections.ids,
      excludedCustomerTags: tags,
    },
  };
}

/** The form a merchant sees for stored settings. */
export function settingsToForm(settings: ProgramSettings, currency: string): ProgramSettingsForm {
  return {
    enabled: settings.enabled,
    minimumOrderAmount: fromMinorUnits(settings.minimumOrderMinor, currency),
    earnTrigger: settings.earnTrigger,
    excludedProductIds: settings.excludedProductIds.join("\n"),
    excludedCollectionIds: settings.excludedCollectionIds.join("\n"),
    excludedCustomerTags: settings.excludedCustomerTags.join(", "),
  };
}
