import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { adminClientForShop } from "../shopify/admin-api.server";
import type { ExtensionDeps } from "./extension-requests.server";

/** The process's database, the shop's offline Admin client and the surface's authenticator from shopify-app-remix. */
export function extensionDeps(surface: "checkout" | "customerAccount"): ExtensionDeps {
  const { db } = getRuntime();
  return { db, adminFor: (shop) => adminClientForShop(db, shop), authenticate: (request) => authenticate.public[surface](request) };
}
