import { tierField, type TierFieldErrors } from "../domain/tier-form";
import type { Ok, Refused } from "../domain/result";
import type { TierConfig } from "../domain/tiers";
import { AdminApiError, type AdminGraphql } from "../shopify/admin-api.server";
import type { TierReferencesQuery } from "../shopify/generated/admin.generated";
import { TIER_REFERENCES_QUERY } from "../shopify/queries";

// Before tiers are saved: the membership products and variants and the member-price collections
// they name must exist in the shop (a typo would sell nothing, or price nothing), asked of the
// Admin API in one read.

const NODES_PER_READ = 250;

const typeOf = (gid: string) => /^gid:\/\/shopify\/(\w+)\//.exec(gid)?.[1] ?? "";

const KIND_WORDS: Record<string, string> = { Product: "product", ProductVariant: "product variant", Collection: "collection" };

export type TierReferencesResult =
  Ok<Record<never, never>> | Refused<"invalid_fields", { fieldErrors: TierFieldErrors }> | Refused<"shopify_unavailable", { formError: string }>;

/** Every product, variant and collection the tiers name, checked; a field error on each tier whose reference is missing. */
export async function checkTierReferences(admin: AdminGraphql, tiers: readonly Omit<TierConfig, "id">[]): Promise<TierReferencesResult> {
  const wanted = new Map<string, { index: number; field: "paidProduct" | "memberPriceCollections" }[]>();
  tiers.forEach((tier, index) => {
    const refer = (gid: string | null, field: "paidProduct" | "memberPriceCollections") => {
      if (gid) wanted.set(gid, [...(wanted.get(gid) ?? []), { index, field }]);
    };
    refer(tier.paidVariantId ?? tier.paidProductId, "paidProduct");
    for (const collection of tier.memberPriceCollectionIds) refer(collection, "memberPriceCollections");
  });
  if (wanted.size === 0) return { ok: true };

  const found = new Map<string, string>();
  const ids = [...wanted.keys()];
  try {
    for (let from = 0; from < ids.length; from += NODES_PER_READ) {
      const result: TierReferencesQuery = await admin.request(TIER_REFERENCES_QUERY, { ids: ids.slice(from, from + NODES_PER_READ) });
      for (const node of result?.nodes ?? []) if (node) found.set(node.id, node.__typename);
    }
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    return {
      ok: false,
      reason: "shopify_unavailable",
      formError: "Shopify did not answer when we checked the tiers' products and collections. Nothing was saved; try again.",
    };
  }

  const fieldErrors: TierFieldErrors = {};
  for (const [gid, uses] of wanted) {
    if (found.get(gid) === typeOf(gid)) continue;
    for (const { index, field } of uses) {
      const key = tierField(index, field);
      const words = KIND_WORDS[typeOf(gid)] ?? "item";
      fieldErrors[key] = fieldErrors[key] ?? `This store has no ${words} ${gid}.`;
    }
  }
  return Object.keys(fieldErrors).length ? { ok: false, reason: "invalid_fields", fieldErrors } : { ok: true };
}
