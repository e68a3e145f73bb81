/** An amount of money in integer minor units of its currency (cents, yen, fils). */
export interface Money {
  minor: number;
  currency: string;
}

/** Why an amount could not be read: callers act on the code, never on the message. */
export type MoneyFormatProblem = "not_a_currency_code" | "not_an_amount" | "too_precise" | "too_large";

export class MoneyFormatError extends Error {
  constructor(
    readonly problem: MoneyFormatProblem,
    message: string,
  ) {
    super(message);
    this.name = "MoneyFormatError";
  }
}

// ISO 4217 exponents that are not 2. Everything else has two decimals.
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** How many decimals a currency's minor unit has. @example currencyDecimals("KWD") // 3 */
export function currencyDecimals(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new MoneyFormatError("not_a_currency_code", `"${currency}" is not an ISO 4217 currency code`);
  return EXPONENTS[currency] ?? 2;
}

/**
 * Converts a Shopify decimal string to integer minor units exactly (never through a float).
 * Digits beyond the currency's precision must be zeros.
 *
 * @example toMinorUnits("19.99", "USD") // 1999
 * @example toMinorUnits("1500", "JPY") // 1500
 * @example toMinorUnits("2.125", "KWD") // 2125
 */
export function toMinorUnits(amount: string | number, currency: string): number {
  const decimals = currencyDecimals(currency);
  const text = typeof amount === "number" ? String(amount) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new MoneyFormatError("not_an_amount", `"${text}" is not a decimal amount`);
  const [, sign, whole, fraction = ""] = match;
  const kept = fraction.slice(0, decimals).padEnd(decimals, "0");
  if (/[^0]/.test(fraction.slice(decimals))) {
    throw new MoneyFormatError("too_precise", `"${text}" has more precision than ${currency} allows (${decimals} decimals)`);
  }
  const minor = Number(whole + kept);
  if (!Number.isSafeInteger(minor)) throw new MoneyFormatError("too_large", `"${text}" is too large`);
  return sign && minor !== 0 ? -minor : minor;
}

/** Formats minor units back to a decimal string. @example fromMinorUnits(1999, "USD") // "19.99" */
export function fromMinorUnits(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(decimals + 1, "0");
  if (decimals === 0) return sign + digits;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
