import type { Db } from "../db/types";
import type { RedactRequest } from "../webhooks/payloads";
import { deadLettersOfCustomer, deleteDeadLettersOfCustomer } from "./dead-letters.server";
import { redactMember } from "./members.server";
import { DEFAULT_PROGRAM_COLUMNS } from "./program.server";

/**
 * customers/data_request: everything the app holds about the customer, stored for the merchant
 * to download from the admin (Settings > Data requests) and send to the customer.
 */
export async function recordDataRequest(db: Db, shop: string, request: RedactRequest, webhookId: string, now: string) {
  if (!request.customerId) return { result: "no customer" as const };
  const member = await db.query
    .selectFrom("members")
    .select(["id", "customer_id", "email", "first_name", "last_name", "birthday", "balance", "created_at", "redacted_at"])
    .where("shop", "=", shop)
    .where("customer_id", "=", request.customerId)
    .executeTakeFirst();
  const entries = member
    ? await db.query
        .selectFrom("ledger_entries")
        .select(["created_at", "delta", "kind", "order_id", "reason", "customer_note"])
        .where("shop", "=", shop)
        .where("member_id", "=", member.id)
        .orderBy("id")
        .execute()
    : [];
  const redemptions = member
    ? await db.query
        .selectFrom("redemptions as r")
        .innerJoin("rewards as w", (join) => join.onRef("w.id", "=", "r.reward_id").onRef("w.shop", "=", "r.shop"))
        .select(["r.created_at", "w.name as reward_name", "r.points", "r.value_minor", "r.status", "r.code", "r.expires_at"])
        .where("r.shop", "=", shop)
        .where("r.member_id", "=", member.id)
        .orderBy("r.id")
        .execute()
    : [];
  const orders = await db.query
    .selectFrom("loyalty_orders")
    .select(["order_id", "order_name", "earned_points", "reversed_points", "earned_at", "cancelled_at"])
    .where("shop", "=", shop)
    .where("customer_id", "=", request.customerId)
    .orderBy("id")
    .execute();
  // Deliveries kept as dead letters hold the customer's data as Shopify sent it.
  const deadLetters = await deadLettersOfCustomer(db, shop, request.customerId);
  const exported = {
    customerId: request.customerId,
    requestedAt: now,
    member: member ?? null,
    ledger: entries,
    redemptions,
    orders,
    deadLetters,
  };
  await db.query
    .insertInto("data_requests")
    .values({
      shop,
      customer_id: request.customerId,
      request_id: request.requestId ?? `webhook:${webhookId}`,
      export: JSON.stringify(exported),
      created_at: now,
    })
    .onConflict((conflict) => conflict.columns(["shop", "request_id"]).doNothing())
    .execute();
  return { result: "exported" as const };
}

export async function listDataRequests(db: Db, shop: string) {
  return db.query
    .selectFrom("data_requests")
    .select(["id", "customer_id", "request_id", "created_at"])
    .where("shop", "=", shop)
    .orderBy("id", "desc")
    .limit(100)
    .execute();
}

export async function getDataRequestExport(db: Db, shop: string, id: number) {
  return db.query.selectFrom("data_requests").select(["customer_id", "export"]).where("shop", "=", shop).where("id", "=", id).executeTakeFirst();
}

/**
 * customers/redact: the member is anonymised (its ledger totals stay) and the deliveries kept as
 * dead letters that name the customer go, since their payloads are the customer's data, and so
 * do the messages to them in the outbox.
 */
export async function redactCustomer(db: Db, shop: string, request: RedactRequest, now: string) {
  if (!request.customerId) return { result: "no customer" as const };
  await deleteDeadLettersOfCustomer(db, shop, request.customerId);
  // Their messages hold their address and whatever the template said about them; unsent ones go too.
  await db.query
    .deleteFrom("outbox_messages")
    .where("shop", "=", shop)
    .where("member_id", "in", (eb) => eb.selectFrom("members").select("id").where("shop", "=", shop).where("customer_id", "=", request.customerId!))
    .execute();
  const found = await redactMember(db, shop, request.customerId, now);
  return { result: found ? ("redacted" as const) : ("not a member" as const) };
}

/** Every table a shop owns rows in, emptied by shop/redact (ledger entries before the members they point at). */
const SHOP_TABLES = [
  "ledger_entries",
  "tier_changes",
  "tier_activity",
  "paid_memberships",
  "members",
  "order_refunds",
  "loyalty_orders",
  "data_requests",
  "redemptions",
  "rewards",
  "referrals",
  "referral_clicks",
  "referral_programs",
  "jobs",
  "dead_letters",
  "earning_rules",
  "campaigns",
  "dry_run_awards",
  "api_calls",
  "api_keys",
  "tiers",
  "tier_programs",
  "tier_access",
  "flow_trigger_uses",
  "outbox_messages",
  "message_templates",
  "message_settings",
] as const;

/**
 * shop/redact (48 hours after uninstall): every row the shop owns goes (its sessions are removed
 * through Shopify's session storage). The shop keeps a tombstone row with redacted_at, which is
 * also what lets the append-only ledger be emptied.
 */
export async function redactShop(db: Db, shop: string, keepWebhookId: string, now: string) {
  await db.query
    .insertInto("shops")
    .values({ domain: shop, installed_at: now, updated_at: now, redacted_at: now })
    .onConflict((conflict) => conflict.column("domain").doUpdateSet((eb) => ({ redacted_at: eb.ref("excluded.redacted_at") })))
    .execute();
  for (const table of SHOP_TABLES) await db.query.deleteFrom(table).where("shop", "=", shop).execute();
  await db.query.deleteFrom("webhook_receipts").where("shop", "=", shop).where("webhook_id", "<>", keepWebhookId).execute();
  await db.query.updateTable("shops").set(DEFAULT_PROGRAM_COLUMNS).where("domain", "=", shop).execute();
  return { result: "redacted" as const };
}
