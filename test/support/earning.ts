import type { Database } from "../../app/db/types";

type RuleColumns = {
  kind: string;
  status?: string;
  points?: number;
  points_per_currency_unit?: number | null;
  every_nth?: number | null;
  photo_bonus_points?: number;
  starts_at?: string | null;
  ends_at?: string | null;
  customer_tags?: string[];
  settings?: Record<string, unknown>;
  content?: Record<string, unknown>;
  position?: number;
};

/** A way to earn of a shop, as the admin would save it; its id. */
export async function addEarningRule(db: Database, shop: string, rule: RuleColumns): Promise<number> {
  const now = new Date().toISOString();
  const row = await db.query
    .insertInto("earning_rules")
    .values({
      shop,
      kind: rule.kind as never,
      status: (rule.status ?? "live") as never,
      points: rule.points ?? 0,
      points_per_currency_unit: rule.points_per_currency_unit ?? null,
      every_nth: rule.every_nth ?? null,
      photo_bonus_points: rule.photo_bonus_points ?? 0,
      limit_count: null,
      limit_period: null,
      starts_at: rule.starts_at ?? null,
      ends_at: rule.ends_at ?? null,
      customer_tags: JSON.stringify(rule.customer_tags ?? []),
      settings: JSON.stringify(rule.settings ?? {}),
      content: JSON.stringify(rule.content ?? {}),
      position: rule.position ?? 10,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A campaign of a shop (a multiplier unless bonus_points is given); its id. */
export async function addCampaign(
  db: Database,
  shop: string,
  campaign: { name: string; starts_at: string; ends_at: string; multiplier_percent?: number | null; bonus_points?: number | null; status?: string },
): Promise<number> {
  const now = new Date().toISOString();
  const row = await db.query
    .insertInto("campaigns")
    .values({
      shop,
      name: campaign.name,
      status: (campaign.status ?? "live") as never,
      starts_at: campaign.starts_at,
      ends_at: campaign.ends_at,
      multiplier_percent: campaign.bonus_points ? null : (campaign.multiplier_percent ?? 200),
      bonus_points: campaign.bonus_points ?? null,
      product_ids: "[]",
      collection_ids: "[]",
      collection_product_ids: "[]",
      customer_tags: "[]",
      content: "{}",
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
