// Relay connections and Shopify's search syntax, over plain arrays.
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

/** Shopify's cursors are opaque; these are base64 of the last id, which is enough to page by id. */
const cursorOf = (id: number) => Buffer.from(JSON.stringify({ last_id: id })).toString("base64");

function idOfCursor(cursor: string): number {
  try {
    const id = (JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown }).last_id;
    if (typeof id === "number") return id;
  } catch {
    // fall through
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

export const MAX_PAGE_SIZE = 250;

/** A page of `items` (sorted by id, as Shopify's default ID sort key) in the Connection shape. */
export function connection<T extends { id: number }, V>(items: T[], args: ConnectionArgs, view: (item: T) => V) {
  const { first, last, after, before } = args;
  if ((first ?? null) === null && (last ?? null) === null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  for (const size of [first, last]) {
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`The requested page size exceeds the maximum of ${MAX_PAGE_SIZE}`, { extensions: { code: "BAD_REQUEST" } });
    }
  }
  let list = [...items].sort((a, b) => a.id - b.id);
  if (args.reverse) list.reverse();
  if (after) {
    const index = list.findIndex((item) => item.id === idOfCursor(after));
    list = index === -1 ? list : list.slice(index + 1);
  }
  if (before) {
    const index = list.findIndex((item) => item.id === idOfCursor(before));
    list = index === -1 ? list : list.slice(0, index);
  }
  const total = list.length;
  let page = list;
  if (first != null) page = page.slice(0, first);
  if (last != null) page = page.slice(Math.max(0, page.length - last));
  const edges = page.map((item) => ({ cursor: cursorOf(item.id), node: view(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: first != null ? total > page.length : Boolean(before),
      hasPreviousPage: last != null ? total > page.length : Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

export type SearchValue = string | number | boolean | Date | string[] | null;

interface SearchTerm {
  field: string | null;
  comparator: "=" | ">" | ">=" | "<" | "<=";
  value: string;
  negated: boolean;
}

export interface SearchWarning {
  field: string;
  message: string;
}

function tokenize(query: string): string[] {
  return query.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
}

export function parseSearch(query: string): SearchTerm[] {
  return tokenize(query)
    .filter((token) => token.toUpperCase() !== "AND")
    .map((token) => {
      const negated = token.startsWith("-") || token.startsWith("NOT ");
      const body = negated ? token.slice(1) : token;
      const match = /^([a-z_]+):(.*)$/i.exec(body);
      const raw = match ? match[2] : body;
      const comparator = (/^(>=|<=|>|<)/.exec(raw)?.[1] ?? "=") as SearchTerm["comparator"];
      const value = raw.slice(comparator === "=" ? 0 : comparator.length).replace(/^["']|["']$/g, "");
      return { field: match ? match[1].toLowerCase() : null, comparator, value, negated };
    });
}

function compare(actual: SearchValue, term: SearchTerm): boolean {
  if (actual === null) return term.value === "";
  if (Array.isArray(actual)) return actual.some((item) => item.toLowerCase() === term.value.toLowerCase());
  if (term.value === "*") return actual !== "";
  if (typeof actual === "number" || actual instanceof Date) {
    const left = actual instanceof Date ? actual.getTime() : actual;
    const right = actual instanceof Date ? Date.parse(term.value) : Number(term.value);
    if (Number.isNaN(right)) return false;
    switch (term.comparator) {
      case ">":
        return left > right;
      case ">=":
        return left >= right;
      case "<":
        return left < right;
      case "<=":
        return left <= right;
      default:
        return left === right;
    }
  }
  return String(actual).toLowerCase() === term.value.toLowerCase();
}

/**
 * Filters by Shopify's search syntax: `field:value`, comparators on numbers and dates, `-field:value`,
 * and free text over the default fields. Unknown fields are ignored with a warning, as Shopify does.
 */
export function search<T>(
  items: T[],
  query: string | null | undefined,
  fields: Record<string, (item: T) => SearchValue>,
  defaultText: (item: T) => string,
): { items: T[]; warnings: SearchWarning[] } {
  if (!query?.trim()) return { items, warnings: [] };
  const terms = parseSearch(query);
  const warnings = terms
    .filter((term) => term.field !== null && !(term.field in fields))
    .map((term) => ({ field: term.field!, message: "Invalid search field for this query." }));
  const known = terms.filter((term) => term.field === null || term.field in fields);
  return {
    items: items.filter((item) =>
      known.every((term) => {
        const hit = term.field === null ? defaultText(item).toLowerCase().includes(term.value.toLowerCase()) : compare(fields[term.field](item), term);
        return term.negated ? !hit : hit;
      }),
    ),
    warnings,
  };
}
