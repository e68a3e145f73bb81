import type { MessageKind } from "../domain/member-messages";
import type { ShopperLocale } from "../domain/earning-rule-form";

// The app's own subject and body for every message kind in every shopper language (Liquid, with
// the variables of app/domain/message-templates.ts only). A merchant's saved template for a kind
// and language replaces its default; the editor starts from these. Blank lines separate paragraphs.

export interface MessageTemplateText {
  subject: string;
  body: string;
}

const IF_NAME = '{% if first_name != "" %}';

const GREETING: Record<ShopperLocale, string> = {
  en: `Hi${IF_NAME} {{ first_name }}{% endif %},`,
  he: `שלום${IF_NAME} {{ first_name }}{% endif %},`,
  ar: `مرحبًا${IF_NAME} {{ first_name }}{% endif %}،`,
  da: `Hej${IF_NAME} {{ first_name }}{% endif %},`,
  ro: `Bună${IF_NAME}, {{ first_name }}{% endif %},`,
};

type Texts = Record<ShopperLocale, { subject: string; body: string; greeting?: false }>;

const TEXTS: Record<MessageKind, Texts> = {
  welcome: {
    en: {
      subject: "Welcome to {{ shop_name }} Rewards",
      body: "Thanks for joining {{ shop_name }} Rewards.{% if points > 0 %} We've added {{ points }} points to your account to get you started.{% endif %}\n\nYou earn points every time you shop, and you can spend them on rewards. Your balance is {{ balance }} points.",
    },
    he: {
      subject: "ברוכים הבאים למועדון ההטבות של {{ shop_name }}",
      body: "תודה שהצטרפת למועדון ההטבות של {{ shop_name }}.{% if points > 0 %} הוספנו לחשבון שלך {{ points }} נקודות לפתיחה.{% endif %}\n\nבכל קנייה צוברים נקודות, ואפשר לממש אותן בהטבות. היתרה שלך: {{ balance }} נקודות.",
    },
    ar: {
      subject: "مرحبًا بك في برنامج مكافآت {{ shop_name }}",
      body: "شكرًا لانضمامك إلى برنامج مكافآت {{ shop_name }}.{% if points > 0 %} أضفنا {{ points }} نقطة إلى حسابك لتبدأ بها.{% endif %}\n\nتكسب نقاطًا مع كل عملية شراء، ويمكنك استبدالها بمكافآت. رصيدك الحالي {{ balance }} نقطة.",
    },
    da: {
      subject: "Velkommen til bonusprogrammet hos {{ shop_name }}",
      body: "Tak fordi du er blevet medlem af bonusprogrammet hos {{ shop_name }}.{% if points > 0 %} Vi har givet dig {{ points }} point som en god start.{% endif %}\n\nDu optjener point, hver gang du handler, og kan bruge dem på belønninger. Din saldo er {{ balance }} point.",
    },
    ro: {
      subject: "Bine ai venit în programul de fidelitate {{ shop_name }}",
      body: "Îți mulțumim că te-ai alăturat programului de fidelitate {{ shop_name }}.{% if points > 0 %} Ți-am adăugat în cont {{ points }} puncte, ca să pornești cu dreptul.{% endif %}\n\nPrimești puncte la fiecare cumpărătură și le poți folosi pentru recompense. Soldul tău: {{ balance }} puncte.",
    },
  },
  points_earned: {
    en: {
      subject: "You earned {{ points }} points yesterday",
      body: "Yesterday you earned {{ points }} points at {{ shop_name }}. Your balance is now {{ balance }} points.\n\nKeep shopping to earn more, or spend them on a reward.",
    },
    he: {
      subject: "צברת אתמול {{ points }} נקודות",
      body: "אתמול צברת {{ points }} נקודות ב-{{ shop_name }}. היתרה שלך עכשיו: {{ balance }} נקודות.\n\nאפשר להמשיך לצבור, או לממש את הנקודות בהטבה.",
    },
    ar: {
      subject: "ربحت أمس {{ points }} نقطة",
      body: "ربحت أمس {{ points }} نقطة من {{ shop_name }}. رصيدك الآن {{ balance }} نقطة.\n\nواصل التسوق لتكسب المزيد، أو استبدل نقاطك بمكافأة.",
    },
    da: {
      subject: "Du optjente {{ points }} point i går",
      body: "I går optjente du {{ points }} point hos {{ shop_name }}. Din saldo er nu {{ balance }} point.\n\nBliv ved med at handle for at optjene flere, eller brug dem på en belønning.",
    },
    ro: {
      subject: "Ai câștigat ieri {{ points }} puncte",
      body: "Ieri ai câștigat {{ points }} puncte la {{ shop_name }}. Soldul tău acum: {{ balance }} puncte.\n\nContinuă cumpărăturile ca să strângi mai multe sau folosește-le pentru o recompensă.",
    },
  },
  reward_affordable: {
    en: {
      subject: "You can now get {{ reward }}",
      body: "Good news: with {{ balance }} points you can now redeem {{ reward }} at {{ shop_name }}.\n\nRedeem it on your next visit.",
    },
    he: {
      subject: "עכשיו אפשר לקבל: {{ reward }}",
      body: "חדשות טובות: עם {{ balance }} נקודות אפשר עכשיו לממש את ההטבה „{{ reward }}” ב-{{ shop_name }}.\n\nמממשים בביקור הבא באתר.",
    },
    ar: {
      subject: "يمكنك الآن الحصول على {{ reward }}",
      body: "خبر سار: برصيدك البالغ {{ balance }} نقطة يمكنك الآن استبدال {{ reward }} لدى {{ shop_name }}.\n\nاستبدلها في زيارتك القادمة.",
    },
    da: {
      subject: "Nu kan du få {{ reward }}",
      body: "Godt nyt: Med {{ balance }} point kan du nu indløse {{ reward }} hos {{ shop_name }}.\n\nIndløs den, næste gang du handler.",
    },
    ro: {
      subject: "Acum poți obține {{ reward }}",
      body: "Vești bune: cu {{ balance }} puncte poți folosi acum recompensa „{{ reward }}” la {{ shop_name }}.\n\nFolosește-o la următoarea vizită.",
    },
  },
  points_expiring: {
    en: {
      subject: "{{ points }} of your points expire on {{ expiry_date }}",
      body: "{{ points }} of your {{ shop_name }} points expire on {{ expiry_date }}. Your balance is {{ balance }} points.\n\nSpend them on a reward before then so they don't go to waste.",
    },
    he: {
      subject: "{{ points }} מהנקודות שלך יפוגו ב-{{ expiry_date }}",
      body: "{{ points }} מהנקודות שלך ב-{{ shop_name }} יפוגו ב-{{ expiry_date }}. היתרה שלך: {{ balance }} נקודות.\n\nכדאי לממש אותן בהטבה לפני כן, כדי שלא ילכו לאיבוד.",
    },
    ar: {
      subject: "تنتهي صلاحية {{ points }} من نقاطك في {{ expiry_date }}",
      body: "تنتهي صلاحية {{ points }} من نقاطك لدى {{ shop_name }} في {{ expiry_date }}. رصيدك الحالي {{ balance }} نقطة.\n\nاستبدلها بمكافأة قبل ذلك حتى لا تضيع.",
    },
    da: {
      subject: "{{ points }} af dine point udløber {{ expiry_date }}",
      body: "{{ points }} af dine point hos {{ shop_name }} udløber {{ expiry_date }}. Din saldo er {{ balance }} point.\n\nBrug dem på en belønning inden da, så de ikke går tabt.",
    },
    ro: {
      subject: "{{ points }} dintre punctele tale expiră pe {{ expiry_date }}",
      body: "{{ points }} dintre punctele tale de la {{ shop_name }} expiră pe {{ expiry_date }}. Soldul tău: {{ balance }} puncte.\n\nFolosește-le pentru o recompensă până atunci, ca să nu se piardă.",
    },
  },
  last_chance: {
    en: {
      subject: "Last chance: your points expire on {{ expiry_date }}",
      body: "This is your last reminder: {{ points }} of your {{ shop_name }} points expire on {{ expiry_date }}.\n\nRedeem a reward now so you don't lose them.",
    },
    he: {
      subject: "הזדמנות אחרונה: הנקודות שלך יפוגו ב-{{ expiry_date }}",
      body: "זו התזכורת האחרונה: {{ points }} מהנקודות שלך ב-{{ shop_name }} יפוגו ב-{{ expiry_date }}.\n\nכדאי לממש הטבה עכשיו, כדי לא לאבד אותן.",
    },
    ar: {
      subject: "فرصة أخيرة: تنتهي صلاحية نقاطك في {{ expiry_date }}",
      body: "هذا تذكيرك الأخير: تنتهي صلاحية {{ points }} من نقاطك لدى {{ shop_name }} في {{ expiry_date }}.\n\nاستبدل مكافأة الآن حتى لا تخسرها.",
    },
    da: {
      subject: "Sidste chance: Dine point udløber {{ expiry_date }}",
      body: "Dette er din sidste påmindelse: {{ points }} af dine point hos {{ shop_name }} udløber {{ expiry_date }}.\n\nIndløs en belønning nu, så du ikke mister dem.",
    },
    ro: {
      subject: "Ultima șansă: punctele tale expiră pe {{ expiry_date }}",
      body: "Aceasta este ultima ta notificare: {{ points }} dintre punctele tale de la {{ shop_name }} expiră pe {{ expiry_date }}.\n\nFolosește acum o recompensă, ca să nu le pierzi.",
    },
  },
  tier_reached: {
    en: {
      subject: "You've reached {{ tier }}",
      body: "Congratulations! You've reached the {{ tier }} tier of {{ shop_name }} Rewards.\n\nEnjoy the perks that come with it.",
    },
    he: {
      subject: "הגעת לדרגת {{ tier }}",
      body: "מזל טוב! הגעת לדרגת {{ tier }} במועדון ההטבות של {{ shop_name }}.\n\nתיהנו מההטבות שמגיעות עם הדרגה החדשה.",
    },
    ar: {
      subject: "وصلت إلى مستوى {{ tier }}",
      body: "تهانينا! أصبحت الآن في مستوى {{ tier }} في برنامج مكافآت {{ shop_name }}.\n\nاستمتع بالمزايا التي يمنحك إياها مستواك الجديد.",
    },
    da: {
      subject: "Du har nået {{ tier }}",
      body: "Tillykke! Du er nu på niveauet {{ tier }} i bonusprogrammet hos {{ shop_name }}.\n\nNyd fordelene ved dit nye niveau.",
    },
    ro: {
      subject: "Ai ajuns la nivelul {{ tier }}",
      body: "Felicitări! Acum ești la nivelul {{ tier }} în programul de fidelitate {{ shop_name }}.\n\nBucură-te de avantajele noului tău nivel.",
    },
  },
  tier_at_risk: {
    en: {
      subject: "Keep your {{ tier }} status",
      body: "Your {{ tier }} status at {{ shop_name }} is kept until {{ expiry_date }}.\n\nShop before then to keep it and its perks.",
    },
    he: {
      subject: "שמירה על דרגת {{ tier }}",
      body: "דרגת {{ tier }} שלך ב-{{ shop_name }} נשמרת עד {{ expiry_date }}.\n\nקנייה לפני כן תשמור לך את הדרגה ואת ההטבות שלה.",
    },
    ar: {
      subject: "حافظ على مستوى {{ tier }}",
      body: "يبقى مستوى {{ tier }} الخاص بك لدى {{ shop_name }} حتى {{ expiry_date }}.\n\nتسوّق قبل ذلك لتحافظ عليه وعلى مزاياه.",
    },
    da: {
      subject: "Behold dit niveau {{ tier }}",
      body: "Dit niveau {{ tier }} hos {{ shop_name }} gælder til {{ expiry_date }}.\n\nHandl inden da for at beholde det og dets fordele.",
    },
    ro: {
      subject: "Păstrează-ți nivelul {{ tier }}",
      body: "Nivelul tău {{ tier }} la {{ shop_name }} este valabil până pe {{ expiry_date }}.\n\nFă o comandă până atunci ca să-l păstrezi, împreună cu avantajele lui.",
    },
  },
  birthday: {
    en: {
      greeting: false,
      subject: "Happy birthday from {{ shop_name }}",
      body: `Happy birthday${IF_NAME}, {{ first_name }}{% endif %}!{% if points > 0 %} To celebrate, we've added {{ points }} points to your account.{% endif %}\n\nYour balance is {{ balance }} points.`,
    },
    he: {
      greeting: false,
      subject: "יום הולדת שמח מ-{{ shop_name }}",
      body: `יום הולדת שמח${IF_NAME}, {{ first_name }}{% endif %}!{% if points > 0 %} לכבוד היום הוספנו לחשבון שלך {{ points }} נקודות.{% endif %}\n\nהיתרה שלך: {{ balance }} נקודות.`,
    },
    ar: {
      greeting: false,
      subject: "عيد ميلاد سعيد من {{ shop_name }}",
      body: `عيد ميلاد سعيد${IF_NAME} يا {{ first_name }}{% endif %}!{% if points > 0 %} احتفالًا بهذه المناسبة أضفنا {{ points }} نقطة إلى حسابك.{% endif %}\n\nرصيدك الآن {{ balance }} نقطة.`,
    },
    da: {
      greeting: false,
      subject: "Tillykke med fødselsdagen fra {{ shop_name }}",
      body: `Tillykke med fødselsdagen${IF_NAME}, {{ first_name }}{% endif %}!{% if points > 0 %} For at fejre dagen har vi givet dig {{ points }} point.{% endif %}\n\nDin saldo er {{ balance }} point.`,
    },
    ro: {
      greeting: false,
      subject: "La mulți ani din partea {{ shop_name }}",
      body: `La mulți ani${IF_NAME}, {{ first_name }}{% endif %}!{% if points > 0 %} Ca să sărbătorim, ți-am adăugat în cont {{ points }} puncte.{% endif %}\n\nSoldul tău: {{ balance }} puncte.`,
    },
  },
  win_back: {
    en: {
      subject: "We miss you at {{ shop_name }}",
      body: "It's been a while since your last order at {{ shop_name }}.{% if points > 0 %} To welcome you back, we've added {{ points }} bonus points to your account.{% endif %}\n\nYou have {{ balance }} points waiting for you.",
    },
    he: {
      subject: "מתגעגעים אליך ב-{{ shop_name }}",
      body: "עבר זמן מההזמנה האחרונה שלך ב-{{ shop_name }}.{% if points > 0 %} כדי לקבל אותך בחזרה, הוספנו לחשבון שלך {{ points }} נקודות בונוס.{% endif %}\n\nמחכות לך {{ balance }} נקודות.",
    },
    ar: {
      subject: "اشتقنا إليك في {{ shop_name }}",
      body: "مرّ وقت منذ طلبك الأخير من {{ shop_name }}.{% if points > 0 %} ترحيبًا بعودتك، أضفنا {{ points }} نقطة إضافية إلى حسابك.{% endif %}\n\nلديك {{ balance }} نقطة بانتظارك.",
    },
    da: {
      subject: "Vi savner dig hos {{ shop_name }}",
      body: "Det er et stykke tid siden, du sidst handlede hos {{ shop_name }}.{% if points > 0 %} Som velkomst tilbage har vi givet dig {{ points }} bonuspoint.{% endif %}\n\nDu har {{ balance }} point, der venter på dig.",
    },
    ro: {
      subject: "Ne e dor de tine la {{ shop_name }}",
      body: "A trecut ceva timp de la ultima ta comandă la {{ shop_name }}.{% if points > 0 %} Ca să-ți urăm bun revenit, ți-am adăugat în cont {{ points }} puncte bonus.{% endif %}\n\nTe așteaptă {{ balance }} puncte.",
    },
  },
  referral: {
    en: {
      subject: "Your referral earned you {{ points }} points",
      body: "Thanks for telling a friend about {{ shop_name }}. You earned {{ points }} points, and your balance is now {{ balance }} points.",
    },
    he: {
      subject: "ההמלצה שלך זיכתה אותך ב-{{ points }} נקודות",
      body: "תודה שהמלצת על {{ shop_name }} לחברים. קיבלת {{ points }} נקודות, והיתרה שלך עכשיו: {{ balance }} נקודות.",
    },
    ar: {
      subject: "حصلت على {{ points }} نقطة بفضل دعوتك",
      body: "شكرًا لأنك عرّفت صديقًا على {{ shop_name }}. حصلت على {{ points }} نقطة، ورصيدك الآن {{ balance }} نقطة.",
    },
    da: {
      subject: "Din anbefaling har givet dig {{ points }} point",
      body: "Tak fordi du har anbefalet {{ shop_name }} til en ven. Du har fået {{ points }} point, og din saldo er nu {{ balance }} point.",
    },
    ro: {
      subject: "Recomandarea ta ți-a adus {{ points }} puncte",
      body: "Îți mulțumim că ai recomandat {{ shop_name }} unui prieten. Ai primit {{ points }} puncte, iar acum ai în total {{ balance }} puncte.",
    },
  },
};

/** The default subject and body of a kind in a language. */
export function defaultTemplate(kind: MessageKind, locale: ShopperLocale): MessageTemplateText {
  const text = TEXTS[kind][locale];
  return { subject: text.subject, body: text.greeting === false ? text.body : `${GREETING[locale]}\n\n${text.body}` };
}

/** The layout's own words around every message: the button to the shop, why they get it, the unsubscribe link. */
export const LAYOUT_TEXT: Record<ShopperLocale, { visit: (shop: string) => string; why: (shop: string) => string; unsubscribe: string }> = {
  en: {
    visit: (shop) => `Visit ${shop}`,
    why: (shop) => `You are receiving this email because you are a member of the ${shop} rewards program.`,
    unsubscribe: "Unsubscribe",
  },
  he: {
    visit: (shop) => `לביקור ב-${shop}`,
    why: (shop) => `המייל הזה נשלח אליך כי נרשמת למועדון ההטבות של ${shop}.`,
    unsubscribe: "הסרה מרשימת התפוצה",
  },
  ar: {
    visit: (shop) => `زيارة ${shop}`,
    why: (shop) => `تصلك هذه الرسالة لأنك عضو في برنامج مكافآت ${shop}.`,
    unsubscribe: "إلغاء الاشتراك",
  },
  da: {
    visit: (shop) => `Besøg ${shop}`,
    why: (shop) => `Du modtager denne e-mail, fordi du er medlem af bonusprogrammet hos ${shop}.`,
    unsubscribe: "Afmeld",
  },
  ro: {
    visit: (shop) => `Vizitează ${shop}`,
    why: (shop) => `Primești acest e-mail pentru că ești membru al programului de fidelitate ${shop}.`,
    unsubscribe: "Dezabonare",
  },
};
