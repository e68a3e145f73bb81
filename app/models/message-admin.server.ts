import { readReminderDays } from "./expiry.server";
import type { Database, Db } from "../db/types";
import { SHOPPER_LOCALES, type ShopperLocale } from "../domain/earning-rule-form";
import { MESSAGE_KINDS, isMarketing, type MessageKind } from "../domain/member-messages";
import { checkTemplate, type TemplateRefusal } from "../domain/message-templates";
import { ok, refused, type Ok, type Refused } from "../domain/result";
import { defaultTemplate } from "../email/default-templates";
import { messageLinks } from "../email/message-links.server";
import { sealSecret, unsealSecret } from "../email/sealed-secret";
import { readSmtpSettings } from "../email/transport.server";
import { messageTemplate, readMessageSetting, wholeOption } from "./messages.server";
import { TIER_AT_RISK_DEFAULT_DAYS, WIN_BACK_DEFAULT_DAYS } from "./daily-messages.server";

// The merchant's Messages page (issue 14): each kind on or off with its options and its subject
// and body per language, the rules every message follows (account messages and consent), the
// shop's own SMTP server (its URL sealed: it holds a password), and the outbox's latest rows.

export const MESSAGE_KIND_LABELS: Record<MessageKind, string> = {
  welcome: "Welcome",
  points_earned: "Points earned (daily summary)",
  reward_affordable: "A reward is now affordable",
  points_expiring: "Points expiring",
  last_chance: "Last chance before points expire",
  tier_reached: "VIP tier reached",
  tier_at_risk: "VIP tier at risk",
  birthday: "Birthday",
  win_back: "Win-back",
  referral: "Referral",
};

export interface MessageKindView {
  kind: MessageKind;
  label: string;
  marketing: boolean;
  enabled: boolean;
  options: { days?: number; bonusPoints?: number };
  templates: Record<ShopperLocale, { subject: string; body: string; custom: boolean }>;
}

export interface OutboxView {
  id: number;
  kind: string;
  toEmail: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export async function messageKindView(db: Db, shop: string, kind: MessageKind): Promise<MessageKindView> {
  const setting = await readMessageSetting(db, shop, kind);
  const templates = {} as MessageKindView["templates"];
  for (const locale of SHOPPER_LOCALES) templates[locale] = await messageTemplate(db, shop, kind, locale);
  const options: MessageKindView["options"] = {};
  if (kind === "win_back") {
    options.days = wholeOption(setting.options, "days", WIN_BACK_DEFAULT_DAYS, { min: 1, max: 3650 });
    options.bonusPoints = wholeOption(setting.options, "bonusPoints", 0);
  }
  if (kind === "tier_at_risk") options.days = wholeOption(setting.options, "days", TIER_AT_RISK_DEFAULT_DAYS, { min: 1, max: 365 });
  return { kind, label: MESSAGE_KIND_LABELS[kind], marketing: isMarketing(kind), enabled: setting.enabled, options, templates };
}

export async function messagesPage(db: Db, shop: string) {
  const shopRow = await db.query
    .selectFrom("shops")
    .select(["expiry_reminder_days", "account_messages_follow_consent", "smtp_url_sealed", "sender_email"])
    .where("domain", "=", shop)
    .executeTakeFirst();
  const settings = await db.query.selectFrom("message_settings").select(["kind", "enabled"]).where("shop", "=", shop).execute();
  const enabled = new Set(settings.filter((row) => Boolean(row.enabled)).map((row) => row.kind));
  const outbox = await db.query
    .selectFrom("outbox_messages")
    .select(["id", "kind", "to_email", "subject", "status", "attempts", "last_error", "created_at", "sent_at"])
    .where("shop", "=", shop)
    .orderBy("id", "desc")
    .limit(50)
    .execute();
  const members = await db.query
    .selectFrom("members")
    .select(["id", "email", "first_name", "last_name"])
    .where("shop", "=", shop)
    .where("redacted_at", "is", null)
    .where("email", "is not", null)
    .orderBy("id", "desc")
    .limit(100)
    .execute();
  const smtpUrl = shopRow?.smtp_url_sealed ? unsealSecret([messageLinks().secret], shopRow.smtp_url_sealed) : null;
  return {
    kinds: MESSAGE_KINDS.map((kind) => ({ kind, label: MESSAGE_KIND_LABELS[kind], marketing: isMarketing(kind), enabled: enabled.has(kind) })),
    // As the expiry job reads them (app/models/expiry.server.ts), so the page shows what is sent.
    expiryReminderDays: [...readReminderDays(shopRow?.expiry_reminder_days).daysBefore],
    accountMessagesFollowConsent: Boolean(shopRow?.account_messages_follow_consent),
    smtp: {
      own: Boolean(shopRow?.smtp_url_sealed),
      // The server as it was saved, without its password.
      server: smtpUrl ? withoutPassword(smtpUrl) : null,
      unreadable: Boolean(shopRow?.smtp_url_sealed) && smtpUrl === null,
      sender: shopRow?.sender_email ?? "",
    },
    outbox: outbox.map((row): OutboxView => ({
      id: row.id,
      kind: row.kind,
      toEmail: row.to_email,
      subject: row.subject,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: new Date(row.created_at).toISOString(),
      sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    })),
    members: members.map((member) => ({
      id: member.id,
      label: [member.first_name, member.last_name].filter(Boolean).join(" ") || member.email!,
      email: member.email!,
    })),
  };
}

function withoutPassword(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = "****";
    return url.toString();
  } catch {
    return "";
  }
}

export type MessageKindFieldErrors = Record<string, { message: string; line: number | null; variable: string | null }>;
export type MessageKindSaveResult = Ok<object> | Refused<"invalid", { fieldErrors: MessageKindFieldErrors }>;

/** What the kind's form sends: every field text, templates as subject_<locale> and body_<locale>. */
export type MessageKindForm = Record<string, string | undefined>;

const WHOLE = /^\d{1,7}$/;

/** Saves a kind: on or off, its options, its templates (a default left as it is keeps no row). Every fault is reported at its field. */
export async function saveMessageKind(db: Database, shop: string, kind: MessageKind, form: MessageKindForm, now: string): Promise<MessageKindSaveResult> {
  const fieldErrors: MessageKindFieldErrors = {};
  const fault = (field: string, message: string) => (fieldErrors[field] = { message, line: null, variable: null });
  const options: Record<string, unknown> = {};
  let reminderDays: number[] | null = null;
  if (kind === "win_back") {
    const days = (form.days ?? "").trim();
    if (!WHOLE.test(days) || Number(days) < 1 || Number(days) > 3650) fault("days", "Enter the days without an order, a whole number from 1 to 3650.");
    else options.days = Number(days);
    const bonus = (form.bonusPoints ?? "").trim() || "0";
    if (!WHOLE.test(bonus) || Number(bonus) > 1_000_000) fault("bonusPoints", "Enter the bonus points as a whole number (0 for none).");
    else options.bonusPoints = Number(bonus);
  }
  if (kind === "tier_at_risk") {
    const days = (form.days ?? "").trim();
    if (!WHOLE.test(days) || Number(days) < 1 || Number(days) > 365) fault("days", "Enter the days before the tier's end, a whole number from 1 to 365.");
    else options.days = Number(days);
  }
  if (kind === "points_expiring") {
    const parts = (form.reminderDays ?? "")
      .split(/[\s,]+/)
      .map((part) => part.trim())
      .filter(Boolean);
    if (parts.length === 0 || parts.length > 5 || parts.some((part) => !WHOLE.test(part) || Number(part) < 2 || Number(part) > 365)) {
      fault("reminderDays", "Enter up to 5 numbers of days before points expire, each from 2 to 365, like 30, 7 (the last chance goes a day before).");
    } else reminderDays = [...new Set(parts.map(Number))].sort((a, b) => b - a);
  }
  const templates: { locale: ShopperLocale; subject: string; body: string }[] = [];
  for (const locale of SHOPPER_LOCALES) {
    const subject = form[`subject_${locale}`];
    const body = form[`body_${locale}`];
    if (subject === undefined || body === undefined) continue;
    const checks = [checkTemplate("subject", subject), checkTemplate("body", body)];
    for (const check of checks) {
      if (!check.ok) {
        const refusal = check as TemplateRefusal;
        fieldErrors[`${refusal.field}_${locale}`] = { message: refusal.message, line: refusal.line, variable: refusal.variable };
      }
    }
    templates.push({ locale, subject, body });
  }
  if (Object.keys(fieldErrors).length > 0) return refused("invalid", { fieldErrors });

  await db.transaction(async (tx) => {
    await tx.query
      .insertInto("message_settings")
      .values({ shop, kind, enabled: form.enabled === "on", options: JSON.stringify(options), updated_at: now })
      .onConflict((conflict) =>
        conflict.columns(["shop", "kind"]).doUpdateSet({ enabled: form.enabled === "on", options: JSON.stringify(options), updated_at: now }),
      )
      .execute();
    if (reminderDays)
      await tx.query
        .updateTable("shops")
        .set({ expiry_reminder_days: JSON.stringify(reminderDays) })
        .where("domain", "=", shop)
        .execute();
    for (const { locale, subject, body } of templates) {
      const fallback = defaultTemplate(kind, locale);
      const same = normalise(subject) === normalise(fallback.subject) && normalise(body) === normalise(fallback.body);
      if (same) {
        await tx.query.deleteFrom("message_templates").where("shop", "=", shop).where("kind", "=", kind).where("locale", "=", locale).execute();
        continue;
      }
      await tx.query
        .insertInto("message_templates")
        .values({ shop, kind, locale, subject, body, updated_at: now })
        .onConflict((conflict) => conflict.columns(["shop", "kind", "locale"]).doUpdateSet({ subject, body, updated_at: now }))
        .execute();
    }
  });
  return ok({});
}

const normalise = (text: string) => text.replace(/\r\n/g, "\n").trim();

/** Whether account messages (expiry notices, welcome, ...) follow email marketing consent too. */
export async function saveMessageRules(db: Db, shop: string, form: { accountMessagesFollowConsent: boolean }): Promise<void> {
  await db.query.updateTable("shops").set({ account_messages_follow_consent: form.accountMessagesFollowConsent }).where("domain", "=", shop).execute();
}

export type SmtpSaveResult = Ok<object> | Refused<"invalid", { fieldErrors: Partial<Record<"smtpUrl" | "sender", string>> }>;

/**
 * The shop's own SMTP server and sender, checked as delivery reads them; the URL is sealed.
 * An empty URL with "use the app's server" clears both. A blank URL keeps the one saved.
 */
export async function saveSmtpSettings(db: Db, shop: string, form: { smtpUrl: string; sender: string; useAppServer: boolean }): Promise<SmtpSaveResult> {
  if (form.useAppServer) {
    await db.query.updateTable("shops").set({ smtp_url_sealed: null, sender_email: null }).where("domain", "=", shop).execute();
    return ok({});
  }
  const { secret } = messageLinks();
  let url = form.smtpUrl.trim();
  if (url === "") {
    const row = await db.query.selectFrom("shops").select("smtp_url_sealed").where("domain", "=", shop).executeTakeFirst();
    url = row?.smtp_url_sealed ? (unsealSecret([secret], row.smtp_url_sealed) ?? "") : "";
  }
  const read = readSmtpSettings({ url, from: form.sender });
  if (!read.ok) return refused("invalid", { fieldErrors: read.reason === "invalid_smtp_url" ? { smtpUrl: read.message } : { sender: read.message } });
  await db.query
    .updateTable("shops")
    .set({ smtp_url_sealed: sealSecret(secret, read.settings.url), sender_email: read.settings.from })
    .where("domain", "=", shop)
    .execute();
  return ok({});
}
