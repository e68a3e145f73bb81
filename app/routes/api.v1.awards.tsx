import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { slidingWindowLimiter } from "../domain/rate-limit";
import { AWARD_API_RATE, answerAwardCall } from "../models/award-api.server";
import { getRuntime } from "../runtime.server";

// POST /api/v1/awards: review apps and the merchant's own systems award a review or a custom
// action with a per-shop API key (app/models/award-api.server.ts does all of it).

const limiter = slidingWindowLimiter(AWARD_API_RATE);

async function handle(request: Request) {
  const answer = await answerAwardCall(
    { db: getRuntime().db, limiter },
    { method: request.method, authorization: request.headers.get("Authorization"), body: () => request.text() },
  );
  return Response.json(answer.body, { status: answer.status, headers: { "Cache-Control": "no-store", ...answer.headers } });
}

export const action = ({ request }: ActionFunctionArgs) => handle(request);
export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
