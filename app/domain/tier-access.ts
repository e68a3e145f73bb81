import { localDateKey, parseDateKey, startOfLocalDay } from "./local-days";
import { tierName, type TierConfig, type TierProgramConfig } from "./tiers";

// Members-only and tier-only products and collections (issue 13), the pure rules: the admin's
// form, whether a rule runs, and the app-data metafield the theme block reads. A rule says who
// may buy (any member, or a tier and every tier above it), optionally until a day on which the
// product opens to everyone (early access).

export type TierAccessTargetType = "product" | "collection";
export const TIER_ACCESS_TARGET_TYPES: readonly TierAccessTargetType[] = ["product", "collection"];

export const MAX_TIER_ACCESS_TITLE_LENGTH = 255;
/** The theme block loops over every running rule on each product page, so a shop keeps a bounded list. */
export const MAX_TIER_ACCESS_RULES = 200;

/** A rule as saved (the `tier_access` table). */
export interface TierAccessRule {
  id: number;
  targetType: TierAccessTargetType;
  /** gid://shopify/Product/… or gid://shopify/Collection/… */
  targetId: string;
  targetTitle: string;
  /** 0: any member; otherwise the lowest tier rank that may buy. */
  minRank: number;
  /** The instant the product opens to everyone (the start of that day in the shop's zone); null: members only for good. */
  until: string | null;
  createdAt: string;
}

/** What the form saves: a rule without its id and creation time. */
export type TierAccessInput = Omit<TierAccessRule, "id" | "createdAt">;

/** The add form: `targetType`, `target`, `minRank`, `until` ("YYYY-MM-DD" or empty), `title`. */
export type TierAccessForm = Readonly<Record<string, string | undefined>>;

export type TierAccessField = "targetType" | "target" | "minRank" | "until" | "title";
export type TierAccessFieldErrors = Partial<Record<TierAccessField, string>>;

export type TierAccessFormResult = { ok: true; input: TierAccessInput } | { ok: false; fieldErrors: TierAccessFieldErrors };

const GID = /^gid:\/\/shopify\/(Product|Collection)\/(\d+)$/;
const NUMBER = /^\d+$/;
const GID_TYPE: Record<string, TierAccessTargetType> = { Product: "product", Collection: "collection" };
const GID_NAME: Record<TierAccessTargetType, string> = { product: "Product", collection: "Collection" };

/** The numeric id at the end of a product or collection GID, as Liquid's product.id and collection.id give it. */
export function numericTargetId(gid: string): number {
  return Number(gid.slice(gid.lastIndexOf("/") + 1));
}

/**
 * Validates the add form, one clear error per field. Pure: the shop's tiers, time zone and the
 * current instant come in as arguments.
 */
export function validateTierAccessForm(
  form: TierAccessForm,
  { tiers, timeZone, now }: { tiers: readonly Pick<TierConfig, "rank">[]; timeZone: string; now: Date },
): TierAccessFormResult {
  const fieldErrors: TierAccessFieldErrors = {};
  const text = (name: TierAccessField) => (form[name] ?? "").trim();

  const targetType = text("targetType") as TierAccessTargetType;
  const typeKnown = TIER_ACCESS_TARGET_TYPES.includes(targetType);
  if (!typeKnown) fieldErrors.targetType = "Choose a product or a collection.";

  let targetId = "";
  const target = text("target");
  const gid = GID.exec(target);
  const number = gid ? gid[2] : NUMBER.test(target) ? target : null;
  const word = typeKnown ? targetType : "product or collection";
  if (!target) fieldErrors.target = `Enter the ${word}'s ID.`;
  else if (number === null)
    fieldErrors.target = `Enter the ${word}'s ID: its number, or gid://shopify/${typeKnown ? GID_NAME[targetType] : "Product"}/… as Shopify shows it.`;
  else if (!Number.isSafeInteger(Number(number)) || Number(number) < 1) fieldErrors.target = `${target} is not a Shopify ID.`;
  else if (gid && typeKnown && GID_TYPE[gid[1]] !== targetType)
    fieldErrors.target = `That is a ${GID_TYPE[gid[1]]} ID; choose ${GID_TYPE[gid[1]]} above, or enter a ${targetType}'s ID.`;
  else if (typeKnown) targetId = `gid://shopify/${GID_NAME[targetType]}/${Number(number)}`;

  const rankText = text("minRank");
  const minRank = NUMBER.test(rankText) ? Number(rankText) : NaN;
  if (!(minRank === 0 || tiers.some((tier) => tier.rank === minRank)))
    fieldErrors.minRank = tiers.length ? "Choose any member or one of your VIP tiers." : "Your shop has no VIP tiers yet: choose any member.";

  let until: string | null = null;
  const untilText = text("until");
  if (untilText) {
    if (!parseDateKey(untilText)) fieldErrors.until = "Enter a date as YYYY-MM-DD, or leave it empty to keep it members only.";
    else {
      const opens = startOfLocalDay(untilText, timeZone);
      if (opens.getTime() <= now.getTime()) fieldErrors.until = `Choose a day after today (${localDateKey(now, timeZone)} in your shop's time zone).`;
      else until = opens.toISOString();
    }
  }

  const title = text("title");
  if (title.length > MAX_TIER_ACCESS_TITLE_LENGTH) fieldErrors.title = `Keep the title to ${MAX_TIER_ACCESS_TITLE_LENGTH} characters.`;

  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  return { ok: true, input: { targetType, targetId, targetTitle: title, minRank, until } };
}

/**
 * Whether a rule runs now. `ended`: its early access is over, everyone may buy. `tier_missing`:
 * the tier it names was removed since. `tiers_off`: it names a tier and the shop's tiers are off
 * (nobody holds one, so it would shut everybody out). Only running rules reach the storefront.
 */
export type TierAccessStatus = "running" | "ended" | "tier_missing" | "tiers_off";

/** The program's tiers while it runs (on, with tiers); none otherwise. */
const runningTiers = (program: TierProgramConfig | null): readonly TierConfig[] => (program?.enabled ? program.tiers : []);

export function tierAccessStatus(rule: Pick<TierAccessRule, "minRank" | "until">, program: TierProgramConfig | null, now: Date): TierAccessStatus {
  if (rule.until !== null && Date.parse(rule.until) <= now.getTime()) return "ended";
  if (rule.minRank === 0) return "running";
  if (!program?.tiers.some((tier) => tier.rank === rule.minRank)) return "tier_missing";
  return program.enabled ? "running" : "tiers_off";
}

/** Who may buy, as the admin says it: "Any member", or "Gold and above" (in the shop's language). */
export function tierAccessWho(rule: Pick<TierAccessRule, "minRank">, program: TierProgramConfig | null, locale = "en"): string {
  if (rule.minRank === 0) return "Any member";
  const tier = program?.tiers.find((candidate) => candidate.rank === rule.minRank);
  if (!tier) return `Tier ${rule.minRank} (no longer exists)`;
  const top = Math.max(...program!.tiers.map((candidate) => candidate.rank));
  return tier.rank === top ? `${tierName(tier, locale)} only` : `${tierName(tier, locale)} and above`;
}

const tierOnStorefront = (tier: TierConfig, locale: string) => ({ rank: tier.rank, name: tierName(tier, locale), names: tier.names });

/**
 * The app installation's `loyalty.access` metafield (json), read by the theme block as
 * `app.metafields.loyalty.access.value`: the running rules, each with the tier it asks for (null:
 * any member) and its numeric target id (compared with Liquid's product.id and collection.id), and
 * the running tiers by rank, so the block can name the next one. `name` is the tier's name in the
 * shop's language, for shoppers whose language has none.
 */
export function tierAccessMetafieldValue(rules: readonly TierAccessRule[], program: TierProgramConfig | null, now: Date, primaryLocale = "en") {
  const tiers = [...runningTiers(program)].sort((a, b) => a.rank - b.rank);
  return {
    rules: rules
      .filter((rule) => tierAccessStatus(rule, program, now) === "running")
      .map((rule) => {
        const tier = tiers.find((candidate) => candidate.rank === rule.minRank);
        return {
          type: rule.targetType,
          id: numericTargetId(rule.targetId),
          minRank: rule.minRank,
          until: rule.until,
          tier: tier ? tierOnStorefront(tier, primaryLocale) : null,
        };
      })
      .sort((a, b) => a.type.localeCompare(b.type) || a.id - b.id),
    tiers: tiers.map((tier) => tierOnStorefront(tier, primaryLocale)),
  };
}

export type TierAccessMetafield = ReturnType<typeof tierAccessMetafieldValue>;
