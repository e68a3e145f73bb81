import { createPrisma, type AppPrismaClient } from "./db/prisma.server";

declare global {
  var __loyaltyPrisma: AppPrismaClient | undefined;
}

/** The process's Prisma client, over DATABASE_URL: Shopify's session storage is its one user. */
export const prisma: AppPrismaClient = (globalThis.__loyaltyPrisma ??= createPrisma());
export default prisma;
