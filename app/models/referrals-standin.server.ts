import type { Db } from "../db/types";
import { ok, refused, type Ok, type Refused } from "../domain/result";

// STAND-IN for the engine's app/models/referrals.server.ts (issue 15, helper "ref-engine"): the
// smallest versions of the functions the referral surfaces call, with the contract's names and
// shapes, so the surfaces can be built and tested before the engine lands. The merge drops this
// file and points the imports at referrals.server.ts.

export interface ReferralOfferView {
  kind: "fixed_amount" | "percentage" | "free_shipping";
  valueMinor: number;
  percentOff: number;
  currency: string;
}

export type ReferralOfferAnswer =
  Ok<{ referrerFirstName: string | null; offer: ReferralOfferView; cookieDays: number }> | Refused<"unknown_code" | "program_off">;

/** What the friend's landing shows for a code: the referrer's first name, the offer and how long the link is remembered. */
export async function readReferralOffer(db: Db, shop: string, code: string): Promise<ReferralOfferAnswer> {
  const row = await db.query
    .selectFrom("members")
    .innerJoin("shops", "shops.domain", "members.shop")
    .leftJoin("referral_programs", "referral_programs.shop", "members.shop")
    .select([
      "members.first_name",
      "shops.currency_code",
      "referral_programs.enabled",
      "referral_programs.friend_offer_kind",
      "referral_programs.friend_value_minor",
      "referral_programs.friend_percent_off",
      "referral_programs.cookie_days",
    ])
    .where("members.shop", "=", shop)
    .where("members.referral_code", "=", code)
    .where("shops.uninstalled_at", "is", null)
    .executeTakeFirst();
  if (!row) return refused("unknown_code");
  if (!row.enabled) return refused("program_off");
  return ok({
    referrerFirstName: row.first_name,
    offer: {
      kind: (row.friend_offer_kind ?? "fixed_amount") as ReferralOfferView["kind"],
      valueMinor: Number(row.friend_value_minor ?? 0),
      percentOff: Number(row.friend_percent_off ?? 0),
      currency: row.currency_code,
    },
    cookieDays: Number(row.cookie_days ?? 30),
  });
}

/** A visit to a referral link, for the referrer's clicked count. */
export async function recordReferralClick(db: Db, shop: string, code: string, ipHash: string | null, now: Date): Promise<void> {
  const member = await db.query.selectFrom("members").select("id").where("shop", "=", shop).where("referral_code", "=", code).executeTakeFirst();
  if (!member) return;
  await db.query.insertInto("referral_clicks").values({ shop, referrer_member_id: member.id, ip_hash: ipHash, created_at: now.toISOString() }).execute();
}
