import type { Database, Db } from "../db/types";
import type { Ok, Refused } from "../domain/result";
import { localDateKey } from "../domain/local-days";
import {
  MAX_TIER_ACCESS_RULES,
  tierAccessMetafieldValue,
  tierAccessStatus,
  tierAccessWho,
  validateTierAccessForm,
  type TierAccessFieldErrors,
  type TierAccessForm,
  type TierAccessMetafield,
  type TierAccessRule,
  type TierAccessStatus,
  type TierAccessTargetType,
} from "../domain/tier-access";
import { readTierProgramConfig } from "./tiers.server";
import { scheduleTierShopifySync } from "./tier-shopify.server";

// Members-only and tier-only products and collections (issue 13): the shop's rules in
// tier_access, one per product or collection. Every change re-arms the tier Shopify sync, which
// writes the rules to the app installation's loyalty.access metafield for the theme block.

type AccessRow = {
  id: number;
  target_type: string;
  target_id: string;
  target_title: string;
  min_rank: number;
  until: string | null;
  created_at: string;
};

const ruleFromRow = (row: AccessRow): TierAccessRule => ({
  id: row.id,
  targetType: row.target_type as TierAccessTargetType,
  targetId: row.target_id,
  targetTitle: row.target_title,
  minRank: row.min_rank,
  until: row.until,
  createdAt: row.created_at,
});

async function rulesOf(db: Db, shop: string): Promise<TierAccessRule[]> {
  const rows = await db.query
    .selectFrom("tier_access")
    .select(["id", "target_type", "target_id", "target_title", "min_rank", "until", "created_at"])
    .where("shop", "=", shop)
    .orderBy("target_type")
    .orderBy("id")
    .execute();
  return rows.map(ruleFromRow);
}

async function shopTimeZone(db: Db, shop: string): Promise<string> {
  const row = await db.query.selectFrom("shops").select("time_zone").where("domain", "=", shop).executeTakeFirst();
  return row?.time_zone ?? "UTC";
}

/** A rule as the admin lists it: who may buy in words, the day it opens to everyone in the shop's zone, and whether it runs. */
export interface TierAccessRuleView extends TierAccessRule {
  who: string;
  /** "YYYY-MM-DD" in the shop's time zone: the first day everyone may buy (null: members only for good). */
  opensOn: string | null;
  status: TierAccessStatus;
}

/** The shop's rules: collections, then products, each oldest first. */
export async function listTierAccess(db: Db, shop: string, now: Date = new Date()): Promise<TierAccessRuleView[]> {
  const [rules, program, timeZone] = [await rulesOf(db, shop), await readTierProgramConfig(db, shop), await shopTimeZone(db, shop)];
  return rules.map((rule) => ({
    ...rule,
    who: tierAccessWho(rule, program),
    opensOn: rule.until === null ? null : localDateKey(new Date(rule.until), timeZone),
    status: tierAccessStatus(rule, program, now),
  }));
}

export type AddTierAccessResult =
  | Ok<{ rule: TierAccessRule; replaced: boolean }>
  | Refused<"invalid_fields", { fieldErrors: TierAccessFieldErrors }>
  | Refused<"too_many_rules", { limit: number }>;

/**
 * Adds a rule, or replaces the one the shop already has for that product or collection (the
 * table's unique key), and re-arms the sync in the same transaction.
 */
export async function addTierAccess(db: Database, shop: string, form: TierAccessForm, now: Date = new Date()): Promise<AddTierAccessResult> {
  const program = await readTierProgramConfig(db, shop);
  const validated = validateTierAccessForm(form, { tiers: program?.tiers ?? [], timeZone: await shopTimeZone(db, shop), now });
  if (!validated.ok) return { ok: false, reason: "invalid_fields", fieldErrors: validated.fieldErrors };
  const { input } = validated;
  return db.transaction(async (tx): Promise<AddTierAccessResult> => {
    const existing = await tx.query
      .selectFrom("tier_access")
      .select("id")
      .where("shop", "=", shop)
      .where("target_type", "=", input.targetType)
      .where("target_id", "=", input.targetId)
      .executeTakeFirst();
    if (!existing) {
      const { count } = await tx.query
        .selectFrom("tier_access")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("shop", "=", shop)
        .executeTakeFirstOrThrow();
      if (Number(count) >= MAX_TIER_ACCESS_RULES) return { ok: false, reason: "too_many_rules", limit: MAX_TIER_ACCESS_RULES };
    }
    const values = { target_title: input.targetTitle, min_rank: input.minRank, until: input.until };
    const row = await tx.query
      .insertInto("tier_access")
      .values({ shop, target_type: input.targetType, target_id: input.targetId, ...values, created_at: now.toISOString() })
      .onConflict((conflict) => conflict.columns(["shop", "target_type", "target_id"]).doUpdateSet(values))
      .returning(["id", "target_type", "target_id", "target_title", "min_rank", "until", "created_at"])
      .executeTakeFirstOrThrow();
    await scheduleTierShopifySync(tx, shop, now);
    return { ok: true, rule: ruleFromRow(row), replaced: existing !== undefined };
  });
}

/** Removes one of the shop's rules; another shop's id, or one already removed, is not found. */
export async function removeTierAccess(db: Database, shop: string, id: number, now: Date = new Date()): Promise<Ok | Refused<"not_found">> {
  return db.transaction(async (tx) => {
    const removed = await tx.query.deleteFrom("tier_access").where("shop", "=", shop).where("id", "=", id).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return { ok: false, reason: "not_found" } as const;
    await scheduleTierShopifySync(tx, shop, now);
    return { ok: true } as const;
  });
}

/** The app installation's loyalty.access metafield value as it should be now (the sync writes it). */
export async function readTierAccessMetafield(db: Db, shop: string, now: Date = new Date()): Promise<TierAccessMetafield> {
  return tierAccessMetafieldValue(await rulesOf(db, shop), await readTierProgramConfig(db, shop), now);
}
