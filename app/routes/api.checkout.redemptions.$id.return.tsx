import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { checkoutDeps } from "../checkout/deps.server";
import { checkoutReturnResponse } from "../checkout/requests.server";

// Checkout extension: POST /api/checkout/redemptions/:id/return when the code could not be applied.
export const action = ({ request, params }: ActionFunctionArgs) => checkoutReturnResponse(request, Number(params.id), checkoutDeps());
export const loader = ({ request, params }: LoaderFunctionArgs) => checkoutReturnResponse(request, Number(params.id), checkoutDeps());
