import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  extensionRoot,
  importTarget,
  installMiniDocument,
  localeNames,
  missingTranslations,
  settle,
  standInBackend,
  standInShopify,
  type StandInOptions,
} from "./support/ui-extension";

// The extension is plain JavaScript (allowJs, not type-checked); its decisions are tested directly.
import { loadOrderPoints, pointsFromMetafields, redeemAndApply } from "../extensions/checkout-rewards/src/logic.js";

const realFetch = globalThis.fetch;
afterEach(async () => {
  // A render's effects run after it paints: let them meet this test's stand-ins, not the next's.
  await settle();
  globalThis.fetch = realFetch;
});

let renderCheckout: () => Promise<void>;
let renderThankYou: () => Promise<void>;
beforeAll(async () => {
  renderCheckout = await importTarget("src/Checkout.jsx");
  renderThankYou = await importTarget("src/ThankYou.jsx");
}, 60_000);

const reward = (id: number, name: string, pointsCost: number, balance: number, kind = "fixed_amount") => ({
  id,
  name,
  kind,
  pointsCost,
  valueMinor: pointsCost,
  affordable: balance >= pointsCost,
});
const catalogue = (balance: number) => [
  reward(1, "5 off your order", 500, balance),
  reward(2, "Store credit", 600, balance, "store_credit"),
  reward(3, "20 off your order", 2000, balance),
];
const rewardsRoute = (balance: number) => () => ({ status: 200, body: { points: balance, currency: "EUR", currencyDecimals: 2, rewards: catalogue(balance) } });
const redeemRoute = (balance: number) => () => ({
  status: 201,
  body: { ok: true, balance: balance - 500, redemption: { id: 77, code: "PTS-ABCD-EFGH-JKLM", status: "issued", points: 500 } },
});

async function renderCheckoutWith(options: StandInOptions, routes: Parameters<typeof standInBackend>[0]) {
  const body = installMiniDocument();
  const shopify = standInShopify(options);
  const calls = standInBackend(routes);
  await renderCheckout();
  return { body, calls, ...shopify };
}

describe("checkout block", () => {
  it("shows the balance from the customer metafield on the first render, before any network call", async () => {
    const never = () => new Promise<never>(() => undefined);
    const { body, calls } = await renderCheckoutWith({ metafieldPoints: 1234 }, { "GET /api/checkout/rewards": never });
    expect(body.textContent).toContain("You have 1,234 points");
    expect(calls).toHaveLength(0);
  });

  it("then lists only the rewards the shopper can afford and can use here, and how far the next one is", async () => {
    const { body, calls } = await renderCheckoutWith({ metafieldPoints: 700 }, { "GET /api/checkout/rewards": rewardsRoute(900) });
    await settle();
    expect(calls).toEqual([{ method: "GET", path: "/api/checkout/rewards", authorization: "Bearer checkout-session-token", body: null }]);
    expect(body.textContent).toContain("You have 900 points");
    expect(body.textContent).toContain("5 off your order");
    expect(body.textContent).not.toContain("Store credit");
    expect(body.textContent).not.toContain("20 off your order");
    expect(body.all("s-button").map((b) => b.textContent)).toEqual(["Use 500 points"]);
  });

  it("redeems with one tap and applies the code to the checkout", async () => {
    const { body, calls, applied } = await renderCheckoutWith(
      { metafieldPoints: 900 },
      { "GET /api/checkout/rewards": rewardsRoute(900), "POST /api/checkout/redemptions": redeemRoute(900) },
    );
    await settle();
    body.all("s-button")[0].click();
    await settle();
    const redeem = calls.find((c) => c.method === "POST")!;
    expect(redeem).toMatchObject({ path: "/api/checkout/redemptions", authorization: "Bearer checkout-session-token", body: { rewardId: 1 } });
    expect(redeem.body!.idempotencyKey).toMatch(/^checkout-[A-Za-z0-9_.:-]{8,}$/);
    expect(applied).toEqual(["PTS-ABCD-EFGH-JKLM"]);
    expect(body.all("s-banner")[0].textContent).toContain("PTS-ABCD-EFGH-JKLM is applied");
    expect(body.textContent).toContain("You have 400 points");
  });

  it("redeems a variable reward for the amount the shopper picks and applies its code", async () => {
    const variable = {
      id: 5,
      name: "Money off, you pick",
      kind: "variable",
      pointsCost: 50,
      valueMinor: 100,
      minAmountMinor: 200,
      maxAmountMinor: 1000,
      maxAffordableMinor: 1000,
      pointsNeeded: 100,
      affordable: true,
    };
    const { body, calls, applied } = await renderCheckoutWith(
      { metafieldPoints: 900 },
      {
        "GET /api/checkout/rewards": () => ({ status: 200, body: { points: 900, currency: "EUR", currencyDecimals: 2, rewards: [variable] } }),
        "POST /api/checkout/redemptions": () => ({
          status: 201,
          body: { ok: true, balance: 600, redemption: { id: 78, code: "PTS-VARI-ABLE-AMNT", status: "issued", points: 300 } },
        }),
      },
    );
    await settle();
    const field = body.all("s-money-field")[0];
    // 50 points buy €1.00; the most is the reward's €10.00 although 900 points would buy €18.00.
    expect(body.textContent).toContain("50 points buy €1.00. Pick from €2.00 to €10.00.");
    field.type("6");
    await settle();
    const button = body.all("s-button")[0];
    expect(button.textContent).toBe("Use 300 points");
    button.click();
    await settle();
    expect(calls.find((c) => c.method === "POST")!.body).toMatchObject({ rewardId: 5, amount: "6.00" });
    expect(applied).toEqual(["PTS-VARI-ABLE-AMNT"]);
    expect(body.textContent).toContain("You have 600 points");
    // 600 points still buy up to the €10.00 maximum.
    expect(body.textContent).toContain("Pick from €2.00 to €10.00.");
  });

  it("puts a typed amount the new balance no longer buys back to the minimum after a redemption", async () => {
    const variable = (balance: number) => ({
      id: 5,
      name: "Money off, you pick",
      kind: "variable",
      pointsCost: 50,
      valueMinor: 100,
      minAmountMinor: 200,
      maxAmountMinor: 1000,
      maxAffordableMinor: Math.min(1000, Math.floor(balance / 50) * 100),
      pointsNeeded: 100,
      affordable: true,
    });
    const { body } = await renderCheckoutWith(
      { metafieldPoints: 900 },
      {
        "GET /api/checkout/rewards": () => ({ status: 200, body: { points: 900, currency: "EUR", currencyDecimals: 2, rewards: [variable(900)] } }),
        "POST /api/checkout/redemptions": () => ({
          status: 201,
          body: { ok: true, balance: 400, redemption: { id: 79, code: "PTS-VARI-ABLE-TWO2", status: "issued", points: 500 } },
        }),
      },
    );
    await settle();
    body.all("s-money-field")[0].type("10");
    await settle();
    body.all("s-button")[0].click();
    await settle();
    // 400 points buy at most €8.00: "10" would be refused, so the field starts again from €2.00.
    const field = body.all("s-money-field")[0];
    expect(field.value ?? field.getAttribute("value")).toBe("2.00");
    expect(body.textContent).toContain("Pick from €2.00 to €8.00.");
    expect(body.all("s-button")[0].textContent).toBe("Use 100 points");
  });

  it.each([
    [
      "failed at Shopify",
      502,
      { ok: false, error: "discount_not_created", balance: 900, redemption: { id: 80, code: "PTS-NEVE-RMAD-EXXX", status: "failed" } },
    ],
    ["no longer issued", 200, { ok: true, repeated: true, balance: 400, redemption: { id: 82, code: "PTS-USED-ALRE-ADYX", status: "used" } }],
  ])("never applies a code that is %s", async (_name, status, answer) => {
    const { body, applied } = await renderCheckoutWith(
      { metafieldPoints: 900 },
      { "GET /api/checkout/rewards": rewardsRoute(900), "POST /api/checkout/redemptions": () => ({ status, body: answer }) },
    );
    await settle();
    body.all("s-button")[0].click();
    await settle();
    expect(applied).toEqual([]);
    expect(body.textContent).not.toContain(answer.redemption.code);
    expect(body.all("s-banner")[0].textContent).toContain("We couldn't redeem this reward. Please try again.");
  });

  it("says a redemption is being confirmed when Shopify's answer was lost, and asks after that same redemption on the next tap", async () => {
    let answers = 0;
    const { body, calls, applied } = await renderCheckoutWith(
      { metafieldPoints: 1400 },
      {
        "GET /api/checkout/rewards": rewardsRoute(1400),
        "POST /api/checkout/redemptions": () =>
          ++answers === 1
            ? { status: 409, body: { ok: false, error: "redemption_pending", balance: 900, redemption: { id: 81, code: null, status: "pending" } } }
            : { status: 200, body: { ok: true, repeated: true, balance: 900, redemption: { id: 81, code: "PTS-LATE-BUTS-AFEX", status: "issued" } } },
      },
    );
    await settle();
    body.all("s-button")[0].click();
    await settle();
    expect(applied).toEqual([]);
    expect(body.all("s-banner")[0].textContent).toContain("We're still confirming your reward with the store.");
    expect(body.textContent).toContain("You have 900 points");
    body.all("s-button")[0].click();
    await settle();
    const keys = calls.filter((c) => c.method === "POST").map((c) => c.body!.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(applied).toEqual(["PTS-LATE-BUTS-AFEX"]);
    // Settled: the next tap is a new redemption.
    body.all("s-button")[0].click();
    await settle();
    const third = calls.filter((c) => c.method === "POST")[2];
    expect(third.body!.idempotencyKey).not.toBe(keys[0]);
  });

  it("spends nothing where the checkout cannot take codes, and says so", async () => {
    const { body, calls, applied } = await renderCheckoutWith(
      { metafieldPoints: 900, canUpdateDiscountCodes: false },
      { "GET /api/checkout/rewards": rewardsRoute(900), "POST /api/checkout/redemptions": redeemRoute(900) },
    );
    await settle();
    body.all("s-button")[0].click();
    await settle();
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
    expect(applied).toEqual([]);
    expect(body.all("s-banner")[0].textContent).toContain("Your points were not used");
  });

  it("hands the code back when applying it fails (an express wallet), so the points return", async () => {
    const { body, calls } = await renderCheckoutWith(
      { metafieldPoints: 900, applyDiscountCode: async () => ({ type: "error", message: "wallet checkout" }) },
      {
        "GET /api/checkout/rewards": rewardsRoute(900),
        "POST /api/checkout/redemptions": redeemRoute(900),
        "POST /api/checkout/redemptions/77/return": () => ({ status: 200, body: { ok: true, balance: 900, redemption: { id: 77, status: "cancelled" } } }),
      },
    );
    await settle();
    body.all("s-button")[0].click();
    await settle();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /api/checkout/rewards",
      "POST /api/checkout/redemptions",
      "POST /api/checkout/redemptions/77/return",
    ]);
    expect(body.all("s-banner")[0].textContent).toContain("Your points are back in your balance");
    expect(body.textContent).toContain("You have 900 points");
  });

  it("tells a guest how to use points, without calling the backend", async () => {
    const { body, calls } = await renderCheckoutWith({ customerId: null }, {});
    await settle();
    expect(body.textContent).toContain("Sign in to your account to use your points");
    expect(calls).toHaveLength(0);
  });

  it("shows the member's VIP tier and what the next tier still takes, in the buyer's language", async () => {
    const tier = {
      id: 2,
      rank: 2,
      name: "Silver",
      names: { en: "Silver", he: "כסף" },
      until: "2028-01-01T00:00:00.000Z",
      next: { id: 3, name: "Gold", names: { en: "Gold", he: "זהב" }, remaining: 8000, basis: "amount_spent", by: "2027-01-01T00:00:00.000Z" },
    };
    const route = () => ({ status: 200, body: { points: 900, currency: "EUR", currencyDecimals: 2, rewards: catalogue(900), tier, nextTier: null } });
    const en = await renderCheckoutWith({ metafieldPoints: 900 }, { "GET /api/checkout/rewards": route });
    await settle();
    expect(en.body.textContent).toContain("VIP tier: Silver");
    expect(en.body.textContent).toMatch(/Spend €80\.00 more to reach Gold/);
    const he = await renderCheckoutWith({ locale: "he", metafieldPoints: 900 }, { "GET /api/checkout/rewards": route });
    await settle();
    expect(he.body.textContent).toContain("כסף");
    expect(he.body.textContent).toContain("זהב");

    // Below the first tier: how far it is.
    const first = () => ({
      status: 200,
      body: {
        points: 10,
        currency: "EUR",
        currencyDecimals: 2,
        rewards: [],
        tier: null,
        nextTier: { id: 1, name: "Bronze", names: { en: "Bronze" }, remaining: 40, basis: "points_earned", by: null },
      },
    });
    const below = await renderCheckoutWith({ metafieldPoints: 10 }, { "GET /api/checkout/rewards": first });
    await settle();
    expect(below.body.textContent).toContain("Earn 40 more points to reach Bronze");
    expect(below.body.textContent).not.toContain("VIP tier:");
  });

  it("says what expires next and when, in the buyer's language", async () => {
    const route = () => ({
      status: 200,
      body: {
        points: 900,
        currency: "USD",
        currencyDecimals: 2,
        rewards: catalogue(900),
        pointsExpiring: { points: 120, expiresAt: "2027-03-10T12:00:00.000Z" },
      },
    });
    const en = await renderCheckoutWith({ metafieldPoints: 900 }, { "GET /api/checkout/rewards": route });
    await settle();
    expect(en.body.textContent).toMatch(/120 points expire on .*2027/);
    const he = await renderCheckoutWith({ locale: "he", metafieldPoints: 900 }, { "GET /api/checkout/rewards": route });
    await settle();
    expect(he.body.textContent).toContain("120 נקודות יפוגו ב-");
    const none = await renderCheckoutWith(
      { metafieldPoints: 900 },
      { "GET /api/checkout/rewards": () => ({ status: 200, body: { ...route().body, pointsExpiring: null } }) },
    );
    await settle();
    expect(none.body.textContent).not.toContain("expire");
  });

  it("speaks the buyer's language: Hebrew and Arabic plural forms", async () => {
    const he = await renderCheckoutWith({ locale: "he", metafieldPoints: 1 }, { "GET /api/checkout/rewards": () => new Promise<never>(() => undefined) });
    expect(he.body.textContent).toContain("יש לך נקודה אחת");
    const ar = await renderCheckoutWith({ locale: "ar", metafieldPoints: 2 }, { "GET /api/checkout/rewards": () => new Promise<never>(() => undefined) });
    expect(ar.body.textContent).toContain("لديك نقطتان");
  });
});

describe("thank-you block", () => {
  it("shows the points this order earned and the new balance", async () => {
    const body = installMiniDocument();
    standInShopify({ orderId: "9001" });
    const calls = standInBackend({
      "GET /api/checkout/order-points": () => ({ status: 200, body: { orderId: "9001", state: "earned", earnedPoints: 42, points: 1042 } }),
    });
    await renderThankYou();
    await settle();
    expect(calls[0].path).toBe(`/api/checkout/order-points?orderId=${encodeURIComponent("gid://shopify/OrderIdentity/9001")}`);
    expect(body.textContent).toContain("You earned 42 points with this order.");
    expect(body.textContent).toContain("Your balance: 1,042 points");
  });
});

describe("thank-you block: refer a friend", () => {
  const referral = { code: "ADA-7Q2", url: "https://shop.example/apps/loyalty/r/ADA-7Q2", friendsReferred: 0, rewardsEarned: 0, pending: [] };
  const renderThanks = async (locale: string, answer: Record<string, unknown> | null) => {
    const body = installMiniDocument();
    standInShopify({ orderId: "9003", locale });
    const calls = standInBackend({
      "GET /api/checkout/order-points": () => ({ status: 200, body: { orderId: "9003", state: "earned", earnedPoints: 42, points: 1042 } }),
      "GET /api/checkout/rewards": () => ({ status: 200, body: { points: 1042, rewards: [], referral: answer } }),
    });
    await renderThankYou();
    await settle();
    return { body, calls };
  };

  it("asks for the member's link after the order's points, and shows it with a copy button", async () => {
    const { body, calls } = await renderThanks("en", referral);
    expect(calls.map((c) => c.path.split("?")[0])).toEqual(["/api/checkout/order-points", "/api/checkout/rewards"]);
    expect(body.textContent).toContain("You earned 42 points with this order.");
    expect(body.textContent).toContain("Refer a friend");
    expect(body.textContent).toContain(referral.url);
    const clipboard = body.all("s-clipboard-item")[0];
    expect(clipboard.getAttribute("text") ?? clipboard.text).toBe(referral.url);
    const copy = body.all("s-button").find((b) => b.textContent === "Copy link")!;
    expect(copy.getAttribute("command") ?? copy.command).toBe("--copy");
  });

  it("speaks Hebrew, and shows no link when the shop runs no referrals", async () => {
    expect((await renderThanks("he", referral)).body.textContent).toContain("הזמינו חבר");
    const off = await renderThanks("en", null);
    expect(off.body.textContent).not.toContain("Refer a friend");
  });
});

describe("thank-you block: bonuses and pending points", () => {
  const award = (kind: string, points: number, extra: Record<string, unknown> = {}) => ({
    kind,
    points,
    ruleId: null,
    ruleKind: null,
    campaignId: null,
    name: null,
    content: {},
    labels: [],
    ...extra,
  });
  const doublePoints = award("campaign_bonus", 70, { campaignId: 3, name: "Double points weekend", content: { he: { title: "סוף שבוע כפול" } } });
  const renderOrder = async (locale: string, order: Record<string, unknown>) => {
    const body = installMiniDocument();
    standInShopify({ orderId: "9002", locale });
    standInBackend({
      "GET /api/checkout/order-points": () => ({ status: 200, body: { orderId: "9002", state: "earned", reversedPoints: 0, pendingUntil: null, ...order } }),
    });
    await renderThankYou();
    await settle();
    return body.textContent;
  };

  it("names the bonus points beside the order's own: the campaign in the merchant's words, a stamp card in ours", async () => {
    const text = await renderOrder("en", {
      earnedPoints: 340,
      points: 1340,
      awards: [award("earned", 70, { ruleKind: "purchase" }), doublePoints, award("order_bonus", 200, { ruleId: 4, ruleKind: "nth_order" })],
    });
    expect(text).toContain("You earned 340 points with this order: 70 for your order, 70 from Double points weekend, 200 stamp card bonus.");
    expect(text).toContain("Your balance: 1,340 points");
    expect(text).not.toContain("available on");
  });

  it("says when pending points become available", async () => {
    const text = await renderOrder("en", {
      earnedPoints: 140,
      points: 25,
      awards: [award("earned", 70), doublePoints],
      pendingUntil: "2026-12-16T10:00:00.000Z",
    });
    expect(text).toContain("You earned 140 points with this order: 70 for your order, 70 from Double points weekend.");
    expect(text).toContain("Your points will be available on Dec 16, 2026.");
  });

  it("speaks Hebrew: the campaign's Hebrew title, the first-order bonus and the date", async () => {
    const text = await renderOrder("he", {
      earnedPoints: 190,
      points: 190,
      awards: [award("earned", 70), doublePoints, award("order_bonus", 50, { ruleKind: "first_order" })],
      pendingUntil: "2026-12-16T10:00:00.000Z",
    });
    expect(text).toContain("צברת 190 נקודות בהזמנה זו: 70 על ההזמנה, 70 – סוף שבוע כפול, 50 בונוס הזמנה ראשונה.");
    expect(text).toContain(
      `הנקודות יהיו זמינות ב-${new Intl.DateTimeFormat("he", { timeZone: "UTC", dateStyle: "medium" }).format(new Date("2026-12-16T10:00:00Z"))}.`,
    );
  });

  it("shows only the total when the order earned its base points alone, or a refund changed the total", async () => {
    expect(await renderOrder("en", { earnedPoints: 70, points: 70, awards: [award("earned", 70)] })).toContain("You earned 70 points with this order.");
    const refunded = await renderOrder("en", { earnedPoints: 100, points: 100, reversedPoints: 40, awards: [award("earned", 70), doublePoints] });
    expect(refunded).toContain("You earned 100 points with this order.");
    expect(refunded).not.toContain("Double points weekend");
  });
});

describe("the extension's decisions", () => {
  const api = (overrides: Record<string, unknown> = {}) => ({
    sessionToken: { get: async () => "t" },
    instructions: { value: { discounts: { canUpdateDiscountCodes: true } } },
    applyDiscountCodeChange: async () => ({ type: "error", message: "no" }),
    ...overrides,
  });

  it("reads the points metafield only from the app's loyalty namespace on the customer", () => {
    const entry = (type: string, namespace: string, key: string, value: string) => ({ target: { type, id: "x" }, metafield: { namespace, key, value } });
    expect(pointsFromMetafields([entry("customer", "$app:loyalty", "points", "15")])).toBe(15);
    expect(pointsFromMetafields([entry("customer", "app--1234--loyalty", "points", "7")])).toBe(7);
    expect(pointsFromMetafields([entry("shop", "$app:loyalty", "points", "15")])).toBeNull();
    expect(pointsFromMetafields([entry("customer", "$app:other", "points", "15")])).toBeNull();
    expect(pointsFromMetafields([entry("customer", "$app:loyalty", "points", "1.5")])).toBeNull();
    expect(pointsFromMetafields(undefined)).toBeNull();
  });

  it("keeps the code for the shopper to enter when neither applying nor returning works", async () => {
    standInBackend({
      "POST /api/checkout/redemptions": redeemRoute(900),
      "POST /api/checkout/redemptions/77/return": () => ({ status: 502, body: { ok: false, error: "shopify_unavailable" } }),
    });
    expect(await redeemAndApply(api(), "https://app.example", { id: 1 }, { idempotencyKey: "key-12345678" })).toEqual({
      outcome: "not_returned",
      code: "PTS-ABCD-EFGH-JKLM",
    });
  });

  it("reports a refused redemption with the balance the backend gave", async () => {
    standInBackend({ "POST /api/checkout/redemptions": () => ({ status: 422, body: { ok: false, error: "insufficient_points", balance: 120 } }) });
    expect(await redeemAndApply(api(), "https://app.example", { id: 1 }, { idempotencyKey: "key-12345678" })).toEqual({ outcome: "refused", points: 120 });
  });

  it("asks again while the order's points are pending, then gives up with pending", async () => {
    let answers = 0;
    standInBackend({
      "GET /api/checkout/order-points": () => ({
        status: 200,
        body: ++answers < 3 ? { state: "pending", earnedPoints: null, points: 5 } : { state: "earned", earnedPoints: 30, points: 35 },
      }),
    });
    expect(await loadOrderPoints(api(), "https://app.example", "gid://shopify/Order/1", [0, 0, 0])).toEqual({ status: "earned", earnedPoints: 30, points: 35 });
    answers = -100;
    expect(await loadOrderPoints(api(), "https://app.example", "gid://shopify/Order/1", [0])).toMatchObject({ status: "pending" });
  });
});

describe("the extension's configuration and strings", () => {
  it("has every string in en, he, ar, da and ro, with each plural form the language needs", () => {
    expect(localeNames.sort()).toEqual(["ar", "da", "en", "he", "ro"]);
    expect(missingTranslations(extensionRoot)).toEqual([]);
  });

  it("leaves direction to the components: no hard-coded left or right in the sources", () => {
    for (const file of fs.readdirSync(path.join(extensionRoot, "src"))) {
      expect(fs.readFileSync(path.join(extensionRoot, "src", file), "utf8"), file).not.toMatch(/\b(left|right)\b|textAlign|marginLeft|paddingLeft/i);
    }
  });

  it("declares both targets, API 2026-01, network access and the points metafield", () => {
    const toml = fs.readFileSync(path.join(extensionRoot, "shopify.extension.toml"), "utf8");
    expect(toml).toMatch(/^api_version = "2026-01"$/m);
    expect(toml).toMatch(/target = "purchase\.checkout\.reductions\.render-before"\s+module = "\.\/src\/Checkout\.jsx"/);
    expect(toml).toMatch(/target = "purchase\.thank-you\.block\.render"\s+module = "\.\/src\/ThankYou\.jsx"/);
    expect(toml).toMatch(/network_access = true/);
    expect(toml).toMatch(/namespace = "\$app:loyalty"\s+key = "points"/);
  });
});
