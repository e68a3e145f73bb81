import type { TierPerksDiscountCreateMutationVariables, TierPerksDiscountUpdateMutationVariables } from "../shopify/generated/admin.generated";
import type { TierProgramConfig } from "./tiers";

// The VIP tiers' checkout perks (issue 13): free shipping and member prices, applied without a code
// by one automatic app discount per shop, served by the Shopify Function in
// extensions/tier-perks-discount, which runs this module at checkout. Which tier the buyer holds
// comes from their `$app:loyalty.tier` customer metafield; what each tier gets comes from the
// discount's own `$app:loyalty.tier-perks` metafield, written whenever the program is saved. The
// discount's settings are the authority, so a customer metafield that lags behind a change to the
// program can name the tier but never grant more than that tier gives today.
//
// Only type imports here besides plain code: esbuild bundles this file into the Function, which
// runs in Javy's QuickJS with no Node APIs and a tight size budget.

export const TIER_PERKS_FUNCTION_HANDLE = "tier-perks-discount";
export const TIER_PERKS_METAFIELD = { namespace: "$app:loyalty", key: "tier-perks" } as const;
export const TIER_PERKS_DISCOUNT_TITLE = "VIP tier perks";

/** One tier's checkout perks. `collectionIds` empty: the member price is on every product. */
export interface TierCheckoutPerks {
  freeShipping: boolean;
  /** Whole percent off (0: no member price). */
  percent: number;
  collectionIds: string[];
}

/**
 * The discount metafield's JSON. `collectionIds` is every collection any tier prices, at the top
 * level because the Function's input query takes it as its `$collectionIds` variable
 * ([extensions.input.variables] in shopify.extension.toml).
 * @example { "collectionIds": ["gid://shopify/Collection/7"], "tiers": { "2": { "freeShipping": true, "percent": 10, "collectionIds": ["gid://shopify/Collection/7"] } } }
 */
export interface TierPerksConfig {
  collectionIds: string[];
  /** Keyed by tier id; a tier without any perk is left out. */
  tiers: Record<string, TierCheckoutPerks>;
}

/** The metafield the Function reads. A disabled program writes no tiers, so nobody gets perks. */
export function tierPerksConfig(program: TierProgramConfig): TierPerksConfig {
  const tiers: Record<string, TierCheckoutPerks> = {};
  const collectionIds = new Set<string>();
  if (program.enabled) {
    for (const tier of program.tiers) {
      const percent = tier.memberPricePercent > 0 ? tier.memberPricePercent : 0;
      if (!tier.freeShipping && percent === 0) continue;
      const ids = percent > 0 ? [...new Set(tier.memberPriceCollectionIds)] : [];
      ids.forEach((id) => collectionIds.add(id));
      tiers[String(tier.id)] = { freeShipping: tier.freeShipping, percent, collectionIds: ids };
    }
  }
  return { collectionIds: [...collectionIds], tiers };
}

// The Function's input and output, as src/*.graphql ask for them and the Discount Function API 2025-04 takes them.

interface JsonMetafield {
  jsonValue: unknown;
}

interface BuyerWithTier {
  buyerIdentity: { customer: { metafield: JsonMetafield | null } | null } | null;
}

interface PerksDiscount {
  discountClasses: string[];
  metafield: JsonMetafield | null;
}

/** `isoCode` is Shopify's LanguageCode: "EN", "PT_BR". */
interface BuyerLanguage {
  language: { isoCode: string };
}

export interface TierPerksCartLine {
  id: string;
  merchandise:
    | { __typename: "ProductVariant"; product: { isGiftCard: boolean; inCollections: { collectionId: string; isMember: boolean }[] } }
    | { __typename: "CustomProduct" };
}

/** Input of cart.lines.discounts.generate.run (src/cart_lines_discounts_generate_run.graphql). */
export interface TierPerksLinesInput {
  cart: BuyerWithTier & { lines: TierPerksCartLine[] };
  discount: PerksDiscount;
  localization: BuyerLanguage;
}

/** Input of cart.delivery-options.discounts.generate.run (src/cart_delivery_options_discounts_generate_run.graphql). */
export interface TierPerksDeliveryInput {
  cart: BuyerWithTier & { deliveryGroups: { id: string }[] };
  discount: PerksDiscount;
  localization: BuyerLanguage;
}

export interface MemberPriceOperation {
  productDiscountsAdd: {
    selectionStrategy: "FIRST";
    candidates: { message: string; targets: { cartLine: { id: string } }[]; value: { percentage: { value: number } } }[];
  };
}

export interface FreeShippingOperation {
  deliveryDiscountsAdd: {
    selectionStrategy: "ALL";
    candidates: { message: string; targets: { deliveryGroup: { id: string } }[]; value: { percentage: { value: number } } }[];
  };
}

export interface TierPerksLinesResult {
  operations: MemberPriceOperation[];
}

export interface TierPerksDeliveryResult {
  operations: FreeShippingOperation[];
}

const MAX_MESSAGE_LENGTH = 100;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.every((id) => typeof id === "string");

/** One tier's perks from the discount metafield, or null when the entry is not whole and sensible. */
function parseTierCheckoutPerks(entry: unknown): TierCheckoutPerks | null {
  if (!isRecord(entry)) return null;
  const { freeShipping, percent, collectionIds } = entry;
  if (typeof freeShipping !== "boolean") return null;
  if (typeof percent !== "number" || !Number.isInteger(percent) || percent < 0 || percent > 100) return null;
  if (!isIdList(collectionIds)) return null;
  return { freeShipping, percent, collectionIds };
}

/** The perks of tier `tierId` per the discount metafield; null when it gives that tier nothing or is broken. */
function perksOfTier(config: unknown, tierId: number): TierCheckoutPerks | null {
  if (!isRecord(config) || !isRecord(config.tiers)) return null;
  return parseTierCheckoutPerks(config.tiers[String(tierId)]);
}

/**
 * The tier the buyer's customer metafield names, with the name to show: in the buyer's language
 * when the tier has one, else the metafield's `name`. Null for a guest, a customer without the
 * metafield, `{"id": null}` (no tier) or anything malformed.
 *
 * The metafield's `until` is not read: it is the least the tier is held (for a rolling window it
 * is the day the tier was reached, long past while the member keeps qualifying), not when it ends.
 * A tier that does end is taken off the member, and out of this metafield, by the daily evaluation.
 */
function buyerTier(cart: BuyerWithTier, language: BuyerLanguage): { id: number; name: string } | null {
  const value = cart.buyerIdentity?.customer?.metafield?.jsonValue;
  if (!isRecord(value)) return null;
  const { id, name, names } = value;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) return null;
  // LanguageCode "PT_BR" is the locale "pt-BR"; a name in it comes before one in "pt".
  const [languagePart, region] = language.language.isoCode.split("_");
  const base = languagePart.toLowerCase();
  const localized = isRecord(names) ? ((region ? names[`${base}-${region}`] : undefined) ?? names[base]) : undefined;
  const shown = typeof localized === "string" && localized ? localized : typeof name === "string" ? name : "";
  return { id, name: shown.slice(0, MAX_MESSAGE_LENGTH) };
}

/** The buyer's tier and its perks when this discount is allowed to give `discountClass`; null otherwise. */
function perksForBuyer(input: { cart: BuyerWithTier; discount: PerksDiscount; localization: BuyerLanguage }, discountClass: "PRODUCT" | "SHIPPING") {
  if (!input.discount.discountClasses.includes(discountClass)) return null;
  const tier = buyerTier(input.cart, input.localization);
  if (!tier) return null;
  const perks = perksOfTier(input.discount.metafield?.jsonValue, tier.id);
  return perks ? { tier, perks } : null;
}

/** Whether a cart line gets the tier's member price: a product (not a gift card) in one of its collections, or any product when it lists none. */
function memberPriceApplies(line: TierPerksCartLine, collectionIds: readonly string[]): boolean {
  if (line.merchandise.__typename !== "ProductVariant" || line.merchandise.product.isGiftCard) return false;
  if (collectionIds.length === 0) return true;
  return line.merchandise.product.inCollections.some((membership) => membership.isMember && collectionIds.includes(membership.collectionId));
}

/**
 * Member prices (target cart.lines.discounts.generate.run): the tier's percentage off every line it
 * covers, named after the tier. A percentage is the same in every currency, so the buyer's
 * presentment currency needs no conversion. Nothing for a buyer without a tier with a member price,
 * or when the discount was not made for product discounts.
 */
export function cartLinesDiscountsGenerateRun(input: TierPerksLinesInput): TierPerksLinesResult {
  const found = perksForBuyer(input, "PRODUCT");
  if (!found || found.perks.percent === 0) return { operations: [] };
  const targets = input.cart.lines.filter((line) => memberPriceApplies(line, found.perks.collectionIds)).map((line) => ({ cartLine: { id: line.id } }));
  if (targets.length === 0) return { operations: [] };
  return {
    operations: [
      {
        productDiscountsAdd: {
          selectionStrategy: "FIRST",
          candidates: [{ message: found.tier.name, targets, value: { percentage: { value: found.perks.percent } } }],
        },
      },
    ],
  };
}

/**
 * Free shipping (target cart.delivery-options.discounts.generate.run): 100% off every delivery
 * group, so every option in it is free, for a tier with free shipping. Nothing otherwise, or when
 * the discount was not made for shipping discounts.
 */
export function cartDeliveryOptionsDiscountsGenerateRun(input: TierPerksDeliveryInput): TierPerksDeliveryResult {
  const found = perksForBuyer(input, "SHIPPING");
  if (!found || !found.perks.freeShipping || input.cart.deliveryGroups.length === 0) return { operations: [] };
  return {
    operations: [
      {
        deliveryDiscountsAdd: {
          selectionStrategy: "ALL",
          candidates: [
            {
              message: found.tier.name,
              targets: input.cart.deliveryGroups.map((group) => ({ deliveryGroup: { id: group.id } })),
              value: { percentage: { value: 100 } },
            },
          ],
        },
      },
    ],
  };
}

// The automatic discount in Shopify (app/shopify/queries.ts: TIER_PERKS_DISCOUNT_CREATE / _UPDATE).

/**
 * The perks are the member's due, so they combine with everything: reward codes bought with points
 * (order and product discounts) and other shipping discounts. Each other discount's own
 * combinesWith still decides from its side.
 */
const TIER_PERKS_COMBINES_WITH = { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true };

function tierPerksDiscountInput(program: TierProgramConfig) {
  return {
    title: TIER_PERKS_DISCOUNT_TITLE,
    discountClasses: ["PRODUCT", "SHIPPING"] as ("PRODUCT" | "SHIPPING")[],
    combinesWith: TIER_PERKS_COMBINES_WITH,
    // Namespace and key find the metafield on update too: it is written over, not added twice.
    metafields: [{ ...TIER_PERKS_METAFIELD, type: "json", value: JSON.stringify(tierPerksConfig(program)) }],
  };
}

/** Variables of discountAutomaticAppCreate: the shop's tier-perks discount, running from `startsAt` (now) with no end. */
export function tierPerksDiscountCreateVariables(program: TierProgramConfig, startsAt: string): TierPerksDiscountCreateMutationVariables {
  return { automaticAppDiscount: { ...tierPerksDiscountInput(program), functionHandle: TIER_PERKS_FUNCTION_HANDLE, startsAt } };
}

/** Variables of discountAutomaticAppUpdate for the discount `discountId` (gid://shopify/DiscountAutomaticNode/…) after the program changed. */
export function tierPerksDiscountUpdateVariables(discountId: string, program: TierProgramConfig): TierPerksDiscountUpdateMutationVariables {
  return { id: discountId, automaticAppDiscount: tierPerksDiscountInput(program) };
}
