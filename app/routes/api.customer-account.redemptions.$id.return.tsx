import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionDeps } from "../shopper/extension-deps.server";
import { returnRequest } from "../shopper/extension-requests.server";

// Customer account extension: POST /api/customer-account/redemptions/:id/return cancels an unused code; its points come back.
export const action = ({ request, params }: ActionFunctionArgs) => returnRequest(request, Number(params.id), extensionDeps("customerAccount"));
export const loader = ({ request, params }: LoaderFunctionArgs) => returnRequest(request, Number(params.id), extensionDeps("customerAccount"));
