import { parseIdCursor } from "../domain/pagination";

/** The 404 an admin page answers for a record the shop does not have (another shop's among them). */
export const notFoundResponse = (what: string) => new Response(`No such ${what} in this store.`, { status: 404 });

/**
 * An admin record page's `$id`: "new", or the id of a record; anything else is a 404 naming the
 * record (whether the shop has it is the loader's to check).
 *
 * @example newOrRecordId(params.id, "campaign") // "new" | 12
 */
export function newOrRecordId(param: string | undefined, what: string): "new" | number {
  if (param === "new") return "new";
  const id = parseIdCursor(param);
  if (id === undefined) throw notFoundResponse(what);
  return id;
}
