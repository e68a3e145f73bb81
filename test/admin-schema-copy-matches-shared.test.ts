import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { BUNDLED_ADMIN_SCHEMA_PATH, SHARED_ADMIN_SCHEMA_PATH } from "../simulator/admin-schema-path";

describe("the Admin schema copy in simulator/schema", () => {
  it.skipIf(!fs.existsSync(SHARED_ADMIN_SCHEMA_PATH))("is byte for byte the reference in ../shared/shopify", () => {
    expect(fs.readFileSync(BUNDLED_ADMIN_SCHEMA_PATH).equals(fs.readFileSync(SHARED_ADMIN_SCHEMA_PATH))).toBe(true);
  });
});
