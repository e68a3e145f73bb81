import { randomUUID } from "node:crypto";
import { prepare } from "../db/prepared";
import type { Db } from "../db/types";
import { SHOPPER_LOCALES, type ShopperLocale } from "../domain/earning-rule-form";
import { mayReceive, occasionKey, type MarketingState, type MessageKind, type MessageOccasion } from "../domain/member-messages";
import { checkTemplate, type MessageValues } from "../domain/message-templates";
import { ok, refused, type Ok, type Refused } from "../domain/result";
import { defaultTemplate, type MessageTemplateText } from "../email/default-templates";
import { renderEmail, type RenderedEmail } from "../email/layout";
import { memberUnsubscribeUrl } from "../email/message-links.server";
import { queueMessage } from "./outbox.server";

// The composer of member messages (issue 14): in the transaction of the event that calls for a
// message, it reads whether the merchant turned the kind on, picks the member's language, checks
// they may receive it, renders the merchant's template (or the app's default) and queues it in
// the outbox under its occasion key, so the same occasion never queues twice.

export type MessageNotSent = Refused<"off" | "no_member" | "no_consent" | "unsubscribed" | "no_email" | "already_sent">;
export type MessageResult = Ok<{ occasionKey: string }> | MessageNotSent;

/** A kind's merchant settings: whether it goes out, and its options (win-back days and bonus, ...). */
export interface MessageSetting {
  enabled: boolean;
  options: Record<string, unknown>;
}

const settingRow = prepare((q, p: { shop: string; kind: string }) =>
  q.selectFrom("message_settings").select(["enabled", "options"]).where("shop", "=", p.shop).where("kind", "=", p.kind),
);

function parseOptions(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A kind's settings in a shop; a kind the merchant never saved is off. */
export async function readMessageSetting(db: Db, shop: string, kind: MessageKind): Promise<MessageSetting> {
  const row = await settingRow.first(db, { shop, kind });
  return row ? { enabled: Boolean(row.enabled), options: parseOptions(row.options) } : { enabled: false, options: {} };
}

/** A whole number option of a kind, or its default when unset or not a whole number in range. */
export function wholeOption(options: Record<string, unknown>, name: string, fallback: number, { min = 0, max = 1_000_000 } = {}): number {
  const value = options[name];
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max ? value : fallback;
}

const templateRow = prepare((q, p: { shop: string; kind: string; locale: string }) =>
  q.selectFrom("message_templates").select(["subject", "body"]).where("shop", "=", p.shop).where("kind", "=", p.kind).where("locale", "=", p.locale),
);

/** The merchant's subject and body for a kind in a language, or the app's default there. */
export async function messageTemplate(db: Db, shop: string, kind: MessageKind, locale: ShopperLocale): Promise<MessageTemplateText & { custom: boolean }> {
  const row = await templateRow.first(db, { shop, kind, locale });
  // Saved templates were checked at save; one that no longer passes (a check made stricter since) gives way to the default.
  if (row && checkTemplate("subject", row.subject).ok && checkTemplate("body", row.body).ok) return { subject: row.subject, body: row.body, custom: true };
  return { ...defaultTemplate(kind, locale), custom: false };
}

/** A member's language as Shopify gives it ("he", "pt-BR") among those messages are written in; English otherwise. */
export function messageLocale(locale: string | null | undefined): ShopperLocale {
  const base = (locale ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return (SHOPPER_LOCALES as readonly string[]).includes(base) ? (base as ShopperLocale) : "en";
}

/** The shop's name as members see it: its myshopify handle in words (the shops table keeps no name). */
export function shopDisplayName(domain: string): string {
  const handle = domain.replace(/\.myshopify\.com$/i, "");
  return handle
    .split(/[-_]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(" ");
}

/** A date as a member reads it, in their language and the shop's time zone. */
export function messageDate(iso: string, locale: ShopperLocale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(new Date(iso));
}

const memberRow = prepare((q, p: { shop: string; id: number }) =>
  q
    .selectFrom("members")
    .innerJoin("shops", "shops.domain", "members.shop")
    .select([
      "members.id",
      "members.email",
      "members.first_name",
      "members.balance",
      "members.locale",
      "members.marketing_state",
      "members.unsubscribed_at",
      "members.redacted_at",
      "shops.account_messages_follow_consent",
      "shops.time_zone",
    ])
    .where("members.shop", "=", p.shop)
    .where("members.id", "=", p.id),
);

type MemberRow = NonNullable<Awaited<ReturnType<typeof memberRow.first>>>;

/** The values every message offers, from the member and the shop, before the occasion's own. */
function baseValues(shop: string, member: MemberRow | null): MessageValues {
  return {
    first_name: member?.first_name ?? null,
    balance: member?.balance ?? 0,
    shop_name: shopDisplayName(shop),
    shop_url: `https://${shop}`,
  };
}

export interface MessageInput {
  /** The occasion's values: points, reward, tier... (the member's name and balance and the shop's are filled in). */
  values?: MessageValues;
  /** Values that depend on the member's language (a tier's name). */
  localized?: (locale: ShopperLocale) => MessageValues;
  /** ISO instants shown as dates in the member's language and the shop's zone. */
  dates?: { expiry_date?: string };
}

function occasionValues(input: MessageInput, locale: ShopperLocale, timeZone: string): MessageValues {
  const values: MessageValues = { ...input.values, ...input.localized?.(locale) };
  if (input.dates?.expiry_date) values.expiry_date = messageDate(input.dates.expiry_date, locale, timeZone);
  return values;
}

/**
 * Queues a member's message for an occasion, in the caller's transaction: refused when the kind
 * is off, the member may not receive it, or the occasion already has its message.
 */
export async function sendMemberMessage(
  db: Db,
  shop: string,
  memberId: number,
  occasion: MessageOccasion,
  input: MessageInput = {},
  now: Date = new Date(),
): Promise<MessageResult> {
  const setting = await readMessageSetting(db, shop, occasion.kind);
  if (!setting.enabled) return refused("off");
  const member = await memberRow.first(db, { shop, id: memberId });
  if (!member || member.redacted_at !== null) return refused("no_member");
  const allowed = mayReceive(
    occasion.kind,
    { email: member.email, marketingState: member.marketing_state as MarketingState, unsubscribedAt: member.unsubscribed_at },
    { accountMessagesFollowConsent: Boolean(member.account_messages_follow_consent) },
  );
  if (!allowed.ok) return refused(allowed.reason);
  const locale = messageLocale(member.locale);
  const template = await messageTemplate(db, shop, occasion.kind, locale);
  const values = { ...baseValues(shop, member), ...occasionValues(input, locale, member.time_zone) };
  const email = renderEmail(template, values, { locale, unsubscribeUrl: memberUnsubscribeUrl(shop, memberId) });
  const key = occasionKey(memberId, occasion);
  const { queued } = await queueMessage(db, { shop, memberId, kind: occasion.kind, occasionKey: key, toEmail: member.email!, locale, ...email }, now);
  return queued ? ok({ occasionKey: key }) : refused("already_sent");
}

/** The example values a preview fills in for an occasion without a member's own (points, reward, ...). */
export const PREVIEW_VALUES: MessageValues = { points: 250, reward: "$5 off your next order", tier: "Gold" };

/** A kind's message as a member would get it now, for the editor's preview: the template given (unsaved) or the saved one. */
export async function previewMessage(
  db: Db,
  shop: string,
  kind: MessageKind,
  locale: ShopperLocale,
  { memberId, template, now = new Date() }: { memberId?: number | null; template?: MessageTemplateText; now?: Date },
): Promise<RenderedEmail> {
  const member = memberId ? ((await memberRow.first(db, { shop, id: memberId })) ?? null) : null;
  const chosen = template ?? (await messageTemplate(db, shop, kind, locale));
  const expiry = new Date(now.getTime() + 7 * 86_400_000).toISOString();
  const values = { ...baseValues(shop, member), ...PREVIEW_VALUES, expiry_date: messageDate(expiry, locale, member?.time_zone ?? "UTC") };
  if (!member) values.first_name = "Dana";
  return renderEmail(chosen, values, { locale, unsubscribeUrl: memberUnsubscribeUrl(shop, member?.id ?? 0) });
}

/**
 * "Send a test to me": the preview queued to the staff's own address, whatever consent says, under
 * an occasion of its own each time (two clicks are two tests).
 */
export async function sendTestMessage(
  db: Db,
  shop: string,
  kind: MessageKind,
  locale: ShopperLocale,
  { toEmail, memberId, template, now = new Date() }: { toEmail: string; memberId?: number | null; template?: MessageTemplateText; now?: Date },
): Promise<{ occasionKey: string }> {
  const email = await previewMessage(db, shop, kind, locale, { memberId, template, now });
  const key = `test:${kind}:${randomUUID()}`;
  await queueMessage(db, { shop, memberId: memberId ?? 0, kind, occasionKey: key, toEmail, locale, ...email, subject: `[Test] ${email.subject}` }, now);
  return { occasionKey: key };
}

/**
 * For the expiry job: the reminder its rules say is due (dueExpiryReminder), with the points that
 * expire and when, in the job's transaction.
 */
export function sendExpiryReminder(
  db: Db,
  shop: string,
  memberId: number,
  occasion: Extract<MessageOccasion, { kind: "points_expiring" | "last_chance" }>,
  points: number,
  now: Date = new Date(),
): Promise<MessageResult> {
  return sendMemberMessage(db, shop, memberId, occasion, { values: { points }, dates: { expiry_date: occasion.expiresAt } }, now);
}

/** The hook for referrals (no referral program yet): a referral's event for the member who referred, with its points. */
export function sendReferralMessage(
  db: Db,
  shop: string,
  memberId: number,
  referral: { referralId: number; event: string; points: number },
  now: Date = new Date(),
): Promise<MessageResult> {
  return sendMemberMessage(
    db,
    shop,
    memberId,
    { kind: "referral", referralId: referral.referralId, event: referral.event },
    { values: { points: referral.points } },
    now,
  );
}
