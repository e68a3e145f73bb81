import type { Database } from "../db/types";
import { STAFF_ACTION_KINDS, refusalOfSkipped, type AwardRefusal } from "../domain/action-awards";
import { isBadBulkRow, readBulkAwardCsv, type BulkRow, type BulkRowProblem } from "../domain/bulk-awards";
import { actionSourceKey, decideAwards, type EarningRule } from "../domain/ways-to-earn";
import type { StaffActor } from "./adjustments.server";
import { awardActionToMember, membersByEmail, ruleForAction } from "./action-awards.server";
import { memberHistory, readMemberFacts } from "./awards.server";
import { findEntryBySource } from "./ledger.server";
import { loadShopContext, type ShopContext } from "./shops.server";

// Awarding one way to earn to every customer of a CSV: a preview that applies nothing, then an
// apply that awards the good rows once each (key bulk:<batch>:<email>) and reports the others.
// A file with a bad row (an email that is not one, unknown or repeated, a photo value that is
// not yes or no) is a bad request: nothing of it is applied until it is fixed.

export type BulkOutcome =
  | "will_award"
  | "awarded"
  | "dry_run"
  | BulkRowProblem
  | "unknown_email"
  | "ambiguous_email"
  | "limit_reached"
  | "not_eligible"
  | "not_awardable"
  | "already_awarded";

export interface BulkRowOutcome {
  line: number;
  email: string;
  outcome: BulkOutcome;
  /** Points it will award (preview) or awarded (apply); a dry run's would-be points. */
  points: number;
  message: string;
}

export interface BulkAwardInput {
  csv: string;
  ruleId: number;
  /** The page's batch id: the same file applied twice with it awards once. */
  batchId: string;
}

export type BulkAwardResult =
  { ok: true; rows: BulkRowOutcome[]; awardable: number; points: number; problems: number } | { ok: false; field: "csv" | "ruleId"; message: string };

const bulkKey = (batchId: string, email: string) => `bulk:${batchId}:${email}`;

const fromRefusal = (row: BulkRow, refusal: AwardRefusal): BulkRowOutcome => ({
  line: row.line,
  email: row.rawEmail,
  outcome: refusal.reason === "member_not_found" ? "unknown_email" : (refusal.reason as BulkOutcome),
  points: 0,
  message: refusal.message,
});

/** What awarding this rule to the member would do now, without doing it. */
async function judgeRow(db: Database, shop: ShopContext, rule: EarningRule, memberId: number, row: BulkRow, key: string, now: string): Promise<BulkRowOutcome> {
  const read = (await readMemberFacts(db, memberId))!;
  const alreadyDone = {
    line: row.line,
    email: row.rawEmail,
    outcome: "already_awarded" as const,
    points: 0,
    message: "Already awarded (by this file, or once only for this customer).",
  };
  if (rule.status === "live" && (await findEntryBySource(db, shop.domain, actionSourceKey(rule, read.facts.customerId, key)))) return alreadyDone;
  const history = await memberHistory(db, shop.domain, read.facts, [rule]);
  const event = { type: "action" as const, ruleId: rule.id, key, photo: row.photo, at: now, customerTags: read.facts.tags };
  const decision = decideAwards(event, [rule], [], history, { program: shop.program, timeZone: shop.timeZone });
  const base = { line: row.line, email: row.rawEmail };
  if (decision.dryRun[0]) {
    const points = decision.dryRun[0].points;
    return { ...base, outcome: "dry_run", points, message: `Dry run: ${points} points would be recorded as a dry run, none credited.` };
  }
  const award = decision.awards[0];
  if (!award) return fromRefusal(row, refusalOfSkipped(decision.skipped));
  return { ...base, outcome: "will_award", points: award.points, message: `Will award ${award.points} points.` };
}

async function eachRow(
  db: Database,
  shop: string,
  input: BulkAwardInput,
  now: Date,
  act: (context: ShopContext, rule: EarningRule, memberId: number, row: BulkRow & { email: string }) => Promise<BulkRowOutcome>,
): Promise<BulkAwardResult> {
  const context = await loadShopContext(db, shop, { now });
  const rule = ruleForAction(context, input.ruleId, STAFF_ACTION_KINDS);
  if (!rule.ok) return { ok: false, field: "ruleId", message: rule.message };
  const file = readBulkAwardCsv(input.csv);
  if (!file.ok) return { ok: false, field: "csv", message: file.message };
  const emails = file.rows.flatMap((row) => (row.email && !row.problem ? [row.email] : []));
  const members = await membersByEmail(db, shop, emails);
  const rows: BulkRowOutcome[] = [];
  for (const row of file.rows) {
    if (row.problem || !row.email) {
      rows.push({ line: row.line, email: row.rawEmail, outcome: row.problem!.code, points: 0, message: row.problem!.message });
      continue;
    }
    const found = members.get(row.email) ?? [];
    if (found.length === 0)
      rows.push({ line: row.line, email: row.rawEmail, outcome: "unknown_email", points: 0, message: "No member of the program has this email." });
    else if (found.length > 1)
      rows.push({ line: row.line, email: row.rawEmail, outcome: "ambiguous_email", points: 0, message: "More than one member has this email." });
    else rows.push(await act(context, rule, found[0], { ...row, email: row.email }));
  }
  const good = rows.filter((row) => row.outcome === "will_award" || row.outcome === "awarded" || row.outcome === "dry_run");
  return {
    ok: true,
    rows,
    awardable: good.length,
    points: good.filter((row) => row.outcome !== "dry_run").reduce((sum, row) => sum + row.points, 0),
    problems: rows.length - good.length,
  };
}

/** Each row's outcome if the file were applied now; applies nothing. */
export async function previewBulkAwards(db: Database, shop: string, input: BulkAwardInput, now: Date = new Date()): Promise<BulkAwardResult> {
  return eachRow(db, shop, input, now, (context, rule, memberId, row) =>
    judgeRow(db, context, rule, memberId, row, bulkKey(input.batchId, row.email), now.toISOString()),
  );
}

/**
 * Awards every good row once (each in its own transaction, so a long file does not hold the
 * database); customers who cannot earn it now are skipped and reported. A file with a bad row
 * applies nothing. Applying the same batch again awards nothing more.
 */
export async function applyBulkAwards(db: Database, shop: string, input: BulkAwardInput, actor: StaffActor, now: Date = new Date()): Promise<BulkAwardResult> {
  const preview = await previewBulkAwards(db, shop, input, now);
  if (!preview.ok) return preview;
  const bad = preview.rows.filter((row) => isBadBulkRow(row.outcome));
  if (bad.length > 0) {
    const lines = bad.slice(0, 10).map((row) => row.line);
    return {
      ok: false,
      field: "csv",
      message: `Nothing was applied: ${bad.length === 1 ? "a row needs" : `${bad.length} rows need`} fixing first (line${lines.length === 1 ? "" : "s"} ${lines.join(", ")}${bad.length > lines.length ? ", …" : ""}). Fix or remove ${bad.length === 1 ? "it" : "them"} and preview again.`,
    };
  }
  return eachRow(db, shop, input, now, async (context, rule, memberId, row) => {
    const awarded = await db.transaction((tx) =>
      awardActionToMember(tx, context, memberId, {
        ruleId: rule.id,
        key: bulkKey(input.batchId, row.email),
        photo: row.photo,
        note: "bulk award",
        kinds: STAFF_ACTION_KINDS,
        actor,
        now: now.toISOString(),
      }),
    );
    if (!awarded.ok) return fromRefusal(row, awarded);
    if (awarded.dryRun)
      return { line: row.line, email: row.rawEmail, outcome: "dry_run", points: awarded.wouldAward, message: "Recorded as a dry run; nothing credited." };
    return { line: row.line, email: row.rawEmail, outcome: "awarded", points: awarded.points, message: `Awarded ${awarded.points} points.` };
  });
}
