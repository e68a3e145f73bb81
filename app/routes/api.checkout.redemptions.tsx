import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionDeps } from "../shopper/extension-deps.server";
import { redeemRequest } from "../shopper/extension-requests.server";

// Checkout extension: POST /api/checkout/redemptions { rewardId, idempotencyKey, amount? }.
export const action = ({ request }: ActionFunctionArgs) => redeemRequest(request, extensionDeps("checkout"));
export const loader = ({ request }: LoaderFunctionArgs) => redeemRequest(request, extensionDeps("checkout"));
