import type { Db } from "../db/types";
import { newestFirstPage } from "../domain/pagination";
import type { LedgerEntryRow } from "./ledger.server";

export interface LedgerHistoryPage {
  /** Newest first. */
  entries: LedgerEntryRow[];
  /** Cursor for older entries ("Next"), or null on the last page. */
  olderThanId: number | null;
  /** Cursor for newer entries ("Previous"), or null on the first page. */
  newerThanId: number | null;
}

/**
 * One page of a member's ledger, newest first, by keyset on the entry id: `olderThan` pages
 * forward, `newerThan` pages back. Scoped by shop, so another shop's member shows nothing.
 */
export async function ledgerHistoryPage(
  db: Db,
  shop: string,
  memberId: number,
  { limit = 25, olderThan, newerThan }: { limit?: number; olderThan?: number; newerThan?: number } = {},
): Promise<LedgerHistoryPage> {
  const backward = newerThan !== undefined && olderThan === undefined;
  const cursor = backward ? newerThan! : olderThan;
  let query = db.query.selectFrom("ledger_entries").selectAll().where("shop", "=", shop).where("member_id", "=", memberId);
  if (cursor !== undefined) query = query.where("id", backward ? ">" : "<", cursor);
  const rows = await query
    .orderBy("id", backward ? "asc" : "desc")
    .limit(limit + 1)
    .execute();
  const page = newestFirstPage(rows, limit, { backward, fromCursor: cursor !== undefined });
  return { entries: page.items, olderThanId: page.olderThanId, newerThanId: page.newerThanId };
}
