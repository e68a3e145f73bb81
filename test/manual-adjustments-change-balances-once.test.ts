import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adjustBalance, type StaffActor } from "../app/models/adjustments.server";
import { validateManualAdjustment, type ManualAdjustmentForm } from "../app/domain/manual-adjustment";
import { staffActor } from "../app/shopify/staff-actor.server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./support/database";
import { balanceOf, createMember, recordEntry } from "./support/members";

const SHOP = "adjust-test.myshopify.com";
const OTHER_SHOP = "other-adjust-test.myshopify.com";
const AGENT: StaffActor = { type: "staff", id: "8123456", name: "Grace Support" };
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  await installShop(database.db, OTHER_SHOP);
});
afterAll(async () => database.drop());
afterEach(async () => {
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

const form = (overrides: Partial<ManualAdjustmentForm> = {}): ManualAdjustmentForm => ({
  points: "100",
  reason: "Goodwill for a late delivery",
  customerNote: "",
  idempotencyKey: randomUUID(),
  ...overrides,
});
const adjust = (memberId: number, overrides: Partial<ManualAdjustmentForm> = {}, shop = SHOP) =>
  adjustBalance(database.db, shop, { memberId, ...form(overrides) }, AGENT, new Date().toISOString());
const entryCount = async (memberId: number) =>
  (await database.db.raw.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "ledger_entries" WHERE "member_id" = ?', [memberId]))!.n;

describe("manual adjustments", () => {
  it("adds points with a manual_adjustment entry that names the staff member", async () => {
    const member = await createMember(database.db, SHOP);
    const result = await adjust(member.id, { points: "250", customerNote: "  Sorry for the wait!  " });
    expect(result).toMatchObject({
      ok: true,
      duplicate: false,
      entry: {
        member_id: member.id,
        delta: 250,
        kind: "manual_adjustment",
        actor_type: "staff",
        actor_id: "8123456",
        actor_name: "Grace Support",
        reason: "Goodwill for a late delivery",
        customer_note: "Sorry for the wait!",
      },
    });
    expect(await balanceOf(database.db, member.id)).toBe(250);
  });

  it("removes points with a negative adjustment, even below zero", async () => {
    const member = await createMember(database.db, SHOP);
    await recordEntry(database.db, SHOP, member.id, 40);
    expect(await adjust(member.id, { points: "-30" })).toMatchObject({ ok: true, entry: { delta: -30 } });
    expect(await balanceOf(database.db, member.id)).toBe(10);
    expect(await adjust(member.id, { points: "-25" })).toMatchObject({ ok: true, entry: { delta: -25 } });
    expect(await balanceOf(database.db, member.id)).toBe(-15);
  });

  it("accepts an explicit plus sign", async () => {
    const member = await createMember(database.db, SHOP);
    expect(await adjust(member.id, { points: "+5" })).toMatchObject({ ok: true, entry: { delta: 5 } });
  });

  it.each([
    ["zero", { points: "0" }, "points", /0 points changes nothing/],
    ["negative zero", { points: "-0" }, "points", /0 points changes nothing/],
    ["a fraction", { points: "12.5" }, "points", /whole numbers/],
    ["a decimal comma", { points: "12,5" }, "points", /whole numbers/],
    ["a whole number written with decimals", { points: "10.0" }, "points", /whole numbers/],
    ["not a number", { points: "ten" }, "points", /whole number/],
    ["exponent notation", { points: "1e3" }, "points", /whole number/],
    ["empty points", { points: "  " }, "points", /Enter the points/],
    ["more than a million", { points: "1000001" }, "points", /limited to 1,000,000/],
    ["less than minus a million", { points: "-1000001" }, "points", /limited to 1,000,000/],
    ["a huge number", { points: "99999999999999999999999" }, "points", /limited/],
    ["no reason", { reason: "" }, "reason", /Say why/],
    ["a blank reason", { reason: "   " }, "reason", /Say why/],
    ["a reason too long", { reason: "x".repeat(501) }, "reason", /under 500/],
    ["a note too long", { customerNote: "x".repeat(501) }, "customerNote", /under 500/],
    ["no idempotency key", { idempotencyKey: "" }, "idempotencyKey", /Reload the page/],
    ["a malformed idempotency key", { idempotencyKey: "order:1:earn" }, "idempotencyKey", /Reload the page/],
  ] as const)("refuses %s with a field error and changes nothing", async (_, overrides, field, message) => {
    const member = await createMember(database.db, SHOP);
    const result = await adjust(member.id, overrides);
    expect(result.ok).toBe(false);
    const fieldErrors = "fieldErrors" in result ? result.fieldErrors : {};
    expect(Object.keys(fieldErrors)).toEqual([field]);
    expect(fieldErrors[field]).toMatch(message);
    expect(await entryCount(member.id)).toBe(0);
    expect(await balanceOf(database.db, member.id)).toBe(0);
  });

  it("accepts exactly a million either way", async () => {
    const member = await createMember(database.db, SHOP);
    expect((await adjust(member.id, { points: "1000000" })).ok).toBe(true);
    expect((await adjust(member.id, { points: "-1000000" })).ok).toBe(true);
    expect(await balanceOf(database.db, member.id)).toBe(0);
  });

  it("applies a double submit of the same form once and returns the first entry", async () => {
    const member = await createMember(database.db, SHOP);
    const idempotencyKey = randomUUID();
    const first = await adjust(member.id, { idempotencyKey, points: "75" });
    const second = await adjust(member.id, { idempotencyKey, points: "75" });
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(second).toMatchObject({ ok: true, duplicate: true });
    if (!first.ok || !second.ok || !("entry" in first) || !("entry" in second)) throw new Error("unreachable");
    expect(second.entry.id).toBe(first.entry.id);
    expect(second.entry.source_key).toBe(`adjustment:${idempotencyKey}`);
    expect(await entryCount(member.id)).toBe(1);
    expect(await balanceOf(database.db, member.id)).toBe(75);
  });

  it("applies concurrent submits of the same form once", async () => {
    const member = await createMember(database.db, SHOP);
    const idempotencyKey = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => adjust(member.id, { idempotencyKey })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(await balanceOf(database.db, member.id)).toBe(100);
  });

  it("does not replay one member's form key onto another member", async () => {
    const first = await createMember(database.db, SHOP);
    const second = await createMember(database.db, SHOP);
    const idempotencyKey = randomUUID();
    await adjust(first.id, { idempotencyKey });
    const result = await adjust(second.id, { idempotencyKey });
    expect(result).toMatchObject({ ok: false, fieldErrors: { idempotencyKey: expect.stringMatching(/already used/) } });
    expect(await entryCount(second.id)).toBe(0);
  });

  it("treats another shop's member as not found and leaves it alone", async () => {
    const theirs = await createMember(database.db, OTHER_SHOP);
    expect(await adjust(theirs.id)).toEqual({ ok: false, reason: "member_not_found" });
    expect(await entryCount(theirs.id)).toBe(0);
    expect(await balanceOf(database.db, theirs.id)).toBe(0);
  });

  it("treats an unknown member id as not found", async () => {
    expect(await adjust(987654321)).toEqual({ ok: false, reason: "member_not_found" });
  });
});

describe("the staff member recorded on an adjustment", () => {
  it("is the online session's user when there is one", () => {
    expect(
      staffActor({
        session: { onlineAccessInfo: { associated_user: { id: 42, first_name: "Grace", last_name: "Hopper" } } },
        sessionToken: { sub: "42" },
      }),
    ).toEqual({ type: "staff", id: "42", name: "Grace Hopper" });
  });

  it("is the session token's subject with the offline-token strategy", () => {
    expect(staffActor({ session: {}, sessionToken: { sub: "8123456" } })).toEqual({
      type: "staff",
      id: "8123456",
      name: "Staff 8123456",
    });
  });

  it("is unknown without a user or a subject", () => {
    expect(staffActor({ session: {}, sessionToken: {} })).toBeNull();
  });

  it("validation is pure and keeps the trimmed values", () => {
    const key = randomUUID().toUpperCase();
    expect(validateManualAdjustment({ points: " -12 ", reason: " Typo ", customerNote: " ", idempotencyKey: key })).toEqual({
      ok: true,
      adjustment: { points: -12, reason: "Typo", customerNote: null, idempotencyKey: key.toLowerCase() },
    });
  });
});
