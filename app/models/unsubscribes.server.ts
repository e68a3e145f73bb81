import type { Db } from "../db/types";

// A member's unsubscribe from the app's messages (members.unsubscribed_at): kept once, scoped by
// shop; mayReceive refuses every kind after it. Shopify's own email marketing consent is
// separate and stays the merchant's.

export async function memberForUnsubscribe(db: Db, shop: string, memberId: number) {
  return db.query
    .selectFrom("members")
    .leftJoin("shops", "shops.domain", "members.shop")
    .select(["members.id", "members.locale", "members.unsubscribed_at", "members.redacted_at", "shops.sender_email"])
    .where("members.shop", "=", shop)
    .where("members.id", "=", memberId)
    .executeTakeFirst();
}

/** Sets unsubscribed_at the first time; again, it keeps the first time. Returns whether this call set it. */
export async function unsubscribeMember(db: Db, shop: string, memberId: number, now: string): Promise<boolean> {
  const result = await db.query
    .updateTable("members")
    .set({ unsubscribed_at: now, updated_at: now })
    .where("shop", "=", shop)
    .where("id", "=", memberId)
    .where("unsubscribed_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
