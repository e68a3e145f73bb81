import { randomUUID } from "node:crypto";
import type { Database } from "../../app/db/types";
import { appendLedgerEntry, type LedgerKind } from "../../app/models/ledger.server";
import { ensureMember } from "../../app/models/members.server";
import { newId } from "./shopify-payloads";

/** A program member, created the way an order's customer creates one. */
export async function createMember(
  db: Database,
  shop: string,
  spec: { email?: string | null; firstName?: string | null; lastName?: string | null; customerId?: string } = {},
) {
  const customerId = spec.customerId ?? String(newId());
  const id = await ensureMember(
    db,
    shop,
    {
      customerId,
      email: spec.email === undefined ? `customer${customerId}@example.com` : spec.email,
      firstName: spec.firstName === undefined ? "Ada" : spec.firstName,
      lastName: spec.lastName === undefined ? "Lovelace" : spec.lastName,
      tags: [],
      updatedAt: null,
      accountState: null,
      emailMarketingState: null,
      locale: null,
    },
    new Date().toISOString(),
  );
  return { id, customerId };
}

/** A system ledger entry (what an order or a refund would write), at a chosen time. */
export async function recordEntry(
  db: Database,
  shop: string,
  memberId: number,
  delta: number,
  { kind = "earned", at = new Date() }: { kind?: LedgerKind; at?: Date } = {},
) {
  await appendLedgerEntry(
    db,
    { shop, memberId, delta, kind, sourceKey: `test:${randomUUID()}`, actor: { type: "system" }, reason: `test ${kind}` },
    at.toISOString(),
  );
}

export const balanceOf = async (db: Database, memberId: number) =>
  (await db.raw.get<{ balance: number }>('SELECT "balance" FROM "members" WHERE "id" = ?', [memberId]))!.balance;
