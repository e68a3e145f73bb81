import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseIdCursor } from "../domain/pagination";
import { getDataRequestExport } from "../models/compliance.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

// Resource route: the stored customers/data_request export of this shop, as a JSON file.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parseIdCursor(params.id);
  const found = id === undefined ? undefined : await getDataRequestExport(getRuntime().db, session.shop, id);
  if (!found) return new Response("No such data request in this store.", { status: 404 });
  return new Response(found.export, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-${found.customer_id.replace(/\D/g, "")}-data-request-${id}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
};
