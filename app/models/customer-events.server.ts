import type { Db } from "../db/types";
import type { EarningEvent } from "../domain/ways-to-earn";
import { marketingStateOf, type WebhookCustomer, type WebhookEmailConsent } from "../webhooks/payloads";
import { awardEvent, readMemberFacts, type MemberFacts } from "./awards.server";
import { applyCustomerProfile, ensureMember, findMember, recordMarketingState } from "./members.server";
import { sendMemberMessage } from "./messages.server";
import type { ShopContext } from "./shops.server";

// customers/create, customers/update, customers/enable and customers/email_marketing_consent/update:
// the profile is kept, then the ways to earn they can trigger (sign-up, newsletter) are decided.

export interface CustomerEventOutcome {
  profile: Awaited<ReturnType<typeof applyCustomerProfile>> | "consent";
  awarded: { kind: string; points: number }[];
}

async function factsOf(db: Db, shop: string, customerId: string): Promise<{ facts: MemberFacts; origin: string } | null> {
  const member = await findMember(db, shop, customerId);
  if (!member || member.redacted_at) return null;
  const read = await readMemberFacts(db, member.id);
  return read ? { facts: read.facts, origin: read.origin } : null;
}

const alreadyDone = (facts: MemberFacts, shop: ShopContext, kind: "signup" | "newsletter") =>
  shop.earning.rules.filter((rule) => rule.kind === kind && rule.status !== "off").every((rule) => facts.ruleAwards[String(rule.id)] !== undefined);

const WELCOME_WINDOW_MS = 7 * 86_400_000;

async function joinedRecently(db: Db, memberId: number, now: string): Promise<boolean> {
  const row = await db.query.selectFrom("members").select("created_at").where("id", "=", memberId).executeTakeFirst();
  return row !== undefined && Date.parse(now) - new Date(row.created_at).getTime() <= WELCOME_WINDOW_MS;
}

async function award(db: Db, shop: ShopContext, facts: MemberFacts, event: EarningEvent, now: string) {
  const { credited } = await awardEvent(db, shop, facts, event, { now });
  return credited.map((award) => ({ kind: award.kind, points: award.points }));
}

/**
 * A customer's profile arrived. Sign-up points follow once the customer has an account
 * (created enabled, or an existing customer's account enabled later), once ever; newsletter
 * points once their email marketing consent is subscribed, once ever.
 */
export async function applyCustomerWebhook(db: Db, shop: ShopContext, customer: WebhookCustomer, now: string): Promise<CustomerEventOutcome> {
  // The row first, by the upsert that tolerates a concurrent twin (create, update and enable of a
  // new customer can arrive at once): the profile's own insert would fail on the second one.
  await ensureMember(db, shop.domain, customer, now);
  const profile = await applyCustomerProfile(db, shop.domain, customer, now);
  const outcome: CustomerEventOutcome = { profile, awarded: [] };
  if (profile === "redacted" || profile === "stale") return outcome;
  const signup = customer.accountState === "enabled";
  const newsletter = customer.emailMarketingState === "subscribed";
  if (!signup && !newsletter) return outcome;
  const member = await factsOf(db, shop.domain, customer.customerId);
  if (!member) return outcome;
  if (signup) {
    let points = 0;
    if (!alreadyDone(member.facts, shop, "signup")) {
      const credited = await award(
        db,
        shop,
        member.facts,
        { type: "signup", at: now, imported: member.origin === "import", customerTags: member.facts.tags },
        now,
      );
      outcome.awarded.push(...credited);
      points = credited.reduce((sum, credit) => sum + credit.points, 0);
    }
    // The welcome goes with the sign-up points (once ever, by its occasion); without a sign-up way
    // to earn, with the account of a member new to the program (not to everyone on their next update).
    const withoutSignupPoints = !shop.earning.rules.some((rule) => rule.kind === "signup" && rule.status === "live");
    if (points > 0 || (withoutSignupPoints && (await joinedRecently(db, member.facts.id, now)))) {
      await sendMemberMessage(db, shop.domain, member.facts.id, { kind: "welcome" }, { values: { points } }, new Date(now));
    }
  }
  if (newsletter && !alreadyDone(member.facts, shop, "newsletter")) {
    const fresh = (await factsOf(db, shop.domain, customer.customerId))!;
    outcome.awarded.push(...(await award(db, shop, fresh.facts, { type: "newsletter", at: now, customerTags: fresh.facts.tags }, now)));
  }
  return outcome;
}

/**
 * customers/email_marketing_consent/update: the member keeps the consent their messages follow
 * (unless a profile changed after it already carried a newer one), and gets newsletter points
 * when it becomes subscribed (the member is made if new).
 */
export async function applyEmailConsent(db: Db, shop: ShopContext, consent: WebhookEmailConsent, now: string): Promise<CustomerEventOutcome> {
  const outcome: CustomerEventOutcome = { profile: "consent", awarded: [] };
  const marketingState = marketingStateOf(consent.state);
  if (marketingState) await recordMarketingState(db, shop.domain, consent, marketingState, now);
  if (consent.state !== "subscribed") return outcome;
  const member = await factsOf(db, shop.domain, consent.customerId);
  if (!member || alreadyDone(member.facts, shop, "newsletter")) return outcome;
  outcome.awarded.push(...(await award(db, shop, member.facts, { type: "newsletter", at: now, customerTags: member.facts.tags }, now)));
  return outcome;
}
