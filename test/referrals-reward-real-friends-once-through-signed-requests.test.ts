import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureReferralCode, listReferrals, referralFigures, reviewReferral, saveReferralProgram } from "../app/models/referrals.server";
import { STARTER_REFERRAL_PROGRAM_FORM, type ReferralProgramForm } from "../app/domain/referrals";
import { startSimulator, type RunningSimulator } from "../simulator/server";
import { useEarningApp } from "./support/earning-app";
import { TEST_APP_URL } from "./support/remix-app";
import { newId, orderPayload, refundPayload } from "./support/shopify-payloads";
import { signProxyQuery, TEST_API_KEY, TEST_API_SECRET } from "./support/signing";

// Referrals end to end through the app's real server: the referrer reads their link, a friend
// claims the offer as a guest (a signed app-proxy POST; the single-use code is made in the
// simulator's Shopify), the friend's order arrives as a signed orders/paid webhook carrying the
// code or only the cart attribute, the window passes on the test's clock, and the job credits the
// referrer once. Every fraud rule the app can check from what it holds has a failing case.

const app = useEarningApp("2026-12-02T12:00:00.000Z");
let simulator: RunningSimulator;
const saved = { ...process.env };

beforeAll(async () => {
  simulator = await startSimulator({ appUrl: TEST_APP_URL, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, awaitDeliveries: false, retryScheduleMs: [] });
  Object.assign(process.env, { LOYALTY_SIMULATOR: "1", SHOPIFY_ADMIN_API_ORIGIN: simulator.url, SHOPIFY_APP_URL: TEST_APP_URL });
}, 60_000);
afterAll(async () => {
  await simulator?.close();
  process.env = saved;
});

const PROGRAM: ReferralProgramForm = { ...STARTER_REFERRAL_PROGRAM_FORM };

const DAY = 86_400_000;
const START = Date.parse("2026-12-02T12:00:00.000Z");
const START_ISO = new Date(START).toISOString();
const later = (days: number) => new Date(START + days * DAY).toISOString();

/** An installed shop (14 pending days) connected to the simulator, running referrals with these changes to the program. */
async function referralShop(program: Partial<ReferralProgramForm> = {}) {
  const shop = await app.shop({ pendingDays: 14 });
  const control = async (path: string, body: unknown = {}) =>
    (await (
      await fetch(`${simulator.url}/control/shops/${shop}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      })
    ).json()) as { access_token: string };
  await control("", { currency: "USD" });
  const { access_token: token } = await control("/install");
  await app.db.raw.run('UPDATE "Session" SET "accessToken" = ? WHERE "shop" = ?', [token, shop]);
  const result = await saveReferralProgram(app.db, shop, { ...PROGRAM, ...program }, new Date(START));
  expect(result.ok).toBe(true);
  return shop;
}

const guestQuery = (shop: string, customerId?: string) =>
  signProxyQuery({
    shop,
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
    ...(customerId ? { logged_in_customer_id: customerId } : {}),
  });

interface ClaimBody {
  status?: string;
  discountCode?: string;
  cartUrl?: string;
  expiresAt?: string;
  offer?: unknown;
  error?: string;
  messageKey?: string;
  message?: string;
}

async function claim(shop: string, body: Record<string, unknown>, { ip = "203.0.113.7", customerId }: { ip?: string; customerId?: string } = {}) {
  const response = await fetch(`${app.origin}/proxy/referrals/claim?${guestQuery(shop, customerId)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Forwarded-For": `${ip}, 10.0.0.1` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as ClaimBody };
}

interface ReferralField {
  code: string;
  url: string;
  friendsReferred: number;
  rewardsEarned: number;
  pending: { friend: string; status: string; pointsDueAt: string | null; points: number | null }[];
}

async function referralOf(shop: string, customerId: number | string) {
  const read = (await app.shopperRead(shop, customerId)) as unknown as { referral: ReferralField | null };
  return read.referral;
}

/** A referrer (a member with an email) and their code. */
async function referrer(shop: string, email = `referrer${newId()}@example.com`, customerId: number = newId()) {
  const { code } = (await referralOf(shop, customerId))!;
  await app.db.query.updateTable("members").set({ email }).where("shop", "=", shop).where("customer_id", "=", String(customerId)).execute();
  return { customerId, code, email };
}

/** The friend's order as orders/paid sends it: total 100.00 unless given, with the code and/or the cart attribute. */
function friendOrder(spec: { customerId?: number | null; email: string; discountCode?: string; attribute?: string; total?: string }) {
  return {
    ...orderPayload({ customerId: spec.customerId === undefined ? newId() : spec.customerId }),
    email: spec.email,
    total_price: spec.total ?? "100.00",
    discount_codes: spec.discountCode ? [{ code: spec.discountCode, amount: "10.00", type: "fixed_amount" }] : [],
    note_attributes: spec.attribute ? [{ name: "loyalty_referral", value: spec.attribute }] : [],
  };
}

async function referralRow(shop: string, email: string) {
  return app.db.query.selectFrom("referrals").selectAll().where("shop", "=", shop).where("friend_email", "=", email).executeTakeFirst();
}

const count = async (shop: string) =>
  Number(
    (
      await app.db.query
        .selectFrom("referrals")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("shop", "=", shop)
        .executeTakeFirstOrThrow()
    ).n,
  );

const reasonsOf = (row: { reasons: string } | undefined) => (JSON.parse(row?.reasons ?? "[]") as { rule: string }[]).map((hit) => hit.rule);

describe("a real friend's referral", () => {
  it("claim with the code, order, window, one credit: redelivery and re-runs change nothing", async () => {
    const shop = await referralShop();
    const dana = await referrer(shop);
    const link = (await referralOf(shop, dana.customerId))!;
    expect(link).toEqual({ code: dana.code, url: `https://${shop}/apps/loyalty/r/${dana.code}`, friendsReferred: 0, rewardsEarned: 0, pending: [] });
    expect(dana.code).toMatch(/^[A-Z2-9]{8}$/);
    // Stable once made.
    expect((await referralOf(shop, dana.customerId))!.code).toBe(dana.code);

    const claimed = await claim(shop, { code: dana.code.toLowerCase(), email: "Sam.Friend@Example.com", device: "device-sam" });
    expect(claimed.status).toBe(201);
    expect(claimed.body).toMatchObject({
      status: "claimed",
      cartUrl: `/discount/${claimed.body.discountCode}?redirect=/cart`,
      expiresAt: later(30),
      offer: { kind: "fixed_amount", valueMinor: 1000, percentOff: 0, currency: "USD" },
    });
    const inShopify = [...simulator.store.shop(shop).discounts.values()].filter((d) => d.code === claimed.body.discountCode);
    expect(inShopify).toHaveLength(1);
    expect(inShopify[0]).toMatchObject({ usageLimit: 1, customerIds: null });
    // The same email again answers the same code, and makes nothing new.
    const again = await claim(shop, { code: dana.code, email: "sam.friend@example.com" });
    expect(again).toMatchObject({ status: 200, body: { discountCode: claimed.body.discountCode } });
    expect(simulator.store.shop(shop).discounts.size).toBe(1);
    expect((await referralOf(shop, dana.customerId))!.pending).toEqual([{ friend: "sa***@example.com", status: "claimed", pointsDueAt: null, points: 500 }]);

    app.at(later(1));
    const order = friendOrder({ email: "sam.friend@example.com", discountCode: claimed.body.discountCode });
    expect((await app.deliver(shop, "orders/paid", order, "paid-1")).status).toBe(200);
    expect((await app.deliver(shop, "orders/paid", order, "paid-1")).status).toBe(200);
    expect((await app.deliver(shop, "orders/paid", order)).status).toBe(200);
    const row = await referralRow(shop, "sam.friend@example.com");
    expect(row).toMatchObject({ status: "pending", order_id: String(order.id), reward_due_at: later(15), reasons: "[]" });
    expect(Number(row!.order_total_minor)).toBe(10000);
    expect((await referralOf(shop, dana.customerId))!.pending).toEqual([{ friend: "Ada", status: "pending", pointsDueAt: later(15), points: 500 }]);

    await app.runJobs(later(14));
    expect(await app.balance(shop, dana.customerId)).toBe(0);
    await app.runJobs(later(15.01));
    await app.runJobs(later(16));
    expect((await app.entries(shop, dana.customerId)).map((e) => [e.delta, e.kind, e.source_key])).toEqual([[500, "referral", `referral:${row!.id}`]]);
    expect(await referralRow(shop, "sam.friend@example.com")).toMatchObject({ status: "rewarded", reward_points: 500 });
    app.at(later(16));
    expect(await referralOf(shop, dana.customerId)).toMatchObject({ friendsReferred: 1, rewardsEarned: 500, pending: [] });
    // A refund after the reward takes nothing back from the referrer.
    await app.deliver(shop, "refunds/create", refundPayload(order as never, [[0, 1]]));
    expect(await app.balance(shop, dana.customerId)).toBe(500);
    expect(await referralFigures(app.db, shop, new Date(later(16)))).toEqual({
      referredOrders: 1,
      referredRevenueMinor: 10000,
      rewardCostPoints: 500,
      pendingReview: 0,
    });
  });

  it("an order with only the cart attribute (no claim, another browser) is attributed and rewarded once", async () => {
    const shop = await referralShop({ windowDays: "3" });
    const dana = await referrer(shop);
    app.at(later(2));
    const order = friendOrder({ email: "kim@example.com", attribute: dana.code });
    await app.deliver(shop, "orders/paid", order);
    await app.deliver(shop, "orders/paid", order);
    expect(await referralRow(shop, "kim@example.com")).toMatchObject({ status: "pending", reward_due_at: later(5), discount_code: null });
    await app.runJobs(later(5));
    await app.runJobs(later(6));
    expect((await app.entries(shop, dana.customerId)).map((e) => e.delta)).toEqual([500]);
  });

  it("a refund inside the window cancels the referral: nothing is credited", async () => {
    const shop = await referralShop();
    const dana = await referrer(shop);
    const claimed = await claim(shop, { code: dana.code, email: "lee@example.com" });
    const order = friendOrder({ email: "lee@example.com", discountCode: claimed.body.discountCode });
    await app.deliver(shop, "orders/paid", order);
    app.at(later(3));
    await app.deliver(shop, "refunds/create", refundPayload(order as never, [[1, 1]]));
    expect(await referralRow(shop, "lee@example.com")).toMatchObject({ status: "cancelled", reward_due_at: null });
    await app.runJobs(later(20));
    expect(await app.entries(shop, dana.customerId)).toEqual([]);
  });

  it("a cancellation inside the window cancels it too", async () => {
    const shop = await referralShop();
    const dana = await referrer(shop);
    const order = friendOrder({ email: "max@example.com", attribute: dana.code });
    await app.deliver(shop, "orders/paid", order);
    await app.deliver(shop, "orders/cancelled", { ...order, cancelled_at: "2026-12-03T10:00:00Z" });
    expect(await referralRow(shop, "max@example.com")).toMatchObject({ status: "cancelled" });
    await app.runJobs(later(20));
    expect(await app.entries(shop, dana.customerId)).toEqual([]);
  });
});

describe("the referrer's reward and code", () => {
  it("a reward from the catalogue: the referrer gets its single-use code in Shopify once, however often the job runs", async () => {
    const shop = await referralShop();
    const at = new Date().toISOString();
    const reward = await app.db.raw.get<{ id: number }>(
      `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "code_lifetime_days", "created_at", "updated_at") VALUES (?, '15 off', 'fixed_amount', 1500, 1500, 60, ?, ?) RETURNING "id"`,
      [shop, at, at],
    );
    expect(
      (await saveReferralProgram(app.db, shop, { ...PROGRAM, referrerRewardKind: "reward", referrerRewardId: String(reward!.id) }, new Date(START))).ok,
    ).toBe(true);
    const created = (await (
      await fetch(`${simulator.url}/control/shops/${shop}/customers`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "rita@example.com" }),
      })
    ).json()) as { result: { id: number } };
    const rita = await referrer(shop, "rita@example.com", created.result.id);
    const claimed = await claim(shop, { code: rita.code, email: "zoe@example.com" });
    // A shopper may type the code in lower case at checkout.
    await app.deliver(shop, "orders/paid", friendOrder({ email: "zoe@example.com", discountCode: claimed.body.discountCode!.toLowerCase() }));
    await app.runJobs(later(15));
    await app.runJobs(later(16));
    const row = await referralRow(shop, "zoe@example.com");
    expect(row).toMatchObject({ status: "rewarded", reward_points: null });
    expect(row!.reward_code).toMatch(/^REF-/);
    const codes = [...simulator.store.shop(shop).discounts.values()].filter((d) => d.code === row!.reward_code);
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ usageLimit: 1, customerIds: [created.result.id] });
    expect(await app.entries(shop, rita.customerId)).toEqual([]);
  });

  it("a code that clashes with another member's is drawn again; once made it stays", async () => {
    const shop = await referralShop();
    const first = await referrer(shop);
    const other = await app.db.raw.get<{ id: number }>(
      `INSERT INTO "members" ("shop", "customer_id", "balance", "created_at", "updated_at") VALUES (?, ?, 0, ?, ?) RETURNING "id"`,
      [shop, String(newId()), START_ISO, START_ISO],
    );
    const draws = [first.code, first.code, "NEWCODE2"];
    expect(await ensureReferralCode(app.db, shop, other!.id, () => draws.shift()!)).toBe("NEWCODE2");
    expect(await ensureReferralCode(app.db, shop, other!.id, () => "NEVERUSD")).toBe("NEWCODE2");
    // The same code may be another shop's.
    const elsewhere = await referralShop();
    const member = await app.db.raw.get<{ id: number }>(
      `INSERT INTO "members" ("shop", "customer_id", "balance", "created_at", "updated_at") VALUES (?, ?, 0, ?, ?) RETURNING "id"`,
      [elsewhere, String(newId()), START_ISO, START_ISO],
    );
    expect(await ensureReferralCode(app.db, elsewhere, member!.id, () => first.code)).toBe(first.code);
  });
});

describe("every fraud rule, with its reason recorded", () => {
  it("friend_not_new: the friend already had a paid order (and the claim with their email is refused)", async () => {
    const shop = await referralShop();
    const dana = await referrer(shop);
    const friend = newId();
    await app.deliver(shop, "orders/paid", orderPayload({ customerId: friend }));
    expect(await claim(shop, { code: dana.code, email: `customer${friend}@example.com` })).toMatchObject({
      status: 409,
      body: { error: "already_customer", messageKey: "referrals.errors.already_customer" },
    });
    await app.deliver(shop, "orders/paid", friendOrder({ customerId: friend, email: "other-address@example.com", attribute: dana.code }));
    const row = await referralRow(shop, "other-address@example.com");
    expect(row?.status).toBe("rejected");
    expect(reasonsOf(row)).toEqual(["friend_not_new"]);
  });

  it("same_customer: the referrer orders with the friend code they claimed under another email", async () => {
    const shop = await referralShop();
    const dana = await referrer(shop);
    const claimed = await claim(shop, { code: dana.code, email: "dana-second@example.com" });
    expect(claimed.status).toBe(201);
    await app.deliver(
      shop,
      "orders/paid",
      friendOrder({ customerId: dana.customerId, email: "dana-second@example.com", discountCode: claimed.body.discountCode }),
    );
    expect(reasonsOf(await referralRow(shop, "dana-second@example.com"))).toEqual(["same_customer"]);
    await app.runJobs(later(30));
    // Dana earns her order's own points, and nothing for referring herself.
    expect((await app.entries(shop, dana.customerId)).map((e) => e.kind)).toEqual(["earned"]);
  });

  it("same_email: the order's email is the referrer's after normalising (and the claim with it is refused)", async () => {
    const shop = await referralShop();
    const dana = await referrer(shop, "dana.k@gmail.com");
    expect(await claim(shop, { code: dana.code, email: "DanaK+friend@googlemail.com" })).toMatchObject({ status: 422, body: { error: "self_referral" } });
    expect(await claim(shop, { code: dana.code, email: "x@example.com" }, { customerId: String(dana.customerId) })).toMatchObject({
      status: 422,
      body: { error: "self_referral" },
    });
    await app.deliver(shop, "orders/paid", friendOrder({ email: "d.a.n.a.k+2@gmail.com", attribute: dana.code }));
    const row = await app.db.query.selectFrom("referrals").selectAll().where("shop", "=", shop).executeTakeFirst();
    expect(row?.status).toBe("rejected");
    expect(reasonsOf(row)).toEqual(["same_email"]);
  });

  it("same_phone and same_address: the friend's order gives the phone or the address of the referrer's own earlier order", async () => {
    const shop = await referralShop();
    const dana = await referrer(shop);
    const address = { address1: "12 Tea Lane", address2: "Flat 3", zip: "EC1A 1BB", country_code: "GB" };
    // Dana's own order leaves digests of her phone and address on her row (never the raw values).
    await app.deliver(shop, "orders/paid", { ...orderPayload({ customerId: dana.customerId }), phone: "+44 (20) 7946 0018", shipping_address: address });
    const row = await app.db.raw.get<{ phone_key: string; address_key: string }>(
      `SELECT "phone_key", "address_key" FROM "members" WHERE "shop" = ? AND "customer_id" = ?`,
      [shop, String(dana.customerId)],
    );
    expect(row?.phone_key).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain("7946");

    await app.deliver(shop, "orders/paid", { ...friendOrder({ email: "phone-friend@example.com", attribute: dana.code }), phone: "020 7946 0018" });
    const byPhone = await referralRow(shop, "phone-friend@example.com");
    expect([byPhone?.status, reasonsOf(byPhone)]).toEqual(["rejected", ["same_phone"]]);

    await app.deliver(shop, "orders/paid", {
      ...friendOrder({ email: "address-friend@example.com", attribute: dana.code }),
      shipping_address: { ...address, address1: "12 TEA LANE", zip: "ec1a1bb" },
    });
    const byAddress = await referralRow(shop, "address-friend@example.com");
    expect([byAddress?.status, reasonsOf(byAddress)]).toEqual(["review", ["same_address"]]);
  });

  it("minimum_order: the friend's order is below the shop's minimum", async () => {
    const shop = await referralShop({ minimumOrder: "50.00" });
    const dana = await referrer(shop);
    await app.deliver(shop, "orders/paid", friendOrder({ email: "small@example.com", attribute: dana.code, total: "49.99" }));
    expect(reasonsOf(await referralRow(shop, "small@example.com"))).toEqual(["minimum_order"]);
    await app.deliver(shop, "orders/paid", friendOrder({ email: "big@example.com", attribute: dana.code, total: "50.00" }));
    expect((await referralRow(shop, "big@example.com"))?.status).toBe("pending");
  });

  it("referrer_monthly_limit: one a month, the second this month is rejected, next month's passes", async () => {
    const shop = await referralShop({ maxPerReferrerMonth: "1" });
    const dana = await referrer(shop);
    await app.deliver(shop, "orders/paid", friendOrder({ email: "m1@example.com", attribute: dana.code }));
    await app.deliver(shop, "orders/paid", friendOrder({ email: "m2@example.com", attribute: dana.code }));
    expect((await referralRow(shop, "m1@example.com"))?.status).toBe("pending");
    expect(reasonsOf(await referralRow(shop, "m2@example.com"))).toEqual(["referrer_monthly_limit"]);
    app.at("2027-01-02T12:00:00.000Z");
    await app.deliver(shop, "orders/paid", friendOrder({ email: "m3@example.com", attribute: dana.code }));
    expect((await referralRow(shop, "m3@example.com"))?.status).toBe("pending");
  });

  it("referrer_total_limit: two in all, the third is rejected", async () => {
    const shop = await referralShop({ maxPerReferrerTotal: "2" });
    const dana = await referrer(shop);
    for (const email of ["t1@example.com", "t2@example.com", "t3@example.com"]) {
      await app.deliver(shop, "orders/paid", friendOrder({ email, attribute: dana.code }));
    }
    expect(reasonsOf(await referralRow(shop, "t3@example.com"))).toEqual(["referrer_total_limit"]);
    await app.runJobs(later(15));
    expect((await app.entries(shop, dana.customerId)).map((e) => e.delta)).toEqual([500, 500]);
  });

  it("ip_claims_limit: a shared IP still gets its code, then waits for staff; approved, it is rewarded once", async () => {
    const shop = await referralShop({ maxClaimsPerIpWeek: "1" });
    const dana = await referrer(shop);
    expect((await claim(shop, { code: dana.code, email: "ip1@example.com" }, { ip: "198.51.100.4" })).body.status).toBe("claimed");
    const second = await claim(shop, { code: dana.code, email: "ip2@example.com" }, { ip: "198.51.100.4" });
    expect(second).toMatchObject({ status: 201, body: { status: "review" } });
    await app.deliver(shop, "orders/paid", friendOrder({ email: "ip2@example.com", discountCode: second.body.discountCode }));
    const row = await referralRow(shop, "ip2@example.com");
    expect(row?.status).toBe("review");
    expect(reasonsOf(row)).toEqual(["ip_claims_limit"]);
    expect(row?.ip_hash).toMatch(/^[0-9a-f]{32}$/);
    expect((await referralFigures(app.db, shop, new Date(START))).pendingReview).toBe(1);
    await app.runJobs(later(30));
    expect(await app.entries(shop, dana.customerId)).toEqual([]);

    const approved = await reviewReferral(app.db, shop, row!.id, "approve", { id: "7", name: "Ruth" }, new Date(later(30)));
    expect(approved).toEqual({ ok: true, status: "pending" });
    expect(await reviewReferral(app.db, shop, row!.id, "reject", { id: "7", name: "Ruth" }, new Date(later(30)))).toMatchObject({
      ok: false,
      reason: "not_allowed",
    });
    await app.runJobs(later(30.01));
    await app.runJobs(later(31));
    expect((await app.entries(shop, dana.customerId)).map((e) => e.delta)).toEqual([500]);
    expect(await referralRow(shop, "ip2@example.com")).toMatchObject({ status: "rewarded", reviewed_by: "Ruth (7)" });
  });

  it("ip_claims_limit past three times the limit: the address is refused outright, nothing created", async () => {
    const shop = await referralShop({ maxClaimsPerIpWeek: "2" });
    const dana = await referrer(shop);
    const answers = [];
    for (let i = 1; i <= 7; i++) answers.push(await claim(shop, { code: dana.code, email: `bulk${i}@example.com` }, { ip: "198.51.100.77" }));
    expect(answers.map((a) => a.body.status ?? a.body.error)).toEqual(["claimed", "claimed", "review", "review", "review", "review", "too_many_claims"]);
    expect(answers[6].status).toBe(429);
    expect(await count(shop)).toBe(6);
    expect(simulator.store.shop(shop).discounts.size).toBe(6);
  });

  it("device_claims_limit: a second claim from one device is refused, nothing created", async () => {
    const shop = await referralShop({ maxClaimsPerDeviceWeek: "1" });
    const dana = await referrer(shop);
    expect((await claim(shop, { code: dana.code, email: "d1@example.com", device: "fp-1" }, { ip: "192.0.2.1" })).status).toBe(201);
    const refused = await claim(shop, { code: dana.code, email: "d2@example.com", device: "fp-1" }, { ip: "192.0.2.2" });
    expect(refused).toMatchObject({ status: 429, body: { error: "too_many_claims", messageKey: "referrals.errors.too_many_claims" } });
    expect(await count(shop)).toBe(1);
    expect(simulator.store.shop(shop).discounts.size).toBe(1);
    // A week later the device may claim again.
    app.at(later(7.01));
    expect((await claim(shop, { code: dana.code, email: "d2@example.com", device: "fp-1" })).status).toBe(201);
  });

  it("staff reject a referral waiting for review: it stays rejected and pays nothing", async () => {
    const shop = await referralShop({ maxClaimsPerIpWeek: "1" });
    const dana = await referrer(shop);
    await claim(shop, { code: dana.code, email: "r1@example.com" }, { ip: "198.51.100.9" });
    const second = await claim(shop, { code: dana.code, email: "r2@example.com" }, { ip: "198.51.100.9" });
    await app.deliver(shop, "orders/paid", friendOrder({ email: "r2@example.com", discountCode: second.body.discountCode }));
    const row = await referralRow(shop, "r2@example.com");
    expect(await reviewReferral(app.db, shop, row!.id, "reject", { id: "7", name: "Ruth" }, new Date(later(1)))).toEqual({ ok: true, status: "rejected" });
    await app.runJobs(later(30));
    expect(await app.entries(shop, dana.customerId)).toEqual([]);
    expect((await listReferrals(app.db, shop, { status: "rejected" })).referrals.map((r) => r.friendEmail)).toEqual(["r2@example.com"]);
  });
});

describe("bad input is refused with nothing created", () => {
  it("unknown code, program off, invalid email, an email claimed through another referrer, a bad body", async () => {
    const shop = await referralShop();
    const dana = await referrer(shop);
    const lee = await referrer(shop);
    expect(await claim(shop, { code: "ZZZZZZZZ", email: "a@example.com" })).toMatchObject({
      status: 404,
      body: { error: "unknown_code", messageKey: "referrals.errors.unknown_code", message: "This referral link is not valid." },
    });
    expect(await claim(shop, { code: "not a code", email: "a@example.com" })).toMatchObject({ status: 404, body: { error: "unknown_code" } });
    for (const email of ["", "nobody", "a@b", null]) {
      expect(await claim(shop, { code: dana.code, email })).toMatchObject({ status: 422, body: { error: "invalid_email" } });
    }
    expect((await claim(shop, { code: dana.code, email: "a@example.com" })).status).toBe(201);
    expect(await claim(shop, { code: lee.code, email: "A+x@example.com" })).toMatchObject({ status: 409, body: { error: "already_claimed" } });
    // The offer lasts 30 days: a repeat claim after that says so rather than making another code.
    app.at(later(30));
    expect(await claim(shop, { code: dana.code, email: "a@example.com" })).toMatchObject({
      status: 410,
      body: { error: "offer_expired", messageKey: "referrals.errors.offer_expired" },
    });
    app.at(START_ISO);
    const unreadable = await fetch(`${app.origin}/proxy/referrals/claim?${guestQuery(shop)}`, { method: "POST", body: "{" });
    expect(unreadable.status).toBe(400);
    const unsigned = await fetch(`${app.origin}/proxy/referrals/claim?shop=${shop}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(unsigned.status).toBe(401);
    expect(await count(shop)).toBe(1);
    expect(simulator.store.shop(shop).discounts.size).toBe(1);

    await saveReferralProgram(app.db, shop, { ...PROGRAM, enabled: "" }, new Date(START));
    expect(await claim(shop, { code: dana.code, email: "b@example.com" })).toMatchObject({ status: 404, body: { error: "program_off" } });
    expect(await referralOf(shop, dana.customerId)).toBeNull();
    // Orders are not attributed while the program is off.
    await app.deliver(shop, "orders/paid", friendOrder({ email: "c@example.com", attribute: dana.code }));
    expect(await count(shop)).toBe(1);
  });

  it("a shop that has never set up referrals: the read says null and claims are refused", async () => {
    const shop = await app.shop();
    expect(await referralOf(shop, newId())).toBeNull();
    expect(await claim(shop, { code: "ABCDEFGH", email: "a@example.com" })).toMatchObject({ status: 404, body: { error: "program_off" } });
  });
});

describe("one shop cannot see or touch another's referrals", () => {
  it("codes, lists, reviews, figures and orders stay in their shop", async () => {
    const shopA = await referralShop({ maxClaimsPerIpWeek: "1" });
    const shopB = await referralShop();
    const dana = await referrer(shopA);
    await claim(shopA, { code: dana.code, email: "s1@example.com" }, { ip: "198.51.100.20" });
    const second = await claim(shopA, { code: dana.code, email: "s2@example.com" }, { ip: "198.51.100.20" });
    await app.deliver(shopA, "orders/paid", friendOrder({ email: "s2@example.com", discountCode: second.body.discountCode }));
    const row = await referralRow(shopA, "s2@example.com");
    expect(row?.status).toBe("review");

    expect(await claim(shopB, { code: dana.code, email: "s3@example.com" })).toMatchObject({ status: 404, body: { error: "unknown_code" } });
    expect((await listReferrals(app.db, shopB)).referrals).toEqual([]);
    expect(await reviewReferral(app.db, shopB, row!.id, "approve", { id: "1", name: "Mallory" }, new Date(START))).toEqual({ ok: false, reason: "not_found" });
    expect(await referralFigures(app.db, shopB, new Date(START))).toEqual({
      referredOrders: 0,
      referredRevenueMinor: 0,
      rewardCostPoints: 0,
      pendingReview: 0,
    });
    // Shop B's order carrying shop A's friend code and link attributes nothing.
    await app.deliver(shopB, "orders/paid", friendOrder({ email: "s4@example.com", discountCode: second.body.discountCode, attribute: dana.code }));
    expect(await count(shopB)).toBe(0);
    expect((await referralRow(shopA, "s2@example.com"))?.status).toBe("review");
    expect((await listReferrals(app.db, shopA)).referrals.map((r) => r.friendEmail)).toEqual(["s2@example.com", "s1@example.com"]);
  });
});

describe("compliance", () => {
  it("customers/redact forgets the friend (email, key, hashes) but keeps the referral; shop/redact empties the shop's referrals", async () => {
    const shop = await referralShop();
    const dana = await referrer(shop);
    const claimed = await claim(shop, { code: dana.code, email: "gone@example.com", device: "fp-gone" });
    const friend = newId();
    await app.deliver(shop, "orders/paid", friendOrder({ customerId: friend, email: "gone@example.com", discountCode: claimed.body.discountCode }));
    await app.deliver(shop, "customers/redact", { shop_domain: shop, customer: { id: friend, email: "gone@example.com" }, orders_to_redact: [] });
    const row = await app.db.query.selectFrom("referrals").selectAll().where("shop", "=", shop).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ friend_email: "", friend_email_key: `redacted:${row.id}`, ip_hash: null, device_hash: null, status: "pending" });

    await app.deliver(shop, "shop/redact", { shop_domain: shop });
    expect(await count(shop)).toBe(0);
    expect(await app.db.query.selectFrom("referral_programs").select("shop").where("shop", "=", shop).executeTakeFirst()).toBeUndefined();
  });
});
