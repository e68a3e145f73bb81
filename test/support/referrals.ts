import type { Database } from "../../app/db/types";
import { createMember } from "./members";

/** The shop's referral program row, on, with a friend's offer (what the admin page saves). */
export async function enableReferrals(
  db: Database,
  shop: string,
  program: Partial<{ friend_offer_kind: string; friend_value_minor: number; friend_percent_off: number; cookie_days: number; enabled: boolean }> = {},
) {
  const row = {
    shop,
    enabled: true,
    friend_offer_kind: "fixed_amount",
    friend_value_minor: 1000,
    friend_percent_off: 0,
    cookie_days: 30,
    updated_at: new Date().toISOString(),
    ...program,
  };
  await db.query
    .insertInto("referral_programs")
    .values(row)
    .onConflict((conflict) => conflict.column("shop").doUpdateSet(row))
    .execute();
}

/** A member with a referral code (the engine gives one to every member who asks for their link). */
export async function createReferrer(db: Database, shop: string, code: string, firstName: string | null = "Dana") {
  const member = await createMember(db, shop, { firstName });
  await db.query.updateTable("members").set({ referral_code: code }).where("id", "=", member.id).execute();
  return { ...member, code };
}
