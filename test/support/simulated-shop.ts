import { randomUUID } from "node:crypto";
import type { RunningSimulator } from "../../simulator/server";
import { installShop, type TestDatabase } from "./database";
import { createMember, recordEntry } from "./members";

/**
 * A shop in the simulator with the app installed, the same shop in the app's database (its
 * offline token the simulator's), and two rewards: 500 points for 5 off, 2000 for 20 off.
 * `tokenFor` signs a session token for one of its customers, as the surface under test would.
 */
export async function simulatedShop(
  database: TestDatabase,
  simulator: RunningSimulator,
  shop: string,
  tokenFor: (claims: { shop: string; customerId: string }) => string,
) {
  const control = async (path: string, body: unknown = {}) =>
    (await (
      await fetch(`${simulator.url}/control/shops/${shop}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
    ).json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  await control("", { currency: "USD" });
  const { access_token: token } = await control("/install");
  await installShop(database.db, shop);
  await database.db.run('UPDATE "Session" SET "accessToken" = ? WHERE "shop" = ?', [token, shop]);
  const now = new Date().toISOString();
  await database.db.run(
    `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "code_lifetime_days", "created_at", "updated_at")
     VALUES (?, '5 off your order', 'fixed_amount', 500, 500, 30, ?, ?), (?, '20 off your order', 'fixed_amount', 2000, 2000, 30, ?, ?)`,
    [shop, now, now, shop, now, now],
  );
  return {
    /** A shopper known to Shopify and to the app, with some points. */
    async shopper(points: number) {
      const customerId = String((await control("/customers", { email: `${randomUUID()}@example.com` })).result.id);
      const member = await createMember(database.db, shop, { customerId });
      if (points) await recordEntry(database.db, shop, member.id, points);
      return { ...member, token: () => tokenFor({ shop, customerId }) };
    },
    discounts: () => [...simulator.store.shop(shop).discounts.values()],
    /** The id of this shop's reward with the given cost. */
    rewardCosting: async (pointsCost: number) =>
      (await database.db.get<{ id: number }>('SELECT "id" FROM "rewards" WHERE "shop" = ? AND "points_cost" = ?', [shop, pointsCost]))!.id,
  };
}
