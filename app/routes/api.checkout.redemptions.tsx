import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { checkoutDeps } from "../checkout/deps.server";
import { checkoutRedeemResponse } from "../checkout/requests.server";

// Checkout extension: POST /api/checkout/redemptions { rewardId, idempotencyKey, amount? }.
export const action = ({ request }: ActionFunctionArgs) => checkoutRedeemResponse(request, checkoutDeps());
export const loader = ({ request }: LoaderFunctionArgs) => checkoutRedeemResponse(request, checkoutDeps());
