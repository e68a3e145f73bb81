import { fromMinorUnits } from "../domain/money";
import { readReferralCode } from "../domain/referrals";
import { readReferralOffer, recordReferralClick, referralHash, type ReferralClaimRefusal, type ReferralOffer } from "../models/referrals.server";
import type { ShopperAnswer } from "./refusals";
import type { ShopperDeps } from "./handlers.server";

// The friend's landing page, `/apps/loyalty/r/<code>` on the shop's domain: a plain HTML page (the
// app proxy passes it through as it is) with the referrer's offer, an email field that claims it
// (POST /apps/loyalty/referrals/claim), then the friend's code and a button that puts it on the
// cart. On open it remembers the code (cookie and localStorage `loyalty_referral`, for the program's
// cookie days) and sets the cart attribute `loyalty_referral`, so the order carries the referral.

export const LANDING_LOCALES = ["en", "he", "ar", "da", "ro"] as const;
export type LandingLocale = (typeof LANDING_LOCALES)[number];
const RTL: readonly LandingLocale[] = ["he", "ar"];

interface LandingText {
  title: string;
  gave: string;
  gaveAnonymous: string;
  amountOff: string;
  percentOff: string;
  freeShipping: string;
  intro: string;
  email: string;
  claim: string;
  claiming: string;
  yourCode: string;
  useBy: string;
  apply: string;
  shop: string;
  /** Every reason the claim (and the page) can be refused for, and `failed` for anything else. */
  errors: Record<LandingErrorReason, string>;
}

/** The claim's refusals, the request's own (unreadable), and `failed`: anything else, or no answer. */
export type LandingErrorReason = ReferralClaimRefusal["reason"] | "bad_request" | "failed";

/** The landing's words in each language; `{name}`, `{offer}`, `{amount}`, `{percent}`, `{date}` are filled in. */
export const LANDING_TEXT: Record<LandingLocale, LandingText> = {
  en: {
    title: "A gift from a friend",
    gave: "{name} gave you {offer}",
    gaveAnonymous: "A friend gave you {offer}",
    amountOff: "{amount} off",
    percentOff: "{percent}% off",
    freeShipping: "free shipping",
    intro: "Enter your email to get your code for your first order.",
    email: "Email",
    claim: "Get my code",
    claiming: "Getting your code…",
    yourCode: "Your code",
    useBy: "Use it by {date}.",
    apply: "Apply to cart",
    shop: "Visit the shop",
    errors: {
      unknown_code: "This referral link is not valid.",
      program_off: "Referrals are paused at this shop just now.",
      invalid_email: "Enter a valid email address.",
      already_customer: "This offer is for new customers, and this email has already ordered here.",
      self_referral: "You can't use your own referral link.",
      already_claimed: "This email has already claimed a referral offer.",
      too_many_claims: "Too many offers were claimed from here. Please try again later.",
      offer_expired: "This referral offer has expired.",
      shopify_unavailable: "The shop could not make your code just now. Please try again.",
      bad_request: "Something in the request was not right. Please try again.",
      failed: "Something went wrong. Please try again.",
    },
  },
  he: {
    title: "מתנה מחבר",
    gave: "{name} נתן/ה לך {offer}",
    gaveAnonymous: "חבר נתן לך {offer}",
    amountOff: "הנחה של {amount}",
    percentOff: "הנחה של {percent}%",
    freeShipping: "משלוח חינם",
    intro: "הזינו את כתובת האימייל כדי לקבל קוד להזמנה הראשונה.",
    email: "אימייל",
    claim: "קבלת הקוד שלי",
    claiming: "מקבלים את הקוד…",
    yourCode: "הקוד שלך",
    useBy: "אפשר להשתמש בו עד {date}.",
    apply: "החלה על העגלה",
    shop: "לחנות",
    errors: {
      unknown_code: "קישור ההפניה הזה אינו תקף.",
      program_off: "ההפניות בחנות מושהות כרגע.",
      invalid_email: "הזינו כתובת אימייל תקינה.",
      already_customer: "ההטבה מיועדת ללקוחות חדשים, וכבר בוצעה כאן הזמנה עם האימייל הזה.",
      self_referral: "אי אפשר להשתמש בקישור ההפניה שלך.",
      already_claimed: "האימייל הזה כבר קיבל הטבת הפניה.",
      too_many_claims: "נתבעו מכאן יותר מדי הטבות. נסו שוב מאוחר יותר.",
      offer_expired: "תוקף הטבת ההפניה הזו פג.",
      shopify_unavailable: "החנות לא הצליחה ליצור את הקוד שלך כרגע. נסו שוב.",
      bad_request: "משהו בבקשה לא היה תקין. נסו שוב.",
      failed: "משהו השתבש. נסו שוב.",
    },
  },
  ar: {
    title: "هدية من صديق",
    gave: "أهداك {name} {offer}",
    gaveAnonymous: "أهداك صديق {offer}",
    amountOff: "خصم {amount}",
    percentOff: "خصم {percent}%",
    freeShipping: "شحن مجاني",
    intro: "أدخل بريدك الإلكتروني للحصول على رمز لطلبك الأول.",
    email: "البريد الإلكتروني",
    claim: "احصل على رمزي",
    claiming: "جارٍ الحصول على رمزك…",
    yourCode: "رمزك",
    useBy: "استخدمه قبل {date}.",
    apply: "تطبيق على السلة",
    shop: "زيارة المتجر",
    errors: {
      unknown_code: "رابط الإحالة هذا غير صالح.",
      program_off: "الإحالات متوقفة في هذا المتجر حاليًا.",
      invalid_email: "أدخل بريدًا إلكترونيًا صالحًا.",
      already_customer: "هذا العرض للعملاء الجدد، وقد سبق الطلب بهذا البريد هنا.",
      self_referral: "لا يمكنك استخدام رابط الإحالة الخاص بك.",
      already_claimed: "سبق أن حصل هذا البريد على عرض إحالة.",
      too_many_claims: "تمت المطالبة بعروض كثيرة من هنا. حاول لاحقًا.",
      offer_expired: "انتهت صلاحية عرض الإحالة هذا.",
      shopify_unavailable: "تعذّر على المتجر إنشاء رمزك الآن. حاول مرة أخرى.",
      bad_request: "حدث خطأ في الطلب. حاول مرة أخرى.",
      failed: "حدث خطأ ما. حاول مرة أخرى.",
    },
  },
  da: {
    title: "En gave fra en ven",
    gave: "{name} har givet dig {offer}",
    gaveAnonymous: "En ven har givet dig {offer}",
    amountOff: "{amount} i rabat",
    percentOff: "{percent}% i rabat",
    freeShipping: "gratis fragt",
    intro: "Skriv din e-mail for at få din kode til din første ordre.",
    email: "E-mail",
    claim: "Få min kode",
    claiming: "Henter din kode…",
    yourCode: "Din kode",
    useBy: "Brug den senest {date}.",
    apply: "Brug i kurven",
    shop: "Gå til butikken",
    errors: {
      unknown_code: "Dette henvisningslink er ikke gyldigt.",
      program_off: "Henvisninger er sat på pause i butikken lige nu.",
      invalid_email: "Skriv en gyldig e-mailadresse.",
      already_customer: "Tilbuddet er til nye kunder, og denne e-mail har allerede bestilt her.",
      self_referral: "Du kan ikke bruge dit eget henvisningslink.",
      already_claimed: "Denne e-mail har allerede fået et henvisningstilbud.",
      too_many_claims: "Der er hentet for mange tilbud herfra. Prøv igen senere.",
      offer_expired: "Dette henvisningstilbud er udløbet.",
      shopify_unavailable: "Butikken kunne ikke lave din kode lige nu. Prøv igen.",
      bad_request: "Der var noget galt med forespørgslen. Prøv igen.",
      failed: "Noget gik galt. Prøv igen.",
    },
  },
  ro: {
    title: "Un cadou de la un prieten",
    gave: "{name} ți-a oferit {offer}",
    gaveAnonymous: "Un prieten ți-a oferit {offer}",
    amountOff: "o reducere de {amount}",
    percentOff: "o reducere de {percent}%",
    freeShipping: "transport gratuit",
    intro: "Introdu adresa de e-mail ca să primești codul pentru prima comandă.",
    email: "E-mail",
    claim: "Primește codul",
    claiming: "Se obține codul…",
    yourCode: "Codul tău",
    useBy: "Folosește-l până la {date}.",
    apply: "Aplică în coș",
    shop: "Mergi la magazin",
    errors: {
      unknown_code: "Acest link de recomandare nu este valid.",
      program_off: "Recomandările sunt suspendate momentan în acest magazin.",
      invalid_email: "Introdu o adresă de e-mail validă.",
      already_customer: "Oferta este pentru clienți noi, iar cu acest e-mail s-a comandat deja aici.",
      self_referral: "Nu îți poți folosi propriul link de recomandare.",
      already_claimed: "Acest e-mail a primit deja o ofertă de recomandare.",
      too_many_claims: "Prea multe oferte au fost cerute de aici. Încearcă mai târziu.",
      offer_expired: "Această ofertă de recomandare a expirat.",
      shopify_unavailable: "Magazinul nu ți-a putut crea codul acum. Încearcă din nou.",
      bad_request: "Ceva din cerere nu a fost în regulă. Încearcă din nou.",
      failed: "Ceva nu a mers. Încearcă din nou.",
    },
  },
};

/** The shopper's language: `?locale=` (the theme's link), else the first of Accept-Language we speak, else English. */
export function landingLocale(query: string | null, acceptLanguage: string | undefined): LandingLocale {
  const wanted = [query ?? "", ...(acceptLanguage ?? "").split(",").map((part) => part.split(";")[0])];
  for (const tag of wanted) {
    const language = tag.trim().toLowerCase().split("-")[0];
    if ((LANDING_LOCALES as readonly string[]).includes(language)) return language as LandingLocale;
  }
  return "en";
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The friend's offer in words: "$10.00 off", "15% off", "free shipping" in the shopper's language. */
export function offerInWords(offer: ReferralOffer, locale: LandingLocale): string {
  const text = LANDING_TEXT[locale];
  if (offer.kind === "free_shipping") return text.freeShipping;
  if (offer.kind === "percentage") return fill(text.percentOff, { percent: new Intl.NumberFormat(locale).format(offer.percentOff) });
  const amount = new Intl.NumberFormat(locale, { style: "currency", currency: offer.currency }).format(
    Number(fromMinorUnits(offer.valueMinor, offer.currency)),
  );
  return fill(text.amountOff, { amount });
}

const html = (status: number, body: string): ShopperAnswer => ({
  status,
  body,
  headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-store" },
});

/** The landing page for a signed app proxy request (guest or signed in) of `shop`. */
export async function referralLanding(
  request: { url: URL; header(name: string): string | undefined },
  deps: ShopperDeps & { secrets: readonly string[] },
  shop: string,
  rawCode: string,
): Promise<ShopperAnswer> {
  const locale = landingLocale(request.url.searchParams.get("locale"), request.header("accept-language"));
  const text = LANDING_TEXT[locale];
  let decoded: string | null = null;
  try {
    decoded = decodeURIComponent(rawCode);
  } catch {
    // a malformed escape is no code of ours
  }
  const code = readReferralCode(decoded);
  const pathPrefix = request.url.searchParams.get("path_prefix") || "/apps/loyalty";
  const refusedPage = (reason: "unknown_code" | "program_off") =>
    html(404, page(locale, text.title, `<p role="alert" data-referral-error="${reason}">${escapeHtml(text.errors[reason])}</p>`));
  if (!code) return refusedPage("unknown_code");
  const found = await readReferralOffer(deps.db, shop, code);
  if (!found.ok) return refusedPage(found.reason);
  // The same HMAC of the address as the claim's (the proxy passes the shopper's address first).
  const ipHash = referralHash(deps.secrets[0] ?? "", request.header("x-forwarded-for")?.split(",")[0]);
  await recordReferralClick(deps.db, shop, code, ipHash, deps.now?.() ?? new Date());
  const name = found.referrerFirstName?.trim();
  const offer = offerInWords(found.offer, locale);
  const heading = name ? fill(text.gave, { name, offer }) : fill(text.gaveAnonymous, { offer });
  const settings = { code, cookieDays: found.cookieDays, pathPrefix, locale, text: { claiming: text.claiming, useBy: text.useBy, errors: text.errors } };
  const main = `<h1 data-referral-offer>${escapeHtml(heading)}</h1>
<p>${escapeHtml(text.intro)}</p>
<form id="lr-form" novalidate>
<label for="lr-email">${escapeHtml(text.email)}</label>
<input id="lr-email" name="email" type="email" autocomplete="email" required>
<button type="submit">${escapeHtml(text.claim)}</button>
</form>
<p id="lr-status" role="status" aria-live="polite"></p>
<div id="lr-done" hidden>
<p>${escapeHtml(text.yourCode)}: <strong id="lr-code" data-referral-discount-code></strong></p>
<p id="lr-until"></p>
<p><a id="lr-apply" class="lr-button" href="#">${escapeHtml(text.apply)}</a></p>
</div>
<p><a id="lr-shop" href="#">${escapeHtml(text.shop)}</a></p>
<script type="application/json" id="lr-settings">${JSON.stringify(settings).replace(/</g, "\\u003c")}</script>
<script>${LANDING_SCRIPT}</script>`;
  return html(200, page(locale, text.title, main));
}

function page(locale: LandingLocale, title: string, main: string) {
  const dir = RTL.includes(locale) ? "rtl" : "ltr";
  return `<!doctype html>
<html lang="${locale}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}label{display:block;font-weight:600;margin-block-end:.25rem}input{font:inherit;padding:.5rem;inline-size:100%;box-sizing:border-box;margin-block-end:.75rem}button,.lr-button{font:inherit;padding:.6rem 1.2rem;background:#1a1a1a;color:#fff;border:0;border-radius:.4rem;text-decoration:none;display:inline-block;cursor:pointer}#lr-code{font-size:1.4rem;letter-spacing:.05em}[role=alert],.lr-error{color:#b00020}</style>
</head>
<body><main>${main}</main></body>
</html>`;
}

// The page's script: remember the code, set the cart attribute, claim, show the code.
const LANDING_SCRIPT = `(function(){var d=document,S=JSON.parse(d.getElementById("lr-settings").textContent),T=S.text,p=location.pathname,i=p.indexOf(S.pathPrefix+"/r/"),root=(i>0?p.slice(0,i):"")+"/",st=d.getElementById("lr-status");
d.getElementById("lr-shop").href=root;
var until=Date.now()+S.cookieDays*864e5;try{localStorage.setItem("loyalty_referral",JSON.stringify({code:S.code,until:until}))}catch(e){}
d.cookie="loyalty_referral="+encodeURIComponent(S.code)+"; Path=/; Max-Age="+S.cookieDays*86400+"; SameSite=Lax";
fetch(root+"cart/update.js",{method:"POST",headers:{"Content-Type":"application/json"},body:JSON.stringify({attributes:{loyalty_referral:S.code}})}).catch(function(){});
function dev(){try{var v=localStorage.getItem("loyalty_device");if(!v){v=Math.random().toString(36).slice(2)+Date.now().toString(36);localStorage.setItem("loyalty_device",v)}return v}catch(e){return undefined}}
d.getElementById("lr-form").addEventListener("submit",function(ev){ev.preventDefault();var f=ev.target,b=f.querySelector("button");b.disabled=true;st.className="";st.textContent=T.claiming;
fetch(root+S.pathPrefix.slice(1)+"/referrals/claim",{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/json"},body:JSON.stringify({code:S.code,email:f.email.value,device:dev()})})
.then(function(r){return r.json().then(function(j){return{ok:r.ok,j:j}})}).then(function(a){b.disabled=false;if(!a.ok){var k=String(a.j.messageKey||"").split(".").pop();st.className="lr-error";st.setAttribute("data-referral-error",k);st.textContent=T.errors[k]||a.j.message||T.errors.failed;return}
f.hidden=true;st.textContent="";d.getElementById("lr-code").textContent=a.j.discountCode;
if(a.j.expiresAt)d.getElementById("lr-until").textContent=T.useBy.replace("{date}",new Date(a.j.expiresAt).toLocaleDateString(S.locale));
d.getElementById("lr-apply").href=root+"discount/"+encodeURIComponent(a.j.discountCode)+"?redirect="+encodeURIComponent(root+"cart");d.getElementById("lr-done").hidden=false;d.getElementById("lr-apply").focus()})
.catch(function(){b.disabled=false;st.className="lr-error";st.textContent=T.errors.failed})})})();`;
