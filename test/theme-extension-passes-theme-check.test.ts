import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Severity, themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "../simulator/theme-renderer";

const offensesIn = async (root: string) => {
  // shopify.extension.toml in the root makes theme-check use its theme-app-extension checks.
  const run = await themeCheckRun(root, undefined, () => {});
  return run.offenses.map((offense) => ({
    severity: Severity[offense.severity],
    check: offense.check,
    file: path.relative(root, new URL(offense.uri).pathname),
    line: offense.start.line + 1,
    message: offense.message,
  }));
};

describe("theme-check on extensions/loyalty-theme", () => {
  it("reports no errors (and prints anything it reports)", async () => {
    const offenses = await offensesIn(EXTENSION_DIR);
    if (offenses.length) console.log(offenses);
    expect(offenses.filter((offense) => offense.severity === "ERROR")).toEqual([]);
  }, 60_000);

  it("does report errors in a broken copy, so the check above can fail", async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-theme-check-"));
    try {
      fs.cpSync(EXTENSION_DIR, copy, { recursive: true });
      fs.writeFileSync(
        path.join(copy, "blocks/broken.liquid"),
        `{{ 'loyalty.nope' | t | no_such_filter }}\n<script src="https://example.com/x.js"></script>\n{% schema %}{"name":"Broken","target":"section","settings":[]}{% endschema %}\n`,
      );
      const offenses = await offensesIn(copy);
      expect(offenses.filter((offense) => offense.severity === "ERROR").map((offense) => offense.check)).toEqual(expect.arrayContaining(["UnknownFilter"]));
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
