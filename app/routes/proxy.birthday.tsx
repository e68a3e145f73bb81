import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { birthdayResponse } from "../proxy/customer.server";
import { getRuntime } from "../runtime.server";

// Storefront: POST /apps/loyalty/birthday { month, day }, forwarded and signed by Shopify's app proxy.
const respond = (request: Request) => {
  const { db, config } = getRuntime();
  return birthdayResponse(request, { db, secrets: config.apiSecrets });
};

export const action = ({ request }: ActionFunctionArgs) => respond(request);
export const loader = ({ request }: LoaderFunctionArgs) => respond(request);
