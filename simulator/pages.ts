import type http from "node:http";
import type { AppConfigFile } from "./app-config";
import type { Mailbox, ReceivedMail } from "./mailbox";
import { formatMinor } from "./money";
import { mintSessionToken } from "./session-token";
import type { SimulatedStore } from "./store";
import { createStorefront, storefrontPath } from "./storefront";
import type { SimOrder, SimShop } from "./types";
import type { WebhookDelivery } from "./webhooks";

/** The control API's own dispatcher: (method, shop, path under the shop, JSON body). */
export type ControlCall = (method: string, shop: string, rest: string, body: Record<string, unknown>) => Promise<{ status: number; json: unknown }>;

export interface SimulatorPagesOptions {
  store: SimulatedStore;
  deliveries: WebhookDelivery;
  appConfig: AppConfigFile;
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  control: ControlCall;
  /** The SMTP server the app sends member messages to (the demo's); absent: no mailbox pages. */
  mailbox?: Mailbox;
}

/** The staff member the admin page signs session tokens for. */
export const ADMIN_STAFF_USER_ID = 1;

/** The `host` parameter Shopify's admin gives an embedded app: base64 of the admin URL of the shop. */
export function adminHostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
}

/** The simulator's pages, relative to its origin. */
export const simulatorPagePaths = {
  admin: (shop: string, appPath = "") => `/admin/${shop}/apps/loyalty${appPath}`,
  storefront: storefrontPath,
  controls: (shop: string) => `/controls/${shop}`,
  /** Every message the app sent, newest first; `.json` for the same as JSON. */
  mailbox: () => "/mailbox",
  mailboxMessage: (id: number) => `/mailbox/${id}`,
};

const MAILBOX_MESSAGE = /^\/mailbox\/(\d+)(\.json)?$/;

const ADMIN_PAGE = /^\/admin\/([^/]+)\/apps\/loyalty(\/.*)?$/;
const CONTROLS = /^\/controls\/([^/]+)\/?$/;
const CONTROL_FORM = /^\/controls\/([^/]+)\/(orders(?:\/\d+\/(?:pay|fulfil|refund|cancel))?|customers)$/;

const escapeHtml = (value: unknown) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function layout(title: string, body: string, script = "") {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #303030; background: #f1f1f1; }
  header { background: #1a1a1a; color: #fff; padding: 10px 16px; display: flex; gap: 16px; align-items: center; }
  header a { color: #fff; } header strong { margin-right: auto; }
  main { padding: 16px; } section { background: #fff; border-radius: 10px; padding: 12px 16px; margin-bottom: 16px; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e3e3; }
  form.inline { display: inline; } iframe { border: 0; width: 100%; height: calc(100vh - 44px); display: block; background: #f1f1f1; }
  .notice { padding: 8px 12px; border-radius: 8px; background: #e0f0e0; } .error { background: #fde2e1; }
</style></head>
<body>${body}${script ? `<script>${script}</script>` : ""}</body></html>`;
}

function nav(shop: SimShop, current: string) {
  const link = (href: string, label: string) => (label === current ? `<span>${label}</span>` : `<a href="${href}">${label}</a>`);
  return `<header><strong>${escapeHtml(shop.name)} · simulated Shopify</strong>
    ${link(simulatorPagePaths.admin(shop.domain), "Admin")}
    ${link(simulatorPagePaths.storefront(shop.domain), "Storefront")}
    ${link(simulatorPagePaths.controls(shop.domain), "Controls")}
    ${link(simulatorPagePaths.mailbox(), "Mailbox")}</header>`;
}

const mailboxHeader = `<header><strong>Simulated Shopify · mailbox</strong><a href="/">Shops</a><a href="${simulatorPagePaths.mailbox()}">Mailbox</a></header>`;

function mailboxPage(mailbox: Mailbox) {
  const rows = mailbox
    .messages()
    .map(
      (mail) =>
        `<tr data-message="${mail.id}"><td><a href="${simulatorPagePaths.mailboxMessage(mail.id)}">${escapeHtml(mail.subject || "(no subject)")}</a></td><td>${escapeHtml(mail.envelopeTo.join(", "))}</td><td>${escapeHtml(mail.from)}</td><td><time>${escapeHtml(mail.receivedAt)}</time></td></tr>`,
    )
    .join("");
  return layout(
    "Mailbox · simulated Shopify",
    `${mailboxHeader}<main><section><h1>Mailbox</h1>
      <p>What the app sent to ${escapeHtml(mailbox.smtpUrl)} (its SMTP_URL), newest first; the last ${mailbox.limit} are kept.</p>
      <table><thead><tr><th>Subject</th><th>To</th><th>From</th><th>Received</th></tr></thead><tbody>${rows || '<tr><td colspan="4">No messages yet.</td></tr>'}</tbody></table>
    </section></main>`,
  );
}

function mailboxMessagePage(mail: ReceivedMail) {
  // The HTML part in a sandbox: no scripts, no same-origin; links open in a new tab.
  const htmlPart =
    mail.html === null
      ? "<p>No HTML part.</p>"
      : `<iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" style="height: 480px; background: #fff" srcdoc="${escapeHtml(`<base target="_blank">${mail.html}`)}"></iframe>`;
  return layout(
    `${mail.subject} · Mailbox`,
    `${mailboxHeader}<main>
      <section><h1>${escapeHtml(mail.subject || "(no subject)")}</h1>
        <p>To ${escapeHtml(mail.envelopeTo.join(", "))} · from ${escapeHtml(mail.from)} · <time>${escapeHtml(mail.receivedAt)}</time> · <a href="${simulatorPagePaths.mailboxMessage(mail.id)}.json">JSON</a></p></section>
      <section><h2>HTML part</h2>${htmlPart}</section>
      <section><h2>Text part</h2><pre style="white-space: pre-wrap">${escapeHtml(mail.text ?? "(none)")}</pre></section>
      <section><h2>Headers</h2><pre style="white-space: pre-wrap">${escapeHtml(mail.headers.join("\n"))}</pre></section>
    </main>`,
  );
}

const customerName = (shop: SimShop, id: number | null) => {
  const customer = id === null ? undefined : shop.customers.get(id);
  if (!customer) return "guest";
  return [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || `#${customer.id}`;
};

function orderTotal(order: SimOrder) {
  return order.lines.reduce((sum, line) => sum + line.priceMinor * line.quantity - line.discountMinor, 0);
}

async function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function json(response: http.ServerResponse, status: number, value: unknown) {
  const text = JSON.stringify(value);
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}

function html(response: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", ...headers });
  response.end(body);
}

/**
 * HTML pages that play Shopify's admin (the app in an iframe with a session token), the
 * storefront (simulator/storefront.ts: the theme app extension and the app proxy), and the
 * merchant's controls (orders and the webhook log). `handle` answers true when it served the request.
 */
export function createSimulatorPages(options: SimulatorPagesOptions) {
  const { store, deliveries, appConfig, appUrl, apiKey, apiSecret, control } = options;
  const appOrigin = new URL(appUrl).origin;
  const storefront = createStorefront({ store, appConfig, appUrl, apiSecret });

  const adminPage = (shop: SimShop, appPath: string, search: URLSearchParams) => {
    const src = new URL(`/app${appPath}`, appUrl);
    for (const [key, value] of search) src.searchParams.set(key, value);
    src.searchParams.set("shop", shop.domain);
    src.searchParams.set("host", adminHostParam(shop.domain));
    src.searchParams.set("embedded", "1");
    src.searchParams.set("id_token", mintSessionToken({ shop: shop.domain, apiKey, apiSecret, userId: ADMIN_STAFF_USER_ID }));
    // App Bridge asks the admin for session tokens; the stand-in (app/shopify/app-bridge-stand-in.server.ts) does so by postMessage.
    const script = `
      const appOrigin = ${JSON.stringify(appOrigin)};
      window.addEventListener("message", async (event) => {
        const message = event.data;
        if (event.origin !== appOrigin || !message || message.type !== "loyalty-simulator:id-token") return;
        let reply = { type: message.type, requestId: message.requestId };
        try {
          const response = await fetch(${JSON.stringify(`/control/shops/${shop.domain}/session-token`)}, {
            method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ userId: ${ADMIN_STAFF_USER_ID} }),
          });
          reply.token = (await response.json()).token;
        } catch (error) { reply.error = String(error); }
        event.source.postMessage(reply, event.origin);
      });`;
    return layout(`${shop.name} · Admin`, `${nav(shop, "Admin")}<iframe title="Loyalty app" name="app-iframe" src="${escapeHtml(src)}"></iframe>`, script);
  };

  const controlsPage = (shop: SimShop, search: URLSearchParams) => {
    const customers = [...shop.customers.values()];
    const options = customers.map((c) => `<option value="${c.id}">${escapeHtml(customerName(shop, c.id))} (${escapeHtml(c.email)})</option>`).join("");
    const orders = [...shop.orders.values()].sort((a, b) => b.id - a.id).slice(0, 20);
    const action = (order: SimOrder, verb: "pay" | "fulfil" | "refund" | "cancel", label: string) =>
      `<form class="inline" method="post" action="/controls/${shop.domain}/orders/${order.id}/${verb}"><button name="action" value="${verb}" data-order="${order.name}">${label}</button></form>`;
    const orderRows = orders
      .map(
        (order) => `<tr data-order="${order.name}"><td>${order.name}</td><td>${escapeHtml(customerName(shop, order.customerId))}</td>
          <td>${formatMinor(orderTotal(order), order.currency)} ${order.currency}</td><td>${order.financialStatus}${order.cancelledAt ? ", cancelled" : ""}</td>
          <td>${order.lines.reduce((n, l) => n + l.fulfilledQuantity, 0)}/${order.lines.reduce((n, l) => n + l.quantity, 0)} fulfilled</td>
          <td>${action(order, "pay", "Pay")} ${action(order, "fulfil", "Fulfil")} ${action(order, "refund", "Refund all")} ${action(order, "cancel", "Cancel")}</td></tr>`,
      )
      .join("");
    const log = deliveries.log
      .slice(-30)
      .reverse()
      .map((entry) => {
        const last = entry.attempts.at(-1);
        return `<tr><td>${escapeHtml(entry.topic)}</td><td>${entry.state}</td><td>${entry.attempts.length}</td><td>${last?.status ?? escapeHtml(last?.error ?? "")}</td><td>${escapeHtml(last?.at ?? "")}</td></tr>`;
      })
      .join("");
    const message = search.get("message");
    const error = search.get("error");
    return layout(
      `${shop.name} · Controls`,
      `${nav(shop, "Controls")}<main>
      ${message ? `<p class="notice" role="status">${escapeHtml(message)}</p>` : ""}${error ? `<p class="notice error" role="alert">${escapeHtml(error)}</p>` : ""}
      <section><h2>Place an order</h2>
        <form method="post" action="/controls/${shop.domain}/orders">
          <label>Customer <select name="customerId">${options}</select></label>
          <label>Item <input name="title" value="Loose-leaf tea" required></label>
          <label>Unit price <input name="price" value="25.00" inputmode="decimal" required size="8"></label>
          <label>Quantity <input name="quantity" type="number" min="1" value="1" required style="width:4em"></label>
          <label><input type="checkbox" name="paid" value="1"> paid at checkout</label>
          <button>Place order</button>
        </form></section>
      <section><h2>Add a customer</h2>
        <form method="post" action="/controls/${shop.domain}/customers">
          <label>First name <input name="firstName" required></label> <label>Last name <input name="lastName"></label>
          <label>Email <input name="email" type="email" required></label> <button>Add customer</button>
        </form></section>
      <section><h2>Latest orders</h2><table><thead><tr><th>Order</th><th>Customer</th><th>Merchandise</th><th>Payment</th><th>Fulfilment</th><th></th></tr></thead>
        <tbody>${orderRows || '<tr><td colspan="6">No orders yet.</td></tr>'}</tbody></table></section>
      <section><h2>Webhook deliveries (latest 30)</h2><table id="deliveries"><thead><tr><th>Topic</th><th>State</th><th>Attempts</th><th>Last answer</th><th>At</th></tr></thead>
        <tbody>${log || '<tr><td colspan="5">Nothing delivered yet.</td></tr>'}</tbody></table></section></main>`,
    );
  };

  /** A form post from the controls page: the same operation as the JSON control API, then back to the page. */
  const submitControlForm = async (shop: SimShop, target: string, form: URLSearchParams) => {
    let body: Record<string, unknown> = {};
    let done: string;
    if (target === "orders") {
      body = {
        customerId: Number(form.get("customerId")),
        lines: [{ title: form.get("title") || "Item", price: form.get("price") ?? "", quantity: Number(form.get("quantity") || 1) }],
        paid: form.get("paid") === "1",
      };
      done = "Order placed";
    } else if (target === "customers") {
      body = { firstName: form.get("firstName"), lastName: form.get("lastName") || null, email: form.get("email") };
      done = "Customer added";
    } else {
      const [, id, verb] = target.split("/");
      const order = shop.orders.get(Number(id));
      if (verb === "refund" && order) {
        body = {
          lines: order.lines.filter((l) => l.quantity > l.refundedQuantity).map((l) => ({ lineItemId: l.id, quantity: l.quantity - l.refundedQuantity })),
        };
      }
      done = `${order?.name ?? `Order ${id}`}: ${{ pay: "paid", fulfil: "fulfilled", refund: "refunded", cancel: "cancelled" }[verb!]}`;
    }
    const answer = (await control("POST", shop.domain, `/${target}`, body)) as { status: number; json: { webhooks?: { topic: string; state: string }[] } };
    const sent = (answer.json.webhooks ?? []).filter((w) => w.state !== "not-subscribed").map((w) => `${w.topic} ${w.state}`);
    return `${done}${sent.length ? ` · webhooks: ${sent.join(", ")}` : ""}`;
  };

  return {
    async handle(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<boolean> {
      const method = request.method ?? "GET";
      const shopOf = (domain: string) => store.findShop(decodeURIComponent(domain));
      let match: RegExpExecArray | null;
      if (method === "GET" && url.pathname === "/") {
        const shops = store.listShops();
        const items = shops
          .map(
            (s) =>
              `<li>${escapeHtml(s.name)}: <a href="${simulatorPagePaths.admin(s.domain)}">admin</a> · <a href="${simulatorPagePaths.storefront(s.domain)}">storefront</a> · <a href="${simulatorPagePaths.controls(s.domain)}">controls</a></li>`,
          )
          .join("");
        const mailboxLink = options.mailbox ? `<p><a href="${simulatorPagePaths.mailbox()}">Mailbox</a>: the messages the app sent.</p>` : "";
        html(
          response,
          200,
          layout("Simulated Shopify", `<main><section><h1>Simulated Shopify</h1><ul>${items || "<li>No shops.</li>"}</ul>${mailboxLink}</section></main>`),
        );
        return true;
      }
      if (method === "GET" && options.mailbox && (url.pathname === simulatorPagePaths.mailbox() || url.pathname === `${simulatorPagePaths.mailbox()}.json`)) {
        if (url.pathname.endsWith(".json")) json(response, 200, { smtpUrl: options.mailbox.smtpUrl, messages: options.mailbox.messages() });
        else html(response, 200, mailboxPage(options.mailbox));
        return true;
      }
      if (method === "GET" && options.mailbox && (match = MAILBOX_MESSAGE.exec(url.pathname))) {
        const mail = options.mailbox.message(Number(match[1]));
        if (!mail) return false;
        if (match[2]) json(response, 200, mail);
        else html(response, 200, mailboxMessagePage(mail));
        return true;
      }
      if (method === "GET" && (match = ADMIN_PAGE.exec(url.pathname))) {
        const shop = shopOf(match[1]);
        if (!shop) return false;
        html(response, 200, adminPage(shop, match[2] ?? "", url.searchParams));
        return true;
      }
      if (await storefront.handle(request, response, url)) return true;
      if (method === "GET" && (match = CONTROLS.exec(url.pathname))) {
        const shop = shopOf(match[1]);
        if (!shop) return false;
        html(response, 200, controlsPage(shop, url.searchParams));
        return true;
      }
      if (method === "POST" && (match = CONTROL_FORM.exec(url.pathname))) {
        const shop = shopOf(match[1]);
        if (!shop) return false;
        const back = new URL(simulatorPagePaths.controls(shop.domain), "http://simulator");
        try {
          back.searchParams.set("message", await submitControlForm(shop, match[2], await readForm(request)));
        } catch (error) {
          back.searchParams.set("error", (error as Error).message);
        }
        response.writeHead(303, { Location: `${back.pathname}${back.search}` });
        response.end();
        return true;
      }
      return false;
    },
  };
}
