import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createRedemptionResponse } from "../proxy/customer.server";
import { getRuntime } from "../runtime.server";
import { adminClientForShop } from "../shopify/admin-api.server";

// Storefront: POST /apps/loyalty/redemptions, forwarded and signed by Shopify's app proxy.
const respond = (request: Request) => {
  const { db, config } = getRuntime();
  return createRedemptionResponse(request, { db, secrets: config.apiSecrets, adminFor: (shop) => adminClientForShop(db, shop) });
};

export const action = ({ request }: ActionFunctionArgs) => respond(request);
export const loader = ({ request }: LoaderFunctionArgs) => respond(request);
