import fs from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The Admin API schema (2026-01) the app is built against. The project's reference copy is
 * ../shared/shopify beside the repository; a clone without it (a newcomer running the demo)
 * uses the copy in simulator/schema, which test/admin-schema-copy-matches-shared.test.ts keeps
 * identical to the reference.
 */
export const SHARED_ADMIN_SCHEMA_PATH = fileURLToPath(new URL("../../shared/shopify/admin-2026-01.graphql", import.meta.url));
export const BUNDLED_ADMIN_SCHEMA_PATH = fileURLToPath(new URL("./schema/admin-2026-01.graphql", import.meta.url));

export function adminSchemaPath(): string {
  return fs.existsSync(SHARED_ADMIN_SCHEMA_PATH) ? SHARED_ADMIN_SCHEMA_PATH : BUNDLED_ADMIN_SCHEMA_PATH;
}
