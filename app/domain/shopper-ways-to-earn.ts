import {
  campaignApplies,
  inWindow,
  periodKey,
  ruleReason,
  stampProgress,
  type Campaign,
  type EarningRule,
  type EarningRuleKind,
  type RuleContent,
} from "./ways-to-earn";

// What a shopper sees of the program's ways to earn: the live rules running now that apply to
// them, which they have done, the stamp card's progress, the running campaigns and their pending
// points. Pure: every surface (storefront, checkout, customer account) answers from it.

/**
 * One way to earn as shoppers see it. `content` holds the merchant's own words per locale; a
 * surface shows the one for its locale and falls back to its own translated default for the kind.
 *
 * @example { id: 2, kind: "signup", points: 100, done: true, claimable: false, content: { en: { title: "Join the club" } } }
 */
export interface ShopperWayToEarn {
  id: number;
  kind: EarningRuleKind;
  /** The merchant's English title, or ours for the kind; `content` has their words per language. */
  title: string;
  /** Fixed points (bonuses, actions, a fixed amount per order). */
  points: number;
  /** Purchase rules at a rate: points per whole unit of the shop's currency. */
  pointsPerCurrencyUnit?: number;
  /** Review rules: the extra points for a photo. */
  photoBonusPoints?: number;
  /** Stamp card: how far into the current card ("2 of 6"). */
  progress?: { done: number; of: number };
  /** Social: where the button goes. */
  network?: string;
  url?: string;
  /** The member has done it as often as it allows for now (sign-up, a follow, this year's birthday). */
  done: boolean;
  /** The shopper can claim it themselves, now (a social follow not yet done). */
  claimable: boolean;
  endsAt?: string;
  content: Readonly<Record<string, RuleContent>>;
}

/** @example { id: 3, multiplier: 2, bonusPoints: null, endsAt: "2026-12-07T00:00:00.000Z", productLimited: false, content: { en: { title: "Double points weekend" } }, name: "Double points weekend" } */
export interface ShopperCampaign {
  id: number;
  name: string;
  /** 2 for double points; null for a fixed bonus. */
  multiplier: number | null;
  bonusPoints: number | null;
  endsAt: string;
  /** Only some products earn the bonus. */
  productLimited: boolean;
  content: Readonly<Record<string, RuleContent>>;
}

export interface ShopperPendingPoints {
  points: number;
  availableOn: string;
}

export interface MemberEarningFacts {
  qualifyingOrders: number;
  tags: readonly string[];
  /** Rule id to the ISO time of its latest award. */
  ruleAwards: Readonly<Record<string, string>>;
  pending: readonly ShopperPendingPoints[];
}

/** Kinds a member does once ever (the source key says so); others are done for the limit's period. */
const ONCE_EVER: ReadonlySet<EarningRuleKind> = new Set(["signup", "newsletter", "first_order", "social"]);

/** Whether the member has done a rule as often as it allows right now. */
export function ruleDone(rule: EarningRule, lastAward: string | undefined, now: string, timeZone: string): boolean {
  if (lastAward === undefined) return false;
  if (ONCE_EVER.has(rule.kind)) return true;
  if (rule.kind === "birthday") return periodKey(lastAward, "year", timeZone) === periodKey(now, "year", timeZone);
  if (rule.limit && rule.limit.count === 1) return periodKey(lastAward, rule.limit.period, timeZone) === periodKey(now, rule.limit.period, timeZone);
  return false;
}

const eligible = (ruleTags: readonly string[], memberTags: readonly string[]) => ruleTags.length === 0 || ruleTags.some((tag) => memberTags.includes(tag));

/** The live ways to earn a shopper sees now (a guest: member null), in the merchant's order. */
export function shopperWaysToEarn(rules: readonly EarningRule[], member: MemberEarningFacts | null, now: string, timeZone: string): ShopperWayToEarn[] {
  const tags = (member?.tags ?? []).map((tag) => tag.toLowerCase());
  return rules
    .filter((rule) => rule.status === "live" && inWindow(now, rule.startsAt, rule.endsAt) && eligible(rule.customerTags, tags))
    .map((rule) => {
      const done = member ? ruleDone(rule, member.ruleAwards[String(rule.id)], now, timeZone) : false;
      const way: ShopperWayToEarn = {
        id: rule.id,
        kind: rule.kind,
        title: rule.content.en?.title ?? ruleReason(rule.kind),
        points: rule.points,
        done,
        claimable: member !== null && rule.kind === "social" && !done,
        content: rule.content,
      };
      if (rule.kind === "purchase" && rule.pointsPerCurrencyUnit !== null) way.pointsPerCurrencyUnit = rule.pointsPerCurrencyUnit;
      if (rule.kind === "review" && rule.photoBonusPoints > 0) way.photoBonusPoints = rule.photoBonusPoints;
      if (rule.kind === "nth_order" && rule.everyNth) way.progress = stampProgress(member?.qualifyingOrders ?? 0, rule.everyNth);
      if (rule.kind === "social") {
        way.network = rule.settings.network;
        way.url = rule.settings.url;
      }
      if (rule.endsAt) way.endsAt = rule.endsAt;
      return way;
    });
}

/** Live campaigns running now that apply to the shopper (a guest sees those open to everyone). */
export function shopperCampaigns(campaigns: readonly Campaign[], member: MemberEarningFacts | null, now: string): ShopperCampaign[] {
  return campaigns
    .filter((campaign) => campaign.status === "live" && campaignApplies(campaign, now, member?.tags ?? []) === null)
    .map((campaign) => ({
      id: campaign.id,
      name: campaign.name,
      multiplier: campaign.multiplierPercent === null ? null : campaign.multiplierPercent / 100,
      bonusPoints: campaign.bonusPoints,
      endsAt: campaign.endsAt,
      productLimited: campaign.productIds !== null,
      content: campaign.content,
    }));
}

/** Pending points parsed from the member's row, soonest first; a broken record shows none rather than failing the read. */
export function parsePendingPoints(json: string): ShopperPendingPoints[] {
  try {
    const value = JSON.parse(json) as unknown;
    if (!Array.isArray(value)) return [];
    return value
      .filter(
        (entry): entry is { points: number; availableOn: string } =>
          Number.isInteger(entry?.points) && entry.points > 0 && typeof entry?.availableOn === "string",
      )
      .map((entry) => ({ points: entry.points, availableOn: entry.availableOn }))
      .sort((a, b) => a.availableOn.localeCompare(b.availableOn));
  } catch {
    return [];
  }
}
