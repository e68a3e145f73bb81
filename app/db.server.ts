import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresPrismaClient } from "@loyalty-app/prisma-postgres";
import { PrismaClient as SqlitePrismaClient } from "@loyalty-app/prisma-sqlite";
import { resolveDatabaseUrl } from "./db/database-url";

/** Prisma for the admin's reads and Shopify's session storage; the same schema on either database. */
export type AppPrismaClient = SqlitePrismaClient;

function createPrisma(): AppPrismaClient {
  const target = resolveDatabaseUrl();
  if (target.kind === "postgres") {
    return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: target.url }) }) as unknown as AppPrismaClient;
  }
  return new SqlitePrismaClient({ adapter: new PrismaBetterSQLite3({ url: target.file }) });
}

declare global {
  // eslint-disable-next-line no-var
  var __loyaltyPrisma: AppPrismaClient | undefined;
}

export const prisma: AppPrismaClient = (globalThis.__loyaltyPrisma ??= createPrisma());
export default prisma;
