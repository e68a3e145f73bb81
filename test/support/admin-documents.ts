import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : sourceFiles(full);
    return /\.(ts|tsx|js|jsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Every template literal the app sends to the Admin API is tagged `#graphql`: `document` is its text after the tag. */
export function adminDocuments(): { file: string; document: string }[] {
  const folders = ["app", "extensions"].map((f) => path.join(root, f)).filter((f) => fs.existsSync(f));
  return folders.flatMap(sourceFiles).flatMap((file) =>
    [...fs.readFileSync(file, "utf8").matchAll(/`\s*#graphql([\s\S]*?)`/g)].map((match) => ({
      file: path.relative(root, file),
      document: match[1],
    })),
  );
}
