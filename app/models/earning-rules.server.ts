import type { Selectable } from "kysely";
import { prepare } from "../db/prepared";
import type { DB, Db } from "../db/types";
import { LIMIT_PERIODS, SOCIAL_NETWORKS, type Campaign, type EarningRule, type LimitPeriod, type RuleContent, type RuleSettings } from "../domain/ways-to-earn";
import { CorruptSettingsError, parseList } from "./json-columns.server";
import { scheduleWaysToEarnSync } from "./storefront-earning.server";

export type EarningRuleRow = Selectable<DB["earning_rules"]>;
export type CampaignRow = Selectable<DB["campaigns"]>;

/** The shop's ways to earn and campaigns, as every decision reads them. */
export interface ShopEarning {
  rules: readonly EarningRule[];
  campaigns: readonly Campaign[];
}

function parseObject(json: string, column: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CorruptSettingsError(column, json, "a JSON object");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new CorruptSettingsError(column, json, "a JSON object");
  return value as Record<string, unknown>;
}

function parseContent(json: string, column: string): Record<string, RuleContent> {
  const content: Record<string, RuleContent> = {};
  for (const [locale, value] of Object.entries(parseObject(json, column))) {
    if (typeof value !== "object" || value === null) continue;
    const { title, description } = value as Record<string, unknown>;
    content[locale] = {
      ...(typeof title === "string" && title ? { title } : {}),
      ...(typeof description === "string" && description ? { description } : {}),
    };
  }
  return content;
}

function parseSettings(json: string): RuleSettings {
  const raw = parseObject(json, "earning_rules.settings");
  const settings: RuleSettings = {};
  if (typeof raw.network === "string" && (SOCIAL_NETWORKS as readonly string[]).includes(raw.network))
    settings.network = raw.network as RuleSettings["network"];
  if (typeof raw.url === "string") settings.url = raw.url;
  if (typeof raw.includeImported === "boolean") settings.includeImported = raw.includeImported;
  if (typeof raw.noticeDays === "number" && Number.isInteger(raw.noticeDays)) settings.noticeDays = raw.noticeDays;
  return settings;
}

export function ruleFromRow(row: EarningRuleRow): EarningRule {
  const period = row.limit_period as LimitPeriod | null;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    points: row.points,
    pointsPerCurrencyUnit: row.points_per_currency_unit,
    everyNth: row.every_nth,
    photoBonusPoints: row.photo_bonus_points,
    limit: row.limit_count !== null && period !== null && LIMIT_PERIODS.includes(period) ? { count: row.limit_count, period } : null,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    customerTags: parseList(row.customer_tags, "earning_rules.customer_tags").map((tag) => tag.toLowerCase()),
    settings: parseSettings(row.settings),
    content: parseContent(row.content, "earning_rules.content"),
  };
}

export function campaignFromRow(row: CampaignRow): Campaign {
  const products = [...parseList(row.product_ids, "campaigns.product_ids"), ...parseList(row.collection_product_ids, "campaigns.collection_product_ids")];
  const limited = parseList(row.product_ids, "campaigns.product_ids").length > 0 || parseList(row.collection_ids, "campaigns.collection_ids").length > 0;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    multiplierPercent: row.multiplier_percent,
    bonusPoints: row.bonus_points,
    productIds: limited ? new Set(products) : null,
    customerTags: parseList(row.customer_tags, "campaigns.customer_tags").map((tag) => tag.toLowerCase()),
    content: parseContent(row.content, "campaigns.content"),
  };
}

const rulesOfShop = prepare((q, p: { shop: string }) => q.selectFrom("earning_rules").selectAll().where("shop", "=", p.shop).orderBy("position").orderBy("id"));

/** Campaigns that have not ended more than a day ago (ended ones matter only to the admin). */
const currentCampaignsOfShop = prepare((q, p: { shop: string; since: string }) =>
  q.selectFrom("campaigns").selectAll().where("shop", "=", p.shop).where("ends_at", ">", p.since).orderBy("starts_at").orderBy("id"),
);

export async function listEarningRuleRows(db: Db, shop: string): Promise<EarningRuleRow[]> {
  return rulesOfShop.all(db, { shop });
}

/** The shop's rules and current campaigns, read from the database. */
export async function readShopEarning(db: Db, shop: string, now: Date = new Date()): Promise<ShopEarning> {
  const [rules, campaigns] = [
    await rulesOfShop.all(db, { shop }),
    await currentCampaignsOfShop.all(db, { shop, since: new Date(now.getTime() - 86_400_000).toISOString() }),
  ];
  return { rules: rules.map(ruleFromRow), campaigns: campaigns.map(campaignFromRow) };
}

/**
 * Each shop's ways to earn kept in memory by its program version (a trigger moves it on every
 * change to the rules or campaigns), read again when it moves or when a campaign may have
 * started or ended since (every ten minutes at most, so an ended campaign drops out of shopper reads).
 */
export type EarningCache = (db: Db, shop: string, version: number, now?: Date) => Promise<ShopEarning>;

const SHOPS_KEPT = 10_000;
const CAMPAIGN_REFRESH_MS = 10 * 60_000;

export function earningCache({ kept = SHOPS_KEPT } = {}): EarningCache {
  const cached = new Map<string, { version: number; loadedAt: number; earning: ShopEarning }>();
  return async (db, shop, version, now = new Date()) => {
    const known = cached.get(shop);
    if (known && known.version === version && Math.abs(now.getTime() - known.loadedAt) < CAMPAIGN_REFRESH_MS) return known.earning;
    const earning = await readShopEarning(db, shop, now);
    cached.delete(shop);
    cached.set(shop, { version, loadedAt: now.getTime(), earning });
    if (cached.size > kept) cached.delete(cached.keys().next().value!);
    return earning;
  };
}

/** What a new shop earns with no setup, sized against the default reward (500 points): a fifth of it to join and on a birthday. */
export const DEFAULT_SIGNUP_POINTS = 100;
export const DEFAULT_BIRTHDAY_POINTS = 100;

/** A shop with no ways to earn yet gets the defaults: 1 point per unit of currency, sign-up and birthday points. */
export async function ensureDefaultEarningRules(db: Db, shop: string, now: string): Promise<void> {
  const existing = await db.query.selectFrom("earning_rules").select("id").where("shop", "=", shop).limit(1).executeTakeFirst();
  if (existing) return;
  // Every row names every column: SQLite has no DEFAULT inside a multi-row VALUES.
  const base = { shop, status: "live" as const, points_per_currency_unit: null, limit_count: null, limit_period: null, created_at: now, updated_at: now };
  await db.query
    .insertInto("earning_rules")
    .values([
      { ...base, kind: "purchase", points: 0, points_per_currency_unit: 1, position: 0 },
      { ...base, kind: "signup", points: DEFAULT_SIGNUP_POINTS, position: 1 },
      { ...base, kind: "birthday", points: DEFAULT_BIRTHDAY_POINTS, limit_count: 1, limit_period: "year", position: 2 },
    ])
    .execute();
  await scheduleWaysToEarnSync(db, shop, new Date(now));
}
