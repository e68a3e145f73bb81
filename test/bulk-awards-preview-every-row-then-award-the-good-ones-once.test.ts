import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { awardByStaff } from "../app/models/action-awards.server";
import { addEarningRule } from "./support/action-rules";
import { balanceOf, createMember } from "./support/members";
import { TEST_APP_URL, routeDataRequest, sessionToken, useRemixApp } from "./support/remix-app";

const SHOP = "bulk-awards-test.myshopify.com";
const OTHER_SHOP = "bulk-awards-other-test.myshopify.com";
const ROUTE = "routes/app.awards.bulk";
const fixture = useRemixApp([SHOP, OTHER_SHOP]);
const db = () => fixture.database.db;

interface Row {
  line: number;
  email: string;
  outcome: string;
  points: number;
  message: string;
}

const post = (form: Record<string, string>) =>
  fixture.app.handle(routeDataRequest("/app/awards/bulk", ROUTE, { method: "POST", token: sessionToken({ shop: SHOP, userId: "9001" }), form }));

const entryCount = async () => Number((await db().raw.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "ledger_entries" WHERE "shop" = ?', [SHOP]))!.n);

async function scenario() {
  const tag = randomUUID().slice(0, 8);
  const email = (name: string) => `${name}.${tag}@example.com`;
  const ada = await createMember(db(), SHOP, { email: email("ada") });
  const bob = await createMember(db(), SHOP, { email: email("bob") });
  const cy = await createMember(db(), SHOP, { email: email("cy") });
  const ruleId = await addEarningRule(db(), SHOP, { points: 50, photoBonusPoints: 20, limit: { count: 1, period: "month" } });
  // Cy already earned it this month.
  const earlier = await awardByStaff(
    db(),
    SHOP,
    cy.id,
    { ruleId: String(ruleId), photo: false, reason: "", awardKey: randomUUID() },
    { type: "staff", id: "1", name: "Staff 1" },
    new Date(),
  );
  expect(earlier.ok).toBe(true);
  const csv = [
    "Email,Photo",
    `${email("ada").toUpperCase()},yes`,
    `${email("bob")},`,
    `${email("cy")},no`,
    `${email("nobody")},no`,
    "not-an-email,no",
    `${email("bob")},no`,
    `${email("dee")},maybe`,
  ].join("\n");
  return { ada, bob, cy, ruleId, csv, batchId: randomUUID() };
}

const outcomes = (rows: Row[]) => rows.map((row) => [row.line, row.outcome, row.points]);

describe("bulk awards from a CSV of emails", () => {
  it("previews each row's outcome and applies nothing", async () => {
    const { ruleId, csv, batchId } = await scenario();
    const before = await entryCount();
    const response = await post({ intent: "preview", ruleId: String(ruleId), batchId, csv });
    expect(response.status).toBe(200);
    const preview = (await response.json()) as { rows: Row[]; awardable: number; points: number; problems: number };
    expect(outcomes(preview.rows)).toEqual([
      [2, "will_award", 70],
      [3, "will_award", 50],
      [4, "limit_reached", 0],
      [5, "unknown_email", 0],
      [6, "bad_email", 0],
      [7, "duplicate", 0],
      [8, "bad_photo", 0],
    ]);
    expect(preview.rows[5].message).toMatch(/same email as line 3/);
    expect(preview).toMatchObject({ awardable: 2, points: 120, problems: 5 });
    expect(await entryCount()).toBe(before);
  });

  it("applies nothing from a file with a bad row, and says which lines to fix", async () => {
    const { ruleId, csv, batchId } = await scenario();
    const before = await entryCount();
    const response = await post({ intent: "apply", ruleId: String(ruleId), batchId, csv });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      intent: "apply",
      ok: false,
      fieldErrors: { csv: "Nothing was applied: 4 rows need fixing first (lines 5, 6, 7, 8). Fix or remove them and preview again." },
    });
    expect(await entryCount()).toBe(before);
  });

  it("applies the good rows once, reports who cannot earn it now, and applying the batch again awards nothing more", async () => {
    const { ada, bob, cy, ruleId, csv, batchId } = await scenario();
    const good = csv.split("\n").slice(0, 4).join("\n");
    const form = { intent: "apply", ruleId: String(ruleId), batchId, csv: good };
    const applied = (await (await post(form)).json()) as { rows: Row[]; awardable: number; points: number };
    expect(outcomes(applied.rows)).toEqual([
      [2, "awarded", 70],
      [3, "awarded", 50],
      [4, "limit_reached", 0],
    ]);
    expect(applied).toMatchObject({ awardable: 2, points: 120 });
    expect([await balanceOf(db(), ada.id), await balanceOf(db(), bob.id), await balanceOf(db(), cy.id)]).toEqual([70, 50, 50]);
    const entry = await db().raw.get<{ source_key: string; actor_name: string; reason: string }>(
      'SELECT "source_key", "actor_name", "reason" FROM "ledger_entries" WHERE "member_id" = ?',
      [bob.id],
    );
    expect(entry).toEqual({ source_key: expect.stringContaining(`bulk:${batchId}:bob.`), actor_name: "Staff 9001", reason: "Product review · bulk award" });

    const before = await entryCount();
    const again = (await (await post(form)).json()) as { rows: Row[]; awardable: number };
    expect(again.rows.slice(0, 2).map((row) => row.outcome)).toEqual(["already_awarded", "already_awarded"]);
    expect(again.awardable).toBe(0);
    const preview = (await (await post({ ...form, intent: "preview" })).json()) as { rows: Row[] };
    expect(preview.rows[1].outcome).toBe("already_awarded");
    expect(await entryCount()).toBe(before);
    expect([await balanceOf(db(), ada.id), await balanceOf(db(), bob.id)]).toEqual([70, 50]);
  });

  it("reads an uploaded file as it reads a pasted one", async () => {
    const { ruleId, csv, batchId } = await scenario();
    const body = new FormData();
    for (const [name, value] of Object.entries({ intent: "preview", ruleId: String(ruleId), batchId, csv: "" })) body.set(name, value);
    body.set("file", new File([csv], "reviews.csv", { type: "text/csv" }));
    const url = new URL("/app/awards/bulk", TEST_APP_URL);
    url.searchParams.set("_data", ROUTE);
    const response = await fixture.app.handle(
      new Request(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${sessionToken({ shop: SHOP })}`, "User-Agent": "Mozilla/5.0 (Macintosh) Chrome/131.0 Safari/537.36" },
        body,
      }),
    );
    expect(response.status).toBe(200);
    expect(outcomes(((await response.json()) as { rows: Row[] }).rows).slice(0, 2)).toEqual([
      [2, "will_award", 70],
      [3, "will_award", 50],
    ]);
  });

  it("refuses a file without an email header, and another shop's rule, with field errors", async () => {
    const { ruleId, csv, batchId } = await scenario();
    const noHeader = await post({ intent: "preview", ruleId: String(ruleId), batchId, csv: "name\nAda" });
    expect(noHeader.status).toBe(422);
    expect(await noHeader.json()).toEqual({ intent: "preview", ok: false, fieldErrors: { csv: expect.stringMatching(/header naming an "email" column/) } });
    const theirs = await addEarningRule(db(), OTHER_SHOP);
    const before = await entryCount();
    const foreign = await post({ intent: "apply", ruleId: String(theirs), batchId, csv });
    expect(foreign.status).toBe(422);
    expect(await foreign.json()).toEqual({ intent: "apply", ok: false, fieldErrors: { ruleId: `This store has no way to earn with id ${theirs}.` } });
    expect(await entryCount()).toBe(before);
  });
});
