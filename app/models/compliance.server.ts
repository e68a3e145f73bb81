import type { SqlExecutor } from "../db/types";
import type { RedactRequest } from "../webhooks/payloads";
import { redactMember } from "./members.server";

/**
 * customers/data_request: everything the app holds about the customer, stored for the merchant
 * to download from the admin (Settings > Data requests) and send to the customer.
 */
export async function recordDataRequest(db: SqlExecutor, shop: string, request: RedactRequest, webhookId: string, now: string) {
  if (!request.customerId) return { result: "no customer" as const };
  const member = await db.get<Record<string, unknown>>(
    'SELECT "id", "customer_id", "email", "first_name", "last_name", "birthday", "balance", "created_at", "redacted_at" FROM "members" WHERE "shop" = ? AND "customer_id" = ?',
    [shop, request.customerId],
  );
  const entries = member
    ? await db.all(
        `SELECT "created_at", "delta", "kind", "order_id", "reason", "customer_note" FROM "ledger_entries"
         WHERE "shop" = ? AND "member_id" = ? ORDER BY "id"`,
        [shop, member.id as number],
      )
    : [];
  const orders = await db.all(
    `SELECT "order_id", "order_name", "earned_points", "reversed_points", "earned_at", "cancelled_at" FROM "loyalty_orders"
     WHERE "shop" = ? AND "customer_id" = ? ORDER BY "id"`,
    [shop, request.customerId],
  );
  const exported = {
    customerId: request.customerId,
    requestedAt: now,
    member: member ?? null,
    ledger: entries,
    orders,
  };
  await db.run(
    `INSERT INTO "data_requests" ("shop", "customer_id", "request_id", "export", "created_at") VALUES (?, ?, ?, ?, ?)
     ON CONFLICT ("shop", "request_id") DO NOTHING`,
    [shop, request.customerId, request.requestId ?? `webhook:${webhookId}`, JSON.stringify(exported), now],
  );
  return { result: "exported" as const };
}

export async function listDataRequests(db: SqlExecutor, shop: string) {
  return db.all<{ id: number; customer_id: string; request_id: string; created_at: string | Date }>(
    'SELECT "id", "customer_id", "request_id", "created_at" FROM "data_requests" WHERE "shop" = ? ORDER BY "id" DESC LIMIT 100',
    [shop],
  );
}

export async function getDataRequestExport(db: SqlExecutor, shop: string, id: number) {
  return db.get<{ customer_id: string; export: string }>(
    'SELECT "customer_id", "export" FROM "data_requests" WHERE "shop" = ? AND "id" = ?',
    [shop, id],
  );
}

export async function redactCustomer(db: SqlExecutor, shop: string, request: RedactRequest, now: string) {
  if (!request.customerId) return { result: "no customer" as const };
  const found = await redactMember(db, shop, request.customerId, now);
  return { result: found ? ("redacted" as const) : ("not a member" as const) };
}

/**
 * shop/redact (48 hours after uninstall): every row the shop owns goes. The shop keeps a
 * tombstone row with redacted_at, which is also what lets the append-only ledger be emptied.
 */
export async function redactShop(db: SqlExecutor, shop: string, keepWebhookId: string, now: string) {
  await db.run(
    `INSERT INTO "shops" ("domain", "installed_at", "updated_at", "redacted_at") VALUES (?, ?, ?, ?)
     ON CONFLICT ("domain") DO UPDATE SET "redacted_at" = excluded."redacted_at"`,
    [shop, now, now, now],
  );
  for (const table of ["ledger_entries", "members", "order_refunds", "loyalty_orders", "data_requests", "redemptions", "rewards", "jobs"]) {
    await db.run(`DELETE FROM "${table}" WHERE "shop" = ?`, [shop]);
  }
  await db.run('DELETE FROM "webhook_receipts" WHERE "shop" = ? AND "webhook_id" <> ?', [shop, keepWebhookId]);
  await db.run('DELETE FROM "Session" WHERE "shop" = ?', [shop]);
  await db.run(
    `UPDATE "shops" SET "program_enabled" = TRUE, "points_per_currency_unit" = 1, "minimum_order_minor" = 0,
       "earn_trigger" = 'paid', "excluded_product_ids" = '[]', "excluded_collection_ids" = '[]',
       "excluded_collection_product_ids" = '[]', "excluded_customer_tags" = '[]' WHERE "domain" = ?`,
    [shop],
  );
  return { result: "redacted" as const };
}
