import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { publicAppUrl } from "../scripts/deploy.mjs";
import { DEV_APP_URL, bundleTarget, extensionRootOf } from "./support/ui-extension";

const root = path.resolve(__dirname, "..");
const PUBLIC_URL = "https://loyalty.example.com";
const UI_EXTENSIONS = ["checkout-rewards", "customer-account-rewards"];

/**
 * An app with only the checkout and customer account extensions (the capped-percentage and
 * tier-perks Functions need Javy, which the CLI downloads), inside the project so the
 * extensions resolve preact and @shopify/ui-extensions from its node_modules.
 */
function uiExtensionsApp() {
  const dir = path.join(root, `.cache/deploy-build-${process.pid}-${Date.now()}`);
  fs.mkdirSync(path.join(dir, "extensions"), { recursive: true });
  fs.copyFileSync(path.join(root, "shopify.app.toml"), path.join(dir, "shopify.app.toml"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "ui-extensions-build", private: true }));
  for (const name of [...UI_EXTENSIONS, "shared"]) {
    fs.cpSync(path.join(root, "extensions", name), path.join(dir, "extensions", name), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}dist`),
    });
  }
  apps.push(dir);
  return dir;
}
const apps: string[] = [];
afterAll(() => apps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** `node scripts/deploy.mjs ...args` with SHOPIFY_APP_URL set to appUrl, or unset when undefined. */
function runDeployScript(args: string[], appUrl: string | undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env, SHOPIFY_APP_URL: appUrl, SHOPIFY_CLI_NO_ANALYTICS: "1" };
  if (appUrl === undefined) delete env.SHOPIFY_APP_URL;
  const result = spawnSync(process.execPath, ["scripts/deploy.mjs", ...args], { cwd: root, env, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const builtBundle = (app: string, handle: string) => fs.readFileSync(path.join(app, "extensions", handle, "dist", `${handle}.js`), "utf8");

describe("the app URL a production build gives the extensions", () => {
  it.each([
    [undefined, "missing"],
    ["  ", "missing"],
    ["loyalty.example.com", "not_a_url"],
    ["http://loyalty.example.com", "not_https"],
    ["https://localhost:3000", "not_public"],
    ["https://LOCALHOST", "not_public"],
    ["https://app.localhost", "not_public"],
    ["https://127.0.0.1:3000", "not_public"],
    ["https://2130706433", "not_public"],
    ["https://[::1]:3000", "not_public"],
    ["https://0.0.0.0", "not_public"],
    ["https://10.1.2.3", "not_public"],
    ["https://172.16.0.1", "not_public"],
    ["https://192.168.1.10", "not_public"],
    ["https://169.254.169.254", "not_public"],
    ["https://[fd00::1]", "not_public"],
    ["https://buildbox", "not_public"],
    ["https://printer.local", "not_public"],
  ])("%j is refused: %s", (value, reason) => {
    expect(publicAppUrl(value)).toEqual({ ok: false, reason });
  });

  it.each([
    ["https://loyalty.example.com", "https://loyalty.example.com"],
    ["https://loyalty.example.com/", "https://loyalty.example.com"],
    [" https://Loyalty.Example.com:8443 ", "https://loyalty.example.com:8443"],
    ["https://172.32.0.1", "https://172.32.0.1"],
  ])("%j is the origin %s", (value, url) => {
    expect(publicAppUrl(value)).toEqual({ ok: true, url });
  });
});

describe("npm run deploy", () => {
  it("exits non-zero and says why when SHOPIFY_APP_URL is missing", () => {
    const { status, output } = runDeployScript([], undefined);
    expect(status).not.toBe(0);
    expect(output).toContain("deploy: refused: SHOPIFY_APP_URL is not set");
  });

  it("refuses a production build for a loopback SHOPIFY_APP_URL, building nothing", () => {
    const app = uiExtensionsApp();
    for (const appUrl of ["https://localhost:3000", "https://127.0.0.1"]) {
      const { status, output } = runDeployScript(["build", "--path", app, "--skip-dependencies-installation"], appUrl);
      expect(status, output).not.toBe(0);
      expect(output).toContain(`SHOPIFY_APP_URL "${appUrl}" is a loopback, private or local address`);
    }
    for (const handle of UI_EXTENSIONS) expect(fs.existsSync(path.join(app, "extensions", handle, "dist"))).toBe(false);
  });

  it("refuses plain http", () => {
    const { status, output } = runDeployScript(["build", "--path", uiExtensionsApp()], "http://loyalty.example.com");
    expect(status).not.toBe(0);
    expect(output).toContain("is not https");
  });

  it("builds each extension with Shopify CLI to call the public SHOPIFY_APP_URL, with no localhost in it", () => {
    const app = uiExtensionsApp();
    const { status, output } = runDeployScript(["build", "--path", app, "--skip-dependencies-installation"], `${PUBLIC_URL}/`);
    expect(status, output).toBe(0);
    for (const handle of UI_EXTENSIONS) {
      const bundle = builtBundle(app, handle);
      expect(bundle, handle).toContain(`"${PUBLIC_URL}"`);
      expect(bundle, handle).not.toMatch(/localhost|127\.0\.0\.1|\[::1\]|process\.env/);
    }
  }, 120_000);
});

describe("the extensions' sources", () => {
  it("name no URL of the app: the build puts it in", () => {
    for (const dir of [...UI_EXTENSIONS.map((handle) => path.join(extensionRootOf(handle), "src")), path.join(root, "extensions/shared")]) {
      for (const file of fs.readdirSync(dir)) {
        // Shopify's docs and the share networks of the referral link are the only URLs a source names.
        expect(fs.readFileSync(path.join(dir, file), "utf8"), `${dir}/${file}`).not.toMatch(
          /https?:\/\/(?!shopify\.dev|wa\.me\/|twitter\.com\/intent\/|www\.facebook\.com\/sharer\/)/,
        );
      }
    }
  });

  it("call shopify app dev's tunnel (APP_URL) in a development build", async () => {
    const bundle = new TextDecoder().decode(await bundleTarget("src/ProfileBlock.jsx", extensionRootOf("customer-account-rewards")));
    expect(bundle).toContain(`"${DEV_APP_URL}"`);
    expect(bundle).not.toMatch(/process\.env/);
  });
});
