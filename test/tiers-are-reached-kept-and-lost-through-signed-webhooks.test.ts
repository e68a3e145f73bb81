import { describe, expect, it } from "vitest";
import type { TierConfig } from "../app/domain/tiers";
import { TIER_WITHOUT_PERKS } from "../app/domain/tiers";
import {
  evaluateAllTiers,
  listTierChanges,
  orderTierProgress,
  placeMemberInTier,
  previewTierProgram,
  saveTierProgram,
  type TierProgramInput,
} from "../app/models/tiers.server";
import { createReward } from "../app/models/rewards.server";
import { syncMemberMetafields } from "../app/models/metafields.server";
import { schemaCheckedAdmin, type RecordedCall } from "./support/admin-api-stub";
import { useEarningApp } from "./support/earning-app";
import { rewardForm } from "./support/rewards";
import { newId, orderPayload, refundPayload } from "./support/shopify-payloads";

// VIP tiers through the app's real server: signed order webhooks move the qualifying total, an
// upgrade happens in the webhook's transaction, the only way down is the evaluation job, and every
// change is one history row however often an event arrives.

const earn = useEarningApp("2026-03-02T12:00:00.000Z");

const tier = (rank: number, threshold: number, name: string, perks: Partial<TierConfig> = {}): Omit<TierConfig, "id"> => ({
  rank,
  threshold,
  names: { en: name },
  ...TIER_WITHOUT_PERKS,
  ...perks,
});

const program = (spec: Partial<TierProgramInput> = {}): TierProgramInput => ({
  enabled: true,
  basis: "points_earned",
  period: { kind: "calendar_year" },
  retention: "period_and_next",
  adjustmentsCount: false,
  tagPrefix: null,
  tiers: [tier(1, 100, "Silver", { entryBonusPoints: 25 }), tier(2, 300, "Gold", { multiplierPercent: 150 })],
  ...spec,
});

/** An order of `units` units at 50.00 (50 points each with the default purchase rule). */
const order = (customerId: number, units: number) => orderPayload({ customerId, lines: [{ price: "50.00", quantity: units }] });

async function memberTier(shop: string, customerId: number) {
  const row = await earn.db.raw.get<{ id: number; tier_id: number | null; tier_total: number; tier_kept_until: string | null; tier_manual: number | boolean }>(
    `SELECT "id", "tier_id", "tier_total", "tier_kept_until", "tier_manual" FROM "members" WHERE "shop" = ? AND "customer_id" = ?`,
    [shop, String(customerId)],
  );
  const names = await earn.db.raw.all<{ id: number; names: string }>(`SELECT "id", "names" FROM "tiers" WHERE "shop" = ?`, [shop]);
  const name = names.find((t) => t.id === row?.tier_id);
  return { ...row!, tier: name ? (JSON.parse(name.names) as { en: string }).en : null };
}

const history = async (shop: string, memberId: number) =>
  (await listTierChanges(earn.db, shop, memberId))
    .reverse()
    .map((change) => [change.reason, change.fromTierId === null ? null : "x", change.toTierId === null ? null : "x"]);

describe("tiers on points earned over the calendar year", () => {
  it("upgrade in the order's webhook, once under redelivery, with the entry bonus once and the multiplier on later orders", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, program(), "2026-03-01T00:00:00.000Z");
    const customerId = newId();
    const first = order(customerId, 2);
    const webhookId = `wh-${newId()}`;
    expect((await earn.deliver(shop, "orders/paid", first, webhookId)).body.status).toBe("applied");
    await earn.deliver(shop, "orders/paid", first, webhookId);
    await earn.deliver(shop, "orders/paid", first);
    let member = await memberTier(shop, customerId);
    expect(member).toMatchObject({ tier: "Silver", tier_total: 100, tier_kept_until: "2028-01-01T00:00:00.000Z" });
    expect((await earn.entries(shop, customerId)).map((e) => [e.kind, e.delta])).toEqual([
      ["earned", 100],
      ["tier_bonus", 25],
    ]);

    // 200 more points: Gold, reached in the same webhook; the next order earns 1.5x its purchase points.
    await earn.deliver(shop, "orders/paid", order(customerId, 4));
    member = await memberTier(shop, customerId);
    expect(member).toMatchObject({ tier: "Gold", tier_total: 300 });
    await earn.deliver(shop, "orders/paid", order(customerId, 2));
    expect((await earn.entries(shop, customerId)).map((e) => [e.kind, e.delta])).toEqual([
      ["earned", 100],
      ["tier_bonus", 25],
      ["earned", 200],
      ["earned", 100],
      ["tier_bonus", 50],
    ]);
    // Tier bonuses never feed the tier: 100 + 200 + 100 earned.
    expect((await memberTier(shop, customerId)).tier_total).toBe(400);
    expect(await history(shop, member.id)).toEqual([
      ["qualified", null, "x"],
      ["qualified", "x", "x"],
    ]);
  });

  it("count refunds against the total but keep the tier to the end of next year, then evaluation lowers it", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, program(), "2026-03-01T00:00:00.000Z");
    const customerId = newId();
    const big = order(customerId, 6);
    await earn.deliver(shop, "orders/paid", big);
    expect(await memberTier(shop, customerId)).toMatchObject({ tier: "Gold", tier_total: 300 });

    // Refund 4 of 6 units: 200 points back, the total falls below Gold; the tier is kept.
    earn.at("2026-04-01T12:00:00.000Z");
    await earn.deliver(shop, "refunds/create", refundPayload(big, [[0, 4]]));
    expect(await memberTier(shop, customerId)).toMatchObject({ tier: "Gold", tier_total: 100 });

    // The daily evaluation this year and next keeps it (reached in 2026: kept to the end of 2027).
    const { id } = await memberTier(shop, customerId);
    await evaluateAllTiers(earn.db, shop, { now: "2026-12-31T12:00:00.000Z", runKey: "test-2026" });
    await evaluateAllTiers(earn.db, shop, { now: "2027-12-31T12:00:00.000Z", runKey: "test-2027" });
    expect((await memberTier(shop, customerId)).tier).toBe("Gold");

    // 2028: nothing earned in the window: no tier; twice changes it once.
    await evaluateAllTiers(earn.db, shop, { now: "2028-01-01T12:00:00.000Z", runKey: "test-2028" });
    await evaluateAllTiers(earn.db, shop, { now: "2028-01-01T12:00:00.000Z", runKey: "test-2028" });
    expect(await memberTier(shop, customerId)).toMatchObject({ tier: null, tier_total: 0 });
    expect(await history(shop, id)).toEqual([
      ["qualified", null, "x"],
      ["evaluation", "x", null],
    ]);
  });
});

describe("tiers on amount spent", () => {
  it("count merchandise net of refunds and nothing once cancelled", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, program({ basis: "amount_spent", tiers: [tier(1, 150_00, "Silver")] }), "2026-03-01T00:00:00.000Z");
    const customerId = newId();
    const paid = order(customerId, 4);
    await earn.deliver(shop, "orders/paid", paid);
    expect(await memberTier(shop, customerId)).toMatchObject({ tier: "Silver", tier_total: 200_00 });
    await earn.deliver(shop, "refunds/create", refundPayload(paid, [[0, 1]]));
    expect((await memberTier(shop, customerId)).tier_total).toBe(150_00);
    await earn.deliver(shop, "orders/cancelled", { ...paid, cancelled_at: "2026-03-02T13:00:00Z" });
    expect(await memberTier(shop, customerId)).toMatchObject({ tier: "Silver", tier_total: 0 });
  });
});

describe("staff placing a member by hand", () => {
  it("needs a reason, records who did it, and holds against evaluation until the end date", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, program(), "2026-03-01T00:00:00.000Z");
    const customerId = newId();
    await earn.deliver(shop, "orders/paid", order(customerId, 1));
    const { id } = await memberTier(shop, customerId);
    const gold = (await earn.db.raw.get<{ id: number }>(`SELECT "id" FROM "tiers" WHERE "shop" = ? AND "rank" = 2`, [shop]))!.id;
    const staff = { type: "staff" as const, id: "42", name: "Dana Support" };
    const input = { memberId: id, tierId: gold, reason: " ", until: "2026-06-30", idempotencyKey: "manual-key-0001" };

    expect(await placeMemberInTier(earn.db, shop, input, staff, "2026-03-02T12:00:00.000Z")).toMatchObject({
      ok: false,
      fieldErrors: { reason: expect.any(String) },
    });
    expect(await placeMemberInTier(earn.db, shop, { ...input, reason: "Complaint goodwill" }, staff, "2026-03-02T12:00:00.000Z")).toEqual({
      ok: true,
      changed: true,
    });
    expect(await placeMemberInTier(earn.db, shop, { ...input, reason: "Complaint goodwill" }, staff, "2026-03-02T12:00:00.000Z")).toEqual({
      ok: true,
      changed: false,
    });
    expect(await memberTier(shop, customerId)).toMatchObject({ tier: "Gold" });
    const [change] = await listTierChanges(earn.db, shop, id);
    expect(change).toMatchObject({ reason: "manual", note: "Complaint goodwill", actorName: "Dana Support" });

    await evaluateAllTiers(earn.db, shop, { now: "2026-06-30T12:00:00.000Z", runKey: "june" });
    expect((await memberTier(shop, customerId)).tier).toBe("Gold");
    // The placement ended: back to what the total qualifies for (50 points: none).
    await evaluateAllTiers(earn.db, shop, { now: "2026-07-01T12:00:00.000Z", runKey: "july" });
    expect(await memberTier(shop, customerId)).toMatchObject({ tier: null });
    expect((await listTierChanges(earn.db, shop, id))[0]).toMatchObject({ reason: "manual_ended" });
  });
});

describe("changing the tiers", () => {
  it("previews on real members exactly what the recompute then does", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, program({ retention: "rolling" }), "2026-03-01T00:00:00.000Z");
    const customers = [newId(), newId(), newId()];
    for (const [index, customerId] of customers.entries()) await earn.deliver(shop, "orders/paid", order(customerId, [1, 3, 7][index]));
    // Now: none (50), Silver (150), Gold (350). Raise Gold to 400 and Silver to 200.
    const raised = program({ retention: "rolling", tiers: [tier(1, 200, "Silver"), tier(2, 400, "Gold")] });
    const preview = await previewTierProgram(
      earn.db,
      shop,
      { ...raised, tiers: raised.tiers.map((t, i) => ({ ...t, id: -1 - i })) },
      "2026-03-02T12:00:00.000Z",
    );
    expect(preview).toMatchObject({ members: 3, up: 0, down: 2, same: 1 });
    expect(preview.perRank).toEqual([
      { rank: 0, before: 1, after: 2 },
      { rank: 1, before: 1, after: 1 },
      { rank: 2, before: 1, after: 0 },
    ]);

    await saveTierProgram(earn.db, shop, raised, "2026-03-02T12:00:00.000Z");
    await earn.runJobs("2026-03-02T12:00:00.000Z");
    const after = await Promise.all(customers.map(async (customerId) => (await memberTier(shop, customerId)).tier));
    expect(after).toEqual([null, null, "Silver"]);
  });
});

describe("turning tiers on", () => {
  it("counts members' past orders, refunds and points, then places them by the recompute", async () => {
    const shop = await earn.shop();
    const [regular, refunder] = [newId(), newId()];
    const paid = order(refunder, 6);
    await earn.deliver(shop, "orders/paid", order(regular, 4));
    await earn.deliver(shop, "orders/paid", order(regular, 3));
    await earn.deliver(shop, "orders/paid", paid);
    await earn.deliver(shop, "refunds/create", refundPayload(paid, [[0, 5]]));

    await saveTierProgram(earn.db, shop, program(), "2026-03-02T12:00:00.000Z");
    // Saved twice before the job ran: the rebuild still happens.
    await saveTierProgram(earn.db, shop, program(), "2026-03-02T12:00:00.000Z");
    await earn.runJobs("2026-03-02T12:00:01.000Z");
    expect(await memberTier(shop, regular)).toMatchObject({ tier: "Gold", tier_total: 350 });
    expect(await memberTier(shop, refunder)).toMatchObject({ tier: null, tier_total: 50 });

    // The same history on amount spent: 350.00 and 50.00.
    await saveTierProgram(
      earn.db,
      shop,
      program({ basis: "amount_spent", tiers: [tier(1, 100_00, "Silver"), tier(2, 300_00, "Gold")] }),
      "2026-03-02T12:00:00.000Z",
    );
    await earn.runJobs("2026-03-02T12:00:02.000Z");
    expect(await memberTier(shop, regular)).toMatchObject({ tier: "Gold", tier_total: 350_00 });
    expect(await memberTier(shop, refunder)).toMatchObject({ tier: null, tier_total: 50_00 });
  });
});

describe("the tier on the shopper's reads", () => {
  it("shows the tier, its perks and progress, and keeps a Gold-only reward from other members", async () => {
    const shop = await earn.shop();
    await saveTierProgram(
      earn.db,
      shop,
      program({ tiers: [tier(1, 100, "Silver", { names: { en: "Silver", he: "כסף" } }), tier(2, 300, "Gold", { freeShipping: true })] }),
      "2026-03-01T00:00:00.000Z",
    );
    const customerId = newId();
    await earn.deliver(shop, "orders/paid", order(customerId, 1));
    let read = (await earn.shopperRead(shop, customerId)) as unknown as { tier: unknown; nextTier: unknown; rewards: { id: number }[] };
    expect(read.tier).toBeNull();
    expect(read.nextTier).toMatchObject({ name: "Silver", remaining: 50, basis: "points_earned", by: "2027-01-01T00:00:00.000Z" });

    const gold = (await earn.db.raw.get<{ id: number }>(`SELECT "id" FROM "tiers" WHERE "shop" = ? AND "rank" = 2`, [shop]))!.id;
    const reward = await createReward(earn.db, shop, rewardForm({ pointsCost: "50", tierIds: String(gold) }), "2026-03-01T00:00:00.000Z");
    if (!reward.ok) throw new Error("the reward form is invalid");

    await earn.deliver(shop, "orders/paid", order(customerId, 2));
    read = (await earn.shopperRead(shop, customerId)) as unknown as typeof read;
    expect(read.tier).toMatchObject({
      name: "Silver",
      names: { en: "Silver", he: "כסף" },
      rank: 1,
      until: "2028-01-01T00:00:00.000Z",
      perks: { multiplierPercent: 100, freeShipping: false, memberPrice: null },
      next: { id: gold, name: "Gold", remaining: 150 },
    });
    expect(read.nextTier).toBeNull();
    expect(read.rewards.map((r) => r.id)).not.toContain(reward.reward.id);
    expect(await earn.redeem(shop, customerId, reward.reward.id)).toMatchObject({ status: 404, body: { error: "reward_not_found" } });

    await earn.deliver(shop, "orders/paid", order(customerId, 3));
    read = (await earn.shopperRead(shop, customerId)) as unknown as typeof read;
    expect(read.tier).toMatchObject({ name: "Gold", perks: { freeShipping: true }, next: null });
    expect(read.rewards.map((r) => r.id)).toContain(reward.reward.id);
    // Open to Gold now (this harness has no Shopify to create the code: the refusal, if any, is not "not available").
    expect((await earn.redeem(shop, customerId, reward.reward.id)).body.error).not.toBe("reward_not_found");
  });
});

describe("the tier in Shopify's copy", () => {
  it("is written to the customer's $app:loyalty.tier metafield with its perks and progress, and follows a change", async () => {
    const shop = await earn.shop();
    await saveTierProgram(
      earn.db,
      shop,
      program({
        tiers: [
          tier(1, 100, "Silver"),
          tier(2, 300, "Gold", { freeShipping: true, memberPricePercent: 10, memberPriceCollectionIds: ["gid://shopify/Collection/7"] }),
        ],
      }),
      "2026-03-01T00:00:00.000Z",
    );
    const customerId = newId();
    await earn.deliver(shop, "orders/paid", order(customerId, 1));
    const ok = (call: RecordedCall) => (call.operation === "MemberMetafieldsSet" ? { metafieldsSet: { metafields: [], userErrors: [] } } : {});
    const tierMetafield = async () => {
      const { admin, calls } = schemaCheckedAdmin(ok);
      for (let i = 0; i < 3; i++) await syncMemberMetafields(earn.db, shop, admin);
      const written = calls.flatMap((c) => (c.variables.metafields as { ownerId: string; key: string; value: string }[] | undefined) ?? []);
      const value = written.filter((m) => m.ownerId === `gid://shopify/Customer/${customerId}` && m.key === "tier").pop()?.value;
      return value === undefined ? undefined : JSON.parse(value);
    };
    expect(await tierMetafield()).toEqual({ id: null, next: expect.objectContaining({ name: "Silver", remaining: 50, basis: "points_earned" }) });
    await earn.deliver(shop, "orders/paid", order(customerId, 5));
    expect(await tierMetafield()).toMatchObject({
      name: "Gold",
      rank: 2,
      freeShipping: true,
      memberPrice: { percent: 10, collectionIds: ["gid://shopify/Collection/7"] },
      until: "2028-01-01T00:00:00.000Z",
      next: null,
    });
  });

  it("keeps the customer's tier tag in step with the tier under the merchant's prefix, once per change, and takes it off when tags are turned off", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, program({ tagPrefix: "VIP: " }), "2026-03-01T00:00:00.000Z");
    const customerId = newId();
    const tagCalls = async () => {
      const { admin, calls } = schemaCheckedAdmin((call) =>
        call.operation === "MemberMetafieldsSet"
          ? { metafieldsSet: { metafields: [], userErrors: [] } }
          : { [call.operation === "CustomerTagsAdd" ? "tagsAdd" : "tagsRemove"]: { userErrors: [] } },
      );
      for (let i = 0; i < 3; i++) await syncMemberMetafields(earn.db, shop, admin);
      return calls
        .filter((call) => call.operation.startsWith("CustomerTags"))
        .map((call) => [call.operation, call.variables.id, ...(call.variables.tags as string[])]);
    };
    const gid = `gid://shopify/Customer/${customerId}`;
    await earn.deliver(shop, "orders/paid", order(customerId, 1));
    expect(await tagCalls()).toEqual([]);
    await earn.deliver(shop, "orders/paid", order(customerId, 2));
    expect(await tagCalls()).toEqual([["CustomerTagsAdd", gid, "VIP: Silver"]]);
    // A balance change without a tier change writes no tag.
    await earn.deliver(shop, "orders/paid", order(customerId, 1));
    expect(await tagCalls()).toEqual([]);
    await earn.deliver(shop, "orders/paid", order(customerId, 2));
    expect(await tagCalls()).toEqual([
      ["CustomerTagsRemove", gid, "VIP: Silver"],
      ["CustomerTagsAdd", gid, "VIP: Gold"],
    ]);

    // Gold renamed: the recompute after saving puts the member's copy behind, and the tag follows.
    const renamed = program({ tagPrefix: "VIP: ", tiers: [tier(1, 100, "Silver"), tier(2, 300, "Gold Club")] });
    await saveTierProgram(earn.db, shop, renamed, "2026-03-03T00:00:00.000Z");
    await earn.runJobs("2026-03-03T00:00:00.000Z");
    expect(await tagCalls()).toEqual([
      ["CustomerTagsRemove", gid, "VIP: Gold"],
      ["CustomerTagsAdd", gid, "VIP: Gold Club"],
    ]);

    // Tags turned off: the tag comes off.
    await saveTierProgram(earn.db, shop, { ...renamed, tagPrefix: null }, "2026-03-04T00:00:00.000Z");
    await earn.runJobs("2026-03-04T00:00:00.000Z");
    expect(await tagCalls()).toEqual([["CustomerTagsRemove", gid, "VIP: Gold Club"]]);
  });

  it("keeps the tag where it was when Shopify refuses, and writes it on the retry", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, program({ tagPrefix: "VIP: " }), "2026-03-01T00:00:00.000Z");
    const customerId = newId();
    await earn.deliver(shop, "orders/paid", order(customerId, 2));
    const refusing = schemaCheckedAdmin((call) =>
      call.operation === "MemberMetafieldsSet"
        ? { metafieldsSet: { metafields: [], userErrors: [] } }
        : { tagsAdd: { userErrors: [{ field: ["tags"], message: "Throttled" }] } },
    );
    await expect(syncMemberMetafields(earn.db, shop, refusing.admin)).rejects.toThrow(/tagsAdd: Throttled/);
    const row = async () =>
      earn.db.raw.get<{ tier_tag: string | null }>(`SELECT "tier_tag" FROM "members" WHERE "shop" = ? AND "customer_id" = ?`, [shop, String(customerId)]);
    expect(await row()).toEqual({ tier_tag: null });
    const working = schemaCheckedAdmin((call) =>
      call.operation === "MemberMetafieldsSet" ? { metafieldsSet: { metafields: [], userErrors: [] } } : { tagsAdd: { userErrors: [] } },
    );
    await syncMemberMetafields(earn.db, shop, working.admin);
    expect(await row()).toEqual({ tier_tag: "VIP: Silver" });
  });
});

describe("the thank-you page's tier progress", () => {
  it("says how far this order moved the member and what the next tier still takes, for this customer only", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, program(), "2026-03-01T00:00:00.000Z");
    const customerId = newId();
    const first = order(customerId, 3);
    await earn.deliver(shop, "orders/paid", first);
    expect(await orderTierProgress(earn.db, shop, String(customerId), String(first.id), "2026-03-02T12:00:00.000Z")).toMatchObject({
      basis: "points_earned",
      madeByOrder: 150,
      tier: { name: "Silver", next: { name: "Gold", remaining: 150 } },
      nextTier: null,
    });
    expect(await orderTierProgress(earn.db, shop, String(newId()), String(first.id), "2026-03-02T12:00:00.000Z")).toBeNull();
  });
});

describe("a paid membership", () => {
  const MEMBERSHIP = 880_001;
  const paidProgram = () =>
    program({
      tiers: [
        tier(1, 100, "Silver"),
        tier(2, 300, "Gold", { paidProductId: `gid://shopify/Product/${MEMBERSHIP}`, paidDurationDays: 30, entryBonusPoints: 40 }),
      ],
    });
  const membershipOrder = (customerId: number, quantity = 1) => orderPayload({ customerId, lines: [{ price: "20.00", quantity, productId: MEMBERSHIP }] });
  const paidColumns = async (shop: string, customerId: number) =>
    earn.db.raw.get<{ paid_tier_id: number | null; paid_until: string | null }>(
      `SELECT "paid_tier_id", "paid_until" FROM "members" WHERE "shop" = ? AND "customer_id" = ?`,
      [shop, String(customerId)],
    );

  it("bought: the tier at once until the duration ends, once under redelivery; a second purchase extends it", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, paidProgram(), "2026-03-01T00:00:00.000Z");
    const customerId = newId();
    const bought = membershipOrder(customerId);
    const webhookId = `wh-${newId()}`;
    await earn.deliver(shop, "orders/paid", bought, webhookId);
    await earn.deliver(shop, "orders/paid", bought, webhookId);
    await earn.deliver(shop, "orders/paid", bought);
    // 20 points earned would reach no tier: the membership holds Gold, until 30 days after purchase.
    expect(await memberTier(shop, customerId)).toMatchObject({ tier: "Gold", tier_total: 20, tier_kept_until: "2026-04-01T12:00:00.000Z" });
    expect(await paidColumns(shop, customerId)).toMatchObject({ paid_until: "2026-04-01T12:00:00.000Z" });
    const { id } = await memberTier(shop, customerId);
    expect(await history(shop, id)).toEqual([["paid", null, "x"]]);
    expect((await earn.entries(shop, customerId)).map((e) => [e.kind, e.delta])).toEqual([
      ["earned", 20],
      ["tier_bonus", 40],
    ]);

    // Bought again ten days later (two of them): 60 more days from the end of the first.
    earn.at("2026-03-12T12:00:00.000Z");
    await earn.deliver(shop, "orders/paid", membershipOrder(customerId, 2));
    expect(await paidColumns(shop, customerId)).toMatchObject({ paid_until: "2026-05-31T12:00:00.000Z" });
    expect(await history(shop, id)).toEqual([["paid", null, "x"]]);

    // The shopper sees the end date.
    const read = (await earn.shopperRead(shop, customerId)) as unknown as { tier: unknown };
    expect(read.tier).toMatchObject({ name: "Gold", until: "2026-05-31T12:00:00.000Z" });

    // The evaluation after it ends: back to what the member qualifies for (nothing).
    await evaluateAllTiers(earn.db, shop, { now: "2026-06-01T00:00:00.000Z", runKey: "after-membership" });
    expect((await memberTier(shop, customerId)).tier).toBeNull();
    expect(await history(shop, id)).toEqual([
      ["paid", null, "x"],
      ["paid_ended", "x", null],
    ]);
  });

  it("refunded: ends at once and the member falls back to the tier they qualify for; a cancelled purchase holds nothing", async () => {
    const shop = await earn.shop();
    await saveTierProgram(earn.db, shop, paidProgram(), "2026-03-01T00:00:00.000Z");
    const customerId = newId();
    await earn.deliver(shop, "orders/paid", order(customerId, 3)); // 150 points: Silver
    const bought = membershipOrder(customerId);
    await earn.deliver(shop, "orders/paid", bought);
    expect((await memberTier(shop, customerId)).tier).toBe("Gold");

    earn.at("2026-03-05T12:00:00.000Z");
    const refund = refundPayload(bought, [[0, 1]]);
    await earn.deliver(shop, "refunds/create", refund);
    await earn.deliver(shop, "refunds/create", refund);
    expect(await memberTier(shop, customerId)).toMatchObject({ tier: "Silver", tier_total: 150 });
    expect(await paidColumns(shop, customerId)).toEqual({ paid_tier_id: null, paid_until: null });
    const { id } = await memberTier(shop, customerId);
    expect(await history(shop, id)).toEqual([
      ["qualified", null, "x"],
      ["paid", "x", "x"],
      ["paid_ended", "x", "x"],
    ]);

    // Another customer's membership cancelled before it was paid for: never a member.
    const other = newId();
    const cancelled = membershipOrder(other);
    await earn.deliver(shop, "orders/cancelled", { ...cancelled, cancelled_at: "2026-03-05T13:00:00Z" });
    await earn.deliver(shop, "orders/paid", { ...cancelled, cancelled_at: "2026-03-05T13:00:00Z" });
    expect((await memberTier(shop, other)).tier).toBeNull();
    expect(await paidColumns(shop, other)).toEqual({ paid_tier_id: null, paid_until: null });
  });
});
