import { unsubscribeToken } from "../domain/member-messages";

/** The signed one-click unsubscribe link of a member, on the app's own URL. */
export function unsubscribeUrl(appUrl: string, secret: string, shop: string, memberId: number): string {
  const url = new URL("/messages/unsubscribe", appUrl);
  url.searchParams.set("token", unsubscribeToken(secret, shop, memberId));
  return url.toString();
}
