import { describe, expect, it } from "vitest";
import { routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";

const SHOP = "remix-earn-test.myshopify.com";
const OTHER_SHOP = "remix-earn-other-test.myshopify.com";
const INDEX = "routes/app.ways-to-earn._index";
const RULE = "routes/app.ways-to-earn.$id";
const CAMPAIGN = "routes/app.campaigns.$id";
const fixture = useRemixApp([SHOP, OTHER_SHOP]);

const token = (shop = SHOP) => sessionToken({ shop });
const get = (path: string, route: string, shop = SHOP) => fixture.app.handle(routeDataRequest(path, route, { token: token(shop) }));
const post = (path: string, route: string, form: Record<string, string>, shop = SHOP) =>
  fixture.app.handle(routeDataRequest(path, route, { method: "POST", token: token(shop), form }));

const ruleForm = (spec: Record<string, string> = {}) => ({
  intent: "save",
  status: "live",
  points: "100",
  rateMode: "",
  pointsPerCurrencyUnit: "",
  everyNth: "",
  photoBonusPoints: "",
  network: "",
  url: "",
  noticeDays: "",
  limitCount: "",
  limitPeriod: "",
  startsAt: "",
  endsAt: "",
  customerTags: "",
  ...spec,
});

const campaignForm = (spec: Record<string, string> = {}) => ({
  name: "Double points weekend",
  status: "live",
  startsAt: "2026-12-05T00:00",
  endsAt: "2026-12-07T00:00",
  mode: "multiplier",
  multiplier: "2",
  bonusPoints: "",
  productIds: "",
  collectionIds: "",
  customerTags: "",
  ...spec,
});

const rulesOf = (shop: string) =>
  fixture.database.db.raw.all<{ id: number; kind: string; status: string; points: number; settings: string }>(
    `SELECT * FROM "earning_rules" WHERE "shop" = ? ORDER BY "id"`,
    [shop],
  );
const createdId = (response: Response) => Number(response.headers.get("X-Remix-Redirect")!.split("/").pop());

describe("the Ways to earn pages, through the production build", () => {
  it("list the shop's ways to earn with what each gives, and none of another shop's", async () => {
    const response = await get("/app/ways-to-earn", INDEX);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rules: { kind: string; earns: string; status: string }[]; pendingDays: number };
    expect(body.rules.map((rule) => [rule.kind, rule.earns, rule.status])).toEqual([["purchase", "1 point per 1 USD", "live"]]);
    expect(body.pendingDays).toBe(0);
  });

  it("create a way to earn of each kind from its form", async () => {
    const cases: [string, Record<string, string>][] = [
      ["nth_order", { everyNth: "5", points: "200" }],
      ["first_order", { points: "150" }],
      ["signup", { points: "100", includeImported: "on" }],
      ["birthday", { points: "100", noticeDays: "30" }],
      ["newsletter", { points: "50" }],
      ["social", { network: "instagram", url: "https://instagram.com/teashop", points: "25" }],
      ["review", { points: "40", photoBonusPoints: "60" }],
      ["custom", { points: "75", limitCount: "1", limitPeriod: "month", title_en: "Complete our style quiz" }],
    ];
    for (const [kind, fields] of cases) {
      const response = await post(`/app/ways-to-earn/new?kind=${kind}`, RULE, ruleForm(fields));
      expect(response.status, kind).toBe(204);
      const page = await get(`/app/ways-to-earn/${createdId(response)}`, RULE);
      expect(await page.json()).toMatchObject({ kind });
    }
    const rules = await rulesOf(OTHER_SHOP);
    expect(rules.map((rule) => rule.kind)).toEqual(["purchase"]);
    const social = (await rulesOf(SHOP)).find((rule) => rule.kind === "social")!;
    expect(JSON.parse(social.settings)).toEqual({ network: "instagram", url: "https://instagram.com/teashop" });
  });

  it("answer 422 with field errors for bad input and save nothing", async () => {
    const before = (await rulesOf(SHOP)).length;
    const cases: [string, Record<string, string>, string][] = [
      ["social", { network: "instagram", url: "not a link", points: "25" }, "url"],
      ["custom", { points: "0" }, "points"],
      ["custom", { startsAt: "2026-12-07T00:00", endsAt: "2026-12-05T00:00" }, "endsAt"],
      ["signup", {}, "kind"],
    ];
    for (const [kind, fields, field] of cases) {
      const response = await post(`/app/ways-to-earn/new?kind=${kind}`, RULE, ruleForm(fields));
      expect(response.status, `${kind} ${field}`).toBe(422);
      const body = (await response.json()) as { fieldErrors: Record<string, string> };
      expect(Object.keys(body.fieldErrors), `${kind} ${field}`).toContain(field);
    }
    expect(await post("/app/ways-to-earn/new?kind=lottery", RULE, ruleForm())).toHaveProperty("status", 400);
    expect((await rulesOf(SHOP)).length).toBe(before);
  });

  it("switch a way to earn on and off, refuse a second live sign-up rule, and never touch another shop's", async () => {
    const signup = (await rulesOf(SHOP)).find((rule) => rule.kind === "signup")!;
    expect(await post("/app/ways-to-earn", INDEX, { intent: "rule_status", id: String(signup.id), status: "off" })).toHaveProperty("status", 200);
    expect((await rulesOf(SHOP)).find((rule) => rule.id === signup.id)?.status).toBe("off");
    const second = await post("/app/ways-to-earn/new?kind=signup", RULE, ruleForm({ points: "10" }));
    expect(second.status).toBe(204);
    const clash = await post("/app/ways-to-earn", INDEX, { intent: "rule_status", id: String(signup.id), status: "live" });
    expect(clash.status).toBe(422);
    const foreign = await post("/app/ways-to-earn", INDEX, { intent: "rule_status", id: String(signup.id), status: "live" }, OTHER_SHOP);
    expect(foreign.status).toBe(404);
    expect((await get(`/app/ways-to-earn/${signup.id}`, RULE, OTHER_SHOP)).status).toBe(404);
  });

  it("delete a rule that never awarded, keep one that did", async () => {
    const custom = (await rulesOf(SHOP)).find((rule) => rule.kind === "custom")!;
    const review = (await rulesOf(SHOP)).find((rule) => rule.kind === "review")!;
    const member = await fixture.database.db.query
      .insertInto("members")
      .values({ shop: SHOP, customer_id: "77", balance: 0, created_at: new Date().toISOString(), updated_at: new Date().toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await fixture.database.db.raw.run(
      `INSERT INTO "ledger_entries" ("shop", "member_id", "delta", "kind", "source_key", "actor_type", "reason", "rule_id", "created_at") VALUES (?, ?, 40, 'review', 'action:x:1', 'system', 'Product review', ?, ?)`,
      [SHOP, member.id, review.id, new Date().toISOString()],
    );
    expect(await post(`/app/ways-to-earn/${review.id}`, RULE, { intent: "delete" })).toHaveProperty("status", 409);
    expect(await post(`/app/ways-to-earn/${custom.id}`, RULE, { intent: "delete" })).toHaveProperty("status", 204);
    expect((await rulesOf(SHOP)).map((rule) => rule.id)).toContain(review.id);
    expect((await rulesOf(SHOP)).map((rule) => rule.id)).not.toContain(custom.id);
    const list = (await (await get("/app/ways-to-earn", INDEX)).json()) as { rules: { id: number; given: { points: number; members: number } }[] };
    expect(list.rules.find((rule) => rule.id === review.id)?.given).toEqual({ points: 40, members: 1 });
  });

  it("create campaigns, show each as scheduled, running or ended, and refuse bad ones", async () => {
    const now = Date.now();
    const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    const running = await post(
      "/app/campaigns/new",
      CAMPAIGN,
      campaignForm({ name: "Now", startsAt: local(now - 86_400_000), endsAt: local(now + 86_400_000) }),
    );
    expect(running.status).toBe(204);
    const scheduled = await post(
      "/app/campaigns/new",
      CAMPAIGN,
      campaignForm({ name: "Next week", startsAt: local(now + 7 * 86_400_000), endsAt: local(now + 9 * 86_400_000) }),
    );
    const ended = await post(
      "/app/campaigns/new",
      CAMPAIGN,
      campaignForm({
        name: "Last month",
        mode: "bonus",
        multiplier: "",
        bonusPoints: "50",
        startsAt: local(now - 40 * 86_400_000),
        endsAt: local(now - 30 * 86_400_000),
      }),
    );
    expect([scheduled.status, ended.status]).toEqual([204, 204]);
    const list = (await (await get("/app/ways-to-earn", INDEX)).json()) as { campaigns: { name: string; phase: string; gives: string }[] };
    expect(list.campaigns.map((campaign) => [campaign.name, campaign.phase, campaign.gives])).toEqual([
      ["Next week", "scheduled", "2x points"],
      ["Now", "running", "2x points"],
      ["Last month", "ended", "+50 points per order"],
    ]);
    const bad = await post("/app/campaigns/new", CAMPAIGN, campaignForm({ multiplier: "50" }));
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { fieldErrors: Record<string, string> }).fieldErrors.multiplier).toMatch(/from 1.01 to 10/);
    const backwards = await post("/app/campaigns/new", CAMPAIGN, campaignForm({ endsAt: "2026-12-04T00:00" }));
    expect(backwards.status).toBe(422);
    expect((await get(`/app/campaigns/${createdId(running)}`, CAMPAIGN, OTHER_SHOP)).status).toBe(404);
  });

  it("save the pending window, refusing what is not a number of days", async () => {
    expect(await post("/app/ways-to-earn", INDEX, { intent: "pending_days", pendingDays: "14" })).toHaveProperty("status", 200);
    const bad = await post("/app/ways-to-earn", INDEX, { intent: "pending_days", pendingDays: "two weeks" });
    expect(bad.status).toBe(422);
    const row = await fixture.database.db.raw.get<{ pending_days: number }>(`SELECT "pending_days" FROM "shops" WHERE "domain" = ?`, [SHOP]);
    expect(row?.pending_days).toBe(14);
    const other = await fixture.database.db.raw.get<{ pending_days: number }>(`SELECT "pending_days" FROM "shops" WHERE "domain" = ?`, [OTHER_SHOP]);
    expect(other?.pending_days).toBe(0);
  });

  it("changing a rule books the storefront's copy to be written again", async () => {
    const jobs = await fixture.database.db.raw.all<{ job_key: string }>(`SELECT "job_key" FROM "jobs" WHERE "shop" = ? AND "kind" = 'ways_to_earn.sync'`, [
      SHOP,
    ]);
    expect(jobs.length).toBe(1);
  });
});
