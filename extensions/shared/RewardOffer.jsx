import { useEffect, useState } from "preact/hooks";
import { amountProblem, amountRange, amountText, moneyFormat, parseAmount, pointsForAmount, pointsNeeded } from "./rewards.js";

/**
 * One reward the shopper can afford, as a row with its redeem button. A variable reward also gets a
 * money field for the amount, from its minimum to the most the balance buys, and its button says
 * what that amount costs; an amount the server would refuse disables the button and says why.
 * Reads the `shopify` global's i18n; the extension's locales need the keys redeem, redeemLabel,
 * amount.label, amount.details and amount.problem.{invalid,tooLow,tooHigh,step}.
 *
 * @param {{ reward: object, currency: string, decimals: number, busy: boolean, disabled: boolean,
 *   onRedeem: (reward: object, amount?: { minor: number, decimals: number }) => void }} props
 */
export function RewardOffer({ reward, currency, decimals, busy, disabled, onRedeem }) {
  const { i18n } = shopify;
  const range = amountRange(reward);
  const [text, setText] = useState(() => (range ? amountText(range.min, decimals) : ""));
  // A new balance (after a redemption) comes as a new reward with a new range: an amount it no
  // longer allows goes back to the minimum.
  useEffect(() => {
    const allowed = amountRange(reward);
    if (allowed) setText((typed) => (amountProblem(reward, parseAmount(typed, decimals)) ? amountText(allowed.min, decimals) : typed));
  }, [reward, decimals]);
  const money = (minor) => i18n.formatCurrency(minor / 10 ** decimals, moneyFormat(currency, decimals));
  const minor = range ? parseAmount(text, decimals) : null;
  const problem = range ? amountProblem(reward, minor) : null;
  const cost = range && !problem ? pointsForAmount(reward, minor) : pointsNeeded(reward);
  const points = { count: cost, points: i18n.formatNumber(cost) };
  const limits = range && { min: money(range.min), max: money(range.max), step: money(range.step) };

  return (
    <s-stack gap="small-200">
      <s-stack direction="inline" gap="base" alignItems="center" justifyContent="space-between">
        <s-text>{reward.name}</s-text>
        <s-button
          variant="secondary"
          loading={busy}
          disabled={disabled || Boolean(problem)}
          accessibilityLabel={i18n.translate("redeemLabel", { ...points, name: range && !problem ? `${reward.name} (${money(minor)})` : reward.name })}
          onClick={() => onRedeem(reward, range ? { minor, decimals } : undefined)}
        >
          {i18n.translate("redeem", points)}
        </s-button>
      </s-stack>
      {range && (
        <s-money-field
          label={i18n.translate("amount.label")}
          value={text}
          min={range.min / 10 ** decimals}
          max={range.max / 10 ** decimals}
          step={range.step / 10 ** decimals}
          disabled={disabled || busy}
          error={problem ? i18n.translate(`amount.problem.${problem}`, limits) : undefined}
          onInput={(event) => setText(event.currentTarget.value)}
          onChange={(event) => setText(event.currentTarget.value)}
        />
      )}
      {range && (
        <s-text color="subdued">
          {i18n.translate("amount.details", { ...limits, count: reward.pointsCost, points: i18n.formatNumber(reward.pointsCost) })}
        </s-text>
      )}
    </s-stack>
  );
}
