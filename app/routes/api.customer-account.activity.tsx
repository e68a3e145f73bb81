import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionDeps } from "../shopper/extension-deps.server";
import { activityRequest } from "../shopper/extension-requests.server";

// Customer account extension: GET /api/customer-account/activity, the last ten ledger entries.
export const loader = ({ request }: LoaderFunctionArgs) => activityRequest(request, extensionDeps("customerAccount"));
export const action = ({ request }: ActionFunctionArgs) => activityRequest(request, extensionDeps("customerAccount"));
