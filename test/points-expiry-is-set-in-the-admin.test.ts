import { describe, expect, it } from "vitest";
import { pointsExpiringWithin } from "../app/models/expiry.server";
import { createMember, recordEntry } from "./support/members";
import { routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";

// The Points expiry page through the production build: off by default, a bad form saves nothing
// and says why, saving turns the policy on (and starts today's run), and the home page and the
// member's page show what will expire and when.

const SHOP = "remix-expiry-test.myshopify.com";
const OTHER = "remix-expiry-other.myshopify.com";
const EXPIRY = "routes/app.expiry";
const fixture = useRemixApp([SHOP, OTHER]);
const token = () => sessionToken({ shop: SHOP });

const get = (path: string, route: string) => fixture.app.handle(routeDataRequest(path, route, { token: token() }));
const post = (form: Record<string, string>) => fixture.app.handle(routeDataRequest("/app/expiry", EXPIRY, { method: "POST", token: token(), form }));

const DAY = 86_400_000;

describe("the Points expiry page", () => {
  it("starts off: points never expire", async () => {
    const response = await get("/app/expiry", EXPIRY);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { form: { kind: string; months: string }; expiringSoon: unknown };
    expect(body.form).toEqual({ kind: "off", months: "12" });
    expect(body.expiringSoon).toBeNull();
  });

  it.each([
    [{ kind: "sometimes", months: "12" }, "kind", "Choose no expiry, expiry after inactivity, or expiry by age."],
    [{ kind: "inactivity", months: "" }, "months", "Enter after how many months points expire."],
    [{ kind: "age", months: "1.5" }, "months", "Months must be a whole number, like 12."],
    [{ kind: "age", months: "61" }, "months", "Months must be between 1 and 60."],
  ])("refuses %j at the field, saving nothing", async (form, field, message) => {
    const response = await post(form);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { fieldErrors: object }).fieldErrors).toEqual({ [field]: message });
    const row = await fixture.database.db.raw.get<{ expiry_policy: string }>(`SELECT "expiry_policy" FROM "shops" WHERE "domain" = ?`, [SHOP]);
    expect(row?.expiry_policy).toBe("off");
  });

  it("saves the policy for this shop only, starts today's run, and shows what the next 30 days expire", async () => {
    const db = fixture.database.db;
    const soon = await createMember(db, SHOP);
    const later = await createMember(db, SHOP);
    // 12 months of inactivity: one member's points go in 10 days, the other's in about 6 months.
    await recordEntry(db, SHOP, soon.id, 250, { at: new Date(Date.now() - 365 * DAY + 10 * DAY) });
    await recordEntry(db, SHOP, later.id, 90, { at: new Date(Date.now() - 180 * DAY) });

    expect((await post({ kind: "inactivity", months: "12" })).status).toBe(200);
    const shops = await db.raw.all<{ domain: string; expiry_policy: string; expiry_months: number }>(
      `SELECT "domain", "expiry_policy", "expiry_months" FROM "shops" WHERE "domain" IN (?, ?) ORDER BY "domain"`,
      [SHOP, OTHER],
    );
    expect(shops.map((row) => [row.domain, row.expiry_policy, row.expiry_months])).toEqual([
      [OTHER, "off", 12],
      [SHOP, "inactivity", 12],
    ]);
    const job = await db.raw.get<{ kind: string }>(`SELECT "kind" FROM "jobs" WHERE "shop" = ? AND "kind" = 'points.expiry'`, [SHOP]);
    expect(job?.kind).toBe("points.expiry");

    const page = (await (await get("/app/expiry", EXPIRY)).json()) as { form: object; expiringSoon: object };
    expect(page.form).toEqual({ kind: "inactivity", months: "12" });
    expect(page.expiringSoon).toEqual({ points: 250, members: 1, exact: true });
    expect(await pointsExpiringWithin(db, OTHER, 30)).toEqual({ points: 0, members: 0, exact: true });

    const home = (await (await get("/app", "routes/app._index")).json()) as { expiringSoon: object | null };
    expect(home.expiringSoon).toEqual({ points: 250, members: 1, exact: true });

    const member = (await (await get(`/app/customers/${soon.id}`, "routes/app.customers.$id")).json()) as {
      pointsExpiring: { points: number; expiresAt: string } | null;
    };
    expect(member.pointsExpiring?.points).toBe(250);
    expect(Date.parse(member.pointsExpiring!.expiresAt) - Date.now()).toBeGreaterThan(8 * DAY);
    expect(Date.parse(member.pointsExpiring!.expiresAt) - Date.now()).toBeLessThan(12 * DAY);
  });

  it("turning it off again keeps the months and says points never expire", async () => {
    expect((await post({ kind: "off", months: "" })).status).toBe(200);
    const page = (await (await get("/app/expiry", EXPIRY)).json()) as { form: object; expiringSoon: unknown };
    expect(page.form).toEqual({ kind: "off", months: "12" });
    expect(page.expiringSoon).toBeNull();
    const home = (await (await get("/app", "routes/app._index")).json()) as { expiringSoon: unknown };
    expect(home.expiringSoon).toBeNull();
  });
});
