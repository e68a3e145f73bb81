import { useState } from "preact/hooks";
import { referralShareLinks } from "./referrals.js";

const NETWORK_NAMES = { whatsapp: "WhatsApp", x: "X", facebook: "Facebook" };

/**
 * "Refer a friend": the member's link with a copy button; with `full`, also the share links, the
 * friends referred and points earned, and the friends whose referral is on its way. `referral` is
 * the `referral` field of the app's reads (null: the shop runs no referrals, and nothing is shown).
 * Reads the `shopify` global's i18n; the extension's locales need the `referral.*` keys.
 *
 * @param {{ referral: null | { url: string, friendsReferred: number, rewardsEarned: number,
 *   pending: { friend: string, status: string, pointsDueAt: string | null, points: number | null }[] }, full?: boolean }} props
 */
export function ReferralLink({ referral, full = false }) {
  const { i18n } = shopify;
  const [copied, setCopied] = useState(false);
  if (!referral) return null;
  const t = (key, values) => i18n.translate(`referral.${key}`, values);
  const points = (count) => ({ count, points: i18n.formatNumber(count) });
  return (
    <s-stack gap="small-200">
      <s-heading>{t("heading")}</s-heading>
      <s-text color="subdued">{t("intro")}</s-text>
      <s-text>{t("link")}</s-text>
      <s-text type="strong">{referral.url}</s-text>
      <s-clipboard-item id="copy-referral-link" text={referral.url} onCopy={() => setCopied(true)} />
      <s-stack direction="inline" gap="base">
        <s-button variant="secondary" commandFor="copy-referral-link" command="--copy" accessibilityLabel={t("copyLabel")}>
          {t("copy")}
        </s-button>
        {full &&
          referralShareLinks(referral.url, { subject: t("shareSubject"), text: t("shareText") }).map((link) => (
            <s-link key={link.network} href={link.href} target="_blank">
              {link.network === "email" ? t("shareEmail") : NETWORK_NAMES[link.network]}
            </s-link>
          ))}
      </s-stack>
      {copied && (
        <s-text color="subdued" data-referral-copied>
          {t("copied")}
        </s-text>
      )}
      {full && (
        <s-text>
          {t("friends", { count: referral.friendsReferred })} · {t("earned", points(referral.rewardsEarned))}
        </s-text>
      )}
      {full &&
        referral.pending.map((friend, index) => (
          <s-text key={`${friend.friend}-${index}`} color="subdued">
            {t(`status.${friend.status}`, { friend: friend.friend || t("aFriend") })}
            {friend.points && friend.pointsDueAt
              ? ` · ${t("due", { ...points(friend.points), date: i18n.formatDate(new Date(friend.pointsDueAt), { dateStyle: "medium" }) })}`
              : ""}
          </s-text>
        ))}
    </s-stack>
  );
}
