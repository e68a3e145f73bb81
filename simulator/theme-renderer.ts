import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Liquid, Tag, type TagToken, type TopLevelToken } from "liquidjs";

// The theme app extension's Liquid, rendered as Shopify renders it into a storefront page, with
// stand-ins for what Shopify adds. One implementation for the simulator's storefront and the theme tests.

/** The theme app extension. */
export const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../extensions/loyalty-theme");
export const STOREFRONT_LOCALES = ["en", "he", "ar", "da", "ro"] as const;
export type StorefrontLocale = (typeof STOREFRONT_LOCALES)[number];
export type BlockName = "loyalty-launcher" | "loyalty-rewards" | "members-only";

/** Where `asset_url` points and a storefront serves the extension's assets (Shopify serves them from its CDN). */
export const ASSET_PATH = "/cdn/loyalty-theme/assets/";

type Translations = { [key: string]: string | Translations };

const localeFile = (locale: string, kind: "" | ".schema") => path.join(EXTENSION_DIR, "locales", `${locale === "en" ? "en.default" : locale}${kind}.json`);
export const readLocale = (locale: string, kind: "" | ".schema" = ""): Translations => JSON.parse(fs.readFileSync(localeFile(locale, kind), "utf8"));

/** Every dotted key of a locale file, for comparing locales. */
export function translationKeys(translations: Translations, prefix = ""): string[] {
  return Object.entries(translations).flatMap(([key, value]) => (typeof value === "string" ? [`${prefix}${key}`] : translationKeys(value, `${prefix}${key}.`)));
}

export function lookup(translations: Translations, key: string): string | undefined {
  const found = key
    .split(".")
    .reduce<Translations | string | undefined>((node, part) => (node && typeof node === "object" ? node[part] : undefined), translations);
  return typeof found === "string" ? found : undefined;
}

/** The block's `{% schema %}` JSON. */
export function blockSchema(name: BlockName) {
  const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const json = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(source)?.[1];
  if (!json) throw new Error(`${name}.liquid has no schema`);
  return JSON.parse(json) as {
    name: string;
    target: "body" | "section";
    javascript?: string;
    stylesheet?: string;
    settings: { id?: string; type: string; default?: unknown; label?: string; info?: string; content?: string; options?: { label: string }[] }[];
  };
}

/** The settings a merchant gets when adding the block: each setting's schema default. */
export function defaultSettings(name: BlockName): Record<string, unknown> {
  return Object.fromEntries(
    blockSchema(name)
      .settings.filter((setting) => setting.id)
      .map((setting) => [setting.id!, setting.default ?? (setting.type === "checkbox" ? false : "")]),
  );
}

/**
 * Liquid as Shopify runs a theme app extension, with stand-ins for what Shopify adds: `t` from
 * the extension's storefront locale (falling back to en.default like Shopify), `json`,
 * `asset_url`, and `{% schema %}` (not output).
 */
function storefrontLiquid(locale: StorefrontLocale) {
  const engine = new Liquid({
    root: path.join(EXTENSION_DIR, "blocks"),
    partials: path.join(EXTENSION_DIR, "snippets"),
    extname: ".liquid",
    strictFilters: true,
    cache: false,
    // Shopify's date filter shows a time in the shop's zone; the simulated shops are on UTC.
    timezoneOffset: 0,
  });
  const translations = readLocale(locale);
  const fallback = readLocale("en");
  engine.registerFilter("t", (key: string, ...args: [string, unknown][]) => {
    const text = lookup(translations, key) ?? lookup(fallback, key);
    if (text === undefined) throw new Error(`translation missing: ${key}`);
    const values = Object.fromEntries(args.filter(Array.isArray));
    return text.replace(/{{\s*(\w+)\s*}}/g, (_, name: string) => String(values[name] ?? ""));
  });
  // Shopify's json escapes what could close a <script> element.
  engine.registerFilter("json", (value: unknown) => JSON.stringify(value ?? null).replace(/</g, "\\u003c"));
  engine.registerFilter("asset_url", (file: string) => `${ASSET_PATH}${file}`);
  // Shopify's money filter: cents of the shop's currency in its money format (here "$80.00", the default USD format).
  engine.registerFilter("money", (cents: number) => `$${(Number(cents) / 100).toFixed(2)}`);
  engine.registerTag(
    "schema",
    class extends Tag {
      constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
        super(token, remainTokens, liquid);
        while (remainTokens.length) {
          const next = remainTokens.shift() as TagToken;
          if (next.name === "endschema") return;
        }
        throw new Error("{% schema %} is not closed");
      }
      *render() {}
    },
  );
  return engine;
}

export interface LoyaltyMetafields {
  points?: number;
  nextReward?: { name: string; pointsCost: number; pointsToGo: number } | null;
  /** What the member has done: rule ids done, qualifying orders (stamp cards), stamp progress per rule id, pending points, next expiry. */
  earning?: {
    done: number[];
    orders: number;
    stamps: Record<string, number>;
    pending: { points: number; availableOn: string }[];
    /** What expires next, where the shop runs points expiry. */
    expiring?: { points: number; expiresAt: string } | null;
    /** The member's referral link, where the shop runs referrals. */
    referral?: { code: string; url: string };
  } | null;
  /** The VIP tier as the member sync writes it (app/domain/tier-view.ts tierMetafieldValue). */
  tier?: Record<string, unknown> | null;
}

/** Metafields as Liquid sees them: `customer.metafields['<namespace>'].<key>.value`, the value already parsed by type. */
export type LiquidMetafields = Record<string, Record<string, { type: string; value: unknown }>>;

/** A logged-in customer as Liquid sees them. */
export function liquidCustomer(spec: { id: string | number; firstName?: string | null; email?: string | null; metafields?: LiquidMetafields }) {
  return { id: Number(spec.id), first_name: spec.firstName ?? "", email: spec.email ?? "", metafields: spec.metafields ?? {} };
}

/** A logged-in customer with the app's $app:loyalty metafields when given. */
export function storefrontCustomer(id: string | number, loyalty: LoyaltyMetafields | null = {}) {
  const metafields: LiquidMetafields = {};
  if (loyalty) {
    const fields: Record<string, { type: string; value: unknown }> = {};
    if (loyalty.points !== undefined) fields.points = { type: "number_integer", value: loyalty.points };
    if (loyalty.nextReward) fields.next_reward = { type: "json", value: loyalty.nextReward };
    if (loyalty.earning) fields.earning = { type: "json", value: loyalty.earning };
    if (loyalty.tier) fields.tier = { type: "json", value: loyalty.tier };
    metafields["$app:loyalty"] = fields;
  }
  return liquidCustomer({ id, firstName: "Ada", email: `customer${id}@example.com`, metafields });
}
export type StorefrontCustomer = ReturnType<typeof storefrontCustomer>;

/** Shopify's `app` object in a theme app extension: the app-data metafields of its installation on the shop, `app.metafields.<namespace>.<key>.value`. */
export interface LiquidApp {
  metafields: LiquidMetafields;
}

/** The app with its `loyalty.ways_to_earn` and `loyalty.access` app-data metafields (json) when given, as the app's syncs write them. */
export function storefrontApp(waysToEarn: unknown = null, { access = null }: { access?: unknown } = {}): LiquidApp {
  const loyalty: Record<string, { type: string; value: unknown }> = {};
  if (waysToEarn) loyalty.ways_to_earn = { type: "json", value: waysToEarn };
  if (access) loyalty.access = { type: "json", value: access };
  return { metafields: Object.keys(loyalty).length ? { loyalty } : {} };
}

/** A product as Liquid sees it on a product template: its numeric id and the collections it is in. */
export function liquidProduct(id: number, collectionIds: readonly number[] = []) {
  return { id, title: `Product ${id}`, collections: collectionIds.map((collectionId) => ({ id: collectionId, title: `Collection ${collectionId}` })) };
}
export type LiquidProduct = ReturnType<typeof liquidProduct>;

export interface BlockRender {
  locale?: StorefrontLocale;
  customer?: StorefrontCustomer | null;
  app?: LiquidApp;
  settings?: Record<string, unknown>;
  blockId?: string;
  rootUrl?: string;
  /** On a product template: the product Liquid sees. */
  product?: LiquidProduct | null;
  /** The id of the section the block sits in (Shopify gives app blocks `section.id`). */
  sectionId?: string;
}

const routesFor = (rootUrl: string) => {
  const base = rootUrl.replace(/\/$/, "");
  return {
    root_url: rootUrl,
    account_login_url: `${base}/account/login`,
    account_register_url: `${base}/account/register`,
    cart_url: `${base}/cart`,
  };
};

/** One block as Shopify renders it into a page. */
export async function renderBlock(name: BlockName, options: BlockRender = {}) {
  const {
    locale = "en",
    customer = null,
    app = storefrontApp(),
    settings = {},
    blockId = `${name}-1`,
    rootUrl = "/",
    product = null,
    sectionId = "template--1__main",
  } = options;
  const engine = storefrontLiquid(locale);
  const block = {
    id: blockId,
    type: `shopify://apps/loyalty-rewards/blocks/${name}`,
    settings: { ...defaultSettings(name), ...settings },
    shopify_attributes: "",
  };
  // Shopify's global objects reach snippets rendered with {% render %}; liquidjs globals do the same.
  const globals = { customer, app, product, section: { id: sectionId }, routes: routesFor(rootUrl), request: { locale: { iso_code: locale }, path: "/" } };
  return engine.renderFile(name, { block }, { globals }) as Promise<string>;
}

const RTL = new Set(["he", "ar"]);

export interface StorefrontPage {
  locale?: StorefrontLocale;
  customer?: StorefrontCustomer | null;
  app?: LiquidApp;
  blocks?: BlockName[];
  rootUrl?: string;
  /** The theme's own parts around the app's blocks (HTML); a plain test store by default. */
  title?: string;
  header?: string;
  main?: string;
}

/**
 * A storefront page as a theme renders it with the app's blocks: the rewards section in the
 * main content, the launcher embed at the end of body, and the assets each block's schema names
 * (a stylesheet link and a deferred script, as Shopify injects them).
 */
export async function renderStorefrontPage(options: StorefrontPage = {}) {
  const { locale = "en", customer = null, app, blocks = ["loyalty-rewards", "loyalty-launcher"], rootUrl = "/" } = options;
  const {
    title = "Test store",
    header = `<a href="${rootUrl}">Test store</a>`,
    main = "<h1>Tea and cups</h1>\n<p>Loose-leaf tea, cups and pots.</p>",
  } = options;
  const render = (name: BlockName) => (blocks.includes(name) ? renderBlock(name, { locale, customer, app, rootUrl }) : Promise.resolve(""));
  const [section, embed] = await Promise.all([render("loyalty-rewards"), render("loyalty-launcher")]);
  const schemas = blocks.map(blockSchema);
  const stylesheets = [...new Set(schemas.map((schema) => schema.stylesheet).filter(Boolean))];
  const scripts = [...new Set(schemas.map((schema) => schema.javascript).filter(Boolean))];
  return `<!doctype html>
<html lang="${locale}" dir="${RTL.has(locale) ? "rtl" : "ltr"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{margin:0;font-family:system-ui,sans-serif}header,main,footer{padding:1rem 2rem}header{background:#f4f4f4}</style>
${stylesheets.map((file) => `<link rel="stylesheet" href="${ASSET_PATH}${file}">`).join("\n")}
${scripts.map((file) => `<script src="${ASSET_PATH}${file}" defer></script>`).join("\n")}
</head>
<body>
<header>${header}</header>
<main>
${main}
${section}
</main>
<footer>Footer</footer>
${embed}
</body>
</html>`;
}
