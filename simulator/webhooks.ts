import { createHmac, randomUUID } from "node:crypto";
import type { WebhookSubscription } from "./app-config";
import type { WebhookEvent } from "./types";

/** The API version in X-Shopify-Api-Version (shopify.app.toml's webhooks.api_version). */
export const WEBHOOK_API_VERSION = "2026-01";

/**
 * Shopify waits 5 seconds for a 2xx and retries 8 times over about 4 hours. This schedule
 * approximates it; tests pass milliseconds.
 */
export const SHOPIFY_RETRY_SCHEDULE_MS: readonly number[] = [10_000, 30_000, 60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 60 * 60_000, 2 * 60 * 60_000];

export interface DeliveryChaos {
  /** Chance (0..1) that a delivered webhook is delivered once more, with the same webhook id. */
  duplicateRate?: number;
  /** Deliver the events of one `publish` call in a shuffled order, as Shopify does not promise order. */
  reorder?: boolean;
  /** Seed for the chaos, so a failing run can be repeated. */
  seed?: number;
}

export interface WebhookDeliveryOptions {
  /** The app's origin, e.g. "http://127.0.0.1:3000"; relative subscription URIs are appended to it. */
  appUrl: string;
  apiSecret: string;
  subscriptions: WebhookSubscription[];
  apiVersion?: string;
  timeoutMs?: number;
  /** Wait before each retry; its length is the number of retries. */
  retryScheduleMs?: readonly number[];
  chaos?: DeliveryChaos;
  fetch?: typeof fetch;
}

export interface DeliveryAttempt {
  at: string;
  /** HTTP status, or null when the request failed or timed out. */
  status: number | null;
  error?: string;
  durationMs: number;
  /** A chaos duplicate of a delivery that had already succeeded. */
  duplicate: boolean;
}

export interface DeliveryRecord {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string | null;
  state: "pending" | "delivered" | "failed" | "not-subscribed";
  attempts: DeliveryAttempt[];
  body: string;
}

/** The headers Shopify sends with a webhook. The same webhook id and signature on every retry. */
export function webhookHeaders(event: WebhookEvent, body: string, webhookId: string, apiSecret: string, apiVersion = WEBHOOK_API_VERSION) {
  return {
    "Content-Type": "application/json",
    "User-Agent": "Shopify-Captain-Hook",
    "X-Shopify-Topic": event.topic,
    "X-Shopify-Hmac-Sha256": createHmac("sha256", apiSecret).update(body, "utf8").digest("base64"),
    "X-Shopify-Shop-Domain": event.shop,
    "X-Shopify-Webhook-Id": webhookId,
    "X-Shopify-Api-Version": apiVersion,
    "X-Shopify-Triggered-At": event.triggeredAt.toISOString(),
    "X-Shopify-Event-Id": event.eventId,
  };
}

/** A small seeded PRNG (mulberry32): chaos that can be replayed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers webhook events to the app the way Shopify does: one POST per subscribed topic,
 * signed with the app secret, retried with backoff until a 2xx or the schedule runs out.
 * Every attempt is kept in `log` for tests and the demo to inspect.
 */
export class WebhookDelivery {
  readonly log: DeliveryRecord[] = [];
  private readonly inFlight = new Set<Promise<DeliveryRecord>>();
  private readonly random: () => number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: WebhookDeliveryOptions) {
    this.random = seededRandom(options.chaos?.seed ?? 1);
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Where a topic is delivered, or null when the app does not subscribe to it. */
  urlFor(topic: string): string | null {
    const subscription = this.options.subscriptions.find((candidate) => candidate.topics.includes(topic));
    if (!subscription) return null;
    return /^https?:\/\//.test(subscription.uri)
      ? subscription.uri
      : `${this.options.appUrl.replace(/\/$/, "")}${subscription.uri.startsWith("/") ? "" : "/"}${subscription.uri}`;
  }

  /** Starts delivering events; resolves when each has been delivered or has used up its retries. */
  async publish(events: WebhookEvent[]): Promise<DeliveryRecord[]> {
    const ordered = this.options.chaos?.reorder ? this.shuffle(events) : events;
    const deliveries: Promise<DeliveryRecord>[] = [];
    // First attempts go out one after the other, so that "in order" and "reordered" are observable;
    // retries then run side by side.
    for (const event of ordered) {
      let firstAttemptDone!: () => void;
      const sent = new Promise<void>((resolve) => (firstAttemptDone = resolve));
      deliveries.push(this.track(this.deliver(event, firstAttemptDone)));
      await sent;
    }
    return Promise.all(deliveries);
  }

  /** Waits for every delivery in flight (retries included). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private track(promise: Promise<DeliveryRecord>) {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
    return promise;
  }

  private shuffle<T>(items: T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  private async deliver(event: WebhookEvent, firstAttemptDone: () => void): Promise<DeliveryRecord> {
    const body = JSON.stringify(event.payload);
    const url = this.urlFor(event.topic);
    const record: DeliveryRecord = {
      webhookId: randomUUID(),
      eventId: event.eventId,
      topic: event.topic,
      shop: event.shop,
      url,
      state: url ? "pending" : "not-subscribed",
      attempts: [],
      body,
    };
    this.log.push(record);
    if (!url) {
      firstAttemptDone();
      return record;
    }
    const headers = webhookHeaders(event, body, record.webhookId, this.options.apiSecret, this.options.apiVersion);
    const schedule = this.options.retryScheduleMs ?? SHOPIFY_RETRY_SCHEDULE_MS;
    for (let attempt = 0; ; attempt++) {
      const delivered = await this.attempt(record, url, headers, body, false);
      if (attempt === 0) firstAttemptDone();
      if (delivered) break;
      if (attempt >= schedule.length) {
        record.state = "failed";
        return record;
      }
      await sleep(schedule[attempt]);
    }
    record.state = "delivered";
    const duplicateRate = this.options.chaos?.duplicateRate ?? 0;
    if (duplicateRate > 0 && this.random() < duplicateRate) await this.attempt(record, url, headers, body, true);
    return record;
  }

  private async attempt(record: DeliveryRecord, url: string, headers: Record<string, string>, body: string, duplicate: boolean) {
    const started = Date.now();
    const entry: DeliveryAttempt = { at: new Date(started).toISOString(), status: null, durationMs: 0, duplicate };
    record.attempts.push(entry);
    try {
      const response = await this.fetch(url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
      await response.arrayBuffer();
      entry.status = response.status;
    } catch (error) {
      const name = (error as Error).name;
      entry.error = name === "TimeoutError" || name === "AbortError" ? "timed out" : (error as Error).message;
    }
    entry.durationMs = Date.now() - started;
    return entry.status !== null && entry.status >= 200 && entry.status < 300;
  }
}
