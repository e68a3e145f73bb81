import { describe, expect, it } from "vitest";
import { PointsOverBoundError } from "../app/domain/ledger";
import { MoneyFormatError, toMinorUnits } from "../app/domain/money";
import { CorruptSettingsError } from "../app/models/shops.server";
import { PayloadError } from "../app/webhooks/payloads";
import { permanentFailure, PERMANENT_FAILURE_EXPLANATIONS } from "../app/webhooks/permanent-failures.server";

const thrownBy = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
};

describe("which webhook failures are permanent", () => {
  it.each([
    ["a payload without a field it needs", new PayloadError("order payload has no id"), "malformed_payload"],
    ["half a yen", thrownBy(() => toMinorUnits("1500.5", "JPY")), "amount_too_precise"],
    ["a price that is not a number", thrownBy(() => toMinorUnits("12,50", "EUR")), "amount_unreadable"],
    ["an amount too large to hold exactly", thrownBy(() => toMinorUnits("99999999999999999999", "USD")), "amount_unreadable"],
    ["a currency that is not a code", thrownBy(() => toMinorUnits("1.00", "DOLLARS")), "currency_unknown"],
    ["points beyond the ledger's bound", new PointsOverBoundError(2_000_000_000), "points_over_bound"],
    ["unreadable stored settings", new CorruptSettingsError("excluded_product_ids", "not json"), "shop_settings_unreadable"],
  ])("%s is permanent", (_, error, reason) => {
    expect(permanentFailure(error)).toEqual({ reason, message: (error as Error).message });
    expect(PERMANENT_FAILURE_EXPLANATIONS[reason as keyof typeof PERMANENT_FAILURE_EXPLANATIONS]).toBeTruthy();
  });

  it.each([
    ["a database error", Object.assign(new Error("SQLITE_BUSY: database is locked"), { code: "SQLITE_BUSY" })],
    ["the database's own CHECK on the ledger", new Error('new row for relation "ledger_entries" violates check constraint "ledger_entries_valid_delta"')],
    ["a network error", new TypeError("fetch failed")],
    ["a zero-point entry (a bug, not the payload)", new RangeError("a ledger entry needs a non-zero whole number of points, got 0")],
    ["an error whose message merely sounds permanent", new Error("MoneyFormatError: has more precision than USD allows")],
    ["something thrown that is not an Error", "boom"],
  ])("%s is transient", (_, error) => {
    expect(permanentFailure(error)).toBeNull();
  });

  it("money errors carry their problem as a code", () => {
    expect(thrownBy(() => toMinorUnits("1.005", "USD"))).toMatchObject({ problem: "too_precise" });
    expect(thrownBy(() => toMinorUnits("1.005", "USD"))).toBeInstanceOf(MoneyFormatError);
  });
});
