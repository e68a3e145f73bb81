import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Shopify signs the raw body with the app's secret: base64(HMAC-SHA256(secret, body)). Checks
 * X-Shopify-Hmac-Sha256 in constant time against any of the app's secrets (old and new while rotating).
 */
export function isValidWebhookSignature(secrets: readonly string[], rawBody: Buffer, header: string): boolean {
  const given = Buffer.from(header, "base64");
  if (given.length !== 32) return false;
  return secrets.some((secret) => timingSafeEqual(createHmac("sha256", secret).update(rawBody).digest(), given));
}
