import type { Database } from "../db/types";
import type { Ok, Refused } from "../domain/result";
import { validateManualAdjustment, type ManualAdjustmentFieldErrors, type ManualAdjustmentForm } from "../domain/manual-adjustment";
import { appendLedgerEntry, findEntryBySource, type LedgerEntryRow } from "./ledger.server";
import { getMemberById } from "./members.server";

/** A staff member, as the ledger records them. */
export interface StaffActor {
  type: "staff";
  id: string;
  name: string;
}

export type AdjustmentResult =
  Ok<{ entry: LedgerEntryRow; duplicate: boolean }> | Refused<"invalid_fields", { fieldErrors: ManualAdjustmentFieldErrors }> | Refused<"member_not_found">;

/** The ledger source key of the adjustment submitted with this form key. */
export const adjustmentSourceKey = (idempotencyKey: string) => `adjustment:${idempotencyKey}`;

/**
 * A support agent adds or removes points by hand. The form's idempotency key is the ledger
 * source key, so the database keeps a double submit (or a retried request) to one entry: the
 * second call returns the first call's entry with duplicate: true and changes nothing.
 * The member must belong to `shop`; any other id is "not found".
 */
export async function adjustBalance(
  db: Database,
  shop: string,
  input: { memberId: number } & ManualAdjustmentForm,
  actor: StaffActor,
  now: string,
): Promise<AdjustmentResult> {
  const validation = validateManualAdjustment(input);
  if (!validation.ok) return validation;
  const { points, reason, customerNote, idempotencyKey } = validation.adjustment;
  const sourceKey = adjustmentSourceKey(idempotencyKey);

  return db.transaction(async (tx): Promise<AdjustmentResult> => {
    const member = Number.isSafeInteger(input.memberId) ? await getMemberById(tx, shop, input.memberId) : undefined;
    if (!member) return { ok: false, reason: "member_not_found" };
    const { inserted } = await appendLedgerEntry(
      tx,
      {
        shop,
        memberId: member.id,
        delta: points,
        kind: "manual_adjustment",
        sourceKey,
        actor,
        reason,
        customerNote,
      },
      now,
    );
    const entry = (await findEntryBySource(tx, shop, sourceKey))!;
    if (!inserted && entry.member_id !== member.id) {
      // The key belongs to a form rendered for another member: never apply it here.
      return { ok: false, reason: "invalid_fields", fieldErrors: { idempotencyKey: "This form was already used. Reload the page and try again." } };
    }
    return { ok: true, entry, duplicate: !inserted };
  });
}
