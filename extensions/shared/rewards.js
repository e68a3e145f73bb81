// The reward rules every shopper surface shares (checkout, customer account, storefront widget):
// which rewards a surface offers, and how a shopper's amount for a variable reward becomes points.
// They mirror the server's (app/domain/rewards.ts); the server decides, these only keep a shopper
// from sending what it would refuse. Amounts are integer minor units, as the backend sends them.

/** Kinds that become a discount code, which a checkout can apply. */
const CODE_KINDS = new Set(["fixed_amount", "percentage", "free_shipping", "free_product", "variable"]);

/**
 * Whether a surface offers this reward. Store credit becomes a balance on the customer's account,
 * not a code: a surface offers it only when it says so (the customer account and the storefront
 * do; the checkout block, which exists to apply a code to this order, does not).
 */
export function offered(reward, { storeCredit = false } = {}) {
  return CODE_KINDS.has(reward.kind) || (storeCredit && reward.kind === "store_credit");
}

/** The fewest points that buy this reward (a variable reward's smallest amount). */
export function pointsNeeded(reward) {
  return typeof reward.pointsNeeded === "number" ? reward.pointsNeeded : reward.pointsCost;
}

/** Rewards the shopper can afford now that this surface offers. */
export function redeemable(rewards, options) {
  return rewards.filter((reward) => offered(reward, options) && reward.affordable);
}

/** The cheapest reward this surface offers that is still out of reach, to say how far away it is. */
export function nextReward(rewards, options) {
  return rewards.filter((reward) => offered(reward, options) && !reward.affordable).sort((a, b) => pointsNeeded(a) - pointsNeeded(b))[0] ?? null;
}

/**
 * The amounts a shopper may pick for a variable reward with their balance: from the reward's
 * minimum to the most the balance buys, in steps. Null for other kinds, or when out of reach.
 * @returns {{ min: number, max: number, step: number } | null}
 */
export function amountRange(reward) {
  if (reward.kind !== "variable" || typeof reward.maxAffordableMinor !== "number") return null;
  return { min: reward.minAmountMinor ?? reward.valueMinor, max: reward.maxAffordableMinor, step: reward.valueMinor };
}

/** The points an amount of a variable reward costs. */
export function pointsForAmount(reward, amountMinor) {
  return (amountMinor / reward.valueMinor) * reward.pointsCost;
}

/** Arabic-Indic and Eastern Arabic-Indic digits as ASCII, and the Arabic decimal separator as ".". */
function asciiDigits(text) {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) & 0xf)).replace(/\u066b/g, ".");
}

/**
 * What a shopper typed, in minor units: digits, then at most `decimals` more after one "." or ","
 * (either separator, whatever the shopper's locale; Arabic-Indic digits too). In a currency with
 * no minor unit, "1,000" and "1.000" are thousands. A stepper's float noise ("0.30000000000000004")
 * is read as the amount it means. Null when it is not such an amount.
 * @example parseAmount("12,5", 2) // 1250
 */
export function parseAmount(text, decimals) {
  const plain = asciiDigits(String(text ?? "")).trim();
  if (decimals === 0 && /^\d{1,3}(?:[.,]\d{3})+$/.test(plain)) return Number(plain.replace(/[.,]/g, ""));
  const match = /^(\d{1,12})(?:[.,](\d*))?$/.exec(plain);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length <= decimals) return Number(match[1] + fraction.padEnd(decimals, "0"));
  // A few digits too many is a mistake ("1,000" in euros is not 1.00); many is a stepper's float noise.
  if (fraction.length < decimals + 6) return null;
  const scaled = Number(`${match[1]}.${fraction}`) * 10 ** decimals;
  const whole = Math.round(scaled);
  return Math.abs(scaled - whole) < 1e-6 ? whole : null;
}

/** Intl options that show an amount of this currency with exactly its minor digits. */
export function moneyFormat(currency, decimals) {
  return { currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals };
}

/**
 * The redemption a POST …/redemptions answered with, when it is a code or credit the shopper now
 * has; null for anything else (a refusal, a failure, one still being created, an old repeat).
 */
export function issuedRedemption(body) {
  return body?.ok === true && body.redemption?.status === "issued" ? body.redemption : null;
}

/**
 * Minor units as the plain decimal text the backend reads ("12.50"), and money fields show.
 * @example amountText(1250, 2) // "12.50"
 */
export function amountText(minor, decimals) {
  const digits = String(minor).padStart(decimals + 1, "0");
  return decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** What POST …/redemptions is sent: a variable reward also carries the amount the shopper picked. */
export function redemptionBody(reward, idempotencyKey, amount) {
  if (reward.kind !== "variable") return { rewardId: reward.id, idempotencyKey };
  return { rewardId: reward.id, idempotencyKey, amount: amountText(amount.minor, amount.decimals) };
}

/**
 * Why this amount of a variable reward cannot be redeemed, or null when it can:
 * "invalid" (not an amount), "tooLow", "tooHigh" (over the reward's maximum or the balance),
 * "step" (not a whole number of steps).
 */
export function amountProblem(reward, amountMinor) {
  const range = amountRange(reward);
  if (amountMinor === null || !Number.isSafeInteger(amountMinor) || amountMinor <= 0) return "invalid";
  if (!range) return "tooHigh";
  if (amountMinor < range.min) return "tooLow";
  if (amountMinor > range.max) return "tooHigh";
  if (amountMinor % range.step !== 0) return "step";
  return null;
}

/**
 * The rewards as a new balance sees them, between two loads: affordable flags and a variable
 * reward's largest amount worked out as the server works them out.
 */
export function withBalance(rewards, balance) {
  return rewards.map((reward) => {
    const affordable = balance >= pointsNeeded(reward);
    if (reward.kind !== "variable") return { ...reward, affordable };
    const most = Math.min(Math.floor(balance / reward.pointsCost) * reward.valueMinor, reward.maxAmountMinor ?? Number.MAX_SAFE_INTEGER);
    return { ...reward, affordable, maxAffordableMinor: affordable ? most : undefined };
  });
}
