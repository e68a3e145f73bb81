import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/types";
import { API_KEY_PREFIX_LENGTH, API_KEY_SECRET_LENGTH, apiKeyText, parseBearerKey, validateApiKeyName } from "../domain/api-keys";
import type { StaffActor } from "./adjustments.server";

// Per-shop keys for POST /api/v1/awards. The full key is shown once, when it is made; the
// database keeps only the SHA-256 of its secret, so a leaked database leaks no usable key.

export const hashApiSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** A key as the admin lists it (never the secret). */
export interface ApiKeyListing {
  id: number;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export async function listApiKeys(db: Db, shop: string): Promise<ApiKeyListing[]> {
  const rows = await db.query
    .selectFrom("api_keys")
    .select(["id", "name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at", "revoked_by"])
    .where("shop", "=", shop)
    .orderBy("id", "desc")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  }));
}

export type CreatedApiKey = { ok: true; id: number; name: string; prefix: string; key: string } | { ok: false; reason: "invalid_name"; message: string };

/** Makes a key; `key` is the only time the full secret exists outside the caller's copy. */
export async function createApiKey(db: Db, shop: string, name: string, actor: StaffActor, now: string): Promise<CreatedApiKey> {
  const valid = validateApiKeyName(name);
  if (!valid.ok) return valid;
  const prefix = randomBytes(API_KEY_PREFIX_LENGTH / 2).toString("hex");
  const secret = randomBytes(API_KEY_SECRET_LENGTH / 2).toString("hex");
  const row = await db.query
    .insertInto("api_keys")
    .values({ shop, name: valid.name, prefix, secret_hash: hashApiSecret(secret), created_by: actor.name, created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ok: true, id: row.id, name: valid.name, prefix, key: apiKeyText(prefix, secret) };
}

/** Revokes one of the shop's keys, recording who and when; false when the shop has no such key or it was already revoked. */
export async function revokeApiKey(db: Db, shop: string, id: number, actor: StaffActor, now: string): Promise<boolean> {
  const result = await db.query
    .updateTable("api_keys")
    .set({ revoked_at: now, revoked_by: actor.name })
    .where("shop", "=", shop)
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type KeyAuthentication =
  { ok: true; keyId: number; keyName: string; shop: string } | { ok: false; reason: "missing_key" | "malformed_key" | "unknown_key" | "revoked_key" };

/** The shop an Authorization header's key belongs to; the key's last use is recorded. */
export async function authenticateApiKey(db: Db, authorization: string | null, now: string): Promise<KeyAuthentication> {
  const bearer = parseBearerKey(authorization);
  if (!bearer.ok) return bearer;
  // The hash is unique: finding it is comparing it. The prefix must match too.
  const row = await db.query
    .selectFrom("api_keys")
    .select(["id", "shop", "name", "prefix", "revoked_at"])
    .where("secret_hash", "=", hashApiSecret(bearer.secret))
    .executeTakeFirst();
  if (!row || row.prefix !== bearer.prefix) return { ok: false, reason: "unknown_key" };
  if (row.revoked_at !== null) return { ok: false, reason: "revoked_key" };
  await db.query.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", row.id).execute();
  return { ok: true, keyId: row.id, keyName: row.name, shop: row.shop };
}
