import type { SqlExecutor } from "../db/types";
import { findMember } from "../models/members.server";
import { isInstalled } from "../models/shops.server";
import { verifyAppProxyRequest } from "./verify.server";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, no-store" },
  });

/** GET /proxy/customer: the logged-in shopper's points, for the storefront. */
export async function customerPointsResponse(request: Request, deps: { db: SqlExecutor; secrets: readonly string[] }) {
  if (request.method !== "GET") return json(405, { error: "method_not_allowed", message: "use GET" });
  const auth = verifyAppProxyRequest(new URL(request.url), deps.secrets);
  if (!auth.ok) return json(auth.status, { error: auth.status === 401 ? "unauthorized" : "bad_request", message: auth.error });
  if (!auth.customerId) return json(401, { error: "not_logged_in", message: "Sign in to see your points." });
  if (!(await isInstalled(deps.db, auth.shop))) return json(404, { error: "not_installed", message: "The rewards program is not available." });
  const member = await findMember(deps.db, auth.shop, auth.customerId);
  return json(200, { customerId: auth.customerId, points: member?.balance ?? 0 });
}
