import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { checkoutDeps } from "../checkout/deps.server";
import { checkoutOrderPointsResponse } from "../checkout/requests.server";

// Thank-you page: GET /api/checkout/order-points?orderId= (OPTIONS preflights reach the action).
export const loader = ({ request }: LoaderFunctionArgs) => checkoutOrderPointsResponse(request, checkoutDeps());
export const action = ({ request }: ActionFunctionArgs) => checkoutOrderPointsResponse(request, checkoutDeps());
