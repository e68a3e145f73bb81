import { currencyDecimals } from "./money";
import type { LedgerKind } from "./ledger";

// Every way to earn, decided by one pure function: the event, the shop's rules and campaigns and
// the member's history in; the awards (live and dry run), each with its source key and breakdown,
// and the reasons the others did not apply, out. Each kind is one entry of KINDS.

export const EARNING_RULE_KINDS = ["purchase", "nth_order", "first_order", "signup", "birthday", "newsletter", "social", "review", "custom"] as const;
export type EarningRuleKind = (typeof EARNING_RULE_KINDS)[number];

/** live credits points; dry_run is evaluated on every real event and recorded, never credited; off is neither. */
export type RuleStatus = "live" | "dry_run" | "off";
export const RULE_STATUSES: readonly RuleStatus[] = ["live", "dry_run", "off"];

export type LimitPeriod = "ever" | "year" | "month" | "week" | "day";
export const LIMIT_PERIODS: readonly LimitPeriod[] = ["ever", "year", "month", "week", "day"];

export const SOCIAL_NETWORKS = ["instagram", "tiktok", "facebook", "x", "youtube"] as const;
export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number];

/** Kind-specific settings (a JSON column). */
export interface RuleSettings {
  /** social: the network and the merchant's page. */
  network?: SocialNetwork;
  url?: string;
  /** signup: members the merchant imported earn it too. */
  includeImported?: boolean;
  /** birthday: a birthday saved fewer than this many days before it pays from next year (default 30). */
  noticeDays?: number;
}

/** What shoppers read about a rule or campaign in one language; our defaults fill what the merchant left empty. */
export interface RuleContent {
  title?: string;
  description?: string;
}

/**
 * One way to earn, as the rules read it.
 *
 * @example { id: 1, kind: "purchase", status: "live", points: 0, pointsPerCurrencyUnit: 1, everyNth: null, photoBonusPoints: 0,
 *   limit: null, startsAt: null, endsAt: null, customerTags: [], settings: {}, content: {} }
 */
export interface EarningRule {
  id: number;
  kind: EarningRuleKind;
  status: RuleStatus;
  /** Fixed points: per order (purchase with no rate), the bonus (nth order, first order), the action's points. */
  points: number;
  /** purchase: points per whole unit of shop currency; null gives `points` per qualifying order. */
  pointsPerCurrencyUnit: number | null;
  /** nth_order: every this many qualifying orders. */
  everyNth: number | null;
  /** review: extra points for a review with a photo. */
  photoBonusPoints: number;
  limit: { count: number; period: LimitPeriod } | null;
  startsAt: string | null;
  endsAt: string | null;
  /** Lower-case; empty: every customer. */
  customerTags: readonly string[];
  settings: RuleSettings;
  content: Readonly<Record<string, RuleContent>>;
}

/**
 * A bonus campaign on purchases.
 *
 * @example { id: 3, name: "Double points weekend", status: "live", startsAt: "2026-12-05T00:00:00.000Z",
 *   endsAt: "2026-12-07T00:00:00.000Z", multiplierPercent: 200, bonusPoints: null, productIds: null, customerTags: [], content: {} }
 */
export interface Campaign {
  id: number;
  name: string;
  status: RuleStatus;
  startsAt: string;
  /** Exclusive. */
  endsAt: string;
  /** 200 = 2x the purchase points; null for a fixed bonus. */
  multiplierPercent: number | null;
  /** Fixed bonus points per qualifying order; null for a multiplier. */
  bonusPoints: number | null;
  /** Only lines of these products (collections resolved to products when saved); null: every product. */
  productIds: ReadonlySet<string> | null;
  customerTags: readonly string[];
  content: Readonly<Record<string, RuleContent>>;
}

/** The order-wide settings every way to earn on orders shares (the program settings page). */
export interface OrderProgram {
  enabled: boolean;
  minimumOrderMinor: number;
  /** Lower-cased. */
  excludedCustomerTags: ReadonlySet<string>;
}

/** A line that earns (gift cards and excluded products already left out), with its basis in minor units. */
export interface EarningOrderLine {
  lineItemId: string;
  productId: string | null;
  basisMinor: number;
}

export type EarningEvent =
  | {
      type: "order";
      at: string;
      orderId: string;
      currency: string;
      customerTags: readonly string[];
      lines: readonly EarningOrderLine[];
    }
  | { type: "signup"; at: string; imported: boolean; customerTags: readonly string[] }
  | { type: "birthday"; at: string; year: number; birthday: string; birthdaySetAt: string | null; customerTags: readonly string[] }
  | { type: "newsletter"; at: string; customerTags: readonly string[] }
  /** social, review and custom actions: claimed in the panel, awarded by staff or by the API under `key`. */
  | { type: "action"; at: string; ruleId: number; key: string; photo: boolean; customerTags: readonly string[] };

/** What the decision needs to know about the member. */
export interface MemberHistory {
  customerId: string;
  /** Orders that qualified before this event. */
  qualifyingOrders: number;
  /** ISO times of the member's awards per rule id (enough of them to judge the rules' limits). */
  awards: ReadonlyMap<number, readonly string[]>;
}

/** One line of how an award came to its points: what support reads to answer "why 140 points?". */
export interface BreakdownLine {
  label: string;
  points: number;
  ruleId?: number;
  campaignId?: number;
  basisMinor?: number;
  pointsPerCurrencyUnit?: number;
  multiplierPercent?: number;
}

export interface Award {
  kind: LedgerKind;
  /** Unique per shop: the business event, so a redelivered or replayed event never counts twice. */
  sourceKey: string;
  points: number;
  ruleId: number | null;
  campaignId: number | null;
  breakdown: BreakdownLine[];
  reason: string;
}

export interface Skipped {
  ruleId?: number;
  campaignId?: number;
  reason: string;
}

export interface AwardDecision {
  /** Credited (or held pending). */
  awards: Award[];
  /** What dry-run rules and campaigns would have awarded. */
  dryRun: Award[];
  skipped: Skipped[];
  /** Order events: whether the order counts as a qualifying order (stamp cards, first order). */
  qualifies: boolean;
}

export interface DecisionContext {
  program: OrderProgram;
  timeZone: string;
}

/** Whole points a rule may give, and the campaign multiplier's range (percent). */
export const MIN_RULE_POINTS = 1;
export const MAX_RULE_POINTS = 1_000_000;
export const MIN_MULTIPLIER_PERCENT = 101;
export const MAX_MULTIPLIER_PERCENT = 1000;

const LEDGER_KIND: Record<EarningRuleKind, LedgerKind> = {
  purchase: "earned",
  nth_order: "order_bonus",
  first_order: "order_bonus",
  signup: "signup",
  birthday: "birthday",
  newsletter: "newsletter",
  social: "social",
  review: "review",
  custom: "custom_action",
};

export const ledgerKindOf = (kind: EarningRuleKind): LedgerKind => LEDGER_KIND[kind];

/** The calendar period an instant falls in, in a time zone ("2026", "2026-12", "2026-W49", "2026-12-02", "ever"). */
export function periodKey(at: string, period: LimitPeriod, timeZone: string): string {
  if (period === "ever") return "ever";
  const { year, month, day } = localDate(at, timeZone);
  if (period === "year") return String(year);
  if (period === "month") return `${year}-${pad(month)}`;
  if (period === "day") return `${year}-${pad(month)}-${pad(day)}`;
  // ISO week: the week (Monday first) belongs to the year of its Thursday.
  const thursday = new Date(Date.UTC(year, month - 1, day));
  thursday.setUTCDate(thursday.getUTCDate() - ((thursday.getUTCDay() + 6) % 7) + 3);
  const weekYear = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * 86_400_000));
  return `${weekYear}-W${pad(week)}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

const formatters = new Map<string, Intl.DateTimeFormat>();

// The last dates read, by zone and instant: a tier evaluation asks for the same instant's date for
// every member it moves, and Intl's formatting costs microseconds a call.
const recentDates = new Map<string, { year: number; month: number; day: number }>();
const RECENT_DATES_KEPT = 1000;

/** The calendar date of an instant in a time zone (an unknown zone reads as UTC). */
export function localDate(at: string, timeZone: string): { year: number; month: number; day: number } {
  const key = `${timeZone} ${at}`;
  let date = recentDates.get(key);
  if (!date) {
    date = formatLocalDate(at, timeZone);
    if (recentDates.size >= RECENT_DATES_KEPT) recentDates.clear();
    recentDates.set(key, date);
  }
  return { ...date };
}

function formatLocalDate(at: string, timeZone: string): { year: number; month: number; day: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" });
    } catch {
      format = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "numeric", day: "numeric" });
    }
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) };
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The day a "MM-DD" birthday is celebrated in a year: 29 February is 28 February outside leap years. */
export function birthdayInYear(birthday: string, year: number): { month: number; day: number } {
  const [month, day] = birthday.split("-").map(Number);
  if (month === 2 && day === 29 && !isLeap(year)) return { month: 2, day: 28 };
  return { month, day };
}

/** Days from one calendar date to another (both plain dates). */
const daysBetween = (a: { year: number; month: number; day: number }, b: { year: number; month: number; day: number }) =>
  Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);

export const DEFAULT_BIRTHDAY_NOTICE_DAYS = 30;

/** Whether an instant is inside an optional window [startsAt, endsAt). */
export function inWindow(at: string, startsAt: string | null, endsAt: string | null): boolean {
  const t = Date.parse(at);
  if (startsAt !== null && t < Date.parse(startsAt)) return false;
  if (endsAt !== null && t >= Date.parse(endsAt)) return false;
  return true;
}

const normalisedTags = (tags: readonly string[]) => tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean);

/** Why a rule does not apply to this member at this time, or null when it does. Shared by every kind. */
export function ruleConditionFails(rule: EarningRule, at: string, customerTags: readonly string[], history: MemberHistory, timeZone: string): string | null {
  if (!inWindow(at, rule.startsAt, rule.endsAt)) return "outside the rule's dates";
  if (rule.customerTags.length > 0) {
    const tags = new Set(normalisedTags(customerTags));
    if (!rule.customerTags.some((tag) => tags.has(tag))) return "the customer has none of the rule's tags";
  }
  if (rule.limit) {
    const key = periodKey(at, rule.limit.period, timeZone);
    const earlier = (history.awards.get(rule.id) ?? []).filter((time) => periodKey(time, rule.limit!.period, timeZone) === key).length;
    if (earlier >= rule.limit.count) return rule.limit.period === "ever" ? "already earned" : `limit of ${rule.limit.count} per ${rule.limit.period} reached`;
  }
  return null;
}

/** Points for an amount at a rate: floor(basis x rate / 10^decimals), never rounding up. */
export function pointsForBasis(basisMinor: number, currency: string, pointsPerCurrencyUnit: number): number {
  return Math.floor((basisMinor * pointsPerCurrencyUnit) / 10 ** currencyDecimals(currency));
}

/** Why an order does not qualify for any way to earn on orders, or null when it does. */
export function orderDisqualified(program: OrderProgram, customerTags: readonly string[], basisMinor: number): string | null {
  if (!program.enabled) return "program is off";
  const excluded = normalisedTags(customerTags).find((tag) => program.excludedCustomerTags.has(tag));
  if (excluded) return `customer tag "${excluded}" does not earn`;
  if (basisMinor < program.minimumOrderMinor) return "below the minimum order amount";
  return null;
}

/** The winning campaign multiplier of one line: the highest applies; a tie goes to the older campaign. */
function bestMultiplier(campaigns: readonly Campaign[], line: EarningOrderLine): Campaign | null {
  let best: Campaign | null = null;
  for (const campaign of campaigns) {
    if (campaign.multiplierPercent === null) continue;
    if (!campaignCoversLine(campaign, line)) continue;
    if (!best || campaign.multiplierPercent > best.multiplierPercent! || (campaign.multiplierPercent === best.multiplierPercent && campaign.id < best.id)) {
      best = campaign;
    }
  }
  return best;
}

const campaignCoversLine = (campaign: Campaign, line: EarningOrderLine) =>
  campaign.productIds === null || (line.productId !== null && campaign.productIds.has(line.productId));

/** Whether a campaign runs at an instant for a customer with these tags. */
export function campaignApplies(campaign: Campaign, at: string, customerTags: readonly string[]): string | null {
  if (!inWindow(at, campaign.startsAt, campaign.endsAt)) return "campaign not running";
  if (campaign.customerTags.length > 0) {
    const tags = new Set(normalisedTags(customerTags));
    if (!campaign.customerTags.some((tag) => tags.has(tag))) return "the customer has none of the campaign's tags";
  }
  return null;
}

/**
 * How campaigns stack, stated once: on each order line the highest multiplier among the campaigns
 * covering it applies to that line's share of the purchase points (a tie goes to the older
 * campaign); fixed bonuses add, each once per order. Each campaign's award is its extra points,
 * rounded down once.
 */
export function campaignAwards(
  campaigns: readonly Campaign[],
  purchasePoints: number,
  lines: readonly EarningOrderLine[],
): { campaign: Campaign; points: number; coveredBasisMinor: number }[] {
  const basis = lines.reduce((sum, line) => sum + line.basisMinor, 0);
  const covered = new Map<number, number>();
  for (const line of lines) {
    const winner = bestMultiplier(campaigns, line);
    if (winner) covered.set(winner.id, (covered.get(winner.id) ?? 0) + line.basisMinor);
  }
  const result: { campaign: Campaign; points: number; coveredBasisMinor: number }[] = [];
  for (const campaign of campaigns) {
    if (campaign.multiplierPercent !== null) {
      const coveredBasisMinor = covered.get(campaign.id) ?? 0;
      if (coveredBasisMinor <= 0 || basis <= 0 || purchasePoints <= 0) continue;
      const points = Math.floor((purchasePoints * coveredBasisMinor * (campaign.multiplierPercent - 100)) / (basis * 100));
      if (points > 0) result.push({ campaign, points, coveredBasisMinor });
    } else if (campaign.bonusPoints !== null && campaign.bonusPoints > 0) {
      const coveredBasisMinor = lines.filter((line) => campaignCoversLine(campaign, line)).reduce((sum, line) => sum + line.basisMinor, 0);
      if (coveredBasisMinor > 0) result.push({ campaign, points: campaign.bonusPoints, coveredBasisMinor });
    }
  }
  return result;
}

const multiplierText = (percent: number) => `${(percent / 100).toFixed(2).replace(/\.?0+$/, "")}x`;

function decideOrder(
  event: Extract<EarningEvent, { type: "order" }>,
  rules: readonly EarningRule[],
  campaigns: readonly Campaign[],
  history: MemberHistory,
  context: DecisionContext,
): AwardDecision {
  const decision: AwardDecision = { awards: [], dryRun: [], skipped: [], qualifies: false };
  const basisMinor = event.lines.reduce((sum, line) => sum + line.basisMinor, 0);
  const disqualified = orderDisqualified(context.program, event.customerTags, basisMinor);
  if (disqualified) {
    decision.skipped.push({ reason: disqualified });
    return decision;
  }
  decision.qualifies = true;
  const orderNumber = history.qualifyingOrders + 1;

  // Purchase rules: the live ones make one entry (the order's base points), each dry-run one its own.
  const live: BreakdownLine[] = [];
  for (const rule of rules) {
    if (rule.kind !== "purchase" || rule.status === "off") continue;
    const fails = ruleConditionFails(rule, event.at, event.customerTags, history, context.timeZone);
    if (fails) {
      decision.skipped.push({ ruleId: rule.id, reason: fails });
      continue;
    }
    const points = rule.pointsPerCurrencyUnit !== null ? pointsForBasis(basisMinor, event.currency, rule.pointsPerCurrencyUnit) : rule.points;
    const line: BreakdownLine =
      rule.pointsPerCurrencyUnit !== null
        ? {
            label: `${rule.pointsPerCurrencyUnit} per 1 ${event.currency}`,
            ruleId: rule.id,
            basisMinor,
            pointsPerCurrencyUnit: rule.pointsPerCurrencyUnit,
            points,
          }
        : { label: `${rule.points} per order`, ruleId: rule.id, points };
    if (rule.status === "dry_run") {
      if (points > 0) decision.dryRun.push(award("earned", `dry:order:${event.orderId}:earn:${rule.id}`, points, rule.id, null, [line], "Purchase (dry run)"));
      continue;
    }
    if (points <= 0) {
      decision.skipped.push({ ruleId: rule.id, reason: "order too small to earn a point" });
      continue;
    }
    live.push(line);
  }
  const purchasePoints = live.reduce((sum, line) => sum + line.points, 0);
  if (purchasePoints > 0) {
    decision.awards.push(award("earned", `order:${event.orderId}:earn`, purchasePoints, live.length === 1 ? live[0].ruleId! : null, null, live, "Purchase"));
  }

  // Campaigns: the live ones stack by campaignAwards; a dry-run one is judged alone beside them.
  const running = campaigns.filter((campaign) => {
    if (campaign.status === "off") return false;
    const fails = campaignApplies(campaign, event.at, event.customerTags);
    if (fails) decision.skipped.push({ campaignId: campaign.id, reason: fails });
    return !fails;
  });
  for (const bonus of campaignAwards(
    running.filter((c) => c.status === "live"),
    purchasePoints,
    event.lines,
  )) {
    decision.awards.push(campaignAward(bonus, event.orderId, false));
  }
  for (const campaign of running.filter((c) => c.status === "dry_run")) {
    for (const bonus of campaignAwards([campaign], purchasePoints, event.lines)) decision.dryRun.push(campaignAward(bonus, event.orderId, true));
  }

  // Order bonuses: every nth qualifying order, the first one.
  for (const rule of rules) {
    if ((rule.kind !== "nth_order" && rule.kind !== "first_order") || rule.status === "off") continue;
    const fails = ruleConditionFails(rule, event.at, event.customerTags, history, context.timeZone);
    if (fails) {
      decision.skipped.push({ ruleId: rule.id, reason: fails });
      continue;
    }
    if (rule.kind === "nth_order") {
      const n = rule.everyNth ?? 0;
      if (n < 1 || orderNumber % n !== 0) {
        decision.skipped.push({ ruleId: rule.id, reason: `order ${orderNumber % Math.max(n, 1) || n} of ${n}` });
        continue;
      }
      const line = { label: `Order ${n} of ${n}`, ruleId: rule.id, points: rule.points };
      push(decision, rule, award("order_bonus", `nth:${rule.id}:${event.orderId}`, rule.points, rule.id, null, [line], `Every ${ordinal(n)} order`));
    } else {
      if (orderNumber !== 1) {
        decision.skipped.push({ ruleId: rule.id, reason: "not the first order" });
        continue;
      }
      const line = { label: "First order", ruleId: rule.id, points: rule.points };
      push(decision, rule, award("order_bonus", `first-order:${rule.id}:${history.customerId}`, rule.points, rule.id, null, [line], "First order bonus"));
    }
  }
  return decision;
}

const ordinal = (n: number) => {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th");
  return `${n}${suffix}`;
};

function campaignAward(bonus: { campaign: Campaign; points: number; coveredBasisMinor: number }, orderId: string, dryRun: boolean): Award {
  const { campaign, points, coveredBasisMinor } = bonus;
  const line: BreakdownLine =
    campaign.multiplierPercent !== null
      ? {
          label: `${campaign.name}: ${multiplierText(campaign.multiplierPercent)}`,
          campaignId: campaign.id,
          multiplierPercent: campaign.multiplierPercent,
          basisMinor: coveredBasisMinor,
          points,
        }
      : { label: `${campaign.name}: bonus`, campaignId: campaign.id, points };
  return award("campaign_bonus", `${dryRun ? "dry:" : ""}campaign:${campaign.id}:${orderId}`, points, null, campaign.id, [line], campaign.name);
}

function award(
  kind: LedgerKind,
  sourceKey: string,
  points: number,
  ruleId: number | null,
  campaignId: number | null,
  breakdown: BreakdownLine[],
  reason: string,
): Award {
  return { kind, sourceKey, points, ruleId, campaignId, breakdown, reason };
}

function push(decision: AwardDecision, rule: EarningRule, value: Award) {
  if (rule.status === "dry_run") decision.dryRun.push({ ...value, sourceKey: `dry:${value.sourceKey}` });
  else decision.awards.push(value);
}

const EVENT_KIND: Record<Exclude<EarningEvent["type"], "order" | "action">, EarningRuleKind> = {
  signup: "signup",
  birthday: "birthday",
  newsletter: "newsletter",
};

const REASONS: Record<EarningRuleKind, string> = {
  purchase: "Purchase",
  nth_order: "Order bonus",
  first_order: "First order bonus",
  signup: "Sign-up",
  birthday: "Birthday",
  newsletter: "Newsletter sign-up",
  social: "Social follow",
  review: "Product review",
  custom: "Custom action",
};

export const ruleReason = (kind: EarningRuleKind) => REASONS[kind];

/** The live source key of an action: a social follow counts once per member, a review or custom action once per key. */
export const actionSourceKey = (rule: Pick<EarningRule, "id" | "kind">, customerId: string, key: string) =>
  rule.kind === "social" ? `social:${rule.id}:${customerId}` : `action:${rule.id}:${key}`;

/** Why a birthday does not pay this year, or null when it does. */
export function birthdayNotDue(event: Extract<EarningEvent, { type: "birthday" }>, noticeDays: number, timeZone: string): string | null {
  const today = localDate(event.at, timeZone);
  const { month, day } = birthdayInYear(event.birthday, event.year);
  if (today.year !== event.year || today.month !== month || today.day !== day) return "not the member's birthday today";
  if (event.birthdaySetAt !== null) {
    const saved = localDate(event.birthdaySetAt, timeZone);
    if (daysBetween(saved, { year: event.year, month, day }) < noticeDays) return `birthday saved fewer than ${noticeDays} days before it: pays from next year`;
  }
  return null;
}

/**
 * The awards an event earns under the shop's rules and campaigns: pure, so every condition is
 * table-tested one field at a time (test/ways-to-earn-decide-every-award.test.ts).
 *
 * @example decideAwards({ type: "signup", at: "2026-12-02T10:00:00Z", imported: false, customerTags: [] }, rules, [], history, context)
 *   // { awards: [{ kind: "signup", sourceKey: "signup:42", points: 100, ... }], dryRun: [], skipped: [], qualifies: false }
 */
export function decideAwards(
  event: EarningEvent,
  rules: readonly EarningRule[],
  campaigns: readonly Campaign[],
  history: MemberHistory,
  context: DecisionContext,
): AwardDecision {
  if (event.type === "order") return decideOrder(event, rules, campaigns, history, context);
  const decision: AwardDecision = { awards: [], dryRun: [], skipped: [], qualifies: false };
  // A paused program earns nothing, whatever the event (dry runs pause with it).
  if (!context.program.enabled) {
    decision.skipped.push({ reason: "program is off" });
    return decision;
  }
  const candidates = event.type === "action" ? rules.filter((rule) => rule.id === event.ruleId) : rules.filter((rule) => rule.kind === EVENT_KIND[event.type]);
  if (event.type === "action" && candidates.length === 0) decision.skipped.push({ ruleId: event.ruleId, reason: "no such way to earn" });
  for (const rule of candidates) {
    if (rule.status === "off") {
      decision.skipped.push({ ruleId: rule.id, reason: "the way to earn is off" });
      continue;
    }
    if (event.type === "action" && rule.kind !== "social" && rule.kind !== "review" && rule.kind !== "custom") {
      decision.skipped.push({ ruleId: rule.id, reason: "this way to earn is not awarded as an action" });
      continue;
    }
    const fails = ruleConditionFails(rule, event.at, event.customerTags, history, context.timeZone);
    if (fails) {
      decision.skipped.push({ ruleId: rule.id, reason: fails });
      continue;
    }
    let sourceKey: string;
    const breakdown: BreakdownLine[] = [{ label: ruleReason(rule.kind), ruleId: rule.id, points: rule.points }];
    if (event.type === "signup") {
      if (event.imported && !rule.settings.includeImported) {
        decision.skipped.push({ ruleId: rule.id, reason: "imported members do not earn the sign-up points" });
        continue;
      }
      sourceKey = `signup:${history.customerId}`;
    } else if (event.type === "birthday") {
      const notDue = birthdayNotDue(event, rule.settings.noticeDays ?? DEFAULT_BIRTHDAY_NOTICE_DAYS, context.timeZone);
      if (notDue) {
        decision.skipped.push({ ruleId: rule.id, reason: notDue });
        continue;
      }
      sourceKey = `birthday:${history.customerId}:${event.year}`;
    } else if (event.type === "newsletter") {
      sourceKey = `newsletter:${history.customerId}`;
    } else {
      sourceKey = actionSourceKey(rule, history.customerId, event.key);
      if (rule.kind === "review" && event.photo && rule.photoBonusPoints > 0)
        breakdown.push({ label: "Photo review bonus", ruleId: rule.id, points: rule.photoBonusPoints });
    }
    const points = breakdown.reduce((sum, line) => sum + line.points, 0);
    push(decision, rule, award(ledgerKindOf(rule.kind), sourceKey, points, rule.id, null, breakdown, ruleReason(rule.kind)));
  }
  return decision;
}

/** Stamp card progress: how far into the current card the member is ("2 of 6"). */
export function stampProgress(qualifyingOrders: number, everyNth: number): { done: number; of: number } {
  const n = Math.max(1, everyNth);
  return { done: qualifyingOrders % n, of: n };
}
