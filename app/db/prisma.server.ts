import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresPrismaClient } from "@loyalty-app/prisma-postgres";
import { PrismaClient as SqlitePrismaClient } from "@loyalty-app/prisma-sqlite";
import { resolveDatabaseUrl } from "./database-url";

/** Prisma's client, for Shopify's session storage only (every other query goes through app/db); the same schema on either database. */
export type AppPrismaClient = SqlitePrismaClient;

/** Prisma over DATABASE_URL (or `url`): Shopify's session storage is its one user. */
export function createPrisma(url?: string): AppPrismaClient {
  const target = resolveDatabaseUrl(url);
  if (target.kind === "postgres") {
    return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: target.url }) }) as unknown as AppPrismaClient;
  }
  return new SqlitePrismaClient({ adapter: new PrismaBetterSQLite3({ url: target.file }) });
}
