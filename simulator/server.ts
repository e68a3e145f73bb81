import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAdminGraphqlHandler, type ThrottleOptions } from "./admin-graphql";
import { readAppConfigFile, type AppConfigFile } from "./app-config";
import { proxyUrlFor, signedAppProxyUrl } from "./app-proxy";
import { SimulatorInputError, SimulatorNotFoundError } from "./errors";
import type { Mailbox } from "./mailbox";
import { createSimulatorPages } from "./pages";
import { exchangeToken, mintSessionToken } from "./session-token";
import { SimulatedStore } from "./store";
import type { CancelReason, OperationResult } from "./types";
import { WebhookDelivery, type DeliveryChaos } from "./webhooks";

export interface SimulatorOptions {
  /** Where the app runs, e.g. "http://127.0.0.1:3000": webhooks and the app proxy go there. */
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** shopify.app.toml, already read; defaults to the repository's. */
  appConfig?: AppConfigFile;
  store?: SimulatedStore;
  retryScheduleMs?: readonly number[];
  webhookTimeoutMs?: number;
  chaos?: DeliveryChaos;
  throttle?: ThrottleOptions;
  /**
   * Wait for webhook deliveries (with their retries) before a control request answers.
   * Tests want this; a demo with long retry schedules may not.
   */
  awaitDeliveries?: boolean;
  /** The SMTP server the app's messages go to: the simulator shows what it received (simulator/mailbox.ts). */
  mailbox?: Mailbox;
}

export interface RunningSimulator {
  /** "http://127.0.0.1:<port>": use as SHOPIFY_ADMIN_API_ORIGIN. */
  url: string;
  store: SimulatedStore;
  deliveries: WebhookDelivery;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ADMIN_GRAPHQL = /^\/shops\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/;
const TOKEN_EXCHANGE = /^\/shops\/([^/]+)\/admin\/oauth\/access_token$/;
const CONTROL = /^\/control\/shops\/([^/]+)(\/.*)?$/;

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJsonBody(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, "body is not a JSON object");
}

function send(response: http.ServerResponse, status: number, json: unknown) {
  response.writeHead(status, { "Content-Type": "application/json" });
  // The store keeps resources in Maps; the control API shows them as lists.
  response.end(JSON.stringify(json, (_key, value: unknown) => (value instanceof Map ? [...value.values()] : value)));
}

/**
 * A local Shopify for development and tests: the Admin GraphQL API and token exchange under
 * `/shops/<shop>/admin/...`, a JSON control API to play the merchant and shoppers, and HTML pages
 * for people (admin frame, storefront, controls: simulator/pages.ts).
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const config = options.appConfig ?? readAppConfigFile();
  const store = options.store ?? new SimulatedStore();
  const deliveries = new WebhookDelivery({
    appUrl: options.appUrl,
    apiSecret: options.apiSecret,
    subscriptions: config.subscriptions,
    apiVersion: config.apiVersion || undefined,
    retryScheduleMs: options.retryScheduleMs,
    timeoutMs: options.webhookTimeoutMs,
    chaos: options.chaos,
  });
  const adminGraphql = createAdminGraphqlHandler({ store, throttle: options.throttle });
  const tokenOptions = { store, apiKey: options.apiKey, apiSecret: options.apiSecret, scopes: config.scopes };
  const awaitDeliveries = options.awaitDeliveries ?? true;

  const publish = async <T>(result: OperationResult<T>) => {
    const delivering = deliveries.publish(result.events);
    const records = awaitDeliveries ? await delivering : [];
    return {
      result: result.value,
      webhooks: awaitDeliveries
        ? records.map(({ topic, webhookId, state, attempts }) => ({ topic, webhookId, state, attempts: attempts.length }))
        : result.events.map(({ topic }) => ({ topic, state: "pending" })),
    };
  };

  const control = async (method: string, shopDomain: string, rest: string, body: Record<string, unknown>) => {
    const id = (value: string | undefined) => {
      if (!value || !/^\d+$/.test(value)) throw new HttpError(404, "not found");
      return Number(value);
    };
    const segments = rest.split("/").filter(Boolean);
    if (method === "POST" && segments.length === 0) {
      return { status: 201, json: store.createShop({ ...(body as { currency?: string; name?: string }), domain: shopDomain }) };
    }
    store.shop(shopDomain);
    const [resource, resourceId, action] = segments;
    if (method === "GET" && segments.length === 0) return { status: 200, json: store.shop(shopDomain) };
    if (method === "POST" && resource === "install") {
      const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : config.scopes;
      return { status: 200, json: { access_token: store.installApp(shopDomain, scopes), scope: scopes.join(",") } };
    }
    if (method === "POST" && resource === "uninstall") return { status: 200, json: await publish(store.uninstallApp(shopDomain)) };
    if (method === "POST" && resource === "products" && !resourceId) {
      return { status: 201, json: store.addProduct(shopDomain, body as Parameters<SimulatedStore["addProduct"]>[1]) };
    }
    if (method === "POST" && resource === "collections" && !resourceId) {
      return { status: 201, json: store.addCollection(shopDomain, body as Parameters<SimulatedStore["addCollection"]>[1]) };
    }
    if (method === "POST" && resource === "customers" && !resourceId) {
      return { status: 201, json: await publish(store.createCustomer(shopDomain, body)) };
    }
    if (method === "POST" && resource === "customers" && resourceId && !action) {
      return { status: 200, json: await publish(store.updateCustomer(shopDomain, id(resourceId), body)) };
    }
    if (method === "POST" && resource === "customers" && resourceId && action === "enable") {
      return { status: 200, json: await publish(store.enableCustomer(shopDomain, id(resourceId))) };
    }
    if (method === "POST" && resource === "customers" && resourceId && action === "email-consent") {
      return { status: 200, json: await publish(store.setEmailConsent(shopDomain, id(resourceId), body.state)) };
    }
    if (method === "POST" && resource === "orders" && !resourceId) {
      return { status: 201, json: await publish(store.placeOrder(shopDomain, body as never)) };
    }
    if (method === "POST" && resource === "orders" && resourceId) {
      const orderId = id(resourceId);
      switch (action) {
        case "pay":
          return { status: 200, json: await publish(store.payOrder(shopDomain, orderId)) };
        case "fulfil":
          return { status: 200, json: await publish(store.fulfilOrder(shopDomain, orderId, body.lines as never)) };
        case "refund":
          return { status: 200, json: await publish(store.refundOrder(shopDomain, orderId, body as never)) };
        case "cancel":
          return {
            status: 200,
            json: await publish(
              store.cancelOrder(shopDomain, orderId, { reason: body.reason as CancelReason | undefined, refund: body.refund as boolean | undefined }),
            ),
          };
      }
    }
    if (method === "POST" && resource === "session-token") {
      return {
        status: 200,
        json: { token: mintSessionToken({ shop: shopDomain, apiKey: options.apiKey, apiSecret: options.apiSecret, userId: Number(body.userId ?? 1) }) },
      };
    }
    if (method === "POST" && resource === "proxy-url") {
      if (!config.appProxy) throw new HttpError(422, "shopify.app.toml has no [app_proxy]");
      const url = signedAppProxyUrl({
        proxyUrl: proxyUrlFor(options.appUrl, config.appProxy.url),
        apiSecret: options.apiSecret,
        shop: shopDomain,
        path: typeof body.path === "string" ? body.path : "",
        loggedInCustomerId: (body.customerId as number | null | undefined) ?? null,
        pathPrefix: `/${config.appProxy.prefix}/${config.appProxy.subpath}`,
      });
      return { status: 200, json: { url: url.toString() } };
    }
    throw new HttpError(404, `no control route ${method} /control/shops/${shopDomain}${rest}`);
  };

  const pages = createSimulatorPages({
    store,
    deliveries,
    appConfig: config,
    appUrl: options.appUrl,
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    control,
    mailbox: options.mailbox,
  });

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://simulator");
    const method = request.method ?? "GET";
    try {
      let match = ADMIN_GRAPHQL.exec(url.pathname);
      if (match) {
        if (method !== "POST") throw new HttpError(405, "Admin GraphQL is POST only");
        if (match[2] !== config.apiVersion) throw new HttpError(404, `the simulator serves Admin API ${config.apiVersion} only, not ${match[2]}`);
        const answer = await adminGraphql({
          shop: decodeURIComponent(match[1]),
          token: request.headers["x-shopify-access-token"] as string | undefined,
          body: await readBody(request),
        });
        return send(response, answer.status, answer.json);
      }
      match = TOKEN_EXCHANGE.exec(url.pathname);
      if (match) {
        if (method !== "POST") throw new HttpError(405, "the token endpoint is POST only");
        const text = await readBody(request);
        const body = (request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")
          ? Object.fromEntries(new URLSearchParams(text))
          : parseJsonBody(text);
        const answer = exchangeToken(tokenOptions, decodeURIComponent(match[1]), body);
        return send(response, answer.status, answer.json);
      }
      if (url.pathname === "/control/deliveries" && method === "GET") {
        await (url.searchParams.get("wait") === "1" ? deliveries.idle() : Promise.resolve());
        return send(response, 200, deliveries.log);
      }
      match = CONTROL.exec(url.pathname);
      if (match) {
        const body = method === "POST" ? parseJsonBody(await readBody(request)) : {};
        const answer = await control(method, decodeURIComponent(match[1]), match[2] ?? "", body);
        return send(response, answer.status, answer.json);
      }
      if (await pages.handle(request, response, url)) return;
      throw new HttpError(404, `no route ${method} ${url.pathname}`);
    } catch (error) {
      if (error instanceof HttpError) return send(response, error.status, { error: error.message });
      if (error instanceof SimulatorNotFoundError) return send(response, 404, { error: error.message });
      if (error instanceof SimulatorInputError || error instanceof RangeError) return send(response, 422, { error: error.message });
      return send(response, 500, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${address.port}`,
    store,
    deliveries,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
