import { lockedForUpdate } from "../db/dialect";
import type { Database, Db } from "../db/types";
import {
  STAFF_ACTION_KINDS,
  awardRefusal,
  refusalOfSkipped,
  validateStaffAwardForm,
  type AwardRefusal,
  type StaffAwardFieldErrors,
  type StaffAwardForm,
} from "../domain/action-awards";
import type { LedgerActor } from "../domain/ledger";
import { actionSourceKey, ruleReason, type EarningRule, type EarningRuleKind } from "../domain/ways-to-earn";
import { awardEvent, readMemberFacts } from "./awards.server";
import { findEntryBySource } from "./ledger.server";
import type { StaffActor } from "./adjustments.server";
import { getMemberById } from "./members.server";
import { loadShopContext, type ShopContext } from "./shops.server";

// One way to award an action (a review, a custom action, a social follow) to one member, shared by
// the awards API, the member's page and the bulk CSV page: the shop's rules decide
// (app/domain/ways-to-earn.ts), the ledger's source key makes each award count once.

/** The member a request names, in this shop only; a redacted member is nobody. */
export async function findMemberForAward(
  db: Db,
  shop: string,
  customer: { customerId: string } | { email: string },
): Promise<{ ok: true; memberId: number } | AwardRefusal> {
  let query = db.query.selectFrom("members").select("id").where("shop", "=", shop).where("redacted_at", "is", null);
  query = "customerId" in customer ? query.where("customer_id", "=", customer.customerId) : query.where("email", "=", customer.email);
  const rows = await query.limit(2).execute();
  if (rows.length === 0) return awardRefusal("member_not_found");
  if (rows.length > 1) return awardRefusal("ambiguous_email");
  return { ok: true, memberId: rows[0].id };
}

/** Members by lower-cased email, for a bulk file: one read for the whole list. */
export async function membersByEmail(db: Db, shop: string, emails: readonly string[]): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  for (let i = 0; i < emails.length; i += 500) {
    const chunk = emails.slice(i, i + 500);
    const rows = await db.query
      .selectFrom("members")
      .select(["id", "email"])
      .where("shop", "=", shop)
      .where("redacted_at", "is", null)
      .where("email", "in", chunk)
      .execute();
    for (const row of rows) found.set(row.email!, [...(found.get(row.email!) ?? []), row.id]);
  }
  return found;
}

/** The shop's rules of these kinds that are not off, as a form's choices. */
export function actionRules(shop: ShopContext, kinds: readonly EarningRuleKind[]): EarningRule[] {
  return shop.earning.rules.filter((rule) => kinds.includes(rule.kind) && rule.status !== "off");
}

/** "Product review #12: Leave a review (50 points, +20 with a photo)" */
export function actionRuleLabel(rule: EarningRule): string {
  const title = rule.content.en?.title ?? Object.values(rule.content).find((content) => content.title)?.title;
  const points = `${rule.points.toLocaleString("en-US")} points${rule.kind === "review" && rule.photoBonusPoints > 0 ? `, +${rule.photoBonusPoints} with a photo` : ""}`;
  return `${ruleReason(rule.kind)} #${rule.id}${title ? `: ${title}` : ""} (${points}${rule.status === "dry_run" ? ", dry run" : ""})`;
}

export interface ActionAwardInput {
  ruleId: number;
  /** Unique per award for reviews and custom actions (the source key is action:<rule>:<key>); a social follow counts once per member anyway. */
  key: string;
  photo: boolean;
  note: string | null;
  /** Which kinds this caller may award. */
  kinds: readonly EarningRuleKind[];
  actor: LedgerActor;
  now: string;
}

export type ActionAwarded = {
  ok: true;
  /** Points credited now (0 for a dry run). */
  points: number;
  balance: number;
  sourceKey: string;
  entryId: number | null;
  /** The rule runs in dry run: `wouldAward` points were recorded as a dry run, none credited. */
  dryRun: boolean;
  wouldAward: number;
};

const ACTION_KIND_TEXT: Partial<Record<EarningRuleKind, string>> = { review: "product review", custom: "custom action", social: "social follow" };

/** What the rule is, for a refusal: "a purchase way to earn". */
const kindText = (kind: EarningRuleKind) => ACTION_KIND_TEXT[kind] ?? `${ruleReason(kind).toLowerCase()}`;

/** The shop's rule by id, if it is one of these kinds and not off. */
export function ruleForAction(shop: ShopContext, ruleId: number, kinds: readonly EarningRuleKind[]): ({ ok: true } & EarningRule) | AwardRefusal {
  const rule = shop.earning.rules.find((candidate) => candidate.id === ruleId);
  if (!rule) return awardRefusal("rule_not_found", `This store has no way to earn with id ${ruleId}.`, "ruleId");
  if (!kinds.includes(rule.kind)) {
    const allowed = kinds
      .map(kindText)
      .join(", ")
      .replace(/, ([^,]*)$/, " or $1");
    return awardRefusal("not_awardable", `Way to earn ${rule.id} is a ${kindText(rule.kind)}; only a ${allowed} is awarded this way.`, "ruleId");
  }
  if (rule.status === "off") return awardRefusal("not_awardable", `Way to earn ${rule.id} is turned off.`, "ruleId");
  return { ok: true, ...rule };
}

const alreadyAwarded = (rule: EarningRule, sameMember: boolean) =>
  awardRefusal(
    "already_awarded",
    sameMember && rule.kind !== "social"
      ? "This award was already recorded; nothing changed."
      : `The customer already earned way to earn ${rule.id}; nothing changed.`,
  );

/**
 * Awards a way to earn to one member of the shop. Run it in a transaction: the member's row is
 * locked (PostgreSQL) so two awards of one limited rule cannot both pass its limit.
 */
export async function awardActionToMember(db: Db, shop: ShopContext, memberId: number, input: ActionAwardInput): Promise<ActionAwarded | AwardRefusal> {
  const rule = ruleForAction(shop, input.ruleId, input.kinds);
  if (!rule.ok) return rule;
  await lockedForUpdate(db.dialect, db.query.selectFrom("members").select("id").where("id", "=", memberId)).executeTakeFirst();
  const read = await readMemberFacts(db, memberId);
  if (!read) return awardRefusal("member_not_found");
  const { facts } = read;
  // Already done beats a limit: the same award asked again says so, not "limit reached".
  if (rule.status === "live") {
    const existing = await findEntryBySource(db, shop.domain, actionSourceKey(rule, facts.customerId, input.key));
    if (existing) return alreadyAwarded(rule, existing.member_id === memberId);
  }
  const event = { type: "action" as const, ruleId: rule.id, key: input.key, photo: input.photo, at: input.now, customerTags: facts.tags };
  const { credited, decision } = await awardEvent(db, shop, facts, event, { now: input.now, actor: input.actor, note: input.note });
  const balance = async () => (await db.query.selectFrom("members").select("balance").where("id", "=", memberId).executeTakeFirstOrThrow()).balance;
  const dry = decision.dryRun[0];
  if (dry) return { ok: true, points: 0, balance: await balance(), sourceKey: dry.sourceKey, entryId: null, dryRun: true, wouldAward: dry.points };
  const award = decision.awards[0];
  if (!award) return refusalOfSkipped(decision.skipped);
  if (credited.length === 0) {
    const existing = await findEntryBySource(db, shop.domain, award.sourceKey);
    return alreadyAwarded(rule, existing?.member_id === memberId);
  }
  const entry = await findEntryBySource(db, shop.domain, award.sourceKey);
  return {
    ok: true,
    points: award.points,
    balance: await balance(),
    sourceKey: award.sourceKey,
    entryId: entry?.id ?? null,
    dryRun: false,
    wouldAward: award.points,
  };
}

export type StaffAwardResult = ActionAwarded | AwardRefusal | { ok: false; reason: "invalid_fields"; fieldErrors: StaffAwardFieldErrors };

/** A staff member awards a review, custom action or social follow to one member of the shop, from the member's page. */
export async function awardByStaff(
  db: Database,
  shop: string,
  memberId: number,
  form: StaffAwardForm,
  actor: StaffActor,
  now: Date,
): Promise<StaffAwardResult> {
  const valid = validateStaffAwardForm(form);
  if (!valid.ok) return { ok: false, reason: "invalid_fields", fieldErrors: valid.fieldErrors };
  const context = await loadShopContext(db, shop, { now });
  return db.transaction(async (tx) => {
    const member = await getMemberById(tx, shop, memberId);
    if (!member || member.redacted_at) return awardRefusal("member_not_found");
    return awardActionToMember(tx, context, member.id, { ...valid.award, kinds: STAFF_ACTION_KINDS, actor, now: now.toISOString() });
  });
}
