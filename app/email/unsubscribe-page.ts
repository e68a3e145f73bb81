// The unsubscribe pages a member sees from a message's link, in their language: the question
// with its button, the confirmation, and the refusal of a link that is not valid. he and ar read
// right to left.

export const UNSUBSCRIBE_LANGUAGES = ["en", "he", "ar", "da", "ro"] as const;
export type UnsubscribeLanguage = (typeof UNSUBSCRIBE_LANGUAGES)[number];

const RIGHT_TO_LEFT: ReadonlySet<UnsubscribeLanguage> = new Set(["he", "ar"]);

interface PageTexts {
  title: string;
  question: string;
  explanation: string;
  button: string;
  doneTitle: string;
  done: string;
  invalidTitle: string;
  invalid: string;
}

/** {shop} is the shop's name. */
export const UNSUBSCRIBE_TEXTS: Record<UnsubscribeLanguage, PageTexts> = {
  en: {
    title: "Unsubscribe from reward emails",
    question: "Stop getting reward emails from {shop}?",
    explanation: "You will no longer get emails about your points and rewards from {shop}. Your points stay yours.",
    button: "Unsubscribe",
    doneTitle: "You're unsubscribed",
    done: "You won't get reward emails from {shop} any more. Your points are still yours.",
    invalidTitle: "This link is not valid",
    invalid: "This unsubscribe link is not valid. Nothing was changed; use the link in your latest email.",
  },
  he: {
    title: "ביטול הרשמה לאימיילים על תגמולים",
    question: "להפסיק לקבל אימיילים על תגמולים מ-{shop}?",
    explanation: "לא תקבלו יותר אימיילים על הנקודות והתגמולים שלכם מ-{shop}. הנקודות נשארות שלכם.",
    button: "ביטול הרשמה",
    doneTitle: "ההרשמה בוטלה",
    done: "לא תקבלו יותר אימיילים על תגמולים מ-{shop}. הנקודות שלכם עדיין שמורות לכם.",
    invalidTitle: "הקישור אינו תקף",
    invalid: "קישור ביטול ההרשמה הזה אינו תקף. לא שונה דבר; השתמשו בקישור שבאימייל האחרון שקיבלתם.",
  },
  ar: {
    title: "إلغاء الاشتراك في رسائل المكافآت",
    question: "هل تريد التوقف عن تلقي رسائل المكافآت من {shop}؟",
    explanation: "لن تصلك بعد الآن رسائل عن نقاطك ومكافآتك من {shop}. نقاطك تبقى لك.",
    button: "إلغاء الاشتراك",
    doneTitle: "تم إلغاء اشتراكك",
    done: "لن تصلك رسائل المكافآت من {shop} بعد الآن. نقاطك ما زالت لك.",
    invalidTitle: "هذا الرابط غير صالح",
    invalid: "رابط إلغاء الاشتراك هذا غير صالح. لم يتغير شيء؛ استخدم الرابط الموجود في أحدث رسالة وصلتك.",
  },
  da: {
    title: "Afmeld e-mails om belønninger",
    question: "Vil du ikke længere få e-mails om belønninger fra {shop}?",
    explanation: "Du får ikke længere e-mails om dine point og belønninger fra {shop}. Dine point er stadig dine.",
    button: "Afmeld",
    doneTitle: "Du er afmeldt",
    done: "Du får ikke flere e-mails om belønninger fra {shop}. Dine point er stadig dine.",
    invalidTitle: "Linket er ikke gyldigt",
    invalid: "Dette afmeldingslink er ikke gyldigt. Intet er ændret; brug linket i din seneste e-mail.",
  },
  ro: {
    title: "Dezabonare de la e-mailurile despre recompense",
    question: "Nu mai vrei să primești e-mailuri despre recompense de la {shop}?",
    explanation: "Nu vei mai primi e-mailuri despre punctele și recompensele tale de la {shop}. Punctele rămân ale tale.",
    button: "Dezabonează-mă",
    doneTitle: "Te-ai dezabonat",
    done: "Nu vei mai primi e-mailuri despre recompense de la {shop}. Punctele tale sunt în continuare ale tale.",
    invalidTitle: "Linkul nu este valid",
    invalid: "Acest link de dezabonare nu este valid. Nu s-a schimbat nimic; folosește linkul din cel mai recent e-mail.",
  },
};

/** The first of the member's locale ("he", "pt-BR") and the browser's Accept-Language we have, else English. */
export function unsubscribeLanguage(...candidates: (string | null | undefined)[]): UnsubscribeLanguage {
  for (const candidate of candidates) {
    for (const part of (candidate ?? "").split(",")) {
      const primary = part.split(";")[0]!.trim().split("-")[0]!.toLowerCase();
      if ((UNSUBSCRIBE_LANGUAGES as readonly string[]).includes(primary)) return primary as UnsubscribeLanguage;
    }
  }
  return "en";
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export type UnsubscribePageKind = "question" | "done" | "invalid";

/** The whole HTML page; `formAction` (the signed link itself) is where the question's button posts. */
export function unsubscribePage(kind: UnsubscribePageKind, language: UnsubscribeLanguage, shopName: string, formAction = ""): string {
  const texts = UNSUBSCRIBE_TEXTS[language];
  // <bdi>: a shop name in Latin letters inside Hebrew or Arabic text keeps its own direction.
  const fill = (text: string) => escapeHtml(text).replaceAll("{shop}", `<bdi>${escapeHtml(shopName)}</bdi>`);
  const plain = (text: string) => escapeHtml(text.replaceAll("{shop}", shopName));
  const [title, body] =
    kind === "question"
      ? [
          texts.title,
          `<h1>${fill(texts.question)}</h1><p>${fill(texts.explanation)}</p>
<form method="post" action="${escapeHtml(formAction)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${fill(texts.button)}</button></form>`,
        ]
      : kind === "done"
        ? [texts.doneTitle, `<h1>${fill(texts.doneTitle)}</h1><p>${fill(texts.done)}</p>`]
        : [texts.invalidTitle, `<h1>${fill(texts.invalidTitle)}</h1><p>${fill(texts.invalid)}</p>`];
  return `<!doctype html>
<html lang="${language}" dir="${RIGHT_TO_LEFT.has(language) ? "rtl" : "ltr"}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${plain(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}h1{font-size:1.4rem}button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#1a1a1a;color:#fff;cursor:pointer}</style>
</head>
<body><main>${body}</main></body>
</html>
`;
}
