import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { pendingRedemptions } from "../../shared/backend.js";
import { RewardOffer } from "../../shared/RewardOffer.jsx";
import { APP_URL } from "../../shared/app-url.js";
import { moneyFormat, pointsNeeded, withBalance } from "../../shared/rewards.js";
import { tierLines } from "../../shared/tiers.js";
import { shopperLocale } from "../../shared/ways-to-earn.js";
import { firstView, loadRewards, nextReward, redeemAndApply, tappableRewards } from "./logic.js";

export default async () => {
  render(<PointsAtCheckout />, document.body);
};

const NOTICES = {
  applied: { tone: "success", key: "notice.applied" },
  cannot_apply: { tone: "warning", key: "notice.cannotApply" },
  refused: { tone: "critical", key: "notice.refused" },
  pending: { tone: "warning", key: "notice.pending" },
  returned: { tone: "warning", key: "notice.returned" },
  not_returned: { tone: "warning", key: "notice.notReturned" },
};

function PointsAtCheckout() {
  const { i18n } = shopify;
  const [view, setView] = useState(() => firstView(shopify));
  const [busyRewardId, setBusyRewardId] = useState(null);
  const [notice, setNotice] = useState(null);
  const [pending] = useState(pendingRedemptions);

  useEffect(() => {
    if (view.status !== "loading") return;
    let current = true;
    loadRewards(shopify, APP_URL).then((loaded) => current && setView(loaded));
    return () => {
      current = false;
    };
  }, [view.status]);

  if (view.status === "guest") {
    return (
      <s-section heading={i18n.translate("heading")}>
        <s-text>{i18n.translate("guest")}</s-text>
      </s-section>
    );
  }

  const points = view.points;
  const balance =
    points === null || points === undefined ? (
      <s-text color="subdued">{i18n.translate(view.status === "unavailable" ? "unavailable" : "loading")}</s-text>
    ) : (
      <s-text type="strong">{i18n.translate("balance", { count: points, points: i18n.formatNumber(points) })}</s-text>
    );

  const redeem = async (reward, amount) => {
    setBusyRewardId(reward.id);
    setNotice(null);
    // A redemption still being confirmed is asked after with its own key, never made twice.
    const result = await redeemAndApply(shopify, APP_URL, reward, { amount, idempotencyKey: pending.keyFor(reward.id) });
    pending.settle(reward.id, result);
    setBusyRewardId(null);
    setNotice({ ...NOTICES[result.outcome], code: result.code });
    if (typeof result.points === "number") {
      setView((before) => ({ ...before, points: result.points, rewards: withBalance(before.rewards ?? [], result.points) }));
    }
  };

  const rewards = view.status === "ready" ? view.rewards : [];
  const tappable = tappableRewards(rewards);
  const next = nextReward(rewards);
  return (
    <s-section heading={i18n.translate("heading")}>
      <s-stack gap="base">
        {balance}
        {view.status === "ready" && view.pointsExpiring && (
          <s-text color="subdued">
            {i18n.translate("expiring", {
              count: view.pointsExpiring.points,
              points: i18n.formatNumber(view.pointsExpiring.points),
              date: i18n.formatDate(new Date(view.pointsExpiring.expiresAt), { dateStyle: "medium" }),
            })}
          </s-text>
        )}
        {view.status === "ready" && (view.tier || view.nextTier) && <TierLine view={view} />}
        {notice && <s-banner tone={notice.tone}>{i18n.translate(notice.key, { code: notice.code ?? "" })}</s-banner>}
        {tappable.map((reward) => (
          <RewardOffer
            key={reward.id}
            reward={reward}
            currency={view.currency}
            decimals={view.currencyDecimals}
            busy={busyRewardId === reward.id}
            disabled={busyRewardId !== null && busyRewardId !== reward.id}
            onRedeem={redeem}
          />
        ))}
        {view.status === "ready" && tappable.length === 0 && next && (
          <s-text color="subdued">{i18n.translate("nextReward", { count: pointsNeeded(next), points: i18n.formatNumber(pointsNeeded(next)) })}</s-text>
        )}
      </s-stack>
    </s-section>
  );
}

/** The member's VIP tier and what the next one still takes. */
function TierLine({ view }) {
  const { i18n } = shopify;
  const { tier, next } = tierLines(view, shopperLocale(shopify));
  const remaining = (n) =>
    next.basis === "amount_spent"
      ? { amount: i18n.formatCurrency(n / 10 ** view.currencyDecimals, moneyFormat(view.currency, view.currencyDecimals)) }
      : { count: n, points: i18n.formatNumber(n), orders: i18n.formatNumber(n) };
  return (
    <s-stack gap="small-100">
      {tier && <s-text>{i18n.translate("tier.current", { tier: tier.name })}</s-text>}
      {next && <s-text color="subdued">{i18n.translate(next.key, { ...remaining(next.remaining), tier: next.name })}</s-text>}
    </s-stack>
  );
}
