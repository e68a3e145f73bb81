import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { describe, it } from "vitest";
import { startDemoStack, type DemoStack } from "../../../simulator/stack";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { ensureProductionBuild } from "../../support/remix-app";

/** Debian's Chromium; playwright-core drives it, nothing is downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const SCREENSHOTS = path.resolve(__dirname, "../../../test-results/screenshots");
// shopify-app-remix answers 410 to user agents isbot() recognises, and "HeadlessChrome" is one.
const DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/**
 * describe() for tests that need Chromium. Without it they are skipped, except under CI=true,
 * where a missing browser is a failure that says what to install.
 */
export function describeInBrowser(name: string, body: () => void) {
  if (fs.existsSync(CHROMIUM_PATH)) return describe(name, body);
  if (process.env.CI === "true") {
    return describe(name, () => {
      it("needs Chromium", () => {
        throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium package (or set CHROMIUM_PATH) to run the browser tests`);
      });
    });
  }
  return describe.skip(`${name} (skipped: no Chromium at ${CHROMIUM_PATH}; CI=true makes this a failure)`, body);
}

export interface BrowserStack {
  stack: DemoStack;
  database: TestDatabase;
  context: BrowserContext;
  page: Page;
  /** Saves test-results/screenshots/<prefix>-<nn>-<step>.png. */
  screenshot(step: string): Promise<void>;
  close(): Promise<void>;
}

/** The app and the simulator on ephemeral loopback ports (the demo's own stack), and a fresh Chromium profile. */
export async function startBrowserStack(prefix: string, seed: { customers: number; orders: number }): Promise<BrowserStack> {
  ensureProductionBuild();
  const database = await createTestDatabase();
  const stack = await startDemoStack({ databaseUrl: database.url, seed }).catch(async (error) => {
    await database.drop();
    throw error;
  });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    userAgent: DESKTOP_CHROME,
    viewport: { width: 1280, height: 900 },
    timeout: 30_000,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  let shot = 0;
  return {
    stack,
    database,
    context,
    page,
    async screenshot(step) {
      shot += 1;
      await page.screenshot({ path: path.join(SCREENSHOTS, `${prefix}-${String(shot).padStart(2, "0")}-${step}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
      await stack.close();
      await database.drop();
    },
  };
}
