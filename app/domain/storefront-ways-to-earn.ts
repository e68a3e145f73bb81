import type { ExpiryPolicy, PointsExpiring } from "./expiry";
import { shopperCampaigns, shopperWaysToEarn, type MemberEarningFacts, type ShopperCampaign, type ShopperPendingPoints } from "./shopper-ways-to-earn";
import { inWindow, type Campaign, type EarningRule, type EarningRuleKind, type RuleContent } from "./ways-to-earn";

// What the theme's Liquid paints with no request: the shop-wide ways to earn and running
// campaigns (an app-data metafield on the app's installation, one per shop) and what one member
// has done (a json metafield on the customer). Pure: the sync job writes what these return.

/**
 * One way to earn as the storefront paints it for everyone: the merchant's words per locale in
 * `content`, the theme's translated default for the kind otherwise.
 *
 * @example { id: 4, kind: "nth_order", points: 250, stampsOf: 6, content: {} }
 */
export interface StorefrontWay {
  id: number;
  kind: EarningRuleKind;
  points: number;
  /** purchase at a rate: points per whole unit of `currency`. */
  pointsPerCurrencyUnit?: number;
  photoBonusPoints?: number;
  /** nth_order: the stamp card's length (the member's progress is their orders modulo it). */
  stampsOf?: number;
  /** social: the network and the merchant's page (http or https only). */
  network?: string;
  url?: string;
  endsAt?: string;
  content: Readonly<Record<string, RuleContent>>;
}

/** The app-data metafield `loyalty.ways_to_earn` (json). */
export interface StorefrontEarning {
  currency: string;
  ways: StorefrontWay[];
  campaigns: ShopperCampaign[];
  /** Points expiry as the shop runs it (null: points do not expire), shown plainly to shoppers. */
  expiry?: Exclude<ExpiryPolicy, { kind: "off" }> | null;
}

/** The customer metafield `$app:loyalty.earning` (json). */
export interface MemberEarningMetafield {
  /** Ids of the ways to earn done as often as they allow for now. */
  done: number[];
  /** Qualifying orders so far: a stamp card of n shows `orders % n` of n. */
  orders: number;
  /** Stamp progress per nth-order rule id, as the member's row had it when written. */
  stamps: Record<string, number>;
  pending: ShopperPendingPoints[];
  /** What expires next and when, under the shop's expiry policy (null: nothing will). */
  expiring?: PointsExpiring | null;
}

const WEB_URL = /^https?:\/\/[^\s"'<>]+$/i;

/** The ways to earn and campaigns running now that are open to every shopper (tag-limited ones are left to the panel's request). */
export function storefrontEarning(
  rules: readonly EarningRule[],
  campaigns: readonly Campaign[],
  currency: string,
  now: string,
  timeZone: string,
): StorefrontEarning {
  const ways = shopperWaysToEarn(rules, null, now, timeZone).map((way) => {
    const painted: StorefrontWay = { id: way.id, kind: way.kind, points: way.points, content: way.content };
    if (way.pointsPerCurrencyUnit !== undefined) painted.pointsPerCurrencyUnit = way.pointsPerCurrencyUnit;
    if (way.photoBonusPoints !== undefined) painted.photoBonusPoints = way.photoBonusPoints;
    if (way.progress) painted.stampsOf = way.progress.of;
    if (way.network) painted.network = way.network;
    if (way.url && WEB_URL.test(way.url)) painted.url = way.url;
    if (way.endsAt) painted.endsAt = way.endsAt;
    return painted;
  });
  // A social way with no page to open has no button: it is not shown.
  return { currency, ways: ways.filter((way) => way.kind !== "social" || way.url), campaigns: shopperCampaigns(campaigns, null, now) };
}

/** What one member has done, for the customer's `earning` metafield. */
export function memberEarningMetafield(rules: readonly EarningRule[], member: MemberEarningFacts, now: string, timeZone: string): MemberEarningMetafield {
  const ways = shopperWaysToEarn(rules, member, now, timeZone);
  return {
    done: ways.filter((way) => way.done).map((way) => way.id),
    orders: member.qualifyingOrders,
    stamps: Object.fromEntries(ways.filter((way) => way.progress).map((way) => [String(way.id), way.progress!.done])),
    pending: member.pending.map((entry) => ({ points: entry.points, availableOn: entry.availableOn })),
  };
}

/** The next instants after `now` when the shop-wide view changes (a live rule or campaign starts or ends), soonest first. */
export function storefrontEarningChanges(rules: readonly EarningRule[], campaigns: readonly Campaign[], now: string, limit = 20): string[] {
  const after = Date.parse(now);
  const instants = [
    ...rules.filter((rule) => rule.status === "live").flatMap((rule) => [rule.startsAt, rule.endsAt]),
    ...campaigns.filter((campaign) => campaign.status === "live").flatMap((campaign) => [campaign.startsAt, campaign.endsAt]),
  ].filter((at): at is string => at !== null && Date.parse(at) > after);
  return [...new Set(instants.map((at) => new Date(at).toISOString()))].sort().slice(0, limit);
}

export type SocialClaimCheck =
  { ok: true; done: boolean } | { ok: false; reason: "way_to_earn_not_found" | "not_claimable" | "way_to_earn_off" | "way_to_earn_not_eligible" };

/**
 * Whether a member may claim a social follow now: a live social rule, running, open to their
 * tags (a guest-like member with no row yet sees those open to everyone); `done` when they
 * already earned it (a follow pays once ever).
 */
export function socialClaimCheck(rule: EarningRule | undefined, member: MemberEarningFacts | null, now: string, timeZone: string): SocialClaimCheck {
  if (!rule) return { ok: false, reason: "way_to_earn_not_found" };
  if (rule.kind !== "social") return { ok: false, reason: "not_claimable" };
  if (rule.status !== "live" || !inWindow(now, rule.startsAt, rule.endsAt)) return { ok: false, reason: "way_to_earn_off" };
  if (member?.ruleAwards[String(rule.id)] !== undefined) return { ok: true, done: true };
  if (shopperWaysToEarn([rule], member, now, timeZone).length === 0) return { ok: false, reason: "way_to_earn_not_eligible" };
  return { ok: true, done: false };
}
