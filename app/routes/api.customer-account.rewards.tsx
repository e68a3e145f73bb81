import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionDeps } from "../shopper/extension-deps.server";
import { rewardsRequest } from "../shopper/extension-requests.server";

// Customer account extension: GET /api/customer-account/rewards (OPTIONS preflights reach the action).
export const loader = ({ request }: LoaderFunctionArgs) => rewardsRequest(request, extensionDeps("customerAccount"));
export const action = ({ request }: ActionFunctionArgs) => rewardsRequest(request, extensionDeps("customerAccount"));
