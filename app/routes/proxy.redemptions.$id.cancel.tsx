import type { ActionFunctionArgs } from "@remix-run/node";
import { cancelRedemptionResponse } from "../proxy/customer.server";
import { getRuntime } from "../runtime.server";
import { adminClientForShop } from "../shopify/admin-api.server";

// Storefront: POST /apps/loyalty/redemptions/:id/cancel gives an unused code's points back.
export const action = ({ request, params }: ActionFunctionArgs) => {
  const { db, config } = getRuntime();
  return cancelRedemptionResponse(request, Number(params.id), {
    db,
    secrets: config.apiSecrets,
    adminFor: (shop) => adminClientForShop(db, shop),
  });
};
