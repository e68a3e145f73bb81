import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { pendingRedemptions } from "../../shared/backend.js";
import { RewardOffer } from "../../shared/RewardOffer.jsx";
import { ReferralLink } from "../../shared/ReferralLink.jsx";
import { moneyFormat, pointsNeeded } from "../../shared/rewards.js";
import { APP_URL } from "../../shared/app-url.js";
import { shopperLocale } from "../../shared/ways-to-earn.js";
import { tierLines } from "../../shared/tiers.js";
import {
  campaignTitle,
  cancelCode,
  claimFollow,
  firstView,
  loadAccount,
  loadActivity,
  nextReward,
  redeemableRewards,
  redeemForCode,
  wayToEarnLine,
  withPoints,
} from "./logic.js";

export default async () => {
  render(<LoyaltyProfile />, document.body);
};

const NOTICES = {
  issued: { tone: "success", key: "notice.issued" },
  credited: { tone: "success", key: "notice.credited" },
  refused: { tone: "critical", key: "notice.refused" },
  pending: { tone: "warning", key: "notice.pending" },
  cancelled: { tone: "success", key: "notice.cancelled" },
  claimed: { tone: "success", key: "notice.claimed" },
  not_claimed: { tone: "critical", key: "notice.notClaimed" },
  not_cancelled: { tone: "critical", key: "notice.notCancelled" },
};

function LoyaltyProfile() {
  const { i18n } = shopify;
  const [view, setView] = useState(() => firstView(shopify));
  const [busy, setBusy] = useState(null);
  const [notice, setNotice] = useState(null);
  const [pending] = useState(pendingRedemptions);
  const points = (count) => ({ count, points: i18n.formatNumber(count) });

  useEffect(() => {
    if (view.status !== "loading") return;
    let current = true;
    loadAccount(shopify, APP_URL).then((loaded) => current && setView(loaded));
    return () => {
      current = false;
    };
  }, [view.status]);

  if (view.status !== "ready") {
    const message = view.status === "loading" ? "loading" : view.status;
    return (
      <s-section heading={i18n.translate("heading")}>
        <s-text color="subdued">{i18n.translate(message)}</s-text>
      </s-section>
    );
  }

  const act = async (key, run, apply) => {
    setBusy(key);
    setNotice(null);
    const result = await run();
    setBusy(null);
    const amount =
      typeof result.amountMinor === "number"
        ? i18n.formatCurrency(result.amountMinor / 10 ** view.currencyDecimals, moneyFormat(view.currency, view.currencyDecimals))
        : "";
    setNotice({ ...NOTICES[result.outcome], code: result.code?.code ?? "", amount });
    if (typeof result.points === "number") setView((before) => apply(withPoints(before, result.points), result));
    if (result.outcome === "claimed") setView((before) => ({ ...before, claimed: [...(before.claimed ?? []), key] }));
    if (result.outcome !== "refused" && result.outcome !== "not_cancelled" && result.outcome !== "not_claimed") {
      const entries = await loadActivity(shopify, APP_URL);
      if (entries) setView((before) => ({ ...before, entries }));
    }
  };
  const redeem = (reward, amount) =>
    act(
      `reward-${reward.id}`,
      async () => {
        // A redemption still being confirmed is asked after with its own key, never made twice.
        const result = await redeemForCode(shopify, APP_URL, reward, { amount, idempotencyKey: pending.keyFor(reward.id) });
        pending.settle(reward.id, result);
        return result;
      },
      (next, result) => (result.outcome === "issued" ? { ...next, codes: [result.code, ...next.codes] } : next),
    );
  const cancel = (code) =>
    act(
      `code-${code.id}`,
      () => cancelCode(shopify, APP_URL, code),
      (next) => ({ ...next, codes: next.codes.filter((c) => c.id !== code.id) }),
    );

  const claim = (way) =>
    act(
      `way-${way.id}`,
      () => claimFollow(shopify, APP_URL, way),
      (next) => next,
    );

  const locale = shopperLocale(shopify);
  const formatDay = (iso) => i18n.formatDate(new Date(iso), { dateStyle: "medium" });
  const redeemable = redeemableRewards(view.rewards);
  const next = nextReward(view.rewards);
  return (
    <s-section heading={i18n.translate("heading")}>
      <s-stack gap="base">
        <s-text type="strong">{i18n.translate("balance", points(view.points))}</s-text>
        {notice && <s-banner tone={notice.tone}>{i18n.translate(notice.key, { code: notice.code, amount: notice.amount })}</s-banner>}
        {view.pointsExpiring && (
          <s-text color="subdued">
            {i18n.translate("expiring", { ...points(view.pointsExpiring.points), date: formatDay(view.pointsExpiring.expiresAt) })}
          </s-text>
        )}
        <TierLines view={view} locale={locale} formatDay={formatDay} />
        {view.pendingPoints.map((pending) => (
          <s-text key={pending.availableOn} color="subdued">
            {i18n.translate("pending.entry", { ...points(pending.points), date: formatDay(pending.availableOn) })}
          </s-text>
        ))}
        {view.campaigns.map((campaign) => (
          <s-banner key={campaign.id} tone="info" heading={campaignTitle(campaign, locale)}>
            <s-text>
              {campaign.multiplier !== null
                ? i18n.translate("campaign.multiplier", { multiplier: i18n.formatNumber(campaign.multiplier), date: formatDay(campaign.endsAt) })
                : i18n.translate("campaign.bonus", { ...points(campaign.bonusPoints ?? 0), date: formatDay(campaign.endsAt) })}
              {campaign.productLimited ? ` ${i18n.translate("campaign.products")}` : ""}
            </s-text>
          </s-banner>
        ))}

        <s-heading>{i18n.translate("rewards.heading")}</s-heading>
        {redeemable.map((reward) => (
          <RewardOffer
            key={reward.id}
            reward={reward}
            currency={view.currency}
            decimals={view.currencyDecimals}
            busy={busy === `reward-${reward.id}`}
            disabled={busy !== null && busy !== `reward-${reward.id}`}
            onRedeem={redeem}
          />
        ))}
        {redeemable.length === 0 && (
          <s-text color="subdued">{next ? i18n.translate("rewards.next", points(pointsNeeded(next))) : i18n.translate("rewards.none")}</s-text>
        )}

        <s-heading>{i18n.translate("codes.heading")}</s-heading>
        {view.codes.length === 0 && <s-text color="subdued">{i18n.translate("codes.none")}</s-text>}
        {view.codes.length > 0 && <s-text color="subdued">{i18n.translate("codes.hint")}</s-text>}
        {view.codes.map((code) => (
          <s-stack key={code.id} gap="small-200">
            <s-text type="strong">{code.code}</s-text>
            <s-text>{code.rewardName}</s-text>
            {code.expiresAt && (
              <s-text color="subdued">{i18n.translate("codes.expires", { date: i18n.formatDate(new Date(code.expiresAt), { dateStyle: "medium" }) })}</s-text>
            )}
            <s-clipboard-item id={`copy-code-${code.id}`} text={code.code} onCopy={() => shopify.toast.show(i18n.translate("codes.copied"))} />
            <s-stack direction="inline" gap="base">
              <s-button
                variant="secondary"
                commandFor={`copy-code-${code.id}`}
                command="--copy"
                accessibilityLabel={i18n.translate("codes.copyLabel", { code: code.code })}
              >
                {i18n.translate("codes.copy")}
              </s-button>
              <s-button
                variant="secondary"
                tone="critical"
                loading={busy === `code-${code.id}`}
                disabled={busy !== null && busy !== `code-${code.id}`}
                accessibilityLabel={i18n.translate("codes.cancelLabel", { ...points(code.points), code: code.code })}
                onClick={() => cancel(code)}
              >
                {i18n.translate("codes.cancel")}
              </s-button>
            </s-stack>
          </s-stack>
        ))}

        <s-heading>{i18n.translate("earn.heading")}</s-heading>
        {view.waysToEarn.length === 0 && <s-text color="subdued">{i18n.translate("earn.none")}</s-text>}
        {view.waysToEarn.map((way) => (
          <WayToEarn
            key={way.id}
            way={wayToEarnLine(way, locale)}
            currency={view.currency}
            onClaim={() => claim(way)}
            claiming={busy === `way-${way.id}`}
            claimed={(view.claimed ?? []).includes(`way-${way.id}`)}
          />
        ))}

        <ReferralLink referral={view.referral} full />

        <s-heading>{i18n.translate("activity.heading")}</s-heading>
        {view.entries === null && <s-text color="subdued">{i18n.translate("activity.unavailable")}</s-text>}
        {view.entries?.length === 0 && <s-text color="subdued">{i18n.translate("activity.none")}</s-text>}
        {view.entries?.map((entry) => (
          <s-stack key={entry.id} direction="inline" gap="base" alignItems="center" justifyContent="space-between">
            <s-stack gap="none">
              <s-text>{entry.note ?? i18n.translate(`activity.kind.${entry.kind}`)}</s-text>
              <s-text color="subdued">{i18n.formatDate(new Date(entry.createdAt), { dateStyle: "medium" })}</s-text>
            </s-stack>
            <s-text type="strong" tone={entry.delta < 0 ? "critical" : "success"}>
              {i18n.translate("activity.delta", { count: Math.abs(entry.delta), points: i18n.formatNumber(entry.delta, { signDisplay: "always" }) })}
            </s-text>
          </s-stack>
        ))}
      </s-stack>
    </s-section>
  );
}

const NETWORK_NAMES = { instagram: "Instagram", tiktok: "TikTok", facebook: "Facebook", x: "X", youtube: "YouTube" };

/** One way to earn: its title, what it is worth, a stamp card's progress, a follow link, and a mark once done. */
function WayToEarn({ way, currency, onClaim, claiming, claimed }) {
  const { i18n } = shopify;
  const points = (count) => ({ count, points: i18n.formatNumber(count) });
  const worth =
    way.rate !== null
      ? i18n.translate("earn.rate", { ...points(way.rate), amount: i18n.formatCurrency(1, { currency, maximumFractionDigits: 0 }) })
      : i18n.translate("earn.points", points(way.points));
  const network = NETWORK_NAMES[way.network] ?? way.network ?? "";
  return (
    <s-stack direction="inline" gap="base" alignItems="center" justifyContent="space-between">
      <s-stack gap="none">
        <s-text type="strong">{way.title ?? i18n.translate(`earn.kind.${way.kind}`, { network })}</s-text>
        {way.description && <s-text color="subdued">{way.description}</s-text>}
        <s-text color="subdued">
          {worth}
          {way.photoBonusPoints > 0 ? ` · ${i18n.translate("earn.photo", points(way.photoBonusPoints))}` : ""}
        </s-text>
        {way.progress && (
          <s-text>
            {i18n.translate("earn.progress", { count: way.progress.of, done: i18n.formatNumber(way.progress.done), of: i18n.formatNumber(way.progress.of) })}
          </s-text>
        )}
        {way.url && !way.done && (
          <s-link href={way.url} target="_blank">
            {i18n.translate("earn.follow", { network })}
          </s-link>
        )}
        {way.claimable && !way.done && !claimed && (
          <s-button variant="secondary" loading={claiming} onClick={onClaim}>
            {i18n.translate("earn.claim", points(way.points))}
          </s-button>
        )}
      </s-stack>
      {way.done && <s-badge>{i18n.translate("earn.done")}</s-badge>}
    </s-stack>
  );
}

/** The member's VIP tier and what the next one takes (nothing for shops without tiers). */
function TierLines({ view, locale, formatDay }) {
  const { i18n } = shopify;
  const { tier, next } = tierLines(view, locale);
  if (!tier && !next) return null;
  const remaining =
    next?.basis === "amount_spent"
      ? { amount: i18n.formatCurrency(next.remaining / 10 ** view.currencyDecimals, moneyFormat(view.currency, view.currencyDecimals)) }
      : { count: next?.remaining ?? 0, points: i18n.formatNumber(next?.remaining ?? 0), orders: i18n.formatNumber(next?.remaining ?? 0) };
  return (
    <s-stack gap="small-200">
      {tier && <s-text type="strong">{i18n.translate("tier.current", { tier: tier.name })}</s-text>}
      {tier?.until && <s-text color="subdued">{i18n.translate("tier.until", { date: formatDay(new Date(Date.parse(tier.until) - 1).toISOString()) })}</s-text>}
      {next && (
        <s-text>
          {i18n.translate(next.key, { ...remaining, tier: next.name })}
          {next.by ? ` ${i18n.translate("tier.by", { date: formatDay(new Date(Date.parse(next.by) - 1).toISOString()) })}` : ""}
        </s-text>
      )}
    </s-stack>
  );
}
