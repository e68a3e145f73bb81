import { describe, expect, it } from "vitest";
import { canonicalAwardRequest, parseAwardRequest, refusalOfSkipped, validateStaffAwardForm } from "../app/domain/action-awards";
import { parseBearerKey, validateApiKeyName } from "../app/domain/api-keys";
import { breakdownText, parseBreakdown } from "../app/domain/breakdown-text";
import { MAX_BULK_ROWS, readBulkAwardCsv } from "../app/domain/bulk-awards";
import { slidingWindowLimiter } from "../app/domain/rate-limit";

const base = { email: "Ada@Example.com", ruleId: 12, idempotencyKey: "judgeme-88120", photo: true, note: " 5 stars " };

describe("an awards API body", () => {
  it("reads the base body", () => {
    expect(parseAwardRequest(base)).toEqual({
      ok: true,
      request: { customer: { email: "ada@example.com" }, ruleId: 12, idempotencyKey: "judgeme-88120", photo: true, note: "5 stars" },
    });
  });

  it.each([
    ["a customer id instead of an email", { email: undefined, customerId: "gid://shopify/Customer/77" }, { customer: { customerId: "77" } }],
    ["a numeric customer id", { email: undefined, customerId: 77 }, { customer: { customerId: "77" } }],
    ["a rule id as a string", { ruleId: "12" }, { ruleId: 12 }],
    ["no photo", { photo: undefined }, { photo: false }],
    ["no note", { note: undefined }, { note: null }],
    ["a key of 200 characters", { idempotencyKey: "k".repeat(200) }, { idempotencyKey: "k".repeat(200) }],
  ])("accepts %s", (_, change, expected) => {
    const parsed = parseAwardRequest({ ...base, ...change });
    expect(parsed.ok && parsed.request).toMatchObject(expected);
  });

  it.each([
    ["both customerId and email", { customerId: "77" }, "customerId"],
    ["neither customerId nor email", { email: undefined }, "customerId"],
    ["a customer id of 0", { email: undefined, customerId: "0" }, "customerId"],
    ["a bad email", { email: "ada@" }, "email"],
    ["no rule id", { ruleId: undefined }, "ruleId"],
    ["a rule id of 1.5", { ruleId: 1.5 }, "ruleId"],
    ["no idempotency key", { idempotencyKey: undefined }, "idempotencyKey"],
    ["an empty idempotency key", { idempotencyKey: "" }, "idempotencyKey"],
    ["a key of 201 characters", { idempotencyKey: "k".repeat(201) }, "idempotencyKey"],
    ["a key with a newline", { idempotencyKey: "a\nb" }, "idempotencyKey"],
    ["a key the app's own forms use", { idempotencyKey: "bulk:1:ada@example.com" }, "idempotencyKey"],
    ["a photo that is not a boolean", { photo: "yes" }, "photo"],
    ["a note that is not a string", { note: 5 }, "note"],
    ["a note of 501 characters", { note: "n".repeat(501) }, "note"],
  ])("refuses %s, naming the field", (_, change, field) => {
    expect(parseAwardRequest({ ...base, ...change })).toMatchObject({ ok: false, reason: "invalid_request", field });
  });

  it("refuses a body that is not an object", () => {
    for (const body of [null, [], "text", 3]) expect(parseAwardRequest(body)).toMatchObject({ ok: false, field: "body" });
  });

  it("reads the same request the same however its JSON is spelled", () => {
    const a = parseAwardRequest(base);
    const b = parseAwardRequest({ note: "5 stars", photo: true, idempotencyKey: "judgeme-88120", ruleId: "12", email: "ada@example.com" });
    const c = parseAwardRequest({ ...base, photo: false });
    if (!a.ok || !b.ok || !c.ok) throw new Error("expected valid bodies");
    expect(canonicalAwardRequest(a.request)).toBe(canonicalAwardRequest(b.request));
    expect(canonicalAwardRequest(a.request)).not.toBe(canonicalAwardRequest(c.request));
  });

  it.each([
    ["already earned", "limit_reached"],
    ["limit of 2 per week reached", "limit_reached"],
    ["the way to earn is off", "not_awardable"],
    ["outside the rule's dates", "not_eligible"],
    ["the customer has none of the rule's tags", "not_eligible"],
    ["no such way to earn", "rule_not_found"],
  ])("names the refusal when the decision skipped it as %s", (reason, expected) => {
    expect(refusalOfSkipped([{ ruleId: 1, reason }]).reason).toBe(expected);
  });
});

describe("an API key", () => {
  const secret = "a".repeat(48);
  it.each([
    [`Bearer lyl_0123abcd_${secret}`, { ok: true, prefix: "0123abcd", secret }],
    [`bearer   lyl_0123abcd_${secret}`, { ok: true, prefix: "0123abcd", secret }],
    [null, { ok: false, reason: "missing_key" }],
    ["", { ok: false, reason: "missing_key" }],
    [`lyl_0123abcd_${secret}`, { ok: false, reason: "malformed_key" }],
    [`Basic lyl_0123abcd_${secret}`, { ok: false, reason: "malformed_key" }],
    [`Bearer lyl_0123abcd_${secret.slice(1)}`, { ok: false, reason: "malformed_key" }],
    [`Bearer lyl_0123ABCD_${secret}`, { ok: false, reason: "malformed_key" }],
  ])("reads %s", (header, expected) => {
    expect(parseBearerKey(header)).toEqual(expected);
  });

  it("has a name of 1 to 100 characters", () => {
    expect(validateApiKeyName(" Judge.me ")).toEqual({ ok: true, name: "Judge.me" });
    expect(validateApiKeyName(" ")).toMatchObject({ ok: false });
    expect(validateApiKeyName("n".repeat(101))).toMatchObject({ ok: false });
  });
});

describe("the per-key rate limit", () => {
  it("lets `limit` requests through per window, says when to retry, and slides", () => {
    const limiter = slidingWindowLimiter({ limit: 2, windowMs: 60_000 });
    expect(limiter.take("k", 0)).toEqual({ ok: true });
    expect(limiter.take("k", 10_000)).toEqual({ ok: true });
    expect(limiter.take("k", 20_000)).toEqual({ ok: false, retryAfterSeconds: 40 });
    expect(limiter.take("other", 20_000)).toEqual({ ok: true });
    expect(limiter.take("k", 60_001)).toEqual({ ok: true });
    expect(limiter.take("k", 60_002)).toEqual({ ok: false, retryAfterSeconds: 10 });
  });
});

describe("a bulk awards CSV", () => {
  const rows = (text: string) => {
    const read = readBulkAwardCsv(text);
    if (!read.ok) throw new Error(read.message);
    return read.rows.map((row) => [row.line, row.email, row.photo, row.problem?.code ?? null]);
  };

  it("reads a header with email and photo in any case, a BOM, quotes and blank lines", () => {
    expect(rows('\uFEFFPhoto,EMAIL\nyes,ada@example.com\n\n"no"," Bob@Example.com "\n')).toEqual([
      [2, "ada@example.com", true, null],
      [4, "bob@example.com", false, null],
    ]);
  });

  it("marks each bad row alone", () => {
    expect(rows("email,photo\nada@example.com,\nnot-an-email,\n,yes\nADA@example.com,no\nbob@example.com,perhaps")).toEqual([
      [2, "ada@example.com", false, null],
      [3, null, false, "bad_email"],
      [4, null, true, "bad_email"],
      [5, "ada@example.com", false, "duplicate"],
      [6, "bob@example.com", false, "bad_photo"],
    ]);
  });

  it.each([
    ["an empty file", "", /empty/],
    ["no email column", "name\nAda", /"email" column/],
    ["only a header", "email\n", /no customers/],
    ["an unclosed quote", 'email\n"ada@example.com', /not a readable CSV/],
    ["too many rows", `email\n${Array.from({ length: MAX_BULK_ROWS + 1 }, (_, i) => `c${i}@example.com`).join("\n")}`, /at most/],
  ])("refuses %s", (_, text, message) => {
    expect(readBulkAwardCsv(text)).toEqual({ ok: false, message: expect.stringMatching(message) });
  });
});

describe("an entry's breakdown in words", () => {
  it.each([
    [
      "a rate on an amount",
      [{ label: "1 per 1 USD", ruleId: 1, basisMinor: 7000, pointsPerCurrencyUnit: 1, points: 70 }],
      "USD",
      "70 = 1 per 1 USD on 70.00 USD",
    ],
    ["a rate in yen", [{ label: "1 per 1 JPY", basisMinor: 1500, pointsPerCurrencyUnit: 1, points: 1500 }], "JPY", "1,500 = 1 per 1 JPY on 1500 JPY"],
    [
      "a campaign multiplier",
      [{ label: "Double points weekend: 2x", campaignId: 3, multiplierPercent: 200, basisMinor: 7000, points: 70 }],
      "USD",
      "Double points weekend: 2x on 70.00 USD → +70",
    ],
    [
      "fixed lines",
      [
        { label: "Product review", points: 50 },
        { label: "Photo review bonus", points: 20 },
      ],
      "USD",
      "Product review: +50 · Photo review bonus: +20",
    ],
  ])("reads %s", (_, lines, currency, text) => {
    expect(breakdownText(parseBreakdown(JSON.stringify(lines)), currency)).toBe(text);
  });

  it("has none when the column is empty or unreadable, and skips lines it cannot read", () => {
    expect(breakdownText(parseBreakdown(null), "USD")).toBeNull();
    expect(breakdownText(parseBreakdown("{oops"), "USD")).toBeNull();
    expect(breakdownText(parseBreakdown('[{"label":"A","points":"x"},{"label":"B","points":2}]'), "USD")).toBe("B: +2");
  });
});

describe("the member page's award form", () => {
  const form = { ruleId: "12", photo: true, reason: " Called in ", awardKey: "3f0c8d3e-1b2a-4c5d-8e9f-0a1b2c3d4e5f" };
  it("reads the base form", () => {
    expect(validateStaffAwardForm(form)).toEqual({
      ok: true,
      award: { ruleId: 12, photo: true, note: "Called in", key: "staff:3f0c8d3e-1b2a-4c5d-8e9f-0a1b2c3d4e5f" },
    });
  });
  it.each([
    ["no rule", { ruleId: "" }, "ruleId"],
    ["a rule that is not a number", { ruleId: "abc" }, "ruleId"],
    ["a reason of 501 characters", { reason: "r".repeat(501) }, "reason"],
    ["no form key", { awardKey: "" }, "awardKey"],
  ])("refuses %s", (_, change, field) => {
    const result = validateStaffAwardForm({ ...form, ...change });
    expect(result.ok).toBe(false);
    expect(Object.keys(!result.ok ? result.fieldErrors : {})).toEqual([field]);
  });
});
