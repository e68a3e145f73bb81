import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { APP_URL } from "../../shared/app-url.js";
import { shopperLocale } from "../../shared/ways-to-earn.js";
import { firstView, loadOrderPoints, orderPointParts } from "./logic.js";

export default async () => {
  render(<PointsForThisOrder />, document.body);
};

function PointsForThisOrder() {
  const { i18n } = shopify;
  const [view, setView] = useState(() => firstView(shopify));

  useEffect(() => {
    if (view.status !== "loading") return;
    let current = true;
    const orderId = shopify.orderConfirmation.value.order.id;
    loadOrderPoints(shopify, APP_URL, orderId).then((loaded) => current && setView(loaded));
    return () => {
      current = false;
    };
  }, [view.status]);

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
      </s-stack>
    </s-banner>
  );
}
