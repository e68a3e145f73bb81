import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { offlineSessionsFrom } from "./shopify/offline-sessions.server";

/** Shopify's session storage over Prisma: the one owner of the Session table, shared by shopify-app-remix and the app's own code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const sessionStorage = new PrismaSessionStorage(prisma as any);

export const offlineSessions = offlineSessionsFrom(sessionStorage);
