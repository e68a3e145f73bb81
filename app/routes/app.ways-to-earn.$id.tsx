import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, InlineGrid, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { newOrRecordId, notFoundResponse } from "../components/record-param";
import { useSettingsForm } from "../components/use-settings-form";
import {
  KIND_NAMES,
  MAX_DESCRIPTION_LENGTH,
  isRuleKind,
  MAX_TITLE_LENGTH,
  SHOPPER_LOCALES,
  SHOPPER_LOCALE_NAMES,
  ruleToForm,
  type EarningRuleFieldErrors,
  type EarningRuleForm,
} from "../domain/earning-rule-form";
import { SOCIAL_NETWORKS, type EarningRuleKind } from "../domain/ways-to-earn";
import { deleteRule, getRule, saveRule } from "../models/ways-to-earn-admin.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

const notFound = () => notFoundResponse("way to earn");

/** "new" (with ?kind=), or the id of one of the shop's rules; anything else is no page. */
function target(param: string | undefined, url: URL): { id: number } | { kind: EarningRuleKind } {
  if (param === "new") {
    const kind = url.searchParams.get("kind") ?? "";
    if (!isRuleKind(kind)) throw new Response(`Choose a kind of way to earn: ${kind ? `"${kind}" is not one.` : "none was given."}`, { status: 400 });
    return { kind };
  }
  return { id: newOrRecordId(param, "way to earn") as number };
}

async function shopTimeZone(shop: string) {
  const row = await getRuntime().db.query.selectFrom("shops").select(["time_zone", "currency_code"]).where("domain", "=", shop).executeTakeFirst();
  return { timeZone: row?.time_zone ?? "UTC", currencyCode: row?.currency_code ?? "USD" };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const which = target(params.id, new URL(request.url));
  const { timeZone, currencyCode } = await shopTimeZone(session.shop);
  if ("kind" in which) {
    return json({
      id: null,
      kind: which.kind,
      timeZone,
      currencyCode,
      form: ruleToForm({ kind: which.kind, pointsPerCurrencyUnit: which.kind === "purchase" ? 1 : null }, timeZone),
    });
  }
  const rule = await getRule(getRuntime().db, session.shop, which.id);
  if (!rule) throw notFound();
  return json({ id: rule.id, kind: rule.kind, timeZone, currencyCode, form: ruleToForm(rule, timeZone) });
};

type ActionData = { ok: true } | { ok: false; fieldErrors: EarningRuleFieldErrors; formError?: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const which = target(params.id, new URL(request.url));
  const data = await request.formData();
  const now = new Date().toISOString();
  const intent = String(data.get("intent") ?? "save");
  if (intent === "delete") {
    if ("kind" in which) throw notFound();
    const result = await deleteRule(db, session.shop, which.id, now);
    if (!result.ok && result.reason === "not_found") throw notFound();
    if (!result.ok) {
      return json<ActionData>(
        { ok: false, fieldErrors: {}, formError: "This way to earn has given points, so it stays for the ledger's sake: turn it off instead." },
        { status: 409 },
      );
    }
    return redirect("/app/ways-to-earn");
  }
  if (intent !== "save") return json({ error: `Unknown intent "${intent}".` }, { status: 400 });
  const text = (name: string) => String(data.get(name) ?? "");
  const form: EarningRuleForm = {
    status: text("status"),
    points: text("points"),
    rateMode: text("rateMode"),
    pointsPerCurrencyUnit: text("pointsPerCurrencyUnit"),
    everyNth: text("everyNth"),
    photoBonusPoints: text("photoBonusPoints"),
    network: text("network"),
    url: text("url"),
    includeImported: data.get("includeImported") === "on",
    noticeDays: text("noticeDays"),
    limitCount: text("limitCount"),
    limitPeriod: text("limitPeriod"),
    startsAt: text("startsAt"),
    endsAt: text("endsAt"),
    customerTags: text("customerTags"),
    titles: Object.fromEntries(SHOPPER_LOCALES.map((locale) => [locale, text(`title_${locale}`)])),
    descriptions: Object.fromEntries(SHOPPER_LOCALES.map((locale) => [locale, text(`description_${locale}`)])),
  };
  const result = await saveRule(db, session.shop, which, form, now);
  if (!result.ok) {
    if (result.reason === "not_found") throw notFound();
    return json<ActionData>({ ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
  }
  if ("kind" in which) return redirect(`/app/ways-to-earn/${result.id}`);
  return json<ActionData>({ ok: true });
};

export default function WayToEarnPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const submit = useSubmit();
  type Flat = Omit<EarningRuleForm, "titles" | "descriptions"> & Record<string, string | boolean>;
  const flatForm: Flat = { ...loaded.form } as unknown as Flat;
  for (const locale of SHOPPER_LOCALES) {
    flatForm[`title_${locale}`] = loaded.form.titles[locale] ?? "";
    flatForm[`description_${locale}`] = loaded.form.descriptions[locale] ?? "";
  }
  delete (flatForm as Record<string, unknown>).titles;
  delete (flatForm as Record<string, unknown>).descriptions;
  const { form, setForm, fieldErrors, saving, field } = useSettingsForm<Flat>(
    flatForm,
    actionData as { ok: boolean; fieldErrors?: Partial<Record<keyof Flat, string>> },
  );
  const kind = loaded.kind;
  const errors = fieldErrors as EarningRuleFieldErrors;
  const points = (label: string, helpText?: string) => (
    <TextField label={label} type="number" min={1} max={1_000_000} step={1} helpText={helpText ?? "Whole points from 1 to 1,000,000."} {...field("points")} />
  );

  return (
    <Page
      title={loaded.id === null ? `Add: ${KIND_NAMES[kind]}` : KIND_NAMES[kind]}
      backAction={{ url: "/app/ways-to-earn" }}
      secondaryActions={loaded.id === null ? [] : [{ content: "Delete", destructive: true, onAction: () => submit({ intent: "delete" }, { method: "post" }) }]}
    >
      <Form method="post">
        <input type="hidden" name="intent" value="save" />
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {actionData?.ok && <Banner tone="success" title="Saved" />}
              {actionData && !actionData.ok && (
                <Banner tone="critical" title="Nothing was saved">
                  <p>{actionData.formError ?? errors.kind ?? "Fix the fields marked below and save again."}</p>
                </Banner>
              )}
              <Card>
                <BlockStack gap="400">
                  <Select
                    label="Status"
                    options={[
                      { label: "Live: customers earn it", value: "live" },
                      { label: "Dry run: evaluated on real events, credits nobody", value: "dry_run" },
                      { label: "Off", value: "off" },
                    ]}
                    {...field("status")}
                  />
                  {kind === "purchase" && (
                    <>
                      <Select
                        label="Customers earn"
                        options={[
                          { label: `Points per 1 ${loaded.currencyCode} spent`, value: "per_currency" },
                          { label: "A fixed number of points per order", value: "per_order" },
                        ]}
                        {...field("rateMode")}
                      />
                      {form.rateMode === "per_order" ? (
                        points("Points per qualifying order")
                      ) : (
                        <TextField
                          label={`Points per 1 ${loaded.currencyCode}`}
                          type="number"
                          min={0}
                          max={1000}
                          step={1}
                          helpText="A whole number from 0 to 1000. Merchandise only: no shipping, no tax, after discounts, rounded down."
                          {...field("pointsPerCurrencyUnit")}
                        />
                      )}
                    </>
                  )}
                  {kind === "nth_order" && (
                    <>
                      <TextField
                        label="Every"
                        type="number"
                        min={2}
                        max={100}
                        suffix="qualifying orders"
                        helpText="From 2 to 100. Customers see their progress, like 2 of 6."
                        {...field("everyNth")}
                      />
                      {points("Bonus points on that order")}
                    </>
                  )}
                  {kind === "first_order" && points("Bonus points on the first qualifying order")}
                  {kind === "signup" && (
                    <>
                      {points("Points when a customer creates an account")}
                      <Checkbox
                        label="Customers you import also earn them"
                        name="includeImported"
                        checked={Boolean(form.includeImported)}
                        onChange={(checked) => setForm((current) => ({ ...current, includeImported: checked }))}
                        helpText="Off: only customers who sign up themselves earn the sign-up points."
                      />
                    </>
                  )}
                  {kind === "birthday" && (
                    <>
                      {points("Points on the customer's birthday")}
                      <TextField
                        label="A birthday saved fewer than this many days before it pays from next year"
                        type="number"
                        min={0}
                        max={365}
                        suffix="days"
                        helpText="So nobody moves a birthday to today for the points. Birthdays on 29 February are paid on 28 February in other years."
                        {...field("noticeDays")}
                      />
                    </>
                  )}
                  {kind === "newsletter" &&
                    points("Points when a customer subscribes to your emails", "Once per customer, when their email marketing consent becomes subscribed.")}
                  {kind === "social" && (
                    <>
                      <Select
                        label="Network"
                        options={[
                          { label: "Choose…", value: "" },
                          ...SOCIAL_NETWORKS.map((network) => ({ label: network === "x" ? "X" : network[0].toUpperCase() + network.slice(1), value: network })),
                        ]}
                        {...field("network")}
                      />
                      <TextField label="Your page" type="url" placeholder="https://instagram.com/yourshop" {...field("url")} />
                      {points("Points for following")}
                      <Text as="p" tone="subdued">
                        A follow cannot be verified: the points follow the shopper&apos;s tap on the button, after a short delay, once per customer.
                      </Text>
                    </>
                  )}
                  {kind === "review" && (
                    <>
                      {points("Points for a review")}
                      <TextField
                        label="Extra points for a review with a photo"
                        type="number"
                        min={0}
                        max={1_000_000}
                        helpText="Optional."
                        {...field("photoBonusPoints")}
                      />
                    </>
                  )}
                  {kind === "custom" && points("Points for the action", "Awarded by your staff, a CSV of emails, or your own systems through an API key.")}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Limits and eligibility
                  </Text>
                  <InlineGrid columns={2} gap="300">
                    <TextField label="At most" type="number" min={1} max={1000} suffix="times" placeholder="no limit" {...field("limitCount")} />
                    <Select
                      label="Per"
                      options={[
                        { label: "No limit", value: "" },
                        { label: "Ever (per customer)", value: "ever" },
                        { label: "Year", value: "year" },
                        { label: "Month", value: "month" },
                        { label: "Week", value: "week" },
                        { label: "Day", value: "day" },
                      ]}
                      {...field("limitPeriod")}
                    />
                  </InlineGrid>
                  <InlineGrid columns={2} gap="300">
                    <TextField
                      label="Starts"
                      type="datetime-local"
                      helpText={`Optional, in the shop's time zone (${loaded.timeZone}).`}
                      {...field("startsAt")}
                    />
                    <TextField label="Ends" type="datetime-local" helpText="Optional; the rule stops at this moment." {...field("endsAt")} />
                  </InlineGrid>
                  <TextField
                    label="Only customers tagged"
                    helpText="Optional: customers with any of these tags, separated by commas. Empty: every customer."
                    {...field("customerTags")}
                  />
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    What shoppers read
                  </Text>
                  <Text as="p" tone="subdued">
                    Optional. Left empty, shoppers see our wording for this kind in their language.
                  </Text>
                  {SHOPPER_LOCALES.map((locale) => (
                    <InlineGrid key={locale} columns={2} gap="300">
                      <TextField label={`Title (${SHOPPER_LOCALE_NAMES[locale]})`} maxLength={MAX_TITLE_LENGTH} {...field(`title_${locale}`)} />
                      <TextField
                        label={`Description (${SHOPPER_LOCALE_NAMES[locale]})`}
                        maxLength={MAX_DESCRIPTION_LENGTH}
                        {...field(`description_${locale}`)}
                      />
                    </InlineGrid>
                  ))}
                </BlockStack>
              </Card>
              <Button submit variant="primary" loading={saving}>
                {loaded.id === null ? "Add" : "Save"}
              </Button>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
