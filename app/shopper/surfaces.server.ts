import type { Db } from "../db/types";
import type { Refused } from "../domain/result";
import { loadShopContext, type ShopContext } from "../models/shops.server";
import { verifyAppProxyRequest } from "./app-proxy-signature.server";
import type { SessionTokenVerifier } from "./session-token.server";

// One authorisation step per shopper surface. Each establishes who is asking (a logged-in
// customer of an installed shop) in its own way; the endpoints behind them are the same.

/** A logged-in shopper of an installed shop, as an authenticated surface has established. */
export interface Shopper {
  shop: string;
  customerId: string;
  /** The shop's program and currency, read once per request. */
  context: ShopContext;
}

export type ShopperSurface = "app_proxy" | "checkout" | "customer_account";

export type Authorisation =
  | { ok: true; shopper: Shopper }
  | Refused<"unauthorized" | "bad_request", { message: string }>
  | Refused<"not_logged_in" | "not_installed">;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d+)$/;

async function installedShopper(db: Db, shop: string, customerId: string): Promise<Authorisation> {
  const context = await loadShopContext(db, shop);
  if (!context.installed) return { ok: false, reason: "not_installed" };
  return { ok: true, shopper: { shop, customerId, context } };
}

/** The storefront through Shopify's app proxy: the query's hex HMAC signature, then logged_in_customer_id. */
export async function authoriseAppProxy(request: Request, deps: { db: Db; secrets: readonly string[] }): Promise<Authorisation> {
  const auth = verifyAppProxyRequest(new URL(request.url), deps.secrets);
  if (!auth.ok) return { ok: false, reason: auth.status === 401 ? "unauthorized" : "bad_request", message: auth.error };
  if (!auth.customerId) return { ok: false, reason: "not_logged_in" };
  return installedShopper(deps.db, auth.shop, auth.customerId);
}

/** Checkout and customer account UI extensions: the session token as Bearer, `dest` the shop, `sub` the customer. */
export async function authoriseExtension(request: Request, deps: { db: Db; verifySessionToken: SessionTokenVerifier }): Promise<Authorisation> {
  const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  const claims = token ? deps.verifySessionToken(token) : null;
  if (!claims) return { ok: false, reason: "unauthorized", message: "missing or invalid session token" };
  const shop = claims.dest.replace(/^https:\/\//, "");
  if (!SHOP_DOMAIN.test(shop)) return { ok: false, reason: "unauthorized", message: "the session token names no shop" };
  if (!claims.sub) return { ok: false, reason: "not_logged_in" };
  const customer = CUSTOMER_GID.exec(claims.sub);
  if (!customer) return { ok: false, reason: "unauthorized", message: "the session token names no customer" };
  return installedShopper(deps.db, shop, customer[1]);
}
