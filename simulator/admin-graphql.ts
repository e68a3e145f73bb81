import { readFileSync } from "node:fs";
import {
  buildSchema,
  execute,
  getNamedType,
  type GraphQLError,
  isLeafType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { adminSchemaPath } from "./admin-schema-path";
import { adminRootValue, simulatorFieldResolver, type AdminContext } from "./admin-resolvers";
import type { SimulatedStore } from "./store";

/** The Admin API schema the app is built against (../shared/shopify, or the bundled copy). */
export const ADMIN_SCHEMA_PATH = adminSchemaPath();

let cachedSchema: { path: string; schema: GraphQLSchema } | null = null;

/** The real Admin schema, built once (the SDL is 3 MB; building takes about half a second). */
export function adminSchema(path = ADMIN_SCHEMA_PATH): GraphQLSchema {
  if (cachedSchema?.path !== path) cachedSchema = { path, schema: buildSchema(readFileSync(path, "utf8")) };
  return cachedSchema.schema;
}

export interface ThrottleOptions {
  /** Bucket size (Shopify's standard: 2000 points). */
  maximumAvailable?: number;
  /** Points restored per second (Shopify's standard: 100). */
  restoreRate?: number;
  /** Largest cost one query may have (Shopify: 1000). */
  singleQueryMax?: number;
}

export interface AdminGraphqlOptions {
  store: SimulatedStore;
  schemaPath?: string;
  throttle?: ThrottleOptions;
  /** Milliseconds clock for the throttle bucket. */
  clock?: () => number;
}

export interface AdminGraphqlRequest {
  shop: string;
  /** X-Shopify-Access-Token */
  token: string | null | undefined;
  /** The request body: a JSON string or the parsed object `{ query, variables, operationName }`. */
  body: unknown;
}

export interface AdminGraphqlResponse {
  status: number;
  json: unknown;
}

const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

// graphql-js messages with the codes Shopify's graphql-ruby attaches to the same failures.
const VALIDATION_CODES: [RegExp, string][] = [
  [/^Cannot query field/, "undefinedField"],
  [/^Unknown argument/, "argumentNotAccepted"],
  [/^Unknown type/, "undefinedType"],
  [/^Field ".*" argument ".*" of type ".*" is required/, "missingRequiredArguments"],
  [/^Variable ".*" is never used/, "variableNotUsed"],
  [/^Variable ".*" is not defined/, "undefinedVariable"],
  [/^Fragment ".*" is never used/, "useAndDefineFragment"],
  [/^Unknown fragment/, "useAndDefineFragment"],
  [/must have a selection of subfields/, "selectionMismatch"],
  [/must not have a selection since type/, "selectionMismatch"],
  [/cannot represent|Expected value of type|Expected type/, "argumentLiteralsIncompatible"],
];

function errorJson(error: GraphQLError, code?: string) {
  const json = error.toJSON() as { message: string; locations?: unknown; path?: unknown; extensions?: Record<string, unknown> };
  return { ...json, extensions: { ...(json.extensions ?? {}), ...(code ? { code } : {}) } };
}

const validationCode = (message: string) => VALIDATION_CODES.find(([pattern]) => pattern.test(message))?.[1] ?? "GRAPHQL_VALIDATION_FAILED";

interface Bucket {
  available: number;
  updatedAt: number;
}

/**
 * The Admin GraphQL endpoint of the simulated shops: checks the access token, validates the
 * document against the real 2026-01 schema, charges a cost against a leaky bucket and executes
 * it with graphql-js over the store, so every answer has the schema's shape.
 */
export function createAdminGraphqlHandler(options: AdminGraphqlOptions) {
  const maximumAvailable = options.throttle?.maximumAvailable ?? 2000;
  const restoreRate = options.throttle?.restoreRate ?? 100;
  const singleQueryMax = options.throttle?.singleQueryMax ?? 1000;
  const clock = options.clock ?? Date.now;
  const buckets = new Map<string, Bucket>();

  const bucketFor = (shop: string) => {
    const now = clock();
    const bucket = buckets.get(shop) ?? { available: maximumAvailable, updatedAt: now };
    bucket.available = Math.min(maximumAvailable, bucket.available + ((now - bucket.updatedAt) / 1000) * restoreRate);
    bucket.updatedAt = now;
    buckets.set(shop, bucket);
    return bucket;
  };
  const throttleStatus = (bucket: Bucket) => ({
    maximumAvailable,
    currentlyAvailable: Math.floor(bucket.available),
    restoreRate,
  });

  return async function handleAdminGraphql(request: AdminGraphqlRequest): Promise<AdminGraphqlResponse> {
    const shop = options.store.findShop(request.shop);
    if (!shop) return { status: 404, json: { errors: "Not Found" } };
    if (!shop.installation || !request.token || request.token !== shop.installation.accessToken) {
      return { status: 401, json: { errors: INVALID_TOKEN } };
    }
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = (typeof request.body === "string" ? JSON.parse(request.body) : request.body) ?? {};
    } catch {
      return { status: 400, json: { errors: "Invalid JSON in request body" } };
    }
    if (typeof body.query !== "string" || !body.query.trim()) {
      return { status: 400, json: { errors: { query: "Required parameter missing or invalid" } } };
    }
    const schema = adminSchema(options.schemaPath);
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return { status: 200, json: { errors: [errorJson(error as GraphQLError, "PARSE_ERROR")] } };
    }
    const invalid = validate(schema, document);
    if (invalid.length) {
      return { status: 200, json: { errors: invalid.map((error) => errorJson(error, validationCode(error.message))) } };
    }
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
    const cost = queryCost(schema, document, operationName, variables);
    const bucket = bucketFor(shop.domain);
    if (cost > singleQueryMax) {
      return {
        status: 200,
        json: {
          errors: [
            {
              message: `Query cost is ${cost}, which exceeds the single query max cost limit (${singleQueryMax}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: singleQueryMax },
            },
          ],
          extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus(bucket) } },
        },
      };
    }
    if (cost > bucket.available) {
      return {
        status: 200,
        json: {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
          extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus(bucket) } },
        },
      };
    }
    bucket.available -= cost;
    const context: AdminContext = { store: options.store, shop, scopes: shop.installation.scopes, searchWarnings: [] };
    const result = await execute({
      schema,
      document,
      rootValue: adminRootValue,
      contextValue: context,
      variableValues: variables,
      operationName,
      fieldResolver: simulatorFieldResolver,
    });
    const errors = result.errors?.map((error) => {
      const code = error.extensions?.code as string | undefined;
      return errorJson(error, code ?? (error.path ? "INTERNAL_SERVER_ERROR" : "INVALID_VARIABLE"));
    });
    return {
      status: 200,
      json: {
        ...(errors ? { errors } : {}),
        ...("data" in result ? { data: result.data } : {}),
        extensions: {
          cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: throttleStatus(bucket) },
          ...(context.searchWarnings.length ? { search: context.searchWarnings } : {}),
        },
      },
    };
  };
}

/**
 * A simple version of Shopify's calculated query cost: objects cost 1, scalars and enums 0,
 * connections 2 plus `first`/`last` times their nodes, each mutation field 10. The actual cost
 * reported is the requested one (Shopify refunds what a short page did not use; the simulator does not).
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return 0;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  const argument = (value: ValueNode | undefined): unknown => {
    if (!value) return undefined;
    if (value.kind === Kind.VARIABLE) return variables[value.name.value];
    if (value.kind === Kind.INT) return Number(value.value);
    return undefined;
  };
  const costOf = (selectionSet: SelectionSetNode | undefined, parent: GraphQLCompositeType): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
        total += costOf(selection.selectionSet, type);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) total += costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType);
        continue;
      }
      if (selection.name.value.startsWith("__")) continue;
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (!field) continue;
      const type = getNamedType(field.type);
      if (isLeafType(type)) continue;
      if (type.name.endsWith("Connection")) {
        // Each node is charged `first` times; pageInfo once, for free.
        const perNode = selection.selectionSet && {
          ...selection.selectionSet,
          selections: selection.selectionSet.selections.filter((s) => s.kind !== Kind.FIELD || s.name.value !== "pageInfo"),
        };
        const children = costOf(perNode, type as GraphQLCompositeType);
        const size = (argument(selection.arguments?.find((a) => a.name.value === "first")?.value) ??
          argument(selection.arguments?.find((a) => a.name.value === "last")?.value) ??
          1) as number;
        total += 2 + size * children;
      } else {
        total += 1 + costOf(selection.selectionSet, type as GraphQLCompositeType);
      }
    }
    return total;
  };
  if (operation.operation === "mutation") return 10 * operation.selectionSet.selections.length;
  return Math.max(1, costOf(operation.selectionSet, schema.getQueryType()!));
}
