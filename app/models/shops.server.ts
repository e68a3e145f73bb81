import { DEFAULT_PROGRAM, type EarningProgram } from "../domain/earning";
import type { SqlExecutor } from "../db/types";
import { enqueueJob } from "../jobs/queue.server";
import { METAFIELD_SETUP_JOB } from "./metafields.server";
import { ensureDefaultReward, resizeUntouchedDefaultReward } from "./rewards.server";

/** What every webhook needs to know about its shop. */
export interface ShopContext {
  domain: string;
  installed: boolean;
  currencyCode: string;
  program: EarningProgram;
}

/** A row of the "shops" table, as the SQL layer returns it. */
export interface ShopRow {
  domain: string;
  currency_code: string;
  program_enabled: number | boolean;
  points_per_currency_unit: number;
  minimum_order_minor: number | string;
  earn_trigger: string;
  excluded_product_ids: string;
  excluded_collection_product_ids: string;
  excluded_customer_tags: string;
  redacted_at: unknown;
}

/** A JSON array column (ids, tags) as strings; anything unreadable is an empty list. */
export const parseList = (json: string): string[] => {
  try {
    const value = JSON.parse(json);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
};

export function programFromRow(row: ShopRow): EarningProgram {
  return {
    enabled: Boolean(row.program_enabled),
    pointsPerCurrencyUnit: Number(row.points_per_currency_unit),
    minimumOrderMinor: Number(row.minimum_order_minor),
    earnTrigger: row.earn_trigger === "fulfilled" ? "fulfilled" : "paid",
    excludedProductIds: new Set([...parseList(row.excluded_product_ids), ...parseList(row.excluded_collection_product_ids)]),
    excludedCustomerTags: new Set(parseList(row.excluded_customer_tags).map((tag) => tag.toLowerCase())),
  };
}

/** A shop is installed while its offline session is stored. */
export async function isInstalled(db: SqlExecutor, shop: string): Promise<boolean> {
  return Boolean(await db.get('SELECT 1 AS "one" FROM "Session" WHERE "shop" = ? AND NOT "isOnline" LIMIT 1', [shop]));
}

/** Creates the shop's row with the default program if it has none; safe to call on every install. */
export async function ensureShop(db: SqlExecutor, shop: string, now: string, currencyCode?: string): Promise<void> {
  const before = await db.get<{ currency_code: string }>('SELECT "currency_code" FROM "shops" WHERE "domain" = ?', [shop]);
  await db.run(
    `INSERT INTO "shops" ("domain", "installed_at", "currency_code", "updated_at") VALUES (?, ?, ?, ?)
     ON CONFLICT ("domain") DO UPDATE SET "uninstalled_at" = NULL, "redacted_at" = NULL,
       "currency_code" = COALESCE(?, "shops"."currency_code")`,
    [shop, now, currencyCode ?? "USD", now, currencyCode ?? null],
  );
  await ensureDefaultReward(db, shop, currencyCode ?? "USD", now);
  // A row made before the currency was known (a webhook ahead of the install) assumed USD.
  if (before && currencyCode && before.currency_code !== currencyCode) {
    await resizeUntouchedDefaultReward(db, shop, before.currency_code, currencyCode);
  }
  await enqueueJob(db, { shop, kind: METAFIELD_SETUP_JOB, key: `metafields:${shop}:definitions`, runAt: new Date(now) });
}

export async function loadShopContext(db: SqlExecutor, shop: string, now: string): Promise<ShopContext> {
  const installed = await isInstalled(db, shop);
  let row = await db.get<ShopRow>('SELECT * FROM "shops" WHERE "domain" = ?', [shop]);
  if (!row && installed) {
    await ensureShop(db, shop, now);
    row = await db.get<ShopRow>('SELECT * FROM "shops" WHERE "domain" = ?', [shop]);
  }
  if (!row) {
    return {
      domain: shop,
      installed: false,
      currencyCode: "USD",
      program: { ...DEFAULT_PROGRAM, enabled: false },
    };
  }
  return { domain: shop, installed, currencyCode: row.currency_code, program: programFromRow(row) };
}

/** app/uninstalled: sessions go at once; the shop's data stays until shop/redact. */
export async function markUninstalled(db: SqlExecutor, shop: string, now: string): Promise<void> {
  await db.run('DELETE FROM "Session" WHERE "shop" = ?', [shop]);
  await db.run('UPDATE "shops" SET "uninstalled_at" = ? WHERE "domain" = ?', [now, shop]);
}

export async function updateGrantedScopes(db: SqlExecutor, shop: string, scopes: string[]): Promise<void> {
  await db.run('UPDATE "Session" SET "scope" = ? WHERE "shop" = ? AND NOT "isOnline"', [scopes.join(","), shop]);
}
