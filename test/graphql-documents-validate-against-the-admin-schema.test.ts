import fs from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { adminSchemaPath } from "../simulator/admin-schema-path";
import { adminDocuments } from "./support/admin-documents";

// The reference schema, ../shared/shopify/admin-2026-01.graphql (its bundled copy in a clone without it).
const schemaFile = adminSchemaPath();

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
