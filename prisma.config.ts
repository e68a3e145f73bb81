// Prisma CLI configuration. Runs Prisma's JavaScript/WASM engines through driver adapters, so
// no native engine is downloaded; scripts/prisma.mjs sets the environment this needs.
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { resolveDatabaseUrl } from "./app/db/database-url";

const target = resolveDatabaseUrl();
const folder = target.kind === "postgres" ? "prisma/postgres" : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `${folder}/schema.prisma`,
  migrations: { path: `${folder}/migrations` },
  async adapter() {
    if (target.kind === "postgres") return new PrismaPg({ connectionString: target.url });
    if (target.file !== ":memory:") fs.mkdirSync(path.dirname(target.file), { recursive: true });
    return new PrismaBetterSQLite3({ url: target.file });
  },
});
