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
