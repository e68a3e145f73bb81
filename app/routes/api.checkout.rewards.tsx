import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionDeps } from "../shopper/extension-deps.server";
import { rewardsRequest } from "../shopper/extension-requests.server";

// Checkout extension: GET /api/checkout/rewards (OPTIONS preflights reach the action).
export const loader = ({ request }: LoaderFunctionArgs) => rewardsRequest(request, extensionDeps("checkout"));
export const action = ({ request }: ActionFunctionArgs) => rewardsRequest(request, extensionDeps("checkout"));
