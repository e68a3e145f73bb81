import { describe, expect, it } from "vitest";
import {
  addressKey,
  deviceClaimsLimit,
  friendLabel,
  friendMustBeNew,
  ipClaimsLimit,
  minimumOrder,
  newReferralCode,
  normaliseEmail,
  phoneKey,
  readReferralCode,
  readReferralProgramForm,
  REFERRAL_CODE_ALPHABET,
  REFERRAL_STATUSES,
  referralTransition,
  referralVerdict,
  referrerMonthlyLimit,
  referrerTotalLimit,
  selfReferralHits,
  type ReferralEvent,
  type ReferralIdentity,
  STARTER_REFERRAL_PROGRAM_FORM,
  type ReferralProgramForm,
} from "../app/domain/referrals";

describe("referral codes", () => {
  it("are 8 symbols of an alphabet without look-alikes, and differ draw to draw", () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newReferralCode()));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(REFERRAL_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it.each([
    ["k7qx3mhp", "K7QX3MHP"],
    [" K7QX3MHP ", "K7QX3MHP"],
    ["K7QX3MH", null],
    ["K7QX3MH0", null],
    ["K7QX3MHPP", null],
    [42, null],
  ])("reads %j as %j", (text, code) => expect(readReferralCode(text)).toBe(code));
});

describe("emails are one key per mailbox", () => {
  it.each([
    ["Jane.Doe@Gmail.com", "janedoe@gmail.com"],
    ["jane.doe+shop@gmail.com", "janedoe@gmail.com"],
    ["j.a.n.e.doe@googlemail.com", "janedoe@gmail.com"],
    ["jane.doe+shop@outlook.com", "jane.doe@outlook.com"],
    ["jane.doe@outlook.com", "jane.doe@outlook.com"],
    ["jane+a@me.com", "jane@icloud.com"],
    ["jane+a@yahoo.com", "jane+a@yahoo.com"],
    ["jane.doe+x@example.co.uk", "jane.doe@example.co.uk"],
  ])("%s → %s", (email, key) => expect(normaliseEmail(email)?.key).toBe(key));

  it.each(["", "jane", "jane@", "@example.com", "jane@example", "ja ne@example.com", "+x@gmail.com", 7])("refuses %j", (email) =>
    expect(normaliseEmail(email)).toBeNull(),
  );

  it("keeps the email as given, trimmed and lower-cased", () => expect(normaliseEmail(" Dana.K@Example.com ")?.email).toBe("dana.k@example.com"));
});

describe("phones and addresses as keys", () => {
  it.each([
    ["+44 7700 900123", "447700900123".slice(-9)],
    ["07700 900123", "7700900123".slice(-9)],
    ["0044 (7700) 900-123", "7700900123".slice(-9)],
    ["12345", null],
    [null, null],
  ])("phone %j → %j", (text, key) => expect(phoneKey(text)).toBe(key));

  it("ignores case, spaces and punctuation in an address, and needs a street", () => {
    const base = { address1: "12 Rue de la Paix", address2: "Apt. 4", zip: "75002", countryCode: "FR" };
    expect(addressKey({ ...base, address1: "12, rue de la  PAIX" })).toBe(addressKey(base));
    expect(addressKey({ ...base, zip: "75003" })).not.toBe(addressKey(base));
    expect(addressKey({ ...base, address1: "", address2: "" })).toBeNull();
    expect(addressKey(null)).toBeNull();
  });
});

describe("each fraud rule", () => {
  const referrer: ReferralIdentity = { customerId: "1", emailKey: "dana@example.com", phoneKey: "700900123", addressKey: "fr|75002|12ruedelapaix" };
  const friend: ReferralIdentity = { customerId: "2", emailKey: "sam@example.com", phoneKey: "700900999", addressKey: "fr|75002|1ruedelapaix" };

  it("self-referral: none for a real friend", () => expect(selfReferralHits(referrer, friend)).toEqual([]));
  it.each([
    ["customerId", "same_customer", true],
    ["emailKey", "same_email", true],
    ["phoneKey", "same_phone", true],
    ["addressKey", "same_address", false],
  ] as const)("self-referral by %s hits %s (certain: %s)", (field, rule, certain) => {
    const hits = selfReferralHits(referrer, { ...friend, [field]: referrer[field] });
    expect(hits.map((h) => [h.rule, h.certain])).toEqual([[rule, certain]]);
  });
  it("self-referral: unknown on either side is no hit", () => {
    const unknown: ReferralIdentity = { customerId: null, emailKey: null, phoneKey: null, addressKey: null };
    expect(selfReferralHits(unknown, unknown)).toEqual([]);
  });

  it.each([
    [0, null],
    [1, "friend_not_new"],
  ])("friend with %i earlier paid orders → %s", (earlierPaidOrders, rule) => expect(friendMustBeNew({ earlierPaidOrders })?.rule ?? null).toBe(rule));

  it.each([
    [{ thisMonth: 2, max: 3 }, null],
    [{ thisMonth: 3, max: 3 }, "referrer_monthly_limit"],
    [{ thisMonth: 99, max: null }, null],
  ])("monthly %j → %s", (counted, rule) => expect(referrerMonthlyLimit(counted)?.rule ?? null).toBe(rule));

  it.each([
    [{ total: 9, max: 10 }, null],
    [{ total: 10, max: 10 }, "referrer_total_limit"],
    [{ total: 99, max: null }, null],
  ])("total %j → %s", (counted, rule) => expect(referrerTotalLimit(counted)?.rule ?? null).toBe(rule));

  it.each([
    [{ lastWeek: 9, max: 10 }, null],
    [{ lastWeek: 10, max: 10 }, false],
    [{ lastWeek: 29, max: 10 }, false],
    [{ lastWeek: 30, max: 10 }, true],
    [{ lastWeek: 50, max: null }, null],
  ])("IP claims %j → certain %s", (claims, certain) => expect(ipClaimsLimit(claims)?.certain ?? null).toBe(certain));

  it.each([
    [{ lastWeek: 9, max: 10 }, null],
    [{ lastWeek: 10, max: 10 }, true],
    [{ lastWeek: 50, max: null }, null],
  ])("device claims %j → certain %s", (claims, certain) => expect(deviceClaimsLimit(claims)?.certain ?? null).toBe(certain));

  it.each([
    [{ totalMinor: 4999, minimumMinor: 5000 }, "minimum_order"],
    [{ totalMinor: 5000, minimumMinor: 5000 }, null],
    [{ totalMinor: 1, minimumMinor: 0 }, null],
  ])("order %j → %s", (order, rule) => expect(minimumOrder(order)?.rule ?? null).toBe(rule));

  it("hits decide: certain rejects, uncertain reviews, none pends", () => {
    const certain = { rule: "same_email" as const, reason: "", certain: true };
    const unsure = { rule: "ip_claims_limit" as const, reason: "", certain: false };
    expect(referralVerdict([null, null])).toBe("pending");
    expect(referralVerdict([unsure, null])).toBe("review");
    expect(referralVerdict([unsure, certain])).toBe("rejected");
  });
});

describe("the referral status moves through one rule", () => {
  const EVENTS: ReferralEvent[] = ["order_paid", "window_started", "window_ended", "order_reversed", "reject", "flag", "approve"];
  const ALLOWED: Record<string, string> = {
    "claimed + order_paid": "ordered",
    "ordered + window_started": "pending",
    "pending + window_ended": "rewarded",
    "ordered + order_reversed": "cancelled",
    "pending + order_reversed": "cancelled",
    "review + order_reversed": "cancelled",
    "claimed + reject": "rejected",
    "ordered + reject": "rejected",
    "pending + reject": "rejected",
    "review + reject": "rejected",
    "claimed + flag": "review",
    "ordered + flag": "review",
    "pending + flag": "review",
    "review + approve": "pending",
  };
  const cases = REFERRAL_STATUSES.flatMap((from) => EVENTS.map((event) => [`${from} + ${event}`, from, event] as const));
  it.each(cases)("%s", (label, from, event) => {
    const result = referralTransition(from, event);
    if (ALLOWED[label]) expect(result).toEqual({ ok: true, status: ALLOWED[label] });
    else expect(result).toMatchObject({ ok: false, reason: "not_allowed" });
  });
});

describe("the program form", () => {
  const base: ReferralProgramForm = { ...STARTER_REFERRAL_PROGRAM_FORM };

  it("reads the base form", () => {
    expect(readReferralProgramForm(base, "USD")).toEqual({
      ok: true,
      settings: {
        enabled: true,
        friendOfferKind: "fixed_amount",
        friendValueMinor: 1000,
        friendPercentOff: 0,
        friendMinimumSubtotalMinor: null,
        friendCodeLifetimeDays: 30,
        referrerPoints: 500,
        referrerRewardId: null,
        cookieDays: 30,
        windowDays: null,
        maxPerReferrerMonth: null,
        maxPerReferrerTotal: null,
        maxClaimsPerIpWeek: 10,
        maxClaimsPerDeviceWeek: 10,
        minimumOrderMinor: 0,
      },
    });
  });

  it.each<[Partial<ReferralProgramForm>, keyof ReferralProgramForm | null]>([
    [{ friendOfferKind: "free_product" }, "friendOfferKind"],
    [{ friendAmount: "" }, "friendAmount"],
    [{ friendAmount: "0" }, "friendAmount"],
    [{ friendAmount: "1.234" }, "friendAmount"],
    [{ friendOfferKind: "percentage", friendPercentOff: "101" }, "friendPercentOff"],
    [{ friendOfferKind: "percentage", friendPercentOff: "15", friendAmount: "" }, null],
    [{ friendOfferKind: "free_shipping", friendAmount: "" }, null],
    [{ friendMinimumSubtotal: "abc" }, "friendMinimumSubtotal"],
    [{ friendCodeLifetimeDays: "366" }, "friendCodeLifetimeDays"],
    [{ referrerPoints: "0" }, "referrerPoints"],
    [{ referrerPoints: "1000001" }, "referrerPoints"],
    [{ referrerPoints: "1.5" }, "referrerPoints"],
    [{ referrerPoints: "1000000" }, null],
    [{ referrerRewardKind: "reward", referrerRewardId: "9" }, "referrerRewardId"],
    [{ referrerRewardKind: "reward", referrerRewardId: "7" }, null],
    [{ referrerRewardKind: "cash" }, "referrerRewardKind"],
    [{ cookieDays: "0" }, "cookieDays"],
    [{ windowDays: "365" }, null],
    [{ windowDays: "-1" }, "windowDays"],
    [{ maxPerReferrerMonth: "0" }, "maxPerReferrerMonth"],
    [{ maxPerReferrerTotal: "x" }, "maxPerReferrerTotal"],
    [{ maxClaimsPerIpWeek: "" }, null],
    [{ maxClaimsPerDeviceWeek: "2.5" }, "maxClaimsPerDeviceWeek"],
    [{ minimumOrder: "-5" }, "minimumOrder"],
  ])("%j → error on %s", (change, field) => {
    const result = readReferralProgramForm({ ...base, ...change }, "USD", { rewardIds: [7] });
    if (field === null) expect(result.ok).toBe(true);
    else {
      expect(result.ok).toBe(false);
      expect(Object.keys(!result.ok ? result.fieldErrors : {})).toEqual([field]);
    }
  });
});

it("friends show by first name, else a masked email", () => {
  expect(friendLabel("Dana", "dana@example.com")).toBe("Dana");
  expect(friendLabel(null, "dana@example.com")).toBe("da***@example.com");
  expect(friendLabel(null, "")).toBe("");
});
