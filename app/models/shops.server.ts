import type { Selectable } from "kysely";
import { prepare } from "../db/prepared";
import type { DB, Db } from "../db/types";
import { DEFAULT_PROGRAM, type EarningProgram } from "../domain/earning";
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

export type ShopRow = Selectable<DB["shops"]>;

/** A stored list of ids or tags is unreadable: the program must not run on a guess (an empty exclusion list would let excluded products earn). */
export class CorruptSettingsError extends Error {
  constructor(column: string, value: string) {
    super(`the shop's ${column} is not a JSON list of strings: ${JSON.stringify(value.slice(0, 100))}`);
    this.name = "CorruptSettingsError";
  }
}

/** A JSON array column (ids, tags) as strings. */
export function parseList(json: string, column = "list"): string[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CorruptSettingsError(column, json);
  }
  if (!Array.isArray(value)) throw new CorruptSettingsError(column, json);
  return value.map(String);
}

export function programFromRow(row: ShopRow): EarningProgram {
  return {
    enabled: row.program_enabled,
    pointsPerCurrencyUnit: row.points_per_currency_unit,
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
export async function ensureShop(db: Db, shop: string, now: string, currencyCode?: string): Promise<void> {
  const before = await db.query.selectFrom("shops").select("currency_code").where("domain", "=", shop).executeTakeFirst();
  await db.query
    .insertInto("shops")
    .values({ domain: shop, installed_at: now, currency_code: currencyCode ?? "USD", updated_at: now })
    .onConflict((conflict) =>
      conflict.column("domain").doUpdateSet((eb) => ({
        uninstalled_at: null,
        redacted_at: null,
        currency_code: currencyCode ?? eb.ref("shops.currency_code"),
      })),
    )
    .execute();
  await ensureDefaultReward(db, shop, currencyCode ?? "USD", now);
  // A row made before the currency was known (a webhook ahead of the install) assumed USD.
  if (before && currencyCode && before.currency_code !== currencyCode) {
    await resizeUntouchedDefaultReward(db, shop, before.currency_code, currencyCode);
  }
  await enqueueJob(db, { shop, kind: METAFIELD_SETUP_JOB, key: `metafields:${shop}:definitions`, runAt: new Date(now) });
}

const shopRow = prepare((q, p: { shop: string }) => q.selectFrom("shops").selectAll().where("domain", "=", p.shop));

export async function loadShopContext(db: Db, shop: string): Promise<ShopContext> {
  const row = await shopRow.first(db, { shop });
  if (!row) {
    return { domain: shop, installed: false, currencyCode: "USD", program: { ...DEFAULT_PROGRAM, enabled: false } };
  }
  return {
    domain: shop,
    installed: row.uninstalled_at === null && row.redacted_at === null,
    currencyCode: row.currency_code,
    program: programFromRow(row),
  };
}

/** app/uninstalled: the shop's data stays until shop/redact (its sessions are removed by Shopify's session storage). */
export async function markUninstalled(db: Db, shop: string, now: string): Promise<void> {
  await db.query.updateTable("shops").set({ uninstalled_at: now }).where("domain", "=", shop).execute();
}
