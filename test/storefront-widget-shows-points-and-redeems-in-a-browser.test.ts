import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, installShop, ledgerMismatches, type TestDatabase } from "./support/database";
import { createMember, recordEntry, balanceOf } from "./support/members";
import { loadRemixApp, TEST_APP_URL } from "./support/remix-app";
import { signProxyQuery } from "./support/signing";
import { ASSET_PATH, EXTENSION_DIR, renderStorefrontPage, storefrontCustomer, type StorefrontLocale } from "../simulator/theme-renderer";

/**
 * The widget in Chromium, on a local storefront that serves the rendered blocks and forwards
 * /apps/loyalty/* to the app's production build signed as Shopify's app proxy signs it, with a
 * stand-in Admin API answering the discount mutation.
 */
const CHROMIUM = "/usr/bin/chromium";
const BUDGET_GZIP_BYTES = 10 * 1024;
const SHOP = "widget-test.myshopify.com";
const SCREENSHOTS = path.resolve(__dirname, "../test-results/screenshots");
const hasChromium = fs.existsSync(CHROMIUM);
const ci = process.env.CI === "true";

let database: TestDatabase;
let app: Awaited<ReturnType<typeof loadRemixApp>>;
let memberId: number;
let customerId: string;
const servers: http.Server[] = [];
const contexts: BrowserContext[] = [];
const profiles: string[] = [];
let storefront: string;
/** What the storefront served and was asked: assets, proxy calls, /discount/ navigations, Admin API calls. */
const served = { assets: new Map<string, Buffer>(), proxyCalls: [] as string[], discounts: [] as { code: string; redirect: string | null }[] };
const adminCalls: { path: string; token: string | undefined; body: { query: string; variables: Record<string, any> } }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Shopify's ids are unique across the shop. */
let shopifyIds = 0;
/** When set, the Admin API refuses discount codes as Shopify does (a user error). */
let adminRefusesCodes = false;

const listen = async (handler: http.RequestListener) => {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const readBody = async (req: http.IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** The customer as Liquid sees them: the $app:loyalty metafields as the app's sync would write them from the ledger. */
async function memberAsLiquidSeesIt() {
  const points = await balanceOf(database.db, memberId);
  const next = await database.db.raw.get<{ name: string; points_cost: number }>(
    'SELECT "name", "points_cost" FROM "rewards" WHERE "shop" = ? AND "points_cost" > ? ORDER BY "points_cost" LIMIT 1',
    [SHOP, points],
  );
  return storefrontCustomer(customerId, {
    points,
    nextReward: next ? { name: next.name, pointsCost: next.points_cost, pointsToGo: next.points_cost - points } : null,
  });
}

async function startStorefront() {
  return listen(async (req, res) => {
    const url = new URL(req.url!, "http://storefront");
    try {
      if (url.pathname.startsWith(ASSET_PATH)) {
        const file = path.join(EXTENSION_DIR, "assets", path.basename(url.pathname));
        const body = fs.readFileSync(file);
        served.assets.set(path.basename(file), body);
        res.writeHead(200, { "Content-Type": file.endsWith(".css") ? "text/css" : "text/javascript" }).end(body);
      } else if (url.pathname.startsWith("/apps/loyalty/")) {
        // Shopify's app proxy: the storefront path after the prefix, the shopper's query, then shop,
        // logged_in_customer_id, path_prefix, timestamp and the signature.
        served.proxyCalls.push(`${req.method} ${url.pathname}`);
        const query = signProxyQuery({
          ...Object.fromEntries(url.searchParams),
          shop: SHOP,
          logged_in_customer_id: customerId,
          path_prefix: "/apps/loyalty",
          timestamp: String(Math.floor(Date.now() / 1000)),
        });
        const body = req.method === "POST" ? await readBody(req) : undefined;
        const answer = await app.handle(
          new Request(`${TEST_APP_URL}/proxy/${url.pathname.slice("/apps/loyalty/".length)}?${query}`, {
            method: req.method,
            headers: { "Content-Type": req.headers["content-type"] ?? "", Accept: req.headers.accept ?? "" },
            body,
          }),
        );
        res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "application/json" }).end(await answer.text());
      } else if (url.pathname.startsWith("/discount/")) {
        // Shopify stores the code on the cart, then redirects.
        served.discounts.push({ code: decodeURIComponent(url.pathname.slice("/discount/".length)), redirect: url.searchParams.get("redirect") });
        res.writeHead(302, { Location: url.searchParams.get("redirect") ?? "/" }).end();
      } else if (["/", "/he", "/guest"].includes(url.pathname)) {
        const locale: StorefrontLocale = url.pathname === "/he" ? "he" : "en";
        const customer = url.pathname === "/guest" ? null : await memberAsLiquidSeesIt();
        const html = await renderStorefrontPage({ locale, customer, rootUrl: locale === "en" ? "/" : `/${locale}/` });
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
      } else {
        res.writeHead(404).end();
      }
    } catch (error) {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(String((error as Error).stack));
    }
  });
}

/** Shopify's Admin API for the mutation a redemption sends: a basic discount code, or store credit. */
const startAdminApi = () =>
  listen(async (req, res) => {
    const body = JSON.parse((await readBody(req)).toString());
    adminCalls.push({ path: req.url!, token: req.headers["x-shopify-access-token"] as string | undefined, body });
    const data = body.query.includes("storeCreditAccountCredit")
      ? {
          storeCreditAccountCredit: {
            storeCreditAccountTransaction: { id: `gid://shopify/StoreCreditAccountCreditTransaction/${++shopifyIds}` },
            userErrors: [],
          },
        }
      : adminRefusesCodes
        ? {
            discountCodeBasicCreate: {
              codeDiscountNode: null,
              userErrors: [{ field: ["basicCodeDiscount"], message: "Discount limit reached", code: "INVALID" }],
            },
          }
        : { discountCodeBasicCreate: { codeDiscountNode: { id: `gid://shopify/DiscountCodeNode/${++shopifyIds}` }, userErrors: [] } };
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ data }));
  });

async function browserContext(options: { javaScriptEnabled: boolean; locale?: string }) {
  // A fresh profile (--user-data-dir) per context.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-chromium-"));
  profiles.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1024, height: 768 },
    javaScriptEnabled: options.javaScriptEnabled,
    locale: options.locale,
  });
  contexts.push(context);
  return context;
}

const layoutShifts = `
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // What moved, for the log: the elements' tags and classes.
      const moved = (entry.sources || []).map((source) => source.node ? (source.node.nodeName + "." + (source.node.className || "")) : "?");
      window.__shifts.push({ value: entry.value, hadRecentInput: entry.hadRecentInput, at: entry.startTime, moved });
    }
  }).observe({ type: "layout-shift", buffered: true });
`;
const shiftSum = async (page: Page, options: { excludeInput?: boolean } = {}) =>
  page.evaluate(
    (exclude) =>
      ((window as unknown as { __shifts: { value: number; hadRecentInput: boolean }[] }).__shifts ?? [])
        .filter((shift) => !(exclude && shift.hadRecentInput))
        .reduce((sum, shift) => sum + shift.value, 0),
    options.excludeInput ?? false,
  );

const activeIs = (page: Page, selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
async function tabTo(page: Page, selector: string, limit = 25) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await activeIs(page, selector)) return;
  }
  throw new Error(`${selector} was not reached with the Tab key in ${limit} presses`);
}

/** The member's storefront page in a new browser with the panel opened by a click; page errors are collected. */
async function openPanel() {
  const page = await (await browserContext({ javaScriptEnabled: true })).newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${storefront}/`, { waitUntil: "load" });
  await page.locator(".lyl-launcher").click();
  return { page, panel: page.locator(".lyl-panel"), errors };
}

describe.skipIf(!hasChromium && !ci)("the storefront widget in Chromium", () => {
  beforeAll(async () => {
    if (!hasChromium) throw new Error(`CI=true and ${CHROMIUM} is missing: install Debian's chromium package to run the browser test`);
    database = await createTestDatabase();
    await installShop(database.db, SHOP);
    const member = await createMember(database.db, SHOP);
    memberId = member.id;
    customerId = member.customerId;
    await recordEntry(database.db, SHOP, memberId, 1200);
    const now = new Date().toISOString();
    for (const [name, cost, value] of [
      ["$5 off your order", 500, 500],
      ["$25 off your order", 2000, 2500],
    ] as const) {
      await database.db.raw.run(
        `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "code_lifetime_days", "created_at", "updated_at")
         VALUES (?, ?, 'fixed_amount', ?, ?, 30, ?, ?)`,
        [SHOP, name, cost, value, now, now],
      );
    }
    // The app's documented switch to a local Admin API; read per request, NODE_ENV is "test" here.
    Object.assign(process.env, { LOYALTY_SIMULATOR: "1", SHOPIFY_ADMIN_API_ORIGIN: await startAdminApi() });
    app = await loadRemixApp(database.url);
    storefront = await startStorefront();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    for (const profile of profiles) fs.rmSync(profile, { recursive: true, force: true });
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await app?.close();
    await database?.drop();
  });

  it("shows the balance in the first HTML, before any script runs or request is made", async () => {
    const page = await (await browserContext({ javaScriptEnabled: false })).newPage();
    await page.goto(`${storefront}/`);
    expect(await page.locator(".lyl-launcher [data-loyalty-balance]").textContent()).toBe("1200");
    expect(await page.locator(".lyl--block [data-loyalty-balance]").textContent()).toBe("1200");
    expect(await page.locator(".lyl--block [data-loyalty-progress-text]").textContent()).toBe("Points to go until $25 off your order: 800");
    expect(await page.locator(".lyl-launcher").isVisible()).toBe(true);
    expect(served.proxyCalls).toEqual([]);
  });

  it("opens with the keyboard, redeems, shows the code, puts it on the cart; within the byte and layout-shift budgets", async () => {
    const context = await browserContext({ javaScriptEnabled: true });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: storefront });
    await context.addInitScript(layoutShifts);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${storefront}/`, { waitUntil: "load" });
    await page.waitForTimeout(500);
    const shiftAtLoad = await shiftSum(page);

    const launcher = page.locator(".lyl-launcher");
    await page.locator("body").focus();
    await tabTo(page, ".lyl-launcher");
    await page.keyboard.press("Enter");
    const panelId = (await launcher.getAttribute("aria-controls"))!;
    const panel = page.locator(`#${panelId}`);
    expect(await launcher.getAttribute("aria-expanded")).toBe("true");
    expect(await panel.isVisible()).toBe(true);
    expect(await activeIs(page, `#${panelId}`)).toBe(true);
    await page.keyboard.press("Escape");
    expect(await panel.isHidden()).toBe(true);
    expect(await launcher.getAttribute("aria-expanded")).toBe("false");
    expect(await activeIs(page, ".lyl-launcher")).toBe(true);

    await page.keyboard.press("Enter");
    const redeem = panel.getByRole("button", { name: "Redeem: $5 off your order" });
    await redeem.waitFor();
    expect(await panel.getByText("800 more points needed").isVisible()).toBe(true);
    // Recent activity came with the same answer: the entry that gave the 1200 points.
    expect(await panel.locator("[data-loyalty-activity] li").first().textContent()).toMatch(/^Order · .+ · \+1200$/);
    await tabTo(page, `#${panelId} .lyl-reward .lyl-btn`, 10);
    await page.keyboard.press("Enter");

    const code = panel.locator("[data-loyalty-code]");
    await expect.poll(() => code.textContent(), { timeout: 10_000 }).toMatch(/^PTS-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const shown = (await code.textContent())!;
    expect(await activeIs(page, `#${panelId} [data-loyalty-result]`)).toBe(true);
    expect(await launcher.locator("[data-loyalty-balance]").textContent()).toBe("700");
    expect(await page.locator(".lyl--block [data-loyalty-balance]").textContent()).toBe("700");
    expect(await balanceOf(database.db, memberId)).toBe(700);
    expect(adminCalls).toHaveLength(1);
    expect(adminCalls[0]).toMatchObject({
      path: `/shops/${SHOP}/admin/api/2026-01/graphql.json`,
      token: `shpat_${SHOP.split(".")[0]}`,
      body: { variables: { basicCodeDiscount: { code: shown, context: { customers: { add: [`gid://shopify/Customer/${customerId}`] } } } } },
    });

    await panel.getByRole("button", { name: "Copy code" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);

    // The birthday: month names in the page's language, saved once, then shown instead of the form.
    const birthday = panel.locator("[data-loyalty-birthday-form]");
    await birthday.getByLabel("Month").selectOption({ label: "March" });
    await birthday.getByLabel("Day").selectOption("12");
    await birthday.getByRole("button", { name: "Save birthday" }).click();
    await panel.getByText("Birthday saved: March 12").waitFor();
    expect(await birthday.isHidden()).toBe(true);
    expect((await database.db.raw.get<{ birthday: string }>('SELECT "birthday" FROM "members" WHERE "id" = ?', [memberId]))!.birthday).toBe("03-12");
    await panel.getByText("Copied").waitFor();

    fs.writeFileSync(path.join(SCREENSHOTS, "widget-en.png"), await page.screenshot({ animations: "disabled" }));
    const shiftTotal = await shiftSum(page, { excludeInput: true });

    await panel.getByRole("link", { name: "Apply to cart" }).click();
    await page.waitForURL(`${storefront}/`);
    expect(served.discounts).toEqual([{ code: shown, redirect: "/" }]);
    expect(await page.locator(".lyl-launcher [data-loyalty-balance]").textContent()).toBe("700");
    expect(errors).toEqual([]);
    expect(await ledgerMismatches(database.db)).toEqual([]);

    const bytes = (ext: string) => {
      const files = [...served.assets].filter(([name]) => name.endsWith(ext));
      return {
        files: files.map(([name]) => name),
        raw: files.reduce((sum, [, body]) => sum + body.length, 0),
        gzip: files.reduce((sum, [, body]) => sum + zlib.gzipSync(body, { level: 9 }).length, 0),
      };
    };
    const js = bytes(".js");
    const css = bytes(".css");
    console.log(
      [
        `storefront widget: JavaScript ${js.raw} B raw, ${js.gzip} B gzip (${js.files.join(", ")})`,
        `storefront widget: CSS ${css.raw} B raw, ${css.gzip} B gzip (${css.files.join(", ")})`,
        `storefront widget: layout shift ${shiftAtLoad.toFixed(4)} at load, ${shiftTotal.toFixed(4)} through the scenario (without input-driven shifts)`,
        `storefront widget: shifts ${JSON.stringify(await page.evaluate(() => (window as unknown as { __shifts: unknown[] }).__shifts))}`,
      ].join("\n"),
    );
    expect(js.files.sort()).toEqual(["loyalty-referral.js", "loyalty.js"]);
    expect(css.files).toEqual(["loyalty.css"]);
    expect(js.gzip).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(css.gzip).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    // Usually 0. On a loaded machine about one run in four measures a sliver (0.0007 to 0.0023, the
    // birthday section moving during load; the log line above names what moved): far below what a
    // shopper sees, and below Lighthouse's 0.1, but not yet explained, so it is held to 0.005.
    expect(shiftAtLoad).toBeLessThan(0.005);
    expect(shiftTotal).toBeLessThan(0.01);
  }, 60_000);

  it("redeems a variable reward for the amount typed (Enter submits, a bad amount is explained) and store credit", async () => {
    const now = new Date().toISOString();
    await database.db.raw.run(
      `INSERT INTO "rewards" ("shop", "name", "kind", "points_cost", "value_minor", "min_amount_minor", "max_amount_minor", "code_lifetime_days", "created_at", "updated_at")
       VALUES (?, 'Pick your discount', 'variable', 100, 100, 500, 2000, 30, ?, ?), (?, '$6 store credit', 'store_credit', 600, 600, NULL, NULL, 30, ?, ?)`,
      [SHOP, now, now, SHOP, now, now],
    );
    await recordEntry(database.db, SHOP, memberId, 2000 - (await balanceOf(database.db, memberId)));
    adminCalls.length = 0;
    const { page, panel, errors } = await openPanel();

    // Store credit: a message with the amount, no code.
    await panel.getByRole("button", { name: "Redeem: $6 store credit" }).click();
    const credited = panel.locator("[data-loyalty-credited]");
    await credited.waitFor();
    expect(await credited.textContent()).toBe("$6.00 was added to your store credit. You can use it at checkout.");
    expect(await activeIs(page, ".lyl-panel [data-loyalty-credited]")).toBe(true);
    expect(await panel.locator("[data-loyalty-result]").isHidden()).toBe(true);
    expect(await page.locator(".lyl-launcher [data-loyalty-balance]").textContent()).toBe("1400");
    expect(adminCalls[0].body.variables).toEqual({
      id: `gid://shopify/Customer/${customerId}`,
      creditInput: { creditAmount: { amount: "6.00", currencyCode: "USD" } },
    });

    // A variable amount: 1400 points buy up to $14.00 of the $5.00 to $20.00 range.
    const row = panel.locator(".lyl-reward", { hasText: "Pick your discount" });
    const amount = row.getByLabel("Amount");
    expect(await amount.inputValue()).toBe("5.00");
    expect(await row.locator(".lyl-amount__hint").textContent()).toBe("100 points buy $1.00. Choose from $5.00 to $14.00.");
    expect(await row.locator(".lyl-reward__cost").textContent()).toBe("500 points");
    await amount.fill("25");
    expect(await row.locator(".lyl-error").textContent()).toBe("You can choose up to $14.00.");
    expect(await amount.getAttribute("aria-invalid")).toBe("true");
    await amount.press("Enter");
    expect(adminCalls).toHaveLength(1);
    expect(await activeIs(page, ".lyl-panel .lyl-amount__input")).toBe(true);

    await amount.fill("12");
    expect(await row.locator(".lyl-error").isHidden()).toBe(true);
    expect(await row.locator(".lyl-reward__cost").textContent()).toBe("1200 points");
    await amount.press("Enter");
    const code = panel.locator("[data-loyalty-code]");
    await expect.poll(() => code.textContent(), { timeout: 10_000 }).toMatch(/^PTS-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await credited.isHidden()).toBe(true);
    expect(await page.locator(".lyl-launcher [data-loyalty-balance]").textContent()).toBe("200");
    expect(adminCalls[1].body.variables.basicCodeDiscount).toMatchObject({
      code: await code.textContent(),
      customerGets: { value: { discountAmount: { amount: "12.00" } } },
    });
    // 200 points: the variable reward is out of reach, and says how far.
    expect(await panel.locator(".lyl-reward", { hasText: "Pick your discount" }).textContent()).toContain("300 more points needed");
    fs.writeFileSync(path.join(SCREENSHOTS, "widget-variable-en.png"), await page.screenshot({ animations: "disabled" }));
    expect(errors).toEqual([]);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  }, 60_000);

  it("says so when Shopify refuses the code: no code shown, points kept, focus kept, and the next try is a new redemption", async () => {
    await recordEntry(database.db, SHOP, memberId, 1200 - (await balanceOf(database.db, memberId)));
    adminCalls.length = 0;
    adminRefusesCodes = true;
    const { page, panel, errors } = await openPanel();
    await panel.getByRole("button", { name: "Redeem: $5 off your order" }).click();
    const error = panel.locator("[data-loyalty-error]");
    await error.waitFor();
    expect(await error.textContent()).toBe("We couldn't create your code just now. Your points are back; please try again.");
    expect(await panel.locator("[data-loyalty-result]").isHidden()).toBe(true);
    expect(await page.locator(".lyl-launcher [data-loyalty-balance]").textContent()).toBe("1200");
    // The list was rebuilt for the balance the app sent: the shopper is still on this reward's button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Redeem: $5 off your order");

    adminRefusesCodes = false;
    await page.keyboard.press("Enter");
    const code = panel.locator("[data-loyalty-code]");
    await expect.poll(() => code.textContent(), { timeout: 10_000 }).toMatch(/^PTS-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await error.isHidden()).toBe(true);
    expect(await page.locator(".lyl-launcher [data-loyalty-balance]").textContent()).toBe("700");
    const keys = await database.db.raw.all<{ request_key: string; status: string }>(
      'SELECT "request_key", "status" FROM "redemptions" WHERE "member_id" = ? ORDER BY "id" DESC LIMIT 2',
      [memberId],
    );
    expect(keys.map((k) => k.status)).toEqual(["issued", "failed"]);
    expect(keys[0].request_key).not.toBe(keys[1].request_key);
    expect(errors).toEqual([]);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  }, 60_000);

  it("mirrors for Hebrew: launcher on the left, panel right-to-left, strings in Hebrew", async () => {
    const balance = await balanceOf(database.db, memberId);
    if (balance < 1200) await recordEntry(database.db, SHOP, memberId, 1200 - balance);
    const context = await browserContext({ javaScriptEnabled: true, locale: "he-IL" });
    const page = await context.newPage();
    await page.goto(`${storefront}/he`);
    const launcher = page.locator(".lyl-launcher");
    const box = (await launcher.boundingBox())!;
    expect(box.x + box.width).toBeLessThan(1024 / 2);
    await launcher.click();
    const panel = page.locator(".lyl-panel");
    await panel
      .getByRole("button", { name: /^מימוש: / })
      .first()
      .waitFor();
    expect(await panel.evaluate((el) => getComputedStyle(el).direction)).toBe("rtl");
    expect(await page.locator(".lyl-panel__title").textContent()).toBe("מועדון הטבות");
    expect(
      await panel
        .locator(".lyl-reward__name")
        .first()
        .evaluate((el) => getComputedStyle(el).direction),
    ).toBe("ltr");
    fs.writeFileSync(path.join(SCREENSHOTS, "widget-he.png"), await page.screenshot({ animations: "disabled" }));

    const en = await (await browserContext({ javaScriptEnabled: false })).newPage();
    await en.goto(`${storefront}/guest`);
    const enBox = (await en.locator(".lyl-launcher").boundingBox())!;
    expect(enBox.x).toBeGreaterThan(1024 / 2);
    expect(await en.locator(".lyl-launcher").textContent()).toContain("Rewards");
  }, 60_000);
});
