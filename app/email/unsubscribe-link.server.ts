import { readConfig, type AppConfig } from "../config.server";
import { unsubscribeToken } from "../domain/member-messages";

/** The public page a member's unsubscribe link opens (and RFC 8058's one-click POST reaches); answered in app/email/unsubscribe.server.ts. */
export const UNSUBSCRIBE_PATH = "/messages/unsubscribe";

/**
 * The member's signed unsubscribe link, for a message's body and its List-Unsubscribe header.
 *
 * @example unsubscribeUrl("demo-tea-house.myshopify.com", 42) // "https://app.example/messages/unsubscribe?token=WyJk...."
 */
export function unsubscribeUrl(shop: string, memberId: number, config: Pick<AppConfig, "appUrl" | "apiSecrets"> = readConfig()): string {
  const url = new URL(UNSUBSCRIBE_PATH, config.appUrl);
  url.searchParams.set("token", unsubscribeToken(config.apiSecrets[0]!, shop, memberId));
  return url.toString();
}
