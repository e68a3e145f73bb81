import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, Layout, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { useSettingsForm } from "../components/use-settings-form";
import { settingsToForm, type ProgramSettingsFieldErrors, type ProgramSettingsForm } from "../domain/program-settings";
import { getProgram, updateProgram } from "../models/program.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { adminGraphqlFromRemix } from "../shopify/admin-api.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const program = await getProgram(getRuntime().db, session.shop);
  return json({
    form: settingsToForm(program.settings, program.currencyCode),
    currencyCode: program.currencyCode,
    excludedCollectionProductCount: program.excludedCollectionProductCount,
  });
};

type ActionData = { ok: true } | { ok: false; fieldErrors: ProgramSettingsFieldErrors; formError?: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const data = await request.formData();
  const text = (name: string) => String(data.get(name) ?? "");
  const form: ProgramSettingsForm = {
    enabled: data.get("enabled") === "on",
    minimumOrderAmount: text("minimumOrderAmount"),
    earnTrigger: text("earnTrigger"),
    excludedProductIds: text("excludedProductIds"),
    excludedCollectionIds: text("excludedCollectionIds"),
    excludedCustomerTags: text("excludedCustomerTags"),
  };
  const result = await updateProgram(getRuntime().db, adminGraphqlFromRemix(admin), session.shop, form, new Date().toISOString());
  if (result.ok) return json<ActionData>({ ok: true });
  // A field the merchant can fix is 422; Shopify failing to answer is a bad gateway.
  if (result.reason === "shopify_unavailable") return json<ActionData>({ ok: false, fieldErrors: {}, formError: result.formError }, { status: 502 });
  return json<ActionData>({ ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
};

export default function ProgramSettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { form, setForm, fieldErrors, saving, field } = useSettingsForm<ProgramSettingsForm>(loaded.form, actionData);

  return (
    <Page title="Program settings" backAction={{ url: "/app" }}>
      <Form method="post">
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {actionData?.ok && <Banner tone="success" title="Settings saved" />}
              {actionData && !actionData.ok && (
                <Banner tone="critical" title="The settings were not saved">
                  <p>{actionData.formError ?? "Fix the fields marked below and save again."}</p>
                </Banner>
              )}
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Earning
                  </Text>
                  <Checkbox
                    label="Customers earn points"
                    name="enabled"
                    checked={form.enabled}
                    onChange={(checked) => setForm((current) => ({ ...current, enabled: checked }))}
                    error={fieldErrors.enabled}
                  />
                  <Text as="p" tone="subdued">
                    These settings apply to every way to earn on orders (purchases, stamp cards, first orders and campaigns). How many points each gives is set
                    in <Link url="/app/ways-to-earn">Ways to earn</Link>.
                  </Text>
                  <TextField
                    label="Minimum order amount"
                    suffix={loaded.currencyCode}
                    inputMode="decimal"
                    helpText="Orders below this amount of eligible merchandise earn nothing. Leave at 0 for no minimum."
                    {...field("minimumOrderAmount")}
                  />
                  <Select
                    label="Points are earned when the order is"
                    options={[
                      { label: "Paid", value: "paid" },
                      { label: "Fulfilled", value: "fulfilled" },
                    ]}
                    {...field("earnTrigger")}
                  />
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Exclusions
                  </Text>
                  <TextField
                    label="Excluded products"
                    multiline={3}
                    helpText="Product ids, one per line or separated by commas: 123456789 or gid://shopify/Product/123456789."
                    {...field("excludedProductIds")}
                  />
                  <TextField
                    label="Excluded collections"
                    multiline={3}
                    helpText={`Collection ids, like 123456789 or gid://shopify/Collection/123456789. Their products are looked up when you save${
                      loaded.excludedCollectionProductCount ? ` (${loaded.excludedCollectionProductCount} products at the last save)` : ""
                    }.`}
                    {...field("excludedCollectionIds")}
                  />
                  <TextField
                    label="Excluded customer tags"
                    helpText="Customers with any of these tags earn nothing. Separate tags with commas."
                    {...field("excludedCustomerTags")}
                  />
                </BlockStack>
              </Card>
              <Button submit variant="primary" loading={saving}>
                Save
              </Button>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
