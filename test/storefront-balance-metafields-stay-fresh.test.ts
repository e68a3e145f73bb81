import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runDueJobs, startJobWorker } from "../app/jobs/queue.server";
import { metafieldJobHandlers, nextRewardFor } from "../app/models/metafields.server";
import { schemaCheckedAdmin, type RecordedCall } from "./support/admin-api-stub";
import { startAppServer } from "./support/app-server";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./support/database";
import { orderPayload } from "./support/shopify-payloads";

const SHOP = "metafields-test.myshopify.com";
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startAppServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, SHOP);
  const now = new Date().toISOString();
  await database.db.raw.run(
    `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "created_at", "updated_at")
     VALUES (?, '5 off', 'fixed_amount', 500, 500, ?, ?)`,
    [SHOP, now, now],
  );
  app = await startAppServer(database);
});
afterAll(async () => {
  await app.close();
  await database.drop();
});
afterEach(async () => {
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

const ok = (call: RecordedCall) =>
  call.operation === "MemberMetafieldsSet"
    ? { metafieldsSet: { metafields: [], userErrors: [] } }
    : { metafieldDefinitionCreate: { createdDefinition: { id: "gid://shopify/MetafieldDefinition/1" }, userErrors: [] } };
type Metafield = { ownerId: string; key: string; value: string; namespace: string; type: string };
const written = (calls: RecordedCall[]) => calls.filter((c) => c.operation === "MemberMetafieldsSet").flatMap((c) => c.variables.metafields as Metafield[]);

describe("customer metafields follow the balance", () => {
  it("writes points, the next reward and the ways to earn done for every changed member, 8 members a call, once", async () => {
    const orders = Array.from({ length: 30 }, (_, i) => orderPayload({ lines: [{ price: `${100 + i}.00` }] }));
    for (const order of orders) await app.deliver({ topic: "orders/paid", shop: SHOP, payload: order });
    const { admin, calls } = schemaCheckedAdmin(ok);
    const handlers = metafieldJobHandlers({ adminFor: async () => admin });
    await runDueJobs(database.db, handlers, { now: new Date(Date.now() + 1000) });
    expect(calls.filter((c) => c.operation === "MemberMetafieldsSet").map((c) => (c.variables.metafields as unknown[]).length)).toEqual([24, 24, 24, 18]);
    const first = orders[0].customer!.id;
    expect(written(calls).filter((m) => m.ownerId === `gid://shopify/Customer/${first}`)).toEqual([
      { ownerId: `gid://shopify/Customer/${first}`, namespace: "$app:loyalty", key: "points", type: "number_integer", value: "100" },
      {
        ownerId: `gid://shopify/Customer/${first}`,
        namespace: "$app:loyalty",
        key: "next_reward",
        type: "json",
        value: JSON.stringify({ name: "5 off", pointsCost: 500, pointsToGo: 400 }),
      },
      {
        ownerId: `gid://shopify/Customer/${first}`,
        namespace: "$app:loyalty",
        key: "earning",
        type: "json",
        value: JSON.stringify({ done: [], orders: 1, stamps: {}, pending: [] }),
      },
    ]);
    // Nothing changed since: nothing more to write.
    calls.length = 0;
    await runDueJobs(database.db, handlers, { now: new Date(Date.now() + 60_000) });
    expect(written(calls)).toEqual([]);
  });

  it("backs off when Shopify throttles, and catches up afterwards", async () => {
    await app.deliver({ topic: "orders/paid", shop: SHOP, payload: orderPayload() });
    let throttled = true;
    const { admin, calls } = schemaCheckedAdmin((call) => {
      if (throttled && call.operation === "MemberMetafieldsSet") throw new Error("Throttled");
      return ok(call);
    });
    const handlers = metafieldJobHandlers({ adminFor: async () => admin });
    const soon = Date.now() + 1000;
    expect(await runDueJobs(database.db, handlers, { now: new Date(soon) })).toMatchObject({ retried: 1 });
    throttled = false;
    await runDueJobs(database.db, handlers, { now: new Date(soon + 3_600_000) });
    expect(written(calls).some((m) => m.key === "points" && m.value === "97")).toBe(true);
  });

  it("is never more than a few seconds stale (measured)", async () => {
    const { admin, calls } = schemaCheckedAdmin(ok);
    const worker = startJobWorker(database.db, metafieldJobHandlers({ adminFor: async () => admin }), { intervalMs: 250 });
    try {
      const order = orderPayload({ lines: [{ price: "321.00" }] });
      const owner = `gid://shopify/Customer/${order.customer!.id}`;
      const committedAt = Date.now();
      expect((await app.deliver({ topic: "orders/paid", shop: SHOP, payload: order })).status).toBe(200);
      const deadline = Date.now() + 10_000;
      let seenAt: number | undefined;
      while (!seenAt && Date.now() < deadline) {
        seenAt = calls.find((c) => (c.variables.metafields as Metafield[] | undefined)?.some((m) => m.ownerId === owner && m.value === "321"))?.at;
        if (!seenAt) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seenAt).toBeDefined();
      const staleMs = seenAt! - committedAt;
      console.log(`metafield staleness: ${staleMs} ms from webhook to metafieldsSet (worker polling every 250 ms)`);
      expect(staleMs).toBeLessThan(3000);
    } finally {
      worker.stop();
    }
  });

  it("next reward is the cheapest one not yet affordable, a variable reward counted at its smallest amount", () => {
    const fixed = (name: string, pointsCost: number) => ({ name, kind: "fixed_amount" as const, pointsCost, valueMinor: pointsCost, minAmountMinor: null });
    const rewards = [fixed("Free shipping", 300), fixed("5 off", 500), fixed("20 off", 1500)];
    expect(nextRewardFor(0, rewards)).toEqual({ name: "Free shipping", pointsCost: 300, pointsToGo: 300 });
    expect(nextRewardFor(500, rewards)).toEqual({ name: "20 off", pointsCost: 1500, pointsToGo: 1000 });
    expect(nextRewardFor(5000, rewards)).toBeNull();
    // 100 points buy 1.00; the smallest amount is 10.00, so it needs 1,000 points, not 100.
    const variable = { name: "Pick an amount", kind: "variable" as const, pointsCost: 100, valueMinor: 100, minAmountMinor: 1000 };
    expect(nextRewardFor(600, [...rewards, variable])).toEqual({ name: "Pick an amount", pointsCost: 1000, pointsToGo: 400 });
  });
});
