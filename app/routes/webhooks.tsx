import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getRuntime } from "../runtime.server";
import { receiveWebhook } from "../webhooks/ingress.server";

// Every topic in shopify.app.toml is delivered here; app/webhooks/topics.server.ts dispatches it.
// In production server.mjs answers /webhooks before Remix does, with the same receiveWebhook.
async function handle(request: Request) {
  const { config, webhooks } = getRuntime();
  const result = await receiveWebhook(
    {
      method: request.method,
      header: (name) => request.headers.get(name),
      body: Buffer.from(await request.arrayBuffer()),
    },
    { secrets: config.apiSecrets, applier: webhooks },
  );
  return Response.json(result.body, { status: result.status, headers: result.headers });
}

export const action = ({ request }: ActionFunctionArgs) => handle(request);
export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
