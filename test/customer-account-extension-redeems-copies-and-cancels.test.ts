import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  extensionRootOf,
  importTarget,
  installMiniDocument,
  localeNamesOf,
  missingTranslations,
  settle,
  standInBackend,
  standInShopify,
  type StandInOptions,
} from "./support/ui-extension";

// The extension is plain JavaScript (allowJs, not type-checked); its decisions are tested directly.
import { cancelCode, redeemForCode, redeemableRewards } from "../extensions/customer-account-rewards/src/logic.js";

const root = extensionRootOf("customer-account-rewards");
const realFetch = globalThis.fetch;
afterEach(async () => {
  // A render's effects run after it paints: let them meet this test's stand-ins, not the next's.
  await settle();
  globalThis.fetch = realFetch;
});

let renderProfile: () => Promise<void>;
beforeAll(async () => {
  renderProfile = await importTarget("src/ProfileBlock.jsx", root);
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
const code = (id: number, value: string, points = 500) => ({
  id,
  rewardId: 1,
  rewardName: "5 off your order",
  status: "issued",
  points,
  valueMinor: points,
  code: value,
  expiresAt: "2026-03-01T00:00:00.000Z",
  failureReason: null,
});
const entry = (id: number, kind: string, delta: number, day: number, note: string | null = null) => ({
  id,
  kind,
  delta,
  createdAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
  note,
});
const accountRoutes = (balance: number, codes = [code(70, "PTS-OLD1-OLD2-OLD3")]) => ({
  "GET /api/customer-account/rewards": () => ({ status: 200, body: { points: balance, currency: "USD", currencyDecimals: 2, rewards: catalogue(balance) } }),
  "GET /api/customer-account/redemptions": () => ({ status: 200, body: { codes } }),
  "GET /api/customer-account/activity": () => ({
    status: 200,
    body: {
      entries: [entry(3, "manual_adjustment", -25, 20, "Correction for a duplicate order"), entry(2, "redeemed", -500, 10), entry(1, "earned", 1425, 2)],
    },
  }),
});

async function renderWith(options: StandInOptions, routes: Parameters<typeof standInBackend>[0]) {
  const body = installMiniDocument();
  const shopify = standInShopify({ extensionRoot: root, ...options });
  const calls = standInBackend(routes);
  await renderProfile();
  return { body, calls, ...shopify };
}
const buttons = (body: ReturnType<typeof installMiniDocument>) => body.all("s-button");
/** A component's property as Preact set it: a DOM property when the element has one, else an attribute (a string). */
const prop = (element: ReturnType<typeof installMiniDocument>, name: string) => (element[name] as string | undefined) ?? element.getAttribute(name);

describe("profile block", () => {
  it("says it is loading until the backend answers (the profile target has no app metafields)", async () => {
    const { body, calls } = await renderWith({}, { "GET /api/customer-account/rewards": () => new Promise<never>(() => undefined) });
    expect(body.textContent).toContain("Loading your points");
    await settle();
    expect(calls.map((c) => c.path).sort()).toEqual(["/api/customer-account/activity", "/api/customer-account/redemptions", "/api/customer-account/rewards"]);
    expect(calls.every((c) => c.authorization === "Bearer checkout-session-token")).toBe(true);
  });

  it("shows the balance, the rewards they can afford (store credit too), their unused codes and recent activity with signed points", async () => {
    const { body } = await renderWith({}, accountRoutes(900));
    await settle();
    const text = body.textContent;
    expect(text).toContain("You have 900 points");
    expect(text).toContain("5 off your order");
    expect(text).toContain("Store credit");
    expect(text).not.toContain("20 off your order");
    expect(text).toContain("PTS-OLD1-OLD2-OLD3");
    expect(text).toContain("Expires Mar 1, 2026");
    expect(text).toContain("Correction for a duplicate order");
    expect(text).toContain("Jan 20, 2026");
    expect(text).toContain("-25 points");
    expect(text).toContain("Reward redeemed");
    expect(text).toContain("-500 points");
    expect(text).toContain("Points earned on an order");
    expect(text).toContain("+1,425 points");
    expect(buttons(body).map((b) => b.textContent)).toEqual(["Redeem 500 points", "Redeem 600 points", "Copy code", "Cancel code"]);
  });

  it("copies a code through a clipboard item the Copy button commands", async () => {
    const { body } = await renderWith({}, accountRoutes(900));
    await settle();
    const clipboard = body.all("s-clipboard-item")[0];
    const copy = buttons(body).find((b) => b.textContent === "Copy code")!;
    const attr = (element: typeof copy, name: string) => element.getAttribute(name) ?? (element[name] as string | undefined);
    expect(attr(clipboard, "text")).toBe("PTS-OLD1-OLD2-OLD3");
    expect(attr(copy, "command")).toBe("--copy");
    expect(attr(copy, "commandFor")).toBe(attr(clipboard, "id"));
  });

  it("redeems: shows the new code to copy, lowers the balance and refreshes the activity", async () => {
    const { body, calls } = await renderWith(
      {},
      {
        ...accountRoutes(900),
        "POST /api/customer-account/redemptions": () => ({
          status: 201,
          body: { ok: true, balance: 400, redemption: code(77, "PTS-ABCD-EFGH-JKLM") },
        }),
      },
    );
    await settle();
    buttons(body)
      .find((b) => b.textContent === "Redeem 500 points")!
      .click();
    await settle();
    const redeem = calls.find((c) => c.method === "POST")!;
    expect(redeem).toMatchObject({ path: "/api/customer-account/redemptions", body: { rewardId: 1 } });
    expect(redeem.body!.idempotencyKey).toMatch(/^account-[A-Za-z0-9_.:-]{8,}$/);
    expect(body.all("s-banner")[0].textContent).toContain("Your code PTS-ABCD-EFGH-JKLM is ready");
    expect(body.textContent).toContain("You have 400 points");
    expect(body.all("s-clipboard-item").map((c) => c.getAttribute("text") ?? c.text)).toEqual(["PTS-ABCD-EFGH-JKLM", "PTS-OLD1-OLD2-OLD3"]);
    // 500 > 400: nothing left to redeem, and the next reward is named.
    expect(buttons(body).some((b) => b.textContent?.startsWith("Redeem"))).toBe(false);
    expect(calls.filter((c) => c.path === "/api/customer-account/activity")).toHaveLength(2);
  });

  it("says a redemption is being confirmed, and the next tap asks after it with the same key", async () => {
    let answers = 0;
    const { body, calls } = await renderWith(
      {},
      {
        ...accountRoutes(1400),
        "POST /api/customer-account/redemptions": () =>
          ++answers === 1
            ? { status: 409, body: { ok: false, error: "redemption_pending", balance: 900, redemption: { ...code(78, "x"), code: null, status: "pending" } } }
            : { status: 200, body: { ok: true, repeated: true, balance: 900, redemption: code(78, "PTS-LATE-BUTS-AFEX") } },
      },
    );
    await settle();
    buttons(body)
      .find((b) => b.textContent === "Redeem 500 points")!
      .click();
    await settle();
    expect(body.all("s-banner")[0].textContent).toContain("We're still confirming your reward with the store.");
    expect(body.all("s-clipboard-item")).toHaveLength(1);
    buttons(body)
      .find((b) => b.textContent === "Redeem 500 points")!
      .click();
    await settle();
    const keys = calls.filter((c) => c.method === "POST").map((c) => c.body!.idempotencyKey);
    expect(keys[1]).toBe(keys[0]);
    expect(body.all("s-banner")[0].textContent).toContain("Your code PTS-LATE-BUTS-AFEX is ready");
  });

  it("turns points into store credit: says how much was added, lowers the balance, adds no code", async () => {
    const { body, calls } = await renderWith(
      {},
      {
        ...accountRoutes(900),
        "POST /api/customer-account/redemptions": () => ({
          status: 201,
          body: { ok: true, balance: 300, redemption: { id: 78, rewardId: 2, status: "issued", points: 600, valueMinor: 600, code: null, expiresAt: null } },
        }),
      },
    );
    await settle();
    buttons(body)
      .find((b) => b.textContent === "Redeem 600 points")!
      .click();
    await settle();
    expect(calls.find((c) => c.method === "POST")).toMatchObject({ path: "/api/customer-account/redemptions", body: { rewardId: 2 } });
    expect(body.all("s-banner")[0].textContent).toBe("$6.00 was added to your store credit. You can use it at checkout.");
    expect(body.textContent).toContain("You have 300 points");
    expect(body.all("s-clipboard-item")).toHaveLength(1);
  });

  it("lets the customer pick a variable reward's amount, says what it costs and sends that amount", async () => {
    const variable = {
      id: 5,
      name: "Money off, you pick",
      kind: "variable",
      pointsCost: 100,
      valueMinor: 100,
      minAmountMinor: 500,
      maxAmountMinor: 5000,
      maxAffordableMinor: 900,
      pointsNeeded: 500,
      affordable: true,
    };
    const { body, calls } = await renderWith(
      {},
      {
        ...accountRoutes(900),
        "GET /api/customer-account/rewards": () => ({ status: 200, body: { points: 900, currency: "USD", currencyDecimals: 2, rewards: [variable] } }),
        "POST /api/customer-account/redemptions": () => ({ status: 201, body: { ok: true, balance: 100, redemption: code(79, "PTS-VARI-ABLE-AMNT", 800) } }),
      },
    );
    await settle();
    const field = body.all("s-money-field")[0];
    expect(["label", "min", "max", "step", "value"].map((name) => prop(field, name))).toEqual(["Amount", "5", "9", "1", "5.00"]);
    expect(body.textContent).toContain("100 points buy $1.00. Pick from $5.00 to $9.00.");
    const button = () => buttons(body).find((b) => b.textContent?.startsWith("Redeem"))!;
    expect(button().textContent).toBe("Redeem 500 points");

    const typed = async (value: string) => {
      field.type(value);
      await settle();
      return prop(field, "error");
    };
    expect(await typed("12")).toBe("You can pick up to $9.00.");
    expect(prop(button(), "disabled")).toBe("true");
    expect(await typed("3")).toBe("The smallest amount is $5.00.");
    expect(await typed("7,50")).toBe("Pick a multiple of $1.00.");
    expect(await typed("ten")).toBe("Enter an amount, such as $5.00.");
    expect(await typed("8")).toBeNull();
    expect(prop(button(), "disabled")).toBeNull();
    expect(button().textContent).toBe("Redeem 800 points");
    expect(prop(button(), "accessibilityLabel")).toBe("Redeem 800 points for Money off, you pick ($8.00)");
    button().click();
    await settle();
    expect(calls.find((c) => c.method === "POST")!.body).toMatchObject({ rewardId: 5, amount: "8.00" });
    expect(body.all("s-banner")[0].textContent).toContain("Your code PTS-VARI-ABLE-AMNT is ready");
    // 100 points left buy less than the $5.00 minimum: the reward is out of reach now.
    expect(body.all("s-money-field")).toHaveLength(0);
    expect(body.textContent).toContain("Your next reward needs 500 points.");
  });

  it("cancels an unused code: the code goes and the points come back", async () => {
    const { body, calls } = await renderWith(
      {},
      {
        ...accountRoutes(400),
        "POST /api/customer-account/redemptions/70/return": () => ({
          status: 200,
          body: { ok: true, balance: 900, redemption: { id: 70, status: "cancelled" } },
        }),
      },
    );
    await settle();
    expect(body.textContent).toContain("You have 400 points");
    buttons(body)
      .find((b) => b.textContent === "Cancel code")!
      .click();
    await settle();
    expect(calls.some((c) => c.method === "POST" && c.path === "/api/customer-account/redemptions/70/return")).toBe(true);
    expect(body.all("s-banner")[0].textContent).toContain("Your points are back in your balance");
    expect(body.textContent).toContain("You have 900 points");
    expect(body.textContent).not.toContain("PTS-OLD1-OLD2-OLD3");
    expect(body.textContent).toContain("You have no unused codes.");
  });

  it("keeps the code and says so when cancelling fails", async () => {
    const { body } = await renderWith(
      {},
      { ...accountRoutes(400), "POST /api/customer-account/redemptions/70/return": () => ({ status: 502, body: { ok: false, error: "shopify_unavailable" } }) },
    );
    await settle();
    buttons(body)
      .find((b) => b.textContent === "Cancel code")!
      .click();
    await settle();
    expect(body.all("s-banner")[0].textContent).toContain("We couldn't cancel this code");
    expect(body.textContent).toContain("PTS-OLD1-OLD2-OLD3");
    expect(body.textContent).toContain("You have 400 points");
  });

  it("says the points can't be shown when the backend fails", async () => {
    const { body } = await renderWith({}, { "GET /api/customer-account/rewards": () => ({ status: 500, body: {} }) });
    await settle();
    expect(body.textContent).toContain("Your points can't be shown right now.");
  });

  it("speaks the customer's language: Hebrew and Arabic plural forms", async () => {
    const he = await renderWith({ locale: "he" }, accountRoutes(1));
    await settle();
    expect(he.body.textContent).toContain("יש לך נקודה אחת");
    const ar = await renderWith({ locale: "ar" }, accountRoutes(2));
    await settle();
    expect(ar.body.textContent).toContain("لديك نقطتان");
  });
});

describe("profile block: ways to earn, pending points and the running campaign", () => {
  const way = (id: number, kind: string, extra: Record<string, unknown> = {}) => ({
    id,
    kind,
    points: 0,
    done: false,
    claimable: false,
    content: {},
    ...extra,
  });
  const earning = {
    waysToEarn: [
      way(1, "purchase", { pointsPerCurrencyUnit: 1 }),
      way(2, "nth_order", { points: 200, progress: { done: 2, of: 5 }, content: { en: { title: "Every 5th order" } } }),
      way(3, "signup", { points: 100, done: true }),
      way(4, "social", { points: 50, network: "instagram", url: "https://instagram.com/demoteahouse", claimable: true }),
      way(5, "custom", { points: 75, content: { en: { title: "Complete our style quiz", description: "Five questions" }, he: { title: "שאלון הסגנון" } } }),
      way(6, "review", { points: 25, photoBonusPoints: 25 }),
    ],
    pendingPoints: [{ points: 140, availableOn: "2026-12-16T10:00:00.000Z" }],
    campaigns: [
      {
        id: 9,
        name: "Double points weekend",
        multiplier: 2,
        bonusPoints: null,
        endsAt: "2026-12-07T00:00:00.000Z",
        productLimited: false,
        content: { he: { title: "סוף שבוע כפול" } },
      },
    ],
  };
  const routes = (balance: number) => ({
    ...accountRoutes(balance, []),
    "GET /api/customer-account/rewards": () => ({
      status: 200,
      body: { points: balance, currency: "USD", currencyDecimals: 2, rewards: catalogue(balance), ...earning },
    }),
  });

  it("says what expires next and when", async () => {
    const { body } = await renderWith(
      {},
      {
        ...routes(900),
        "GET /api/customer-account/rewards": () => ({
          status: 200,
          body: {
            points: 900,
            currency: "USD",
            currencyDecimals: 2,
            rewards: catalogue(900),
            ...earning,
            pointsExpiring: { points: 1, expiresAt: "2027-03-10T12:00:00.000Z" },
          },
        }),
      },
    );
    await settle();
    expect(body.textContent).toMatch(/1 point expires on .*2027/);
  });

  it("lists each way to earn in the merchant's words or ours, its worth, the stamp card's progress, a follow link and a done mark", async () => {
    const { body } = await renderWith({}, routes(900));
    await settle();
    const text = body.textContent;
    expect(text).toContain("Ways to earn");
    expect(text).toContain("Shop with us");
    expect(text).toContain("1 point for every $1 you spend");
    expect(text).toContain("Every 5th order");
    expect(text).toContain("200 points");
    expect(text).toContain("2 of 5 orders");
    expect(text).toContain("Join the program");
    expect(text).toContain("Follow us on Instagram");
    expect(text).toContain("Complete our style quiz");
    expect(text).toContain("Five questions");
    expect(text).toContain("Write a product review");
    expect(text).toContain("25 points · 25 more with a photo");
    const links = body.all("s-link");
    expect(links.map((link) => [link.textContent, prop(link, "href")])).toEqual([["Follow us on Instagram", "https://instagram.com/demoteahouse"]]);
    // Only the sign-up is done.
    expect(body.all("s-badge").map((badge) => badge.textContent)).toEqual(["Done"]);
  });

  it("claims a social follow with one tap: the points are on their way, and the button goes", async () => {
    const claims: string[] = [];
    const { body } = await renderWith(
      {},
      {
        ...routes(900),
        "POST /api/customer-account/ways-to-earn/4/claim": () => {
          claims.push("4");
          return { status: 202, body: { ok: true, status: "pending", availableAt: "2026-12-02T12:00:15.000Z" } };
        },
      },
    );
    await settle();
    const claim = () => buttons(body).find((b) => b.textContent === "Claim 50 points for following");
    expect(claim()).toBeDefined();
    claim()!.click();
    await settle();
    expect(claims).toEqual(["4"]);
    expect(body.textContent).toContain("Thanks for following! Your points are on their way.");
    expect(claim()).toBeUndefined();
  });

  it("shows pending points with the day they become available, and the running campaign", async () => {
    const { body } = await renderWith({}, routes(900));
    await settle();
    expect(body.textContent).toContain("140 points on their way, available on Dec 16, 2026");
    const banner = body.all("s-banner").find((b) => prop(b, "heading") === "Double points weekend")!;
    expect(banner.textContent).toBe("2× points on your orders until Dec 7, 2026.");
  });

  it("speaks Hebrew: the merchant's Hebrew titles, our defaults, the stamp card and pending points", async () => {
    const { body } = await renderWith({ locale: "he" }, routes(900));
    await settle();
    const text = body.textContent;
    const day = (iso: string) => new Intl.DateTimeFormat("he", { timeZone: "UTC", dateStyle: "medium" }).format(new Date(iso));
    expect(text).toContain("דרכים לצבור נקודות");
    expect(text).toContain("שאלון הסגנון");
    expect(text).toContain("כרטיסייה");
    expect(text).toContain("2 מתוך 5 הזמנות");
    expect(text).toContain("עקבו אחרינו ב-Instagram");
    expect(text).toContain(`140 נקודות בדרך, זמינות ב-${day("2026-12-16T10:00:00.000Z")}`);
    expect(body.all("s-banner").some((b) => prop(b, "heading") === "סוף שבוע כפול")).toBe(true);
    expect(body.all("s-badge").map((badge) => badge.textContent)).toEqual(["בוצע"]);
  });

  it("says there is no way to earn when the program has none, and shows no pending points or campaign", async () => {
    const { body } = await renderWith({}, accountRoutes(900));
    await settle();
    expect(body.textContent).toContain("No ways to earn points right now.");
    expect(body.textContent).not.toContain("on their way");
  });
});

const REFERRAL = {
  code: "ADA-7Q2",
  url: "https://shop.example/apps/loyalty/r/ADA-7Q2",
  friendsReferred: 2,
  rewardsEarned: 500,
  pending: [
    { friend: "Sam", status: "pending", pointsDueAt: "2026-02-10T12:00:00.000Z", points: 250 },
    { friend: "j***@example.com", status: "claimed", pointsDueAt: null, points: null },
  ],
};
const withReferral = (referral: object | null, friendsReferred?: number) => {
  const routes = accountRoutes(900);
  const rewards = routes["GET /api/customer-account/rewards"]();
  const body = {
    ...rewards.body,
    referral: referral && friendsReferred !== undefined ? { ...referral, friendsReferred, rewardsEarned: friendsReferred } : referral,
  };
  return { ...routes, "GET /api/customer-account/rewards": () => ({ status: 200, body }) };
};

describe("profile block: refer a friend", () => {
  it("shows the member's link with a copy button, the share links, what they earned and the friends on their way", async () => {
    const { body } = await renderWith({}, withReferral(REFERRAL));
    await settle();
    const text = body.textContent;
    expect(text).toContain("Refer a friend");
    expect(text).toContain(REFERRAL.url);
    expect(text).toContain("2 friends referred · 500 points earned");
    expect(text).toContain("Sam ordered: your reward is on its way · 250 points on Feb 10, 2026");
    expect(text).toContain("j***@example.com has their code");
    const clipboard = body.all("s-clipboard-item").find((item) => prop(item, "id") === "copy-referral-link")!;
    expect(prop(clipboard, "text")).toBe(REFERRAL.url);
    const copy = buttons(body).find((b) => b.textContent === "Copy link")!;
    expect(prop(copy, "commandFor")).toBe("copy-referral-link");
    expect(prop(copy, "command")).toBe("--copy");
    const links = body.all("s-link").map((link) => [link.textContent, prop(link, "href")]);
    expect(links.map(([name]) => name)).toEqual(["Email", "WhatsApp", "X", "Facebook"]);
    expect(links.every(([, href]) => String(href).includes(encodeURIComponent(REFERRAL.url)))).toBe(true);
    expect(String(links[1][1])).toMatch(/^https:\/\/wa\.me\/\?text=/);
  });

  it("shows nothing of referrals when the shop runs none", async () => {
    const { body } = await renderWith({}, withReferral(null));
    await settle();
    expect(body.textContent).not.toContain("Refer a friend");
    expect(body.all("s-clipboard-item").some((item) => prop(item, "id") === "copy-referral-link")).toBe(false);
  });

  it.each([
    ["he", 1, "חבר אחד הופנה"],
    ["he", 2, "שני חברים הופנו"],
    ["ar", 2, "تمت إحالة صديقين"],
    ["ar", 3, "تمت إحالة 3 أصدقاء"],
    ["ro", 20, "20 de prieteni recomandați"],
    ["da", 1, "1 ven henvist"],
  ])("speaks %s with its plural forms (%i friends)", async (locale, count, words) => {
    const { body } = await renderWith({ locale }, withReferral(REFERRAL, count));
    await settle();
    expect(body.textContent).toContain(words);
  });

  it.each([
    ["en", "a friend has their code"],
    ["he", "חבר/ה קיבל/ה קוד"],
    ["ar", "صديق حصل على رمزه"],
    ["da", "en ven har fået sin kode"],
    ["ro", "un prieten are codul"],
  ])("names a friend without a name or email (an order by the link alone) as a friend in %s", async (locale, words) => {
    const unnamed = { ...REFERRAL, pending: [{ friend: "", status: "claimed", pointsDueAt: null, points: null }] };
    const { body } = await renderWith({ locale }, withReferral(unnamed));
    await settle();
    expect(body.textContent).toContain(words);
  });
});

describe("the profile block's decisions", () => {
  const api = { sessionToken: { get: async () => "t" } };

  it("offers every affordable reward: codes, a variable amount and store credit", () => {
    expect(redeemableRewards([...catalogue(900), reward(4, "Any amount", 100, 900, "variable")]).map((r: { id: number }) => r.id)).toEqual([1, 2, 4]);
  });

  it("reports a refused redemption with the balance the backend gave", async () => {
    standInBackend({ "POST /api/customer-account/redemptions": () => ({ status: 422, body: { ok: false, error: "insufficient_points", balance: 120 } }) });
    expect(await redeemForCode(api, "https://app.example", { id: 1, name: "x" }, { idempotencyKey: "key-12345678" })).toEqual({
      outcome: "refused",
      points: 120,
    });
  });

  it("treats a network failure as not cancelled", async () => {
    globalThis.fetch = (async () => {
      throw new TypeError("network down");
    }) as typeof fetch;
    expect(await cancelCode(api, "https://app.example", { id: 5 })).toEqual({ outcome: "not_cancelled" });
  });
});

describe("the profile block's configuration and strings", () => {
  it("has every string in en, he, ar, da and ro, with each plural form the language needs", () => {
    expect(localeNamesOf(root).sort()).toEqual(["ar", "da", "en", "he", "ro"]);
    expect(missingTranslations(root)).toEqual([]);
  });

  it("has a label for every ledger kind the backend can send", () => {
    const ledger = fs.readFileSync(path.resolve(root, "../../app/domain/ledger.ts"), "utf8");
    const kinds = [.../export type LedgerKind =([^;]+);/.exec(ledger)![1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
    expect(kinds.length).toBeGreaterThan(3);
    const en = JSON.parse(fs.readFileSync(path.join(root, "locales/en.default.json"), "utf8"));
    expect(Object.keys(en.activity.kind).sort()).toEqual(kinds.sort());
  });

  it("leaves direction to the components: no hard-coded left or right in the sources", () => {
    for (const file of fs.readdirSync(path.join(root, "src"))) {
      expect(fs.readFileSync(path.join(root, "src", file), "utf8"), file).not.toMatch(/\b(left|right)\b|textAlign|marginLeft|paddingLeft/i);
    }
  });

  it("declares the profile block target, API 2026-01 and network access", () => {
    const toml = fs.readFileSync(path.join(root, "shopify.extension.toml"), "utf8");
    expect(toml).toMatch(/^api_version = "2026-01"$/m);
    expect(toml).toMatch(/target = "customer-account\.profile\.block\.render"\s+module = "\.\/src\/ProfileBlock\.jsx"/);
    expect(toml).toMatch(/network_access = true/);
  });
});
