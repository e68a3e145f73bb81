import { GraphQLClient } from "graphql-request";
import type { OfflineSessions } from "./offline-sessions.server";
import { simulatorOrigin } from "./simulator-switch.server";

/** The Admin API version this app is built and tested against (shopify.app.toml says the same). */
export const ADMIN_API_VERSION = "2026-01";

/**
 * The Admin queries and mutations the app sends, keyed by their document text, with their result
 * and variable types. Both are filled in by app/shopify/generated/admin.generated.d.ts, which
 * `npm run codegen` generates from the documents in queries.ts and the Admin schema.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging fills it
export interface AdminQueries {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging fills it
export interface AdminMutations {}

/** Every document the app sends, mapped to `{ return, variables }`. */
export type AdminOperations = AdminQueries & AdminMutations;
export type AdminDocument = keyof AdminOperations & string;
export type AdminResult<D extends AdminDocument> = AdminOperations[D]["return"];
export type AdminVariables<D extends AdminDocument> = AdminOperations[D]["variables"];

/**
 * What domain code needs from the Admin API: one GraphQL request, whose result and variables are
 * the generated types of its document.
 *
 * @example
 * const { shop } = await admin.request(SHOP_CURRENCY_QUERY); // shop: { currencyCode: CurrencyCode }
 */
export interface AdminGraphql {
  request<D extends AdminDocument>(document: D, variables?: AdminVariables<D>): Promise<AdminResult<D>>;
}

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

/**
 * Where Admin API calls go. Always the shop itself, unless the development switch names a local
 * Shopify simulator (see simulator-switch.server.ts: LOYALTY_SIMULATOR=1 and loopback URLs only).
 */
export function adminApiEndpoint(shop: string, env: NodeJS.ProcessEnv = process.env): string {
  const simulator = simulatorOrigin(env);
  const origin = simulator ? `${simulator}/shops/${shop}` : `https://${shop}`;
  return `${origin}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
}

interface GraphqlErrorResponse {
  status?: number;
  data?: Record<string, unknown> | null;
  errors?: { extensions?: { code?: unknown } }[];
}

/** How long one Admin API request may take before the app stops waiting (a shopper may be waiting too). */
export const ADMIN_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Whether a failed Admin API request certainly changed nothing in Shopify: it was never sent (no
 * connection), or Shopify answered that it did not run it (GraphQL errors, a 4xx). A timeout, a
 * dropped connection or a 5xx may have come after Shopify did the work: that is not certain.
 */
export function certainlyNotApplied(error: unknown): boolean {
  const cause = error instanceof AdminApiError ? (error.details ?? error) : error;
  const response = (cause as { response?: GraphqlErrorResponse } | null)?.response;
  if (response && typeof response.status === "number") {
    if (response.status >= 500) return false;
    if (response.status !== 200) return true;
    // A 200 with errors: refused before running (throttled, denied, too costly, invalid) is
    // certain; an internal error, an error without a code, or any data back is not.
    const ranSomething = Object.values(response.data ?? {}).some((value) => value !== null);
    const errors = response.errors ?? [];
    return !ranSomething && errors.length > 0 && errors.every((e) => typeof e.extensions?.code === "string" && e.extensions.code !== "INTERNAL_SERVER_ERROR");
  }
  const code = (cause as { cause?: { code?: string } } | null)?.cause?.code ?? (cause as { code?: string } | null)?.code ?? "";
  const text = `${code} ${(cause as Error | null)?.message ?? ""}`;
  return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|CERT_|no Admin API access/.test(text);
}

/** An Admin GraphQL client for a shop's offline token (background work, webhooks, jobs). */
export function adminClientForToken(shop: string, accessToken: string): AdminGraphql {
  const client = new GraphQLClient(adminApiEndpoint(shop), {
    headers: { "X-Shopify-Access-Token": accessToken, "Content-Type": "application/json" },
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(ADMIN_REQUEST_TIMEOUT_MS) }),
  });
  return {
    async request<D extends AdminDocument>(document: D, variables?: AdminVariables<D>) {
      try {
        return await client.request<AdminResult<D>>(document, variables);
      } catch (error) {
        throw new AdminApiError(`Admin API request to ${shop} failed: ${(error as Error).message}`, error);
      }
    },
  };
}

/** The offline-token client for an installed shop, or null when it has no offline session. */
export async function adminClientForShop(sessions: OfflineSessions, shop: string): Promise<AdminGraphql | null> {
  const accessToken = await sessions.accessToken(shop);
  return accessToken ? adminClientForToken(shop, accessToken) : null;
}

/** Adapts shopify-app-remix's `admin.graphql` (inside an authenticated request) to AdminGraphql. */
export function adminGraphqlFromRemix(admin: { graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response> }): AdminGraphql {
  return {
    async request<D extends AdminDocument>(document: D, variables?: AdminVariables<D>) {
      let body: { data?: AdminResult<D>; errors?: unknown };
      try {
        body = (await (await admin.graphql(document, { variables })).json()) as typeof body;
      } catch (error) {
        // A thrown Response is shopify-app-remix asking for re-authentication: it must reach Remix.
        if (error instanceof Response) throw error;
        throw new AdminApiError(`Admin API request failed: ${(error as Error).message}`, error);
      }
      if (body.errors || !body.data) throw new AdminApiError("Admin API returned errors", body.errors);
      return body.data;
    },
  };
}
