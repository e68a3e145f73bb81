import type http from "node:http";
import type { AddressInfo } from "node:net";
import type { AppConfig } from "../../app/config.server";
import { createRuntime } from "../../app/runtime.server";
import type { TestDatabase } from "./database";
import { createNodeServer } from "../../app/server/node-server.server";
import { TEST_API_KEY, TEST_API_SECRET, webhookRequestInit, type WebhookDelivery } from "./signing";

export const testConfig: AppConfig = {
  apiKey: TEST_API_KEY,
  apiSecrets: [TEST_API_SECRET],
  appUrl: "http://127.0.0.1",
  scopes: ["read_orders", "read_customers"],
  port: 0,
};

/** The app's real HTTP server on an ephemeral loopback port, over the given database and its session storage; `clock` is what webhooks and shopper reads take as now. */
export async function startAppServer(
  database: Pick<TestDatabase, "db" | "sessions">,
  fallback?: Parameters<typeof createNodeServer>[0]["fallback"],
  { clock }: { clock?: () => Date } = {},
) {
  const runtime = createRuntime(testConfig, database.db, database.sessions, { clock });
  const server: http.Server = createNodeServer({ runtime, fallback });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    async deliver(delivery: WebhookDelivery) {
      const response = await fetch(`${origin}/webhooks`, webhookRequestInit(delivery));
      return { status: response.status, body: (await response.json()) as { ok: boolean; status?: string; error?: string } };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
