import { currencyDecimals } from "../domain/money";
import { validateRewardSettings, type RewardSettings, type RewardSettingsFieldErrors, type RewardSettingsForm } from "../domain/reward-settings";
import type { RewardDefinition } from "../domain/rewards";
import { type Ok, type Refused } from "../domain/result";
import { scheduleMetafieldSync } from "./metafields.server";
import type { Selectable } from "kysely";
import { prepare } from "../db/prepared";
import type { DB, Db } from "../db/types";

type RewardRow = Selectable<DB["rewards"]>;

function rewardFromRow(row: RewardRow): RewardDefinition {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    pointsCost: row.points_cost,
    valueMinor: row.value_minor,
    percentOff: row.percent_off,
    maxDiscountMinor: row.max_discount_minor,
    productVariantId: row.product_variant_id,
    minAmountMinor: row.min_amount_minor,
    maxAmountMinor: row.max_amount_minor,
    minimumSubtotalMinor: row.minimum_subtotal_minor,
    codeLifetimeDays: row.code_lifetime_days,
    combinesWith: {
      orderDiscounts: row.combines_with_order_discounts,
      productDiscounts: row.combines_with_product_discounts,
      shippingDiscounts: row.combines_with_shipping_discounts,
    },
    tierIds: parseTierIds(row.tier_ids),
  };
}

/** rewards.tier_ids: a JSON list of tier ids, or null for every member (an unreadable value reads as nobody's: never wider than meant). */
function parseTierIds(json: string | null): number[] | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((id): id is number => Number.isSafeInteger(id)) : [];
  } catch {
    return [];
  }
}

const enabledRewards = prepare((q, p: { shop: string }) =>
  q.selectFrom("rewards").selectAll().where("shop", "=", p.shop).where("enabled", "=", true).orderBy("points_cost").orderBy("id"),
);

export async function listEnabledRewards(db: Db, shop: string): Promise<RewardDefinition[]> {
  return (await enabledRewards.all(db, { shop })).map(rewardFromRow);
}

export async function findEnabledReward(db: Db, shop: string, id: number): Promise<RewardDefinition | null> {
  const row = await db.query.selectFrom("rewards").selectAll().where("shop", "=", shop).where("id", "=", id).where("enabled", "=", true).executeTakeFirst();
  return row ? rewardFromRow(row) : null;
}

/** A catalogue entry as the admin shows it: on or off, and when it last changed. */
export type StoredReward = RewardDefinition & { enabled: boolean; updatedAt: string };

function storedRewardFromRow(row: RewardRow): StoredReward {
  return { ...rewardFromRow(row), enabled: row.enabled, updatedAt: row.updated_at };
}

/** Every reward of the shop, on and off, in catalogue order (cheapest first). */
export async function listRewards(db: Db, shop: string): Promise<StoredReward[]> {
  const rows = await db.query.selectFrom("rewards").selectAll().where("shop", "=", shop).orderBy("points_cost").orderBy("id").execute();
  return rows.map(storedRewardFromRow);
}

/** One of the shop's rewards, on or off; null when the shop has no reward with this id. */
export async function getReward(db: Db, shop: string, id: number): Promise<StoredReward | null> {
  const row = await db.query.selectFrom("rewards").selectAll().where("shop", "=", shop).where("id", "=", id).executeTakeFirst();
  return row ? storedRewardFromRow(row) : null;
}

export type SaveRewardResult = Ok<{ reward: StoredReward }> | Refused<"invalid_fields", { fieldErrors: RewardSettingsFieldErrors }>;

/** The currency the shop's amounts are in; USD for a shop without a row yet. */
const currencyOfShop = prepare((q, p: { shop: string }) => q.selectFrom("shops").select("currency_code").where("domain", "=", p.shop));

export async function shopCurrency(db: Db, shop: string): Promise<string> {
  const row = await currencyOfShop.first(db, { shop });
  return row?.currency_code ?? "USD";
}

/** The columns a validated form sets. */
const rewardColumns = (settings: RewardSettings) => ({
  name: settings.name,
  kind: settings.kind,
  points_cost: settings.pointsCost,
  value_minor: settings.valueMinor,
  percent_off: settings.percentOff,
  max_discount_minor: settings.maxDiscountMinor,
  product_variant_id: settings.productVariantId,
  min_amount_minor: settings.minAmountMinor,
  max_amount_minor: settings.maxAmountMinor,
  minimum_subtotal_minor: settings.minimumSubtotalMinor,
  code_lifetime_days: settings.codeLifetimeDays,
  combines_with_order_discounts: settings.combinesWith.orderDiscounts,
  combines_with_product_discounts: settings.combinesWith.productDiscounts,
  combines_with_shipping_discounts: settings.combinesWith.shippingDiscounts,
  enabled: settings.enabled,
  tier_ids: settings.tierIds?.length ? JSON.stringify(settings.tierIds) : null,
});

/** The shop's tier ids, for a reward limited to some tiers. */
async function knownTierIds(db: Db, shop: string): Promise<number[]> {
  return (await db.query.selectFrom("tiers").select("id").where("shop", "=", shop).execute()).map((row) => row.id);
}

/** Validates the form in the shop's currency and adds the reward. Nothing is saved on a field error. */
export async function createReward(db: Db, shop: string, form: RewardSettingsForm, now: string): Promise<SaveRewardResult> {
  const validation = validateRewardSettings(form, await shopCurrency(db, shop), { knownTierIds: await knownTierIds(db, shop) });
  if (!validation.ok) return validation;
  const row = await db.query
    .insertInto("rewards")
    .values({ ...rewardColumns(validation.settings), shop, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const reward = await getReward(db, shop, row.id);
  if (!reward) throw new Error(`reward ${row.id} vanished after insert`);
  await catalogueChanged(db, shop, now);
  return { ok: true, reward };
}

/**
 * Validates the form and replaces the shop's reward `id` with it; null when the shop has no such
 * reward. Redemptions already made keep the points and value they were made with.
 */
export async function updateReward(db: Db, shop: string, id: number, form: RewardSettingsForm, now: string): Promise<SaveRewardResult | null> {
  if (!(await getReward(db, shop, id))) return null;
  const validation = validateRewardSettings(form, await shopCurrency(db, shop), { knownTierIds: await knownTierIds(db, shop) });
  if (!validation.ok) return validation;
  const result = await db.query
    .updateTable("rewards")
    .set({ ...rewardColumns(validation.settings), updated_at: now })
    .where("shop", "=", shop)
    .where("id", "=", id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return null;
  const reward = await getReward(db, shop, id);
  if (!reward) return null;
  await catalogueChanged(db, shop, now);
  return { ok: true, reward };
}

/**
 * Turns a reward on or off. Rewards are never deleted, because redemptions refer to them: an
 * off reward is hidden from shoppers and cannot be redeemed. False when the shop has no such reward.
 */
export async function setRewardEnabled(db: Db, shop: string, id: number, enabled: boolean, now: string): Promise<boolean> {
  const result = await db.query.updateTable("rewards").set({ enabled, updated_at: now }).where("shop", "=", shop).where("id", "=", id).executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await catalogueChanged(db, shop, now);
  return true;
}

/**
 * A new shop's program works on install: 5 units of its currency off for 500 points
 * ($5 for 500 points, one point per dollar: a 1% return).
 */
const DEFAULT_REWARD_NAME = "5 off your order";
const fiveUnits = (currency: string) => 5 * 10 ** currencyDecimals(currency);

export async function ensureDefaultReward(db: Db, shop: string, currency: string, now: string): Promise<void> {
  const existing = await db.query.selectFrom("rewards").select("id").where("shop", "=", shop).limit(1).executeTakeFirst();
  if (existing) return;
  await db.query
    .insertInto("rewards")
    .values({
      shop,
      name: DEFAULT_REWARD_NAME,
      kind: "fixed_amount",
      points_cost: 500,
      value_minor: fiveUnits(currency),
      code_lifetime_days: 30,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/**
 * The default reward was sized for `from` before the shop's currency was known to be `to`
 * (500 minor units are 5 dollars but 500 yen): sized again, unless the merchant has edited it.
 */
export async function resizeUntouchedDefaultReward(db: Db, shop: string, from: string, to: string): Promise<void> {
  // "updated_at" stays: it records the merchant's edits, and an edited default is left alone.
  await db.query
    .updateTable("rewards")
    .set({ value_minor: fiveUnits(to) })
    .where("shop", "=", shop)
    .where("name", "=", DEFAULT_REWARD_NAME)
    .where("kind", "=", "fixed_amount")
    .where("points_cost", "=", 500)
    .where("value_minor", "=", fiveUnits(from))
    .whereRef("created_at", "=", "updated_at")
    .execute();
}

/**
 * The catalogue changed: every member's `next_reward` metafield may be stale, so each is marked
 * unsynced and the shop's sync job is due (it writes them in batches).
 */
async function catalogueChanged(db: Db, shop: string, now: string) {
  await db.query.updateTable("members").set({ synced_points: null }).where("shop", "=", shop).where("synced_points", "is not", null).execute();
  await scheduleMetafieldSync(db, shop, new Date(now));
}
