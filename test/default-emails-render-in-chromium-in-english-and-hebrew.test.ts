import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGE_KINDS } from "../app/domain/member-messages";
import { MESSAGE_VARIABLES } from "../app/domain/message-templates";
import { defaultTemplate } from "../app/email/default-templates";
import { renderEmail } from "../app/email/layout";
import { unsubscribeUrl } from "../app/email/unsubscribe-link.server";

// Every default email, as a member's mail client would show it, in Chromium at a phone's width:
// right to left in Hebrew, nothing wider than the screen, every paragraph laid out. The
// screenshots are kept under test-results/emails/ for a person to look at.

const CHROMIUM = "/usr/bin/chromium";
const OUT = path.join(process.cwd(), "test-results", "emails");
const WIDTH = 390;

let context: BrowserContext;
let page: Page;
let profile: string;

beforeAll(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-email-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: WIDTH, height: 844 },
    javaScriptEnabled: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

const cases = MESSAGE_KINDS.flatMap((kind) => (["en", "he"] as const).map((locale) => [kind, locale] as const));

describe("default emails in Chromium", () => {
  it.each(cases)("%s in %s is laid out within a phone's width", async (kind, locale) => {
    const email = renderEmail(
      defaultTemplate(kind, locale),
      { ...MESSAGE_VARIABLES, first_name: locale === "he" ? "נועה" : "Dana", shop_name: "The Very Long Name Tea House and Ceramics" },
      { locale, unsubscribeUrl: unsubscribeUrl("demo.myshopify.com", 42, { appUrl: "https://loyalty.example", apiSecrets: ["secret"] }) },
    );
    await page.setContent(email.html, { waitUntil: "load" });
    const layout = await page.evaluate(() => {
      const paragraphs = [...document.querySelectorAll("p")].map((p) => {
        const box = p.getBoundingClientRect();
        return { width: box.width, height: box.height, start: box.x, end: box.x + box.width, direction: getComputedStyle(p).direction };
      });
      return {
        dir: document.documentElement.dir,
        lang: document.documentElement.lang,
        scrollWidth: document.body.scrollWidth,
        viewport: window.innerWidth,
        paragraphs,
        unsubscribe: [...document.querySelectorAll("a")].some((a) => a.href.startsWith("https://loyalty.example/messages/unsubscribe?token=")),
      };
    });
    await page.screenshot({ path: path.join(OUT, `${kind}-${locale}.png`), fullPage: true });
    expect(layout.dir).toBe(locale === "he" ? "rtl" : "ltr");
    expect(layout.lang).toBe(locale);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.viewport);
    expect(layout.paragraphs.length).toBeGreaterThanOrEqual(2);
    for (const paragraph of layout.paragraphs) {
      expect(paragraph.height).toBeGreaterThan(0);
      expect(paragraph.start).toBeGreaterThanOrEqual(0);
      expect(paragraph.end).toBeLessThanOrEqual(layout.viewport);
      expect(paragraph.direction).toBe(locale === "he" ? "rtl" : "ltr");
    }
    expect(layout.unsubscribe).toBe(true);
  });
});
