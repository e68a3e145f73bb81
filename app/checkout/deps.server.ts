import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { adminClientForShop } from "../shopify/admin-api.server";
import type { CheckoutDeps } from "./requests.server";

/** The process's database, the shop's offline Admin client and shopify-app-remix's checkout authenticator. */
export function checkoutDeps(): CheckoutDeps {
  const { db } = getRuntime();
  return { db, adminFor: (shop) => adminClientForShop(db, shop), authenticate: (request) => authenticate.public.checkout(request) };
}
