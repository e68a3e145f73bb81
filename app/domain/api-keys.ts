// The shape of the server-to-server API keys: `lyl_<prefix>_<secret>`. The prefix tells keys
// apart in the admin; only a hash of the secret is stored (app/models/api-keys.server.ts).

/** Hex characters of the prefix and of the secret (the secret carries 192 random bits). */
export const API_KEY_PREFIX_LENGTH = 8;
export const API_KEY_SECRET_LENGTH = 48;
export const MAX_API_KEY_NAME_LENGTH = 100;

const KEY = new RegExp(`^lyl_([0-9a-f]{${API_KEY_PREFIX_LENGTH}})_([0-9a-f]{${API_KEY_SECRET_LENGTH}})$`);

/** The full key as the merchant copies it. @example apiKeyText("1a2b3c4d", "9f...") // "lyl_1a2b3c4d_9f..." */
export const apiKeyText = (prefix: string, secret: string) => `lyl_${prefix}_${secret}`;

export type BearerKey = { ok: true; prefix: string; secret: string } | { ok: false; reason: "missing_key" | "malformed_key" };

/**
 * Reads `Authorization: Bearer lyl_<prefix>_<secret>`.
 *
 * @example parseBearerKey("Bearer lyl_1a2b3c4d_" + "0".repeat(48)) // { ok: true, prefix: "1a2b3c4d", secret: "000..." }
 */
export function parseBearerKey(header: string | null | undefined): BearerKey {
  const value = header?.trim();
  if (!value) return { ok: false, reason: "missing_key" };
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  const key = match ? KEY.exec(match[1]) : null;
  if (!key) return { ok: false, reason: "malformed_key" };
  return { ok: true, prefix: key[1], secret: key[2] };
}

/** The name a merchant gives a key ("Judge.me"), or why it cannot be used. */
export function validateApiKeyName(name: string): { ok: true; name: string } | { ok: false; reason: "invalid_name"; message: string } {
  const trimmed = name.trim();
  if (!trimmed) return { ok: false, reason: "invalid_name", message: "Name the key after what will use it, like Judge.me or Our ERP." };
  if (trimmed.length > MAX_API_KEY_NAME_LENGTH)
    return { ok: false, reason: "invalid_name", message: `Keep the name under ${MAX_API_KEY_NAME_LENGTH} characters.` };
  return { ok: true, name: trimmed };
}
