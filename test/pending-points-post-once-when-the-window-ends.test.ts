import { describe, expect, it } from "vitest";
import { createReward } from "../app/models/rewards.server";
import { useEarningApp } from "./support/earning-app";
import { rewardForm } from "./support/rewards";
import { newId, orderPayload, refundPayload } from "./support/shopify-payloads";

// With shops.pending_days set, an order's points wait out the window before they can be spent:
// shown as pending, shrunk by refunds inside the window, posted once by the job after it.

const earn = useEarningApp("2026-12-02T12:00:00.000Z");
const PAID_AT = "2026-12-02T12:00:00.000Z";
const AVAILABLE_ON = "2026-12-16T12:00:00.000Z";
const AFTER_WINDOW = "2026-12-16T12:00:01.000Z";

const fourUnits = (customerId: number) => orderPayload({ customerId, lines: [{ price: "25.00", quantity: 4 }] });
const deltas = async (shop: string, customerId: number) => (await earn.entries(shop, customerId)).map((entry) => [entry.kind, entry.delta]);

describe("pending points", () => {
  it("are shown with the day they become available, cannot be spent, shrink with a refund and post once after the window", async () => {
    const shop = await earn.shop({ pendingDays: 14 });
    const reward = await createReward(earn.db, shop, rewardForm({ pointsCost: "50" }), PAID_AT);
    if (!reward.ok) throw new Error("the reward form is invalid");
    const customerId = newId();
    const order = fourUnits(customerId);
    expect((await earn.deliver(shop, "orders/paid", order)).body.status).toBe("applied");

    expect(await earn.shopperRead(shop, customerId)).toMatchObject({ points: 0, pendingPoints: [{ points: 100, availableOn: AVAILABLE_ON }] });
    expect(await earn.entries(shop, customerId)).toEqual([]);
    expect(await earn.redeem(shop, customerId, reward.reward.id)).toMatchObject({ status: 422, body: { error: "insufficient_points" } });

    earn.at("2026-12-05T12:00:00.000Z");
    await earn.deliver(shop, "refunds/create", refundPayload(order, [[0, 1]]));
    expect((await earn.shopperRead(shop, customerId)).pendingPoints).toEqual([{ points: 75, availableOn: AVAILABLE_ON }]);

    // Not due inside the window.
    await earn.runJobs("2026-12-16T11:59:59.000Z");
    expect(await earn.entries(shop, customerId)).toEqual([]);

    // Due: two workers at once, then again; posted once, the refund taken back with it.
    await Promise.all([earn.runJobs(AFTER_WINDOW, "worker-a"), earn.runJobs(AFTER_WINDOW, "worker-b")]);
    await earn.runJobs("2026-12-17T12:00:00.000Z");
    expect(await deltas(shop, customerId)).toEqual([
      ["earned", 100],
      ["refund_reversal", -25],
    ]);
    expect(await earn.shopperRead(shop, customerId)).toMatchObject({ points: 75, pendingPoints: [] });

    // A refund after posting reverses as usual.
    earn.at("2026-12-20T12:00:00.000Z");
    await earn.deliver(shop, "refunds/create", refundPayload(order, [[0, 1]]));
    expect(await deltas(shop, customerId)).toEqual([
      ["earned", 100],
      ["refund_reversal", -25],
      ["refund_reversal", -25],
    ]);
  });

  it("of an order cancelled inside the window never post", async () => {
    const shop = await earn.shop({ pendingDays: 14 });
    const customerId = newId();
    const order = fourUnits(customerId);
    await earn.deliver(shop, "orders/paid", order);
    earn.at("2026-12-03T12:00:00.000Z");
    await earn.deliver(shop, "orders/cancelled", { ...order, cancelled_at: "2026-12-03T12:00:00Z" });
    expect((await earn.shopperRead(shop, customerId)).pendingPoints).toEqual([]);
    await earn.runJobs(AFTER_WINDOW);
    await earn.runJobs("2026-12-18T12:00:00.000Z");
    expect(await earn.entries(shop, customerId)).toEqual([]);
    expect(await earn.balance(shop, customerId)).toBe(0);
  });

  it("hold an order's campaign bonus with its base points, and post both", async () => {
    const shop = await earn.shop({ pendingDays: 14 });
    await earn.addCampaign(shop, { startsAt: "2026-12-01T00:00:00.000Z", endsAt: "2026-12-03T00:00:00.000Z", multiplierPercent: 200 });
    const customerId = newId();
    await earn.deliver(shop, "orders/paid", fourUnits(customerId));
    expect((await earn.shopperRead(shop, customerId)).pendingPoints).toEqual([{ points: 200, availableOn: AVAILABLE_ON }]);
    await earn.runJobs(AFTER_WINDOW);
    expect(await deltas(shop, customerId)).toEqual([
      ["earned", 100],
      ["campaign_bonus", 100],
    ]);
  });

  it("count towards a rule's daily limit on the day they were earned, not the day they post", async () => {
    const shop = await earn.shop({ pendingDays: 14 });
    await earn.updateRule(await earn.purchaseRuleOf(shop), { limit: { count: 1, period: "day" } });
    const customerId = newId();
    await earn.deliver(shop, "orders/paid", fourUnits(customerId));
    earn.at("2026-12-02T18:00:00.000Z");
    await earn.deliver(shop, "orders/paid", fourUnits(customerId));
    expect((await earn.shopperRead(shop, customerId)).pendingPoints).toEqual([{ points: 100, availableOn: AVAILABLE_ON }]);
    await earn.runJobs(AFTER_WINDOW);
    // The first order's points posted today; an order today still earns today's once.
    earn.at(AFTER_WINDOW);
    await earn.deliver(shop, "orders/paid", fourUnits(customerId));
    expect((await earn.shopperRead(shop, customerId)).pendingPoints).toEqual([{ points: 100, availableOn: "2026-12-30T12:00:01.000Z" }]);
    expect(await deltas(shop, customerId)).toEqual([["earned", 100]]);
  });

  it("of a stamp card's bonus count as held: a card is not paid twice while its bonus waits", async () => {
    const shop = await earn.shop({ pendingDays: 14 });
    await earn.addRule(shop, { kind: "nth_order", points: 200, everyNth: 2 });
    const customerId = newId();
    const first = fourUnits(customerId);
    await earn.deliver(shop, "orders/paid", first);
    await earn.deliver(shop, "orders/paid", fourUnits(customerId));
    await earn.deliver(shop, "orders/cancelled", { ...first, cancelled_at: "2026-12-02T13:00:00Z" });
    await earn.deliver(shop, "orders/paid", fourUnits(customerId));
    expect((await earn.shopperRead(shop, customerId)).pendingPoints).toEqual([
      { points: 300, availableOn: AVAILABLE_ON },
      { points: 100, availableOn: AVAILABLE_ON },
    ]);
    // Both orders' jobs fall due together, in no set order.
    await earn.runJobs(AFTER_WINDOW);
    expect((await deltas(shop, customerId)).sort()).toEqual([
      ["earned", 100],
      ["earned", 100],
      ["order_bonus", 200],
    ]);
  });
});
