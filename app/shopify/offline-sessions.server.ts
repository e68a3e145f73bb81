import type { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

/** The parts of Shopify's session storage used here (PrismaSessionStorage in the app). */
export type SessionStorage = Pick<PrismaSessionStorage<never>, "loadSession" | "findSessionsByShop" | "deleteSessions" | "storeSession">;

/**
 * The shop's offline sessions, through Shopify's session storage: the one owner of the
 * `Session` table (nothing else in the app reads or writes it).
 */
export interface OfflineSessions {
  /** The offline access token, or null when the shop has none (not installed, or uninstalled). */
  accessToken(shop: string): Promise<string | null>;
  /** app/uninstalled and shop/redact: every session of the shop goes. */
  deleteAll(shop: string): Promise<void>;
  /** app/scopes_update: the offline session records the scopes now granted. */
  setScopes(shop: string, scopes: readonly string[]): Promise<void>;
}

/** Offline session ids are `offline_<shop>` (shopify-api's getOfflineId). */
const offlineId = (shop: string) => `offline_${shop}`;

export function offlineSessionsFrom(storage: SessionStorage): OfflineSessions {
  return {
    async accessToken(shop) {
      const session = await storage.loadSession(offlineId(shop));
      return session?.accessToken ?? null;
    },
    async deleteAll(shop) {
      const sessions = await storage.findSessionsByShop(shop);
      if (sessions.length) await storage.deleteSessions(sessions.map((session) => session.id));
    },
    async setScopes(shop, scopes) {
      const session = await storage.loadSession(offlineId(shop));
      if (!session) return;
      session.scope = scopes.join(",");
      await storage.storeSession(session);
    },
  };
}
