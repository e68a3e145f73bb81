import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";
import { adminSchemaPath } from "./simulator/admin-schema-path";

/**
 * The Admin API types of every `#graphql` document in app/, generated from the local schema
 * (../shared/shopify/admin-2026-01.graphql, or its bundled copy): `npm run codegen`.
 * No remote schema: Shopify's preset would download one, so its steps are spelled out here.
 */
const documents = ["app/**/*.{ts,tsx}", "!app/shopify/generated/**"];
const schema = adminSchemaPath();

export default {
  schema,
  documents,
  projects: {
    default: {
      schema,
      documents,
      extensions: {
        codegen: {
          pluckConfig,
          generates: {
            "app/shopify/generated/admin.types.d.ts": {
              plugins: ["typescript"],
              // A .d.ts has no runtime: enums are unions of their string values.
              config: { defaultScalarType: "string", scalars: { JSON: "unknown" }, enumsAsTypes: true },
            },
            "app/shopify/generated/admin.generated.d.ts": {
              preset,
              // Fills in AdminQueries and AdminMutations, which type AdminGraphql.request by its document.
              presetConfig: { apiType: ApiType.Admin, module: "../admin-api.server" },
            },
          },
        },
      },
    },
  },
};
