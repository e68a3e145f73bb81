import { describe, expect, it } from "vitest";
import { createReward, getReward, listEnabledRewards, type StoredReward } from "../app/models/rewards.server";
import { embeddedPageRequest, routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";
import { postedRewardForm, rewardForm } from "./support/rewards";

const SHOP = "remix-rewards-test.myshopify.com";
const OTHER_SHOP = "remix-rewards-other-test.myshopify.com";
const REWARD_ROUTE = "routes/app.rewards.$id";
const INDEX_ROUTE = "routes/app.rewards._index";
const fixture = useRemixApp([SHOP, OTHER_SHOP]);

const post = (path: string, form: Record<string, string>, token: string | undefined = sessionToken({ shop: SHOP })) =>
  fixture.app.handle(routeDataRequest(path, REWARD_ROUTE, { method: "POST", token, form }));
const rewardCount = async (shop: string) =>
  Number((await fixture.database.db.raw.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "rewards" WHERE "shop" = ?', [shop]))?.n);
const rowOf = (id: number) => fixture.database.db.raw.get('SELECT * FROM "rewards" WHERE "id" = ?', [id]);

async function rewardOf(shop: string, name: string): Promise<StoredReward> {
  const result = await createReward(fixture.database.db, shop, rewardForm({ name }), new Date().toISOString());
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return result.reward;
}

describe("the rewards catalogue pages, through the production build", () => {
  it("creates a reward from the posted form, which the list and the storefront then show", async () => {
    const response = await post(
      "/app/rewards/new",
      postedRewardForm({ name: "Pick your discount", kind: "variable", pointsCost: "100", combinesWithShippingDiscounts: false }),
    );
    expect(response.status).toBe(204);
    const location = response.headers.get("X-Remix-Redirect");
    expect(location).toMatch(/^\/app\/rewards\/\d+$/);
    const id = Number(location!.split("/").pop());
    expect(await getReward(fixture.database.db, SHOP, id)).toMatchObject({
      name: "Pick your discount",
      kind: "variable",
      pointsCost: 100,
      valueMinor: 100,
      minAmountMinor: 500,
      maxAmountMinor: 5000,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
      enabled: true,
    });

    const token = sessionToken({ shop: SHOP });
    const page = await fixture.app.handle(routeDataRequest(`/app/rewards/${id}`, REWARD_ROUTE, { token }));
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({
      id,
      currencyCode: "USD",
      form: { name: "Pick your discount", kind: "variable", stepAmount: "1.00", minAmount: "5.00", maxAmount: "50.00" },
    });
    const list = await fixture.app.handle(routeDataRequest("/app/rewards", INDEX_ROUTE, { token }));
    expect(list.status).toBe(200);
    expect(((await list.json()) as { rewards: unknown[] }).rewards).toContainEqual({
      id,
      name: "Pick your discount",
      kind: "variable",
      kindLabel: expect.any(String),
      pointsCost: 100,
      value: "1.00 USD per 100 points, 5.00 USD to 50.00 USD",
      enabled: true,
    });
    // GET /proxy/customer lists the shop's enabled rewards from here.
    expect((await listEnabledRewards(fixture.database.db, SHOP)).map((reward) => reward.id)).toContain(id);
  });

  it("renders the new-reward form with the defaults", async () => {
    const page = await fixture.app.handle(routeDataRequest("/app/rewards/new", REWARD_ROUTE, { token: sessionToken({ shop: SHOP }) }));
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ id: null, form: { kind: "fixed_amount", codeLifetimeDays: "30", enabled: true } });
  });

  it("answers 422 with field errors for an invalid form and saves nothing", async () => {
    const before = await rewardCount(SHOP);
    const response = await post("/app/rewards/new", postedRewardForm({ name: "", pointsCost: "12.5", amount: "1.999" }));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      ok: false,
      fieldErrors: {
        name: expect.stringMatching(/name/),
        pointsCost: expect.stringMatching(/whole number/),
        amount: expect.stringMatching(/at most 2 decimals/),
      },
    });
    expect(await rewardCount(SHOP)).toBe(before);
  });

  it("edits a reward, refuses a bad edit with 422, and turns it off and on without deleting it", async () => {
    const reward = await rewardOf(SHOP, "Editable");
    const saved = await post(`/app/rewards/${reward.id}`, postedRewardForm({ name: "Edited", kind: "percentage", percentOff: "20" }));
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ ok: true });
    expect(await getReward(fixture.database.db, SHOP, reward.id)).toMatchObject({ name: "Edited", kind: "percentage", percentOff: 20 });

    const stored = await rowOf(reward.id);
    const refused = await post(`/app/rewards/${reward.id}`, postedRewardForm({ kind: "percentage", percentOff: "120" }));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ ok: false, fieldErrors: { percentOff: expect.stringMatching(/1 to 100/) } });
    expect(await rowOf(reward.id)).toEqual(stored);

    const off = await post(`/app/rewards/${reward.id}`, { intent: "turn_off" });
    expect(await off.json()).toEqual({ ok: true, enabled: false });
    expect(await getReward(fixture.database.db, SHOP, reward.id)).toMatchObject({ enabled: false });
    expect((await listEnabledRewards(fixture.database.db, SHOP)).map((r) => r.id)).not.toContain(reward.id);
    const on = await post(`/app/rewards/${reward.id}`, { intent: "turn_on" });
    expect(await on.json()).toEqual({ ok: true, enabled: true });
    expect((await listEnabledRewards(fixture.database.db, SHOP)).map((r) => r.id)).toContain(reward.id);
  });

  it("answers 404 for another shop's reward, on the page, the form and turning it off, and leaves it alone", async () => {
    const theirs = await rewardOf(OTHER_SHOP, "Not yours");
    const before = await rowOf(theirs.id);
    const token = sessionToken({ shop: SHOP });
    expect((await fixture.app.handle(routeDataRequest(`/app/rewards/${theirs.id}`, REWARD_ROUTE, { token }))).status).toBe(404);
    expect((await post(`/app/rewards/${theirs.id}`, postedRewardForm({ name: "Mine now" }), token)).status).toBe(404);
    expect((await post(`/app/rewards/${theirs.id}`, { intent: "turn_off" }, token)).status).toBe(404);
    expect(await rowOf(theirs.id)).toEqual(before);
    const list = await fixture.app.handle(routeDataRequest("/app/rewards", INDEX_ROUTE, { token }));
    expect(((await list.json()) as { rewards: { id: number }[] }).rewards.map((r) => r.id)).not.toContain(theirs.id);
  });

  it.each(["abc", "0", "1.5", "99999999999"])("answers 404 for the reward id %s", async (id) => {
    const page = await fixture.app.handle(routeDataRequest(`/app/rewards/${id}`, REWARD_ROUTE, { token: sessionToken({ shop: SHOP }) }));
    expect(page.status).toBe(404);
  });

  it.each([
    ["signed with another secret", { secret: "not-the-app-secret" }],
    ["issued for another app", { audience: "another-api-key" }],
    ["expired", { expiresIn: -120 }],
  ])("answers 401 to a session token %s and saves nothing", async (_, claims) => {
    const before = await rewardCount(SHOP);
    const response = await post("/app/rewards/new", postedRewardForm({ name: "Forged" }), sessionToken({ shop: SHOP, ...claims }));
    expect(response.status).toBe(401);
    expect(await rewardCount(SHOP)).toBe(before);
  });

  it("renders the list and the forms as the embedded admin opens them", async () => {
    const mine = await rewardOf(SHOP, "Rendered treat");
    const theirs = await rewardOf(OTHER_SHOP, "Hidden treat");
    const html = async (pathname: string) => {
      const response = await fixture.app.handle(embeddedPageRequest(pathname, SHOP));
      expect(response.status).toBe(200);
      return response.text();
    };
    const list = await html("/app/rewards");
    expect(list).toContain("Rendered treat");
    expect(list).toContain("10.00 USD off");
    expect(list).toContain("Add reward");
    expect(list).not.toContain("Hidden treat");
    expect(await html(`/app/rewards/${mine.id}`)).toContain("Turn off");
    expect(await html("/app/rewards/new")).toContain("Code valid for");
    expect((await fixture.app.handle(embeddedPageRequest(`/app/rewards/${theirs.id}`, SHOP))).status).toBe(404);
  });
});
