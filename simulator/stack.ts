import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SIMULATED_APP_ID } from "./admin-resolvers";
import { readAppConfigFile } from "./app-config";
import { proxyUrlFor, signedAppProxyUrl } from "./app-proxy";
import { openDatabase } from "../app/db/connection.server";
import type { Database } from "../app/db/types";
import { ensureReferralCode } from "../app/models/referrals.server";
import {
  addDemoEarlyAccess,
  addDemoExpiry,
  addDemoMessages,
  addDemoReferralProgram,
  addDemoTiers,
  addDemoWaysToEarn,
  awardDemoMemberEvents,
  startDemoDoublePoints,
  type DemoProgram,
} from "./demo-program";
import { startMailbox, type Mailbox } from "./mailbox";
import { adminHostParam, ADMIN_STAFF_USER_ID, simulatorPagePaths } from "./pages";
import { startSimulator, type RunningSimulator } from "./server";
import { mintSessionToken } from "./session-token";
import { SimulatedStore } from "./store";
import type { SimCustomer, WebhookEvent } from "./types";
import { seededRandom } from "./webhooks";

export interface DemoStackOptions {
  /** A migrated database for the app (`file:...` or `postgres://...`). */
  databaseUrl: string;
  /** 0 or absent: a free loopback port. */
  appPort?: number;
  simulatorPort?: number;
  shop?: string;
  apiKey?: string;
  apiSecret?: string;
  /**
   * Customers and past orders delivered to the app as webhooks before the stack is ready, and the
   * demo's ways to earn (simulator/demo-program.ts): on by default for a shop seeded with orders,
   * off for an empty one, which keeps a new shop's defaults (1 point per dollar, sign-up, birthday).
   */
  seed?: { customers?: number; orders?: number; waysToEarn?: boolean };
  /** Where the app server's own output goes; "pipe" keeps it for the error message if it dies. */
  appOutput?: "inherit" | "pipe";
  log?: (line: string) => void;
}

export interface DemoStack {
  appUrl: string;
  simulator: RunningSimulator;
  /** The SMTP server on loopback the app's SMTP_URL points at: every member message the app sends lands here. */
  mailbox: Mailbox;
  shop: string;
  customers: SimCustomer[];
  urls: { admin: string; storefront: (customerId?: number) => string; controls: string; mailbox: string; simulator: string };
  close(): Promise<void>;
}

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const appConfig = readAppConfigFile();
/** The scopes shopify.app.toml asks for: the demo installs with exactly those. */
export const DEMO_SCOPES = appConfig.scopes.join(",");
/** How long the stack waits for the app's job worker (a 2 s poll) to write the seeded balances to customer metafields. */
const METAFIELD_SYNC_TIMEOUT_MS = 30_000;
const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

const CUSTOMER_NAMES = [
  ["Ada", "Lovelace"],
  ["Grace", "Hopper"],
  ["Katherine", "Johnson"],
  ["Alan", "Turing"],
  ["Margaret", "Hamilton"],
  ["Edsger", "Dijkstra"],
  ["Barbara", "Liskov"],
  ["Donald", "Knuth"],
  ["Frances", "Allen"],
  ["Tim", "Berners-Lee"],
  ["Radia", "Perlman"],
  ["Ken", "Thompson"],
  ["Hedy", "Lamarr"],
  ["John", "Backus"],
  ["Annie", "Easley"],
] as const;
const PRODUCTS = [
  { title: "Loose-leaf green tea", price: "14.50" },
  { title: "Ceramic teapot", price: "48.00" },
  { title: "Bamboo whisk", price: "12.00" },
  { title: "Matcha tin", price: "29.90" },
  { title: "Tea towel", price: "9.75" },
] as const;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForApp(appUrl: string, child: ChildProcess, output: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app server exited with code ${child.exitCode}\n${output()}`);
    try {
      await fetch(appUrl, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`the app server did not answer on ${appUrl} within ${timeoutMs / 1000} s\n${output()}`);
}

/**
 * The app's production server (server.mjs, over build/) and the Shopify simulator, wired to each
 * other on loopback ports: the development switch (LOYALTY_SIMULATOR=1, app/shopify/simulator-switch.server.ts)
 * sends the app's Shopify calls to the simulator. One shop is created and installed through the
 * app's real auth path (session token, token exchange), then seeded. `npm run demo` and the
 * browser tests both start it.
 */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const log = options.log ?? (() => undefined);
  const apiKey = options.apiKey ?? "demo-api-key";
  const apiSecret = options.apiSecret ?? "demo-api-secret";
  const shopDomain = options.shop ?? "demo-tea-house.myshopify.com";
  const appPort = options.appPort || (await freePort());
  const appUrl = `http://127.0.0.1:${appPort}`;

  // Seeded orders are dated over the past 90 days; afterwards the clock is the real one.
  let clockOffsetMs = 0;
  const store = new SimulatedStore({ now: () => new Date(Date.now() - clockOffsetMs) });
  const mailbox = await startMailbox();
  const simulator = await startSimulator({
    mailbox,
    appUrl,
    apiKey,
    apiSecret,
    store,
    port: options.simulatorPort ?? 0,
    retryScheduleMs: [1000, 5000, 15000],
  });

  let appOutput = "";
  const app = spawn(process.execPath, [path.join(repositoryRoot, "server.mjs")], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(appPort),
      SHOPIFY_API_KEY: apiKey,
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: appUrl,
      SCOPES: DEMO_SCOPES,
      DATABASE_URL: options.databaseUrl,
      LOYALTY_SIMULATOR: "1",
      SHOPIFY_ADMIN_API_ORIGIN: simulator.url,
      SMTP_URL: mailbox.smtpUrl,
      SMTP_FROM: "Demo Tea House <rewards@demo-tea-house.example>",
      // shopify-app-remix's own override, read by its Node adapter: the session-token bounce page loads the stand-in too.
      APP_BRIDGE_URL: `${appUrl}/simulator/app-bridge.js`,
    },
    stdio: options.appOutput === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  app.stdout?.on("data", (chunk: Buffer) => (appOutput += chunk.toString()));
  app.stderr?.on("data", (chunk: Buffer) => (appOutput += chunk.toString()));
  const appExited = new Promise<void>((resolve) => app.once("exit", () => resolve()));

  const close = async () => {
    if (app.exitCode === null && app.signalCode === null) {
      app.kill("SIGTERM");
      const killer = setTimeout(() => app.kill("SIGKILL"), 5000);
      await appExited;
      clearTimeout(killer);
    }
    await simulator.close();
    await mailbox.close();
  };

  try {
    log(`starting the app on ${appUrl} and the simulator on ${simulator.url}`);
    await waitForApp(appUrl, app, () => appOutput);

    store.createShop({ domain: shopDomain, name: "Demo Tea House", currency: "USD" });
    log(`installing the app in ${shopDomain} (session token, token exchange)`);
    await installThroughTheAdmin(appUrl, shopDomain, apiKey, apiSecret);
    if (!store.shop(shopDomain).installation) throw new Error(`the app answered the admin but never exchanged a token for ${shopDomain}\n${appOutput}`);

    const orders = options.seed?.orders ?? 300;
    const seed = { customers: options.seed?.customers ?? 12, orders, waysToEarn: options.seed?.waysToEarn ?? orders > 0 };
    const customers: SimCustomer[] = [];
    const db = openDatabase(options.databaseUrl);
    try {
      let program: DemoProgram | null = null;
      if (seed.waysToEarn) {
        log("adding ways to earn: a stamp card, a first-order bonus, an Instagram follow, reviews, a style quiz and campaigns");
        program = await addDemoWaysToEarn(db, shopDomain, Date.now());
        log("adding VIP tiers: Bronze, Silver and Gold on points earned over 12 months (Gold: free shipping and 10% off at checkout)");
        await addDemoTiers(db, shopDomain, Date.now());
        // A new tea on early access for Gold members for two weeks (the product page's theme block keeps it for them).
        const darjeeling = store.addProduct(shopDomain, { title: "First-flush Darjeeling", price: "24.00" });
        await addDemoEarlyAccess(db, shopDomain, darjeeling.id, darjeeling.title, Date.now());
        log("turning member emails on: welcome, points earned, rewards in reach, expiry reminders, tiers, birthdays, win-back");
        await addDemoMessages(db, shopDomain, Date.now());
      }
      for (let index = 0; index < Math.min(seed.customers, CUSTOMER_NAMES.length); index++) {
        const [firstName, lastName] = CUSTOMER_NAMES[index];
        const created = store.createCustomer(shopDomain, { firstName, lastName, email: `${firstName}.${lastName}@example.com`.toLowerCase() });
        await simulator.deliveries.publish(created.events);
        customers.push(created.value);
      }
      if (program) await awardDemoMemberEvents(db, shopDomain, customers, program, Date.now());
      if (seed.orders > 0 && customers.length > 0) {
        log(`delivering ${seed.orders} past orders as webhooks`);
        await seedOrders(store, simulator, shopDomain, customers, seed.orders, (offset) => (clockOffsetMs = offset));
        clockOffsetMs = 0;
      }
      if (program) {
        log("points expire 3 months after they are earned; two members carry older points that expire within weeks");
        await addDemoExpiry(db, shopDomain, customers, Date.now());
      }
      if (program && customers.length > 0) {
        // From here on a double-points weekend runs and points wait 14 days: today's orders show both.
        await startDemoDoublePoints(db, shopDomain, Date.now());
        log("delivering today's orders: double points, pending for 14 days");
        await seedTodaysOrders(store, simulator, shopDomain, customers.slice(0, 3));
        log("running referrals: a friend claims the first customer's link as a guest and orders with the code; 500 points arrive after the window");
        await seedDemoReferral(db, store, simulator, shopDomain, customers[0]);
      }
    } finally {
      await db.close();
    }
    const failed = simulator.deliveries.log.filter((entry) => entry.state === "failed" || entry.state === "pending");
    if (failed.length)
      throw new Error(`${failed.length} seed webhooks were not delivered: ${failed[0].topic} ${JSON.stringify(failed[0].attempts.at(-1))}\n${appOutput}`);
    if (customers.length > 0) {
      log("waiting for the app to write the balances to customer metafields (the storefront's first paint reads them)");
      await waitForBalanceMetafields({ store, appUrl, apiSecret, shop: shopDomain, customers, output: () => appOutput });
    }

    return {
      appUrl,
      simulator,
      mailbox,
      shop: shopDomain,
      customers,
      urls: {
        admin: `${simulator.url}${simulatorPagePaths.admin(shopDomain)}`,
        storefront: (customerId) => `${simulator.url}${simulatorPagePaths.storefront(shopDomain, customerId)}`,
        controls: `${simulator.url}${simulatorPagePaths.controls(shopDomain)}`,
        mailbox: `${simulator.url}${simulatorPagePaths.mailbox()}`,
        simulator: simulator.url,
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Until every customer's `$app:loyalty.points` metafield in the simulated store equals the balance
 * the app reports through its proxy (no metafield: a balance of 0). The app writes them from a
 * background job after balance changes; bounded by METAFIELD_SYNC_TIMEOUT_MS.
 */
async function waitForBalanceMetafields(options: {
  store: SimulatedStore;
  appUrl: string;
  apiSecret: string;
  shop: string;
  customers: SimCustomer[];
  output: () => string;
}) {
  const proxy = appConfig.appProxy;
  if (!proxy) return;
  const namespace = `app--${SIMULATED_APP_ID}--loyalty`;
  const metafieldPoints = (customerId: number) => {
    const found = options.store
      .shop(options.shop)
      .metafields.find((m) => m.ownerId === `gid://shopify/Customer/${customerId}` && m.namespace === namespace && m.key === "points");
    return found ? Number(found.value) : 0;
  };
  const appPoints = async (customerId: number) => {
    const url = signedAppProxyUrl({
      proxyUrl: proxyUrlFor(options.appUrl, proxy.url),
      apiSecret: options.apiSecret,
      shop: options.shop,
      path: "/customer",
      loggedInCustomerId: customerId,
      pathPrefix: `/${proxy.prefix}/${proxy.subpath}`,
    });
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`the app proxy answered ${response.status} for customer ${customerId}: ${await response.text()}`);
    return ((await response.json()) as { points: number }).points;
  };
  const deadline = Date.now() + METAFIELD_SYNC_TIMEOUT_MS;
  let behind: string[];
  do {
    behind = [];
    for (const customer of options.customers) {
      const [stored, balance] = [metafieldPoints(customer.id), await appPoints(customer.id)];
      if (stored !== balance) behind.push(`customer ${customer.id}: metafield ${stored}, balance ${balance}`);
    }
    if (behind.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  throw new Error(
    `the app did not write the balances to customer metafields within ${METAFIELD_SYNC_TIMEOUT_MS / 1000} s: ${behind.join("; ")}\n${options.output()}`,
  );
}

/** What Shopify's admin does the first time a merchant opens the app: the app page with a session token. */
async function installThroughTheAdmin(appUrl: string, shop: string, apiKey: string, apiSecret: string) {
  const url = new URL("/app", appUrl);
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", adminHostParam(shop));
  url.searchParams.set("embedded", "1");
  url.searchParams.set("id_token", mintSessionToken({ shop, apiKey, apiSecret, userId: ADMIN_STAFF_USER_ID }));
  const response = await fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT }, redirect: "manual" });
  if (response.status !== 200) throw new Error(`opening the app for ${shop} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
}

async function seedOrders(
  store: SimulatedStore,
  simulator: RunningSimulator,
  shop: string,
  customers: SimCustomer[],
  count: number,
  setClockOffset: (offsetMs: number) => void,
) {
  // Seeded: the same demo shop every run.
  const random = seededRandom(20260101);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const dayMs = 24 * 60 * 60 * 1000;
  // Oldest first, so each order's events are published in the order they happened.
  const offsets = Array.from({ length: count }, () => Math.floor(random() * 90 * dayMs)).sort((a, b) => b - a);
  const batches: Promise<unknown>[] = [];
  for (const offset of offsets) {
    setClockOffset(offset);
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({ ...pick(PRODUCTS), quantity: 1 + Math.floor(random() * 3) }));
    const placed = store.placeOrder(shop, { customerId: pick(customers).id, lines, paid: true, shipping: "4.95" });
    const events: WebhookEvent[] = [...placed.events];
    const roll = random();
    if (roll < 0.6) events.push(...store.fulfilOrder(shop, placed.value.id).events);
    if (roll > 0.95) {
      const line = placed.value.lines[0];
      events.push(...store.refundOrder(shop, placed.value.id, { lines: [{ lineItemId: line.id, quantity: 1 }] }).events);
    }
    batches.push(simulator.deliveries.publish(events));
    if (batches.length === 25) await Promise.all(batches.splice(0));
  }
  await Promise.all(batches);
}

/**
 * The referral program on, and one real referral through the app's own endpoints: a friend opens
 * the customer's link as a guest and claims the offer through the storefront's app proxy (the app
 * makes the single-use code in the simulated Shopify), becomes a customer and pays an order with
 * the code; the referral then waits out the shop's pending window before the referrer's points.
 */
async function seedDemoReferral(db: Database, store: SimulatedStore, simulator: RunningSimulator, shop: string, referrer: SimCustomer) {
  await addDemoReferralProgram(db, shop, Date.now());
  const member = await db.query
    .selectFrom("members")
    .select("id")
    .where("shop", "=", shop)
    .where("customer_id", "=", String(referrer.id))
    .executeTakeFirstOrThrow();
  const code = await ensureReferralCode(db, shop, member.id);
  const response = await fetch(`${simulator.url}/store/${shop}/apps/loyalty/referrals/claim`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ code, email: "sam.rivera@example.com" }),
  });
  const claimed = (await response.json()) as { discountCode?: string; error?: string };
  if (!response.ok || !claimed.discountCode) throw new Error(`the demo's referral claim was refused: ${response.status} ${JSON.stringify(claimed)}`);
  const friend = store.createCustomer(shop, { firstName: "Sam", lastName: "Rivera", email: "sam.rivera@example.com" });
  await simulator.deliveries.publish(friend.events);
  const placed = store.placeOrder(shop, {
    customerId: friend.value.id,
    lines: [{ ...PRODUCTS[0], quantity: 2 }],
    paid: true,
    shipping: "4.95",
    discountCode: claimed.discountCode,
  });
  await simulator.deliveries.publish(placed.events);
}

/** One order for each of these customers, placed and paid now. */
async function seedTodaysOrders(store: SimulatedStore, simulator: RunningSimulator, shop: string, customers: SimCustomer[]) {
  for (const [index, customer] of customers.entries()) {
    const placed = store.placeOrder(shop, {
      customerId: customer.id,
      lines: [{ ...PRODUCTS[index % PRODUCTS.length], quantity: 2 }],
      paid: true,
      shipping: "4.95",
    });
    await simulator.deliveries.publish(placed.events);
  }
}
