import { currencyDecimals } from "../domain/money";
import {
  validateRewardSettings,
  type RewardSettings,
  type RewardSettingsFieldErrors,
  type RewardSettingsForm,
} from "../domain/reward-settings";
import type { RewardDefinition, RewardKind } from "../domain/rewards";
import type { SqlExecutor } from "../db/types";

interface RewardRow {
  id: number;
  name: string;
  kind: RewardKind;
  points_cost: number;
  value_minor: number | string;
  percent_off: number;
  max_discount_minor: number | string | null;
  product_variant_id: string | null;
  min_amount_minor: number | string | null;
  max_amount_minor: number | string | null;
  minimum_subtotal_minor: number | string | null;
  code_lifetime_days: number;
  combines_with_order_discounts: number | boolean;
  combines_with_product_discounts: number | boolean;
  combines_with_shipping_discounts: number | boolean;
  enabled: number | boolean;
  updated_at: string | Date;
}

const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

function rewardFromRow(row: RewardRow): RewardDefinition {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    pointsCost: row.points_cost,
    valueMinor: Number(row.value_minor),
    percentOff: row.percent_off,
    maxDiscountMinor: numberOrNull(row.max_discount_minor),
    productVariantId: row.product_variant_id,
    minAmountMinor: numberOrNull(row.min_amount_minor),
    maxAmountMinor: numberOrNull(row.max_amount_minor),
    minimumSubtotalMinor: numberOrNull(row.minimum_subtotal_minor),
    codeLifetimeDays: row.code_lifetime_days,
    combinesWith: {
      orderDiscounts: Boolean(row.combines_with_order_discounts),
      productDiscounts: Boolean(row.combines_with_product_discounts),
      shippingDiscounts: Boolean(row.combines_with_shipping_discounts),
    },
  };
}

export async function listEnabledRewards(db: SqlExecutor, shop: string): Promise<RewardDefinition[]> {
  const rows = await db.all<RewardRow>(
    'SELECT * FROM "rewards" WHERE "shop" = ? AND "enabled" = TRUE ORDER BY "points_cost", "id"',
    [shop],
  );
  return rows.map(rewardFromRow);
}

export async function findEnabledReward(db: SqlExecutor, shop: string, id: number): Promise<RewardDefinition | null> {
  const row = await db.get<RewardRow>('SELECT * FROM "rewards" WHERE "shop" = ? AND "id" = ? AND "enabled" = TRUE', [shop, id]);
  return row ? rewardFromRow(row) : null;
}

/** A catalogue entry as the admin shows it: on or off, and when it last changed. */
export type StoredReward = RewardDefinition & { enabled: boolean; updatedAt: string };

function storedRewardFromRow(row: RewardRow): StoredReward {
  return { ...rewardFromRow(row), enabled: Boolean(row.enabled), updatedAt: new Date(row.updated_at).toISOString() };
}

/** Every reward of the shop, on and off, in catalogue order (cheapest first). */
export async function listRewards(db: SqlExecutor, shop: string): Promise<StoredReward[]> {
  const rows = await db.all<RewardRow>('SELECT * FROM "rewards" WHERE "shop" = ? ORDER BY "points_cost", "id"', [shop]);
  return rows.map(storedRewardFromRow);
}

/** One of the shop's rewards, on or off; null when the shop has no reward with this id. */
export async function getReward(db: SqlExecutor, shop: string, id: number): Promise<StoredReward | null> {
  const row = await db.get<RewardRow>('SELECT * FROM "rewards" WHERE "shop" = ? AND "id" = ?', [shop, id]);
  return row ? storedRewardFromRow(row) : null;
}

export type SaveRewardResult = { ok: true; reward: StoredReward } | { ok: false; fieldErrors: RewardSettingsFieldErrors };

/** The currency the shop's amounts are in; USD for a shop without a row yet. */
export async function shopCurrency(db: SqlExecutor, shop: string): Promise<string> {
  const row = await db.get<{ currency_code: string }>('SELECT "currency_code" FROM "shops" WHERE "domain" = ?', [shop]);
  return row?.currency_code ?? "USD";
}

const bool = (value: boolean) => (value ? "TRUE" : "FALSE");

/** The columns a validated form sets with bound values; rewardValues lists the values in this order. */
const REWARD_COLUMNS = [
  "name",
  "kind",
  "points_cost",
  "value_minor",
  "percent_off",
  "max_discount_minor",
  "product_variant_id",
  "min_amount_minor",
  "max_amount_minor",
  "minimum_subtotal_minor",
  "code_lifetime_days",
] as const;

const rewardValues = (settings: RewardSettings) => [
  settings.name,
  settings.kind,
  settings.pointsCost,
  settings.valueMinor,
  settings.percentOff,
  settings.maxDiscountMinor,
  settings.productVariantId,
  settings.minAmountMinor,
  settings.maxAmountMinor,
  settings.minimumSubtotalMinor,
  settings.codeLifetimeDays,
];

// Booleans go in as TRUE/FALSE literals: the columns are BOOLEAN on PostgreSQL.
const booleanColumns = (settings: RewardSettings) => ({
  combines_with_order_discounts: bool(settings.combinesWith.orderDiscounts),
  combines_with_product_discounts: bool(settings.combinesWith.productDiscounts),
  combines_with_shipping_discounts: bool(settings.combinesWith.shippingDiscounts),
  enabled: bool(settings.enabled),
});

/** Validates the form in the shop's currency and adds the reward. Nothing is saved on a field error. */
export async function createReward(db: SqlExecutor, shop: string, form: RewardSettingsForm, now: string): Promise<SaveRewardResult> {
  const validation = validateRewardSettings(form, await shopCurrency(db, shop));
  if (!validation.ok) return validation;
  const booleans = booleanColumns(validation.settings);
  const columns = [...REWARD_COLUMNS, ...Object.keys(booleans), "shop", "created_at", "updated_at"];
  const placeholders = [...REWARD_COLUMNS.map(() => "?"), ...Object.values(booleans), "?", "?", "?"];
  const row = await db.get<{ id: number }>(
    `INSERT INTO "rewards" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES (${placeholders.join(", ")}) RETURNING "id"`,
    [...rewardValues(validation.settings), shop, now, now],
  );
  if (!row) throw new Error("INSERT INTO rewards returned no id");
  const reward = await getReward(db, shop, Number(row.id));
  if (!reward) throw new Error(`reward ${row.id} vanished after insert`);
  return { ok: true, reward };
}

/**
 * Validates the form and replaces the shop's reward `id` with it; null when the shop has no such
 * reward. Redemptions already made keep the points and value they were made with.
 */
export async function updateReward(
  db: SqlExecutor,
  shop: string,
  id: number,
  form: RewardSettingsForm,
  now: string,
): Promise<SaveRewardResult | null> {
  if (!(await getReward(db, shop, id))) return null;
  const validation = validateRewardSettings(form, await shopCurrency(db, shop));
  if (!validation.ok) return validation;
  const assignments = [
    ...REWARD_COLUMNS.map((column) => `"${column}" = ?`),
    ...Object.entries(booleanColumns(validation.settings)).map(([column, literal]) => `"${column}" = ${literal}`),
    '"updated_at" = ?',
  ];
  const { changes } = await db.run(`UPDATE "rewards" SET ${assignments.join(", ")} WHERE "shop" = ? AND "id" = ?`, [
    ...rewardValues(validation.settings),
    now,
    shop,
    id,
  ]);
  if (changes === 0) return null;
  const reward = await getReward(db, shop, id);
  return reward ? { ok: true, reward } : null;
}

/**
 * Turns a reward on or off. Rewards are never deleted, because redemptions refer to them: an
 * off reward is hidden from shoppers and cannot be redeemed. False when the shop has no such reward.
 */
export async function setRewardEnabled(db: SqlExecutor, shop: string, id: number, enabled: boolean, now: string): Promise<boolean> {
  const { changes } = await db.run(
    `UPDATE "rewards" SET "enabled" = ${bool(enabled)}, "updated_at" = ? WHERE "shop" = ? AND "id" = ?`,
    [now, shop, id],
  );
  return changes > 0;
}

/**
 * A new shop's program works on install: 5 units of its currency off for 500 points
 * ($5 for 500 points, one point per dollar: a 1% return).
 */
const DEFAULT_REWARD_NAME = "5 off your order";
const fiveUnits = (currency: string) => 5 * 10 ** currencyDecimals(currency);

export async function ensureDefaultReward(db: SqlExecutor, shop: string, currency: string, now: string): Promise<void> {
  const existing = await db.get('SELECT 1 AS "one" FROM "rewards" WHERE "shop" = ? LIMIT 1', [shop]);
  if (existing) return;
  await db.run(
    `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "code_lifetime_days", "created_at", "updated_at")
     VALUES (?, ?, 'fixed_amount', 500, ?, 30, ?, ?)`,
    [shop, DEFAULT_REWARD_NAME, fiveUnits(currency), now, now],
  );
}

/**
 * The default reward was sized for `from` before the shop's currency was known to be `to`
 * (500 minor units are 5 dollars but 500 yen): sized again, unless the merchant has edited it.
 */
export async function resizeUntouchedDefaultReward(db: SqlExecutor, shop: string, from: string, to: string): Promise<void> {
  await db.run(
    // "updated_at" stays: it records the merchant's edits, and an edited default is left alone.
    `UPDATE "rewards" SET "value_minor" = ?
     WHERE "shop" = ? AND "name" = ? AND "kind" = 'fixed_amount' AND "points_cost" = 500 AND "value_minor" = ? AND "created_at" = "updated_at"`,
    [fiveUnits(to), shop, DEFAULT_REWARD_NAME, fiveUnits(from)],
  );
}
