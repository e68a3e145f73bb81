import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionDeps } from "../shopper/extension-deps.server";
import { returnRequest } from "../shopper/extension-requests.server";

// Checkout extension: POST /api/checkout/redemptions/:id/return when the code could not be applied.
export const action = ({ request, params }: ActionFunctionArgs) => returnRequest(request, Number(params.id), extensionDeps("checkout"));
export const loader = ({ request, params }: LoaderFunctionArgs) => returnRequest(request, Number(params.id), extensionDeps("checkout"));
