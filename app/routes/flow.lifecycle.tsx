import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerFlowLifecycle } from "../flow/requests.server";
import { getRuntime } from "../runtime.server";

// POST /flow/lifecycle: Shopify Flow says a shop started or stopped using one of the app's
// triggers (app/flow/requests.server.ts). In production server.mjs answers it before Remix does.
async function handle(request: Request) {
  const answer = await answerFlowLifecycle(getRuntime().flow, {
    method: request.method,
    header: (name) => request.headers.get(name),
    body: Buffer.from(await request.arrayBuffer()),
  });
  return Response.json(answer.body, { status: answer.status, headers: answer.headers });
}

export const action = ({ request }: ActionFunctionArgs) => handle(request);
export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
