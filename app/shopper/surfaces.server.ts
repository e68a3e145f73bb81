import type { Db } from "../db/types";
import type { Refused } from "../domain/result";
import { installedShopCurrency } from "../models/shops.server";
import { verifyAppProxyRequest } from "./app-proxy-signature.server";
import type { SessionTokenVerifier } from "./session-token.server";

// One authorisation step per shopper surface. Each establishes who is asking (a logged-in
// customer of a shop) in its own way, from the request alone; whether the shop has the app
// installed is read with what the endpoint reads (installedShopper, or a read's own statement).

/** A logged-in customer of a shop, as an authenticated surface has established. */
export interface ShopperIdentity {
  shop: string;
  customerId: string;
}

/** A logged-in shopper of an installed shop. */
export interface Shopper extends ShopperIdentity {
  /** The shop's currency, read once per request. */
  currencyCode: string;
}

export type ShopperSurface = "app_proxy" | "checkout" | "customer_account";

/** What a shopper request carries that the surfaces check. */
export interface SignedRequest {
  url: URL;
  header(name: string): string | undefined;
}

export type Authentication = { ok: true; identity: ShopperIdentity } | Refused<"unauthorized" | "bad_request", { message: string }> | Refused<"not_logged_in">;

export type Authorisation = { ok: true; shopper: Shopper } | Refused<"not_installed">;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d+)$/;

/** The identity's shop has the app installed: one indexed read of its row. */
export async function installedShopper(db: Db, identity: ShopperIdentity): Promise<Authorisation> {
  const currencyCode = await installedShopCurrency(db, identity.shop);
  if (currencyCode === null) return { ok: false, reason: "not_installed" };
  return { ok: true, shopper: { ...identity, currencyCode } };
}

/** The storefront through Shopify's app proxy: the query's hex HMAC signature, then logged_in_customer_id. */
export function authenticateAppProxy(request: SignedRequest, deps: { secrets: readonly string[] }): Authentication {
  const auth = verifyAppProxyRequest(request.url, deps.secrets);
  if (!auth.ok) return { ok: false, reason: auth.status === 401 ? "unauthorized" : "bad_request", message: auth.error };
  if (!auth.customerId) return { ok: false, reason: "not_logged_in" };
  return { ok: true, identity: { shop: auth.shop, customerId: auth.customerId } };
}

/** A storefront visitor through the app proxy, signed in or a guest (the referral claim): the signature, then the shop. */
export function authenticateAppProxyVisitor(
  request: SignedRequest,
  deps: { secrets: readonly string[] },
): { ok: true; shop: string; customerId: string | null } | Refused<"unauthorized" | "bad_request", { message: string }> {
  const auth = verifyAppProxyRequest(request.url, deps.secrets);
  if (!auth.ok) return { ok: false, reason: auth.status === 401 ? "unauthorized" : "bad_request", message: auth.error };
  return { ok: true, shop: auth.shop, customerId: auth.customerId };
}

/** Checkout and customer account UI extensions: the session token as Bearer, `dest` the shop, `sub` the customer. */
export function authenticateExtension(request: SignedRequest, deps: { verifySessionToken: SessionTokenVerifier }): Authentication {
  const token = /^Bearer (.+)$/.exec(request.header("authorization") ?? "")?.[1];
  const claims = token ? deps.verifySessionToken(token) : null;
  if (!claims) return { ok: false, reason: "unauthorized", message: "missing or invalid session token" };
  const shop = claims.dest.replace(/^https:\/\//, "");
  if (!SHOP_DOMAIN.test(shop)) return { ok: false, reason: "unauthorized", message: "the session token names no shop" };
  if (!claims.sub) return { ok: false, reason: "not_logged_in" };
  const customer = CUSTOMER_GID.exec(claims.sub);
  if (!customer) return { ok: false, reason: "unauthorized", message: "the session token names no customer" };
  return { ok: true, identity: { shop, customerId: customer[1] } };
}
