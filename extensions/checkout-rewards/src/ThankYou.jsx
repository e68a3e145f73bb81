import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { APP_URL } from "../../shared/app-url.js";
import { shopperLocale } from "../../shared/ways-to-earn.js";
import { firstView, loadOrderPoints, loadReferral, orderPointParts } from "./logic.js";
import { ReferralLink } from "../../shared/ReferralLink.jsx";
import { moneyFormat } from "../../shared/rewards.js";
import { tierLines } from "../../shared/tiers.js";

export default async () => {
  render(<PointsForThisOrder />, document.body);
};

function PointsForThisOrder() {
  const { i18n } = shopify;
  const [view, setView] = useState(() => firstView(shopify));
  const [referral, setReferral] = useState(null);

  useEffect(() => {
    if (view.status !== "loading") return;
    let current = true;
    const orderId = shopify.orderConfirmation.value.order.id;
    loadOrderPoints(shopify, APP_URL, orderId).then((loaded) => current && setView(loaded));
    return () => {
      current = false;
    };
  }, [view.status]);

  // After the order's points: the member's link to share while the purchase is fresh.
  const settled = view.status !== "loading" && view.status !== "guest";
  useEffect(() => {
    if (!settled) return;
    let current = true;
    loadReferral(shopify, APP_URL).then((link) => current && setReferral(link));
    return () => {
      current = false;
    };
  }, [settled]);

  if (view.status === "guest") {
    return (
      <s-banner tone="info">
        <s-text>{i18n.translate("thankYou.guest")}</s-text>
      </s-banner>
    );
  }
  if (view.status === "loading" || view.status === "unavailable") return null;
  const count = (n) => ({ count: n, points: i18n.formatNumber(n) });
  const parts = view.status === "earned" ? orderPointParts(view, shopperLocale(shopify)) : [];
  const earned =
    parts.length > 0
      ? i18n.translate("thankYou.earnedParts", {
          ...count(view.earnedPoints),
          parts: parts
            .map((part) => i18n.translate(`thankYou.part.${part.key}`, { ...count(part.points), name: part.name }))
            .join(i18n.translate("thankYou.partSeparator")),
        })
      : i18n.translate("thankYou.earned", count(view.earnedPoints));
  return (
    <s-banner tone="success" heading={i18n.translate("heading")}>
      <s-stack gap="small-100">
        <s-text>{view.status === "earned" ? earned : i18n.translate(view.status === "cancelled" ? "thankYou.cancelled" : "thankYou.pending")}</s-text>
        {view.status === "earned" && view.pendingUntil && (
          <s-text>{i18n.translate("thankYou.availableOn", { date: i18n.formatDate(new Date(view.pendingUntil), { dateStyle: "medium" }) })}</s-text>
        )}
        <s-text type="strong">{i18n.translate("thankYou.balance", count(view.points))}</s-text>
        {view.status === "earned" && view.tierProgress && <TierProgress progress={view.tierProgress} />}
        <ReferralLink referral={referral} />
      </s-stack>
    </s-banner>
  );
}

/** What this order did for the VIP tier: the tier held, how much closer the order brought the next one, and what remains. */
function TierProgress({ progress }) {
  const { i18n } = shopify;
  const { tier, next } = tierLines(progress, shopperLocale(shopify));
  const money = (minor) => i18n.formatCurrency(minor / 10 ** progress.currencyDecimals, moneyFormat(progress.currency, progress.currencyDecimals));
  const amount = (n) => (progress.basis === "amount_spent" ? { amount: money(n) } : { count: n, points: i18n.formatNumber(n), orders: i18n.formatNumber(n) });
  const closerKey = progress.basis === "amount_spent" ? "tier.closer.amount" : progress.basis === "orders" ? "tier.closer.orders" : "tier.closer.points";
  return (
    <s-stack gap="small-100">
      {tier && <s-text>{i18n.translate("tier.current", { tier: tier.name })}</s-text>}
      {next && progress.madeByOrder > 0 && <s-text>{i18n.translate(closerKey, { ...amount(progress.madeByOrder), tier: next.name })}</s-text>}
      {next && <s-text color="subdued">{i18n.translate(next.key, { ...amount(next.remaining), tier: next.name })}</s-text>}
    </s-stack>
  );
}
