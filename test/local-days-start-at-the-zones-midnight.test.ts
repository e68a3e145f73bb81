import { describe, expect, it } from "vitest";
import { birthdaysCelebratedOn, localDateKey, nextDateKey, parseDateKey, startOfLocalDay } from "../app/domain/local-days";

describe("startOfLocalDay", () => {
  it.each([
    ["2026-12-03", "UTC", "2026-12-03T00:00:00.000Z"],
    ["2026-12-03", "Pacific/Auckland", "2026-12-02T11:00:00.000Z"],
    ["2026-07-03", "Pacific/Auckland", "2026-07-02T12:00:00.000Z"],
    ["2026-12-03", "America/Los_Angeles", "2026-12-03T08:00:00.000Z"],
    // Clocks go forward at 02:00 on 8 March: that day starts in winter time, the next in summer time.
    ["2026-03-08", "America/Los_Angeles", "2026-03-08T08:00:00.000Z"],
    ["2026-03-09", "America/Los_Angeles", "2026-03-09T07:00:00.000Z"],
    // Chile's clocks skip from 00:00 to 01:00 on 6 September: the day starts at 01:00.
    ["2026-09-06", "America/Santiago", "2026-09-06T04:00:00.000Z"],
    ["2026-12-03", "Asia/Kolkata", "2026-12-02T18:30:00.000Z"],
    ["2026-12-03", "Not/A_Zone", "2026-12-03T00:00:00.000Z"],
  ])("%s in %s starts at %s", (date, timeZone, start) => {
    expect(startOfLocalDay(date, timeZone).toISOString()).toBe(start);
    expect(localDateKey(new Date(start), timeZone)).toBe(date);
    expect(localDateKey(new Date(Date.parse(start) - 1), timeZone)).not.toBe(date);
  });

  it("refuses a date that is not on the calendar", () => {
    expect(() => startOfLocalDay("2027-02-29", "UTC")).toThrow(RangeError);
  });
});

describe("calendar dates", () => {
  it.each([
    ["2026-12-31", "2027-01-01"],
    ["2027-02-28", "2027-03-01"],
    ["2028-02-28", "2028-02-29"],
  ])("the day after %s is %s", (date, next) => {
    expect(nextDateKey(date)).toBe(next);
  });

  it.each(["2027-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-04-01", "2026-4-1", ""])("%j is not a calendar date", (key) => {
    expect(parseDateKey(key)).toBeNull();
  });
});

describe("birthdaysCelebratedOn", () => {
  it.each([
    ["2026-12-03", ["12-03"]],
    ["2027-02-28", ["02-28", "02-29"]],
    ["2028-02-28", ["02-28"]],
    ["2028-02-29", ["02-29"]],
    ["2100-02-28", ["02-28", "02-29"]],
    ["2000-02-28", ["02-28"]],
  ])("%s celebrates %j", (date, birthdays) => {
    expect(birthdaysCelebratedOn(date)).toEqual(birthdays);
  });
});
