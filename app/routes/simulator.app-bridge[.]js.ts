import { APP_BRIDGE_STAND_IN_SOURCE } from "../shopify/app-bridge-stand-in.server";
import { simulatorOrigin } from "../shopify/simulator-switch.server";

// The App Bridge stand-in for the local simulator; 404 unless the development switch is on.
export const loader = () => {
  if (!simulatorOrigin()) return new Response("Not found", { status: 404 });
  return new Response(APP_BRIDGE_STAND_IN_SOURCE, {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" },
  });
};
