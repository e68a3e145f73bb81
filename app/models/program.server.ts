import type { Db } from "../db/types";
import { validateProgramSettings, type ProgramSettings, type ProgramSettingsFieldErrors, type ProgramSettingsForm } from "../domain/program-settings";
import { AdminApiError, type AdminGraphql } from "../shopify/admin-api.server";
import type { CollectionProductsQuery } from "../shopify/generated/admin.generated";
import { COLLECTION_PRODUCTS_QUERY } from "../shopify/queries";
import { ensureShop, parseList } from "./shops.server";
import type { Ok, Refused } from "../domain/result";

/** The shop's earning program as the admin shows it. */
export interface ShopProgram {
  currencyCode: string;
  settings: ProgramSettings;
  /** How many products the excluded collections held when the settings were last saved. */
  excludedCollectionProductCount: number;
}

/**
 * The schema's default program: what a shop without a row yet (afterAuth has not run) has, and
 * what a redacted shop is reset to.
 */
export const DEFAULT_PROGRAM_COLUMNS = {
  program_enabled: true,
  minimum_order_minor: 0,
  earn_trigger: "paid",
  excluded_product_ids: "[]",
  excluded_collection_ids: "[]",
  excluded_collection_product_ids: "[]",
  excluded_customer_tags: "[]",
  pending_days: 0,
} as const;

const DEFAULT_ROW = { currency_code: "USD", ...DEFAULT_PROGRAM_COLUMNS };

export async function getProgram(db: Db, shop: string): Promise<ShopProgram> {
  const row =
    (await db.query
      .selectFrom("shops")
      .select([
        "currency_code",
        "program_enabled",
        "minimum_order_minor",
        "earn_trigger",
        "excluded_product_ids",
        "excluded_collection_ids",
        "excluded_collection_product_ids",
        "excluded_customer_tags",
      ])
      .where("domain", "=", shop)
      .executeTakeFirst()) ?? DEFAULT_ROW;
  return {
    currencyCode: row.currency_code,
    settings: {
      enabled: row.program_enabled,
      minimumOrderMinor: row.minimum_order_minor,
      earnTrigger: row.earn_trigger === "fulfilled" ? "fulfilled" : "paid",
      excludedProductIds: parseList(row.excluded_product_ids, "excluded_product_ids"),
      excludedCollectionIds: parseList(row.excluded_collection_ids, "excluded_collection_ids"),
      excludedCustomerTags: parseList(row.excluded_customer_tags, "excluded_customer_tags"),
    },
    excludedCollectionProductCount: parseList(row.excluded_collection_product_ids, "excluded_collection_product_ids").length,
  };
}

/** Stores validated settings and the product ids their collections resolved to. */
export async function saveProgram(db: Db, shop: string, settings: ProgramSettings, collectionProductIds: string[], now: string): Promise<void> {
  await ensureShop(db, shop, now);
  await db.query
    .updateTable("shops")
    .set({
      program_enabled: settings.enabled,
      minimum_order_minor: settings.minimumOrderMinor,
      earn_trigger: settings.earnTrigger,
      excluded_product_ids: JSON.stringify(settings.excludedProductIds),
      excluded_collection_ids: JSON.stringify(settings.excludedCollectionIds),
      excluded_collection_product_ids: JSON.stringify(collectionProductIds),
      excluded_customer_tags: JSON.stringify(settings.excludedCustomerTags),
      updated_at: now,
    })
    .where("domain", "=", shop)
    .execute();
}

const numericId = (gid: string) => /\/(\d+)$/.exec(gid)?.[1] ?? gid;

/**
 * The products in the given collections, read page by page through the Admin API.
 * A collection the shop does not have is reported by id; Admin API failures throw AdminApiError.
 */
export async function resolveCollectionProductIds(
  admin: AdminGraphql,
  collectionIds: string[],
): Promise<Ok<{ productIds: string[] }> | Refused<"collections_not_found", { missingCollectionIds: string[] }>> {
  const productIds = new Set<string>();
  const missingCollectionIds: string[] = [];
  for (const collectionId of collectionIds) {
    let after: string | null = null;
    do {
      const result: CollectionProductsQuery = await admin.request(COLLECTION_PRODUCTS_QUERY, {
        id: `gid://shopify/Collection/${collectionId}`,
        after,
      });
      if (!result?.collection) {
        missingCollectionIds.push(collectionId);
        break;
      }
      for (const product of result.collection.products.nodes) productIds.add(numericId(product.id));
      const { hasNextPage, endCursor } = result.collection.products.pageInfo;
      after = hasNextPage ? (endCursor ?? null) : null;
    } while (after);
  }
  if (missingCollectionIds.length > 0) return { ok: false, reason: "collections_not_found", missingCollectionIds };
  return { ok: true, productIds: [...productIds] };
}

export type UpdateProgramResult =
  | Ok<{ program: ShopProgram }>
  | Refused<"invalid_fields", { fieldErrors: ProgramSettingsFieldErrors }>
  | Refused<"shopify_unavailable", { fieldErrors: ProgramSettingsFieldErrors; formError: string }>;

/**
 * Validates the settings form, resolves excluded collections to products through the Admin
 * API, then saves. Nothing is saved unless every step succeeds.
 */
export async function updateProgram(db: Db, admin: AdminGraphql, shop: string, form: ProgramSettingsForm, now: string): Promise<UpdateProgramResult> {
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
          reason: "invalid_fields",
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
        reason: "shopify_unavailable",
        fieldErrors: {},
        formError: "Shopify did not answer when we looked up the excluded collections' products. Nothing was saved; try again.",
      };
    }
  }
  await saveProgram(db, shop, settings, collectionProductIds, now);
  return { ok: true, program: await getProgram(db, shop) };
}
