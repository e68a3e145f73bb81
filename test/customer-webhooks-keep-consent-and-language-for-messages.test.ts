import { describe, expect, it } from "vitest";
import { useEarningApp } from "./support/earning-app";
import { customerPayload, emailConsentPayload, newId } from "./support/shopify-payloads";

// What member messages follow comes from Shopify's customer webhooks: the email marketing consent
// (kept in GraphQL's upper-case form) and the customer's language. A profile that arrives late
// changes neither; a consent change older than the profile the app has is not applied over it.

const earn = useEarningApp();

const member = async (shop: string, customerId: number) =>
  earn.db.raw.get<{ marketing_state: string | null; locale: string | null; email: string | null }>(
    `SELECT "marketing_state", "locale", "email" FROM "members" WHERE "shop" = ? AND "customer_id" = ?`,
    [shop, String(customerId)],
  );

describe("customers/create and customers/update", () => {
  it.each([
    ["subscribed", "SUBSCRIBED"],
    ["not_subscribed", "NOT_SUBSCRIBED"],
    ["pending", "PENDING"],
    ["unsubscribed", "UNSUBSCRIBED"],
  ] as const)("keep consent %s as %s, with the customer's language", async (state, stored) => {
    const shop = await earn.shop();
    const id = newId();
    expect((await earn.deliver(shop, "customers/create", customerPayload({ id, emailMarketing: state, locale: "he" }))).status).toBe(200);
    expect(await member(shop, id)).toEqual({ marketing_state: stored, locale: "he", email: `customer${id}@example.com` });
  });

  it("follow the newest profile: a late, older update changes neither consent nor language", async () => {
    const shop = await earn.shop();
    const id = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id, emailMarketing: "subscribed", locale: "da", updatedAt: "2026-11-01T10:00:00-05:00" }));
    await earn.deliver(shop, "customers/update", customerPayload({ id, emailMarketing: "unsubscribed", locale: "ro", updatedAt: "2026-11-03T10:00:00-05:00" }));
    expect(await member(shop, id)).toMatchObject({ marketing_state: "UNSUBSCRIBED", locale: "ro" });
    await earn.deliver(shop, "customers/update", customerPayload({ id, emailMarketing: "subscribed", locale: "da", updatedAt: "2026-11-02T10:00:00-05:00" }));
    expect(await member(shop, id)).toMatchObject({ marketing_state: "UNSUBSCRIBED", locale: "ro" });
  });

  it("a payload without consent or language keeps what the member has", async () => {
    const shop = await earn.shop();
    const id = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id, emailMarketing: "subscribed", locale: "ar" }));
    await earn.deliver(shop, "customers/update", customerPayload({ id, updatedAt: "2026-11-05T10:00:00Z", email: "new@example.com" }));
    expect(await member(shop, id)).toEqual({ marketing_state: "SUBSCRIBED", locale: "ar", email: "new@example.com" });
  });
});

describe("customers/email_marketing_consent/update", () => {
  it("keeps each change of consent, not only subscribing", async () => {
    const shop = await earn.shop();
    const id = newId();
    await earn.deliver(shop, "customers/create", customerPayload({ id, emailMarketing: "not_subscribed" }));
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "subscribed", "2026-11-04T10:00:00Z"));
    expect(await member(shop, id)).toMatchObject({ marketing_state: "SUBSCRIBED" });
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "unsubscribed", "2026-11-05T10:00:00Z"));
    expect(await member(shop, id)).toMatchObject({ marketing_state: "UNSUBSCRIBED" });
  });

  it("makes the member when the consent comes first", async () => {
    const shop = await earn.shop();
    const id = newId();
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "pending"));
    expect(await member(shop, id)).toMatchObject({ marketing_state: "PENDING", email: `customer${id}@example.com` });
  });

  it("a consent change older than the profile the app has does not undo the profile's newer state", async () => {
    const shop = await earn.shop();
    const id = newId();
    // The profile at 09:00 Eastern already says unsubscribed; the subscribe at 13:00 UTC (08:00 Eastern) arrives after it.
    await earn.deliver(shop, "customers/update", customerPayload({ id, emailMarketing: "unsubscribed", updatedAt: "2026-11-05T09:00:00-05:00" }));
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "subscribed", "2026-11-05T13:00:00Z"));
    expect(await member(shop, id)).toMatchObject({ marketing_state: "UNSUBSCRIBED" });
    await earn.deliver(shop, "customers/email_marketing_consent/update", emailConsentPayload(id, "subscribed", "2026-11-05T15:00:00Z"));
    expect(await member(shop, id)).toMatchObject({ marketing_state: "SUBSCRIBED" });
  });
});
