import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { offlineSessionsFrom, type OfflineSessions } from "./shopify/offline-sessions.server";

// Shopify's session storage over Prisma: the one owner of the Session table, shared by
// shopify-app-remix and the app's own code. Made on first use, not on import: the storage starts
// polling for its table as soon as it exists, so a process that only imports the runtime (a test
// harness with its own database and sessions) must not make one against the default database.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let storage: PrismaSessionStorage<any> | undefined;
let offline: OfflineSessions | undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sessionStorage(): PrismaSessionStorage<any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  storage ??= new PrismaSessionStorage(prisma as any);
  return storage;
}

export function offlineSessions(): OfflineSessions {
  offline ??= offlineSessionsFrom(sessionStorage());
  return offline;
}
