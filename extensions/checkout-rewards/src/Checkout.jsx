import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { APP_URL } from "./app-url.js";
import { firstView, loadRewards, nextReward, redeemAndApply, tappableRewards } from "./logic.js";

export default async () => {
  render(<PointsAtCheckout />, document.body);
};

const NOTICES = {
  applied: { tone: "success", key: "notice.applied" },
  cannot_apply: { tone: "warning", key: "notice.cannotApply" },
  refused: { tone: "critical", key: "notice.refused" },
  returned: { tone: "warning", key: "notice.returned" },
  not_returned: { tone: "warning", key: "notice.notReturned" },
};

function PointsAtCheckout() {
  const { i18n } = shopify;
  const [view, setView] = useState(() => firstView(shopify));
  const [busyRewardId, setBusyRewardId] = useState(null);
  const [notice, setNotice] = useState(null);

  useEffect(() => {
    if (view.status !== "loading") return;
    let current = true;
    loadRewards(shopify, APP_URL).then((loaded) => current && setView(loaded));
    return () => {
      current = false;
    };
  }, []);

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

  const redeem = async (reward) => {
    setBusyRewardId(reward.id);
    setNotice(null);
    const result = await redeemAndApply(shopify, APP_URL, reward);
    setBusyRewardId(null);
    setNotice({ ...NOTICES[result.outcome], code: result.code });
    if (typeof result.points === "number") {
      setView((before) => ({
        ...before,
        points: result.points,
        rewards: (before.rewards ?? []).map((r) => ({ ...r, affordable: result.points >= r.pointsCost })),
      }));
    }
  };

  const rewards = view.status === "ready" ? view.rewards : [];
  const tappable = tappableRewards(rewards);
  const next = nextReward(rewards);
  return (
    <s-section heading={i18n.translate("heading")}>
      <s-stack gap="base">
        {balance}
        {notice && <s-banner tone={notice.tone}>{i18n.translate(notice.key, { code: notice.code ?? "" })}</s-banner>}
        {tappable.map((reward) => (
          <s-stack key={reward.id} direction="inline" gap="base" alignItems="center" justifyContent="space-between">
            <s-text>{reward.name}</s-text>
            <s-button
              variant="secondary"
              loading={busyRewardId === reward.id}
              disabled={busyRewardId !== null && busyRewardId !== reward.id}
              accessibilityLabel={i18n.translate("redeemLabel", { name: reward.name, count: reward.pointsCost, points: i18n.formatNumber(reward.pointsCost) })}
              onClick={() => redeem(reward)}
            >
              {i18n.translate("redeem", { count: reward.pointsCost, points: i18n.formatNumber(reward.pointsCost) })}
            </s-button>
          </s-stack>
        ))}
        {view.status === "ready" && tappable.length === 0 && next && (
          <s-text color="subdued">{i18n.translate("nextReward", { count: next.pointsCost, points: i18n.formatNumber(next.pointsCost) })}</s-text>
        )}
      </s-stack>
    </s-section>
  );
}
