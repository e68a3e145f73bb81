import type { DbTransaction } from "../db/types";
import type { OfflineSessions } from "../shopify/offline-sessions.server";
import { recordDataRequest, redactCustomer, redactShop } from "../models/compliance.server";
import { applyCustomerWebhook, applyEmailConsent } from "../models/customer-events.server";
import { applyOrderEvent, applyRefund } from "../models/orders.server";
import { forgetReferralFriend } from "../models/referrals.server";
import { markUninstalled, type ShopContext } from "../models/shops.server";
import { orderLockKey, parseComplianceCustomer, parseCustomer, parseEmailConsent, parseOrder, parseRefund, parseScopes } from "./payloads";

/** One verified delivery, as the applier sees it. */
export interface WebhookEvent {
  webhookId: string;
  topic: string;
  shop: string;
  payload: unknown;
}

export interface TopicContext {
  db: DbTransaction;
  shop: ShopContext;
  event: WebhookEvent;
  now: string;
}

export interface TopicHandler {
  /** Applied even when the shop has no offline session (compliance and uninstall). */
  whenUninstalled?: boolean;
  /** Changes the shop's own state (installation, scopes, data): later events must reload it. */
  changesShop?: boolean;
  /**
   * Where the delivery's row locks fall when batches run concurrently (PostgreSQL): a batch
   * applies its deliveries by this key, then webhook id, so two batches meeting on the same
   * members, orders or receipts lock them in the same order.
   */
  lockKey?(payload: unknown): string;
  /** What the topic changes in Shopify's session storage, done before the transaction (idempotent). */
  sessions?(context: { sessions: OfflineSessions; shop: string; payload: unknown }): Promise<void>;
  apply(context: TopicContext): Promise<unknown>;
}

/** Every topic subscribed in shopify.app.toml, and what it does. */
export const TOPIC_HANDLERS: Record<string, TopicHandler> = {
  "orders/paid": {
    lockKey: orderLockKey,
    apply: ({ db, shop, event, now }) => applyOrderEvent(db, shop, parseOrder(event.payload), "paid", now),
  },
  "orders/fulfilled": {
    lockKey: orderLockKey,
    apply: ({ db, shop, event, now }) => applyOrderEvent(db, shop, parseOrder(event.payload), "fulfilled", now),
  },
  "orders/cancelled": {
    lockKey: orderLockKey,
    apply: ({ db, shop, event, now }) => applyOrderEvent(db, shop, parseOrder(event.payload), "cancelled", now),
  },
  "refunds/create": {
    lockKey: (payload) => orderLockKey(payload, "order_id"),
    apply: ({ db, shop, event, now }) => applyRefund(db, shop, parseRefund(event.payload), now),
  },
  "customers/create": {
    apply: ({ db, shop, event, now }) => applyCustomerWebhook(db, shop, parseCustomer(event.payload), now),
  },
  "customers/update": {
    apply: ({ db, shop, event, now }) => applyCustomerWebhook(db, shop, parseCustomer(event.payload), now),
  },
  "customers/enable": {
    apply: ({ db, shop, event, now }) => applyCustomerWebhook(db, shop, parseCustomer(event.payload), now),
  },
  "customers/email_marketing_consent/update": {
    apply: ({ db, shop, event, now }) => applyEmailConsent(db, shop, parseEmailConsent(event.payload), now),
  },
  "app/uninstalled": {
    whenUninstalled: true,
    changesShop: true,
    sessions: ({ sessions, shop }) => sessions.deleteAll(shop),
    apply: ({ db, shop, now }) => markUninstalled(db, shop.domain, now),
  },
  "app/scopes_update": {
    sessions: ({ sessions, shop, payload }) => sessions.setScopes(shop, parseScopes(payload)),
    apply: async () => ({ result: "scopes recorded" }),
  },
  "customers/data_request": {
    whenUninstalled: true,
    apply: ({ db, shop, event, now }) => recordDataRequest(db, shop.domain, parseComplianceCustomer(event.payload), event.webhookId, now),
  },
  "customers/redact": {
    whenUninstalled: true,
    apply: async ({ db, shop, event, now }) => {
      const request = parseComplianceCustomer(event.payload);
      await forgetReferralFriend(db, shop.domain, request, now);
      return redactCustomer(db, shop.domain, request, now);
    },
  },
  "shop/redact": {
    whenUninstalled: true,
    changesShop: true,
    sessions: ({ sessions, shop }) => sessions.deleteAll(shop),
    apply: ({ db, shop, event, now }) => redactShop(db, shop.domain, event.webhookId, now),
  },
};
