import type { Selectable } from "kysely";
import { prepare } from "../db/prepared";
import type { DB, Db } from "../db/types";
import { DEFAULT_PROGRAM, type OrderSettings } from "../domain/earning";
import { enqueueJob } from "../jobs/queue.server";
import { startBirthdayJobs } from "./birthdays.server";
import { METAFIELD_SETUP_JOB } from "./metafields.server";
import { parseList } from "./json-columns.server";
import { ensureDefaultReward, resizeUntouchedDefaultReward } from "./rewards.server";
import { earningCache, ensureDefaultEarningRules, type EarningCache, type ShopEarning } from "./earning-rules.server";

/** What every webhook needs to know about its shop. */
export interface ShopContext {
  domain: string;
  installed: boolean;
  currencyCode: string;
  /** IANA zone: birthdays, campaign dates and per-period limits are judged in it. */
  timeZone: string;
  program: OrderSettings;
  /** Days order points wait before they can be spent (0: they post at once). */
  pendingDays: number;
  earning: ShopEarning;
}

export type ShopRow = Selectable<DB["shops"]>;

export { CorruptSettingsError, parseList } from "./json-columns.server";

export function programFromRow(row: ShopRow): OrderSettings {
  return {
    enabled: row.program_enabled,
    minimumOrderMinor: row.minimum_order_minor,
    earnTrigger: row.earn_trigger === "fulfilled" ? "fulfilled" : "paid",
    excludedProductIds: new Set([
      ...parseList(row.excluded_product_ids, "excluded_product_ids"),
      ...parseList(row.excluded_collection_product_ids, "excluded_collection_product_ids"),
    ]),
    excludedCustomerTags: new Set(parseList(row.excluded_customer_tags, "excluded_customer_tags").map((tag) => tag.toLowerCase())),
  };
}

/** Installed: the app's auth made the shop's row (afterAuth) and no app/uninstalled or shop/redact came since. */
const installedCurrency = prepare((q, p: { shop: string }) =>
  q.selectFrom("shops").select("currency_code").where("domain", "=", p.shop).where("uninstalled_at", "is", null).where("redacted_at", "is", null),
);

/** The shop's currency while it has the app installed; null when it has not (or never had). */
export async function installedShopCurrency(db: Db, shop: string): Promise<string | null> {
  return (await installedCurrency.first(db, { shop }))?.currency_code ?? null;
}

/** Creates the shop's row with the default program if it has none; safe to call on every install. */
export async function ensureShop(db: Db, shop: string, now: string, currencyCode?: string, timeZone?: string): Promise<void> {
  const before = await db.query.selectFrom("shops").select(["currency_code", "time_zone"]).where("domain", "=", shop).executeTakeFirst();
  await db.query
    .insertInto("shops")
    .values({ domain: shop, installed_at: now, currency_code: currencyCode ?? "USD", time_zone: timeZone ?? "UTC", updated_at: now })
    .onConflict((conflict) =>
      conflict.column("domain").doUpdateSet((eb) => ({
        uninstalled_at: null,
        redacted_at: null,
        currency_code: currencyCode ?? eb.ref("shops.currency_code"),
        time_zone: timeZone ?? eb.ref("shops.time_zone"),
      })),
    )
    .execute();
  await ensureDefaultReward(db, shop, currencyCode ?? "USD", now);
  await ensureDefaultEarningRules(db, shop, now);
  // A row made before the currency was known (a webhook ahead of the install) assumed USD.
  if (before && currencyCode && before.currency_code !== currencyCode) {
    await resizeUntouchedDefaultReward(db, shop, before.currency_code, currencyCode);
  }
  await enqueueJob(db, { shop, kind: METAFIELD_SETUP_JOB, key: `metafields:${shop}:definitions`, runAt: new Date(now) });
  await startBirthdayJobs(db, shop, timeZone ?? before?.time_zone ?? "UTC", new Date(now));
}

/** Every installed shop with its time zone, by domain (the daily schedulers enqueue one job each). */
export const installedShopZones = prepare((q) =>
  q.selectFrom("shops").select(["domain", "time_zone"]).where("uninstalled_at", "is", null).where("redacted_at", "is", null).orderBy("domain"),
);

const shopRow = prepare((q, p: { shop: string }) => q.selectFrom("shops").selectAll().where("domain", "=", p.shop));

/** The ways to earn of every shop this process applies webhooks for, by program version. */
const webhookEarning: EarningCache = earningCache();

export async function loadShopContext(
  db: Db,
  shop: string,
  { earning = webhookEarning, now = new Date() }: { earning?: EarningCache; now?: Date } = {},
): Promise<ShopContext> {
  const row = await shopRow.first(db, { shop });
  if (!row) {
    return {
      domain: shop,
      installed: false,
      currencyCode: "USD",
      timeZone: "UTC",
      program: { ...DEFAULT_PROGRAM, enabled: false },
      pendingDays: 0,
      earning: { rules: [], campaigns: [] },
    };
  }
  return {
    domain: shop,
    installed: row.uninstalled_at === null && row.redacted_at === null,
    currencyCode: row.currency_code,
    timeZone: row.time_zone,
    program: programFromRow(row),
    pendingDays: row.pending_days,
    earning: await earning(db, shop, row.program_version, now),
  };
}

/** app/uninstalled: the shop's data stays until shop/redact (its sessions are removed by Shopify's session storage). */
export async function markUninstalled(db: Db, shop: string, now: string): Promise<void> {
  await db.query.updateTable("shops").set({ uninstalled_at: now }).where("domain", "=", shop).execute();
}
