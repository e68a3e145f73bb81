import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { balanceOf, createMember } from "./support/members";
import { routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";

const SHOP = "remix-admin-test.myshopify.com";
const OTHER_SHOP = "remix-other-test.myshopify.com";
const CUSTOMER_ROUTE = "routes/app.customers.$id";
const fixture = useRemixApp([SHOP, OTHER_SHOP]);

const adjustmentForm = (overrides: Record<string, string> = {}) => ({
  points: "150",
  reason: "Goodwill for a late delivery",
  customerNote: "Sorry about the wait!",
  idempotencyKey: randomUUID(),
  ...overrides,
});
const postAdjustment = (memberId: number, form: Record<string, string>, token: string | undefined) =>
  fixture.app.handle(routeDataRequest(`/app/customers/${memberId}`, CUSTOMER_ROUTE, { method: "POST", token, form }));
const entriesOf = (memberId: number) =>
  fixture.database.db.raw.all<{ delta: number; kind: string; actor_type: string; actor_id: string; actor_name: string; source_key: string }>(
    'SELECT "delta", "kind", "actor_type", "actor_id", "actor_name", "source_key" FROM "ledger_entries" WHERE "member_id" = ? ORDER BY "id"',
    [memberId],
  );

describe("the customer page's manual adjustment, through the production build", () => {
  it("records a posted adjustment in the ledger with the staff member from the session token", async () => {
    const member = await createMember(fixture.database.db, SHOP);
    const form = adjustmentForm();
    const response = await postAdjustment(member.id, form, sessionToken({ shop: SHOP, userId: "77001" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, duplicate: false, entry: { delta: 150 } });
    expect(await entriesOf(member.id)).toEqual([
      {
        delta: 150,
        kind: "manual_adjustment",
        actor_type: "staff",
        actor_id: "77001",
        actor_name: "Staff 77001",
        source_key: `adjustment:${form.idempotencyKey}`,
      },
    ]);
    expect(await balanceOf(fixture.database.db, member.id)).toBe(150);
  });

  it("renders the form with a key, and the same form posted twice changes the balance once", async () => {
    const member = await createMember(fixture.database.db, SHOP);
    const token = sessionToken({ shop: SHOP });
    const page = await fixture.app.handle(routeDataRequest(`/app/customers/${member.id}`, CUSTOMER_ROUTE, { token }));
    expect(page.status).toBe(200);
    const { idempotencyKey, member: shown } = (await page.json()) as { idempotencyKey: string; member: { balance: number } };
    expect(shown.balance).toBe(0);
    const form = adjustmentForm({ idempotencyKey, points: "-40" });
    const first = await postAdjustment(member.id, form, token);
    const second = await postAdjustment(member.id, form, token);
    expect(await first.json()).toMatchObject({ ok: true, duplicate: false });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ ok: true, duplicate: true });
    expect(await entriesOf(member.id)).toHaveLength(1);
    expect(await balanceOf(fixture.database.db, member.id)).toBe(-40);
  });

  it("answers 422 with field errors for an invalid form and records nothing", async () => {
    const member = await createMember(fixture.database.db, SHOP);
    const response = await postAdjustment(member.id, adjustmentForm({ points: "2.5", reason: "" }), sessionToken({ shop: SHOP }));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      ok: false,
      fieldErrors: { points: expect.stringMatching(/whole numbers/), reason: expect.stringMatching(/Say why/) },
    });
    expect(await entriesOf(member.id)).toEqual([]);
  });

  it("answers 404 for another shop's member, on the page and on the form, and leaves it alone", async () => {
    const theirs = await createMember(fixture.database.db, OTHER_SHOP);
    const token = sessionToken({ shop: SHOP });
    const page = await fixture.app.handle(routeDataRequest(`/app/customers/${theirs.id}`, CUSTOMER_ROUTE, { token }));
    expect(page.status).toBe(404);
    expect((await postAdjustment(theirs.id, adjustmentForm(), token)).status).toBe(404);
    expect(await entriesOf(theirs.id)).toEqual([]);
  });

  it.each([
    ["signed with another secret", { secret: "not-the-app-secret" }],
    ["issued for another app", { audience: "another-api-key" }],
    ["expired", { expiresIn: -120 }],
  ])("answers 401 to a session token %s and records nothing", async (_, claims) => {
    const member = await createMember(fixture.database.db, SHOP);
    const response = await postAdjustment(member.id, adjustmentForm(), sessionToken({ shop: SHOP, ...claims }));
    expect(response.status).toBe(401);
    expect(await entriesOf(member.id)).toEqual([]);
  });

  it("answers 401 to a malformed bearer token and records nothing", async () => {
    const member = await createMember(fixture.database.db, SHOP);
    const response = await postAdjustment(member.id, adjustmentForm(), "not-a-jwt");
    expect(response.status).toBe(401);
    expect(await entriesOf(member.id)).toEqual([]);
  });

  it("does not act on a request without a session token (shopify-app-remix sends it to login)", async () => {
    const member = await createMember(fixture.database.db, SHOP);
    const response = await postAdjustment(member.id, adjustmentForm(), undefined);
    expect(response.status).not.toBe(200);
    expect(response.status).toBe(204);
    expect(response.headers.get("X-Remix-Redirect")).toBe("/auth/login");
    expect(await entriesOf(member.id)).toEqual([]);
  });
});
