import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/**
 * A Shopify Function's src/index.ts bundled into one script, and a way to run its exports the way
 * Shopify does. Javy runs the bundle in QuickJS: no require, process or Buffer; an empty vm
 * context has none either, so a bundle that reaches for Node fails here too.
 */
export async function bundleFunction(extension: string) {
  const output = await build({
    entryPoints: [path.join(extension, "src/index.ts")],
    bundle: true,
    write: false,
    format: "iife",
    globalName: "fn",
    platform: "neutral",
    target: "es2020",
    minify: true,
    logLevel: "silent",
  });
  const code = output.outputFiles[0].text;
  return {
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    /** The bundle's export `target` called on a copy of `input`, its answer through JSON as Shopify reads it. */
    run: (target: string, input: unknown): unknown =>
      JSON.parse(vm.runInNewContext(`${code}; JSON.stringify(fn.${target}(input))`, { input: structuredClone(input) })),
  };
}
