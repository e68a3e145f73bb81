import { randomUUID } from "node:crypto";
import type { Database } from "../../app/db/types";
import { enqueueJob } from "../../app/jobs/queue.server";

/**
 * A redemption as a crash leaves it: the points taken (its ledger entry), the row pending, its
 * settle job due now, and Shopify never asked or its answer never recorded. `code` null is store
 * credit. Returns the redemption's id.
 */
export async function redemptionLeftByACrash(
  db: Database,
  spec: { shop: string; memberId: number; rewardId: number; points: number; valueMinor?: number; code?: string | null },
) {
  const now = new Date();
  const code = spec.code ?? null;
  const expiresAt = code === null ? null : new Date(now.getTime() + 86_400_000).toISOString();
  const row = (await db.raw.get<{ id: number }>(
    `INSERT INTO "redemptions" ("shop", "member_id", "reward_id", "request_key", "points", "value_minor", "status", "code", "expires_at", "created_at", "updated_at")
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING "id"`,
    [spec.shop, spec.memberId, spec.rewardId, randomUUID(), spec.points, spec.valueMinor ?? spec.points, code, expiresAt, now.toISOString(), now.toISOString()],
  ))!;
  await db.raw.run(
    `INSERT INTO "ledger_entries" ("shop", "member_id", "delta", "kind", "source_key", "actor_type", "reason", "created_at")
     VALUES (?, ?, ?, 'redeemed', ?, 'system', 'Redeemed', ?)`,
    [spec.shop, spec.memberId, -spec.points, `redemption:${row.id}`, now.toISOString()],
  );
  await enqueueJob(db, { shop: spec.shop, kind: "redemption.settle", key: `redemption:${row.id}:settle`, payload: { redemptionId: row.id }, runAt: now });
  return row.id;
}
