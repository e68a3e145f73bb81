import { describe, expect, it } from "vitest";
import { SHOPPER_LOCALES } from "../app/domain/earning-rule-form";
import { MESSAGE_KINDS, readUnsubscribeToken } from "../app/domain/member-messages";
import { checkTemplate, MESSAGE_VARIABLES } from "../app/domain/message-templates";
import { defaultTemplate } from "../app/email/default-templates";
import { renderEmail } from "../app/email/layout";
import { unsubscribeUrl } from "../app/email/unsubscribe-link.server";

// The app's own messages: every kind in every shopper language passes the same check a merchant's
// template must pass, and renders in the layout (direction, language, escaping, both parts, the
// unsubscribe link).

const every = MESSAGE_KINDS.flatMap((kind) => SHOPPER_LOCALES.map((locale) => [kind, locale] as const));

describe("default templates", () => {
  it.each(every)("%s in %s passes checkTemplate, subject and body", (kind, locale) => {
    const template = defaultTemplate(kind, locale);
    expect(checkTemplate("subject", template.subject)).toMatchObject({ ok: true });
    expect(checkTemplate("body", template.body)).toMatchObject({ ok: true });
  });

  it.each(every)("%s in %s is not the English text (but for English)", (kind, locale) => {
    if (locale === "en") return;
    expect(defaultTemplate(kind, locale).body).not.toBe(defaultTemplate(kind, "en").body);
    expect(defaultTemplate(kind, locale).subject).not.toBe(defaultTemplate(kind, "en").subject);
  });
});

describe("the email layout", () => {
  const values = { ...MESSAGE_VARIABLES };
  const link = unsubscribeUrl("demo.myshopify.com", 7, { appUrl: "https://app.example", apiSecrets: ["secret"] });

  it.each([
    ["en", "ltr"],
    ["da", "ltr"],
    ["ro", "ltr"],
    ["he", "rtl"],
    ["ar", "rtl"],
  ] as const)("%s reads %s, with its lang", (locale, dir) => {
    const email = renderEmail(defaultTemplate("welcome", locale), values, { locale, unsubscribeUrl: link });
    expect(email.html).toContain(`<html lang="${locale}" dir="${dir}">`);
    expect(email.html).toContain(`<body dir="${dir}"`);
  });

  it("uses inline styles only, names the shop and links to unsubscribe in both parts", () => {
    const email = renderEmail(defaultTemplate("points_earned", "en"), values, { locale: "en", unsubscribeUrl: link });
    expect(email.subject).toBe("You earned 250 points yesterday");
    expect(email.html).not.toMatch(/<style/i);
    expect(email.html).toContain("Demo Tea Shop");
    expect(email.html).toContain(`href="${link.replace(/&/g, "&amp;")}"`);
    expect(email.html).toContain('<p style="');
    expect(email.text).toContain("Yesterday you earned 250 points at Demo Tea Shop. Your balance is now 1200 points.");
    expect(email.text).toContain(`Unsubscribe: ${link}`);
    expect(email.text).not.toMatch(/<[a-z]/i);
  });

  it("escapes a member's values in the HTML part, not in the text part", () => {
    const email = renderEmail(defaultTemplate("welcome", "en"), { ...values, first_name: "<b>Eve</b>" }, { locale: "en", unsubscribeUrl: null });
    expect(email.html).toContain("Hi &lt;b&gt;Eve&lt;/b&gt;,");
    expect(email.text).toContain("Hi Eve,");
    expect(email.html).not.toContain("Unsubscribe");
  });

  it("greets without a name when the member has none, and leaves out sign-up points of 0", () => {
    const email = renderEmail(defaultTemplate("welcome", "en"), { ...values, first_name: null, points: 0 }, { locale: "en", unsubscribeUrl: null });
    expect(email.text.startsWith("Hi,\n\nThanks for joining Demo Tea Shop Rewards.\n\n")).toBe(true);
  });

  it("the unsubscribe link carries a token the app reads back", () => {
    const url = new URL(link);
    expect(url.pathname).toBe("/messages/unsubscribe");
    expect(readUnsubscribeToken("secret", url.searchParams.get("token")!)).toEqual({ ok: true, shop: "demo.myshopify.com", memberId: 7 });
  });
});
