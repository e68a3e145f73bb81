import { localDate } from "./ways-to-earn";

// Calendar days in a shop's time zone, as the daily jobs count them: a day is "YYYY-MM-DD" and
// starts at the first instant the zone's clock shows that date.

const pad = (n: number) => String(n).padStart(2, "0");

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The "YYYY-MM-DD" an instant falls on in a time zone (an unknown zone reads as UTC). */
export function localDateKey(at: Date, timeZone: string): string {
  const { year, month, day } = localDate(at.toISOString(), timeZone);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** A "YYYY-MM-DD" that names a real calendar date, as numbers; null for anything else. */
export function parseDateKey(key: string): { year: number; month: number; day: number } | null {
  const match = DATE_KEY.exec(key);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The calendar day after a "YYYY-MM-DD". */
export function nextDateKey(key: string): string {
  const parsed = parseDateKey(key);
  if (!parsed) throw new RangeError(`not a calendar date: ${key}`);
  const next = new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day + 1));
  return next.toISOString().slice(0, 10);
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = {
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    };
    try {
      format = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
    } catch {
      format = new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
    }
    wallClocks.set(timeZone, format);
  }
  return format;
}

/** How far the zone's clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    wallClock(timeZone)
      .formatToParts(new Date(ms))
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a calendar day starts in a time zone: local midnight, or the first instant after
 * it where a clock change skips midnight.
 *
 * @example startOfLocalDay("2026-12-03", "Pacific/Auckland") // 2026-12-02T11:00:00.000Z
 */
export function startOfLocalDay(key: string, timeZone: string): Date {
  const cacheKey = `${timeZone} ${key}`;
  let start = dayStarts.get(cacheKey);
  if (start === undefined) {
    start = findStartOfLocalDay(key, timeZone);
    if (dayStarts.size >= DAY_STARTS_KEPT) dayStarts.clear();
    dayStarts.set(cacheKey, start);
  }
  return new Date(start);
}

// The day starts found last, by zone and day: a tier evaluation asks for the same one (when a
// reached tier is kept until) for every member it moves, and each costs three Intl formattings.
const dayStarts = new Map<string, number>();
const DAY_STARTS_KEPT = 1000;

function findStartOfLocalDay(key: string, timeZone: string): number {
  const parsed = parseDateKey(key);
  if (!parsed) throw new RangeError(`not a calendar date: ${key}`);
  const midnightAsUtc = Date.UTC(parsed.year, parsed.month - 1, parsed.day);
  // Twice: the offset at the first guess may differ from the offset at local midnight (a clock change between them).
  let start = midnightAsUtc - offsetAt(midnightAsUtc, timeZone);
  start = midnightAsUtc - offsetAt(start, timeZone);
  // Midnight skipped by a clock change: the day starts at the first instant that shows its date.
  for (let step = 0; step < 4 && localDateKey(new Date(start), timeZone) < key; step++) start += 30 * 60_000;
  return start;
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The "MM-DD" birthdays celebrated on a calendar day: its own, and 29 February's on 28 February
 * outside leap years (as birthdayInYear in ways-to-earn.ts decides).
 *
 * @example birthdaysCelebratedOn("2027-02-28") // ["02-28", "02-29"]
 */
export function birthdaysCelebratedOn(key: string): string[] {
  const parsed = parseDateKey(key);
  if (!parsed) throw new RangeError(`not a calendar date: ${key}`);
  const own = `${pad(parsed.month)}-${pad(parsed.day)}`;
  return own === "02-28" && !isLeap(parsed.year) ? [own, "02-29"] : [own];
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * A wall-clock date and time as the admin's datetime-local field gives it ("2026-12-05T09:30"),
 * read in the shop's time zone, as the instant it names; null when it names no real date and
 * time. A time a clock change skips reads as the first instant after it.
 *
 * @example localDateTimeToInstant("2026-12-05T00:00", "Europe/Copenhagen") // "2026-12-04T23:00:00.000Z"
 */
export function localDateTimeToInstant(text: string, timeZone: string): string | null {
  const match = LOCAL_DATE_TIME.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  if (!parseDateKey(`${match[1]}-${match[2]}-${match[3]}`) || hour > 23 || minute > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let at = wall - offsetAt(wall, timeZone);
  at = wall - offsetAt(at, timeZone);
  return new Date(at).toISOString();
}

/** An instant as the admin's datetime-local field shows it in the shop's time zone ("2026-12-05T09:30"). */
export function instantToLocalDateTime(at: string, timeZone: string): string {
  const ms = Date.parse(at);
  const wall = new Date(Math.floor(ms / 60_000) * 60_000 + offsetAt(ms, timeZone));
  return wall.toISOString().slice(0, 16);
}
