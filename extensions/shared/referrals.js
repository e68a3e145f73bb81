// The member's referral link as the checkout and customer account extensions show it: the share
// links for it (email, WhatsApp, X, Facebook), built from the link and the shopper's words.

/**
 * @param {string} url the member's referral link
 * @param {{ subject: string, text: string }} words the email subject and the message before the link
 * @returns {{ network: "email" | "whatsapp" | "x" | "facebook", href: string }[]}
 */
export function referralShareLinks(url, { subject, text }) {
  const message = encodeURIComponent(`${text} ${url}`);
  return [
    { network: "email", href: `mailto:?subject=${encodeURIComponent(subject)}&body=${message}` },
    { network: "whatsapp", href: `https://wa.me/?text=${message}` },
    { network: "x", href: `https://twitter.com/intent/tweet?text=${encodeURIComponent(text)}&url=${encodeURIComponent(url)}` },
    { network: "facebook", href: `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}` },
  ];
}
