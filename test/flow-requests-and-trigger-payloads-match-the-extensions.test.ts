import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  FLOW_TRIGGER_HANDLES,
  FLOW_TRIGGERS,
  parseAdjustPointsRequest,
  parseLifecycleCallback,
  pointsEarnedProperties,
  pointsExpiringProperties,
  rewardRedeemedProperties,
  tierChangedProperties,
} from "../app/domain/flow";
import { FLOW_ADJUST_POINTS_PATH, FLOW_LIFECYCLE_PATH } from "../app/flow/requests.server";
import { parseToml, readFlowTriggers } from "../simulator/app-config";

const root = path.resolve(__dirname, "..");
const NOW = new Date("2026-12-03T12:00:00.000Z");

describe("the lifecycle callback, one field at a time", () => {
  const base = {
    flow_trigger_definition_id: "loyalty-points-earned",
    has_enabled_flow: true,
    shop_id: 1,
    shopify_domain: "a.myshopify.com",
    timestamp: "2026-12-01T10:00:00Z",
  };

  it("reads the shop, the trigger, on or off, and when", () => {
    expect(parseLifecycleCallback(base, NOW)).toEqual({
      ok: true,
      change: { shop: "a.myshopify.com", handle: "loyalty-points-earned", active: true, at: "2026-12-01T10:00:00.000Z" },
    });
    expect(parseLifecycleCallback({ ...base, has_enabled_flow: false, timestamp: undefined }, NOW)).toMatchObject({
      change: { active: false, at: NOW.toISOString() },
    });
    expect(parseLifecycleCallback({ ...base, flow_trigger_definition_id: undefined, handle: "loyalty-tier-changed" }, NOW)).toMatchObject({
      change: { handle: "loyalty-tier-changed" },
    });
  });

  it.each([
    ["shopify_domain", { shopify_domain: "evil.example.com" }],
    ["flow_trigger_definition_id", { flow_trigger_definition_id: "" }],
    ["has_enabled_flow", { has_enabled_flow: "yes" }],
  ])("refuses a bad %s", (field, change) => {
    expect(parseLifecycleCallback({ ...base, ...change }, NOW)).toMatchObject({ ok: false, reason: "invalid_request", field });
  });
});

describe("an Adjust loyalty points run, one field at a time", () => {
  const base = {
    shopify_domain: "a.myshopify.com",
    action_run_id: "run-1",
    properties: { customer_id: "gid://shopify/Customer/7", points: 100, reason: " Survey " },
  };
  const withProperty = (change: Record<string, unknown>) => ({ ...base, properties: { ...base.properties, ...change } });

  it("reads the shop, the run, the customer, whole points either way and the trimmed reason", () => {
    expect(parseAdjustPointsRequest(base)).toEqual({
      ok: true,
      adjustment: { shop: "a.myshopify.com", runId: "run-1", customerId: "7", points: 100, reason: "Survey" },
    });
    expect(parseAdjustPointsRequest(withProperty({ points: "-40", customer_id: 7 }))).toMatchObject({ adjustment: { points: -40, customerId: "7" } });
    expect(parseAdjustPointsRequest(withProperty({ points: "+5" }))).toMatchObject({ adjustment: { points: 5 } });
    expect(parseAdjustPointsRequest(withProperty({ points: 1_000_000 }))).toMatchObject({ ok: true });
  });

  it.each([
    [{ points: 2.5 }, "invalid_points", "no decimals"],
    [{ points: "1e3" }, "invalid_points", "whole number"],
    [{ points: null }, "invalid_points", "whole number"],
    [{ points: -1_000_001 }, "invalid_points", "1,000,000"],
    [{ points: 0 }, "invalid_points", "0 points"],
    [{ reason: "" }, "invalid_reason", "Say why"],
    [{ reason: 5 }, "invalid_reason", "Say why"],
    [{ customer_id: "gid://shopify/Product/7" }, "invalid_customer", "customer"],
    [{ customer_id: 0 }, "invalid_customer", "customer"],
  ])("refuses %o as %s", (change, reason, says) => {
    expect(parseAdjustPointsRequest(withProperty(change))).toMatchObject({ ok: false, reason, message: expect.stringContaining(says) });
  });

  it.each([
    ["shopify_domain", { shopify_domain: 12 }],
    ["action_run_id", { action_run_id: "has spaces in it" }],
    ["properties", { properties: [] }],
  ])("refuses a bad %s as an invalid request", (field, change) => {
    expect(parseAdjustPointsRequest({ ...base, ...change })).toMatchObject({ ok: false, reason: "invalid_request", field });
  });
});

/** The keys flowTriggerReceive's payload has for a trigger extension's fields. */
const payloadKeys = (fields: { type: string; key: string | null }[]) =>
  fields.map((field) => (field.type.endsWith("_reference") ? `${field.type.replace(/_reference$/, "")}_id` : field.key)).sort();

describe("the Flow extensions", () => {
  const triggers = readFlowTriggers();

  it("declare exactly the app's triggers, and each trigger's payload has exactly its fields", () => {
    expect(triggers.map((trigger) => trigger.handle).sort()).toEqual([...FLOW_TRIGGER_HANDLES].sort());
    const sent = {
      [FLOW_TRIGGERS.pointsEarned]: pointsEarnedProperties({ customerId: "7", orderId: "9", points: 1, balance: 1, reason: "Order #1001" }),
      [FLOW_TRIGGERS.rewardRedeemed]: rewardRedeemedProperties({ customerId: "7", rewardName: "5 off", pointsSpent: 500, balance: 0, code: null }),
      [FLOW_TRIGGERS.tierChanged]: tierChangedProperties({ customerId: "7", tierName: "Gold", previousTierName: null, upgraded: true }),
      [FLOW_TRIGGERS.pointsExpiring]: pointsExpiringProperties({ customerId: "7", points: 1, balance: 1, expiresAt: "2027-01-01T00:00:00Z" }),
    };
    for (const trigger of triggers) expect(Object.keys(sent[trigger.handle as keyof typeof sent]).sort(), trigger.handle).toEqual(payloadKeys(trigger.fields));
  });

  it("point the action and the lifecycle callback at the app's endpoints", () => {
    const action = parseToml(fs.readFileSync(path.join(root, "extensions/flow-adjust-points/shopify.extension.toml"), "utf8"));
    const [extension] = action.extensions as Record<string, unknown>[];
    expect(extension).toMatchObject({ type: "flow_action", handle: "adjust-loyalty-points", runtime_url: FLOW_ADJUST_POINTS_PATH });
    expect(((action.settings as { fields: Record<string, unknown>[] }).fields ?? []).map((field) => [field.type, field.key ?? null, field.required])).toEqual([
      ["customer_reference", null, true],
      ["number_integer", "points", true],
      ["single_line_text_field", "reason", true],
    ]);
    const lifecycle = parseToml(fs.readFileSync(path.join(root, "extensions/flow-trigger-lifecycle/shopify.extension.toml"), "utf8"));
    const [callback] = lifecycle.extensions as { type: string; url: string }[];
    expect(callback.type).toBe("flow_trigger_lifecycle_callback");
    expect(new URL(callback.url).pathname).toBe(FLOW_LIFECYCLE_PATH);
  });

  const apps: string[] = [];
  afterAll(() => apps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** `shopify app build` of an app holding only the Flow extensions (changed by `edit`), outside the project with nothing to install, so the CLI never runs npm in the project. */
  function buildFlowExtensions(edit: (dir: string) => void = () => {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flow-extensions-build-"));
    apps.push(dir);
    fs.mkdirSync(path.join(dir, "extensions"), { recursive: true });
    fs.copyFileSync(path.join(root, "shopify.app.toml"), path.join(dir, "shopify.app.toml"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "flow-extensions-build", private: true }));
    for (const name of fs.readdirSync(path.join(root, "extensions")).filter((entry) => entry.startsWith("flow-"))) {
      fs.cpSync(path.join(root, "extensions", name), path.join(dir, "extensions", name), { recursive: true });
    }
    edit(dir);
    const result = spawnSync(
      process.execPath,
      [path.join(root, "node_modules/@shopify/cli/bin/run.js"), "app", "build", "--path", dir, "--skip-dependencies-installation"],
      {
        cwd: dir,
        env: { ...process.env, PWD: dir, SHOPIFY_CLI_NO_ANALYTICS: "1" },
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  it("pass Shopify CLI's checks: `shopify app build` of the Flow extensions succeeds offline", () => {
    const { status, output } = buildFlowExtensions();
    expect(output).toContain("built!");
    expect(status).toBe(0);
  }, 150_000);

  it("are checked by that build: a trigger field key with an underscore is refused", () => {
    const { status, output } = buildFlowExtensions((dir) => {
      const file = path.join(dir, "extensions/flow-points-earned/shopify.extension.toml");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('key = "balance"', 'key = "balance_after"'));
    });
    expect(output).toContain("only alphabetic characters and");
    expect(status).not.toBe(0);
  }, 150_000);
});
