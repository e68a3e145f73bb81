// What the checkout and customer account extensions share about VIP tiers: the member's tier
// and the progress line, from the backend's `tier` (held) or `nextTier` (below the first tier).

/** A tier's name in the shopper's language: the locale's, its language's, else the shop's. */
export function tierName(tier, locale) {
  const names = tier?.names ?? {};
  return names[locale] ?? names[String(locale).split("-")[0]] ?? tier?.name ?? "";
}

/**
 * The block's tier facts: { name, until } for a held tier (null when none) and the next tier to
 * reach as { key, name, remaining, by } (key: the translation key by basis), or null at the top.
 */
export function tierLines(view, locale) {
  const held = view.tier ?? null;
  const next = held ? held.next : (view.nextTier ?? null);
  const key = next ? (next.basis === "amount_spent" ? "tier.toNext.amount" : next.basis === "orders" ? "tier.toNext.orders" : "tier.toNext.points") : null;
  return {
    tier: held ? { name: tierName(held, locale), until: held.until ?? null } : null,
    next: next ? { key, name: tierName(next, locale), remaining: next.remaining, basis: next.basis, by: next.by ?? null } : null,
  };
}
