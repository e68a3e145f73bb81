import type { SqlExecutor, SqlValue } from "../db/types";
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
  db: SqlExecutor,
  shop: string,
  memberId: number,
  { limit = 25, olderThan, newerThan }: { limit?: number; olderThan?: number; newerThan?: number } = {},
): Promise<LedgerHistoryPage> {
  const backward = newerThan !== undefined && olderThan === undefined;
  const cursor = backward ? newerThan! : olderThan;
  const params: SqlValue[] = cursor === undefined ? [shop, memberId, limit + 1] : [shop, memberId, cursor, limit + 1];
  const rows = await db.all<LedgerEntryRow>(
    `SELECT * FROM "ledger_entries" WHERE "shop" = ? AND "member_id" = ?${cursor === undefined ? "" : ` AND "id" ${backward ? ">" : "<"} ?`}
     ORDER BY "id" ${backward ? "ASC" : "DESC"} LIMIT ?`,
    params,
  );
  const page = newestFirstPage(rows, limit, { backward, fromCursor: cursor !== undefined });
  return { entries: page.items, olderThanId: page.olderThanId, newerThanId: page.newerThanId };
}
