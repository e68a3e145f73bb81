import { expiryPolicyOf } from "./expiry.server";
import { prepare } from "../db/prepared";
import type { Db, DbTransaction } from "../db/types";
import { storefrontEarning, storefrontEarningChanges } from "../domain/storefront-ways-to-earn";
import { rearmJob, RetryLater, type JobHandler } from "../jobs/queue.server";
import type { AdminGraphql } from "../shopify/admin-api.server";
import { CURRENT_APP_INSTALLATION, WAYS_TO_EARN_METAFIELD_SET } from "../shopify/queries";
import { readShopEarning } from "./earning-rules.server";

// The shop-wide ways to earn and running campaigns in an app-data metafield on the app's
// installation (`app.metafields.loyalty.ways_to_earn` in Liquid), so the storefront paints them
// with no request. A durable job writes it: re-armed by every write to the rules or campaigns,
// and run again at each instant a live rule or campaign starts or ends.

export const WAYS_TO_EARN_SYNC_JOB = "ways_to_earn.sync";
/** App-data metafields live in a namespace of the app's own; Liquid reads `app.metafields.<namespace>.<key>`. */
export const APP_DATA_NAMESPACE = "loyalty";
export const WAYS_TO_EARN_KEY = "ways_to_earn";

const syncKey = (shop: string) => `ways-to-earn:${shop}`;

/**
 * After any change to a shop's ways to earn or campaigns: the sync is due now (coalesced; in a
 * transaction, re-armed once just before it commits, so it never runs ahead of the change).
 */
export async function scheduleWaysToEarnSync(db: Db | DbTransaction, shop: string, now: Date = new Date()) {
  const rearmSync = () => rearmJob(db, { shop, kind: WAYS_TO_EARN_SYNC_JOB, key: syncKey(shop), runAt: now }, now);
  if ("beforeCommit" in db) db.beforeCommit(syncKey(shop), rearmSync);
  else await rearmSync();
}

const shopForStorefront = prepare((q, p: { shop: string }) =>
  q.selectFrom("shops").select(["currency_code", "time_zone", "uninstalled_at", "redacted_at", "expiry_policy", "expiry_months"]).where("domain", "=", p.shop),
);

/**
 * Writes the shop's storefront view of its ways to earn, then books a run at each upcoming start
 * or end. An installed shop without its offline token yet (the install's own first sync) is
 * tried again later; an uninstalled one has nothing to keep fresh.
 */
export async function syncWaysToEarn(db: Db, shop: string, adminFor: (shop: string) => Promise<AdminGraphql | null>, now: Date): Promise<{ written: boolean }> {
  const row = await shopForStorefront.first(db, { shop });
  if (!row || row.uninstalled_at !== null || row.redacted_at !== null) return { written: false };
  const admin = await adminFor(shop);
  if (!admin) throw new RetryLater("no offline session yet");
  const earning = await readShopEarning(db, shop, now);
  const at = now.toISOString();
  const policy = expiryPolicyOf(row);
  const value = { ...storefrontEarning(earning.rules, earning.campaigns, row.currency_code, at, row.time_zone), expiry: policy.kind === "off" ? null : policy };
  const { currentAppInstallation } = await admin.request(CURRENT_APP_INSTALLATION);
  if (!currentAppInstallation?.id) throw new Error("currentAppInstallation returned no id");
  const { metafieldsSet } = await admin.request(WAYS_TO_EARN_METAFIELD_SET, {
    metafields: [{ ownerId: currentAppInstallation.id, namespace: APP_DATA_NAMESPACE, key: WAYS_TO_EARN_KEY, type: "json", value: JSON.stringify(value) }],
  });
  if (!metafieldsSet) throw new Error("metafieldsSet returned no result");
  if (metafieldsSet.userErrors.length) throw new Error(metafieldsSet.userErrors.map((e) => e.message).join("; "));
  // One job per instant (a key each): re-arming the shop's own job would move it to the later time.
  // Re-armed, not just enqueued: an instant whose job already ran (a campaign moved away and back) is due again.
  for (const instant of storefrontEarningChanges(earning.rules, earning.campaigns, at)) {
    await rearmJob(db, { shop, kind: WAYS_TO_EARN_SYNC_JOB, key: `${syncKey(shop)}:at:${instant}`, runAt: new Date(instant) }, now);
  }
  return { written: true };
}

export function waysToEarnJobHandlers(deps: { adminFor(shop: string): Promise<AdminGraphql | null> }): Record<string, JobHandler> {
  return {
    [WAYS_TO_EARN_SYNC_JOB]: async ({ db, shop, now }) => {
      await syncWaysToEarn(db, shop, deps.adminFor, now);
    },
  };
}
