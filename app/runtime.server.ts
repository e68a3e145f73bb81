import { tierJobHandlers } from "./models/tiers.server";
import { openDatabase } from "./db/connection.server";
import type { Database } from "./db/types";
import { readConfig, type AppConfig } from "./config.server";
import { environmentSmtpSettings, startOutboxWorker } from "./email/outbox-worker.server";
import { startJobWorker } from "./jobs/queue.server";
import { birthdayJobHandlers, enqueueBirthdayScheduler } from "./models/birthdays.server";
import { enqueueExpiryScheduler, expiryJobHandlers } from "./models/expiry.server";
import { setMessageLinks } from "./email/message-links.server";
import { pointsEarnedJobHandlers } from "./models/message-events.server";
import { enqueueDailyMessagesScheduler, dailyMessagesJobHandlers } from "./models/daily-messages.server";
import { metafieldJobHandlers } from "./models/metafields.server";
import { pendingPointsJobHandlers } from "./models/orders.server";
import { redemptionJobHandlers } from "./models/redemptions.server";
import { referralJobHandlers } from "./models/referrals.server";
import { rewardCatalogue } from "./models/shopper-view.server";
import { earningCache } from "./models/earning-rules.server";
import { waysToEarnJobHandlers } from "./models/storefront-earning.server";
import { tierShopifyJobHandlers } from "./models/tier-shopify.server";
import { socialClaimJobHandlers } from "./models/social-claims.server";
import { flowJobHandlers } from "./models/flow.server";
import type { FlowRequestDeps } from "./flow/requests.server";
import { offlineSessions } from "./sessions.server";
import { adminClientForShop } from "./shopify/admin-api.server";
import type { OfflineSessions } from "./shopify/offline-sessions.server";
import type { ShopperRouterDeps } from "./shopper/router.server";
import { sessionTokenVerifier } from "./shopper/session-token.server";
import { createWebhookApplier, type WebhookApplier } from "./webhooks/applier.server";

/** The process-wide pieces every entry point shares: configuration, the database, sessions, the webhook applier, the shopper endpoints' dependencies. */
export interface AppRuntime {
  config: AppConfig;
  db: Database;
  sessions: OfflineSessions;
  webhooks: WebhookApplier;
  shopper: ShopperRouterDeps;
  /** Shopify Flow's lifecycle callback and action requests. */
  flow: FlowRequestDeps;
}

declare global {
  // Kept on globalThis so Vite's dev server reloads reuse one connection.
  var __loyaltyRuntime: AppRuntime | undefined;
}

/** The runtime's pieces over a database and session storage (tests build one over theirs). */
export function createRuntime(config: AppConfig, db: Database, sessions: OfflineSessions, { clock }: { clock?: () => Date } = {}): AppRuntime {
  setMessageLinks({ appUrl: config.appUrl, secret: config.apiSecrets[0] });
  const webhooks = createWebhookApplier({
    db,
    sessions,
    clock,
    onError: (error, event) => console.error(`webhook ${event.topic} ${event.webhookId} for ${event.shop} failed`, error),
  });
  const shopper: ShopperRouterDeps = {
    db,
    secrets: config.apiSecrets,
    adminFor: (shop) => adminClientForShop(sessions, shop),
    rewardCatalogue: rewardCatalogue(),
    earning: earningCache(),
    now: clock,
    socialClaimDelayMs: config.socialClaimDelayMs,
    verifySessionToken: sessionTokenVerifier({ apiKey: config.apiKey, apiSecret: config.apiSecrets[0] }),
  };
  const flow: FlowRequestDeps = { db, secrets: config.apiSecrets, now: clock };
  return { config, db, sessions, webhooks, shopper, flow };
}

export function getRuntime(): AppRuntime {
  globalThis.__loyaltyRuntime ??= createRuntime(readConfig(), openDatabase(), offlineSessions());
  return globalThis.__loyaltyRuntime;
}

/** Every kind of background job the app runs, by name. */
export function jobHandlers(runtime: Pick<AppRuntime, "sessions">) {
  const adminFor = (shop: string) => adminClientForShop(runtime.sessions, shop);
  return {
    ...redemptionJobHandlers({ adminFor }),
    ...referralJobHandlers({ adminFor }),
    ...metafieldJobHandlers({ adminFor }),
    ...pendingPointsJobHandlers(),
    ...birthdayJobHandlers(),
    ...expiryJobHandlers(),
    ...waysToEarnJobHandlers({ adminFor }),
    ...tierShopifyJobHandlers({ adminFor }),
    ...socialClaimJobHandlers(),
    ...tierJobHandlers(),
    ...flowJobHandlers({ adminFor }),
    ...pointsEarnedJobHandlers(),
    ...dailyMessagesJobHandlers(),
  };
}

/** Starts this process's job worker and outbox worker (server.mjs does, once it listens); stop() stops both. */
export function startBackgroundJobs(runtime: AppRuntime = getRuntime()) {
  // Today's birthday scheduler run (kept if another process enqueued it): it starts any shop's missing chain of daily birthday jobs.
  enqueueBirthdayScheduler(runtime.db).catch((error) => console.error("could not enqueue the birthday scheduler", error));
  enqueueDailyMessagesScheduler(runtime.db).catch((error) => console.error("could not enqueue the daily messages scheduler", error));
  // Today's points expiry scheduler run, likewise: it starts the daily expiry job of every shop with a policy.
  enqueueExpiryScheduler(runtime.db).catch((error) => console.error("could not enqueue the expiry scheduler", error));
  const jobs = startJobWorker(runtime.db, jobHandlers(runtime));
  const outbox = startOutboxWorker({ db: runtime.db, config: runtime.config, environmentSmtp: environmentSmtpSettings() });
  return {
    /** Resolves once the outbox's batch in flight is settled, so the database can close after it. */
    async stop() {
      jobs.stop();
      await outbox.stop();
    },
  };
}
