import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerFlowFetchRequest, answerFlowLifecycle } from "../flow/requests.server";
import { getRuntime } from "../runtime.server";

// POST /flow/lifecycle: Shopify Flow says a shop started or stopped using one of the app's
// triggers (app/flow/requests.server.ts). In production server.mjs answers it before Remix does.
const handle = (request: Request) => answerFlowFetchRequest(answerFlowLifecycle, getRuntime().flow, request);

export const action = ({ request }: ActionFunctionArgs) => handle(request);
export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
