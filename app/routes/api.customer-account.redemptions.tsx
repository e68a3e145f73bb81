import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionDeps } from "../shopper/extension-deps.server";
import { redeemRequest, unusedCodesRequest } from "../shopper/extension-requests.server";

// Customer account extension: GET lists the customer's unused codes; POST { rewardId, idempotencyKey, amount? } redeems.
export const loader = ({ request }: LoaderFunctionArgs) => unusedCodesRequest(request, extensionDeps("customerAccount"));
export const action = ({ request }: ActionFunctionArgs) => redeemRequest(request, extensionDeps("customerAccount"));
