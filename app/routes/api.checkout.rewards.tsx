import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { checkoutDeps } from "../checkout/deps.server";
import { checkoutRewardsResponse } from "../checkout/requests.server";

// Checkout extension: GET /api/checkout/rewards (OPTIONS preflights reach the action).
export const loader = ({ request }: LoaderFunctionArgs) => checkoutRewardsResponse(request, checkoutDeps());
export const action = ({ request }: ActionFunctionArgs) => checkoutRewardsResponse(request, checkoutDeps());
