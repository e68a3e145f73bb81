import { instantToLocalDateTime, localDateTimeToInstant } from "./local-days";
import { MAX_POINTS_PER_CURRENCY_UNIT, parseShopifyIds, splitList } from "./program-settings";
import {
  EARNING_RULE_KINDS,
  LIMIT_PERIODS,
  MAX_MULTIPLIER_PERCENT,
  MAX_RULE_POINTS,
  MIN_MULTIPLIER_PERCENT,
  MIN_RULE_POINTS,
  RULE_STATUSES,
  SOCIAL_NETWORKS,
  decideAwards,
  type Campaign,
  type EarningRule,
  type EarningRuleKind,
  type LimitPeriod,
  type RuleContent,
  type RuleSettings,
  type RuleStatus,
  type SocialNetwork,
} from "./ways-to-earn";

// The Ways to earn forms, as the merchant submits them (every field text), validated into what
// is stored. Pure: the shop's currency and time zone come in as arguments.

/** The languages shoppers see the program in: the merchant's own titles per language, ours as the default. */
export const SHOPPER_LOCALES = ["en", "he", "ar", "da", "ro"] as const;
export type ShopperLocale = (typeof SHOPPER_LOCALES)[number];

/** The shopper languages by name, as the admin's forms label their fields. */
export const SHOPPER_LOCALE_NAMES: Record<ShopperLocale, string> = { en: "English", he: "Hebrew", ar: "Arabic", da: "Danish", ro: "Romanian" };

export const MAX_TITLE_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 500;
const MAX_TAG_LENGTH = 255;
const MAX_EVERY_NTH = 100;
const MAX_LIMIT_COUNT = 1000;
const MAX_NOTICE_DAYS = 365;
const MAX_NAME_LENGTH = 100;

/** The longest pending window, in days. */
export const MAX_PENDING_DAYS = 365;

export const isRuleKind = (kind: string): kind is EarningRuleKind => (EARNING_RULE_KINDS as readonly string[]).includes(kind);

/** Kinds a shop may have only one live-or-dry-run rule of: the event they answer happens once. */
export const SINGLE_RULE_KINDS: ReadonlySet<EarningRuleKind> = new Set(["signup", "birthday", "newsletter", "first_order"]);

/**
 * A rule form as submitted.
 *
 * @example { status: "live", points: "100", rateMode: "", pointsPerCurrencyUnit: "", everyNth: "", photoBonusPoints: "",
 *   network: "", url: "", includeImported: false, noticeDays: "", limitCount: "", limitPeriod: "", startsAt: "", endsAt: "",
 *   customerTags: "", titles: { en: "Join the club" }, descriptions: {} }
 */
export interface EarningRuleForm {
  status: string;
  points: string;
  /** purchase: "per_currency" (a rate) or "per_order" (fixed points). */
  rateMode: string;
  pointsPerCurrencyUnit: string;
  everyNth: string;
  photoBonusPoints: string;
  network: string;
  url: string;
  includeImported: boolean;
  noticeDays: string;
  limitCount: string;
  /** "" for no limit. */
  limitPeriod: string;
  /** datetime-local text in the shop's time zone; "" for none. */
  startsAt: string;
  endsAt: string;
  customerTags: string;
  titles: Partial<Record<string, string>>;
  descriptions: Partial<Record<string, string>>;
}

export type EarningRuleFormField =
  Exclude<keyof EarningRuleForm, "titles" | "descriptions"> | `title_${ShopperLocale}` | `description_${ShopperLocale}` | "kind";
export type EarningRuleFieldErrors = Partial<Record<EarningRuleFormField, string>>;

/** What a valid form stores: a rule as the decision reads it, before it has an id. */
export type EarningRuleValues = Omit<EarningRule, "id">;

export type EarningRuleValidation = { ok: true; rule: EarningRuleValues } | { ok: false; reason: "invalid_fields"; fieldErrors: EarningRuleFieldErrors };

const pointsMessage = `Enter whole points from ${MIN_RULE_POINTS.toLocaleString("en-US")} to ${MAX_RULE_POINTS.toLocaleString("en-US")}.`;

/** A whole number in a range, or the message saying what is wanted. */
function wholeNumber(text: string, min: number, max: number, message: string): { value: number } | { error: string } {
  const trimmed = text.trim().replace(/[,\s_](?=\d{3}\b)/g, "");
  if (!/^\d+$/.test(trimmed)) return { error: /^\d*[.]\d+$/.test(trimmed) ? "Points are whole numbers: no decimals." : message };
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value) || value < min || value > max) return { error: message };
  return { value };
}

/** Tags typed with commas, trimmed, case-insensitively unique, lower-cased as the rules compare them. */
function parseTags(text: string): { tags: string[] } | { error: string } {
  const tags: string[] = [];
  for (const tag of splitList(text)) {
    if (tag.length > MAX_TAG_LENGTH) return { error: `Tags are at most ${MAX_TAG_LENGTH} characters.` };
    const lower = tag.toLowerCase();
    if (!tags.includes(lower)) tags.push(lower);
  }
  return { tags };
}

/** An http(s) URL with a host, as typed; null for anything else. */
export function httpUrl(text: string): string | null {
  const trimmed = text.trim();
  try {
    const url = new URL(trimmed);
    if ((url.protocol !== "https:" && url.protocol !== "http:") || !url.hostname.includes(".")) return null;
    return url.toString();
  } catch {
    return null;
  }
}

function parseWindow(
  form: { startsAt: string; endsAt: string },
  timeZone: string,
  errors: Partial<Record<"startsAt" | "endsAt", string>>,
  required: boolean,
): { startsAt: string | null; endsAt: string | null } {
  const read = (field: "startsAt" | "endsAt") => {
    const text = form[field].trim();
    if (!text) {
      if (required) errors[field] = field === "startsAt" ? "Choose when it starts." : "Choose when it ends.";
      return null;
    }
    const at = localDateTimeToInstant(text, timeZone);
    if (!at) errors[field] = "Enter a date and time, like 2026-12-05T09:00.";
    return at;
  };
  const startsAt = read("startsAt");
  const endsAt = read("endsAt");
  if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) errors.endsAt = "The end must be after the start.";
  return { startsAt, endsAt };
}

function parseContent(
  titles: EarningRuleForm["titles"],
  descriptions: EarningRuleForm["descriptions"],
  errors: EarningRuleFieldErrors,
): Record<string, RuleContent> {
  const content: Record<string, RuleContent> = {};
  for (const locale of SHOPPER_LOCALES) {
    const title = (titles[locale] ?? "").trim();
    const description = (descriptions[locale] ?? "").trim();
    if (title.length > MAX_TITLE_LENGTH) errors[`title_${locale}`] = `Titles are at most ${MAX_TITLE_LENGTH} characters.`;
    if (description.length > MAX_DESCRIPTION_LENGTH) errors[`description_${locale}`] = `Descriptions are at most ${MAX_DESCRIPTION_LENGTH} characters.`;
    if (title || description) content[locale] = { ...(title ? { title } : {}), ...(description ? { description } : {}) };
  }
  return content;
}

/**
 * Validates a rule form of a kind. `others` are the shop's other rules (not this one), so a
 * second sign-up, birthday, newsletter or first-order rule is refused.
 */
export function validateEarningRuleForm(
  kind: EarningRuleKind,
  form: EarningRuleForm,
  timeZone: string,
  others: readonly Pick<EarningRule, "kind" | "status">[] = [],
): EarningRuleValidation {
  const errors: EarningRuleFieldErrors = {};
  const status = form.status as RuleStatus;
  if (!RULE_STATUSES.includes(status)) errors.status = "Choose live, dry run or off.";
  if (SINGLE_RULE_KINDS.has(kind) && others.some((other) => other.kind === kind && other.status !== "off")) {
    errors.kind = `This shop already has a ${KIND_NAMES[kind].toLowerCase()} rule: edit that one, or turn it off first.`;
  }

  let points = 0;
  let pointsPerCurrencyUnit: number | null = null;
  let everyNth: number | null = null;
  let photoBonusPoints = 0;
  const settings: RuleSettings = {};

  const readPoints = () => {
    const read = wholeNumber(form.points, MIN_RULE_POINTS, MAX_RULE_POINTS, pointsMessage);
    if ("error" in read) errors.points = read.error;
    else points = read.value;
  };

  if (kind === "purchase") {
    if (form.rateMode === "per_order") readPoints();
    else if (form.rateMode === "per_currency") {
      const read = wholeNumber(form.pointsPerCurrencyUnit, 0, MAX_POINTS_PER_CURRENCY_UNIT, `Enter a whole number from 0 to ${MAX_POINTS_PER_CURRENCY_UNIT}.`);
      if ("error" in read) errors.pointsPerCurrencyUnit = read.error;
      else pointsPerCurrencyUnit = read.value;
    } else errors.rateMode = "Choose points per unit of currency or a fixed number per order.";
  } else {
    readPoints();
  }
  if (kind === "nth_order") {
    const read = wholeNumber(form.everyNth, 2, MAX_EVERY_NTH, `Enter a whole number of orders from 2 to ${MAX_EVERY_NTH}.`);
    if ("error" in read) errors.everyNth = read.error;
    else everyNth = read.value;
  }
  if (kind === "review" && form.photoBonusPoints.trim()) {
    const read = wholeNumber(form.photoBonusPoints, 0, MAX_RULE_POINTS, `Enter whole points from 0 to ${MAX_RULE_POINTS.toLocaleString("en-US")}.`);
    if ("error" in read) errors.photoBonusPoints = read.error;
    else photoBonusPoints = read.value;
  }
  if (kind === "social") {
    if (!(SOCIAL_NETWORKS as readonly string[]).includes(form.network)) errors.network = "Choose Instagram, TikTok, Facebook, X or YouTube.";
    else settings.network = form.network as SocialNetwork;
    const url = httpUrl(form.url);
    if (!url) errors.url = "Enter the page's address, starting with https://.";
    else settings.url = url;
  }
  if (kind === "signup") settings.includeImported = form.includeImported;
  if (kind === "birthday") {
    const text = form.noticeDays.trim() || "30";
    const read = wholeNumber(text, 0, MAX_NOTICE_DAYS, `Enter a whole number of days from 0 to ${MAX_NOTICE_DAYS}.`);
    if ("error" in read) errors.noticeDays = read.error;
    else settings.noticeDays = read.value;
  }

  let limit: EarningRuleValues["limit"] = null;
  if (form.limitPeriod.trim()) {
    const period = form.limitPeriod.trim() as LimitPeriod;
    if (!LIMIT_PERIODS.includes(period)) errors.limitPeriod = "Choose ever, a year, a month, a week or a day.";
    const read = wholeNumber(form.limitCount || "1", 1, MAX_LIMIT_COUNT, `Enter how many times, from 1 to ${MAX_LIMIT_COUNT}.`);
    if ("error" in read) errors.limitCount = read.error;
    else if (LIMIT_PERIODS.includes(period)) limit = { count: read.value, period };
  }

  const window = parseWindow(form, timeZone, errors, false);
  const tags = parseTags(form.customerTags);
  if ("error" in tags) errors.customerTags = tags.error;
  const content = parseContent(form.titles, form.descriptions, errors);

  if (Object.keys(errors).length > 0) return { ok: false, reason: "invalid_fields", fieldErrors: errors };
  return {
    ok: true,
    rule: {
      kind,
      status,
      points,
      pointsPerCurrencyUnit,
      everyNth,
      photoBonusPoints,
      limit,
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      customerTags: "tags" in tags ? tags.tags : [],
      settings,
      content,
    },
  };
}

/** The form a merchant sees for a stored rule (or a new one of a kind, with its defaults). */
export function ruleToForm(rule: Partial<EarningRule> & Pick<EarningRule, "kind">, timeZone: string): EarningRuleForm {
  const titles: Record<string, string> = {};
  const descriptions: Record<string, string> = {};
  for (const [locale, content] of Object.entries(rule.content ?? {})) {
    if (content.title) titles[locale] = content.title;
    if (content.description) descriptions[locale] = content.description;
  }
  return {
    status: rule.status ?? "live",
    points: rule.points ? String(rule.points) : (DEFAULT_POINTS[rule.kind] ?? ""),
    rateMode: rule.kind === "purchase" ? (rule.pointsPerCurrencyUnit === null ? "per_order" : "per_currency") : "",
    pointsPerCurrencyUnit:
      rule.pointsPerCurrencyUnit === null || rule.pointsPerCurrencyUnit === undefined
        ? rule.kind === "purchase"
          ? "1"
          : ""
        : String(rule.pointsPerCurrencyUnit),
    everyNth: rule.everyNth ? String(rule.everyNth) : rule.kind === "nth_order" ? "6" : "",
    photoBonusPoints: rule.photoBonusPoints ? String(rule.photoBonusPoints) : "",
    network: rule.settings?.network ?? "",
    url: rule.settings?.url ?? "",
    includeImported: rule.settings?.includeImported ?? false,
    noticeDays: rule.kind === "birthday" ? String(rule.settings?.noticeDays ?? 30) : "",
    limitCount: rule.limit ? String(rule.limit.count) : "",
    limitPeriod: rule.limit?.period ?? "",
    startsAt: rule.startsAt ? instantToLocalDateTime(rule.startsAt, timeZone) : "",
    endsAt: rule.endsAt ? instantToLocalDateTime(rule.endsAt, timeZone) : "",
    customerTags: (rule.customerTags ?? []).join(", "),
    titles,
    descriptions,
  };
}

const DEFAULT_POINTS: Partial<Record<EarningRuleKind, string>> = {
  nth_order: "200",
  first_order: "100",
  signup: "100",
  birthday: "100",
  newsletter: "50",
  social: "25",
  review: "50",
  custom: "50",
};

/** What the admin calls each kind. */
export const KIND_NAMES: Record<EarningRuleKind, string> = {
  purchase: "Purchase",
  nth_order: "Stamp card (every Nth order)",
  first_order: "First order bonus",
  signup: "Sign-up",
  birthday: "Birthday",
  newsletter: "Newsletter sign-up",
  social: "Social follow",
  review: "Product review",
  custom: "Custom action",
};

/**
 * A campaign form as submitted.
 *
 * @example { name: "Double points weekend", status: "live", startsAt: "2026-12-05T00:00", endsAt: "2026-12-07T00:00",
 *   mode: "multiplier", multiplier: "2", bonusPoints: "", productIds: "", collectionIds: "", customerTags: "", titles: {} }
 */
export interface CampaignForm {
  name: string;
  status: string;
  startsAt: string;
  endsAt: string;
  /** "multiplier" or "bonus". */
  mode: string;
  /** "2" for double points, "1.5" for half as much again. */
  multiplier: string;
  bonusPoints: string;
  productIds: string;
  collectionIds: string;
  customerTags: string;
  titles: Partial<Record<string, string>>;
}

export type CampaignFormField = Exclude<keyof CampaignForm, "titles"> | `title_${ShopperLocale}`;
export type CampaignFieldErrors = Partial<Record<CampaignFormField, string>>;

export interface CampaignValues {
  name: string;
  status: RuleStatus;
  startsAt: string;
  endsAt: string;
  multiplierPercent: number | null;
  bonusPoints: number | null;
  productIds: string[];
  collectionIds: string[];
  customerTags: string[];
  content: Record<string, RuleContent>;
}

export type CampaignValidation = { ok: true; campaign: CampaignValues } | { ok: false; reason: "invalid_fields"; fieldErrors: CampaignFieldErrors };

/** "2", "1.5", "1.25x" as hundredths (200, 150, 125); null when it is not a multiplier with at most two decimals. */
export function parseMultiplier(text: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*[x×]?$/i.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

export function validateCampaignForm(form: CampaignForm, timeZone: string): CampaignValidation {
  const errors: CampaignFieldErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = "Give the campaign a name.";
  else if (name.length > MAX_NAME_LENGTH) errors.name = `Names are at most ${MAX_NAME_LENGTH} characters.`;
  const status = form.status as RuleStatus;
  if (!RULE_STATUSES.includes(status)) errors.status = "Choose live, dry run or off.";
  const window = parseWindow(form, timeZone, errors, true);

  let multiplierPercent: number | null = null;
  let bonusPoints: number | null = null;
  if (form.mode === "multiplier") {
    const percent = parseMultiplier(form.multiplier);
    const range = `from ${(MIN_MULTIPLIER_PERCENT / 100).toFixed(2)} to ${MAX_MULTIPLIER_PERCENT / 100}`;
    if (percent === null) errors.multiplier = `Enter a multiplier like 2 or 1.5 (${range}).`;
    else if (percent < MIN_MULTIPLIER_PERCENT || percent > MAX_MULTIPLIER_PERCENT) errors.multiplier = `The multiplier must be ${range}.`;
    else multiplierPercent = percent;
    if (form.bonusPoints.trim()) errors.bonusPoints = "A campaign gives a multiplier or a fixed bonus, not both: clear this field.";
  } else if (form.mode === "bonus") {
    const read = wholeNumber(form.bonusPoints, MIN_RULE_POINTS, MAX_RULE_POINTS, pointsMessage);
    if ("error" in read) errors.bonusPoints = read.error;
    else bonusPoints = read.value;
    if (form.multiplier.trim()) errors.multiplier = "A campaign gives a multiplier or a fixed bonus, not both: clear this field.";
  } else errors.mode = "Choose a multiplier or a fixed bonus.";

  const products = parseShopifyIds(form.productIds, "Product");
  if (!products.ok) errors.productIds = `"${products.invalid}" is not a product id. Use a number or gid://shopify/Product/<number>.`;
  const collections = parseShopifyIds(form.collectionIds, "Collection");
  if (!collections.ok) errors.collectionIds = `"${collections.invalid}" is not a collection id. Use a number or gid://shopify/Collection/<number>.`;
  const tags = parseTags(form.customerTags);
  if ("error" in tags) errors.customerTags = tags.error;
  const ruleErrors: EarningRuleFieldErrors = {};
  const content = parseContent(form.titles, {}, ruleErrors);
  for (const locale of SHOPPER_LOCALES) if (ruleErrors[`title_${locale}`]) errors[`title_${locale}`] = ruleErrors[`title_${locale}`];

  if (Object.keys(errors).length > 0 || !products.ok || !collections.ok || !window.startsAt || !window.endsAt)
    return { ok: false, reason: "invalid_fields", fieldErrors: errors };
  return {
    ok: true,
    campaign: {
      name,
      status,
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      multiplierPercent,
      bonusPoints,
      productIds: products.ids,
      collectionIds: collections.ids,
      customerTags: "tags" in tags ? tags.tags : [],
      content,
    },
  };
}

/** Scheduled, running or ended at an instant (its status aside). */
export function campaignPhase(campaign: { startsAt: string; endsAt: string }, now: string): "scheduled" | "running" | "ended" {
  const t = Date.parse(now);
  if (t < Date.parse(campaign.startsAt)) return "scheduled";
  return t < Date.parse(campaign.endsAt) ? "running" : "ended";
}

/**
 * What an order of `amountMinor` (every product eligible, or the campaign's first product when it
 * is limited to some) earns at an instant inside the campaign, with the shop's live purchase
 * rules and live campaigns and the campaign being edited: the same decision as a real order.
 */
export function previewCampaignOrder(
  amountMinor: number,
  currency: string,
  rules: readonly EarningRule[],
  campaigns: readonly Campaign[],
  edited: Campaign,
  at: string,
): { points: number; breakdown: { label: string; points: number }[] } {
  const productId = edited.productIds && edited.productIds.size > 0 ? [...edited.productIds][0] : null;
  const others = campaigns.filter((campaign) => campaign.id !== edited.id && campaign.status === "live");
  const decision = decideAwards(
    {
      type: "order",
      at,
      orderId: "preview",
      currency,
      customerTags: [...edited.customerTags.slice(0, 1)],
      lines: [{ lineItemId: "preview", productId, basisMinor: amountMinor }],
    },
    rules.filter((rule) => rule.kind === "purchase" && rule.status === "live"),
    [...others, { ...edited, status: "live" }],
    { customerId: "preview", qualifyingOrders: 1, awards: new Map() },
    { program: { enabled: true, minimumOrderMinor: 0, excludedCustomerTags: new Set() }, timeZone: "UTC" },
  );
  const breakdown = decision.awards.flatMap((award) => award.breakdown.map((line) => ({ label: line.label, points: line.points })));
  return { points: breakdown.reduce((sum, line) => sum + line.points, 0), breakdown };
}
