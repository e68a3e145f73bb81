import { fromMinorUnits } from "./money";
import type { BreakdownLine } from "./ways-to-earn";

// How a ledger entry came to its points, in the words support reads on the member's page:
// "70 = 1 per 1 USD on 70.00 USD", "Double points weekend: 2x on 70.00 USD → +70",
// "Product review: +50 · Photo review bonus: +20".

const isInt = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);

/** The lines of a ledger entry's breakdown column; lines that cannot be read are left out, a column that cannot be read is none. */
export function parseBreakdown(json: string | null): BreakdownLine[] {
  if (!json) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const lines: BreakdownLine[] = [];
  for (const item of value) {
    if (typeof item !== "object" || item === null) continue;
    const raw = item as Record<string, unknown>;
    if (typeof raw.label !== "string" || !isInt(raw.points)) continue;
    const line: BreakdownLine = { label: raw.label, points: raw.points };
    if (isInt(raw.ruleId)) line.ruleId = raw.ruleId;
    if (isInt(raw.campaignId)) line.campaignId = raw.campaignId;
    if (isInt(raw.basisMinor)) line.basisMinor = raw.basisMinor;
    if (isInt(raw.pointsPerCurrencyUnit)) line.pointsPerCurrencyUnit = raw.pointsPerCurrencyUnit;
    if (isInt(raw.multiplierPercent)) line.multiplierPercent = raw.multiplierPercent;
    lines.push(line);
  }
  return lines;
}

const signed = (points: number) => (points >= 0 ? `+${points.toLocaleString("en-US")}` : points.toLocaleString("en-US"));

function money(minor: number, currency: string): string {
  try {
    return `${fromMinorUnits(minor, currency)} ${currency}`;
  } catch {
    return `${minor} minor units`;
  }
}

/** One line in words. */
export function breakdownLineText(line: BreakdownLine, currency: string): string {
  if (line.pointsPerCurrencyUnit !== undefined && line.basisMinor !== undefined) {
    return `${line.points.toLocaleString("en-US")} = ${line.label} on ${money(line.basisMinor, currency)}`;
  }
  if (line.multiplierPercent !== undefined && line.basisMinor !== undefined) {
    return `${line.label} on ${money(line.basisMinor, currency)} → ${signed(line.points)}`;
  }
  return `${line.label}: ${signed(line.points)}`;
}

/** The whole breakdown in one line, or null when the entry has none. */
export function breakdownText(lines: readonly BreakdownLine[], currency: string): string | null {
  return lines.length ? lines.map((line) => breakdownLineText(line, currency)).join(" · ") : null;
}
