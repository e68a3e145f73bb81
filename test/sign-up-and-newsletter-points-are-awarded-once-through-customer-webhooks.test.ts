import { describe, expect, it } from "vitest";
import { useEarningApp } from "./support/earning-app";
import { customerPayload, emailConsentPayload, newId, orderPayload } from "./support/shopify-payloads";

// Sign-up points follow the customer's account (created enabled, or enabled later), newsletter
// points their email marketing consent; each once ever, however the webhooks repeat or cross.

const earn = useEarningApp();

const signupShop = async (settings: Record<string, unknown> = {}) => {
  const shop = await earn.shop();
  const signup = await earn.addRule(shop, { kind: "signup", points: 100, settings });
  const newsletter = await earn.addRule(shop, { kind: "newsletter", points: 30 });
  return { shop, signup, newsletter };
};
const deltas = async (shop: string, customerId: number) => (await earn.entries(shop, customerId)).map((entry) => [entry.kind, entry.delta]);

describe("sign-up points", () => {
  it("are awarded once for a customer created with an account, however often the webhooks repeat", async () => {
    const { shop, signup } = await signupShop();
    const id = newId();
    const created = customerPayload({ id, state: "enabled" });
    expect((await earn.deliver(shop, "customers/create", created)).body.status).toBe("applied");
    await earn.deliver(shop, "customers/create", created);
    const updated = customerPayload({ id, state: "enabled", updatedAt: "2026-11-02T10:00:00Z" });
    await earn.deliver(shop, "customers/update", updated);
    await earn.deliver(shop, "customers/update", updated);
    expect(await earn.entries(shop, id)).toMatchObject([{ kind: "signup", delta: 100, rule_id: signup, source_key: `signup:${id}` }]);
    expect((await earn.shopperRead(shop, id)).waysToEarn.find((way) => way.id === signup)).toMatchObject({ done: true });
  });

  it("wait for the account: created disabled earns nothing, enabled later earns once", async () => {
    const { shop } = await signupShop();
    const id = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id, state: "disabled" }));
    await earn.deliver(shop, "customers/update", customerPayload({ id, state: "invited", updatedAt: "2026-11-02T10:00:00Z" }));
    expect(await earn.entries(shop, id)).toEqual([]);
    const enabled = customerPayload({ id, state: "enabled", updatedAt: "2026-11-03T10:00:00Z" });
    await earn.deliver(shop, "customers/enable", enabled);
    await earn.deliver(shop, "customers/update", enabled);
    await earn.deliver(shop, "customers/enable", enabled);
    expect(await deltas(shop, id)).toEqual([["signup", 100]]);
  });

  it("are awarded once when create, update and enable of one customer arrive at once", async () => {
    const { shop } = await signupShop();
    const id = newId();
    const answers = await Promise.all([
      earn.deliver(shop, "customers/create", customerPayload({ id, state: "enabled" })),
      earn.deliver(shop, "customers/update", customerPayload({ id, state: "enabled", updatedAt: "2026-11-02T10:00:00Z" })),
      earn.deliver(shop, "customers/enable", customerPayload({ id, state: "enabled", updatedAt: "2026-11-02T10:00:00Z" })),
      earn.deliver(shop, "orders/paid", orderPayload({ customerId: id, lines: [{ price: "10.00" }] })),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect((await deltas(shop, id)).sort()).toEqual([
      ["earned", 10],
      ["signup", 100],
    ]);
  });

  it("go to a member the merchant imported only when the rule includes imported members", async () => {
    for (const includeImported of [false, true]) {
      const { shop } = await signupShop({ includeImported });
      const id = newId();
      await earn.db.raw.run(`INSERT INTO "members" ("shop", "customer_id", "balance", "origin", "created_at", "updated_at") VALUES (?, ?, 0, 'import', ?, ?)`, [
        shop,
        String(id),
        new Date().toISOString(),
        new Date().toISOString(),
      ]);
      await earn.deliver(shop, "customers/update", customerPayload({ id, state: "enabled" }));
      expect(await deltas(shop, id)).toEqual(includeImported ? [["signup", 100]] : []);
    }
  });
});

describe("newsletter points", () => {
  it("are awarded once ever, from the customer's consent in customers/update or its own topic", async () => {
    const { shop, newsletter } = await signupShop();
    const id = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id, state: "disabled", emailMarketing: "not_subscribed" }));
    expect(await earn.entries(shop, id)).toEqual([]);
    const subscribed = customerPayload({ id, state: "disabled", emailMarketing: "subscribed", updatedAt: "2026-11-02T10:00:00Z" });
    await earn.deliver(shop, "customers/update", subscribed);
    await earn.deliver(shop, "customers/update", subscribed);
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "subscribed"));
    // Unsubscribing and subscribing again pays nothing more.
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "unsubscribed"));
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "subscribed"));
    expect(await earn.entries(shop, id)).toMatchObject([{ kind: "newsletter", delta: 30, rule_id: newsletter, source_key: `newsletter:${id}` }]);
  });

  it("are awarded once from the consent topic alone, for a customer the program has not met", async () => {
    const { shop } = await signupShop();
    const id = newId();
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "subscribed"));
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "subscribed"));
    expect(await deltas(shop, id)).toEqual([["newsletter", 30]]);
  });

  it("are not awarded for an unsubscribed or pending consent", async () => {
    const { shop } = await signupShop();
    const id = newId();
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "unsubscribed"));
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "pending"));
    await earn.deliver(shop, "customers/update", customerPayload({ id, emailMarketing: "unsubscribed" }));
    expect(await earn.entries(shop, id)).toEqual([]);
  });

  it("and sign-up points both come from one customers/create that has both", async () => {
    const { shop } = await signupShop();
    const id = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id, state: "enabled", emailMarketing: "subscribed" }));
    expect(await deltas(shop, id)).toEqual([
      ["signup", 100],
      ["newsletter", 30],
    ]);
  });
});
