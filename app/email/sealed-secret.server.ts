import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// A secret the app keeps in its database but must read back (the merchant's SMTP URL holds a
// password): sealed with AES-256-GCM under a key derived from the app's API secret, so a copy of
// the database alone does not give it away, and a changed or swapped value fails to open.

const VERSION = "v1";

const keyOf = (appSecret: string) => createHash("sha256").update(`loyalty:sealed-secret:${appSecret}`).digest();

/** "v1.<iv>.<tag>.<ciphertext>", each base64url; a new random IV every time. */
export function sealSecret(appSecret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(appSecret), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/** The plaintext, or null when the value was not sealed by this app's secret or was changed. */
export function openSecret(appSecret: string, sealed: string): string | null {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined || rest.length > 0) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(appSecret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
