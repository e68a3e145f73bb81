import { sql } from "kysely";
import type { Db } from "../db/types";

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

export async function programFigures(db: Db, shop: string, now: Date): Promise<ProgramFigures> {
  const members = await db.query
    .selectFrom("members")
    .select((eb) => [eb.fn.countAll<number>().as("members"), eb.fn.sum<number | null>("balance").as("outstanding")])
    .where("shop", "=", shop)
    .executeTakeFirst();
  const earned = await db.query
    .selectFrom("ledger_entries")
    .select(sql<number | null>`SUM("delta")`.as("earned"))
    .where("shop", "=", shop)
    .where("kind", "=", "earned")
    .where("delta", ">", 0)
    .where("created_at", ">=", startOfMonthUtc(now).toISOString())
    .executeTakeFirst();
  return {
    members: Number(members?.members ?? 0),
    pointsOutstanding: Number(members?.outstanding ?? 0),
    pointsEarnedThisMonth: Number(earned?.earned ?? 0),
  };
}
