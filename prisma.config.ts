// Prisma CLI configuration. Runs Prisma's JavaScript/WASM engines through driver adapters, so
// no native engine is downloaded; scripts/prisma.mjs sets the environment this needs.
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { resolveDatabaseUrl } from "./app/db/database-url";

const target = resolveDatabaseUrl();
const folder = target.kind === "postgres" ? "prisma/postgres" : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `${folder}/schema.prisma`,
  migrations: { path: `${folder}/migrations` },
  async adapter() {
    if (target.kind === "postgres") return new MigrationFriendlyPg(catalogFriendlyPool(target.url));
    if (target.file !== ":memory:") fs.mkdirSync(path.dirname(target.file), { recursive: true });
    return new PrismaBetterSQLite3({ url: target.file });
  },
});

// Prisma 6.19's WASM schema engine reads PostgreSQL's catalogs, whose `name`/`char` columns the pg
// adapter refuses ("Column type 'name' could not be deserialized", prisma/orm#27403). Migrations
// only read those columns as text, so report them as text. CLI only: the app never sees this pool.
const CATALOG_TEXT_TYPES: Record<number, number> = { 18: 25, 19: 25, 1002: 1009, 1003: 1009 };

function asText<T>(result: T): T {
  for (const field of (result as { fields?: { dataTypeID: number }[] })?.fields ?? []) {
    field.dataTypeID = CATALOG_TEXT_TYPES[field.dataTypeID] ?? field.dataTypeID;
  }
  return result;
}

class CatalogFriendlyClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(...args: any[]): any {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last];
      args[last] = (error: unknown, result: unknown) => callback(error, error ? result : asText(result));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    return result && typeof result.then === "function" ? result.then(asText) : result;
  }
}

function catalogFriendlyPool(connectionString: string): pg.Pool {
  return new pg.Pool({ connectionString, Client: CatalogFriendlyClient });
}

// The same adapter splits migration scripts on every ";", which breaks PL/pgSQL bodies ($$ ... $$).
// PostgreSQL's simple query protocol runs a whole script itself, quoting rules included.
class MigrationFriendlyPg extends PrismaPg {
  async connect() {
    const adapter = await super.connect();
    const driver = adapter.underlyingDriver() as pg.Pool;
    adapter.executeScript = async (script: string) => {
      try {
        await driver.query(script);
      } catch (error) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (adapter as any).onError(error);
      }
    };
    return adapter;
  }
}
