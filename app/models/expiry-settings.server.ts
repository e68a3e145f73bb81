import type { Database, Db } from "../db/types";
import { readExpiryPolicy, type ExpiryPolicy, type ExpiryPolicyField } from "../domain/expiry";
import { ok, refused, type Ok, type Refused } from "../domain/result";
import { expiryPolicyOf, startExpiryJobs } from "./expiry.server";
import { scheduleMetafieldSync } from "./metafields.server";
import { scheduleWaysToEarnSync } from "./storefront-earning.server";

// The merchant's points expiry settings (the admin's Points expiry page): the policy, and the
// figures that show what it means before and after saving it.

export interface ExpirySettings {
  policy: ExpiryPolicy;
  /** Members holding points. */
  membersWithPoints: number;
}

export async function getExpirySettings(db: Db, shop: string): Promise<ExpirySettings> {
  const row = await db.query.selectFrom("shops").select(["expiry_policy", "expiry_months"]).where("domain", "=", shop).executeTakeFirst();
  const members = await db.query
    .selectFrom("members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("shop", "=", shop)
    .where("balance", ">", 0)
    .where("redacted_at", "is", null)
    .executeTakeFirstOrThrow();
  return { policy: row ? expiryPolicyOf(row) : { kind: "off" }, membersWithPoints: Number(members.n) };
}

export type ExpirySettingsRefusal = Refused<"invalid_expiry_policy", { field: ExpiryPolicyField; message: string }>;

/**
 * Saves the policy from the merchant's form. Turning it on starts today's expiry run (nothing
 * past its date waits for midnight); any change re-writes what shoppers see (the storefront's
 * program metafield and every member's expiry in their metafields).
 */
export async function saveExpiryPolicy(
  db: Database,
  shop: string,
  input: { kind?: unknown; months?: unknown },
  now: Date = new Date(),
): Promise<Ok<{ policy: ExpiryPolicy }> | ExpirySettingsRefusal> {
  const read = readExpiryPolicy(input);
  if (!read.ok) return refused("invalid_expiry_policy", { field: read.field, message: read.message });
  const { policy } = read;
  await db.transaction(async (tx) => {
    await tx.query
      .updateTable("shops")
      .set({ expiry_policy: policy.kind, ...(policy.kind === "off" ? {} : { expiry_months: policy.months }), updated_at: now.toISOString() })
      .where("domain", "=", shop)
      .execute();
    if (policy.kind !== "off") await startExpiryJobs(tx, shop, now);
    await tx.query.updateTable("members").set({ synced_points: null }).where("shop", "=", shop).where("synced_points", "is not", null).execute();
    await scheduleMetafieldSync(tx, shop, now);
    await scheduleWaysToEarnSync(tx, shop, now);
  });
  return ok({ policy });
}
