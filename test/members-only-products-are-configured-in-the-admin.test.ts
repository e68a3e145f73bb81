import { describe, expect, it } from "vitest";
import { saveTierProgram } from "../app/models/tiers.server";
import { embeddedPageRequest, routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";
import { tierInput, tierProgramInput } from "./support/tiers";

// The members-only page through the production build: a bad rule saves nothing and says why per
// field, a good one is listed with who may buy and until when, a rule is removed only within the
// shop, and the page says plainly what the theme block can and cannot prevent.

const SHOP = "remix-access-test.myshopify.com";
const OTHER = "remix-access-other-test.myshopify.com";
const ROUTE = "routes/app.tiers.access";
const fixture = useRemixApp([SHOP, OTHER]);

type Page = {
  rules: { id: number; targetId: string; targetTitle: string; who: string; opensOn: string | null; status: string }[];
  tierOptions: { label: string; value: string }[];
};
const get = async (shop = SHOP) =>
  (await (await fixture.app.handle(routeDataRequest("/app/tiers/access", ROUTE, { token: sessionToken({ shop }) }))).json()) as Page;
const post = (form: Record<string, string>, shop = SHOP) =>
  fixture.app.handle(routeDataRequest("/app/tiers/access", ROUTE, { method: "POST", token: sessionToken({ shop }), form }));
const add = (spec: Record<string, string> = {}) =>
  post({ intent: "add", targetType: "product", target: "8001", title: "Winter blend", minRank: "2", until: "", ...spec });

describe("the members-only products page", () => {
  it("offers any member only, before the shop has tiers", async () => {
    const page = await get();
    expect(page.rules).toEqual([]);
    expect(page.tierOptions).toEqual([{ label: "Any member (signed in)", value: "0" }]);
  });

  it("answers a bad rule with one error per field and saves nothing", async () => {
    const response = await add({ target: "gid://shopify/Collection/42", until: "2020-01-01" });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { fieldErrors: object }).fieldErrors).toEqual({
      target: "That is a collection ID; choose collection above, or enter a product's ID.",
      minRank: "Your shop has no VIP tiers yet: choose any member.",
      until: expect.stringMatching(/^Choose a day after today/),
    });
    expect(await fixture.database.db.raw.all(`SELECT * FROM "tier_access"`)).toEqual([]);
  });

  it("saves a tier rule once the shop has tiers, and lists it with who may buy and the day it opens to everyone", async () => {
    const now = new Date().toISOString();
    await saveTierProgram(fixture.database.db, SHOP, tierProgramInput([tierInput(1, "Silver"), tierInput(2, "Gold"), tierInput(3, "Platinum")]), now);
    expect((await get()).tierOptions.map((option) => option.label)).toEqual(["Any member (signed in)", "Silver and above", "Gold and above", "Platinum only"]);

    const nextYear = `${new Date().getUTCFullYear() + 1}-06-01`;
    const saved = await add({ until: nextYear });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ intent: "add", ok: true, replaced: false });
    expect((await add({ until: nextYear, minRank: "1" })).status).toBe(200);
    const page = await get();
    expect(page.rules).toEqual([
      expect.objectContaining({
        targetId: "gid://shopify/Product/8001",
        targetTitle: "Winter blend",
        who: "Silver and above",
        opensOn: nextYear,
        status: "running",
      }),
    ]);
    expect((await get(OTHER)).rules).toEqual([]);
  });

  it("removes a rule of this shop only: another shop's id, or one already removed, is 404", async () => {
    const [rule] = (await get()).rules;
    expect((await post({ intent: "remove", id: String(rule.id) }, OTHER)).status).toBe(404);
    expect((await get()).rules).toHaveLength(1);
    expect((await post({ intent: "remove", id: "not-an-id" })).status).toBe(404);
    expect(await (await post({ intent: "remove", id: String(rule.id) })).json()).toEqual({ intent: "remove", ok: true });
    expect((await get()).rules).toEqual([]);
    expect((await post({ intent: "remove", id: String(rule.id) })).status).toBe(404);
    expect((await post({ intent: "archive" })).status).toBe(400);
  });

  it("renders the page with the rules, the add form and what the theme block cannot prevent; the Tiers page links to it", async () => {
    await add({ title: "Reserve oolong", minRank: "3" });
    const response = await fixture.app.handle(embeddedPageRequest("/app/tiers/access", SHOP));
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const text of ["Members-only products", "Reserve oolong", "Platinum only", "For good", "Save rule", "Early access until"])
      expect(html).toContain(text);
    expect(html).toContain("It is not a lock. A determined shopper can still reach checkout");
    expect(html).toContain("pays the full price and gets no member perks");
    const tiersPage = await (await fixture.app.handle(embeddedPageRequest("/app/tiers", SHOP))).text();
    expect(tiersPage).toMatch(/href="\/app\/tiers\/access[^"]*"/);
  });
});
