import { openDatabase } from "./db/connection.server";
import type { SqlDatabase } from "./db/types";
import { readConfig, type AppConfig } from "./config.server";
import { startJobWorker } from "./jobs/queue.server";
import { metafieldJobHandlers } from "./models/metafields.server";
import { redemptionJobHandlers } from "./models/redemptions.server";
import { adminClientForShop } from "./shopify/admin-api.server";
import { createWebhookApplier, type WebhookApplier } from "./webhooks/applier.server";

/** The process-wide pieces every entry point shares: configuration, the database, the webhook applier. */
export interface AppRuntime {
  config: AppConfig;
  db: SqlDatabase;
  webhooks: WebhookApplier;
}

declare global {
  // Kept on globalThis so Vite's dev server reloads reuse one connection.
  // eslint-disable-next-line no-var
  var __loyaltyRuntime: AppRuntime | undefined;
}

export function getRuntime(): AppRuntime {
  if (!globalThis.__loyaltyRuntime) {
    const config = readConfig();
    const db = openDatabase();
    const webhooks = createWebhookApplier({
      db,
      onError: (error, event) => console.error(`webhook ${event.topic} ${event.webhookId} for ${event.shop} failed`, error),
    });
    globalThis.__loyaltyRuntime = { config, db, webhooks };
  }
  return globalThis.__loyaltyRuntime;
}

/** Every kind of background job the app runs, by name. */
export function jobHandlers(db: SqlDatabase) {
  const adminFor = (shop: string) => adminClientForShop(db, shop);
  return { ...redemptionJobHandlers({ adminFor }), ...metafieldJobHandlers({ adminFor }) };
}

/** Starts this process's job worker (server.mjs does, once it listens). */
export function startBackgroundJobs(runtime: AppRuntime = getRuntime()) {
  return startJobWorker(runtime.db, jobHandlers(runtime.db));
}
