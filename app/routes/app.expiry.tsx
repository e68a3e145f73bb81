import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { EXPIRY_MONTHS, type ExpiryPolicyField } from "../domain/expiry";
import { pointsExpiringWithin } from "../models/expiry.server";
import { getExpirySettings, saveExpiryPolicy } from "../models/expiry-settings.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

// Points expiry: the shop's one policy (off by default), what it means in plain words, and what
// the next 30 days will expire under it.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const [settings, expiringSoon] = await Promise.all([getExpirySettings(db, session.shop), pointsExpiringWithin(db, session.shop, 30)]);
  return json({
    form: { kind: settings.policy.kind, months: settings.policy.kind === "off" ? "12" : String(settings.policy.months) },
    membersWithPoints: settings.membersWithPoints,
    expiringSoon: settings.policy.kind === "off" ? null : expiringSoon,
  });
};

type ActionData = { ok: true } | { ok: false; fieldErrors: Partial<Record<ExpiryPolicyField, string>> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const data = await request.formData();
  const result = await saveExpiryPolicy(getRuntime().db, session.shop, { kind: data.get("kind") ?? "", months: data.get("months") ?? "" });
  if (result.ok) return json<ActionData>({ ok: true });
  return json<ActionData>({ ok: false, fieldErrors: { [result.field]: result.message } }, { status: 422 });
};

const count = (value: number) => value.toLocaleString("en-US");

/** The policy in the words shoppers read on the storefront. */
function explain(kind: string, months: string): string {
  const span = months === "1" ? "1 month" : `${months} months`;
  if (kind === "inactivity") return `All of a customer's points expire ${span} after their last purchase or reward, unless they earn or redeem before then.`;
  if (kind === "age") return `Each amount of points expires ${span} after it was earned. Customers spend their oldest points first.`;
  return "Points never expire.";
}

export default function PointsExpiryPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [kind, setKind] = useState<string>(loaded.form.kind);
  const [months, setMonths] = useState(loaded.form.months);
  const errors = actionData && !actionData.ok ? actionData.fieldErrors : {};

  return (
    <Page title="Points expiry" backAction={{ url: "/app" }}>
      <Form method="post">
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {actionData?.ok && <Banner tone="success" title="Points expiry saved" />}
              {actionData && !actionData.ok && (
                <Banner tone="critical" title="Points expiry was not saved">
                  <p>Fix the fields marked below and save again.</p>
                </Banner>
              )}
              <Card>
                <BlockStack gap="400">
                  <Select
                    label="Points expire"
                    name="kind"
                    options={[
                      { label: "Never", value: "off" },
                      { label: "After a period without activity", value: "inactivity" },
                      { label: "A fixed time after they are earned", value: "age" },
                    ]}
                    value={kind}
                    onChange={setKind}
                    error={errors.kind}
                  />
                  {kind !== "off" && (
                    <TextField
                      label="Months"
                      name="months"
                      type="number"
                      min={EXPIRY_MONTHS.min}
                      max={EXPIRY_MONTHS.max}
                      autoComplete="off"
                      value={months}
                      onChange={setMonths}
                      error={errors.months}
                      helpText={`Between ${EXPIRY_MONTHS.min} and ${EXPIRY_MONTHS.max} months.`}
                    />
                  )}
                  <Text as="p">{explain(kind, months)}</Text>
                  <Text as="p" tone="subdued">
                    Customers see this rule and the date their next points expire in the rewards panel, their account and at checkout. Reminder emails go out
                    before points expire (set them up in Messages). Pending points never expire, no balance goes below zero, and a refund never takes back
                    points that already expired. {count(loaded.membersWithPoints)} {loaded.membersWithPoints === 1 ? "member holds" : "members hold"} points
                    today.
                  </Text>
                </BlockStack>
              </Card>
              {loaded.expiringSoon && (
                <Card>
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingMd">
                      In the next 30 days
                    </Text>
                    <Text as="p">
                      {loaded.expiringSoon.exact ? "" : "Up to "}
                      {count(loaded.expiringSoon.points)} points will expire, held by {count(loaded.expiringSoon.members)}{" "}
                      {loaded.expiringSoon.members === 1 ? "member" : "members"}.
                    </Text>
                  </BlockStack>
                </Card>
              )}
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
