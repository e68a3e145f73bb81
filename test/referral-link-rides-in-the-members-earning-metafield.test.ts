import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDueJobs } from "../app/jobs/queue.server";
import { metafieldJobHandlers } from "../app/models/metafields.server";
import { saveReferralProgram } from "../app/models/referrals.server";
import { schemaCheckedAdmin, type RecordedCall } from "./support/admin-api-stub";
import { startAppServer } from "./support/app-server";
import { createTestDatabase, installShop, type TestDatabase } from "./support/database";
import { enableReferrals } from "./support/referrals";
import { orderPayload } from "./support/shopify-payloads";

// The member sync writes the member's referral link { code, url } into $app:loyalty.earning for a
// shop running referrals (the code made on the way, the same one the shopper read shows), so the
// storefront paints the link at first paint; a shop not running referrals gets no `referral` key.

const RUNNING = "referral-metafield-on.myshopify.com";
const LATER = "referral-metafield-later.myshopify.com";
const OFF = "referral-metafield-off.myshopify.com";
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startAppServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await installShop(database.db, RUNNING);
  await installShop(database.db, OFF);
  await installShop(database.db, LATER);
  await enableReferrals(database.db, RUNNING);
  await enableReferrals(database.db, OFF, { enabled: false });
  app = await startAppServer(database);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const ok = (call: RecordedCall) =>
  call.operation === "MemberMetafieldsSet"
    ? { metafieldsSet: { metafields: [], userErrors: [] } }
    : { metafieldDefinitionCreate: { createdDefinition: { id: "gid://shopify/MetafieldDefinition/1" }, userErrors: [] } };
type Metafield = { ownerId: string; key: string; value: string };

async function earningWritten(shop: string, order = orderPayload()) {
  await app.deliver({ topic: "orders/paid", shop, payload: order });
  return syncedEarning(shop, order);
}

async function syncedEarning(shop: string, order: ReturnType<typeof orderPayload>) {
  const { admin, calls } = schemaCheckedAdmin(ok);
  await runDueJobs(database.db, metafieldJobHandlers({ adminFor: async () => admin }), { now: new Date(Date.now() + 1000) });
  const earning = calls
    .filter((c) => c.operation === "MemberMetafieldsSet")
    .flatMap((c) => c.variables.metafields as Metafield[])
    .find((m) => m.ownerId === `gid://shopify/Customer/${order.customer!.id}` && m.key === "earning");
  const member = await database.db.query
    .selectFrom("members")
    .select("referral_code")
    .where("shop", "=", shop)
    .where("customer_id", "=", String(order.customer!.id))
    .executeTakeFirstOrThrow();
  return { earning: earning ? (JSON.parse(earning.value) as Record<string, unknown>) : null, code: member.referral_code };
}

describe("the member's referral link in the earning metafield", () => {
  it("is written with the member's code (made on the way) and the landing's URL where the shop runs referrals", async () => {
    const { earning, code } = await earningWritten(RUNNING);
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(earning?.referral).toEqual({ code, url: `https://${RUNNING}/apps/loyalty/r/${code}` });
  });

  it("is left out, and no code made, where the shop does not run referrals", async () => {
    const { earning, code } = await earningWritten(OFF);
    expect(earning).not.toHaveProperty("referral");
    expect(code).toBeNull();
  });

  it("reaches members synced before, once the shop turns referrals on in the admin", async () => {
    const order = orderPayload();
    const before = await earningWritten(LATER, order);
    expect(before.earning).not.toHaveProperty("referral");
    expect((await syncedEarning(LATER, order)).earning).toBeNull();
    const form = { enabled: "on", friendOfferKind: "fixed_amount", friendAmount: "10.00", referrerRewardKind: "points", referrerPoints: "500" };
    expect((await saveReferralProgram(database.db, LATER, form, new Date())).ok).toBe(true);
    const after = await syncedEarning(LATER, order);
    expect(after.earning?.referral).toEqual({ code: after.code, url: `https://${LATER}/apps/loyalty/r/${after.code}` });
  });
});
