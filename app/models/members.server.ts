import type { SqlExecutor, SqlValue } from "../db/types";
import { newestFirstPage } from "../domain/pagination";
import type { WebhookCustomer } from "../webhooks/payloads";

export interface MemberRow {
  id: number;
  shop: string;
  customer_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  balance: number;
  created_at: string | Date;
  updated_at: string | Date;
  redacted_at: string | Date | null;
  profile_updated_at: string | null;
  birthday: string | null;
}

export async function findMember(db: SqlExecutor, shop: string, customerId: string) {
  return db.get<MemberRow>('SELECT * FROM "members" WHERE "shop" = ? AND "customer_id" = ?', [shop, customerId]);
}

export async function getMemberById(db: SqlExecutor, shop: string, id: number) {
  return db.get<MemberRow>('SELECT * FROM "members" WHERE "shop" = ? AND "id" = ?', [shop, id]);
}

/**
 * The member for a Shopify customer, created on first sight. An order's customer fills in a
 * profile only where the member has none; customers/create and customers/update own it.
 */
export async function ensureMember(db: SqlExecutor, shop: string, customer: WebhookCustomer, now: string): Promise<number> {
  const existing = await db.get<{ id: number }>(
    'SELECT "id" FROM "members" WHERE "shop" = ? AND "customer_id" = ?',
    [shop, customer.customerId],
  );
  if (existing) return existing.id;
  const inserted = await db.get<{ id: number }>(
    `INSERT INTO "members" ("shop", "customer_id", "email", "first_name", "last_name", "balance", "created_at", "updated_at")
     VALUES (?, ?, ?, ?, ?, 0, ?, ?)
     ON CONFLICT ("shop", "customer_id") DO UPDATE SET "updated_at" = "members"."updated_at"
     RETURNING "id"`,
    [shop, customer.customerId, customer.email, customer.firstName, customer.lastName, now, now],
  );
  return inserted!.id;
}

/**
 * customers/create and customers/update. Shopify's updated_at orders the deliveries: an older
 * profile that arrives late does not overwrite a newer one. A redacted member stays redacted.
 */
export async function applyCustomerProfile(
  db: SqlExecutor,
  shop: string,
  customer: WebhookCustomer,
  now: string,
): Promise<"created" | "updated" | "stale" | "redacted"> {
  const existing = await findMember(db, shop, customer.customerId);
  if (!existing) {
    await db.run(
      `INSERT INTO "members" ("shop", "customer_id", "email", "first_name", "last_name", "balance", "created_at", "updated_at", "profile_updated_at")
       VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`,
      [shop, customer.customerId, customer.email, customer.firstName, customer.lastName, now, now, customer.updatedAt],
    );
    return "created";
  }
  if (existing.redacted_at) return "redacted";
  if (existing.profile_updated_at && customer.updatedAt && Date.parse(customer.updatedAt) < Date.parse(existing.profile_updated_at)) {
    return "stale";
  }
  await db.run(
    `UPDATE "members" SET "email" = ?, "first_name" = ?, "last_name" = ?, "updated_at" = ?, "profile_updated_at" = ?
     WHERE "id" = ?`,
    [customer.email, customer.firstName, customer.lastName, now, customer.updatedAt ?? existing.profile_updated_at, existing.id],
  );
  return "updated";
}

/** customers/redact: the person's data goes; the member and its ledger totals stay, anonymous. */
export async function redactMember(db: SqlExecutor, shop: string, customerId: string, now: string): Promise<boolean> {
  const { changes } = await db.run(
    `UPDATE "members" SET "email" = NULL, "first_name" = NULL, "last_name" = NULL, "birthday" = NULL, "redacted_at" = ?, "updated_at" = ?
     WHERE "shop" = ? AND "customer_id" = ?`,
    [now, now, shop, customerId],
  );
  await db.run('DELETE FROM "data_requests" WHERE "shop" = ? AND "customer_id" = ?', [shop, customerId]);
  return changes > 0;
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
export async function searchMembers(db: SqlExecutor, shop: string, search: MemberSearch = {}) {
  const limit = Math.min(Math.max(search.limit ?? 25, 1), 100);
  const backward = search.beforeId !== undefined && search.afterId === undefined;
  const params: SqlValue[] = [shop];
  let where = '"shop" = ?';
  // No cursor, no bound: a sentinel like MAX_SAFE_INTEGER overflows PostgreSQL's integer ids.
  if (backward) {
    where += ' AND "id" > ?';
    params.push(search.beforeId!);
  } else if (search.afterId !== undefined) {
    where += ' AND "id" < ?';
    params.push(search.afterId);
  }
  const query = search.query?.trim().toLowerCase();
  if (query) {
    const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where += ` AND (LOWER(COALESCE("email", '')) LIKE ? ESCAPE '\\'
               OR LOWER(COALESCE("first_name", '') || ' ' || COALESCE("last_name", '')) LIKE ? ESCAPE '\\'
               OR "customer_id" = ?)`;
    params.push(like, like, query);
  }
  const order = backward ? "ASC" : "DESC";
  const rows = await db.all<MemberRow>(`SELECT * FROM "members" WHERE ${where} ORDER BY "id" ${order} LIMIT ?`, [
    ...params,
    limit + 1,
  ]);
  const page = newestFirstPage(rows, limit, { backward, fromCursor: (backward ? search.beforeId : search.afterId) !== undefined });
  return { members: page.items, nextAfterId: page.olderThanId, previousBeforeId: page.newerThanId };
}

export type BirthdayResult = { ok: true; birthday: string } | { ok: false; status: 409; error: string; message: string };

/**
 * Records the shopper's birthday, once: a different date later is refused (409) so a birthday
 * reward cannot be claimed by moving the date; the store can change it. Saving the same date
 * again is harmless. A logged-in customer the program has not met yet becomes a member.
 */
export async function setMemberBirthday(db: SqlExecutor, shop: string, customerId: string, birthday: string, now: string): Promise<BirthdayResult> {
  await db.run(
    `INSERT INTO "members" ("shop", "customer_id", "balance", "created_at", "updated_at") VALUES (?, ?, 0, ?, ?)
     ON CONFLICT ("shop", "customer_id") DO NOTHING`,
    [shop, customerId, now, now],
  );
  await db.run(
    'UPDATE "members" SET "birthday" = ?, "updated_at" = ? WHERE "shop" = ? AND "customer_id" = ? AND "birthday" IS NULL',
    [birthday, now, shop, customerId],
  );
  const member = await findMember(db, shop, customerId);
  if (member?.birthday === birthday) return { ok: true, birthday };
  return {
    ok: false,
    status: 409,
    error: "birthday_already_set",
    message: "Your birthday is already saved. Contact the store to change it.",
  };
}
