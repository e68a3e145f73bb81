import type { Db, DbTransaction } from "../db/types";

// stub: the lead's branch has the real job (it rearms a job that writes the access metafield and
// the perks discount). Every change to members-only rules calls it, so the merge only swaps this file.

export async function scheduleTierShopifySync(_db: Db | DbTransaction, _shop: string, _now: Date = new Date()) {}
