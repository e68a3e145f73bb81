// What the checkout and customer account extensions share about ways to earn and campaigns: the
// merchant's words for the shopper's language, and how an order's awards read.

/**
 * The merchant's title in the shopper's language ("he-IL" finds "he"), or null: the surface then
 * shows its own translated default.
 * @param {Record<string, { title?: string, description?: string }> | undefined} content
 * @param {string | undefined} locale
 */
export function localizedContent(content, locale) {
  if (!content || !locale) return {};
  const language = locale.split("-")[0].toLowerCase();
  const key =
    Object.keys(content).find((name) => name.toLowerCase() === locale.toLowerCase()) ??
    Object.keys(content).find((name) => name.split("-")[0].toLowerCase() === language);
  return key ? content[key] : {};
}

/** The shopper's language as the surface knows it. */
export function shopperLocale(api) {
  return api.localization?.language?.value?.isoCode ?? "en";
}
