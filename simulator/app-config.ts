// Reads what the simulator needs from shopify.app.toml: webhook subscriptions, scopes and the app
// proxy. The reader handles the subset of TOML that file uses: [tables], [[arrays of tables]],
// and `key = value` with strings, numbers, booleans and (multi-line) arrays of those.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
interface TomlTable {
  [key: string]: TomlValue;
}

/** The repository's shopify.app.toml. */
export const APP_TOML_PATH = fileURLToPath(new URL("../shopify.app.toml", import.meta.url));

export function parseToml(text: string): TomlTable {
  const root: TomlTable = {};
  let table = root;
  let pos = 0;

  const fail = (message: string): never => {
    const line = text.slice(0, pos).split("\n").length;
    throw new SyntaxError(`shopify.app.toml line ${line}: ${message}`);
  };
  const skipSpaceAndComments = (newlines: boolean) => {
    for (;;) {
      const char = text[pos];
      if (char === " " || char === "\t" || char === "\r" || (newlines && char === "\n")) pos++;
      else if (char === "#") while (pos < text.length && text[pos] !== "\n") pos++;
      else return;
    }
  };
  const key = (): string => {
    if (text[pos] === '"') return string();
    const match = /^[A-Za-z0-9_-]+/.exec(text.slice(pos));
    if (!match) return fail("expected a key");
    pos += match[0].length;
    return match[0];
  };
  const dottedKey = (): string[] => {
    const parts = [key()];
    while (text[pos] === ".") {
      pos++;
      parts.push(key());
    }
    return parts;
  };
  const string = (): string => {
    const match = /^"((?:[^"\\\n]|\\.)*)"/.exec(text.slice(pos));
    if (!match) return fail("unterminated string");
    pos += match[0].length;
    return JSON.parse(`"${match[1]}"`) as string;
  };
  const value = (): TomlValue => {
    const char = text[pos];
    if (char === '"') return string();
    if (char === "[") {
      pos++;
      const items: TomlValue[] = [];
      for (;;) {
        skipSpaceAndComments(true);
        if (text[pos] === "]") {
          pos++;
          return items;
        }
        items.push(value());
        skipSpaceAndComments(true);
        if (text[pos] === ",") pos++;
        else if (text[pos] !== "]") fail("expected , or ] in an array");
      }
    }
    const match = /^(true|false|[+-]?\d+(?:\.\d+)?)/.exec(text.slice(pos));
    if (!match) return fail("unsupported value (the simulator reads strings, numbers, booleans and arrays)");
    pos += match[0].length;
    return match[1] === "true" ? true : match[1] === "false" ? false : Number(match[1]);
  };
  const descend = (path: string[], appendToArray: boolean): TomlTable => {
    let node = root;
    path.forEach((part, index) => {
      const last = index === path.length - 1;
      const existing = node[part];
      if (last && appendToArray) {
        const list = existing === undefined ? (node[part] = []) : existing;
        if (!Array.isArray(list)) fail(`${path.join(".")} is not an array of tables`);
        const next: TomlTable = {};
        (list as TomlValue[]).push(next);
        node = next;
        return;
      }
      if (existing === undefined) node = node[part] = {};
      else if (Array.isArray(existing)) node = existing[existing.length - 1] as TomlTable;
      else if (typeof existing === "object") node = existing;
      else fail(`${path.join(".")} is not a table`);
    });
    return node;
  };

  for (;;) {
    skipSpaceAndComments(true);
    if (pos >= text.length) return root;
    if (text[pos] === "[") {
      const array = text[pos + 1] === "[";
      pos += array ? 2 : 1;
      const path = dottedKey();
      if (text.slice(pos, pos + (array ? 2 : 1)) !== (array ? "]]" : "]")) fail("unterminated table header");
      pos += array ? 2 : 1;
      table = descend(path, array);
      continue;
    }
    const path = dottedKey();
    skipSpaceAndComments(false);
    if (text[pos] !== "=") fail("expected =");
    pos++;
    skipSpaceAndComments(false);
    const parent = path.length > 1 ? descendFrom(table, path.slice(0, -1)) : table;
    parent[path[path.length - 1]] = value();
    skipSpaceAndComments(false);
    if (pos < text.length && text[pos] !== "\n") fail("expected the end of the line");
  }
}

function descendFrom(table: TomlTable, path: string[]): TomlTable {
  let node = table;
  for (const part of path) node = (node[part] ??= {}) as TomlTable;
  return node;
}

export interface WebhookSubscription {
  topics: string[];
  /** Relative to the app URL ("/webhooks") or absolute. */
  uri: string;
  compliance: boolean;
}

export interface AppConfigFile {
  apiVersion: string;
  scopes: string[];
  subscriptions: WebhookSubscription[];
  appProxy: { url: string; prefix: string; subpath: string } | null;
}

const strings = (value: TomlValue | undefined) => (Array.isArray(value) ? value.map(String) : []);

export function readAppConfig(text: string): AppConfigFile {
  const toml = parseToml(text);
  const webhooks = (toml.webhooks ?? {}) as TomlTable;
  const subscriptions = ((webhooks.subscriptions ?? []) as TomlTable[]).flatMap((entry): WebhookSubscription[] => {
    const uri = String(entry.uri ?? "");
    return [
      { topics: strings(entry.topics), uri, compliance: false },
      { topics: strings(entry.compliance_topics), uri, compliance: true },
    ].filter((subscription) => subscription.topics.length > 0);
  });
  const proxy = toml.app_proxy as TomlTable | undefined;
  const scopes = String((toml.access_scopes as TomlTable | undefined)?.scopes ?? "");
  return {
    apiVersion: String(webhooks.api_version ?? ""),
    scopes: scopes
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
    subscriptions,
    appProxy: proxy ? { url: String(proxy.url), prefix: String(proxy.prefix), subpath: String(proxy.subpath) } : null,
  };
}

export function readAppConfigFile(path = APP_TOML_PATH): AppConfigFile {
  return readAppConfig(readFileSync(path, "utf8"));
}

/** The handles of the app's Shopify Functions: extensions/<dir>/shopify.extension.toml with type = "function". */
export function readFunctionHandles(extensionsDir = fileURLToPath(new URL("../extensions/", import.meta.url))): string[] {
  return readdirSync(extensionsDir, { withFileTypes: true }).flatMap((entry) => {
    const file = join(extensionsDir, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(file)) return [];
    const extensions = (parseToml(readFileSync(file, "utf8")).extensions ?? []) as TomlTable[];
    return extensions.filter((extension) => extension.type === "function").map((extension) => String(extension.handle));
  });
}

/** A Flow trigger extension's fields: a commerce object reference (customer_reference, ...) or a keyed field of a type. */
export interface FlowTriggerDefinition {
  handle: string;
  fields: { type: string; key: string | null }[];
}

/** The app's Shopify Flow triggers: extensions/<dir>/shopify.extension.toml with type = "flow_trigger", and their [[settings.fields]]. */
export function readFlowTriggers(extensionsDir = fileURLToPath(new URL("../extensions/", import.meta.url))): FlowTriggerDefinition[] {
  return readdirSync(extensionsDir, { withFileTypes: true }).flatMap((entry) => {
    const file = join(extensionsDir, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(file)) return [];
    const toml = parseToml(readFileSync(file, "utf8"));
    const extensions = (toml.extensions ?? []) as TomlTable[];
    const fields = (((toml.settings as TomlTable | undefined)?.fields ?? []) as TomlTable[]).map((field) => ({
      type: String(field.type),
      key: typeof field.key === "string" ? field.key : null,
    }));
    return extensions.filter((extension) => extension.type === "flow_trigger").map((extension) => ({ handle: String(extension.handle), fields }));
  });
}
