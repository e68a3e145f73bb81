import { createHash } from "node:crypto";
import type { Database, Db } from "../db/types";
import { API_ACTION_KINDS, AWARD_REFUSALS, awardRefusal, canonicalAwardRequest, parseAwardRequest, type AwardRefusal } from "../domain/action-awards";
import type { RateLimiter } from "../domain/rate-limit";
import { awardActionToMember, findMemberForAward } from "./action-awards.server";
import { authenticateApiKey } from "./api-keys.server";
import { loadShopContext } from "./shops.server";

// POST /api/v1/awards, whole: the key names the shop, the limiter keeps one key to its rate,
// api_calls keeps one answer per idempotency key, and the award itself is action-awards.server's.

/** What the route sends: a status, a JSON body and any headers beyond Content-Type. */
export interface ApiAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const MAX_AWARD_BODY_BYTES = 16 * 1024;
/** Requests per key per minute. */
export const AWARD_API_RATE = { limit: 60, windowMs: 60_000 };

const refusalAnswer = (refusal: AwardRefusal, headers?: Record<string, string>): ApiAnswer => ({
  status: AWARD_REFUSALS[refusal.reason].status,
  body: refusal,
  ...(headers ? { headers } : {}),
});

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export interface AwardApiRequest {
  method: string;
  authorization: string | null;
  body: () => Promise<string>;
}

class RolledBack extends Error {
  constructor(readonly answer: ApiAnswer) {
    super("refused");
  }
}

async function storedCall(db: Db, shop: string, idempotencyKey: string) {
  return db.query
    .selectFrom("api_calls")
    .select(["request_hash", "status", "response"])
    .where("shop", "=", shop)
    .where("idempotency_key", "=", idempotencyKey)
    .executeTakeFirst();
}

/**
 * Answers one call. A call that awarded (or recorded a dry run) is kept under its idempotency
 * key, and the same body sent again gets the same answer with 200; a refused call is not kept,
 * so it may be sent again once its cause is fixed (a customer not yet synced, a rule turned on).
 */
export async function answerAwardCall(
  { db, limiter }: { db: Database; limiter: RateLimiter },
  request: AwardApiRequest,
  now: Date = new Date(),
): Promise<ApiAnswer> {
  if (request.method !== "POST") return refusalAnswer(awardRefusal("method_not_allowed"), { Allow: "POST" });
  const at = now.toISOString();
  const key = await authenticateApiKey(db, request.authorization, at);
  if (!key.ok) return refusalAnswer(awardRefusal(key.reason), { "WWW-Authenticate": 'Bearer realm="awards"' });
  const rate = limiter.take(`api_key:${key.keyId}`, now.getTime());
  if (!rate.ok) {
    return refusalAnswer(awardRefusal("rate_limited", `Too many requests with this key; retry in ${rate.retryAfterSeconds} s.`), {
      "Retry-After": String(rate.retryAfterSeconds),
    });
  }

  const text = await request.body();
  if (Buffer.byteLength(text) > MAX_AWARD_BODY_BYTES) return refusalAnswer(awardRefusal("payload_too_large"));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refusalAnswer(awardRefusal("bad_json"));
  }
  const parsed = parseAwardRequest(json);
  if (!parsed.ok) return refusalAnswer(parsed);
  const award = parsed.request;
  const requestHash = sha256(canonicalAwardRequest(award));

  const shop = await loadShopContext(db, key.shop, { now });
  if (!shop.installed) return refusalAnswer(awardRefusal("not_installed"));

  const replay = (stored: { request_hash: string; status: number; response: string }): ApiAnswer =>
    stored.request_hash === requestHash
      ? { status: 200, body: { ...(JSON.parse(stored.response) as object), replayed: true } }
      : refusalAnswer(
          awardRefusal("idempotency_conflict", `Idempotency key "${award.idempotencyKey}" was already used with a different request; use a new key.`),
        );

  try {
    return await db.transaction(async (tx) => {
      // The call's row is claimed first: a concurrent call with the same key waits on it (PostgreSQL)
      // or after it (SQLite's single writer), then finds it and answers as a repeat.
      const claimed = await tx.query
        .insertInto("api_calls")
        .values({
          shop: shop.domain,
          api_key_id: key.keyId,
          idempotency_key: award.idempotencyKey,
          request_hash: requestHash,
          status: 0,
          response: "",
          created_at: at,
        })
        .onConflict((conflict) => conflict.columns(["shop", "idempotency_key"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!claimed) return replay((await storedCall(tx, shop.domain, award.idempotencyKey))!);

      const refuse = (refusal: AwardRefusal): never => {
        throw new RolledBack(refusalAnswer(refusal));
      };
      const member = await findMemberForAward(tx, shop.domain, award.customer);
      if (!member.ok) return refuse(member);
      const awarded = await awardActionToMember(tx, shop, member.memberId, {
        ruleId: award.ruleId,
        key: award.idempotencyKey,
        photo: award.photo,
        // The ledger says which key awarded it, beside the caller's note.
        note: [`API key ${key.keyName}`, award.note].filter(Boolean).join(" · "),
        kinds: API_ACTION_KINDS,
        actor: { type: "system" },
        now: at,
      });
      if (!awarded.ok) return refuse(awarded);
      const body = awarded.dryRun
        ? { ok: true, dryRun: true, points: 0, wouldAward: awarded.wouldAward, balance: awarded.balance, sourceKey: awarded.sourceKey }
        : { ok: true, points: awarded.points, balance: awarded.balance, entryId: awarded.entryId, sourceKey: awarded.sourceKey };
      await tx.query
        .updateTable("api_calls")
        .set({ status: 201, response: JSON.stringify(body) })
        .where("shop", "=", shop.domain)
        .where("idempotency_key", "=", award.idempotencyKey)
        .execute();
      return { status: 201, body };
    });
  } catch (error) {
    // A refusal rolls the claim back with everything else: nothing of a refused call is kept.
    if (error instanceof RolledBack) return error.answer;
    throw error;
  }
}
