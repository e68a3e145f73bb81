import { sql } from "kysely";
import type { Db } from "../db/types";
import {
  MAX_PENDING_DAYS,
  campaignPhase,
  validateCampaignForm,
  validateEarningRuleForm,
  type CampaignFieldErrors,
  type CampaignForm,
  type EarningRuleFieldErrors,
  type EarningRuleForm,
} from "../domain/earning-rule-form";
import { refused, type Ok, type Refused } from "../domain/result";
import { RULE_STATUSES, type Campaign, type EarningRule, type EarningRuleKind, type RuleStatus } from "../domain/ways-to-earn";
import { AdminApiError, type AdminGraphql } from "../shopify/admin-api.server";
import { dryRunTotals } from "./awards.server";
import { campaignFromRow, ruleFromRow } from "./earning-rules.server";
import { resolveCollectionProductIds } from "./program.server";
import { scheduleWaysToEarnSync } from "./storefront-earning.server";

// The merchant's side of ways to earn: list, create, edit, switch and remove rules and campaigns,
// and the pending window. Every read and write is scoped by shop; a rule or campaign of another
// shop is not found.

/** Called after every change to a shop's rules or campaigns (the storefront's copy follows them). */
export type WaysToEarnChanged = (db: Db, shop: string, now: string) => Promise<void>;

/** The storefront's copy (the app installation's metafield) is written again by its job. */
const storefrontFollows: WaysToEarnChanged = (db, shop, now) => scheduleWaysToEarnSync(db, shop, new Date(now));

interface ShopFacts {
  currencyCode: string;
  timeZone: string;
  pendingDays: number;
}

async function shopFacts(db: Db, shop: string): Promise<ShopFacts> {
  const row = await db.query.selectFrom("shops").select(["currency_code", "time_zone", "pending_days"]).where("domain", "=", shop).executeTakeFirst();
  return { currencyCode: row?.currency_code ?? "USD", timeZone: row?.time_zone ?? "UTC", pendingDays: row?.pending_days ?? 0 };
}

/** Points given by each rule or campaign (credits only), with the members and orders they reached. */
function givenBy(db: Db, shop: string, column: "rule_id" | "campaign_id") {
  return db.query
    .selectFrom("ledger_entries")
    .select([
      sql<number>`${sql.ref(column)}`.as("id"),
      sql<number>`SUM(delta)`.as("points"),
      sql<number>`COUNT(DISTINCT member_id)`.as("members"),
      sql<number>`COUNT(DISTINCT order_id)`.as("orders"),
    ])
    .where("shop", "=", shop)
    .where(column, "is not", null)
    .where("delta", ">", 0)
    .groupBy(column)
    .execute();
}

export interface RuleListing {
  rule: EarningRule;
  /** Live: points this rule has given, and to how many members. */
  given: { points: number; members: number };
  /** Dry run: what it would have given. */
  wouldHave: { points: number; members: number; events: number } | null;
}

export interface CampaignListing {
  campaign: Campaign;
  phase: "scheduled" | "running" | "ended";
  given: { points: number; orders: number };
  wouldHave: { points: number; members: number; events: number } | null;
}

/** The Ways to earn page: the shop's rules, campaigns (newest first), the pending window, with what each gave. */
export async function listWaysToEarn(db: Db, shop: string, now: Date) {
  const facts = await shopFacts(db, shop);
  const [ruleRows, campaignRows, dry, givenByRule, givenByCampaign] = [
    await db.query.selectFrom("earning_rules").selectAll().where("shop", "=", shop).orderBy("position").orderBy("id").execute(),
    await db.query.selectFrom("campaigns").selectAll().where("shop", "=", shop).orderBy("starts_at", "desc").orderBy("id", "desc").limit(100).execute(),
    await dryRunTotals(db, shop),
    await givenBy(db, shop, "rule_id"),
    await givenBy(db, shop, "campaign_id"),
  ];
  const dryOf = (key: "rule_id" | "campaign_id", id: number) => {
    const row = dry.find((candidate) => candidate[key] === id);
    return row ? { points: Number(row.points), members: Number(row.members), events: Number(row.events) } : null;
  };
  const rules: RuleListing[] = ruleRows.map((row) => {
    const given = givenByRule.find((candidate) => Number(candidate.id) === row.id);
    return {
      rule: ruleFromRow(row),
      given: { points: Number(given?.points ?? 0), members: Number(given?.members ?? 0) },
      wouldHave: row.status === "dry_run" ? (dryOf("rule_id", row.id) ?? { points: 0, members: 0, events: 0 }) : dryOf("rule_id", row.id),
    };
  });
  const at = now.toISOString();
  const campaigns: CampaignListing[] = campaignRows.map((row) => {
    const given = givenByCampaign.find((candidate) => Number(candidate.id) === row.id);
    return {
      campaign: campaignFromRow(row),
      phase: campaignPhase({ startsAt: row.starts_at, endsAt: row.ends_at }, at),
      given: { points: Number(given?.points ?? 0), orders: Number(given?.orders ?? 0) },
      wouldHave: row.status === "dry_run" ? (dryOf("campaign_id", row.id) ?? { points: 0, members: 0, events: 0 }) : dryOf("campaign_id", row.id),
    };
  });
  return { ...facts, rules, campaigns };
}

export async function getRule(db: Db, shop: string, id: number): Promise<EarningRule | null> {
  const row = await db.query.selectFrom("earning_rules").selectAll().where("shop", "=", shop).where("id", "=", id).executeTakeFirst();
  return row ? ruleFromRow(row) : null;
}

export async function getCampaign(db: Db, shop: string, id: number) {
  const row = await db.query.selectFrom("campaigns").selectAll().where("shop", "=", shop).where("id", "=", id).executeTakeFirst();
  return row
    ? { campaign: campaignFromRow(row), collectionIds: JSON.parse(row.collection_ids) as string[], productIds: JSON.parse(row.product_ids) as string[] }
    : null;
}

export type SaveRuleResult = Ok<{ id: number }> | Refused<"invalid_fields", { fieldErrors: EarningRuleFieldErrors }> | Refused<"not_found">;

/** Creates (id null) or updates a rule from its form; nothing is saved unless every field is valid. */
export async function saveRule(
  db: Db,
  shop: string,
  target: { id: number } | { kind: EarningRuleKind },
  form: EarningRuleForm,
  now: string,
  changed: WaysToEarnChanged = storefrontFollows,
): Promise<SaveRuleResult> {
  const existing = "id" in target ? await getRule(db, shop, target.id) : null;
  if ("id" in target && !existing) return refused("not_found");
  const kind = existing?.kind ?? (target as { kind: EarningRuleKind }).kind;
  const { timeZone } = await shopFacts(db, shop);
  const others = await db.query
    .selectFrom("earning_rules")
    .select(["kind", "status"])
    .where("shop", "=", shop)
    .where("id", "<>", existing?.id ?? 0)
    .execute();
  const validation = validateEarningRuleForm(kind, form, timeZone, others);
  if (!validation.ok) return validation;
  const { rule } = validation;
  const columns = {
    status: rule.status,
    points: rule.points,
    points_per_currency_unit: rule.pointsPerCurrencyUnit,
    every_nth: rule.everyNth,
    photo_bonus_points: rule.photoBonusPoints,
    limit_count: rule.limit?.count ?? null,
    limit_period: rule.limit?.period ?? null,
    starts_at: rule.startsAt,
    ends_at: rule.endsAt,
    customer_tags: JSON.stringify(rule.customerTags),
    settings: JSON.stringify(rule.settings),
    content: JSON.stringify(rule.content),
    updated_at: now,
  };
  let id: number;
  if (existing) {
    await db.query.updateTable("earning_rules").set(columns).where("shop", "=", shop).where("id", "=", existing.id).execute();
    id = existing.id;
  } else {
    const position = await db.query
      .selectFrom("earning_rules")
      .select(sql<number>`COALESCE(MAX(position), -1) + 1`.as("next"))
      .where("shop", "=", shop)
      .executeTakeFirst();
    const inserted = await db.query
      .insertInto("earning_rules")
      .values({ shop, kind, ...columns, position: Number(position?.next ?? 0), created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    id = inserted.id;
  }
  await changed(db, shop, now);
  return { ok: true, id };
}

export type StatusResult = Ok | Refused<"not_found"> | Refused<"invalid_status"> | Refused<"invalid_fields", { fieldErrors: EarningRuleFieldErrors }>;

/** Turns a rule on, off or to dry run (a second live sign-up rule is refused as the form refuses it). */
export async function setRuleStatus(
  db: Db,
  shop: string,
  id: number,
  status: string,
  now: string,
  changed: WaysToEarnChanged = storefrontFollows,
): Promise<StatusResult> {
  if (!RULE_STATUSES.includes(status as RuleStatus)) return refused("invalid_status");
  const rule = await getRule(db, shop, id);
  if (!rule) return refused("not_found");
  if (status !== "off") {
    const clash = await db.query
      .selectFrom("earning_rules")
      .select("id")
      .where("shop", "=", shop)
      .where("kind", "=", rule.kind)
      .where("id", "<>", id)
      .where("status", "<>", "off")
      .executeTakeFirst();
    if (clash && ["signup", "birthday", "newsletter", "first_order"].includes(rule.kind)) {
      return { ok: false, reason: "invalid_fields", fieldErrors: { kind: "Another rule of this kind is on: turn it off first." } };
    }
  }
  await db.query
    .updateTable("earning_rules")
    .set({ status: status as RuleStatus, updated_at: now })
    .where("shop", "=", shop)
    .where("id", "=", id)
    .execute();
  await changed(db, shop, now);
  return { ok: true };
}

export type DeleteResult = Ok | Refused<"not_found"> | Refused<"has_awards", { points: number }>;

/** A rule that never awarded can go; one that did stays for its ledger entries' sake (turn it off instead). */
export async function deleteRule(db: Db, shop: string, id: number, now: string, changed: WaysToEarnChanged = storefrontFollows): Promise<DeleteResult> {
  const rule = await getRule(db, shop, id);
  if (!rule) return refused("not_found");
  const awarded = await db.query.selectFrom("ledger_entries").select("id").where("shop", "=", shop).where("rule_id", "=", id).limit(1).executeTakeFirst();
  if (awarded) return refused("has_awards", { points: 0 });
  await db.query.deleteFrom("dry_run_awards").where("shop", "=", shop).where("rule_id", "=", id).execute();
  await db.query.deleteFrom("earning_rules").where("shop", "=", shop).where("id", "=", id).execute();
  await changed(db, shop, now);
  return { ok: true };
}

export type SaveCampaignResult =
  | Ok<{ id: number }>
  | Refused<"invalid_fields", { fieldErrors: CampaignFieldErrors }>
  | Refused<"not_found">
  | Refused<"shopify_unavailable", { formError: string }>;

/** Creates (id null) or updates a campaign; its collections are resolved to products through the Admin API; nothing saved if any step fails. */
export async function saveCampaign(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  id: number | null,
  form: CampaignForm,
  now: string,
  changed: WaysToEarnChanged = storefrontFollows,
): Promise<SaveCampaignResult> {
  if (id !== null && !(await getCampaign(db, shop, id))) return refused("not_found");
  const { timeZone } = await shopFacts(db, shop);
  const validation = validateCampaignForm(form, timeZone);
  if (!validation.ok) return validation;
  const { campaign } = validation;
  let collectionProductIds: string[] = [];
  if (campaign.collectionIds.length > 0) {
    try {
      const resolved = await resolveCollectionProductIds(admin, campaign.collectionIds);
      if (!resolved.ok)
        return refused("invalid_fields", { fieldErrors: { collectionIds: `This store has no collection ${resolved.missingCollectionIds.join(", ")}.` } });
      collectionProductIds = resolved.productIds;
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      return refused("shopify_unavailable", { formError: "Shopify did not answer when we looked up the collections' products. Nothing was saved; try again." });
    }
  }
  const columns = {
    name: campaign.name,
    status: campaign.status,
    starts_at: campaign.startsAt,
    ends_at: campaign.endsAt,
    multiplier_percent: campaign.multiplierPercent,
    bonus_points: campaign.bonusPoints,
    product_ids: JSON.stringify(campaign.productIds),
    collection_ids: JSON.stringify(campaign.collectionIds),
    collection_product_ids: JSON.stringify(collectionProductIds),
    customer_tags: JSON.stringify(campaign.customerTags),
    content: JSON.stringify(campaign.content),
    updated_at: now,
  };
  let savedId: number;
  if (id !== null) {
    await db.query.updateTable("campaigns").set(columns).where("shop", "=", shop).where("id", "=", id).execute();
    savedId = id;
  } else {
    savedId = (
      await db.query
        .insertInto("campaigns")
        .values({ shop, ...columns, created_at: now })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  }
  await changed(db, shop, now);
  return { ok: true, id: savedId };
}

export async function setCampaignStatus(
  db: Db,
  shop: string,
  id: number,
  status: string,
  now: string,
  changed: WaysToEarnChanged = storefrontFollows,
): Promise<StatusResult> {
  if (!RULE_STATUSES.includes(status as RuleStatus)) return refused("invalid_status");
  if (!(await getCampaign(db, shop, id))) return refused("not_found");
  await db.query
    .updateTable("campaigns")
    .set({ status: status as RuleStatus, updated_at: now })
    .where("shop", "=", shop)
    .where("id", "=", id)
    .execute();
  await changed(db, shop, now);
  return { ok: true };
}

export type PendingDaysResult = Ok<{ pendingDays: number }> | Refused<"invalid_fields", { fieldErrors: { pendingDays: string } }>;

/** How many days order points wait before they can be spent (0 turns pending points off). New orders follow; pending ones keep their date. */
export async function savePendingDays(db: Db, shop: string, text: string, now: string): Promise<PendingDaysResult> {
  const trimmed = text.trim() || "0";
  const days = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || days > MAX_PENDING_DAYS) {
    return refused("invalid_fields", { fieldErrors: { pendingDays: `Enter a whole number of days from 0 (off) to ${MAX_PENDING_DAYS}.` } });
  }
  await db.query.updateTable("shops").set({ pending_days: days, updated_at: now }).where("domain", "=", shop).execute();
  return { ok: true, pendingDays: days };
}
