import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { newOrRecordId, notFoundResponse } from "../components/record-param";
import { useSettingsForm } from "../components/use-settings-form";
import {
  MAX_TITLE_LENGTH,
  SHOPPER_LOCALES,
  SHOPPER_LOCALE_NAMES,
  parseMultiplier,
  previewCampaignOrder,
  type CampaignFieldErrors,
  type CampaignForm,
} from "../domain/earning-rule-form";
import { instantToLocalDateTime, localDateTimeToInstant } from "../domain/local-days";
import { MoneyFormatError, currencyDecimals, fromMinorUnits, toMinorUnits } from "../domain/money";
import type { Campaign, EarningRule } from "../domain/ways-to-earn";
import { readShopEarning } from "../models/earning-rules.server";
import { getCampaign, saveCampaign } from "../models/ways-to-earn-admin.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { adminGraphqlFromRemix } from "../shopify/admin-api.server";

const notFound = () => notFoundResponse("campaign");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const id = newOrRecordId(params.id, "campaign");
  const shop = await db.query.selectFrom("shops").select(["time_zone", "currency_code"]).where("domain", "=", session.shop).executeTakeFirst();
  const timeZone = shop?.time_zone ?? "UTC";
  const currencyCode = shop?.currency_code ?? "USD";
  const earning = await readShopEarning(db, session.shop);
  const others = earning.campaigns
    .filter((campaign) => campaign.id !== id)
    .map((campaign) => ({ ...campaign, productIds: campaign.productIds ? [...campaign.productIds] : null }));
  const rules = earning.rules.filter((rule) => rule.kind === "purchase");
  if (id === "new") {
    const start = new Date(Date.now() + 86_400_000);
    const form: CampaignForm = {
      name: "",
      status: "live",
      startsAt: instantToLocalDateTime(start.toISOString(), timeZone).slice(0, 11) + "00:00",
      endsAt: instantToLocalDateTime(new Date(start.getTime() + 3 * 86_400_000).toISOString(), timeZone).slice(0, 11) + "00:00",
      mode: "multiplier",
      multiplier: "2",
      bonusPoints: "",
      productIds: "",
      collectionIds: "",
      customerTags: "",
      titles: {},
    };
    return json({ id: null, timeZone, currencyCode, form, rules, others });
  }
  const found = await getCampaign(db, session.shop, id);
  if (!found) throw notFound();
  const { campaign } = found;
  const form: CampaignForm = {
    name: campaign.name,
    status: campaign.status,
    startsAt: instantToLocalDateTime(campaign.startsAt, timeZone),
    endsAt: instantToLocalDateTime(campaign.endsAt, timeZone),
    mode: campaign.multiplierPercent !== null ? "multiplier" : "bonus",
    multiplier: campaign.multiplierPercent !== null ? String(campaign.multiplierPercent / 100) : "",
    bonusPoints: campaign.bonusPoints !== null ? String(campaign.bonusPoints) : "",
    productIds: found.productIds.join("\n"),
    collectionIds: found.collectionIds.join("\n"),
    customerTags: campaign.customerTags.join(", "),
    titles: Object.fromEntries(Object.entries(campaign.content).map(([locale, content]) => [locale, content.title ?? ""])),
  };
  return json({ id: campaign.id, timeZone, currencyCode, form, rules, others });
};

type ActionData = { ok: true } | { ok: false; fieldErrors: CampaignFieldErrors; formError?: string };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const id = newOrRecordId(params.id, "campaign");
  const data = await request.formData();
  const text = (name: string) => String(data.get(name) ?? "");
  const form: CampaignForm = {
    name: text("name"),
    status: text("status"),
    startsAt: text("startsAt"),
    endsAt: text("endsAt"),
    mode: text("mode"),
    multiplier: text("mode") === "multiplier" ? text("multiplier") : "",
    bonusPoints: text("mode") === "bonus" ? text("bonusPoints") : "",
    productIds: text("productIds"),
    collectionIds: text("collectionIds"),
    customerTags: text("customerTags"),
    titles: Object.fromEntries(SHOPPER_LOCALES.map((locale) => [locale, text(`title_${locale}`)])),
  };
  const result = await saveCampaign(getRuntime().db, adminGraphqlFromRemix(admin), session.shop, id === "new" ? null : id, form, new Date().toISOString());
  if (!result.ok) {
    if (result.reason === "not_found") throw notFound();
    if (result.reason === "shopify_unavailable") return json<ActionData>({ ok: false, fieldErrors: {}, formError: result.formError }, { status: 502 });
    return json<ActionData>({ ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
  }
  if (id === "new") return redirect(`/app/campaigns/${result.id}`);
  return json<ActionData>({ ok: true });
};

export default function CampaignPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  type Flat = Omit<CampaignForm, "titles"> & Record<string, string>;
  const flat = { ...loaded.form } as unknown as Flat;
  for (const locale of SHOPPER_LOCALES) flat[`title_${locale}`] = loaded.form.titles[locale] ?? "";
  delete (flat as Record<string, unknown>).titles;
  const { form, saving, field } = useSettingsForm<Flat>(flat, actionData as { ok: boolean; fieldErrors?: Partial<Record<keyof Flat, string>> });
  const [orderAmount, setOrderAmount] = useState(fromMinorUnits(50 * 10 ** currencyDecimals(loaded.currencyCode), loaded.currencyCode));
  const preview = useMemo(() => {
    let amountMinor: number;
    try {
      amountMinor = toMinorUnits(orderAmount.trim(), loaded.currencyCode);
    } catch (error) {
      if (error instanceof MoneyFormatError) return { error: `Enter an amount in ${loaded.currencyCode}.` };
      throw error;
    }
    const startsAt = localDateTimeToInstant(form.startsAt, loaded.timeZone);
    const endsAt = localDateTimeToInstant(form.endsAt, loaded.timeZone);
    const multiplierPercent = form.mode === "multiplier" ? parseMultiplier(form.multiplier) : null;
    const bonusPoints = form.mode === "bonus" && /^\d+$/.test(form.bonusPoints.trim()) ? Number(form.bonusPoints) : null;
    if (!startsAt || !endsAt || (multiplierPercent === null && bonusPoints === null))
      return { error: "Fill in the dates and what the campaign gives to see a preview." };
    const products = form.productIds
      .split(/[\n,]/)
      .map((item) => /(\d+)\s*$/.exec(item.trim())?.[1])
      .filter((item): item is string => Boolean(item));
    const edited: Campaign = {
      id: loaded.id ?? 0,
      name: form.name.trim() || "This campaign",
      status: "live",
      startsAt,
      endsAt,
      multiplierPercent,
      bonusPoints,
      productIds: products.length ? new Set(products) : null,
      customerTags: [],
      content: {},
    };
    const others = loaded.others.map((campaign) => ({ ...campaign, productIds: campaign.productIds ? new Set(campaign.productIds) : null }));
    return { result: previewCampaignOrder(amountMinor, loaded.currencyCode, loaded.rules as EarningRule[], others, edited, startsAt), amount: orderAmount };
  }, [form, orderAmount, loaded]);

  return (
    <Page title={loaded.id === null ? "Add campaign" : loaded.form.name} backAction={{ url: "/app/ways-to-earn" }}>
      <Form method="post">
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {actionData?.ok && <Banner tone="success" title="Campaign saved" />}
              {actionData && !actionData.ok && (
                <Banner tone="critical" title="The campaign was not saved">
                  <p>{actionData.formError ?? "Fix the fields marked below and save again."}</p>
                </Banner>
              )}
              <Card>
                <BlockStack gap="400">
                  <TextField label="Name" helpText="Shoppers see it, unless you give a title in their language below." maxLength={100} {...field("name")} />
                  <Select
                    label="Status"
                    options={[
                      { label: "Live", value: "live" },
                      { label: "Dry run: evaluated on real orders, credits nobody", value: "dry_run" },
                      { label: "Off", value: "off" },
                    ]}
                    {...field("status")}
                  />
                  <InlineGrid columns={2} gap="300">
                    <TextField label="Starts" type="datetime-local" helpText={`In the shop's time zone (${loaded.timeZone}).`} {...field("startsAt")} />
                    <TextField label="Ends" type="datetime-local" helpText="Orders from this moment on earn no bonus." {...field("endsAt")} />
                  </InlineGrid>
                  <Select
                    label="Gives"
                    options={[
                      { label: "A multiplier on purchase points", value: "multiplier" },
                      { label: "A fixed bonus per order", value: "bonus" },
                    ]}
                    {...field("mode")}
                  />
                  {form.mode === "bonus" ? (
                    <TextField label="Bonus points per order" type="number" min={1} max={1_000_000} {...field("bonusPoints")} />
                  ) : (
                    <TextField
                      label="Multiplier"
                      suffix="x"
                      helpText="2 for double points, 1.5 for half as much again; from 1.01 to 10."
                      {...field("multiplier")}
                    />
                  )}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Preview
                  </Text>
                  <TextField
                    label="An order of"
                    suffix={loaded.currencyCode}
                    inputMode="decimal"
                    value={orderAmount}
                    onChange={setOrderAmount}
                    autoComplete="off"
                  />
                  {"error" in preview ? (
                    <Text as="p" tone="subdued">
                      {preview.error}
                    </Text>
                  ) : (
                    <BlockStack gap="100">
                      <Text as="p" fontWeight="semibold">
                        An order of {preview.amount} {loaded.currencyCode} during the campaign would earn {preview.result.points.toLocaleString("en-US")}{" "}
                        points.
                      </Text>
                      <List>
                        {preview.result.breakdown.map((line, index) => (
                          <List.Item key={index}>
                            {line.label}: {line.points.toLocaleString("en-US")}
                          </List.Item>
                        ))}
                      </List>
                      <Text as="p" tone="subdued">
                        With your live purchase rules and the other live campaigns running then. On each product the highest multiplier applies; fixed bonuses
                        add.
                      </Text>
                    </BlockStack>
                  )}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Only for
                  </Text>
                  <TextField
                    label="Products"
                    multiline={2}
                    helpText="Optional: product ids, like 123456789 or gid://shopify/Product/123456789. Empty: every product."
                    {...field("productIds")}
                  />
                  <TextField label="Collections" multiline={2} helpText="Optional: their products are looked up when you save." {...field("collectionIds")} />
                  <TextField label="Customers tagged" helpText="Optional, separated by commas." {...field("customerTags")} />
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    What shoppers read
                  </Text>
                  {SHOPPER_LOCALES.map((locale) => (
                    <TextField key={locale} label={`Title (${SHOPPER_LOCALE_NAMES[locale]})`} maxLength={MAX_TITLE_LENGTH} {...field(`title_${locale}`)} />
                  ))}
                </BlockStack>
              </Card>
              <Button submit variant="primary" loading={saving}>
                {loaded.id === null ? "Add campaign" : "Save"}
              </Button>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
