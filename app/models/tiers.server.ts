import { sql } from "kysely";
import { integerRows } from "../db/dialect";
import { prepare } from "../db/prepared";
import type { Database, Db, SqlValue } from "../db/types";
import type { LedgerActor, LedgerKind } from "../domain/ledger";
import { localDateKey, nextDateKey, startOfLocalDay } from "../domain/local-days";
import type { Ok, Refused } from "../domain/result";
import {
  evaluateTier,
  qualifyingTotal,
  tierById,
  tierName,
  tierPeriodKey,
  upgradeOnEvent,
  windowStartDay,
  type ActivitySums,
  type MemberTier,
  type TierChangeReason,
  type TierConfig,
  type TierDecision,
  type TierProgramConfig,
} from "../domain/tiers";
import { refundedBasis, type RefundedLine } from "../domain/reversal";
import type { EarningLine } from "../domain/earning";
import { currencyDecimals, fromMinorUnits } from "../domain/money";
import { enqueueJob, rearmJob, type JobHandler } from "../jobs/queue.server";
import { firstTierProgress, memberTierFacts, shopperTier } from "../domain/tier-view";
import { appendLedgerEntries, appendLedgerEntry, type NewLedgerEntry } from "./ledger.server";
import { fireTierChangedTriggers } from "./flow.server";
import { sendMemberMessage } from "./messages.server";
import { scheduleMetafieldSync } from "./metafields.server";
import { scheduleTierShopifySync } from "./tier-shopify.server";

// VIP tiers, the engine (issue 13): what counts towards a tier is kept per member and local day in
// tier_activity as it happens (every ledger entry that earns or reverses points, every order's
// merchandise and count); an upgrade happens in the transaction of the event that reaches it; the
// only way down is evaluation (a daily job per shop, or a recompute after the merchant changes the
// tiers), which sums the days in the window. Every change is one row of tier_changes, made once.

// ---------------------------------------------------------------------------------------------
// The program

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return (JSON.parse(text) as T) ?? fallback;
  } catch {
    return fallback;
  }
}

const programRow = prepare((q, p: { shop: string }) => q.selectFrom("tier_programs").selectAll().where("shop", "=", p.shop));
const tierRows = prepare((q, p: { shop: string }) => q.selectFrom("tiers").selectAll().where("shop", "=", p.shop).orderBy("rank"));

export type TierRow = Awaited<ReturnType<typeof tierRows.all>>[number];

export function tierFromRow(row: TierRow): TierConfig {
  return {
    id: row.id,
    rank: row.rank,
    threshold: Number(row.threshold),
    multiplierPercent: row.multiplier_percent,
    names: parseJson<Record<string, string>>(row.names, {}),
    entryBonusPoints: row.entry_bonus_points,
    birthdayPoints: row.birthday_points,
    freeShipping: row.free_shipping,
    memberPricePercent: row.member_price_percent,
    memberPriceCollectionIds: parseJson<string[]>(row.member_price_collection_ids, []),
    paidProductId: row.paid_product_id,
    paidVariantId: row.paid_variant_id,
    paidDurationDays: row.paid_duration_days,
  };
}

/** The shop's tier program as saved, enabled or not (null: never set up). */
export async function readTierProgramConfig(db: Db, shop: string): Promise<TierProgramConfig | null> {
  const row = await programRow.first(db, { shop });
  if (!row) return null;
  const tiers = (await tierRows.all(db, { shop })).map(tierFromRow);
  return {
    enabled: row.enabled,
    basis: row.basis,
    period:
      row.period_kind === "calendar_year"
        ? { kind: "calendar_year" }
        : row.period_kind === "rolling"
          ? { kind: "rolling", months: row.period_months }
          : { kind: "lifetime" },
    retention: row.retention,
    adjustmentsCount: row.adjustments_count,
    tagPrefix: row.tag_prefix,
    tiers,
  };
}

/** The program webhooks and jobs run: null when the shop has none, it is off, or it has no tiers. */
export async function readRunningTierProgram(db: Db, shop: string): Promise<TierProgramConfig | null> {
  const program = await readTierProgramConfig(db, shop);
  return program && program.enabled && program.tiers.length > 0 ? program : null;
}

const shopTierVersion = prepare((q, p: { shop: string }) => q.selectFrom("shops").select(["program_version", "time_zone"]).where("domain", "=", p.shop));

/** What the tier engine needs of a shop on every event: its running program (or null) and time zone. */
export interface TierContext {
  program: TierProgramConfig | null;
  timeZone: string;
}

const KEPT = 10_000;
const programs = new Map<string, { version: number; program: TierProgramConfig | null }>();

/** The shop's running program, kept in memory by shops.program_version (which any change to tiers moves, by triggers). */
export async function tierContext(db: Db, shop: string): Promise<TierContext> {
  const row = await shopTierVersion.first(db, { shop });
  if (!row) return { program: null, timeZone: "UTC" };
  return { program: await tierProgramAt(db, shop, row.program_version), timeZone: row.time_zone };
}

/** The shop's running program at a program version the caller read (shopper reads have it from their one statement). */
export async function tierProgramAt(db: Db, shop: string, version: number): Promise<TierProgramConfig | null> {
  const known = programs.get(shop);
  if (known && known.version === version) return known.program;
  const program = await readRunningTierProgram(db, shop);
  programs.delete(shop);
  programs.set(shop, { version, program });
  if (programs.size > KEPT) programs.delete(programs.keys().next().value!);
  return program;
}

// ---------------------------------------------------------------------------------------------
// Activity

/** What one event adds to a member's qualifying activity (negative for refunds and cancellations). */
export type ActivityDelta = Partial<ActivitySums>;

/** Ledger kinds whose points count as "earned" towards tiers (net of the reversals); spending and expiry do not. */
const EARNING_KINDS: ReadonlySet<LedgerKind> = new Set([
  "earned",
  "refund_reversal",
  "cancel_reversal",
  "order_bonus",
  "campaign_bonus",
  "signup",
  "birthday",
  "newsletter",
  "social",
  "review",
  "custom_action",
]);

/** What a ledger entry adds to tier activity: earning kinds to points, staff adjustments apart, nothing else (tier bonuses never feed tiers). */
export function activityOfEntry(kind: LedgerKind, delta: number): ActivityDelta | null {
  if (kind === "manual_adjustment") return { adjustedPoints: delta };
  if (EARNING_KINDS.has(kind)) return { points: delta };
  return null;
}

const addActivity = prepare(
  (q, p: { memberId: number; day: string; shop: string; points: number; adjustedPoints: number; amountMinor: number; orders: number }) =>
    q
      .insertInto("tier_activity")
      .values({
        member_id: p.memberId,
        day: p.day,
        shop: p.shop,
        points: p.points,
        adjusted_points: p.adjustedPoints,
        amount_minor: p.amountMinor,
        orders: p.orders,
      })
      .onConflict((conflict) =>
        conflict.columns(["member_id", "day"]).doUpdateSet((eb) => ({
          points: eb("tier_activity.points", "+", eb.ref("excluded.points")),
          adjusted_points: eb("tier_activity.adjusted_points", "+", eb.ref("excluded.adjusted_points")),
          amount_minor: eb("tier_activity.amount_minor", "+", eb.ref("excluded.amount_minor")),
          orders: eb("tier_activity.orders", "+", eb.ref("excluded.orders")),
        })),
      ),
);

const sumsSelection = [
  sql<number>`COALESCE(SUM("points"), 0)`.as("points"),
  sql<number>`COALESCE(SUM("adjusted_points"), 0)`.as("adjusted_points"),
  sql<number>`COALESCE(SUM("amount_minor"), 0)`.as("amount_minor"),
  sql<number>`COALESCE(SUM("orders"), 0)`.as("orders"),
] as const;

const memberSumsSince = prepare((q, p: { memberId: number; fromDay: string }) =>
  q.selectFrom("tier_activity").select(sumsSelection).where("member_id", "=", p.memberId).where("day", ">=", p.fromDay),
);

const toSums = (
  row: { points: number | string; adjusted_points: number | string; amount_minor: number | string; orders: number | string } | undefined,
): ActivitySums => ({
  points: Number(row?.points ?? 0),
  adjustedPoints: Number(row?.adjusted_points ?? 0),
  amountMinor: Number(row?.amount_minor ?? 0),
  orders: Number(row?.orders ?? 0),
});

/** The member's sums over the program's window at `now`. */
export async function memberWindowSums(db: Db, program: TierProgramConfig, memberId: number, now: string, timeZone: string): Promise<ActivitySums> {
  return toSums(await memberSumsSince.first(db, { memberId, fromDay: windowStartDay(program.period, now, timeZone) ?? "0000-00-00" }));
}

const touchesBasis = (program: TierProgramConfig, delta: ActivityDelta) =>
  program.basis === "amount_spent"
    ? Boolean(delta.amountMinor)
    : program.basis === "orders"
      ? Boolean(delta.orders)
      : Boolean(delta.points) || (program.adjustmentsCount && Boolean(delta.adjustedPoints));

const memberTierColumns = ["tier_id", "tier_reached_at", "tier_kept_until", "tier_manual", "tier_manual_until", "paid_tier_id", "paid_until"] as const;

/** The member's new qualifying total on their row (which takes its lock: concurrent events of one member queue here), and their tier as it stands. */
const setTierTotal = prepare((q, p: { id: number; total: number }) =>
  q.updateTable("members").set({ tier_total: p.total }).where("id", "=", p.id).returning(memberTierColumns),
);

type MemberTierRow = NonNullable<Awaited<ReturnType<typeof setTierTotal.first>>>;

export function memberTierOf(row: MemberTierRow): MemberTier {
  return {
    tierId: row.tier_id,
    reachedAt: row.tier_reached_at,
    keptUntil: row.tier_kept_until,
    manual: row.tier_manual ? { until: row.tier_manual_until } : null,
    paid: row.paid_tier_id !== null && row.paid_until !== null ? { tierId: row.paid_tier_id, until: row.paid_until } : null,
  };
}

/**
 * One event's qualifying activity for a member, counted on a local day (`at`, an instant: the
 * order's day for a refund), in the event's transaction; then the upgrade it earns, if any.
 * Does nothing for a shop without running tiers. The caller makes the event count once (its
 * ledger source key, the order's counted columns).
 */
export async function recordTierActivity(
  db: Db,
  shop: string,
  memberId: number,
  delta: ActivityDelta,
  { at, now, sourceKey, context }: { at: string; now: string; sourceKey: string; context?: TierContext },
): Promise<{ upgradedTo: number | null }> {
  const { program, timeZone } = context ?? (await tierContext(db, shop));
  if (!program) return { upgradedTo: null };
  await addActivity.run(db, {
    memberId,
    day: localDateKey(new Date(at), timeZone),
    shop,
    points: delta.points ?? 0,
    adjustedPoints: delta.adjustedPoints ?? 0,
    amountMinor: delta.amountMinor ?? 0,
    orders: delta.orders ?? 0,
  });
  if (!touchesBasis(program, delta)) return { upgradedTo: null };
  const total = qualifyingTotal(program, await memberWindowSums(db, program, memberId, now, timeZone));
  const row = await setTierTotal.first(db, { id: memberId, total });
  if (!row) return { upgradedTo: null };
  const current = memberTierOf(row);
  const decision = upgradeOnEvent(program, current, total, now, timeZone);
  if (!decision.change) return { upgradedTo: null };
  await applyTierChange(db, shop, program, memberId, current, decision, { now, timeZone, sourceKey: `${sourceKey}:tier:${decision.toTierId}` });
  return { upgradedTo: decision.toTierId };
}

// ---------------------------------------------------------------------------------------------
// Changes

/** One change in the member's tier history, as applyTierChange and applyTierChanges write it. */
type TierChangeRow = {
  shop: string;
  memberId: number;
  fromTierId: number | null;
  toTierId: number | null;
  reason: TierChangeReason;
  note: string | null;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  sourceKey: string;
  now: string;
};

const tierChangeColumns = (p: TierChangeRow) => ({
  shop: p.shop,
  member_id: p.memberId,
  from_tier_id: p.fromTierId,
  to_tier_id: p.toTierId,
  reason: p.reason,
  note: p.note,
  actor_type: p.actorType,
  actor_id: p.actorId,
  actor_name: p.actorName,
  source_key: p.sourceKey,
  created_at: p.now,
});

const insertChange = prepare((q, p: TierChangeRow) =>
  q
    .insertInto("tier_changes")
    .values(tierChangeColumns(p))
    .onConflict((conflict) => conflict.columns(["shop", "source_key"]).doNothing()),
);

/** A member's tier columns after a change, and the tier it is made from (0 for none: tier ids start at 1). */
type MemberTierAfter = {
  tierId: number | null;
  reachedAt: string | null;
  keptUntil: string | null;
  manual: boolean;
  manualUntil: string | null;
  fromTierId: number;
};

const memberTierAfterColumns = (p: MemberTierAfter) => ({
  tier_id: p.tierId,
  tier_reached_at: p.reachedAt,
  tier_kept_until: p.keptUntil,
  tier_manual: p.manual,
  tier_manual_until: p.manualUntil,
  // Shopify's copy (the tier metafield, tags) follows: the member sync picks the row up.
  synced_points: null,
});

// The change is made from the tier the decision was taken on (the row lock is held since the total was set).
// (A prepared statement cannot branch on a parameter, hence 0 for none.)
const madeFromTier = (fromTierId: number) => [sql<number>`COALESCE("tier_id", 0)`, "=", fromTierId] as const;

const setMemberTier = prepare((q, p: MemberTierAfter & { id: number }) =>
  q
    .updateTable("members")
    .set(memberTierAfterColumns(p))
    .where("id", "=", p.id)
    .where(...madeFromTier(p.fromTierId)),
);

type TierChangeDecision = Extract<TierDecision, { change: true }>;

/** What a change writes on the member's row. */
function memberTierAfter(current: MemberTier, decision: TierChangeDecision, now: string, manual?: { until: string | null } | null): MemberTierAfter {
  const keepsManual = manual === undefined ? (decision.reason === "manual_ended" ? null : current.manual) : manual;
  return {
    tierId: decision.toTierId,
    reachedAt: decision.toTierId === current.tierId ? current.reachedAt : decision.toTierId === null ? null : now,
    keptUntil: decision.keptUntil,
    manual: keepsManual !== null,
    manualUntil: keepsManual?.until ?? null,
    fromTierId: current.tierId ?? 0,
  };
}

/** The history row of a change. */
function tierChangeRow(
  shop: string,
  memberId: number,
  current: MemberTier,
  decision: TierChangeDecision,
  { sourceKey, now, note = null, actor = { type: "system" } }: { sourceKey: string; now: string; note?: string | null; actor?: LedgerActor },
): TierChangeRow {
  const staff = actor.type === "staff" ? actor : null;
  return {
    shop,
    memberId,
    fromTierId: current.tierId,
    toTierId: decision.toTierId,
    reason: decision.reason,
    note,
    actorType: actor.type,
    actorId: staff?.id ?? null,
    actorName: staff?.name ?? null,
    sourceKey,
    now,
  };
}

/** The entry bonus a change pays: on the way up into a tier that has one, once per member, tier and period; null otherwise. */
function entryBonusOf(
  program: TierProgramConfig,
  shop: string,
  memberId: number,
  current: MemberTier,
  decision: TierChangeDecision,
  now: string,
  timeZone: string,
): NewLedgerEntry | null {
  const from = tierById(program, current.tierId);
  const to = tierById(program, decision.toTierId);
  if (!to || to.entryBonusPoints <= 0 || (from?.rank ?? 0) >= to.rank) return null;
  return {
    shop,
    memberId,
    delta: to.entryBonusPoints,
    kind: "tier_bonus",
    sourceKey: `tier-entry:${to.id}:${memberId}:${tierPeriodKey(program.period, now, timeZone)}`,
    actor: { type: "system" },
    reason: `Reached ${tierName(to, "en")}`,
  };
}

/**
 * A decided change, made once: the member's row (from the tier the decision saw), the history
 * entry (its source key unique in the shop), and on the way up the tier's entry bonus once per
 * member, tier and period.
 */
export async function applyTierChange(
  db: Db,
  shop: string,
  program: TierProgramConfig,
  memberId: number,
  current: MemberTier,
  decision: TierChangeDecision,
  {
    now,
    timeZone,
    sourceKey,
    note = null,
    actor = { type: "system" },
    manual,
  }: { now: string; timeZone: string; sourceKey: string; note?: string | null; actor?: LedgerActor; manual?: { until: string | null } | null },
): Promise<boolean> {
  const changed = await setMemberTier.run(db, { id: memberId, ...memberTierAfter(current, decision, now, manual) });
  if (changed === 0) return false;
  const recorded = await insertChange.run(db, tierChangeRow(shop, memberId, current, decision, { sourceKey, now, note, actor }));
  if (recorded === 1) {
    await fireTierChangedTriggers(db, shop, program, [{ memberId, fromTierId: current.tierId, toTierId: decision.toTierId, sourceKey }], new Date(now));
  }
  const bonus = entryBonusOf(program, shop, memberId, current, decision, now, timeZone);
  if (bonus) await appendLedgerEntry(db, bonus, now);
  await messageTierReached(db, shop, program, memberId, current, decision, sourceKey, now);
  await scheduleMetafieldSync(db, shop, new Date(now));
  return true;
}

const changeIdOf = prepare((q, p: { shop: string; sourceKey: string }) =>
  q.selectFrom("tier_changes").select("id").where("shop", "=", p.shop).where("source_key", "=", p.sourceKey),
);

/** "You've reached Gold": on a change up (the member's message, once per change by its occasion). */
async function messageTierReached(
  db: Db,
  shop: string,
  program: TierProgramConfig,
  memberId: number,
  current: MemberTier,
  decision: TierChangeDecision,
  sourceKey: string,
  now: string,
) {
  const from = tierById(program, current.tierId);
  const to = tierById(program, decision.toTierId);
  if (!to || (from?.rank ?? 0) >= to.rank) return;
  const change = await changeIdOf.first(db, { shop, sourceKey });
  if (!change) return;
  await sendMemberMessage(
    db,
    shop,
    memberId,
    { kind: "tier_reached", tierChangeId: change.id },
    { localized: (locale) => ({ tier: tierName(to, locale) }) },
    new Date(now),
  );
}

/** One member's decided change in an evaluation batch. */
interface BatchTierChange {
  memberId: number;
  current: MemberTier;
  decision: TierChangeDecision;
  sourceKey: string;
}

/** History rows one insert writes. */
const CHANGES_PER_STATEMENT = 100;

/**
 * An evaluation batch's decided changes at one instant, each made as applyTierChange makes it
 * (the member's row from the tier the decision saw, the history entry, the entry bonus), in a few
 * statements for the batch instead of a few per member: the members' rows by groups that get the
 * same columns (a batch's changes share a handful), then the history and the bonuses in multi-row
 * inserts. Returns the changes made: a member whose tier moved since the decision is left out.
 */
async function applyTierChanges(
  db: Db,
  shop: string,
  program: TierProgramConfig,
  changes: readonly BatchTierChange[],
  { now, timeZone }: { now: string; timeZone: string },
): Promise<BatchTierChange[]> {
  const groups = new Map<string, { after: MemberTierAfter; memberIds: number[] }>();
  for (const change of changes) {
    const after = memberTierAfter(change.current, change.decision, now);
    const key = JSON.stringify(after);
    const group = groups.get(key) ?? { after, memberIds: [] };
    group.memberIds.push(change.memberId);
    groups.set(key, group);
  }
  const made = new Set<number>();
  for (const { after, memberIds } of groups.values()) {
    for (let from = 0; from < memberIds.length; from += IN_LIST) {
      const rows = await db.query
        .updateTable("members")
        .set(memberTierAfterColumns(after))
        .where("id", "in", memberIds.slice(from, from + IN_LIST))
        .where(...madeFromTier(after.fromTierId))
        .returning("id")
        .execute();
      for (const row of rows) made.add(row.id);
    }
  }
  const applied = changes.filter((change) => made.has(change.memberId));
  if (applied.length === 0) return applied;
  for (let from = 0; from < applied.length; from += CHANGES_PER_STATEMENT) {
    await db.query
      .insertInto("tier_changes")
      .values(
        applied
          .slice(from, from + CHANGES_PER_STATEMENT)
          .map((change) => tierChangeColumns(tierChangeRow(shop, change.memberId, change.current, change.decision, { sourceKey: change.sourceKey, now }))),
      )
      .onConflict((conflict) => conflict.columns(["shop", "source_key"]).doNothing())
      .execute();
  }
  await fireTierChangedTriggers(
    db,
    shop,
    program,
    applied.map((change) => ({
      memberId: change.memberId,
      fromTierId: change.current.tierId,
      toTierId: change.decision.toTierId,
      sourceKey: change.sourceKey,
    })),
    new Date(now),
  );
  const bonuses = applied.flatMap((change) => entryBonusOf(program, shop, change.memberId, change.current, change.decision, now, timeZone) ?? []);
  if (bonuses.length) await appendLedgerEntries(db, bonuses, now);
  await scheduleMetafieldSync(db, shop, new Date(now));
  return applied;
}

// ---------------------------------------------------------------------------------------------
// Staff placement

export interface ManualTierInput {
  memberId: number;
  /** null: take the member out of any tier (until the end date, or until staff change it). */
  tierId: number | null;
  reason: string;
  /** "YYYY-MM-DD" in the shop's zone, or empty: until staff change it. */
  until: string;
  /** The form's key: a double submit makes one change. */
  idempotencyKey: string;
}

export type ManualTierFieldErrors = Partial<Record<"tierId" | "reason" | "until" | "idempotencyKey", string>>;

export type ManualTierResult =
  Ok<{ changed: boolean }> | Refused<"invalid_fields", { fieldErrors: ManualTierFieldErrors }> | Refused<"member_not_found"> | Refused<"no_program">;

/** Staff place a member in a tier by hand, with a reason and an optional end date, recorded with who did it. */
export async function placeMemberInTier(
  db: Database,
  shop: string,
  input: ManualTierInput,
  actor: Extract<LedgerActor, { type: "staff" }>,
  now: string,
): Promise<ManualTierResult> {
  return db.transaction(async (tx): Promise<ManualTierResult> => {
    const { program, timeZone } = await tierContext(tx, shop);
    if (!program) return { ok: false, reason: "no_program" };
    const fieldErrors: ManualTierFieldErrors = {};
    const reason = input.reason.trim();
    if (!reason) fieldErrors.reason = "Say why: the reason is kept in the member's tier history.";
    else if (reason.length > 500) fieldErrors.reason = "Keep the reason under 500 characters.";
    if (input.tierId !== null && !tierById(program, input.tierId)) fieldErrors.tierId = "Choose one of the program's tiers.";
    let until: string | null = null;
    if (input.until.trim()) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.until.trim())) fieldErrors.until = "Enter the end date as YYYY-MM-DD, or leave it empty.";
      else {
        until = startOfLocalDay(nextDateKey(input.until.trim()), timeZone).toISOString();
        if (Date.parse(until) <= Date.parse(now)) fieldErrors.until = "The end date must be today or later.";
      }
    }
    if (!/^[A-Za-z0-9_-]{8,100}$/.test(input.idempotencyKey)) fieldErrors.idempotencyKey = "This form is out of date. Reload the page and try again.";
    if (Object.keys(fieldErrors).length) return { ok: false, reason: "invalid_fields", fieldErrors };
    const row = await lockMemberTier.first(tx, { shop, id: input.memberId });
    if (!row) return { ok: false, reason: "member_not_found" };
    const sourceKey = `manual:${input.idempotencyKey}`;
    // A double submit (or a retried request) of one form makes one change.
    const done = await tx.query.selectFrom("tier_changes").select("member_id").where("shop", "=", shop).where("source_key", "=", sourceKey).executeTakeFirst();
    if (done) {
      if (done.member_id !== row.id)
        return { ok: false, reason: "invalid_fields", fieldErrors: { idempotencyKey: "This form was already used. Reload the page and try again." } };
      return { ok: true, changed: false };
    }
    const current = memberTierOf(row);
    const changed = await applyTierChange(
      tx,
      shop,
      program,
      row.id,
      current,
      { change: true, toTierId: input.tierId, reason: "manual", keptUntil: until },
      { now, timeZone, sourceKey, note: reason, actor, manual: { until } },
    );
    return { ok: true, changed };
  });
}

/** The member's tier columns, locking the row for the change (a no-op update on SQLite's single writer; a row lock on PostgreSQL). */
const lockMemberTier = prepare((q, p: { shop: string; id: number }) =>
  q
    .updateTable("members")
    .set((eb) => ({ tier_total: eb.ref("tier_total") }))
    .where("id", "=", p.id)
    .where("shop", "=", p.shop)
    .returning(["id", ...memberTierColumns]),
);

// ---------------------------------------------------------------------------------------------
// Reading

export interface TierChangeView {
  id: number;
  fromTierId: number | null;
  toTierId: number | null;
  reason: TierChangeReason;
  note: string | null;
  actorName: string | null;
  createdAt: string;
}

/** The member's tier history, newest first. */
export async function listTierChanges(db: Db, shop: string, memberId: number, limit = 50): Promise<TierChangeView[]> {
  const rows = await db.query
    .selectFrom("tier_changes")
    .select(["id", "from_tier_id", "to_tier_id", "reason", "note", "actor_name", "created_at"])
    .where("member_id", "=", memberId)
    .where("shop", "=", shop)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    fromTierId: row.from_tier_id,
    toTierId: row.to_tier_id,
    reason: row.reason,
    note: row.note,
    actorName: row.actor_name,
    createdAt: row.created_at,
  }));
}

/** How many members hold each tier (tierId null: none), for the home page. */
export async function tierCounts(db: Db, shop: string): Promise<{ tierId: number | null; members: number }[]> {
  const rows = await db.query
    .selectFrom("members")
    .select(["tier_id", sql<number>`COUNT(*)`.as("members")])
    .where("shop", "=", shop)
    .where("redacted_at", "is", null)
    .groupBy("tier_id")
    .execute();
  return rows.map((row) => ({ tierId: row.tier_id, members: Number(row.members) }));
}

// ---------------------------------------------------------------------------------------------
// Evaluation, recompute and preview

export const TIER_EVALUATION_JOB = "tiers.evaluate";
export const TIER_BATCH_SIZE = 2000;

const evaluationKey = (shop: string, date: string) => `tiers:${shop}:evaluate:${date}`;
const recomputeKey = (shop: string) => `tiers:${shop}:recompute`;

const membersBatch = prepare((q, p: { shop: string; afterId: number; limit: number }) =>
  q
    .selectFrom("members")
    .select(["id", "customer_id", "email", "first_name", "last_name", "tier_total", ...memberTierColumns])
    .where("shop", "=", p.shop)
    .where("redacted_at", "is", null)
    .where("id", ">", p.afterId)
    .orderBy("id")
    .limit(p.limit),
);

/** Every member's sums of a batch (ids in (afterId, lastId]) over a window, in one grouped read. */
async function batchSums(db: Db, shop: string, afterId: number, lastId: number, fromDay: string | null): Promise<Map<number, ActivitySums>> {
  const rows = await db.query
    .selectFrom("tier_activity")
    .select(["member_id", ...sumsSelection])
    .where("shop", "=", shop)
    .where("member_id", ">", afterId)
    .where("member_id", "<=", lastId)
    .where("day", ">=", fromDay ?? "0000-00-00")
    .groupBy("member_id")
    .execute();
  return new Map(rows.map((row) => [row.member_id, toSums(row)]));
}

/** Totals one statement sets (two parameters each). */
const TOTALS_PER_STATEMENT = 500;

/** New qualifying totals of a batch's members (ids in (afterId, lastId], rows next to each other), a few hundred a statement. */
async function setTierTotals(db: Db, afterId: number, lastId: number, totals: readonly { id: number; total: number }[]) {
  for (let from = 0; from < totals.length; from += TOTALS_PER_STATEMENT) {
    const chunk = totals.slice(from, from + TOTALS_PER_STATEMENT);
    await db.query
      .updateTable("members")
      .from(
        integerRows<{ column1: number; column2: number }, "totals">(
          chunk.map(({ id, total }) => [id, total]),
          "totals",
        ),
      )
      .set((eb) => ({ tier_total: eb.ref("totals.column2") }))
      .whereRef("members.id", "=", "totals.column1")
      // The range keeps SQLite seeking members by id (it would scan the table to join the list otherwise).
      .where("members.id", ">", afterId)
      .where("members.id", "<=", lastId)
      .execute();
  }
}

export interface EvaluationRun {
  members: number;
  changed: number;
  up: number;
  down: number;
  /** The cursor after the last member done (the job resumes from it). */
  lastId: number;
  done: boolean;
}

/**
 * Evaluates one batch of a shop's members after `afterId`: each member's window total and the tier
 * evaluateTier says they hold now (the only way down), in one transaction. `kind` names the run in
 * the history's source keys, so running a batch again changes nothing.
 */
export async function evaluateTierBatch(
  db: Database,
  shop: string,
  { afterId, now, runKey, batchSize = TIER_BATCH_SIZE }: { afterId: number; now: string; runKey: string; batchSize?: number },
): Promise<EvaluationRun> {
  return db.transaction(async (tx) => {
    const { program, timeZone } = await tierContext(tx, shop);
    const run: EvaluationRun = { members: 0, changed: 0, up: 0, down: 0, lastId: afterId, done: true };
    if (!program) return run;
    const members = await membersBatch.all(tx, { shop, afterId, limit: batchSize });
    if (members.length === 0) return run;
    const lastId = members[members.length - 1].id;
    const sums = await batchSums(tx, shop, afterId, lastId, windowStartDay(program.period, now, timeZone));
    const totals: { id: number; total: number }[] = [];
    const changes: BatchTierChange[] = [];
    for (const member of members) {
      const total = qualifyingTotal(program, sums.get(member.id) ?? ZERO);
      if (Number(member.tier_total) !== total) totals.push({ id: member.id, total });
      const current = memberTierOf(member);
      // A tier the merchant removed reads as none: the member is placed by their total again.
      const held = current.tierId === null || tierById(program, current.tierId) ? current : { ...current, tierId: null, keptUntil: null };
      const evaluated = evaluateTier(program, held, total, now, timeZone);
      const decision: TierDecision = held === current || evaluated.change ? evaluated : { change: true, toTierId: null, reason: "evaluation", keptUntil: null };
      if (!decision.change) continue;
      changes.push({ memberId: member.id, current, decision, sourceKey: `${runKey}:${member.id}:${current.tierId ?? 0}>${decision.toTierId ?? 0}` });
    }
    await setTierTotals(tx, afterId, lastId, totals);
    for (const { current, decision } of await applyTierChanges(tx, shop, program, changes, { now, timeZone })) {
      run.changed++;
      const before = tierById(program, current.tierId)?.rank ?? 0;
      const after = tierById(program, decision.toTierId)?.rank ?? 0;
      if (after > before) run.up++;
      else if (after < before) run.down++;
    }
    return { ...run, members: members.length, lastId, done: members.length < batchSize };
  });
}

const ZERO: ActivitySums = { points: 0, adjustedPoints: 0, amountMinor: 0, orders: 0 };

/** Each member's sums over the history days from `fromDay` on (null: all). */
function historySums(days: readonly HistoryDay[], fromDay: string | null): Map<number, ActivitySums> {
  const sums = new Map<number, ActivitySums>();
  for (const entry of days) {
    if (fromDay !== null && entry.day < fromDay) continue;
    const sum = sums.get(entry.memberId) ?? { ...ZERO };
    sum.points += entry.points;
    sum.adjustedPoints += entry.adjustedPoints;
    sum.amountMinor += entry.amountMinor;
    sum.orders += entry.orders;
    sums.set(entry.memberId, sum);
  }
  return sums;
}

/** Runs every batch of a shop's evaluation to the end (the benchmark and tests; the job does it batch by batch). */
export async function evaluateAllTiers(db: Database, shop: string, { now, runKey, batchSize }: { now: string; runKey: string; batchSize?: number }) {
  const total: EvaluationRun = { members: 0, changed: 0, up: 0, down: 0, lastId: 0, done: false };
  while (!total.done) {
    const run = await evaluateTierBatch(db, shop, { afterId: total.lastId, now, runKey, batchSize });
    total.members += run.members;
    total.changed += run.changed;
    total.up += run.up;
    total.down += run.down;
    total.lastId = run.lastId;
    total.done = run.done;
  }
  return total;
}

/** The shop's daily evaluation for a local day, at the start of that day in its zone. */
export async function enqueueTierEvaluation(db: Db, shop: string, date: string, timeZone: string, now: Date) {
  await enqueueJob(
    db,
    { shop, kind: TIER_EVALUATION_JOB, key: evaluationKey(shop, date), payload: { date, afterId: 0 }, runAt: startOfLocalDay(date, timeZone) },
    now,
  );
}

/**
 * After the merchant saved the tiers: every member is evaluated again now (a durable job, batch by
 * batch, progress in its payload); webhooks keep counting and upgrading meanwhile.
 */
export async function startTierRecompute(db: Db, shop: string, now: Date, options: { rebuild?: boolean } = {}): Promise<void> {
  const members = await db.query
    .selectFrom("members")
    .select(sql<number>`COUNT(*)`.as("n"))
    .where("shop", "=", shop)
    .where("redacted_at", "is", null)
    .executeTakeFirst();
  // A rebuild still to run is kept when the merchant saves again before it ran.
  const waiting = await db.query.selectFrom("jobs").select(["payload", "done_at"]).where("job_key", "=", recomputeKey(shop)).executeTakeFirst();
  const rebuild = Boolean(options.rebuild) || (waiting?.done_at === null && parseJson<{ rebuild?: boolean }>(waiting.payload, {}).rebuild === true);
  const payload = { recompute: now.toISOString(), rebuild, afterId: 0, done: 0, total: Number(members?.n ?? 0) };
  await rearmJob(db, { shop, kind: TIER_EVALUATION_JOB, key: recomputeKey(shop), payload, runAt: now }, now);
  // Re-arming keeps a job's old payload: this run starts from the first member again.
  await savePayload.run(db, { key: recomputeKey(shop), payload: JSON.stringify(payload) });
}

export interface RecomputeProgress {
  running: boolean;
  done: number;
  total: number;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The latest recompute's progress, as the Tiers page shows it. */
export async function tierRecomputeProgress(db: Db, shop: string): Promise<RecomputeProgress | null> {
  const job = await db.query.selectFrom("jobs").select(["payload", "done_at"]).where("job_key", "=", recomputeKey(shop)).executeTakeFirst();
  if (!job) return null;
  const payload = parseJson<{ recompute?: string; done?: number; total?: number }>(job.payload, {});
  return {
    running: job.done_at === null,
    done: payload.done ?? 0,
    total: payload.total ?? 0,
    startedAt: payload.recompute ?? null,
    finishedAt: job.done_at,
  };
}

const savePayload = prepare((q, p: { key: string; payload: string }) => q.updateTable("jobs").set({ payload: p.payload }).where("job_key", "=", p.key));

/** The evaluation jobs (app/runtime.server.ts registers them): the daily one per shop and day, and the recompute after a change. */
export function tierJobHandlers({ batchSize = TIER_BATCH_SIZE }: { batchSize?: number } = {}): Record<string, JobHandler> {
  return {
    [TIER_EVALUATION_JOB]: async ({ db, shop, payload, now }) => {
      const p = payload as { date?: string; recompute?: string; rebuild?: boolean; afterId?: number; done?: number; total?: number };
      const key = p.recompute ? recomputeKey(shop) : evaluationKey(shop, p.date ?? "");
      const at = now.toISOString();
      const runKey = p.recompute ? `recompute:${p.recompute}` : `evaluation:${p.date}`;
      let afterId = p.afterId ?? 0;
      let done = p.done ?? 0;
      // First time on: every member's past counts are rebuilt from the ledger and orders, then evaluated.
      if (p.rebuild) {
        for (;;) {
          const run = await rebuildTierActivityBatch(db, shop, { afterId, batchSize });
          afterId = run.lastId;
          await savePayload.run(db, { key, payload: JSON.stringify({ ...p, afterId }) });
          if (run.done) break;
        }
        afterId = 0;
        await savePayload.run(db, { key, payload: JSON.stringify({ ...p, rebuild: false, afterId }) });
      }
      for (;;) {
        const run = await evaluateTierBatch(db, shop, { afterId, now: at, runKey, batchSize });
        // After the merchant changed the tiers, names, perks and the tag prefix may read otherwise:
        // Shopify's copy of every member in a tier (or tagged) is written again.
        if (p.recompute) await markTierCopiesBehind.run(db, { shop, afterId, lastId: run.lastId });
        afterId = run.lastId;
        done += run.members;
        await savePayload.run(db, { key, payload: JSON.stringify({ ...p, afterId, done }) });
        if (run.done) break;
      }
      if (p.recompute) await scheduleMetafieldSync(db, shop, now);
      if (p.date) {
        const { timeZone } = await tierContext(db, shop);
        await enqueueTierEvaluation(db, shop, nextDateKey(p.date), timeZone, now);
      }
    },
  };
}

const markTierCopiesBehind = prepare((q, p: { shop: string; afterId: number; lastId: number }) =>
  q
    .updateTable("members")
    .set({ synced_points: null })
    .where("shop", "=", p.shop)
    .where("id", ">", p.afterId)
    .where("id", "<=", p.lastId)
    .where((eb) => eb.or([eb("tier_id", "is not", null), eb("tier_tag", "is not", null)])),
);

/** Starts a shop's daily evaluations (from tomorrow in its zone); safe to call again. */
export async function startTierEvaluations(db: Db, shop: string, timeZone: string, now: Date) {
  await enqueueTierEvaluation(db, shop, nextDateKey(localDateKey(now, timeZone)), timeZone, now);
}

export interface TierPreview {
  members: number;
  up: number;
  down: number;
  same: number;
  /** Members per tier rank before and after (rank 0: no tier). */
  perRank: { rank: number; before: number; after: number }[];
  examples: { memberId: number; name: string; total: number; fromRank: number; toRank: number }[];
}

/**
 * What saving `candidate` would do to the shop's members, on their real activity, without writing
 * anything: the same evaluation the recompute then runs (tiers compared by rank, since new tiers
 * have no id yet). Reads every member in batches.
 */
export async function previewTierProgram(
  db: Db,
  shop: string,
  candidate: TierProgramConfig,
  now: string,
  { batchSize = 5000, examples = 5 } = {},
): Promise<TierPreview> {
  const { program: currentProgram, timeZone } = await tierContext(db, shop);
  const preview: TierPreview = { members: 0, up: 0, down: 0, same: 0, perRank: [], examples: [] };
  const counts = new Map<number, { before: number; after: number }>();
  const count = (rank: number, which: "before" | "after") => {
    const entry = counts.get(rank) ?? { before: 0, after: 0 };
    entry[which]++;
    counts.set(rank, entry);
  };
  // The candidate's tiers keyed by rank; a member's current tier is mapped onto the candidate by its rank.
  const rankOfCurrent = (id: number | null) => (currentProgram ? (tierById(currentProgram, id)?.rank ?? 0) : 0);
  const candidateByRank = new Map(candidate.tiers.map((tier, index) => [tier.rank, { ...tier, id: -(index + 1) }]));
  const mapped: TierProgramConfig = { ...candidate, tiers: [...candidateByRank.values()] };
  const idAtRank = (rank: number) => candidateByRank.get(rank)?.id ?? null;
  for (let afterId = 0; ;) {
    const members = await membersBatch.all(db, { shop, afterId, limit: batchSize });
    if (members.length === 0) break;
    const lastId = members[members.length - 1].id;
    const fromDay = windowStartDay(candidate.period, now, timeZone);
    // Tiers not running yet: nothing was counted; saving rebuilds the counts from history, so the preview reads it too.
    const sums = currentProgram
      ? await batchSums(db, shop, afterId, lastId, fromDay)
      : historySums((await historyOfBatch(db, shop, members, afterId, lastId)).days, fromDay);
    for (const member of members) {
      const fromRank = rankOfCurrent(member.tier_id);
      const current = memberTierOf(member);
      const onCandidate: MemberTier = {
        ...current,
        tierId: idAtRank(fromRank),
        paid: current.paid ? { ...current.paid, tierId: idAtRank(rankOfCurrent(current.paid.tierId)) ?? 0 } : null,
      };
      const total = qualifyingTotal(candidate, sums.get(member.id) ?? ZERO);
      const decision = candidate.enabled ? evaluateTier(mapped, onCandidate, total, now, timeZone) : ({ change: true, toTierId: null } as const);
      const toRank = decision.change ? (mapped.tiers.find((tier) => tier.id === decision.toTierId)?.rank ?? 0) : fromRank;
      count(fromRank, "before");
      count(toRank, "after");
      if (toRank > fromRank) preview.up++;
      else if (toRank < fromRank) preview.down++;
      else preview.same++;
      if (toRank !== fromRank && preview.examples.length < examples) {
        const name = [member.first_name, member.last_name].filter(Boolean).join(" ") || member.email || `Customer ${member.customer_id}`;
        preview.examples.push({ memberId: member.id, name, total, fromRank, toRank });
      }
    }
    preview.members += members.length;
    afterId = lastId;
    if (members.length < batchSize) break;
  }
  preview.perRank = [...counts].map(([rank, entry]) => ({ rank, ...entry })).sort((a, b) => a.rank - b.rank);
  return preview;
}

// ---------------------------------------------------------------------------------------------
// Saving

/** A program as the Tiers page saves it, already validated (app/domain/tier-form.ts): tiers by rank, without ids. */
export type TierProgramInput = Omit<TierProgramConfig, "tiers"> & { tiers: readonly Omit<TierConfig, "id">[] };

/**
 * Saves the shop's program: its settings, and its tiers matched by rank (a tier keeps its id, and
 * its members, while its rank stays; ranks no longer there are removed and their members are
 * placed again by the recompute). Then every member is evaluated again by a durable job, and the
 * daily evaluations are booked.
 */
export async function saveTierProgram(db: Database, shop: string, input: TierProgramInput, now: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await programRow.first(tx, { shop });
    const settings = {
      enabled: input.enabled,
      basis: input.basis,
      period_kind: input.period.kind,
      period_months: input.period.kind === "rolling" ? input.period.months : 12,
      retention: input.retention,
      adjustments_count: input.adjustmentsCount,
      tag_prefix: input.tagPrefix,
      updated_at: now,
    };
    await tx.query
      .insertInto("tier_programs")
      .values({ shop, ...settings })
      .onConflict((conflict) => conflict.column("shop").doUpdateSet(settings))
      .execute();
    const existing = await tierRows.all(tx, { shop });
    const ranks = new Set(input.tiers.map((tier) => tier.rank));
    const removed = existing.filter((row) => !ranks.has(row.rank)).map((row) => row.id);
    if (removed.length) await tx.query.deleteFrom("tiers").where("shop", "=", shop).where("id", "in", removed).execute();
    for (const tier of input.tiers) {
      const values = {
        threshold: tier.threshold,
        names: JSON.stringify(tier.names),
        multiplier_percent: tier.multiplierPercent,
        entry_bonus_points: tier.entryBonusPoints,
        birthday_points: tier.birthdayPoints,
        free_shipping: tier.freeShipping,
        member_price_percent: tier.memberPricePercent,
        member_price_collection_ids: JSON.stringify(tier.memberPriceCollectionIds),
        paid_product_id: tier.paidProductId,
        paid_variant_id: tier.paidVariantId,
        paid_duration_days: tier.paidDurationDays,
        updated_at: now,
      };
      const known = existing.find((row) => row.rank === tier.rank);
      if (known) await tx.query.updateTable("tiers").set(values).where("id", "=", known.id).execute();
      else
        await tx.query
          .insertInto("tiers")
          .values({ shop, rank: tier.rank, created_at: now, ...values })
          .execute();
    }
    const zone = await tx.query.selectFrom("shops").select("time_zone").where("domain", "=", shop).executeTakeFirst();
    // Turned on (first time, or again after being off, when nothing was counted): the past counts too.
    await startTierRecompute(tx, shop, new Date(now), { rebuild: input.enabled && !before?.enabled });
    // The tier-perks discount (and what else the program keeps in Shopify) follows the change.
    await scheduleTierShopifySync(tx, shop, new Date(now));
    if (input.enabled) await startTierEvaluations(tx, shop, zone?.time_zone ?? "UTC", new Date(now));
  });
}

// ---------------------------------------------------------------------------------------------
// Rebuilding activity from history (when a shop turns tiers on: its members' past counts too)

/**
 * Local days by quarter hour (every zone's offset is a multiple of 15 minutes): a rebuild reads
 * millions of instants. Kept per zone across batches (a batch's members share the same days), a
 * few zones at a time and about three years of quarter hours each.
 */
const quarterDays = new Map<string, Map<number, string>>();
const ZONES_KEPT = 8;
const QUARTERS_KEPT = 100_000;

function dayKeyer(timeZone: string) {
  let known = quarterDays.get(timeZone);
  if (!known) {
    if (quarterDays.size >= ZONES_KEPT) quarterDays.delete(quarterDays.keys().next().value!);
    quarterDays.set(timeZone, (known = new Map()));
  }
  const days = known;
  return (at: string) => {
    const quarter = Math.floor(Date.parse(at) / 900_000);
    let day = days.get(quarter);
    if (day === undefined) {
      day = localDateKey(new Date(quarter * 900_000), timeZone);
      if (days.size >= QUARTERS_KEPT) days.clear();
      days.set(quarter, day);
    }
    return day;
  };
}

const REBUILD_KINDS = [...EARNING_KINDS, "manual_adjustment"] as LedgerKind[];
const REVERSAL_KINDS: LedgerKind[] = ["refund_reversal", "cancel_reversal"];

/**
 * Rebuilds the tier activity of a batch of members (ids after `afterId`) from the ledger and their
 * orders, in one transaction that holds their rows (webhooks for them wait, then count on top).
 * Returns the last member id done and whether the shop is done.
 */
export async function rebuildTierActivityBatch(db: Database, shop: string, { afterId, batchSize = TIER_BATCH_SIZE }: { afterId: number; batchSize?: number }) {
  return db.transaction(async (tx) => {
    const members = await membersBatch.all(tx, { shop, afterId, limit: batchSize });
    if (members.length === 0) return { lastId: afterId, members: 0, done: true };
    const lastId = members[members.length - 1].id;
    // Hold the batch's rows: a webhook for one of them waits for the rebuild, then counts on top of it.
    await tx.query
      .updateTable("members")
      .set((eb) => ({ tier_total: eb.ref("tier_total") }))
      .where("shop", "=", shop)
      .where("id", ">", afterId)
      .where("id", "<=", lastId)
      .execute();
    const { days, orders } = await historyOfBatch(tx, shop, members, afterId, lastId);
    await setOrdersTierCounted(
      tx,
      orders.filter((order) => order.minor !== order.countedMinor || order.orders !== order.countedOrders),
    );
    await tx.query.deleteFrom("tier_activity").where("shop", "=", shop).where("member_id", ">", afterId).where("member_id", "<=", lastId).execute();
    await insertActivityDays(tx, shop, days);
    return { lastId, members: members.length, done: members.length < batchSize };
  });
}

/** Rows of tier activity one statement inserts; a batch's remainder goes one row a statement. */
const ACTIVITY_ROWS_PER_STATEMENT = 100;

const activityRowsStatement = (rows: number) =>
  prepare((q, p: Record<string, SqlValue>) =>
    q.insertInto("tier_activity").values(
      Array.from({ length: rows }, (_, i) => ({
        member_id: p[`memberId${i}`] as number,
        day: p[`day${i}`] as string,
        shop: p.shop as string,
        points: p[`points${i}`] as number,
        adjusted_points: p[`adjustedPoints${i}`] as number,
        amount_minor: p[`amountMinor${i}`] as number,
        orders: p[`orders${i}`] as number,
      })),
    ),
  );
// Compiled once each: a rebuild inserts millions of rows, and building a 100-row insert costs more than running it.
const insertActivityRows = activityRowsStatement(ACTIVITY_ROWS_PER_STATEMENT);
const insertActivityRow = activityRowsStatement(1);

/** A rebuilt batch's days of activity, as new rows. */
async function insertActivityDays(db: Db, shop: string, days: readonly HistoryDay[]) {
  const named = (from: number, rows: number) => {
    const params: Record<string, SqlValue> = { shop };
    for (let i = 0; i < rows; i++) {
      const day = days[from + i];
      params[`memberId${i}`] = day.memberId;
      params[`day${i}`] = day.day;
      params[`points${i}`] = day.points;
      params[`adjustedPoints${i}`] = day.adjustedPoints;
      params[`amountMinor${i}`] = day.amountMinor;
      params[`orders${i}`] = day.orders;
    }
    return params;
  };
  let from = 0;
  for (; from + ACTIVITY_ROWS_PER_STATEMENT <= days.length; from += ACTIVITY_ROWS_PER_STATEMENT)
    await insertActivityRows.run(db, named(from, ACTIVITY_ROWS_PER_STATEMENT));
  for (; from < days.length; from++) await insertActivityRow.run(db, named(from, 1));
}

/**
 * What each of a batch's orders counts towards tiers, a few hundred orders a statement (only
 * orders whose counts move: each is a page of its own in the orders table).
 */
async function setOrdersTierCounted(db: Db, orders: readonly { id: number; minor: number; orders: number }[]) {
  for (let from = 0; from < orders.length; from += IN_LIST) {
    const chunk = orders.slice(from, from + IN_LIST);
    await db.query
      .updateTable("loyalty_orders")
      .from(
        integerRows<{ column1: number; column2: number; column3: number }, "counted">(
          chunk.map((order) => [order.id, order.minor, order.orders]),
          "counted",
        ),
      )
      .set((eb) => ({ tier_counted_minor: eb.ref("counted.column2"), tier_counted_orders: eb.ref("counted.column3") }))
      .whereRef("loyalty_orders.id", "=", "counted.column1")
      // The list of ids keeps SQLite seeking the orders by id (it would scan the table to join the rows otherwise).
      .where(
        "loyalty_orders.id",
        "in",
        chunk.map((order) => order.id),
      )
      .execute();
  }
}

/** Most values in one `IN` list: longer lists can make SQLite scan the table instead of seeking its index. */
const IN_LIST = 500;

type HistoryDay = { memberId: number; day: string } & ActivitySums;

/**
 * What a batch of members (ids in (afterId, lastId]) counted towards tiers, by member and local day,
 * from the ledger and their orders (as the live path counts them), and what each order counts.
 */
async function historyOfBatch(db: Db, shop: string, members: readonly { id: number; customer_id: string }[], afterId: number, lastId: number) {
  const zone = await db.query.selectFrom("shops").select("time_zone").where("domain", "=", shop).executeTakeFirst();
  const dayOf = dayKeyer(zone?.time_zone ?? "UTC");
  const days = new Map<string, HistoryDay>();
  const add = (memberId: number, at: string, delta: ActivityDelta) => {
    const day = dayOf(at);
    const key = `${memberId}|${day}`;
    const entry = days.get(key) ?? { memberId, day, points: 0, adjustedPoints: 0, amountMinor: 0, orders: 0 };
    entry.points += delta.points ?? 0;
    entry.adjustedPoints += delta.adjustedPoints ?? 0;
    entry.amountMinor += delta.amountMinor ?? 0;
    entry.orders += delta.orders ?? 0;
    days.set(key, entry);
  };
  const entries = await db.query
    .selectFrom("ledger_entries as e")
    // Only a reversal counts on its order's day: other entries need no order looked up.
    .leftJoin("loyalty_orders as o", (join) => join.on("e.kind", "in", REVERSAL_KINDS).onRef("o.shop", "=", "e.shop").onRef("o.order_id", "=", "e.order_id"))
    .select(["e.member_id", "e.kind", "e.delta", "e.created_at", "o.earned_at"])
    .where("e.shop", "=", shop)
    .where("e.member_id", ">", afterId)
    .where("e.member_id", "<=", lastId)
    .where("e.kind", "in", REBUILD_KINDS)
    .execute();
  for (const entry of entries) {
    const activity = activityOfEntry(entry.kind, entry.delta);
    if (!activity) continue;
    add(entry.member_id, entry.earned_at ?? entry.created_at, activity);
  }
  const byCustomer = new Map(members.map((member) => [member.customer_id, member.id]));
  const orderRows = await db.query
    .selectFrom("loyalty_orders")
    .select([
      "id",
      "order_id",
      "customer_id",
      "basis_minor",
      "earning_lines",
      "earned_at",
      "cancelled_at",
      "qualifying_number",
      "tier_counted_minor",
      "tier_counted_orders",
    ])
    .where("shop", "=", shop)
    .where("customer_id", "in", [...byCustomer.keys()])
    .where("earned_at", "is not", null)
    .execute();
  const refunds: { order_id: string; lines: string }[] = [];
  for (let from = 0; from < orderRows.length; from += IN_LIST) {
    refunds.push(
      ...(await db.query
        .selectFrom("order_refunds")
        .select(["order_id", "lines"])
        .where("shop", "=", shop)
        .where(
          "order_id",
          "in",
          orderRows.slice(from, from + IN_LIST).map((order) => order.order_id),
        )
        .execute()),
    );
  }
  const refundsOf = new Map<string, RefundedLine[][]>();
  for (const refund of refunds) refundsOf.set(refund.order_id, [...(refundsOf.get(refund.order_id) ?? []), parseJson<RefundedLine[]>(refund.lines, [])]);
  const orders: { id: number; minor: number; orders: number; countedMinor: number; countedOrders: number }[] = [];
  for (const order of orderRows) {
    const memberId = byCustomer.get(order.customer_id ?? "");
    const counts = order.qualifying_number !== null && order.cancelled_at === null;
    const minor = counts
      ? Math.max(0, Number(order.basis_minor) - refundedBasis(parseJson<EarningLine[]>(order.earning_lines, []), refundsOf.get(order.order_id) ?? []))
      : 0;
    orders.push({ id: order.id, minor, orders: counts ? 1 : 0, countedMinor: Number(order.tier_counted_minor), countedOrders: order.tier_counted_orders });
    if (memberId !== undefined && counts) add(memberId, order.earned_at!, { amountMinor: minor, orders: 1 });
  }
  return { days: [...days.values()], orders };
}

// ---------------------------------------------------------------------------------------------
// The member page

const TIER_REASON_WORDS: Record<TierChangeReason, string> = {
  qualified: "Reached the threshold",
  evaluation: "Daily evaluation",
  manual: "Placed by staff",
  manual_ended: "Staff placement ended",
  paid: "Paid membership",
  paid_ended: "Paid membership ended",
};

/** A member's tier as support sees it: what they hold and why, their total, and the history; null when the shop runs no tiers. */
export async function memberTierForStaff(db: Db, shop: string, memberId: number, currency: string) {
  const { program } = await tierContext(db, shop);
  if (!program) return null;
  const row = await db.query
    .selectFrom("members")
    .select(["tier_total", ...memberTierColumns])
    .where("id", "=", memberId)
    .where("shop", "=", shop)
    .executeTakeFirst();
  if (!row) return null;
  const name = (id: number | null) => (id === null ? "No tier" : tierById(program, id) ? tierName(tierById(program, id)!, "en") : "A removed tier");
  const total = Number(row.tier_total);
  const unit =
    program.basis === "amount_spent"
      ? `${fromMinorUnits(total, currency)} ${currency}`
      : program.basis === "orders"
        ? `${total.toLocaleString("en-US")} orders`
        : `${total.toLocaleString("en-US")} points earned`;
  return {
    tierId: row.tier_id,
    tierName: name(row.tier_id),
    reachedAt: row.tier_reached_at,
    keptUntil: row.tier_kept_until,
    manual: row.tier_manual ? { until: row.tier_manual_until } : null,
    paidUntil: row.paid_until,
    total: unit,
    tiers: program.tiers.map((tier) => ({ id: tier.id, name: tierName(tier, "en") })),
    history: (await listTierChanges(db, shop, memberId, 20)).map((change) => ({
      id: change.id,
      from: name(change.fromTierId),
      to: name(change.toTierId),
      why: TIER_REASON_WORDS[change.reason] ?? change.reason,
      note: change.note,
      by: change.actorName ?? "Loyalty app",
      at: change.createdAt,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The thank-you page

/**
 * What an order did for the customer's tier: the tier held now (or progress to the first), and
 * how much the order itself counted in the program's basis (its points earned, its merchandise,
 * or 1 order). Null when the shop runs no tiers or the order is not this customer's.
 */
export async function orderTierProgress(db: Db, shop: string, customerId: string, orderId: string, now: string) {
  const { program, timeZone } = await tierContext(db, shop);
  if (!program) return null;
  const order = await db.query
    .selectFrom("loyalty_orders")
    .select(["customer_id", "tier_counted_minor", "tier_counted_orders"])
    .where("shop", "=", shop)
    .where("order_id", "=", orderId)
    .executeTakeFirst();
  if (!order || order.customer_id !== customerId) return null;
  const member = await db.query
    .selectFrom("members")
    .select(["id", "tier_total", ...memberTierColumns])
    .where("shop", "=", shop)
    .where("customer_id", "=", customerId)
    .executeTakeFirst();
  if (!member) return null;
  let madeByOrder: number;
  if (program.basis === "amount_spent") madeByOrder = Number(order.tier_counted_minor);
  else if (program.basis === "orders") madeByOrder = order.tier_counted_orders;
  else {
    const earned = await db.query
      .selectFrom("ledger_entries")
      .select(sql<number>`COALESCE(SUM("delta"), 0)`.as("points"))
      .where("shop", "=", shop)
      .where("member_id", "=", member.id)
      .where("order_id", "=", orderId)
      .where("kind", "in", [...EARNING_KINDS])
      .executeTakeFirst();
    madeByOrder = Math.max(0, Number(earned?.points ?? 0));
  }
  const facts = memberTierFacts(member);
  const currency = (await db.query.selectFrom("shops").select("currency_code").where("domain", "=", shop).executeTakeFirst())?.currency_code ?? "USD";
  return {
    basis: program.basis,
    // Amounts (amount spent) are minor units of this currency.
    currency,
    currencyDecimals: currencyDecimals(currency),
    madeByOrder,
    tier: shopperTier(program, facts, "en", now, timeZone),
    nextTier: firstTierProgress(program, facts, "en", now, timeZone),
  };
}
