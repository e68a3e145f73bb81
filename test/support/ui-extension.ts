import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/** An extension's folder by its handle: `extensions/<handle>`. */
export const extensionRootOf = (handle: string) => path.resolve(__dirname, "../../extensions", handle);
export const extensionRoot = extensionRootOf("checkout-rewards");

/** The tunnel `shopify app dev` would give the extensions as APP_URL; the behaviour tests build for dev. */
export const DEV_APP_URL = "https://dev-tunnel.example.com";

export interface BuildOptions {
  /** What the CLI defines as process.env.NODE_ENV: "production" for build/deploy, "development" for dev. */
  environment?: "production" | "development";
  /** The environment variables the CLI would see (it defines process.env.NAME for each). */
  env?: Record<string, string>;
}

/**
 * One extension target bundled the way Shopify CLI bundles it: esbuild, ESM, Preact's JSX,
 * minified, each environment variable defined as process.env.NAME. By default as `shopify app
 * dev` does, with APP_URL its tunnel.
 */
export async function bundleTarget(module: string, root = extensionRoot, { environment = "development", env = { APP_URL: DEV_APP_URL } }: BuildOptions = {}) {
  const define = Object.fromEntries([["NODE_ENV", environment], ...Object.entries(env)].map(([name, value]) => [`process.env.${name}`, JSON.stringify(value)]));
  const result = await build({
    entryPoints: [path.join(root, module)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    define,
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].contents;
}

/** Imports a bundled target: its default export is what Shopify calls to render the extension. */
export async function importTarget(module: string, root = extensionRoot): Promise<() => Promise<void>> {
  // Inside the project: Vitest loads modules from the project's tree only.
  const dir = path.resolve(__dirname, "../../.cache/ui-extensions", path.basename(root));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${path.basename(module, path.extname(module))}.mjs`);
  fs.writeFileSync(file, await bundleTarget(module, root));
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)).default;
}

// ---------------------------------------------------------------------------------------------
// The smallest DOM Preact renders into: what checkout's and customer accounts' remote DOM offers an extension, enough
// to read the text a buyer would see and to click a button.

class MiniNode {
  childNodes: MiniNode[] = [];
  parentNode: MiniElement | null = null;
  constructor(readonly nodeType: number) {}
  get firstChild() {
    return this.childNodes[0] ?? null;
  }
  get nextSibling(): MiniNode | null {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  insertBefore(node: MiniNode, before: MiniNode | null) {
    node.parentNode?.removeChild(node);
    const at = before ? this.childNodes.indexOf(before) : -1;
    if (at < 0) this.childNodes.push(node);
    else this.childNodes.splice(at, 0, node);
    node.parentNode = this as unknown as MiniElement;
    return node;
  }
  appendChild(node: MiniNode) {
    return this.insertBefore(node, null);
  }
  removeChild(node: MiniNode) {
    this.childNodes = this.childNodes.filter((child) => child !== node);
    node.parentNode = null;
    return node;
  }
  remove() {
    this.parentNode?.removeChild(this);
  }
}

class MiniText extends MiniNode {
  constructor(public data: string) {
    super(3);
  }
}

export class MiniElement extends MiniNode {
  attributes: Record<string, string> = {};
  listeners: Record<string, Array<(event: unknown) => void>> = {};
  style: Record<string, string> = {};
  // Present so Preact names the events "click", "input" and "change", as it does for real elements.
  onclick = null;
  oninput = null;
  onchange = null;
  [property: string]: unknown;
  constructor(readonly localName: string) {
    super(1);
  }
  get nodeName() {
    return this.localName.toUpperCase();
  }
  setAttribute(name: string, value: unknown) {
    this.attributes[name] = String(value);
  }
  removeAttribute(name: string) {
    delete this.attributes[name];
  }
  getAttribute(name: string) {
    return this.attributes[name] ?? null;
  }
  addEventListener(type: string, listener: (event: unknown) => void) {
    (this.listeners[type] ??= []).push(listener);
  }
  removeEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners[type] = (this.listeners[type] ?? []).filter((l) => l !== listener);
  }
  click() {
    for (const listener of this.listeners.click ?? []) listener.call(this, { type: "click", target: this, currentTarget: this });
  }
  /** What a shopper typing into a field does: the value changes, then "input" and "change" fire. */
  type(value: string) {
    this.value = value;
    for (const type of ["input", "change"]) for (const listener of this.listeners[type] ?? []) listener.call(this, { type, target: this, currentTarget: this });
  }
  get textContent(): string {
    return this.childNodes.map((child) => (child instanceof MiniText ? child.data : (child as MiniElement).textContent)).join("");
  }
  /** Every element below this one with the tag, in document order. */
  all(tag: string): MiniElement[] {
    return this.childNodes.flatMap((child) => (child instanceof MiniElement ? [...(child.localName === tag ? [child] : []), ...child.all(tag)] : []));
  }
}

// Preact runs effects on the next animation frame (or after 100 ms without one).
globalThis.requestAnimationFrame ??= ((callback: FrameRequestCallback) => setTimeout(() => callback(Date.now()), 0)) as unknown as typeof requestAnimationFrame;
globalThis.cancelAnimationFrame ??= ((handle: unknown) => clearTimeout(handle as NodeJS.Timeout)) as unknown as typeof cancelAnimationFrame;

export function installMiniDocument() {
  const body = new MiniElement("body");
  const document = {
    body,
    createElement: (tag: string) => new MiniElement(tag),
    createElementNS: (_ns: string, tag: string) => new MiniElement(tag),
    createTextNode: (data: string) => new MiniText(String(data)),
  };
  (globalThis as Record<string, unknown>).document = document;
  return body;
}

// ---------------------------------------------------------------------------------------------
// A stand-in for the `shopify` global of checkout and customer account UI extensions (2025-10+).

const localesByRoot = new Map<string, Record<string, Record<string, unknown>>>();
function localesOf(root: string) {
  if (!localesByRoot.has(root)) {
    const dir = path.join(root, "locales");
    localesByRoot.set(
      root,
      Object.fromEntries(fs.readdirSync(dir).map((file) => [file.split(".")[0], JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"))])),
    );
  }
  return localesByRoot.get(root)!;
}
export const localeNamesOf = (root: string) => Object.keys(localesOf(root));
export const localeMessagesOf = (root: string, locale: string) => localesOf(root)[locale];
export const localeNames = localeNamesOf(extensionRoot);
export const localeMessages = (locale: string) => localeMessagesOf(extensionRoot, locale);

/** i18n.translate as Shopify documents it: dotted keys, {{name}} replacements, plural forms chosen by `count`. */
export function translator(locale: string, root = extensionRoot) {
  const rules = new Intl.PluralRules(locale);
  return (key: string, options: Record<string, unknown> = {}) => {
    let entry: unknown = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], localesOf(root)[locale]);
    if (entry && typeof entry === "object" && typeof options.count === "number") {
      const forms = entry as Record<string, string>;
      entry = (options.count === 0 ? forms.zero : undefined) ?? forms[rules.select(options.count)] ?? forms.other;
    }
    if (typeof entry !== "string") throw new Error(`missing translation ${locale}:${key}`);
    return entry.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(options[name] ?? ""));
  };
}

/**
 * Every key of the English strings missing in another locale, or missing a plural form that
 * locale's rules need (e.g. Arabic's zero/two/few/many), as "locale:key[.category]".
 */
export function missingTranslations(root: string) {
  const leaves = (node: Record<string, unknown>, prefix = ""): Array<[string, unknown]> =>
    Object.entries(node).flatMap(([key, value]) => {
      const isPlural = value && typeof value === "object" && "other" in (value as object);
      return value && typeof value === "object" && !isPlural ? leaves(value as Record<string, unknown>, `${prefix}${key}.`) : [[`${prefix}${key}`, value]];
    });
  const missing: string[] = [];
  for (const locale of localeNamesOf(root)) {
    const messages = new Map(leaves(localeMessagesOf(root, locale)));
    const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const [key, english] of leaves(localeMessagesOf(root, "en"))) {
      const translated = messages.get(key);
      if (translated === undefined) missing.push(`${locale}:${key}`);
      else if (typeof english === "object") {
        for (const category of needed) if (!(translated as Record<string, string>)[category]) missing.push(`${locale}:${key}.${category}`);
      }
    }
  }
  return missing;
}

export interface StandInOptions {
  locale?: string;
  /** The logged-in customer's id, or null for a guest. */
  customerId?: string | null;
  metafieldPoints?: number | null;
  canUpdateDiscountCodes?: boolean;
  applyDiscountCode?: (code: string) => Promise<{ type: "success" } | { type: "error"; message: string }>;
  orderId?: string;
  /** The extension whose locales `i18n.translate` reads; checkout-rewards unless given. */
  extensionRoot?: string;
}

export function standInShopify(options: StandInOptions = {}) {
  const locale = options.locale ?? "en";
  const customerId = options.customerId === undefined ? "4242" : options.customerId;
  const applied: string[] = [];
  const toasts: string[] = [];
  const api = {
    sessionToken: { get: async () => "checkout-session-token" },
    i18n: {
      translate: translator(locale, options.extensionRoot),
      formatNumber: (n: number, format?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, format).format(n),
      formatCurrency: (n: number, format?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, { style: "currency", ...format }).format(n),
      formatDate: (date: Date, format?: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...format }).format(date),
    },
    toast: { show: async (message: string) => void toasts.push(message) },
    // Customer accounts: the signed-in customer.
    authenticatedAccount: { customer: { value: customerId ? { id: `gid://shopify/Customer/${customerId}` } : undefined } },
    localization: { language: { value: { isoCode: locale } } },
    buyerIdentity: { customer: { value: customerId ? { id: `gid://shopify/Customer/${customerId}` } : undefined } },
    appMetafields: {
      value:
        options.metafieldPoints === null || options.metafieldPoints === undefined
          ? []
          : [
              {
                target: { type: "customer", id: `gid://shopify/Customer/${customerId}` },
                metafield: { namespace: "$app:loyalty", key: "points", value: String(options.metafieldPoints), valueType: "integer" },
              },
            ],
    },
    instructions: { value: { discounts: { canUpdateDiscountCodes: options.canUpdateDiscountCodes ?? true } } },
    async applyDiscountCodeChange(change: { type: string; code: string }) {
      applied.push(change.code);
      return options.applyDiscountCode ? options.applyDiscountCode(change.code) : { type: "success" as const };
    },
    orderConfirmation: { value: { order: { id: `gid://shopify/OrderIdentity/${options.orderId ?? "9001"}` }, isFirstOrder: false } },
  };
  (globalThis as Record<string, unknown>).shopify = api;
  return { api, applied, toasts };
}

export interface BackendCall {
  method: string;
  path: string;
  authorization: string | null;
  body: Record<string, unknown> | null;
}

/** fetch() answered by a table of routes ("GET /api/checkout/rewards" → handler); records each call. */
export function standInBackend(routes: Record<string, (call: BackendCall) => { status: number; body: unknown } | Promise<never>>) {
  const calls: BackendCall[] = [];
  globalThis.fetch = (async (input: string, init: RequestInit = {}) => {
    const url = new URL(input);
    const call: BackendCall = {
      method: init.method ?? "GET",
      path: url.pathname + url.search,
      authorization: new Headers(init.headers).get("authorization"),
      body: init.body ? JSON.parse(String(init.body)) : null,
    };
    calls.push(call);
    const route = routes[`${call.method} ${url.pathname}`];
    if (!route) return new Response(JSON.stringify({ error: "no route" }), { status: 404 });
    const { status, body } = await route(call);
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
  return calls;
}

/** Lets effects, fetches and state updates run. */
export const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
};
