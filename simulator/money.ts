// Money inside the simulator is integer minor units; Shopify's payloads carry decimal strings.
// Kept apart from app/domain/money.ts on purpose: a stand-in that shares the app's code would
// share its bugs too.
import { SimulatorInputError } from "./errors";

// ISO 4217 exponents that are not 2.
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
};

export function decimalsOf(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`"${currency}" is not an ISO 4217 currency code`);
  return EXPONENTS[currency] ?? 2;
}

/**
 * Shopify's decimal string for an amount. REST payloads always carry the currency's decimals
 * ("10.00", "1500", "2.125"); GraphQL `Decimal` drops trailing zeros ("10.0"), see `graphqlDecimal`.
 */
export function formatMinor(minor: number, currency: string): string {
  const decimals = decimalsOf(currency);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(decimals + 1, "0");
  return decimals === 0 ? sign + digits : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** GraphQL Admin `Decimal` as Shopify renders it: at least one decimal, no trailing zeros ("10.0", "19.99"). */
export function graphqlDecimal(minor: number, currency: string): string {
  const [whole, fraction = ""] = formatMinor(minor, currency).split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${whole}.${trimmed || "0"}`;
}

/** Reads a decimal amount exactly. Returns null when it is not a number or has more precision than the currency. */
export function parseMinor(amount: string | number, currency: string): number | null {
  const decimals = decimalsOf(currency);
  const text = String(amount).trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  if (/[^0]/.test(fraction.slice(decimals))) return null;
  const minor = Number(whole + fraction.slice(0, decimals).padEnd(decimals, "0"));
  if (!Number.isSafeInteger(minor)) return null;
  return sign && minor !== 0 ? -minor : minor;
}

/** Like parseMinor, but throws: for amounts written by a test or the control API. */
export function requireMinor(amount: string | number, currency: string, what: string): number {
  const minor = parseMinor(amount, currency);
  if (minor === null) throw new SimulatorInputError(`${what} "${amount}" is not an amount in ${currency} (${decimalsOf(currency)} decimals)`);
  return minor;
}

/** Splits `total` in proportion `part / whole` so that the pieces of a whole always add up to the total. */
export function proportion(total: number, partSoFar: number, part: number, whole: number): number {
  if (whole === 0) return 0;
  return Math.round((total * (partSoFar + part)) / whole) - Math.round((total * partSoFar) / whole);
}
