import type { Db } from "../db/types";
import { readUnsubscribeToken } from "../domain/member-messages";
import { memberForUnsubscribe, unsubscribeMember } from "../models/unsubscribes.server";
import { unsubscribeLanguage, unsubscribePage, type UnsubscribePageKind } from "./unsubscribe-page";

// The public unsubscribe link (UNSUBSCRIBE_PATH): GET asks, with a button; POST unsubscribes,
// whether from that button or from a mail client's one-click POST (RFC 8058: the body is
// "List-Unsubscribe=One-Click", no cookies, no page shown). The token names the shop and member,
// signed with the app's secret; a link that is not valid changes nothing and says so (400).

export interface UnsubscribeRequest {
  method: string;
  /** The request's path and query, as it arrived ("/messages/unsubscribe?token=..."). */
  url: string;
  acceptLanguage?: string;
}

export interface UnsubscribeAnswer {
  status: number;
  headers: Record<string, string>;
  html: string;
}

export interface UnsubscribeDeps {
  db: Db;
  /** The app's API secrets: the current one first, the previous while rotating. */
  secrets: readonly string[];
  now?: () => Date;
}

const PAGE_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  // The token is in the URL: no Referer carries it elsewhere.
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

/** The sender's display name ("Demo Tea House <rewards@...>"), else the shop's handle in words ("demo-tea-house" → "Demo Tea House"). */
const shopNameOf = (shop: string, sender: string | null | undefined) =>
  /^\s*"?([^"<]+?)"?\s*</.exec(sender ?? "")?.[1] ??
  shop
    .replace(/\.myshopify\.com$/, "")
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");

export async function answerUnsubscribe(request: UnsubscribeRequest, deps: UnsubscribeDeps): Promise<UnsubscribeAnswer> {
  const page = (status: number, kind: UnsubscribePageKind, language: ReturnType<typeof unsubscribeLanguage>, shopName = "", action = "") => ({
    status,
    headers: PAGE_HEADERS,
    html: unsubscribePage(kind, language, shopName, action),
  });
  const method = request.method.toUpperCase();
  if (method !== "GET" && method !== "HEAD" && method !== "POST") {
    return { ...page(405, "invalid", unsubscribeLanguage(request.acceptLanguage)), headers: { ...PAGE_HEADERS, Allow: "GET, HEAD, POST" } };
  }
  const url = new URL(request.url, "http://localhost");
  const token = url.searchParams.get("token") ?? "";
  const read =
    deps.secrets.map((secret) => readUnsubscribeToken(secret, token)).find((result) => result.ok) ?? readUnsubscribeToken(deps.secrets[0] ?? "", token);
  if (!read.ok) return page(400, "invalid", unsubscribeLanguage(request.acceptLanguage));
  const member = await memberForUnsubscribe(deps.db, read.shop, read.memberId);
  const language = unsubscribeLanguage(member?.locale, request.acceptLanguage);
  const shopName = shopNameOf(read.shop, member?.sender_email);
  // Signed by us, but the member is gone (the shop's data erased): nothing to send them, so nothing to stop.
  if (!member || member.redacted_at) return page(200, "done", language, shopName);
  if (method === "POST") {
    await unsubscribeMember(deps.db, read.shop, read.memberId, (deps.now?.() ?? new Date()).toISOString());
    return page(200, "done", language, shopName);
  }
  if (member.unsubscribed_at) return page(200, "done", language, shopName);
  return page(200, "question", language, shopName, `${url.pathname}${url.search}`);
}
