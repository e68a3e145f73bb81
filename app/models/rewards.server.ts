import { currencyDecimals } from "../domain/money";
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

/**
 * A new shop's program works on install: 5 units of its currency off for 500 points
 * ($5 for 500 points, one point per dollar: a 1% return).
 */
export async function ensureDefaultReward(db: SqlExecutor, shop: string, currency: string, now: string): Promise<void> {
  const existing = await db.get('SELECT 1 AS "one" FROM "rewards" WHERE "shop" = ? LIMIT 1', [shop]);
  if (existing) return;
  const five = 5 * 10 ** currencyDecimals(currency);
  await db.run(
    `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "code_lifetime_days", "created_at", "updated_at")
     VALUES (?, ?, 'fixed_amount', 500, ?, 30, ?, ?)`,
    [shop, "5 off your order", five, now, now],
  );
}
