import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionDeps } from "../shopper/extension-deps.server";
import { orderPointsRequest } from "../shopper/extension-requests.server";

// Thank-you page: GET /api/checkout/order-points?orderId= (OPTIONS preflights reach the action).
export const loader = ({ request }: LoaderFunctionArgs) => orderPointsRequest(request, extensionDeps("checkout"));
export const action = ({ request }: ActionFunctionArgs) => orderPointsRequest(request, extensionDeps("checkout"));
