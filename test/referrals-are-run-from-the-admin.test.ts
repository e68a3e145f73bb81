import { describe, expect, it } from "vitest";
import { createReferrer } from "./support/referrals";
import { embeddedPageRequest, routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";

// The Referrals page through the production build: the program's settings refused at the field
// or saved for this shop alone, every referral with its status and the rule that stopped it, the
// ones waiting for review approved or rejected by the signed-in staff member, and the home page's
// referral figures.

const SHOP = "remix-referrals-test.myshopify.com";
const OTHER = "remix-referrals-other.myshopify.com";
const ROUTE = "routes/app.referrals";
const fixture = useRemixApp([SHOP, OTHER]);

const get = (path: string, route = ROUTE, shop = SHOP) => fixture.app.handle(routeDataRequest(path, route, { token: sessionToken({ shop }) }));
const post = (form: Record<string, string>, shop = SHOP) =>
  fixture.app.handle(routeDataRequest("/app/referrals", ROUTE, { method: "POST", token: sessionToken({ shop }), form }));

const GOOD = {
  intent: "settings",
  enabled: "true",
  friendOfferKind: "fixed_amount",
  friendAmount: "10.00",
  friendPercentOff: "0",
  friendMinimumSubtotal: "",
  friendCodeLifetimeDays: "30",
  referrerRewardKind: "points",
  referrerPoints: "500",
  referrerRewardId: "",
  cookieDays: "21",
  windowDays: "14",
  maxPerReferrerMonth: "5",
  maxPerReferrerTotal: "",
  maxClaimsPerIpWeek: "10",
  maxClaimsPerDeviceWeek: "10",
  minimumOrder: "20.00",
};

async function addReferral(
  shop: string,
  referrerId: number,
  row: { email: string; status: string; reasons?: object[]; orderId?: string; total?: number; points?: number },
) {
  const at = new Date().toISOString();
  const ordered = row.orderId ? at : null;
  const inserted = await fixture.database.db.query
    .insertInto("referrals")
    .values({
      shop,
      referrer_member_id: referrerId,
      code: "X",
      friend_email: row.email,
      friend_email_key: row.email,
      status: row.status,
      reasons: JSON.stringify(row.reasons ?? []),
      order_id: row.orderId ?? null,
      order_total_minor: row.total ?? null,
      reward_points: row.points ?? null,
      ordered_at: ordered,
      rewarded_at: row.status === "rewarded" ? at : null,
      claimed_at: at,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

type Loaded = {
  form: Record<string, string>;
  referrals: { id: number; status: string; friendEmail: string; reasons: { reason: string }[] }[];
  counts: Record<string, number>;
  clicks: number;
  rewards: { id: number; name: string }[];
};

describe("the Referrals page", () => {
  it("starts off with the schema's defaults", async () => {
    const response = await get("/app/referrals");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Loaded;
    expect(body.form).toMatchObject({ enabled: "false", friendOfferKind: "fixed_amount", cookieDays: "30", maxClaimsPerIpWeek: "10" });
    expect(body.referrals).toEqual([]);
  });

  it.each([
    [{ friendOfferKind: "cash" }, "friendOfferKind"],
    [{ friendAmount: "ten" }, "friendAmount"],
    [{ friendAmount: "0" }, "friendAmount"],
    [{ friendOfferKind: "percentage", friendPercentOff: "150" }, "friendPercentOff"],
    [{ referrerPoints: "0" }, "referrerPoints"],
    [{ referrerRewardKind: "reward", referrerRewardId: "999" }, "referrerRewardId"],
    [{ cookieDays: "0" }, "cookieDays"],
    [{ maxPerReferrerMonth: "1.5" }, "maxPerReferrerMonth"],
  ])("refuses %j at that field and saves nothing", async (change, field) => {
    const response = await post({ ...GOOD, ...change });
    expect(response.status).toBe(422);
    const { fieldErrors } = (await response.json()) as { fieldErrors: Record<string, string> };
    expect(Object.keys(fieldErrors)).toEqual([field]);
    expect(await fixture.database.db.query.selectFrom("referral_programs").selectAll().execute()).toEqual([]);
  });

  it("saves the program for this shop only", async () => {
    expect((await post(GOOD)).status).toBe(200);
    const body = (await (await get("/app/referrals")).json()) as Loaded;
    expect(body.form).toMatchObject({
      enabled: "true",
      friendAmount: "10.00",
      referrerRewardKind: "points",
      referrerPoints: "500",
      cookieDays: "21",
      windowDays: "14",
      minimumOrder: "20.00",
    });
    const other = (await (await get("/app/referrals", ROUTE, OTHER)).json()) as Loaded;
    expect(other.form.enabled).toBe("false");
  });

  it("lists each referral with its status and reasons, approves and rejects those waiting, and refuses another shop's", async () => {
    const referrer = await createReferrer(fixture.database.db, SHOP, "ADAREF23", "Ada");
    const stranger = await createReferrer(fixture.database.db, OTHER, "EVEREF23", "Eve");
    await addReferral(SHOP, referrer.id, { email: "a@example.com", status: "rewarded", orderId: "101", total: 4500, points: 500 });
    await addReferral(SHOP, referrer.id, {
      email: "b@example.com",
      status: "rejected",
      reasons: [{ rule: "self", reason: "Same email as the referrer", certain: true }],
    });
    const waiting = await addReferral(SHOP, referrer.id, {
      email: "c@example.com",
      status: "review",
      orderId: "102",
      total: 3000,
      reasons: [{ rule: "ip", reason: "Same IP address as the referrer", certain: false }],
    });
    const waitingToo = await addReferral(SHOP, referrer.id, { email: "d@example.com", status: "review" });
    const elsewhere = await addReferral(OTHER, stranger.id, { email: "e@example.com", status: "review" });

    const click = (shop: string, memberId: number) =>
      fixture.database.db.query
        .insertInto("referral_clicks")
        .values({ shop, referrer_member_id: memberId, ip_hash: null, created_at: new Date().toISOString() })
        .execute();
    await click(SHOP, referrer.id);
    await click(SHOP, referrer.id);
    await click(OTHER, stranger.id);

    const listed = (await (await get("/app/referrals")).json()) as Loaded;
    expect(listed.referrals.map((r) => [r.friendEmail, r.status])).toEqual([
      ["d@example.com", "review"],
      ["c@example.com", "review"],
      ["b@example.com", "rejected"],
      ["a@example.com", "rewarded"],
    ]);
    // Counts per status and link visits are this shop's alone.
    expect(listed.counts).toEqual({ claimed: 0, ordered: 0, pending: 0, rewarded: 1, cancelled: 0, rejected: 1, review: 2 });
    expect(listed.clicks).toBe(2);
    const only = (await (await get("/app/referrals?status=review")).json()) as Loaded;
    expect(only.referrals.map((r) => r.friendEmail)).toEqual(["d@example.com", "c@example.com"]);

    const html = await (await fixture.app.handle(embeddedPageRequest("/app/referrals", SHOP))).text();
    expect(html).toContain("Waiting for review");
    expect(html).toContain("Same IP address as the referrer (not certain)");
    expect(html).toContain("Approve");
    expect(html).not.toContain("e@example.com");

    const home = (await (await get("/app", "routes/app._index")).json()) as { referrals: object };
    // Referred orders count those rewarded, pending or waiting for review (not rejected or cancelled).
    expect(home.referrals).toEqual({ referredOrders: 2, referredRevenueMinor: 7500, rewardCostPoints: 500, pendingReview: 2 });

    expect((await post({ intent: "review", id: String(waiting), decision: "approve" })).status).toBe(200);
    expect((await post({ intent: "review", id: String(waitingToo), decision: "reject" })).status).toBe(200);
    expect((await post({ intent: "review", id: String(waiting), decision: "reject" })).status).toBe(409);
    expect((await post({ intent: "review", id: String(elsewhere), decision: "approve" })).status).toBe(404);
    const rows = await fixture.database.db.query
      .selectFrom("referrals")
      .select(["id", "status", "reviewed_by"])
      .where("id", "in", [waiting, waitingToo, elsewhere])
      .orderBy("id")
      .execute();
    expect(rows.map((row) => [row.status, row.reviewed_by])).toEqual([
      // Approved, the ordered referral's window runs on from its order.
      ["pending", expect.stringMatching(/^Staff 8123456 \(/)],
      ["rejected", expect.stringMatching(/^Staff 8123456 \(/)],
      ["review", null],
    ]);
  });

  it("is linked from the admin's navigation", async () => {
    const html = await (await fixture.app.handle(embeddedPageRequest("/app", SHOP))).text();
    expect(html).toContain('href="/app/referrals"');
  });
});
