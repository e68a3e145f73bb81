import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { creditAwards } from "../app/models/awards.server";
import { readShopEarning } from "../app/models/earning-rules.server";
import { decideAwards } from "../app/domain/ways-to-earn";
import { addEarningRule } from "./support/action-rules";
import { balanceOf, createMember } from "./support/members";
import { embeddedPageRequest, routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";

const SHOP = "staff-awards-test.myshopify.com";
const OTHER_SHOP = "staff-awards-other-test.myshopify.com";
const ROUTE = "routes/app.customers.$id";
const fixture = useRemixApp([SHOP, OTHER_SHOP]);
const db = () => fixture.database.db;

const page = async (memberId: number) => {
  const response = await fixture.app.handle(routeDataRequest(`/app/customers/${memberId}`, ROUTE, { token: sessionToken({ shop: SHOP }) }));
  expect(response.status).toBe(200);
  return (await response.json()) as {
    awardKey: string;
    awardRules: { id: number; kind: string; label: string }[];
    entries: { delta: number; reason: string; breakdown: string | null; by: string }[];
  };
};
const award = (memberId: number, form: Record<string, string>) =>
  fixture.app.handle(
    routeDataRequest(`/app/customers/${memberId}`, ROUTE, {
      method: "POST",
      token: sessionToken({ shop: SHOP, userId: "4242" }),
      form: { intent: "award", ...form },
    }),
  );

describe("the member's page", () => {
  it("awards a review with a photo once per rendered form, as the signed-in staff member", async () => {
    const member = await createMember(db(), SHOP);
    const ruleId = await addEarningRule(db(), SHOP, { points: 50, photoBonusPoints: 20 });
    const shown = await page(member.id);
    expect(shown.awardRules).toContainEqual({ id: ruleId, kind: "review", label: `Product review #${ruleId} (50 points, +20 with a photo)` });
    const form = { ruleId: String(ruleId), photo: "on", reason: "Review sent by email", awardKey: shown.awardKey };

    const first = await award(member.id, form);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ intent: "award", ok: true, duplicate: false, points: 70, dryRun: false, wouldAward: 70 });
    const second = await award(member.id, form);
    expect(await second.json()).toMatchObject({ intent: "award", ok: true, duplicate: true, message: "This award was already recorded; nothing changed." });
    expect(await balanceOf(db(), member.id)).toBe(70);

    const after = await page(member.id);
    expect(after.entries).toEqual([
      {
        id: expect.any(Number),
        kind: "review",
        delta: 70,
        reason: "Product review · Review sent by email",
        customerNote: null,
        by: "Staff 4242",
        at: expect.any(String),
        breakdown: "Product review: +50 · Photo review bonus: +20",
      },
    ]);
  });

  it("refuses a form without a way to earn, a purchase rule and a second social follow, and changes nothing", async () => {
    const member = await createMember(db(), SHOP);
    const purchase = (await db().raw.get<{ id: number }>(`SELECT "id" FROM "earning_rules" WHERE "shop" = ? AND "kind" = 'purchase'`, [SHOP]))!.id;
    const social = await addEarningRule(db(), SHOP, { kind: "social", points: 15 });

    const missing = await award(member.id, { ruleId: "", reason: "", awardKey: randomUUID() });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toEqual({ intent: "award", ok: false, fieldErrors: { ruleId: "Choose the way to earn to award." } });
    const wrongKind = await award(member.id, { ruleId: String(purchase), reason: "", awardKey: randomUUID() });
    expect(wrongKind.status).toBe(422);
    expect(await wrongKind.json()).toEqual({
      intent: "award",
      ok: false,
      fieldErrors: { ruleId: `Way to earn ${purchase} is a purchase; only a product review, custom action or social follow is awarded this way.` },
    });

    expect(await (await award(member.id, { ruleId: String(social), reason: "", awardKey: randomUUID() })).json()).toMatchObject({ ok: true, points: 15 });
    const again = await award(member.id, { ruleId: String(social), reason: "", awardKey: randomUUID() });
    expect(await again.json()).toMatchObject({ ok: true, duplicate: true, message: `The customer already earned way to earn ${social}; nothing changed.` });
    expect(await balanceOf(db(), member.id)).toBe(15);
  });

  it("answers 404 for another shop's member and awards nothing", async () => {
    const theirs = await createMember(db(), OTHER_SHOP);
    const ruleId = await addEarningRule(db(), SHOP);
    expect((await award(theirs.id, { ruleId: String(ruleId), reason: "", awardKey: randomUUID() })).status).toBe(404);
    expect(await balanceOf(db(), theirs.id)).toBe(0);
  });

  it("shows under an order's entries how they came to their points", async () => {
    const member = await createMember(db(), SHOP);
    const now = new Date();
    await db()
      .query.insertInto("campaigns")
      .values({
        shop: SHOP,
        name: "Double points weekend",
        status: "live",
        starts_at: new Date(now.getTime() - 3_600_000).toISOString(),
        ends_at: new Date(now.getTime() + 3_600_000).toISOString(),
        multiplier_percent: 200,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute();
    const earning = await readShopEarning(db(), SHOP, now);
    const order = {
      type: "order" as const,
      at: now.toISOString(),
      orderId: String(Date.now()),
      currency: "USD",
      customerTags: [],
      lines: [{ lineItemId: "1", productId: "9", basisMinor: 7000 }],
    };
    const decision = decideAwards(
      order,
      earning.rules,
      earning.campaigns,
      { customerId: member.customerId, qualifyingOrders: 0, awards: new Map() },
      {
        program: { enabled: true, minimumOrderMinor: 0, excludedCustomerTags: new Set() },
        timeZone: "UTC",
      },
    );
    await creditAwards(db(), SHOP, { id: member.id, ruleAwards: {} }, decision.awards, { now: now.toISOString() });
    await db().query.deleteFrom("campaigns").where("shop", "=", SHOP).execute();

    const shown = await page(member.id);
    expect(shown.entries.map((entry) => [entry.delta, entry.reason, entry.breakdown])).toEqual([
      [70, "Double points weekend", "Double points weekend: 2x on 70.00 USD → +70"],
      [70, "Purchase", "70 = 1 per 1 USD on 70.00 USD"],
    ]);
    const html = await (await fixture.app.handle(embeddedPageRequest(`/app/customers/${member.id}`, SHOP))).text();
    expect(html).toContain("70 = 1 per 1 USD on 70.00 USD");
    expect(html).toContain("Award a way to earn");
  });
});
