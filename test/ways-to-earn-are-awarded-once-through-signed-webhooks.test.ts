import { describe, expect, it } from "vitest";
import { useEarningApp } from "./support/earning-app";
import { newId, orderPayload, refundPayload, type OrderSpec } from "./support/shopify-payloads";

// Ways to earn on orders, through signed webhooks to the app's real server with its clock set by
// the test: purchase points, stamp cards, first-order bonuses, campaigns and dry runs.

const earn = useEarningApp();

const order = (spec: OrderSpec & { customerId: number }) => orderPayload({ lines: [{ price: "100.00" }], ...spec });
const paid = (shop: string, payload: unknown, webhookId?: string) => earn.deliver(shop, "orders/paid", payload, webhookId);
const cancelled = (shop: string, payload: ReturnType<typeof orderPayload>) =>
  earn.deliver(shop, "orders/cancelled", { ...payload, cancelled_at: "2026-12-02T13:00:00Z" });
const deltas = async (shop: string, customerId: number) => (await earn.entries(shop, customerId)).map((entry) => [entry.kind, entry.delta]);

describe("purchase points", () => {
  it("award the rule's rate per unit of currency", async () => {
    const shop = await earn.shop();
    await earn.updateRule(await earn.purchaseRuleOf(shop), { pointsPerCurrencyUnit: 3 });
    const customerId = newId();
    // 2 x 40.00 - 8.00 + 25.50 = 97.50 of merchandise: 292.5 points, rounded down.
    expect((await paid(shop, orderPayload({ customerId }))).body.status).toBe("applied");
    expect(await deltas(shop, customerId)).toEqual([["earned", 292]]);
  });

  it("award a fixed number of points per order, whatever its amount", async () => {
    const shop = await earn.shop();
    await earn.updateRule(await earn.purchaseRuleOf(shop), { pointsPerCurrencyUnit: null, points: 50 });
    const customerId = newId();
    await paid(shop, order({ customerId, lines: [{ price: "3.00" }] }));
    await paid(shop, order({ customerId, lines: [{ price: "900.00" }] }));
    expect(await deltas(shop, customerId)).toEqual([
      ["earned", 50],
      ["earned", 50],
    ]);
  });

  it("skip orders below the minimum, excluded products and excluded customer tags", async () => {
    const shop = await earn.shop({ minimumOrderMinor: 5000, excludedProductIds: ["777"], excludedCustomerTags: ["staff"] });
    const customerId = newId();
    await paid(shop, order({ customerId, lines: [{ price: "49.99" }] }));
    expect(await deltas(shop, customerId)).toEqual([]);
    // 60.00 on an excluded product and 55.00 that earns: the 55.00 alone is above the minimum.
    await paid(shop, order({ customerId, lines: [{ price: "60.00", productId: 777 }, { price: "55.00" }] }));
    expect(await deltas(shop, customerId)).toEqual([["earned", 55]]);
    // Excluded products do not count towards the minimum either.
    await paid(shop, order({ customerId, lines: [{ price: "60.00", productId: 777 }, { price: "10.00" }] }));
    const staff = newId();
    await paid(shop, order({ customerId: staff, customerTags: "VIP, Staff" }));
    expect(await deltas(shop, customerId)).toEqual([["earned", 55]]);
    expect(await deltas(shop, staff)).toEqual([]);
  });
});

describe("a stamp card (every 3rd qualifying order)", () => {
  const stampShop = async () => {
    const shop = await earn.shop({ minimumOrderMinor: 2000 });
    const ruleId = await earn.addRule(shop, { kind: "nth_order", points: 200, everyNth: 3 });
    return { shop, ruleId };
  };
  const progressOf = async (shop: string, customerId: number, ruleId: number) =>
    (await earn.shopperRead(shop, customerId)).waysToEarn.find((way) => way.id === ruleId)?.progress;

  it("gives the bonus on the 3rd qualifying order; an order below the minimum does not count", async () => {
    const { shop, ruleId } = await stampShop();
    const customerId = newId();
    const first = order({ customerId, lines: [{ price: "30.00" }] });
    await paid(shop, first);
    await paid(shop, order({ customerId, lines: [{ price: "10.00" }] }));
    await paid(shop, order({ customerId, lines: [{ price: "30.00" }] }));
    expect(await progressOf(shop, customerId, ruleId)).toEqual({ done: 2, of: 3 });
    const third = order({ customerId, lines: [{ price: "30.00" }] });
    await paid(shop, third);
    expect(await progressOf(shop, customerId, ruleId)).toEqual({ done: 0, of: 3 });
    expect(await earn.entries(shop, customerId)).toMatchObject([
      { kind: "earned", delta: 30 },
      { kind: "earned", delta: 30 },
      { kind: "earned", delta: 30 },
      { kind: "order_bonus", delta: 200, rule_id: ruleId, source_key: `nth:${ruleId}:${third.id}` },
    ]);
    // Redelivered (a new webhook id): the order counted once, its bonus paid once.
    await paid(shop, third);
    await paid(shop, first);
    expect((await earn.member(shop, customerId))!.qualifying_orders).toBe(3);
    expect(await earn.entries(shop, customerId)).toHaveLength(4);
  });

  it("stops counting a cancelled order", async () => {
    const { shop, ruleId } = await stampShop();
    const customerId = newId();
    await paid(shop, order({ customerId }));
    const second = order({ customerId });
    await paid(shop, second);
    await cancelled(shop, second);
    await cancelled(shop, second);
    expect(await progressOf(shop, customerId, ruleId)).toEqual({ done: 1, of: 3 });
    await paid(shop, order({ customerId }));
    expect((await earn.entries(shop, customerId)).filter((entry) => entry.kind === "order_bonus")).toEqual([]);
    await paid(shop, order({ customerId }));
    expect((await earn.entries(shop, customerId)).filter((entry) => entry.kind === "order_bonus")).toHaveLength(1);
  });

  it("pays one bonus per full card: cancelling an earlier order does not pay the same card twice, cancelling the bonus order lets the next one earn it", async () => {
    const { shop } = await stampShop();
    const bonuses = async (customerId: number) => (await earn.entries(shop, customerId)).filter((entry) => entry.kind === "order_bonus").length;
    const customerId = newId();
    const orders = [order({ customerId }), order({ customerId }), order({ customerId })];
    for (const payload of orders) await paid(shop, payload);
    expect(await bonuses(customerId)).toBe(1);
    await cancelled(shop, orders[0]);
    await paid(shop, order({ customerId }));
    expect(await bonuses(customerId)).toBe(1);
    // Orders 4, 5 and 6 that count: the second card is full.
    for (let i = 0; i < 3; i++) await paid(shop, order({ customerId }));
    expect(await bonuses(customerId)).toBe(2);

    const other = newId();
    const card = [order({ customerId: other }), order({ customerId: other }), order({ customerId: other })];
    for (const payload of card) await paid(shop, payload);
    await cancelled(shop, card[2]);
    await paid(shop, order({ customerId: other }));
    expect(await deltas(shop, other)).toEqual([
      ["earned", 100],
      ["earned", 100],
      ["earned", 100],
      ["order_bonus", 200],
      ["cancel_reversal", -300],
      ["earned", 100],
      ["order_bonus", 200],
    ]);
  });

  it("counts two orders of one member paid at once as two, however often each is delivered", async () => {
    const { shop, ruleId } = await stampShop();
    const customerId = newId();
    await paid(shop, order({ customerId }));
    const two = [order({ customerId }), order({ customerId })];
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => paid(shop, two[i % 2])));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect((await earn.member(shop, customerId))!.qualifying_orders).toBe(3);
    expect((await earn.entries(shop, customerId)).filter((entry) => entry.kind === "order_bonus")).toMatchObject([{ delta: 200, rule_id: ruleId }]);
    expect(await earn.balance(shop, customerId)).toBe(3 * 100 + 200);
  });
});

describe("the first-order bonus", () => {
  it("is paid once per customer ever, and a refund never takes back a bonus the order did not get", async () => {
    const shop = await earn.shop();
    const ruleId = await earn.addRule(shop, { kind: "first_order", points: 300 });
    const customerId = newId();
    const first = order({ customerId });
    await paid(shop, first);
    await paid(shop, order({ customerId }));
    expect(await deltas(shop, customerId)).toEqual([
      ["earned", 100],
      ["order_bonus", 300],
      ["earned", 100],
    ]);
    expect((await earn.entries(shop, customerId))[1]).toMatchObject({ rule_id: ruleId, source_key: `first-order:${ruleId}:${customerId}` });

    // The first order is cancelled: its bonus goes with it and is not paid again on a later order.
    const other = newId();
    const cancelledFirst = order({ customerId: other, lines: [{ price: "25.00", quantity: 4 }] });
    await paid(shop, cancelledFirst);
    await cancelled(shop, cancelledFirst);
    const next = order({ customerId: other, lines: [{ price: "25.00", quantity: 4 }] });
    await paid(shop, next);
    await earn.deliver(shop, "refunds/create", refundPayload(next, [[0, 2]]));
    expect(await deltas(shop, other)).toEqual([
      ["earned", 100],
      ["order_bonus", 300],
      ["cancel_reversal", -400],
      ["earned", 100],
      ["refund_reversal", -50],
    ]);
  });
});

describe("campaigns", () => {
  const WEEKEND = { startsAt: "2026-12-05T00:00:00.000Z", endsAt: "2026-12-07T00:00:00.000Z" };

  it("run from their start to their end, the end excluded, by the applier's clock", async () => {
    const shop = await earn.shop();
    const campaignId = await earn.addCampaign(shop, { name: "Double weekend", ...WEEKEND, multiplierPercent: 200 });
    const customerId = newId();
    for (const at of ["2026-12-04T23:59:59.000Z", "2026-12-05T00:00:00.000Z", "2026-12-06T23:59:59.000Z", "2026-12-07T00:00:00.000Z"]) {
      earn.at(at);
      await paid(shop, order({ customerId }));
    }
    const entries = await earn.entries(shop, customerId);
    expect(entries.map((entry) => [entry.kind, entry.delta])).toEqual([
      ["earned", 100],
      ["earned", 100],
      ["campaign_bonus", 100],
      ["earned", 100],
      ["campaign_bonus", 100],
      ["earned", 100],
    ]);
    expect(entries[2]).toMatchObject({ campaign_id: campaignId, rule_id: null });
    expect(JSON.parse(entries[2].breakdown!)).toEqual([{ label: "Double weekend: 2x", campaignId, multiplierPercent: 200, basisMinor: 10000, points: 100 }]);
  });

  it("overlapping: the highest multiplier wins on each line, a product-limited one only on its products, fixed bonuses add", async () => {
    const shop = await earn.shop();
    earn.at("2026-12-06T10:00:00.000Z");
    const double = await earn.addCampaign(shop, { name: "Double", ...WEEKEND, multiplierPercent: 200 });
    const triple = await earn.addCampaign(shop, { name: "Triple hats", ...WEEKEND, multiplierPercent: 300, productIds: ["42"] });
    const bonus = await earn.addCampaign(shop, { name: "Welcome", ...WEEKEND, bonusPoints: 25 });
    const customerId = newId();
    // 60.00 of hats (product 42) at 3x, 40.00 of anything else at 2x.
    const payload = order({ customerId, lines: [{ price: "60.00", productId: 42 }, { price: "40.00" }] });
    await paid(shop, payload);
    const entries = await earn.entries(shop, customerId);
    expect(entries.map((entry) => [entry.kind, entry.delta, entry.campaign_id])).toEqual([
      ["earned", 100, null],
      ["campaign_bonus", 40, double],
      ["campaign_bonus", 120, triple],
      ["campaign_bonus", 25, bonus],
    ]);
    expect(JSON.parse(entries[2].breakdown!)).toEqual([
      { label: "Triple hats: 3x", campaignId: triple, multiplierPercent: 300, basisMinor: 6000, points: 120 },
    ]);
    expect(JSON.parse(entries[3].breakdown!)).toEqual([{ label: "Welcome: bonus", campaignId: bonus, points: 25 }]);
    // An order with no hats: the 2x alone, and the fixed bonus.
    const plain = newId();
    await paid(shop, order({ customerId: plain }));
    expect(await deltas(shop, plain)).toEqual([
      ["earned", 100],
      ["campaign_bonus", 100],
      ["campaign_bonus", 25],
    ]);
  });

  it("2x and 3x on every product: the 3x alone applies", async () => {
    const shop = await earn.shop();
    earn.at("2026-12-06T10:00:00.000Z");
    await earn.addCampaign(shop, { name: "Double", ...WEEKEND, multiplierPercent: 200 });
    const triple = await earn.addCampaign(shop, { name: "Triple", ...WEEKEND, multiplierPercent: 300 });
    const customerId = newId();
    await paid(shop, order({ customerId }));
    expect((await earn.entries(shop, customerId)).map((entry) => [entry.kind, entry.delta, entry.campaign_id])).toEqual([
      ["earned", 100, null],
      ["campaign_bonus", 200, triple],
    ]);
  });

  it("bonus points go back in proportion with a partial refund and all of them on cancellation, in one entry each", async () => {
    const shop = await earn.shop();
    earn.at("2026-12-06T10:00:00.000Z");
    await earn.addCampaign(shop, { ...WEEKEND, multiplierPercent: 200 });
    const customerId = newId();
    const payload = order({ customerId, lines: [{ price: "25.00", quantity: 4 }] });
    await paid(shop, payload);
    expect(await earn.balance(shop, customerId)).toBe(200);
    await earn.deliver(shop, "refunds/create", refundPayload(payload, [[0, 1]]));
    expect(await earn.balance(shop, customerId)).toBe(150);
    await cancelled(shop, payload);
    await earn.deliver(shop, "refunds/create", refundPayload(payload, [[0, 3]]));
    expect(await deltas(shop, customerId)).toEqual([
      ["earned", 100],
      ["campaign_bonus", 100],
      ["refund_reversal", -50],
      ["cancel_reversal", -150],
    ]);
  });

  it("20 concurrent deliveries of one order make one base entry and one campaign entry", async () => {
    const shop = await earn.shop();
    earn.at("2026-12-06T10:00:00.000Z");
    await earn.addCampaign(shop, { ...WEEKEND, multiplierPercent: 150 });
    const customerId = newId();
    const payload = order({ customerId });
    const answers = await Promise.all(Array.from({ length: 20 }, () => paid(shop, payload)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(await deltas(shop, customerId)).toEqual([
      ["earned", 100],
      ["campaign_bonus", 50],
    ]);
  });
});

describe("dry runs", () => {
  it("record what a dry-run rule and campaign would award on real orders, once, and credit nothing", async () => {
    const shop = await earn.shop();
    earn.at("2026-12-06T10:00:00.000Z");
    const ruleId = await earn.addRule(shop, { kind: "purchase", status: "dry_run", pointsPerCurrencyUnit: 5 });
    const campaignId = await earn.addCampaign(shop, {
      status: "dry_run",
      startsAt: "2026-12-05T00:00:00.000Z",
      endsAt: "2026-12-07T00:00:00.000Z",
      multiplierPercent: 200,
    });
    const customerId = newId();
    const payload = order({ customerId });
    await paid(shop, payload);
    await paid(shop, payload);
    expect(await deltas(shop, customerId)).toEqual([["earned", 100]]);
    const dryRuns = await earn.db.raw.all<{ source_key: string; points: number; rule_id: number | null; campaign_id: number | null }>(
      `SELECT "source_key", "points", "rule_id", "campaign_id" FROM "dry_run_awards" WHERE "shop" = ? ORDER BY "id"`,
      [shop],
    );
    expect(dryRuns).toEqual([
      { source_key: `dry:order:${payload.id}:earn:${ruleId}`, points: 500, rule_id: ruleId, campaign_id: null },
      { source_key: `dry:campaign:${campaignId}:${payload.id}`, points: 100, rule_id: null, campaign_id: campaignId },
    ]);
  });
});

describe("limits by the shop's calendar", () => {
  it("a purchase rule limited to once a day pays once per local day, again the next day", async () => {
    // Auckland is UTC+13 in December: its 3 December runs from 11:00 UTC on the 2nd to 11:00 UTC on the 3rd.
    const shop = await earn.shop({ timeZone: "Pacific/Auckland" });
    await earn.updateRule(await earn.purchaseRuleOf(shop), { limit: { count: 1, period: "day" } });
    const customerId = newId();
    earn.at("2026-12-02T10:59:00.000Z");
    await paid(shop, order({ customerId }));
    earn.at("2026-12-02T11:01:00.000Z");
    await paid(shop, order({ customerId }));
    earn.at("2026-12-03T10:30:00.000Z");
    await paid(shop, order({ customerId }));
    earn.at("2026-12-03T11:00:00.000Z");
    await paid(shop, order({ customerId }));
    expect(await deltas(shop, customerId)).toEqual([
      ["earned", 100],
      ["earned", 100],
      ["earned", 100],
    ]);
  });

  it("a limited purchase rule beside another counts its share of the order's one base entry", async () => {
    const shop = await earn.shop();
    const limited = await earn.purchaseRuleOf(shop);
    await earn.updateRule(limited, { limit: { count: 1, period: "day" } });
    const perOrder = await earn.addRule(shop, { kind: "purchase", points: 10 });
    const customerId = newId();
    await paid(shop, order({ customerId }));
    await paid(shop, order({ customerId }));
    const entries = await earn.entries(shop, customerId);
    expect(entries.map((entry) => [entry.kind, entry.delta, entry.rule_id])).toEqual([
      ["earned", 110, null],
      ["earned", 10, perOrder],
    ]);
    expect(JSON.parse(entries[0].breakdown!).map((line: { ruleId: number }) => line.ruleId)).toEqual([limited, perOrder]);
  });
});
