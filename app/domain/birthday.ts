/** Days in each month; February allows the 29th (the year is never asked). */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export type BirthdayParse = { ok: true; birthday: string } | { ok: false; reason: "invalid_birthday"; message: string };

/**
 * A birthday as the shopper gives it: month and day, no year, stored as "MM-DD".
 *
 * @example parseBirthday("3", "12") // { ok: true, birthday: "03-12" }
 * @example parseBirthday("2", "30") // { ok: false, reason: "invalid_birthday", message: "February has no day 30." }
 */
export function parseBirthday(month: unknown, day: unknown): BirthdayParse {
  const m = typeof month === "number" ? month : Number(String(month ?? "").trim());
  const d = typeof day === "number" ? day : Number(String(day ?? "").trim());
  if (!Number.isInteger(m) || m < 1 || m > 12) return { ok: false, reason: "invalid_birthday", message: "Choose a month." };
  if (!Number.isInteger(d) || d < 1) return { ok: false, reason: "invalid_birthday", message: "Choose a day." };
  if (d > DAYS_IN_MONTH[m - 1]) {
    const name = new Date(Date.UTC(2000, m - 1, 1)).toLocaleString("en", { month: "long", timeZone: "UTC" });
    return { ok: false, reason: "invalid_birthday", message: `${name} has no day ${d}.` };
  }
  return { ok: true, birthday: `${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` };
}
