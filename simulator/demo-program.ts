import type { Insertable } from "kysely";
import type { DB, Database } from "../app/db/types";
import { awardEvent, readMemberFacts } from "../app/models/awards.server";
import { ensureMember } from "../app/models/members.server";
import { scheduleMetafieldSync } from "../app/models/metafields.server";
import { loadShopContext } from "../app/models/shops.server";
import { saveTierProgram } from "../app/models/tiers.server";
import { saveExpiryPolicy } from "../app/models/expiry-settings.server";
import { appendLedgerEntry } from "../app/models/ledger.server";
import { saveMessageKind } from "../app/models/message-admin.server";
import { saveReferralProgram } from "../app/models/referrals.server";
import { STARTER_REFERRAL_PROGRAM_FORM } from "../app/domain/referrals";
import { MESSAGE_KINDS } from "../app/domain/member-messages";
import { addTierAccess } from "../app/models/tier-access.server";
import type { TierConfig } from "../app/domain/tiers";
import { TIER_WITHOUT_PERKS } from "../app/domain/tiers";
import type { SimCustomer } from "./types";

// The demo shop's ways to earn beyond the defaults a new shop gets (1 point per dollar, sign-up,
// birthday), written to the app's database the way the admin would save them, and the member
// events Shopify's webhooks cannot show in the simulator (an account sign-up, a birthday today, a
// review, a quiz), awarded through the app's own decision (awardEvent).

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const content = (en: string, he: string, description?: string) =>
  JSON.stringify({ en: { title: en, ...(description ? { description } : {}) }, he: { title: he } });

/** Rule ids by what the demo calls them. */
export interface DemoProgram {
  stampCard: number;
  firstOrder: number;
  instagram: number;
  review: number;
  styleQuiz: number;
}

/** The stamp card, first-order bonus, Instagram follow, review and style quiz; a dry-run campaign and one next week. */
export async function addDemoWaysToEarn(db: Database, shop: string, nowMs: number): Promise<DemoProgram> {
  const now = iso(nowMs);
  const rule = async (row: Omit<Insertable<DB["earning_rules"]>, "shop" | "created_at" | "updated_at">) =>
    (
      await db.query
        .insertInto("earning_rules")
        .values({ shop, created_at: now, updated_at: now, ...row })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const program: DemoProgram = {
    stampCard: await rule({
      kind: "nth_order",
      points: 200,
      every_nth: 5,
      position: 3,
      content: content("Stamp card: every 5th order", "כרטיסייה: כל הזמנה חמישית"),
    }),
    firstOrder: await rule({ kind: "first_order", points: 50, position: 4, content: content("Your first order", "ההזמנה הראשונה שלך") }),
    instagram: await rule({
      kind: "social",
      points: 50,
      position: 5,
      settings: JSON.stringify({ network: "instagram", url: "https://www.instagram.com/demoteahouse" }),
      content: content("Follow us on Instagram", "עקבו אחרינו באינסטגרם"),
    }),
    review: await rule({
      kind: "review",
      points: 25,
      photo_bonus_points: 25,
      position: 6,
      content: content("Review a tea you bought", "כתבו ביקורת על תה שקניתם"),
    }),
    styleQuiz: await rule({
      kind: "custom",
      points: 75,
      limit_count: 1,
      limit_period: "ever",
      position: 7,
      content: content("Complete our style quiz", "מלאו את שאלון הסגנון", "Five questions about how you like your tea."),
    }),
  };
  const campaign = (row: Omit<Insertable<DB["campaigns"]>, "shop" | "created_at" | "updated_at">) =>
    db.query
      .insertInto("campaigns")
      .values({ shop, created_at: now, updated_at: now, ...row })
      .execute();
  // Judged on every seeded order beside the live rules: the admin shows what it would have given.
  await campaign({
    name: "Triple points on teaware (trial)",
    status: "dry_run",
    starts_at: iso(nowMs - 120 * DAY_MS),
    ends_at: iso(nowMs + 30 * DAY_MS),
    multiplier_percent: 300,
    content: content("Triple points on teaware", "נקודות משולשות על כלי תה"),
  });
  await campaign({
    name: "Spring tea week",
    starts_at: iso(nowMs + 7 * DAY_MS),
    ends_at: iso(nowMs + 14 * DAY_MS),
    bonus_points: 100,
    content: content("Spring tea week: 100 bonus points", "שבוע התה של האביב: 100 נקודות בונוס"),
  });
  return program;
}

/**
 * Double points running now, and points pending for 14 days from here on: the orders placed next
 * show both (the seeded history is already posted).
 */
export async function startDemoDoublePoints(db: Database, shop: string, nowMs: number) {
  const now = iso(nowMs);
  await db.query
    .insertInto("campaigns")
    .values({
      shop,
      name: "Double points weekend",
      starts_at: iso(nowMs - DAY_MS),
      ends_at: iso(nowMs + 3 * DAY_MS),
      multiplier_percent: 200,
      content: content("Double points weekend", "סוף שבוע של נקודות כפולות"),
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db.query.updateTable("shops").set({ pending_days: 14, updated_at: now }).where("domain", "=", shop).execute();
}

/**
 * What the seeded customers did beyond their orders: every one made an account (sign-up points),
 * the first has a birthday today (saved two months ago), the second reviewed a tea with a photo,
 * the third took the style quiz and the fourth follows the shop on Instagram.
 */
export async function awardDemoMemberEvents(db: Database, shop: string, customers: readonly SimCustomer[], program: DemoProgram, nowMs: number) {
  const now = iso(nowMs);
  const today = new Date(nowMs);
  for (const [index, customer] of customers.entries()) {
    await db.transaction(async (tx) => {
      const context = await loadShopContext(tx, shop, { now: today });
      // Today in the shop's time zone, as the birthday rule judges it.
      const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone: context.timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
        .format(today)
        .split("-");
      const memberId = await ensureMember(
        tx,
        shop,
        {
          customerId: String(customer.id),
          email: customer.email,
          firstName: customer.firstName,
          lastName: customer.lastName,
          tags: customer.tags,
          updatedAt: null,
          accountState: "enabled",
          emailMarketingState: null,
          locale: customer.locale,
        },
        now,
      );
      if (index === 0) {
        await tx.query
          .updateTable("members")
          .set({ birthday: `${month}-${day}`, birthday_set_at: iso(nowMs - 60 * DAY_MS) })
          .where("id", "=", memberId)
          .execute();
      }
      const member = (await readMemberFacts(tx, memberId))!;
      // Each award reads the member afresh: the one before it moved their rule awards.
      const award = async (event: Parameters<typeof awardEvent>[3]) => awardEvent(tx, context, (await readMemberFacts(tx, memberId))!.facts, event, { now });
      const tags = member.facts.tags;
      await award({ type: "signup", at: now, imported: false, customerTags: tags });
      if (index === 0 && member.birthday) {
        await award({ type: "birthday", at: now, year: Number(year), birthday: member.birthday, birthdaySetAt: member.birthdaySetAt, customerTags: tags });
      }
      const key = `${customer.id}`;
      if (index === 1) await award({ type: "action", at: now, ruleId: program.review, key: `${key}:matcha-tin`, photo: true, customerTags: tags });
      if (index === 2) await award({ type: "action", at: now, ruleId: program.styleQuiz, key, photo: false, customerTags: tags });
      if (index === 3) await award({ type: "action", at: now, ruleId: program.instagram, key, photo: false, customerTags: tags });
      await scheduleMetafieldSync(tx, shop, today);
    });
  }
}

/**
 * Bronze, Silver and Gold on points earned over a rolling 12 months, turned on before the seeded
 * orders arrive, so their webhooks move the customers up as they would in a live shop. Silver earns
 * 1.25x and a welcome bonus; Gold 1.5x, free shipping and 10% off everything at checkout (the
 * tier-perks Function); each member carries a "VIP: <tier>" tag in Shopify.
 */
export async function addDemoTiers(db: Database, shop: string, nowMs: number) {
  const tier = (rank: number, threshold: number, en: string, he: string, perks: Partial<TierConfig> = {}): Omit<TierConfig, "id"> => ({
    rank,
    threshold,
    names: { en, he, ar: ["برونزي", "فضي", "ذهبي"][rank - 1], da: ["Bronze", "Sølv", "Guld"][rank - 1], ro: ["Bronz", "Argint", "Aur"][rank - 1] },
    ...TIER_WITHOUT_PERKS,
    ...perks,
  });
  await saveTierProgram(
    db,
    shop,
    {
      enabled: true,
      basis: "points_earned",
      period: { kind: "rolling", months: 12 },
      retention: "period_and_next",
      adjustmentsCount: false,
      tagPrefix: "VIP: ",
      tiers: [
        tier(1, 2000, "Bronze", "ארד"),
        tier(2, 3000, "Silver", "כסף", { multiplierPercent: 125, entryBonusPoints: 50 }),
        tier(3, 4000, "Gold", "זהב", { multiplierPercent: 150, entryBonusPoints: 150, birthdayPoints: 300, freeShipping: true, memberPricePercent: 10 }),
      ],
    },
    iso(nowMs),
  );
}

/** Early access for Gold (rank 3) to one product for two weeks, saved as the admin's Members-only page would. */
export async function addDemoEarlyAccess(db: Database, shop: string, productId: number, title: string, nowMs: number) {
  const until = new Date(nowMs + 14 * DAY_MS).toISOString().slice(0, 10);
  const added = await addTierAccess(db, shop, { targetType: "product", target: String(productId), minRank: "3", until, title }, new Date(nowMs));
  if (!added.ok) throw new Error(`the demo's early access was refused: ${JSON.stringify(added)}`);
}

/**
 * Points expiry by age, 3 months after they are earned. The app dates every entry when it receives
 * it (the seeded orders' points are today's), so two members also carry points brought over from
 * the shop's previous program 80 days ago: theirs expire within weeks, and the panel, the account,
 * checkout, the member page, the home page's 30-day figure and the reminders all have something to show.
 */
export async function addDemoExpiry(db: Database, shop: string, customers: readonly SimCustomer[], nowMs: number) {
  const carriedAt = iso(nowMs - 80 * DAY_MS);
  for (const [index, customer] of customers.slice(0, 2).entries()) {
    const member = await db.query.selectFrom("members").select("id").where("shop", "=", shop).where("customer_id", "=", String(customer.id)).executeTakeFirst();
    if (!member) continue;
    await appendLedgerEntry(
      db,
      {
        shop,
        memberId: member.id,
        delta: 150 + 100 * index,
        kind: "manual_adjustment",
        sourceKey: `demo:carried-over:${customer.id}`,
        actor: { type: "system" },
        reason: "Points carried over from the shop's previous loyalty program",
      },
      carriedAt,
    );
  }
  const saved = await saveExpiryPolicy(db, shop, { kind: "age", months: "3" }, new Date(nowMs));
  if (!saved.ok) throw new Error(`demo expiry policy refused: ${saved.message}`);
}

/**
 * Every member message on (but the referral hook), with win-back after 60 days and 100 bonus
 * points: turned on before the customers arrive, so the mailbox shows their welcome, birthday and
 * tier emails, and the expiry reminders once points come due.
 */
export async function addDemoMessages(db: Database, shop: string, nowMs: number) {
  for (const kind of MESSAGE_KINDS) {
    if (kind === "referral") continue;
    const saved = await saveMessageKind(
      db,
      shop,
      kind,
      { enabled: "on", days: kind === "win_back" ? "60" : "14", bonusPoints: "100", reminderDays: "30, 7" },
      iso(nowMs),
    );
    if (!saved.ok) throw new Error(`demo message ${kind} refused: ${JSON.stringify(saved.fieldErrors)}`);
  }
}

/** Referrals: a friend gets 10.00 off their first order, the referrer 500 points once it has passed the shop's pending window. */
export async function addDemoReferralProgram(db: Database, shop: string, nowMs: number) {
  const saved = await saveReferralProgram(db, shop, STARTER_REFERRAL_PROGRAM_FORM, new Date(nowMs));
  if (!saved.ok) throw new Error(`demo referral program refused: ${JSON.stringify(saved)}`);
}
