import { prepare } from "../db/prepared";
import type { Db, DbTransaction } from "../db/types";
import { tierPerksConfig, tierPerksDiscountCreateVariables, tierPerksDiscountUpdateVariables } from "../domain/tier-perks";
import { rearmJob, RetryLater, type JobHandler } from "../jobs/queue.server";
import type { AdminGraphql } from "../shopify/admin-api.server";
import { CURRENT_APP_INSTALLATION, TIER_PERKS_DISCOUNT_CREATE, TIER_PERKS_DISCOUNT_UPDATE, WAYS_TO_EARN_METAFIELD_SET } from "../shopify/queries";
import { APP_DATA_NAMESPACE } from "./storefront-earning.server";
import { readTierAccessMetafield } from "./tier-access.server";
import { readTierProgramConfig } from "./tiers.server";

// What the shop's tier program puts in Shopify beside each member's copy: the automatic app
// discount through which the tier-perks Function gives free shipping and member prices at
// checkout, and the members-only rules in the app installation's loyalty.access metafield (the
// product page's theme block reads it as app.metafields.loyalty.access). A durable job writes
// both, re-armed by every save of the tiers or the rules and again when an early access ends; a
// failure is retried by the job queue's backoff, and the program keeps running meanwhile.

export const TIER_SHOPIFY_SYNC_JOB = "tiers.shopify_sync";
const syncKey = (shop: string) => `tiers-shopify:${shop}`;

/** After a change to the tiers: the sync is due now (in a transaction, re-armed just before it commits). */
export async function scheduleTierShopifySync(db: Db | DbTransaction, shop: string, now: Date = new Date()) {
  const rearm = () => rearmJob(db, { shop, kind: TIER_SHOPIFY_SYNC_JOB, key: syncKey(shop), runAt: now }, now);
  if ("beforeCommit" in db) db.beforeCommit(syncKey(shop), rearm);
  else await rearm();
}

const shopState = prepare((q, p: { shop: string }) =>
  q
    .selectFrom("shops")
    .leftJoin("tier_programs", "tier_programs.shop", "shops.domain")
    .select(["shops.uninstalled_at", "shops.redacted_at", "tier_programs.perks_discount_id"])
    .where("shops.domain", "=", p.shop),
);

const setPerksDiscount = prepare((q, p: { shop: string; id: string | null }) =>
  q.updateTable("tier_programs").set({ perks_discount_id: p.id }).where("shop", "=", p.shop),
);

type Payload =
  { userErrors: { field?: string[] | null; message: string; code?: string | null }[]; automaticAppDiscount?: { discountId: string } | null } | null | undefined;

function discountIdOf(payload: Payload, mutation: string): string {
  if (!payload) throw new Error(`${mutation} returned no result`);
  if (payload.userErrors.length) throw new Error(`${mutation}: ${payload.userErrors.map((e) => e.message).join("; ")}`);
  const id = payload.automaticAppDiscount?.discountId;
  if (!id) throw new Error(`${mutation} returned no discount id`);
  return id;
}

/**
 * Makes the shop's tier-perks discount say what the tiers now give: created the first time a tier
 * has a checkout perk, updated after every later change (its settings empty when tiers are off or
 * no tier has one, so it gives nothing), and made again if the merchant deleted it in Shopify.
 */
export async function syncTierPerksDiscount(db: Db, shop: string, admin: AdminGraphql, now: Date): Promise<"created" | "updated" | "none"> {
  const state = await shopState.first(db, { shop });
  const program = await readTierProgramConfig(db, shop);
  if (!state || !program) return "none";
  const config = tierPerksConfig(program);
  const hasPerks = Object.keys(config.tiers).length > 0;
  const knownId = state.perks_discount_id;
  if (knownId) {
    const { discountAutomaticAppUpdate } = await admin.request(TIER_PERKS_DISCOUNT_UPDATE, tierPerksDiscountUpdateVariables(knownId, program));
    const missing = discountAutomaticAppUpdate?.userErrors.some((e) => /not exist|not found/i.test(e.message));
    if (!missing) {
      discountIdOf(discountAutomaticAppUpdate, "discountAutomaticAppUpdate");
      return "updated";
    }
    await setPerksDiscount.run(db, { shop, id: null });
  }
  if (!hasPerks) return "none";
  const { discountAutomaticAppCreate } = await admin.request(TIER_PERKS_DISCOUNT_CREATE, tierPerksDiscountCreateVariables(program, now.toISOString()));
  await setPerksDiscount.run(db, { shop, id: discountIdOf(discountAutomaticAppCreate, "discountAutomaticAppCreate") });
  return "created";
}

export const TIER_ACCESS_KEY = "access";

/**
 * Writes the members-only rules running now to the app installation's loyalty.access metafield
 * (metafieldsSet is the same mutation the ways to earn use), then books a run at each rule's end
 * of early access, when the rule leaves the storefront.
 */
export async function syncTierAccess(db: Db, shop: string, admin: AdminGraphql, now: Date): Promise<{ rules: number }> {
  const value = await readTierAccessMetafield(db, shop, now);
  const { currentAppInstallation } = await admin.request(CURRENT_APP_INSTALLATION);
  if (!currentAppInstallation?.id) throw new Error("currentAppInstallation returned no id");
  const { metafieldsSet } = await admin.request(WAYS_TO_EARN_METAFIELD_SET, {
    metafields: [{ ownerId: currentAppInstallation.id, namespace: APP_DATA_NAMESPACE, key: TIER_ACCESS_KEY, type: "json", value: JSON.stringify(value) }],
  });
  if (!metafieldsSet) throw new Error("metafieldsSet returned no result");
  if (metafieldsSet.userErrors.length) throw new Error(metafieldsSet.userErrors.map((e) => e.message).join("; "));
  for (const rule of value.rules) {
    if (rule.until === null || Date.parse(rule.until) <= now.getTime()) continue;
    await rearmJob(db, { shop, kind: TIER_SHOPIFY_SYNC_JOB, key: `${syncKey(shop)}:at:${rule.until}`, runAt: new Date(rule.until) }, now);
  }
  return { rules: value.rules.length };
}

export function tierShopifyJobHandlers(deps: { adminFor(shop: string): Promise<AdminGraphql | null> }): Record<string, JobHandler> {
  return {
    [TIER_SHOPIFY_SYNC_JOB]: async ({ db, shop, now }) => {
      const state = await shopState.first(db, { shop });
      if (!state || state.uninstalled_at !== null || state.redacted_at !== null) return;
      const admin = await deps.adminFor(shop);
      if (!admin) throw new RetryLater("no offline session yet");
      await syncTierPerksDiscount(db, shop, admin, now);
      await syncTierAccess(db, shop, admin, now);
    },
  };
}
