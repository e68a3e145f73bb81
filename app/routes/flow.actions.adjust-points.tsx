import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerFlowAdjustPoints, answerFlowFetchRequest } from "../flow/requests.server";
import { getRuntime } from "../runtime.server";

// POST /flow/actions/adjust-points: one run of the "Adjust loyalty points" Flow action
// (app/flow/requests.server.ts). In production server.mjs answers it before Remix does.
const handle = (request: Request) => answerFlowFetchRequest(answerFlowAdjustPoints, getRuntime().flow, request);

export const action = ({ request }: ActionFunctionArgs) => handle(request);
export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
