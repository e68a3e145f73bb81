import { describe, expect, it } from "vitest";
import { pointsForOrder } from "../app/domain/earning";
import { PURCHASE_CASES } from "./support/purchase-cases";
import { fromMinorUnits, MoneyFormatError, toMinorUnits } from "../app/domain/money";
import { pointsToTakeBack, refundedBasis } from "../app/domain/reversal";

describe("toMinorUnits: Shopify's decimal strings to integer minor units, exactly", () => {
  it.each([
    ["19.99", "USD", 1999],
    ["0.10", "USD", 10],
    ["1.005", "USD", MoneyFormatError],
    ["1.000", "USD", 100],
    ["1500", "JPY", 1500],
    ["1500.0", "JPY", 1500],
    ["1500.5", "JPY", MoneyFormatError],
    ["12.345", "KWD", 12345],
    ["0.001", "BHD", 1],
    ["-5.00", "EUR", -500],
    ["5", "EUR", 500],
    ["1e3", "USD", MoneyFormatError],
    ["", "USD", MoneyFormatError],
    ["1.00", "usd", MoneyFormatError],
    ["90071992547409.92", "USD", MoneyFormatError],
  ])("%s %s -> %s", (amount, currency, expected) => {
    if (expected === MoneyFormatError) expect(() => toMinorUnits(amount, currency)).toThrow(MoneyFormatError);
    else expect(toMinorUnits(amount, currency)).toBe(expected);
  });

  it.each([
    [1999, "USD", "19.99"],
    [5, "USD", "0.05"],
    [1500, "JPY", "1500"],
    [12345, "KWD", "12.345"],
    [-1, "USD", "-0.01"],
  ])("fromMinorUnits(%s, %s) = %s", (minor, currency, text) => {
    expect(fromMinorUnits(minor, currency)).toBe(text);
    expect(toMinorUnits(text, currency)).toBe(minor);
  });
});

describe("pointsForOrder: one base order, one field varied at a time", () => {
  it.each(PURCHASE_CASES)("%s", (_name, order, rules, expected) => {
    const decision = pointsForOrder(order, rules);
    if (typeof expected === "number") expect(decision).toMatchObject({ earns: true, points: expected });
    else expect(decision).toMatchObject({ earns: false, reason: expected });
  });
});

describe("refund reversal", () => {
  const lines = [
    { lineItemId: "a", quantity: 4, basisMinor: 4000 },
    { lineItemId: "b", quantity: 1, basisMinor: 5750 },
  ];

  it.each<[string, { lineItemId: string; quantity: number }[][], number]>([
    ["nothing refunded", [], 0],
    ["one of four units", [[{ lineItemId: "a", quantity: 1 }]], 1000],
    ["two refunds of the same line add up", [[{ lineItemId: "a", quantity: 1 }], [{ lineItemId: "a", quantity: 2 }]], 3000],
    ["never more units than bought", [[{ lineItemId: "a", quantity: 3 }], [{ lineItemId: "a", quantity: 3 }]], 4000],
    ["a line that did not earn counts nothing", [[{ lineItemId: "gift", quantity: 1 }]], 0],
    [
      "everything",
      [
        [
          { lineItemId: "a", quantity: 4 },
          { lineItemId: "b", quantity: 1 },
        ],
      ],
      9750,
    ],
  ])("refundedBasis: %s", (_name, refunds, expected) => {
    expect(refundedBasis(lines, refunds)).toBe(expected);
  });

  it.each([
    ["nothing refunded", { earnedPoints: 97, basisMinor: 9750, refundedBasisMinor: 0, cancelled: false }, 0],
    ["a quarter, rounded down", { earnedPoints: 97, basisMinor: 9750, refundedBasisMinor: 2550, cancelled: false }, 25],
    ["all of it", { earnedPoints: 97, basisMinor: 9750, refundedBasisMinor: 9750, cancelled: false }, 97],
    ["more than the basis", { earnedPoints: 97, basisMinor: 9750, refundedBasisMinor: 99999, cancelled: false }, 97],
    ["cancelled", { earnedPoints: 97, basisMinor: 9750, refundedBasisMinor: 100, cancelled: true }, 97],
    ["nothing earned", { earnedPoints: 0, basisMinor: 9750, refundedBasisMinor: 9750, cancelled: true }, 0],
  ])("pointsToTakeBack: %s", (_name, state, expected) => {
    expect(pointsToTakeBack(state)).toBe(expected);
  });

  it("never takes back more than earned, and all of it once everything is refunded, for any split", () => {
    for (let earned = 1; earned <= 60; earned += 7) {
      for (let basis = 1; basis <= 5000; basis += 397) {
        let previous = 0;
        for (let refunded = 0; refunded <= basis; refunded += Math.max(1, Math.floor(basis / 9))) {
          const taken = pointsToTakeBack({ earnedPoints: earned, basisMinor: basis, refundedBasisMinor: refunded, cancelled: false });
          expect(taken).toBeGreaterThanOrEqual(previous);
          expect(taken).toBeLessThanOrEqual(earned);
          previous = taken;
        }
        expect(pointsToTakeBack({ earnedPoints: earned, basisMinor: basis, refundedBasisMinor: basis, cancelled: false })).toBe(earned);
      }
    }
  });
});
