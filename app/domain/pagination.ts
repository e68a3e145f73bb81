/** Ids in this app are PostgreSQL `integer`s (SERIAL): a cursor outside that range is no cursor. */
const MAX_ID = 2_147_483_647;

/**
 * A keyset cursor from a query-string value, or undefined when absent or not a valid id.
 *
 * @example parseIdCursor("42") // 42
 * @example parseIdCursor("1e9") // undefined
 */
export function parseIdCursor(value: string | null | undefined): number | undefined {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= MAX_ID ? id : undefined;
}

/**
 * One page of a newest-first keyset query that fetched `limit + 1` rows: ordered by id
 * descending when paging to older rows, ascending when paging back to newer ones (`backward`).
 * Returns the page newest first and the cursors either side, null where there is nothing.
 */
export function newestFirstPage<T extends { id: number }>(
  rows: T[],
  limit: number,
  { backward, fromCursor }: { backward: boolean; fromCursor: boolean },
): { items: T[]; olderThanId: number | null; newerThanId: number | null } {
  const more = rows.length > limit;
  const items = backward ? rows.slice(0, limit).reverse() : rows.slice(0, limit);
  const first = items[0]?.id ?? null;
  const last = items[items.length - 1]?.id ?? null;
  return {
    items,
    // Having come from a cursor in one direction, there is always a page back the other way.
    olderThanId: (backward ? fromCursor : more) ? last : null,
    newerThanId: (backward ? more : fromCursor) ? first : null,
  };
}
