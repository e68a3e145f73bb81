import { describe, expect, it } from "vitest";
import type { MessageKind } from "../app/domain/member-messages";
import { enqueueBirthdayJob } from "../app/models/birthdays.server";
import { dueExpiryReminder } from "../app/domain/member-messages";
import { sendExpiryReminder, sendMemberMessage } from "../app/models/messages.server";
import { saveTierProgram } from "../app/models/tiers.server";
import { enqueueDailyMessagesScheduler } from "../app/models/daily-messages.server";
import { useEarningApp } from "./support/earning-app";
import { customerPayload, newId, orderPayload } from "./support/shopify-payloads";
import { tierProgramInput, tierInput } from "./support/tiers";

// Member messages are written to the outbox in the transaction of the event that calls for them,
// through the app's real server (signed webhooks) and job worker with the clock in the test's
// hands: once per occasion however the events repeat, only when the merchant turned the kind on,
// only to members who may receive it.

const earn = useEarningApp("2026-12-02T12:00:00.000Z");

interface OutboxRow {
  kind: string;
  occasion_key: string;
  to_email: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
  status: string;
  member_id: number;
}

const outbox = (shop: string, kind?: MessageKind) =>
  earn.db.raw.all<OutboxRow>(
    `SELECT "kind", "occasion_key", "to_email", "locale", "subject", "html", "text", "status", "member_id" FROM "outbox_messages" WHERE "shop" = ?${kind ? ` AND "kind" = ?` : ""} ORDER BY "id"`,
    kind ? [shop, kind] : [shop],
  );

async function turnOn(shop: string, kind: MessageKind, options: Record<string, unknown> = {}) {
  await earn.db.raw.run(`INSERT INTO "message_settings" ("shop", "kind", "enabled", "options", "updated_at") VALUES (?, ?, ?, ?, ?)`, [
    shop,
    kind,
    true,
    JSON.stringify(options),
    new Date().toISOString(),
  ]);
}

const setMember = async (shop: string, customerId: number, columns: Record<string, string | null>) => {
  const names = Object.keys(columns);
  await earn.db.raw.run(`UPDATE "members" SET ${names.map((name) => `"${name}" = ?`).join(", ")} WHERE "shop" = ? AND "customer_id" = ?`, [
    ...Object.values(columns),
    shop,
    String(customerId),
  ]);
};

/** A customer with an account, known to the app, with consent to email marketing. */
async function subscribedMember(shop: string, extra: Record<string, string | null> = {}) {
  const id = newId();
  await earn.deliver(shop, "customers/create", customerPayload({ id, firstName: "Noa" }));
  await setMember(shop, id, { marketing_state: "SUBSCRIBED", ...extra });
  return id;
}

const order = (customerId: number, price: string) => orderPayload({ customerId, lines: [{ price, quantity: 1 }] });

describe("welcome", () => {
  it("goes with the sign-up points, once, in the member's language", async () => {
    const shop = await earn.shop();
    await earn.addRule(shop, { kind: "signup", points: 100 });
    await turnOn(shop, "welcome");
    const id = newId();
    const created = customerPayload({ id, state: "enabled", firstName: "Dana" });
    await earn.deliver(shop, "customers/create", created);
    await earn.deliver(shop, "customers/create", created);
    await earn.deliver(shop, "customers/update", customerPayload({ id, state: "enabled", updatedAt: "2026-11-02T10:00:00Z" }));
    const rows = await outbox(shop);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "welcome", to_email: `customer${id}@example.com`, locale: "en", status: "queued" });
    expect(rows[0].occasion_key).toBe(`${rows[0].member_id}:welcome`);
    expect(rows[0].text).toContain("Hi Dana,");
    expect(rows[0].text).toContain("We've added 100 points to your account");
    expect(rows[0].text).toMatch(/Unsubscribe: http:\/\/127\.0\.0\.1\/messages\/unsubscribe\?token=/);
  });

  it("goes when the account is enabled in a shop without sign-up points", async () => {
    const shop = await earn.shop();
    await turnOn(shop, "welcome");
    const id = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id, state: "disabled" }));
    expect(await outbox(shop)).toEqual([]);
    await earn.deliver(shop, "customers/enable", customerPayload({ id, state: "enabled", updatedAt: "2026-11-02T10:00:00Z" }));
    const rows = await outbox(shop);
    expect(rows).toHaveLength(1);
    expect(rows[0].text).toContain("Thanks for joining");
    expect(rows[0].text).not.toContain("We've added");
    // A member the program has known for long gets none when their account is enabled.
    const longKnown = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id: longKnown, state: "disabled" }));
    await setMember(shop, longKnown, { created_at: "2026-01-01T00:00:00.000Z" });
    await earn.deliver(shop, "customers/enable", customerPayload({ id: longKnown, state: "enabled", updatedAt: "2026-11-02T10:00:00Z" }));
    expect(await outbox(shop)).toHaveLength(1);
  });

  it("is not sent while the merchant has it off", async () => {
    const shop = await earn.shop();
    await earn.addRule(shop, { kind: "signup", points: 100 });
    await earn.deliver(shop, "customers/create", customerPayload({ state: "enabled" }));
    expect(await outbox(shop)).toEqual([]);
  });

  it("is written in Hebrew, right to left, for a member whose language is Hebrew", async () => {
    const shop = await earn.shop();
    await earn.addRule(shop, { kind: "signup", points: 100 });
    await turnOn(shop, "welcome");
    const id = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id }));
    await setMember(shop, id, { locale: "he-IL" });
    await earn.deliver(shop, "customers/update", customerPayload({ id, state: "enabled", updatedAt: "2026-11-02T10:00:00Z" }));
    const [row] = await outbox(shop);
    expect(row).toMatchObject({ locale: "he" });
    expect(row.html).toContain('dir="rtl"');
    expect(row.text).toContain("הוספנו לחשבון שלך 100 נקודות");
  });

  it("follows consent when the merchant says account messages do, and never goes after an unsubscribe", async () => {
    const shop = await earn.shop();
    await earn.addRule(shop, { kind: "signup", points: 100 });
    await turnOn(shop, "welcome");
    await earn.db.raw.run(`UPDATE "shops" SET "account_messages_follow_consent" = ? WHERE "domain" = ?`, [true, shop]);
    await earn.deliver(shop, "customers/create", customerPayload({ state: "enabled" }));
    expect(await outbox(shop)).toEqual([]);
    const unsubscribed = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id: unsubscribed }));
    await setMember(shop, unsubscribed, { marketing_state: "SUBSCRIBED", unsubscribed_at: "2026-12-01T00:00:00.000Z" });
    await earn.deliver(shop, "customers/update", customerPayload({ id: unsubscribed, state: "enabled", updatedAt: "2026-11-02T10:00:00Z" }));
    expect(await outbox(shop)).toEqual([]);
  });
});

describe("a reward is now affordable", () => {
  it("goes once when an order's points reach a reward's cost, only with marketing consent", async () => {
    const shop = await earn.shop();
    await turnOn(shop, "reward_affordable");
    const at = new Date().toISOString();
    for (const [name, cost, enabled] of [
      ["Free tea", 15, true],
      ["Teapot", 18, false],
      ["Tea set", 500, true],
    ] as const) {
      await earn.db.raw.run(
        `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "enabled", "created_at", "updated_at") VALUES (?, ?, 'fixed_amount', ?, 500, ?, ?, ?)`,
        [shop, name, cost, enabled, at, at],
      );
    }
    const subscribed = await subscribedMember(shop);
    const other = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id: other }));
    await earn.deliver(shop, "orders/paid", order(subscribed, "10.00"));
    await earn.deliver(shop, "orders/paid", order(other, "20.00"));
    expect(await outbox(shop)).toEqual([]);
    const second = order(subscribed, "10.00");
    await earn.deliver(shop, "orders/paid", second);
    await earn.deliver(shop, "orders/paid", second);
    await earn.deliver(shop, "orders/paid", order(subscribed, "10.00"));
    const rows = await outbox(shop);
    expect(rows.map((row) => row.kind)).toEqual(["reward_affordable"]);
    expect(rows[0].subject).toBe("You can now get Free tea");
    expect(rows[0].text).toContain("with 20 points you can now redeem Free tea");
  });
});

describe("points earned", () => {
  it("is one summary a day per member, the day's total, the next morning in the shop's zone", async () => {
    const shop = await earn.shop({ timeZone: "Asia/Jerusalem" });
    await turnOn(shop, "points_earned");
    const id = await subscribedMember(shop);
    earn.at("2026-12-02T08:00:00.000Z");
    await earn.deliver(shop, "orders/paid", order(id, "10.00"));
    earn.at("2026-12-02T21:30:00.000Z"); // 23:30 in Jerusalem: still the 2nd
    await earn.deliver(shop, "orders/paid", order(id, "25.00"));
    earn.at("2026-12-02T22:30:00.000Z"); // 00:30 on the 3rd
    await earn.deliver(shop, "orders/paid", order(id, "7.00"));
    await earn.runJobs("2026-12-03T06:00:00.000Z"); // 08:00 on the 3rd: not yet
    expect(await outbox(shop)).toEqual([]);
    await earn.runJobs("2026-12-03T07:00:00.000Z");
    await earn.runJobs("2026-12-03T07:05:00.000Z");
    let rows = await outbox(shop);
    expect(rows).toHaveLength(1);
    expect(rows[0].occasion_key).toBe(`${rows[0].member_id}:points_earned:2026-12-02`);
    expect(rows[0].subject).toBe("You earned 35 points yesterday");
    await earn.runJobs("2026-12-04T07:00:00.000Z");
    rows = await outbox(shop);
    expect(rows.map((row) => [row.occasion_key.split(":").slice(1).join(":"), row.subject])).toEqual([
      ["points_earned:2026-12-02", "You earned 35 points yesterday"],
      ["points_earned:2026-12-03", "You earned 7 points yesterday"],
    ]);
  });
});

describe("tier reached", () => {
  it("goes once on the way up, with the tier's name", async () => {
    const shop = await earn.shop();
    await turnOn(shop, "tier_reached");
    await saveTierProgram(earn.db, shop, tierProgramInput([tierInput(1, "Silver"), tierInput(2, "Gold")]), "2026-12-01T00:00:00.000Z");
    const id = await subscribedMember(shop);
    const big = order(id, "150.00");
    await earn.deliver(shop, "orders/paid", big);
    await earn.deliver(shop, "orders/paid", big);
    await earn.deliver(shop, "orders/paid", order(id, "20.00"));
    await earn.deliver(shop, "orders/paid", order(id, "40.00"));
    const rows = await outbox(shop, "tier_reached");
    expect(rows.map((row) => row.subject)).toEqual(["You've reached Silver", "You've reached Gold"]);
  });
});

describe("tier at risk", () => {
  it("goes once before a kept tier ends, only when this period's total does not keep it", async () => {
    const shop = await earn.shop();
    await turnOn(shop, "tier_at_risk", { days: 10 });
    const yearly = tierProgramInput([tierInput(1, "Silver"), tierInput(2, "Gold")], { period: { kind: "calendar_year" } });
    await saveTierProgram(earn.db, shop, yearly, "2026-01-01T00:00:00.000Z");
    const atRisk = await subscribedMember(shop);
    const safe = await subscribedMember(shop);
    earn.at("2026-06-02T12:00:00.000Z");
    for (const id of [atRisk, safe]) await earn.deliver(shop, "orders/paid", order(id, "250.00"));
    earn.at("2027-03-02T12:00:00.000Z");
    await earn.deliver(shop, "orders/paid", order(safe, "250.00"));
    const held = async (id: number) =>
      (await earn.db.raw.get<{ tier_id: number; tier_kept_until: string }>(
        `SELECT "tier_id", "tier_kept_until" FROM "members" WHERE "shop" = ? AND "customer_id" = ?`,
        [shop, String(id)],
      ))!;
    const before = await held(atRisk);
    for (const iso of ["2027-12-01T11:00:00.000Z", "2027-12-25T11:00:00.000Z", "2027-12-26T11:00:00.000Z"]) {
      await enqueueDailyMessagesScheduler(earn.db, new Date(iso));
      await earn.runJobs(iso);
      await earn.runJobs(iso);
    }
    const rows = await outbox(shop, "tier_at_risk");
    expect(rows).toHaveLength(1);
    expect(rows[0].occasion_key).toBe(`${rows[0].member_id}:tier_at_risk:${before.tier_id}:${new Date(before.tier_kept_until).toISOString()}`);
    expect(rows[0].subject).toBe("Keep your Gold status");
    expect(rows[0].text).toMatch(/Your Gold status at .* is kept until /);
  });
});

describe("birthday", () => {
  it("goes with the birthday points, once", async () => {
    const shop = await earn.shop();
    await earn.addRule(shop, { kind: "birthday", points: 40 });
    await turnOn(shop, "birthday");
    const id = await subscribedMember(shop, { birthday: "12-02", birthday_set_at: "2026-01-01T00:00:00.000Z" });
    await enqueueBirthdayJob(earn.db, shop, "2026-12-02", "UTC", new Date("2026-12-02T00:00:00.000Z"));
    await earn.runJobs("2026-12-02T12:00:00.000Z");
    await earn.runJobs("2026-12-02T12:01:00.000Z");
    const rows = await outbox(shop, "birthday");
    expect(rows).toHaveLength(1);
    expect(rows[0].occasion_key).toBe(`${rows[0].member_id}:birthday:2026`);
    expect(rows[0].text).toContain("Happy birthday, Noa! To celebrate, we've added 40 points to your account.");
    expect(await earn.balance(shop, id)).toBe(40);
  });
});

describe("win-back", () => {
  it("goes once per last order after the merchant's days, with its bonus credited once", async () => {
    const shop = await earn.shop();
    await turnOn(shop, "win_back", { days: 30, bonusPoints: 50 });
    const id = await subscribedMember(shop);
    const quietWithoutConsent = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id: quietWithoutConsent }));
    earn.at("2026-12-02T12:00:00.000Z");
    await earn.deliver(shop, "orders/paid", order(id, "10.00"));
    await earn.deliver(shop, "orders/paid", order(quietWithoutConsent, "10.00"));
    const runDay = async (iso: string) => {
      await enqueueDailyMessagesScheduler(earn.db, new Date(iso));
      await earn.runJobs(iso);
      await earn.runJobs(iso);
    };
    await runDay("2026-12-30T11:00:00.000Z");
    expect(await outbox(shop)).toEqual([]);
    await runDay("2027-01-02T11:00:00.000Z");
    await runDay("2027-01-03T11:00:00.000Z");
    let rows = await outbox(shop, "win_back");
    expect(rows).toHaveLength(1);
    expect(rows[0].occasion_key).toBe(`${rows[0].member_id}:win_back:2026-12-02T12:00:00.000Z`);
    expect(rows[0].text).toContain("we've added 50 bonus points to your account");
    expect(rows[0].text).toContain("You have 60 points waiting for you.");
    expect((await earn.entries(shop, id)).map((entry) => [entry.kind, entry.delta, entry.source_key])).toEqual([
      ["earned", 10, expect.any(String)],
      ["win_back_bonus", 50, `win_back:${rows[0].member_id}:2026-12-02T12:00:00.000Z`],
    ]);
    earn.at("2027-01-05T12:00:00.000Z");
    await earn.deliver(shop, "orders/paid", order(id, "10.00"));
    await runDay("2027-02-10T11:00:00.000Z");
    rows = await outbox(shop, "win_back");
    expect(rows.map((row) => row.occasion_key.split(":win_back:")[1])).toEqual(["2026-12-02T12:00:00.000Z", "2027-01-05T12:00:00.000Z"]);
    expect(await earn.balance(shop, quietWithoutConsent)).toBe(10);
  });
});

describe("the composer", () => {
  const memberIdOf = async (shop: string, customerId: number) => (await earn.member(shop, customerId))!.id;

  it("says why a message was not queued: off, no member, no email, unsubscribed, no consent, already sent", async () => {
    const shop = await earn.shop();
    const id = await subscribedMember(shop);
    const memberId = await memberIdOf(shop, id);
    const send = (kind: "reward_affordable" | "welcome", member = memberId) =>
      earn.db.transaction((tx) =>
        sendMemberMessage(tx, shop, member, kind === "welcome" ? { kind } : { kind, rewardId: 1, balanceCrossedAt: "2026-12-02T12:00:00.000Z" }, {
          values: { reward: "Tea" },
        }),
      );
    expect(await send("welcome")).toEqual({ ok: false, reason: "off" });
    await turnOn(shop, "welcome");
    await turnOn(shop, "reward_affordable");
    expect(await send("welcome", 987654)).toEqual({ ok: false, reason: "no_member" });
    expect(await send("reward_affordable")).toEqual({ ok: true, occasionKey: `${memberId}:reward_affordable:1:2026-12-02T12:00:00.000Z` });
    expect(await send("reward_affordable")).toEqual({ ok: false, reason: "already_sent" });
    await setMember(shop, id, { marketing_state: "NOT_SUBSCRIBED" });
    expect(await send("welcome")).toMatchObject({ ok: true });
    const other = await subscribedMember(shop, { marketing_state: "UNSUBSCRIBED" });
    expect(await send("reward_affordable", await memberIdOf(shop, other))).toEqual({ ok: false, reason: "no_consent" });
    const gone = await subscribedMember(shop, { unsubscribed_at: "2026-12-01T00:00:00.000Z" });
    expect(await send("welcome", await memberIdOf(shop, gone))).toEqual({ ok: false, reason: "unsubscribed" });
    const noEmail = await subscribedMember(shop, { email: null });
    expect(await send("welcome", await memberIdOf(shop, noEmail))).toEqual({ ok: false, reason: "no_email" });
  });

  it("uses the merchant's template in the member's language, the default in it otherwise, and English for a language we do not write", async () => {
    const shop = await earn.shop();
    await turnOn(shop, "points_expiring");
    await earn.db.raw.run(
      `INSERT INTO "message_templates" ("shop", "kind", "locale", "subject", "body", "updated_at") VALUES (?, 'points_expiring', 'da', ?, ?, ?)`,
      [shop, "Husk dine {{ points }} point", "De udløber {{ expiry_date }}.", new Date().toISOString()],
    );
    const occasion = dueExpiryReminder("2027-01-01T12:00:00.000Z", "2026-12-26T12:00:00.000Z", { daysBefore: [30, 7], lastChance: true });
    if (occasion?.kind !== "points_expiring") throw new Error("the 7-day reminder is due");
    const sent: [string, string, string][] = [];
    for (const locale of ["da", "ro-RO", "pt-BR"]) {
      const memberId = await memberIdOf(shop, await subscribedMember(shop, { locale }));
      expect(await earn.db.transaction((tx) => sendExpiryReminder(tx, shop, memberId, occasion, 80))).toMatchObject({ ok: true });
      expect(await earn.db.transaction((tx) => sendExpiryReminder(tx, shop, memberId, occasion, 80))).toEqual({ ok: false, reason: "already_sent" });
      const row = (await outbox(shop)).find((entry) => entry.member_id === memberId)!;
      sent.push([row.locale, row.subject, row.text.split("\n\n")[0]]);
    }
    expect(sent).toEqual([
      ["da", "Husk dine 80 point", "De udløber 1. januar 2027."],
      ["ro", "80 dintre punctele tale expiră pe 1 ianuarie 2027", "Bună, Noa,"],
      ["en", "80 of your points expire on January 1, 2027", "Hi Noa,"],
    ]);
  });
});

describe("erasure", () => {
  it("customers/redact removes the customer's messages, shop/redact every message row of the shop", async () => {
    const shop = await earn.shop();
    await earn.addRule(shop, { kind: "signup", points: 100 });
    await turnOn(shop, "welcome");
    const [gone, kept] = [newId(), newId()];
    for (const id of [gone, kept]) await earn.deliver(shop, "customers/create", customerPayload({ id, state: "enabled" }));
    await earn.db.raw.run(
      `INSERT INTO "message_templates" ("shop", "kind", "locale", "subject", "body", "updated_at") VALUES (?, 'welcome', 'en', 'Hi', 'Hello', ?)`,
      [shop, new Date().toISOString()],
    );
    expect(await outbox(shop)).toHaveLength(2);
    await earn.deliver(shop, "customers/redact", { shop_domain: shop, customer: { id: gone, email: null, phone: null }, orders_to_redact: [] });
    expect((await outbox(shop)).map((row) => row.to_email)).toEqual([`customer${kept}@example.com`]);
    await earn.deliver(shop, "shop/redact", { shop_id: 1, shop_domain: shop });
    for (const table of ["outbox_messages", "message_templates", "message_settings"]) {
      expect(await earn.db.raw.get(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE "shop" = ?`, [shop]), table).toEqual({ n: 0 });
    }
  });
});
