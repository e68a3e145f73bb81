import { sql, type Selectable } from "kysely";
import { prepare } from "../db/prepared";
import type { DB, Db } from "../db/types";
import { newestFirstPage } from "../domain/pagination";
import { refused, type Ok, type Refused } from "../domain/result";
import { marketingStateOf, type WebhookCustomer } from "../webhooks/payloads";

export type MemberRow = Selectable<DB["members"]>;

const memberByCustomer = prepare((q, p: { shop: string; customerId: string }) =>
  q.selectFrom("members").selectAll().where("shop", "=", p.shop).where("customer_id", "=", p.customerId),
);

export async function findMember(db: Db, shop: string, customerId: string) {
  return memberByCustomer.first(db, { shop, customerId });
}

export async function getMemberById(db: Db, shop: string, id: number) {
  return db.query.selectFrom("members").selectAll().where("shop", "=", shop).where("id", "=", id).executeTakeFirst();
}

const memberIdByCustomer = prepare((q, p: { shop: string; customerId: string }) =>
  q.selectFrom("members").select("id").where("shop", "=", p.shop).where("customer_id", "=", p.customerId),
);

const insertMemberReturningId = prepare(
  (q, p: { shop: string; customerId: string; email: string | null; firstName: string | null; lastName: string | null; now: string }) =>
    q
      .insertInto("members")
      .values({
        shop: p.shop,
        customer_id: p.customerId,
        email: p.email,
        first_name: p.firstName,
        last_name: p.lastName,
        balance: 0,
        created_at: p.now,
        updated_at: p.now,
      })
      // A no-op update, so RETURNING gives the id of a row a concurrent transaction just made.
      .onConflict((conflict) => conflict.columns(["shop", "customer_id"]).doUpdateSet((eb) => ({ updated_at: eb.ref("members.updated_at") })))
      .returning("id"),
);

/**
 * The member for a Shopify customer, created on first sight. An order's customer fills in a
 * profile only where the member has none; customers/create and customers/update own it.
 */
export async function ensureMember(db: Db, shop: string, customer: WebhookCustomer, now: string): Promise<number> {
  const existing = await memberIdByCustomer.first(db, { shop, customerId: customer.customerId });
  if (existing) return existing.id;
  const inserted = await insertMemberReturningId.first(db, {
    shop,
    customerId: customer.customerId,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    now,
  });
  return inserted!.id;
}

/**
 * customers/create and customers/update. Shopify's updated_at orders the deliveries: an older
 * profile that arrives late does not overwrite a newer one. A redacted member stays redacted.
 * The profile carries the email marketing consent and language the member's messages follow; a
 * payload without them leaves what the member has.
 */
export async function applyCustomerProfile(
  db: Db,
  shop: string,
  customer: WebhookCustomer,
  now: string,
): Promise<"created" | "updated" | "stale" | "redacted"> {
  const existing = await findMember(db, shop, customer.customerId);
  if (!existing) {
    await db.query
      .insertInto("members")
      .values({
        shop,
        customer_id: customer.customerId,
        email: customer.email,
        first_name: customer.firstName,
        last_name: customer.lastName,
        balance: 0,
        created_at: now,
        updated_at: now,
        profile_updated_at: customer.updatedAt,
        tags: JSON.stringify(customer.tags.map((tag) => tag.toLowerCase())),
        marketing_state: marketingStateOf(customer.emailMarketingState),
        locale: customer.locale,
      })
      .execute();
    return "created";
  }
  if (existing.redacted_at) return "redacted";
  if (existing.profile_updated_at && customer.updatedAt && Date.parse(customer.updatedAt) < Date.parse(existing.profile_updated_at)) {
    return "stale";
  }
  await db.query
    .updateTable("members")
    .set({
      email: customer.email,
      first_name: customer.firstName,
      last_name: customer.lastName,
      updated_at: now,
      profile_updated_at: customer.updatedAt ?? existing.profile_updated_at,
      tags: JSON.stringify(customer.tags.map((tag) => tag.toLowerCase())),
      marketing_state: marketingStateOf(customer.emailMarketingState) ?? existing.marketing_state,
      locale: customer.locale ?? existing.locale,
    })
    .where("id", "=", existing.id)
    .execute();
  return "updated";
}

/**
 * The consent from customers/email_marketing_consent/update, on the member (made if new). A
 * profile (customers/update) newer than the consent change already carried the newer state, so
 * the consent then changes nothing; a redacted member keeps none.
 */
export async function recordMarketingState(
  db: Db,
  shop: string,
  consent: { customerId: string; email: string | null; updatedAt: string | null },
  marketingState: string,
  now: string,
): Promise<void> {
  await db.query
    .insertInto("members")
    .values({ shop, customer_id: consent.customerId, email: consent.email, balance: 0, created_at: now, updated_at: now, marketing_state: marketingState })
    .onConflict((conflict) => conflict.columns(["shop", "customer_id"]).doNothing())
    .execute();
  const member = await findMember(db, shop, consent.customerId);
  if (!member || member.redacted_at) return;
  // Shopify's times carry their offset ("2026-12-03T09:00:00-05:00"): compared as instants, not text.
  const profileAt = member.profile_updated_at ? Date.parse(member.profile_updated_at) : NaN;
  if (consent.updatedAt && Date.parse(consent.updatedAt) < profileAt) return;
  await db.query
    .updateTable("members")
    .set({ marketing_state: marketingState, updated_at: now })
    .where("shop", "=", shop)
    .where("id", "=", member.id)
    .execute();
}

/** customers/redact: the person's data goes; the member and its ledger totals stay, anonymous. */
export async function redactMember(db: Db, shop: string, customerId: string, now: string): Promise<boolean> {
  const result = await db.query
    .updateTable("members")
    .set({
      email: null,
      first_name: null,
      last_name: null,
      birthday: null,
      birthday_set_at: null,
      tags: "[]",
      phone_key: null,
      address_key: null,
      redacted_at: now,
      updated_at: now,
    })
    .where("shop", "=", shop)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
  await db.query.deleteFrom("data_requests").where("shop", "=", shop).where("customer_id", "=", customerId).execute();
  return result.numUpdatedRows > 0n;
}

export interface MemberSearch {
  query?: string;
  limit?: number;
  /** Members with an id after this one (keyset pagination, newest first is by id descending). */
  afterId?: number;
  /** The page before: members newer than this one (what "Previous" shows). */
  beforeId?: number;
}

/**
 * Search by email or name, newest members first, one page plus the cursors of the pages either
 * side (null when there is none).
 */
export async function searchMembers(db: Db, shop: string, search: MemberSearch = {}) {
  const limit = Math.min(Math.max(search.limit ?? 25, 1), 100);
  const backward = search.beforeId !== undefined && search.afterId === undefined;
  let query = db.query.selectFrom("members").selectAll().where("shop", "=", shop);
  // No cursor, no bound: a sentinel like MAX_SAFE_INTEGER overflows PostgreSQL's integer ids.
  if (backward) query = query.where("id", ">", search.beforeId!);
  else if (search.afterId !== undefined) query = query.where("id", "<", search.afterId);
  const text = search.query?.trim().toLowerCase();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`LOWER(COALESCE(${eb.ref("email")}, '')) LIKE ${like} ESCAPE '\\'`,
        sql<boolean>`LOWER(COALESCE(${eb.ref("first_name")}, '') || ' ' || COALESCE(${eb.ref("last_name")}, '')) LIKE ${like} ESCAPE '\\'`,
        eb("customer_id", "=", text),
      ]),
    );
  }
  const rows = await query
    .orderBy("id", backward ? "asc" : "desc")
    .limit(limit + 1)
    .execute();
  const page = newestFirstPage(rows, limit, { backward, fromCursor: (backward ? search.beforeId : search.afterId) !== undefined });
  return { members: page.items, nextAfterId: page.olderThanId, previousBeforeId: page.newerThanId };
}

export type BirthdayResult = Ok<{ birthday: string }> | Refused<"birthday_already_set">;

/**
 * Records the shopper's birthday, once: a different date later is refused so a birthday reward
 * cannot be claimed by moving the date; the store can change it. Saving the same date again is
 * harmless. A logged-in customer the program has not met yet becomes a member.
 */
export async function setMemberBirthday(db: Db, shop: string, customerId: string, birthday: string, now: string): Promise<BirthdayResult> {
  await db.query
    .insertInto("members")
    .values({ shop, customer_id: customerId, balance: 0, created_at: now, updated_at: now })
    .onConflict((conflict) => conflict.columns(["shop", "customer_id"]).doNothing())
    .execute();
  await db.query
    .updateTable("members")
    .set({ birthday, birthday_set_at: now, updated_at: now })
    .where("shop", "=", shop)
    .where("customer_id", "=", customerId)
    .where("birthday", "is", null)
    .execute();
  const member = await findMember(db, shop, customerId);
  if (member?.birthday === birthday) return { ok: true, birthday };
  return refused("birthday_already_set");
}
