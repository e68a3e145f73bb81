import type { Database } from "../../app/db/types";
import type { EarningRuleKind, LimitPeriod, RuleStatus } from "../../app/domain/ways-to-earn";

/** A way to earn row for a test (a product review of 50 points, 20 more with a photo, unless told otherwise); returns its id. */
export async function addEarningRule(
  db: Database,
  shop: string,
  spec: { kind?: EarningRuleKind; status?: RuleStatus; points?: number; photoBonusPoints?: number; limit?: { count: number; period: LimitPeriod } } = {},
): Promise<number> {
  const now = new Date().toISOString();
  const row = await db.query
    .insertInto("earning_rules")
    .values({
      shop,
      kind: spec.kind ?? "review",
      status: spec.status ?? "live",
      points: spec.points ?? 50,
      photo_bonus_points: spec.photoBonusPoints ?? 20,
      limit_count: spec.limit?.count ?? null,
      limit_period: spec.limit?.period ?? null,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
