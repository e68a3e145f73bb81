import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { afterAll, describe, expect, it } from "vitest";
import codegenProject from "../.graphqlrc";
import { adminDocuments } from "./support/admin-documents";

// `npm run codegen` writes app/shopify/generated/ from .graphqlrc.ts; here the same configuration
// runs in memory and its output must be what is committed.
const root = path.resolve(__dirname, "..");
const GENERATED_OPERATIONS = "app/shopify/generated/admin.generated.d.ts";
const { generates, pluckConfig } = codegenProject.projects.default.extensions.codegen;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "admin-codegen-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function generateInMemory(documents: string[], only?: string) {
  // Shopify's pluckConfig carries graphql-tag-pluck options that codegen's Config type does not list.
  const config = {
    cwd: root,
    schema: codegenProject.schema,
    documents,
    pluckConfig,
    generates: only ? { [only]: generates[only as keyof typeof generates] } : generates,
    silent: true,
  } as Parameters<typeof generate>[0];
  const outputs: { filename: string; content: string }[] = await generate(config, false);
  return new Map<string, string>(outputs.map((output) => [path.relative(root, path.resolve(root, output.filename)), output.content]));
}

/** The documents the generated operation types are keyed by, in the order they were generated. */
function generatedDocuments(source: string): string[] {
  return [...source.matchAll(/^ {2}("#graphql(?:[^"\\]|\\.)*"): \{return: /gm)].map((match) => JSON.parse(match[1]) as string);
}

describe("the Admin API types in app/shopify/generated", () => {
  it("are exactly what the codegen makes from the schema and the app's documents", async () => {
    const outputs = await generateInMemory(codegenProject.documents);
    expect([...outputs.keys()].sort()).toEqual(Object.keys(generates).sort());
    for (const [file, content] of outputs) {
      expect(fs.readFileSync(path.join(root, file), "utf8") === content, `${file} is stale: run npm run codegen`).toBe(true);
    }
  }, 180_000);

  it("cover every #graphql document the app sends, and nothing else", () => {
    const committed = generatedDocuments(fs.readFileSync(path.join(root, GENERATED_OPERATIONS), "utf8"));
    const sent = adminDocuments().map((d) => `#graphql${d.document}`);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect([...committed].sort()).toEqual([...sent].sort());
  });

  it("a document changed without regenerating is caught (the check can fail)", async () => {
    const queries = fs.readFileSync(path.join(root, "app/shopify/queries.ts"), "utf8");
    const edited = path.join(scratch, "queries.ts");
    fs.writeFileSync(edited, queries.replace(/query ShopCurrency \{\s*shop \{\s*currencyCode/, "query ShopCurrency {\n    shop {\n      name"));
    expect(fs.readFileSync(edited, "utf8")).not.toEqual(queries);
    const outputs = await generateInMemory([edited], GENERATED_OPERATIONS);
    const regenerated = outputs.get(GENERATED_OPERATIONS)!;
    expect(regenerated).toContain("Pick<AdminTypes.Shop, 'name'");
    expect(regenerated).not.toEqual(fs.readFileSync(path.join(root, GENERATED_OPERATIONS), "utf8"));
  }, 180_000);
});
