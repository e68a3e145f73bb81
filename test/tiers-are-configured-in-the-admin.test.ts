import { describe, expect, it } from "vitest";
import { runDueJobs } from "../app/jobs/queue.server";
import { tierJobHandlers } from "../app/models/tiers.server";
import { routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";

// The VIP tiers page through the production build: a bad form saves nothing and says why, a
// preview on the shop's real members matches what saving then does, and the page shows members per tier.

const SHOP = "remix-tiers-test.myshopify.com";
const TIERS = "routes/app.tiers._index";
const fixture = useRemixApp([SHOP]);

const get = () => fixture.app.handle(routeDataRequest("/app/tiers", TIERS, { token: sessionToken({ shop: SHOP }) }));
const post = (form: Record<string, string>) =>
  fixture.app.handle(routeDataRequest("/app/tiers", TIERS, { method: "POST", token: sessionToken({ shop: SHOP }), form }));

const tierForm = (spec: Record<string, string> = {}) => ({
  intent: "save",
  enabled: "on",
  basis: "points_earned",
  periodKind: "calendar_year",
  periodMonths: "12",
  retention: "period_and_next",
  tagPrefix: "",
  tierCount: "2",
  "tiers.0.threshold": "100",
  "tiers.0.name_en": "Silver",
  "tiers.0.multiplier": "1",
  "tiers.1.threshold": "300",
  "tiers.1.name_en": "Gold",
  "tiers.1.multiplier": "1.5",
  ...spec,
});

async function memberWithPoints(customerId: string, points: number) {
  const db = fixture.database.db;
  const now = new Date().toISOString();
  const member = await db.query
    .insertInto("members")
    .values({ shop: SHOP, customer_id: customerId, balance: 0, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.query
    .insertInto("ledger_entries")
    .values({
      shop: SHOP,
      member_id: member.id,
      delta: points,
      kind: "earned",
      source_key: `seed:${customerId}`,
      actor_type: "system",
      reason: "seed",
      created_at: now,
    })
    .execute();
  return member.id;
}

describe("the VIP tiers page", () => {
  it("starts from three example tiers, off", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { saved: boolean; form: Record<string, string> };
    expect(body.saved).toBe(false);
    expect([body.form.enabled, body.form.tierCount, body.form["tiers.2.name_en"]]).toEqual(["", "3", "Gold"]);
  });

  it("answers a bad form with field errors and saves nothing", async () => {
    const response = await post(tierForm({ "tiers.1.threshold": "50", "tiers.0.name_en": "" }));
    expect(response.status).toBe(422);
    expect(((await response.json()) as { fieldErrors: object }).fieldErrors).toEqual({
      "tiers.0.name_en": expect.any(String),
      "tiers.1.threshold": "Each tier's threshold must be higher than the tier before it.",
    });
    expect(await fixture.database.db.raw.all(`SELECT * FROM "tiers" WHERE "shop" = ?`, [SHOP])).toEqual([]);
  });

  it("previews on the shop's members, then saving places them as previewed once the job runs", async () => {
    await memberWithPoints("9001", 50);
    await memberWithPoints("9002", 150);
    await memberWithPoints("9003", 400);
    const preview = await post(tierForm({ intent: "preview" }));
    expect(preview.status).toBe(200);
    const body = (await preview.json()) as { preview: { up: number; down: number; same: number; perRank: object[] } };
    expect(body.preview).toMatchObject({ up: 2, down: 0, same: 1 });
    expect(body.preview.perRank).toEqual([
      { rank: 0, before: 3, after: 1 },
      { rank: 1, before: 0, after: 1 },
      { rank: 2, before: 0, after: 1 },
    ]);
    expect(await fixture.database.db.raw.all(`SELECT * FROM "tiers" WHERE "shop" = ?`, [SHOP])).toEqual([]);

    expect((await post(tierForm())).status).toBe(200);
    await runDueJobs(fixture.database.db, tierJobHandlers(), { now: new Date(Date.now() + 1000), worker: "test" });
    const page = (await (await get()).json()) as {
      counts: { tierId: number | null; members: number }[];
      tiers: { id: number; name: string }[];
      progress: { running: boolean };
    };
    const named = Object.fromEntries(page.counts.map((row) => [page.tiers.find((tier) => tier.id === row.tierId)?.name ?? "none", row.members]));
    expect(named).toEqual({ none: 1, Silver: 1, Gold: 1 });
    expect(page.progress.running).toBe(false);
  });

  it("shows the member's tier on their page and lets staff place them by hand, with a reason, recorded with who did it", async () => {
    const memberId = (await fixture.database.db.raw.get<{ id: number }>(`SELECT "id" FROM "members" WHERE "shop" = ? AND "customer_id" = '9001'`, [SHOP]))!.id;
    const ROUTE = "routes/app.customers.$id";
    const token = sessionToken({ shop: SHOP, userId: "77001" });
    const page = async () =>
      (await (await fixture.app.handle(routeDataRequest(`/app/customers/${memberId}`, ROUTE, { token }))).json()) as {
        tier: { tierName: string; total: string; tiers: { id: number; name: string }[]; history: { why: string; by: string; note: string | null }[] };
        tierKey: string;
      };
    const before = await page();
    expect(before.tier).toMatchObject({ tierName: "No tier", total: "50 points earned" });
    const gold = before.tier.tiers.find((tier) => tier.name === "Gold")!.id;
    const place = (form: Record<string, string>) =>
      fixture.app.handle(
        routeDataRequest(`/app/customers/${memberId}`, ROUTE, {
          method: "POST",
          token,
          form: { intent: "tier", tierId: String(gold), tierUntil: "", tierKey: before.tierKey, ...form },
        }),
      );
    const refused = await place({ tierReason: "" });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { fieldErrors: object }).fieldErrors).toEqual({ reason: expect.any(String) });
    expect(await (await place({ tierReason: "VIP event guest" })).json()).toMatchObject({ ok: true, changed: true });
    const after = await page();
    expect(after.tier.tierName).toBe("Gold");
    expect(after.tier.history[0]).toMatchObject({ why: "Placed by staff", note: "VIP event guest", by: "Staff 77001" });
  });
});
