import type { SqlExecutor } from "../db/types";

/** The figures on the admin home page. */
export interface ProgramFigures {
  members: number;
  /** The sum of every member's balance: what the shop's customers could still redeem. */
  pointsOutstanding: number;
  /** Points earned from orders since the first of this month (UTC), before any reversals. */
  pointsEarnedThisMonth: number;
}

/** The first instant of now's calendar month, in UTC. */
export function startOfMonthUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export async function programFigures(db: SqlExecutor, shop: string, now: Date): Promise<ProgramFigures> {
  const members = await db.get<{ members: number | null; outstanding: number | null }>(
    'SELECT COUNT(*) AS "members", SUM("balance") AS "outstanding" FROM "members" WHERE "shop" = ?',
    [shop],
  );
  const earned = await db.get<{ earned: number | null }>(
    `SELECT SUM("delta") AS "earned" FROM "ledger_entries"
     WHERE "shop" = ? AND "kind" = 'earned' AND "delta" > 0 AND "created_at" >= ?`,
    [shop, startOfMonthUtc(now).toISOString()],
  );
  return {
    members: Number(members?.members ?? 0),
    pointsOutstanding: Number(members?.outstanding ?? 0),
    pointsEarnedThisMonth: Number(earned?.earned ?? 0),
  };
}
