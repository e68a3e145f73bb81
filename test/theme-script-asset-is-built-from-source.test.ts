import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("the theme extension's script", () => {
  it("is the minified build of storefront/loyalty.js (npm run build:theme)", () => {
    const root = path.resolve(__dirname, "..");
    expect(() => execFileSync(process.execPath, ["scripts/build-theme.mjs", "--check"], { cwd: root, stdio: "pipe" })).not.toThrow();
  });
});
