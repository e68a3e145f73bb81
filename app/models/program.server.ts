import type { SqlExecutor } from "../db/types";
import {
  validateProgramSettings,
  type ProgramSettings,
  type ProgramSettingsFieldErrors,
  type ProgramSettingsForm,
} from "../domain/program-settings";
import { AdminApiError, type AdminGraphql } from "../shopify/admin-api.server";
import { COLLECTION_PRODUCTS_QUERY, type CollectionProductsResult } from "../shopify/queries";
import { ensureShop, parseList, type ShopRow } from "./shops.server";

/** The shop's earning program as the admin shows it. */
export interface ShopProgram {
  currencyCode: string;
  settings: ProgramSettings;
  /** How many products the excluded collections held when the settings were last saved. */
  excludedCollectionProductCount: number;
}

type ProgramRow = Omit<ShopRow, "domain" | "redacted_at"> & { excluded_collection_ids: string };

/** A shop without a row yet (afterAuth has not run) has the schema's default program. */
const DEFAULT_ROW: ProgramRow = {
  currency_code: "USD",
  program_enabled: true,
  points_per_currency_unit: 1,
  minimum_order_minor: 0,
  earn_trigger: "paid",
  excluded_product_ids: "[]",
  excluded_collection_ids: "[]",
  excluded_collection_product_ids: "[]",
  excluded_customer_tags: "[]",
};

export async function getProgram(db: SqlExecutor, shop: string): Promise<ShopProgram> {
  const row =
    (await db.get<ProgramRow>(
      `SELECT "currency_code", "program_enabled", "points_per_currency_unit", "minimum_order_minor", "earn_trigger",
              "excluded_product_ids", "excluded_collection_ids", "excluded_collection_product_ids", "excluded_customer_tags"
       FROM "shops" WHERE "domain" = ?`,
      [shop],
    )) ?? DEFAULT_ROW;
  return {
    currencyCode: row.currency_code,
    settings: {
      enabled: Boolean(row.program_enabled),
      pointsPerCurrencyUnit: Number(row.points_per_currency_unit),
      minimumOrderMinor: Number(row.minimum_order_minor),
      earnTrigger: row.earn_trigger === "fulfilled" ? "fulfilled" : "paid",
      excludedProductIds: parseList(row.excluded_product_ids),
      excludedCollectionIds: parseList(row.excluded_collection_ids),
      excludedCustomerTags: parseList(row.excluded_customer_tags),
    },
    excludedCollectionProductCount: parseList(row.excluded_collection_product_ids).length,
  };
}

/** Stores validated settings and the product ids their collections resolved to. */
export async function saveProgram(
  db: SqlExecutor,
  shop: string,
  settings: ProgramSettings,
  collectionProductIds: string[],
  now: string,
): Promise<void> {
  await ensureShop(db, shop, now);
  await db.run(
    `UPDATE "shops" SET "program_enabled" = ${settings.enabled ? "TRUE" : "FALSE"}, "points_per_currency_unit" = ?,
       "minimum_order_minor" = ?, "earn_trigger" = ?, "excluded_product_ids" = ?, "excluded_collection_ids" = ?,
       "excluded_collection_product_ids" = ?, "excluded_customer_tags" = ?, "updated_at" = ?
     WHERE "domain" = ?`,
    [
      settings.pointsPerCurrencyUnit,
      settings.minimumOrderMinor,
      settings.earnTrigger,
      JSON.stringify(settings.excludedProductIds),
      JSON.stringify(settings.excludedCollectionIds),
      JSON.stringify(collectionProductIds),
      JSON.stringify(settings.excludedCustomerTags),
      now,
      shop,
    ],
  );
}

const numericId = (gid: string) => /\/(\d+)$/.exec(gid)?.[1] ?? gid;

/**
 * The products in the given collections, read page by page through the Admin API.
 * A collection the shop does not have is reported by id; Admin API failures throw AdminApiError.
 */
export async function resolveCollectionProductIds(
  admin: AdminGraphql,
  collectionIds: string[],
): Promise<{ ok: true; productIds: string[] } | { ok: false; missingCollectionIds: string[] }> {
  const productIds = new Set<string>();
  const missingCollectionIds: string[] = [];
  for (const collectionId of collectionIds) {
    let after: string | null = null;
    do {
      const result: CollectionProductsResult = await admin.request<CollectionProductsResult>(COLLECTION_PRODUCTS_QUERY, {
        id: `gid://shopify/Collection/${collectionId}`,
        after,
      });
      if (!result?.collection) {
        missingCollectionIds.push(collectionId);
        break;
      }
      for (const product of result.collection.products.nodes) productIds.add(numericId(product.id));
      const { hasNextPage, endCursor } = result.collection.products.pageInfo;
      after = hasNextPage ? endCursor : null;
    } while (after);
  }
  if (missingCollectionIds.length > 0) return { ok: false, missingCollectionIds };
  return { ok: true, productIds: [...productIds] };
}

export type UpdateProgramResult =
  | { ok: true; program: ShopProgram }
  | { ok: false; fieldErrors: ProgramSettingsFieldErrors; formError?: string };

/**
 * Validates the settings form, resolves excluded collections to products through the Admin
 * API, then saves. Nothing is saved unless every step succeeds.
 */
export async function updateProgram(
  db: SqlExecutor,
  admin: AdminGraphql,
  shop: string,
  form: ProgramSettingsForm,
  now: string,
): Promise<UpdateProgramResult> {
  const { currencyCode } = await getProgram(db, shop);
  const validation = validateProgramSettings(form, currencyCode);
  if (!validation.ok) return validation;
  const { settings } = validation;

  let collectionProductIds: string[] = [];
  if (settings.excludedCollectionIds.length > 0) {
    try {
      const resolved = await resolveCollectionProductIds(admin, settings.excludedCollectionIds);
      if (!resolved.ok) {
        return {
          ok: false,
          fieldErrors: {
            excludedCollectionIds: `This store has no collection ${resolved.missingCollectionIds.join(", ")}.`,
          },
        };
      }
      collectionProductIds = resolved.productIds;
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      console.error(`resolving excluded collections for ${shop} failed`, error);
      return {
        ok: false,
        fieldErrors: {},
        formError: "Shopify did not answer when we looked up the excluded collections' products. Nothing was saved; try again.",
      };
    }
  }
  await saveProgram(db, shop, settings, collectionProductIds, now);
  return { ok: true, program: await getProgram(db, shop) };
}
