import type { ShopperLocale } from "../domain/earning-rule-form";
import { renderHtml, renderText, type MessageValues } from "../domain/message-templates";
import { LAYOUT_TEXT, type MessageTemplateText } from "./default-templates";

// Every member message in one layout: the rendered body in a card with inline CSS only (mail
// clients drop <style> blocks), right to left for Hebrew and Arabic, the shop's name at the top,
// a button to the shop, and the reason for the mail with the unsubscribe link at the foot; and a
// plain-text part with the same words and links.

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const RTL: ReadonlySet<ShopperLocale> = new Set(["he", "ar"]);

export const isRightToLeft = (locale: ShopperLocale) => RTL.has(locale);

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const safeUrl = (url: string) => (/^https?:\/\//i.test(url) ? url : "");

/** A rendered HTML body (blank lines between paragraphs) as paragraphs with their own style. */
function paragraphs(htmlBody: string, align: string): string {
  return htmlBody
    .replace(/\r\n/g, "\n")
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== "")
    .map((block) => `<p style="margin:0 0 16px;font-size:16px;line-height:1.6;color:#202223;text-align:${align};">${block.replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}

function plainText(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * A message as it goes out: the template rendered with the member's values (escaped in the HTML
 * part), in the layout of its language.
 */
export function renderEmail(
  template: MessageTemplateText,
  values: MessageValues,
  { locale, unsubscribeUrl }: { locale: ShopperLocale; unsubscribeUrl: string | null },
): RenderedEmail {
  const rtl = isRightToLeft(locale);
  const dir = rtl ? "rtl" : "ltr";
  const align = rtl ? "right" : "left";
  const words = LAYOUT_TEXT[locale];
  const shopName = String(values.shop_name ?? "");
  const shopUrl = safeUrl(String(values.shop_url ?? ""));
  const subject = renderText(template.subject, values).replace(/\s+/g, " ").trim();
  const bodyHtml = paragraphs(renderHtml(template.body, values), align);
  const bodyText = plainText(renderText(template.body, values));

  const button = shopUrl
    ? `<p style="margin:24px 0 8px;text-align:${align};"><a href="${escapeHtml(shopUrl)}" style="display:inline-block;padding:12px 24px;background-color:#008060;color:#ffffff;font-size:16px;font-weight:600;text-decoration:none;border-radius:6px;">${escapeHtml(words.visit(shopName))}</a></p>`
    : "";
  const unsubscribe = unsubscribeUrl
    ? ` <a href="${escapeHtml(unsubscribeUrl)}" style="color:#616161;text-decoration:underline;">${escapeHtml(words.unsubscribe)}</a>`
    : "";
  const html = `<!DOCTYPE html>
<html lang="${locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body dir="${dir}" style="margin:0;padding:0;background-color:#f1f1f1;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;background-color:#f1f1f1;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" dir="${dir}" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:560px;background-color:#ffffff;border-radius:8px;">
<tr><td style="padding:24px 28px 8px;text-align:${align};font-size:20px;font-weight:700;color:#202223;word-break:break-word;">${escapeHtml(shopName)}</td></tr>
<tr><td style="padding:8px 28px 24px;text-align:${align};word-break:break-word;">
${bodyHtml}
${button}
</td></tr>
</table>
<table role="presentation" dir="${dir}" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:560px;">
<tr><td style="padding:16px 28px;text-align:${align};font-size:12px;line-height:1.5;color:#616161;word-break:break-word;">${escapeHtml(words.why(shopName))}${unsubscribe}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  const text = [
    bodyText,
    shopUrl ? `${words.visit(shopName)}: ${shopUrl}` : "",
    "--",
    words.why(shopName),
    unsubscribeUrl ? `${words.unsubscribe}: ${unsubscribeUrl}` : "",
  ]
    .filter((line) => line !== "")
    .join("\n\n");
  return { subject, html, text: `${text}\n` };
}
