import { afterEach, describe, expect, it } from "vitest";
import { receiveWebhook } from "../../app/webhooks/ingress.server";
import { readAppConfigFile } from "../app-config";
import { SimulatedStore } from "../store";
import { WebhookDelivery, type WebhookDeliveryOptions } from "../webhooks";
import { startRecordingServer } from "./support/recording-server";
import { SIM_API_SECRET, shopifyLibrary } from "./support/shopify-api";

const SHOP = "sim-shop.myshopify.com";
const API_SECRET = SIM_API_SECRET;
const config = readAppConfigFile();

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function appStub(respond: Parameters<typeof startRecordingServer>[0] = () => 200) {
  const server = await startRecordingServer(respond);
  servers.push(server);
  return server;
}

function setup(appUrl: string, options: Partial<WebhookDeliveryOptions> = {}) {
  const store = new SimulatedStore();
  store.createShop({ domain: SHOP });
  const delivery = new WebhookDelivery({
    appUrl,
    apiSecret: API_SECRET,
    subscriptions: config.subscriptions,
    retryScheduleMs: [5, 10, 20],
    ...options,
  });
  return { store, delivery };
}

const header = (request: { headers: Record<string, string | string[] | undefined> }, name: string) => request.headers[name] as string;

describe("subscriptions from shopify.app.toml", () => {
  it("are every topic and the compliance topics, all at /webhooks, on API 2026-01", () => {
    expect(config.apiVersion).toBe("2026-01");
    expect(config.subscriptions).toEqual([
      {
        topics: [
          "orders/paid",
          "orders/fulfilled",
          "orders/cancelled",
          "refunds/create",
          "customers/create",
          "customers/update",
          "customers/enable",
          "customers/email_marketing_consent/update",
          "app/uninstalled",
          "app/scopes_update",
        ],
        uri: "/webhooks",
        compliance: false,
      },
      { topics: ["customers/data_request", "customers/redact", "shop/redact"], uri: "/webhooks", compliance: true },
    ]);
    expect(config.scopes).toContain("write_discounts");
    expect(config.appProxy).toEqual({ url: "https://localhost:3000/proxy", prefix: "apps", subpath: "loyalty" });
  });
});

describe("a delivered webhook", () => {
  it("carries Shopify's headers and is accepted by @shopify/shopify-api's webhooks.validate", async () => {
    const shopify = shopifyLibrary();
    const validations: unknown[] = [];
    const app = await appStub(async (request, _index, { req, res }) => {
      validations.push(await shopify.webhooks.validate({ rawBody: request.body.toString("utf8"), rawRequest: req, rawResponse: res }));
    });
    const { store, delivery } = setup(app.url);
    const customer = store.createCustomer(SHOP, { email: "ada@example.com" });
    const [record] = await delivery.publish(customer.events);

    expect(record).toMatchObject({ state: "delivered", topic: "customers/create", url: `${app.url}/webhooks` });
    const [request] = app.requests;
    expect(request.url).toBe("/webhooks");
    expect(header(request, "x-shopify-topic")).toBe("customers/create");
    expect(header(request, "x-shopify-shop-domain")).toBe(SHOP);
    expect(header(request, "x-shopify-api-version")).toBe("2026-01");
    expect(header(request, "x-shopify-webhook-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(header(request, "x-shopify-event-id")).toBe(customer.events[0].eventId);
    expect(new Date(header(request, "x-shopify-triggered-at")).toISOString()).toBe(header(request, "x-shopify-triggered-at"));
    expect(JSON.parse(request.body.toString("utf8"))).toEqual(customer.events[0].payload);
    expect(validations).toEqual([
      expect.objectContaining({ valid: true, topic: "CUSTOMERS_CREATE", domain: SHOP, apiVersion: "2026-01", webhookId: record.webhookId }),
    ]);
  });

  it("is accepted by the app's own ingress, and refused when signed with another secret", async () => {
    const applied: unknown[] = [];
    const applier = { apply: async (event: unknown) => (applied.push(event), { status: "applied" as const }) };
    const answers: number[] = [];
    const app = await appStub(async (request) => {
      const answer = await receiveWebhook(
        { method: request.method, header: (name) => header(request, name.toLowerCase()), body: request.body },
        { secrets: [API_SECRET], applier: applier as never },
      );
      answers.push(answer.status);
      return answer.status;
    });
    const { store, delivery } = setup(app.url);
    const order = store.placeOrder(SHOP, { lines: [{ price: "10.00" }], paid: true });
    await delivery.publish(order.events);
    expect(answers).toEqual([200]);
    expect(applied).toEqual([expect.objectContaining({ topic: "orders/paid", shop: SHOP })]);

    const forged = new WebhookDelivery({ appUrl: app.url, apiSecret: "another-secret", subscriptions: config.subscriptions, retryScheduleMs: [] });
    const [record] = await forged.publish([order.events[1]]);
    expect(record.state).toBe("failed");
    expect(answers).toEqual([200, 401]);
  });

  it("is not sent for a topic the app does not subscribe to", async () => {
    const app = await appStub();
    const { store, delivery } = setup(app.url);
    const { events } = store.placeOrder(SHOP, { lines: [{ price: "10.00" }] });
    const records = await delivery.publish(events);
    expect(records.map((record) => [record.topic, record.state, record.attempts.length])).toEqual([["orders/create", "not-subscribed", 0]]);
    expect(app.requests).toHaveLength(0);
  });
});

describe("retries", () => {
  it("send again after 500, 500 with the same webhook id, event id and signature until a 200", async () => {
    const app = await appStub((_request, index) => (index < 2 ? 500 : 200));
    const { store, delivery } = setup(app.url);
    const [record] = await delivery.publish(store.createCustomer(SHOP, {}).events);
    expect(record.state).toBe("delivered");
    expect(record.attempts.map((attempt) => attempt.status)).toEqual([500, 500, 200]);
    expect(app.requests).toHaveLength(3);
    for (const name of ["x-shopify-webhook-id", "x-shopify-event-id", "x-shopify-hmac-sha256"]) {
      expect(new Set(app.requests.map((request) => header(request, name))).size).toBe(1);
    }
    expect(header(app.requests[0], "x-shopify-webhook-id")).toBe(record.webhookId);
  });

  it("treat a response slower than the timeout as a failure", async () => {
    const app = await appStub(async (_request, index) => {
      if (index === 0) await new Promise((resolve) => setTimeout(resolve, 300));
      return 200;
    });
    const { store, delivery } = setup(app.url, { timeoutMs: 50 });
    const [record] = await delivery.publish(store.createCustomer(SHOP, {}).events);
    expect(record.attempts.map((attempt) => attempt.error ?? attempt.status)).toEqual(["timed out", 200]);
  });

  it("give up when the schedule is used up, and log every attempt", async () => {
    const app = await appStub(() => 503);
    const { store, delivery } = setup(app.url);
    const [record] = await delivery.publish(store.createCustomer(SHOP, {}).events);
    expect(record.state).toBe("failed");
    expect(record.attempts.map((attempt) => attempt.status)).toEqual([503, 503, 503, 503]);
    expect(delivery.log).toContain(record);
  });
});

describe("chaos", () => {
  it("delivers a webhook twice with the same webhook id when duplicates are asked for", async () => {
    const app = await appStub();
    const { store, delivery } = setup(app.url, { chaos: { duplicateRate: 1 } });
    const [record] = await delivery.publish(store.createCustomer(SHOP, {}).events);
    expect(record.attempts.map((attempt) => [attempt.status, attempt.duplicate])).toEqual([
      [200, false],
      [200, true],
    ]);
    expect(app.requests.map((request) => header(request, "x-shopify-webhook-id"))).toEqual([record.webhookId, record.webhookId]);
  });

  it("delivers in publish order by default and shuffles when reordering is asked for", async () => {
    const app = await appStub();
    const { store, delivery } = setup(app.url);
    const events = Array.from({ length: 8 }, () => store.createCustomer(SHOP, {}).events[0]);
    await delivery.publish(events);
    const arrived = () => app.requests.map((request) => header(request, "x-shopify-event-id"));
    expect(arrived()).toEqual(events.map((event) => event.eventId));

    app.requests.length = 0;
    const chaotic = new WebhookDelivery({ appUrl: app.url, apiSecret: API_SECRET, subscriptions: config.subscriptions, chaos: { reorder: true, seed: 7 } });
    await chaotic.publish(events);
    expect(arrived()).not.toEqual(events.map((event) => event.eventId));
    expect([...arrived()].sort()).toEqual(events.map((event) => event.eventId).sort());
  });
});
