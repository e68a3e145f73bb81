import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { customerPointsResponse } from "../proxy/customer.server";
import { getRuntime } from "../runtime.server";

// Storefront: /apps/loyalty/customer, forwarded and signed by Shopify's app proxy.
const respond = (request: Request) => {
  const { db, config } = getRuntime();
  return customerPointsResponse(request, { db, secrets: config.apiSecrets });
};

export const loader = ({ request }: LoaderFunctionArgs) => respond(request);
export const action = ({ request }: ActionFunctionArgs) => respond(request);
