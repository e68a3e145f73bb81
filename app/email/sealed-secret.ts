import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// The merchant's SMTP URL carries their password, so it is kept sealed: AES-256-GCM under a key
// derived (HKDF-SHA256) from the app's API secret. Sealed text is "v1.<iv>.<ciphertext>.<tag>" in
// base64url; a sealed value that was tampered with, or sealed under another secret, opens to null.

const VERSION = "v1";
const IV_BYTES = 12;

const keyFrom = (appSecret: string) => Buffer.from(hkdfSync("sha256", appSecret, "loyalty-app", "smtp-url-v1", 32));

export function sealSecret(appSecret: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(appSecret), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** Opens a sealed value with the first of the app's secrets that sealed it (the current one, or the previous while rotating). */
export function unsealSecret(appSecrets: readonly string[], sealed: string): string | null {
  const [version, iv, ciphertext, tag, ...rest] = sealed.split(".");
  if (version !== VERSION || !iv || ciphertext === undefined || !tag || rest.length > 0) return null;
  for (const secret of appSecrets) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", keyFrom(secret), Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      // Not sealed under this secret (or altered): try the next.
    }
  }
  return null;
}
