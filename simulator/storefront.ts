import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { appInstallationId, jsonValueOf, SIMULATED_APP_ID } from "./admin-resolvers";
import type { AppConfigFile } from "./app-config";
import { proxyUrlFor, signedAppProxyUrl } from "./app-proxy";
import type { SimulatedStore } from "./store";
import { ASSET_PATH, EXTENSION_DIR, liquidCustomer, renderStorefrontPage, type LiquidApp, type LiquidMetafields } from "./theme-renderer";
import type { SimCustomer, SimShop } from "./types";

export interface StorefrontOptions {
  store: SimulatedStore;
  appConfig: AppConfigFile;
  appUrl: string;
  apiSecret: string;
}

/** A storefront cart, as far as the simulator models one: the discount codes `/discount/<code>` put on it. */
export interface SimCart {
  shop: string;
  discountCodes: string[];
  /** Cart attributes set with `POST /cart/update.js { attributes }` (the order carries them). */
  attributes?: Record<string, string>;
}

export const storefrontPath = (shop: string, customerId?: number) => `/store/${shop}${customerId === undefined ? "" : `?customer=${customerId}`}`;

const STOREFRONT = /^\/store\/([^/]+)\/?$/;
const DISCOUNT = /^\/store\/([^/]+)\/discount\/([^/]+)$/;
const CART_UPDATE = /^\/store\/([^/]+)\/cart\/update\.js$/;
const THEME_LINKS = /^\/store\/([^/]+)\/(cart|account\/login|account\/register)$/;
/** The app proxy under a shop's storefront path, and at the origin's root as the widget calls it (`/apps/loyalty/...`). */
const SHOP_APP_PROXY = /^\/store\/([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/;
const ROOT_APP_PROXY = /^\/([^/]+)\/([^/]+)(\/.*)?$/;
const ASSET = new RegExp(`^${ASSET_PATH.replace(/\//g, "\\/")}([A-Za-z0-9._-]+)$`);

const escapeHtml = (value: unknown) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Cookie names per shop: every simulated shop shares the simulator's origin, a real one has its own domain. */
const cookieName = (kind: "customer" | "cart", shop: string) => `storefront_${kind}_${shop.replace(/[^A-Za-z0-9-]/g, "_")}`;

function readCookie(request: http.IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const customerName = (customer: SimCustomer) => [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || `#${customer.id}`;

/**
 * The customer as the theme's Liquid sees them: their metafields, with the app's own
 * (`app--<app id>--<ns>`, what `$app:<ns>` resolves to in metafieldsSet) also under `$app:<ns>`,
 * as a theme app extension reads them.
 */
export function customerAsLiquidSeesIt(shop: SimShop, customer: SimCustomer) {
  const appPrefix = `app--${SIMULATED_APP_ID}--`;
  const ownerId = `gid://shopify/Customer/${customer.id}`;
  const metafields: LiquidMetafields = {};
  for (const metafield of shop.metafields.filter((candidate) => candidate.ownerId === ownerId)) {
    const field = { type: metafield.type, value: jsonValueOf(metafield.type, metafield.value) };
    const namespaces = [metafield.namespace];
    if (metafield.namespace.startsWith(appPrefix)) namespaces.push(`$app:${metafield.namespace.slice(appPrefix.length)}`);
    for (const namespace of namespaces) (metafields[namespace] ??= {})[metafield.key] = field;
  }
  return liquidCustomer({ id: customer.id, firstName: customer.firstName, email: customer.email, metafields });
}

/** The app as Liquid sees it: the app-data metafields the app set on its installation (`metafieldsSet` with the currentAppInstallation id). */
export function appAsLiquidSeesIt(shop: SimShop): LiquidApp {
  const ownerId = appInstallationId(shop);
  const metafields: LiquidMetafields = {};
  for (const metafield of shop.metafields.filter((candidate) => candidate.ownerId === ownerId)) {
    (metafields[metafield.namespace] ??= {})[metafield.key] = { type: metafield.type, value: jsonValueOf(metafield.type, metafield.value) };
  }
  return { metafields };
}

/**
 * The shop's storefront: a page rendered from the theme app extension's real Liquid (the app's
 * rewards section and launcher embed) for a guest or a signed-in customer, the extension's
 * assets at the URLs `asset_url` gives, the app proxy (`/apps/loyalty/...` signed as Shopify
 * signs it, with the signed-in customer), and `/discount/<code>` putting a code on the cart.
 * `handle` answers true when it served the request.
 */
export function createStorefront(options: StorefrontOptions) {
  const { store, appConfig, appUrl, apiSecret } = options;
  const carts = new Map<string, SimCart>();

  const signedInCustomer = (request: http.IncomingMessage, shop: SimShop) => {
    const id = readCookie(request, cookieName("customer", shop.domain));
    return id && /^\d+$/.test(id) ? shop.customers.get(Number(id)) : undefined;
  };
  const cartOf = (request: http.IncomingMessage, shop: SimShop) => {
    const token = readCookie(request, cookieName("cart", shop.domain));
    const cart = token ? carts.get(token) : undefined;
    return cart && cart.shop === shop.domain ? { token: token!, cart } : undefined;
  };

  const page = async (shop: SimShop, customer: SimCustomer | undefined, cart: SimCart | undefined) => {
    const root = `/store/${shop.domain}/`;
    const choose = [...shop.customers.values()]
      .map((c) => `<li><a href="${storefrontPath(shop.domain, c.id)}">${escapeHtml(customerName(c))}</a> ${escapeHtml(c.email)}</li>`)
      .join("");
    const codes = cart?.discountCodes ?? [];
    const cartLine = codes.length
      ? `<p data-cart-discount-codes>Cart: discount code ${codes.map((code) => `<code data-cart-discount-code>${escapeHtml(code)}</code>`).join(", ")} applied</p>`
      : `<p data-cart-discount-codes>Cart: no discount code</p>`;
    const attributes = Object.entries(cart?.attributes ?? {});
    const attributeLine = attributes.length
      ? `<p data-cart-attributes>Cart attributes: ${attributes.map(([key, value]) => `<code data-cart-attribute="${escapeHtml(key)}">${escapeHtml(key)}=${escapeHtml(value)}</code>`).join(", ")}</p>`
      : "";
    const signedIn = customer
      ? `<p>Signed in as <strong>${escapeHtml(customerName(customer))}</strong> · <a href="?customer=">sign out</a></p>`
      : `<p>Browsing as a guest. Choose a customer below to shop as them.</p>`;
    return renderStorefrontPage({
      customer: customer ? customerAsLiquidSeesIt(shop, customer) : null,
      app: appAsLiquidSeesIt(shop),
      rootUrl: root,
      title: `${escapeHtml(shop.name)} · Storefront`,
      header: `<a href="${root}">${escapeHtml(shop.name)}</a> · simulated storefront · <a href="/admin/${shop.domain}/apps/loyalty">Admin</a> · <a href="/controls/${shop.domain}">Controls</a>`,
      main: `<h1>${escapeHtml(shop.name)}</h1>\n${signedIn}\n${cartLine}${attributeLine}\n<section id="shop-as"><h2>Shop as</h2><ul>${choose || "<li>No customers yet.</li>"}</ul></section>`,
    });
  };

  const forwardAppProxy = async (request: http.IncomingMessage, response: http.ServerResponse, shop: SimShop, subpath: string, url: URL) => {
    const proxy = appConfig.appProxy!;
    const body = request.method === "POST" ? new Uint8Array(await readBody(request)) : undefined;
    const target = signedAppProxyUrl({
      proxyUrl: proxyUrlFor(appUrl, proxy.url),
      apiSecret,
      shop: shop.domain,
      path: subpath,
      query: [...url.searchParams],
      loggedInCustomerId: signedInCustomer(request, shop)?.id ?? null,
      pathPrefix: `/${proxy.prefix}/${proxy.subpath}`,
    });
    const headers: Record<string, string> = { Accept: request.headers.accept ?? "*/*" };
    // Shopify passes on the visitor's language and address.
    if (request.headers["accept-language"]) headers["Accept-Language"] = String(request.headers["accept-language"]);
    headers["X-Forwarded-For"] = request.socket.remoteAddress ?? "127.0.0.1";
    if (request.headers["content-type"]) headers["Content-Type"] = request.headers["content-type"];
    const answer = await fetch(target, { method: request.method, headers, body, redirect: "manual" });
    const forwarded: Record<string, string> = { "Content-Type": answer.headers.get("content-type") ?? "text/plain", "Cache-Control": "no-store" };
    const location = answer.headers.get("location");
    if (location) forwarded.Location = location;
    response.writeHead(answer.status, forwarded);
    response.end(Buffer.from(await answer.arrayBuffer()));
  };

  /** The shop a root-level `/apps/...` request belongs to: the storefront page that made it (Referer), or the only shop. */
  const shopOfRootRequest = (request: http.IncomingMessage): SimShop | undefined => {
    const referer = request.headers.referer;
    const match = referer ? /^\/store\/([^/?#]+)/.exec(new URL(referer, "http://simulator").pathname) : null;
    if (match) return store.findShop(decodeURIComponent(match[1]));
    const shops = store.listShops();
    return shops.length === 1 ? shops[0] : undefined;
  };

  const text = (response: http.ServerResponse, status: number, message: string) => {
    response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
    response.end(message);
  };

  return {
    async handle(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<boolean> {
      const method = request.method ?? "GET";
      const shopOf = (domain: string) => store.findShop(decodeURIComponent(domain));
      const proxy = appConfig.appProxy;
      let match: RegExpExecArray | null;

      if (method === "GET" && (match = ASSET.exec(url.pathname))) {
        const file = path.join(EXTENSION_DIR, "assets", match[1]);
        if (!fs.existsSync(file)) return false;
        const type = file.endsWith(".css") ? "text/css" : file.endsWith(".js") ? "text/javascript" : "application/octet-stream";
        response.writeHead(200, { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "no-cache" });
        response.end(fs.readFileSync(file));
        return true;
      }
      if (method === "GET" && (match = STOREFRONT.exec(url.pathname))) {
        const shop = shopOf(match[1]);
        if (!shop) return false;
        const chosen = url.searchParams.get("customer");
        if (chosen !== null) {
          // Signing in is choosing a customer: the cookie plays the storefront's customer session.
          const valid = /^\d+$/.test(chosen) && shop.customers.has(Number(chosen));
          const name = cookieName("customer", shop.domain);
          const cookie = valid ? `${name}=${chosen}; Path=/; HttpOnly; SameSite=Lax` : `${name}=; Path=/; Max-Age=0`;
          response.writeHead(303, { Location: storefrontPath(shop.domain), "Set-Cookie": cookie });
          response.end();
          return true;
        }
        const html = await page(shop, signedInCustomer(request, shop), cartOf(request, shop)?.cart);
        response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
        response.end(html);
        return true;
      }
      if (method === "GET" && (match = DISCOUNT.exec(url.pathname))) {
        const shop = shopOf(match[1]);
        if (!shop) return false;
        // Shopify keeps the code on the cart (creating one if needed), then redirects.
        const code = decodeURIComponent(match[2]);
        const existing = cartOf(request, shop);
        const token = existing?.token ?? randomBytes(12).toString("hex");
        const cart = existing?.cart ?? { shop: shop.domain, discountCodes: [] };
        if (!cart.discountCodes.includes(code)) cart.discountCodes.push(code);
        carts.set(token, cart);
        const redirect = url.searchParams.get("redirect");
        // Only a path on this storefront: never an open redirect.
        const location = redirect && redirect.startsWith("/") && !redirect.startsWith("//") ? redirect : storefrontPath(shop.domain);
        response.writeHead(302, { Location: location, "Set-Cookie": `${cookieName("cart", shop.domain)}=${token}; Path=/; HttpOnly; SameSite=Lax` });
        response.end();
        return true;
      }
      if (method === "POST" && (match = CART_UPDATE.exec(url.pathname))) {
        const shop = shopOf(match[1]);
        if (!shop) return false;
        // Shopify's AJAX cart: { attributes } merged into the cart's (an empty value removes one).
        let input: { attributes?: Record<string, unknown> };
        try {
          input = JSON.parse((await readBody(request)).toString("utf8") || "{}");
        } catch {
          text(response, 400, "send JSON");
          return true;
        }
        const existing = cartOf(request, shop);
        const token = existing?.token ?? randomBytes(12).toString("hex");
        const cart = existing?.cart ?? { shop: shop.domain, discountCodes: [] };
        const attributes = { ...cart.attributes };
        for (const [key, value] of Object.entries(input.attributes ?? {})) {
          if (value === "" || value === null) delete attributes[key];
          else attributes[key] = String(value);
        }
        cart.attributes = attributes;
        carts.set(token, cart);
        response.writeHead(200, {
          "Content-Type": "application/json; charset=utf-8",
          "Set-Cookie": `${cookieName("cart", shop.domain)}=${token}; Path=/; HttpOnly; SameSite=Lax`,
        });
        response.end(JSON.stringify({ token, attributes, discount_codes: cart.discountCodes.map((code) => ({ code })) }));
        return true;
      }
      if (method === "GET" && (match = THEME_LINKS.exec(url.pathname))) {
        const shop = shopOf(match[1]);
        if (!shop) return false;
        // The cart and account pages are the storefront itself here: its "Shop as" list signs in.
        response.writeHead(303, { Location: `${storefrontPath(shop.domain)}${match[2] === "cart" ? "" : "#shop-as"}` });
        response.end();
        return true;
      }
      if (method !== "GET" && method !== "POST") return false;
      if ((match = SHOP_APP_PROXY.exec(url.pathname))) {
        const shop = shopOf(match[1]);
        if (!shop) return false;
        if (!proxy || match[2] !== proxy.prefix || match[3] !== proxy.subpath) return false;
        await forwardAppProxy(request, response, shop, match[4] ?? "", url);
        return true;
      }
      if (proxy && (match = ROOT_APP_PROXY.exec(url.pathname)) && match[1] === proxy.prefix && match[2] === proxy.subpath) {
        const shop = shopOfRootRequest(request);
        if (!shop) {
          text(response, 400, `${url.pathname}: open it from a storefront page (/store/<shop>), which names the shop in its Referer`);
          return true;
        }
        await forwardAppProxy(request, response, shop, match[3] ?? "", url);
        return true;
      }
      return false;
    },
  };
}
