import fs from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { adminSchemaPath } from "../simulator/admin-schema-path";

const root = path.resolve(__dirname, "..");
// The reference schema, ../shared/shopify/admin-2026-01.graphql (its bundled copy in a clone without it).
const schemaFile = adminSchemaPath();

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : sourceFiles(full);
    return /\.(ts|tsx|js|jsx)$/.test(entry.name) ? [full] : [];
  });
}

/** Every template literal the app sends to the Admin API is tagged `#graphql`. */
function adminDocuments() {
  const folders = ["app", "extensions"].map((f) => path.join(root, f)).filter((f) => fs.existsSync(f));
  return folders.flatMap(sourceFiles).flatMap((file) =>
    [...fs.readFileSync(file, "utf8").matchAll(/`\s*#graphql([\s\S]*?)`/g)].map((match) => ({
      file: path.relative(root, file),
      document: match[1],
    })),
  );
}

describe("every Admin GraphQL document the app sends", () => {
  const schema = buildSchema(fs.readFileSync(schemaFile, "utf8"));
  const documents = adminDocuments();

  it("is found", () => {
    expect(documents.length).toBeGreaterThanOrEqual(2);
  });

  it.each(documents.map((d) => [`${d.file}: ${/(query|mutation)\s+(\w+)/.exec(d.document)?.[2]}`, d.document]))(
    "%s validates against admin-2026-01",
    (_name, document) => {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    },
  );

  it("a wrong field is caught (the check can fail)", () => {
    const errors = validate(schema, parse("query { shop { currencyCodez } }"));
    expect(errors.length).toBeGreaterThan(0);
  });
});
