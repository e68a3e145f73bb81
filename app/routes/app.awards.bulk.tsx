import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, Layout, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { STAFF_ACTION_KINDS, isFormKey } from "../domain/action-awards";
import { MAX_BULK_BYTES, MAX_BULK_ROWS } from "../domain/bulk-awards";
import { actionRuleLabel, actionRules } from "../models/action-awards.server";
import { applyBulkAwards, previewBulkAwards, type BulkAwardResult, type BulkOutcome } from "../models/bulk-awards.server";
import { isBadBulkRow as isBadRow } from "../domain/bulk-awards";
import { loadShopContext } from "../models/shops.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { staffActor } from "../shopify/staff-actor.server";

// Award one way to earn to the customers of a CSV: preview every row's outcome (nothing is
// applied), then apply: the good rows are awarded once each, customers who cannot earn it now
// skipped and reported; a file with a bad row applies nothing.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await loadShopContext(getRuntime().db, session.shop);
  return json({
    rules: actionRules(shop, STAFF_ACTION_KINDS).map((rule) => ({ id: rule.id, label: actionRuleLabel(rule) })),
    // One batch per rendered page: applying its file twice awards each row once.
    batchId: crypto.randomUUID(),
    maxRows: MAX_BULK_ROWS,
  });
};

type FieldErrors = Partial<Record<"csv" | "ruleId" | "batchId", string>>;
type ActionData =
  | ({ intent: "preview" | "apply"; csv: string; ruleId: string } & Extract<BulkAwardResult, { ok: true }>)
  | { intent: "preview" | "apply"; ok: false; fieldErrors: FieldErrors };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const actor = staffActor({ session, sessionToken });
  if (!actor) return new Response("Bulk awards need a signed-in staff member.", { status: 403 });
  const data = await request.formData();
  const intent = String(data.get("intent") ?? "");
  if (intent !== "preview" && intent !== "apply") return json({ error: `Unknown intent "${intent}".` }, { status: 400 });
  const upload = data.get("file");
  const file = typeof upload === "object" && upload !== null && upload.size > 0 ? upload : null;
  if (file && file.size > MAX_BULK_BYTES) {
    return json<ActionData>({ intent, ok: false, fieldErrors: { csv: "The file is larger than 1 MB: split it into smaller files." } }, { status: 422 });
  }
  const csv = file ? await file.text() : String(data.get("csv") ?? "");
  const ruleText = String(data.get("ruleId") ?? "");
  const batchId = String(data.get("batchId") ?? "");
  const fieldErrors: FieldErrors = {};
  if (!/^\d{1,9}$/.test(ruleText)) fieldErrors.ruleId = "Choose the way to earn to award.";
  if (!isFormKey(batchId)) fieldErrors.batchId = "This form is incomplete. Reload the page and try again.";
  if (Object.keys(fieldErrors).length > 0) return json<ActionData>({ intent, ok: false, fieldErrors }, { status: 422 });

  const { db } = getRuntime();
  const input = { csv, ruleId: Number(ruleText), batchId: batchId.toLowerCase() };
  const result = intent === "preview" ? await previewBulkAwards(db, session.shop, input) : await applyBulkAwards(db, session.shop, input, actor);
  if (!result.ok) return json<ActionData>({ intent, ok: false, fieldErrors: { [result.field]: result.message } }, { status: 422 });
  return json<ActionData>({ intent, csv, ruleId: ruleText, ...result });
};

const OUTCOME: Record<BulkOutcome, { label: string; tone?: "success" | "info" | "critical" | "warning" | "attention" }> = {
  will_award: { label: "Will award", tone: "info" },
  awarded: { label: "Awarded", tone: "success" },
  dry_run: { label: "Dry run", tone: "attention" },
  bad_email: { label: "Bad email", tone: "critical" },
  duplicate: { label: "Duplicate row", tone: "warning" },
  bad_photo: { label: "Bad photo value", tone: "critical" },
  unknown_email: { label: "Unknown email", tone: "warning" },
  ambiguous_email: { label: "Several members", tone: "warning" },
  limit_reached: { label: "Limit reached", tone: "warning" },
  not_eligible: { label: "Not eligible", tone: "warning" },
  not_awardable: { label: "Not awardable", tone: "critical" },
  already_awarded: { label: "Already awarded" },
};

export default function BulkAwardsPage() {
  const { rules, batchId, maxRows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const [ruleId, setRuleId] = useState("");
  const [csv, setCsv] = useState("");
  const result = actionData?.ok ? actionData : null;
  const fieldErrors: FieldErrors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const busy = navigation.state === "submitting";

  return (
    <Page title="Award from a CSV" backAction={{ url: "/app/customers" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {fieldErrors.batchId && <Banner tone="critical">{fieldErrors.batchId}</Banner>}
            {result?.intent === "apply" && (
              <Banner
                tone={result.problems ? "warning" : "success"}
                title={`${result.awardable} customers awarded ${result.points.toLocaleString("en-US")} points`}
              >
                {result.problems > 0 && <p>{`${result.problems} rows were skipped; see why below. Fix them and upload them as a new file.`}</p>}
              </Banner>
            )}
            <Card>
              <Form method="post" encType="multipart/form-data">
                <BlockStack gap="300">
                  <input type="hidden" name="intent" value="preview" />
                  <input type="hidden" name="batchId" value={batchId} />
                  <Select
                    label="Way to earn"
                    name="ruleId"
                    options={[{ label: "Choose…", value: "" }, ...rules.map((rule) => ({ label: rule.label, value: String(rule.id) }))]}
                    value={ruleId}
                    onChange={setRuleId}
                    error={fieldErrors.ruleId}
                  />
                  <Text as="p">
                    A CSV with a header row: an <code>email</code> column and, for reviews, an optional <code>photo</code> column (yes or no). At most{" "}
                    {maxRows.toLocaleString("en-US")} rows.
                  </Text>
                  <input type="file" name="file" accept=".csv,text/csv" aria-label="CSV file" />
                  <TextField
                    label="Or paste the CSV"
                    name="csv"
                    value={csv}
                    onChange={setCsv}
                    multiline={6}
                    monospaced
                    placeholder={"email,photo\nada@example.com,yes"}
                    error={fieldErrors.csv}
                    autoComplete="off"
                  />
                  <Button submit loading={busy && navigation.formData?.get("intent") === "preview"}>
                    Preview
                  </Button>
                  <Text as="p" tone="subdued">
                    The preview applies nothing. A file with a bad row (an email that is wrong, unknown or repeated, a photo value other than yes or no) cannot
                    be applied until it is fixed. Otherwise applying awards the rows marked &quot;Will award&quot; once each and skips customers who cannot earn
                    it now (a limit reached, already awarded), listing why.
                  </Text>
                </BlockStack>
              </Form>
            </Card>
            {result && (
              <Card padding="0">
                <BlockStack>
                  <div style={{ padding: "var(--p-space-400)" }}>
                    <BlockStack gap="200">
                      <Text as="h2" variant="headingMd">
                        {result.intent === "preview" ? "Preview" : "Result"}
                      </Text>
                      {result.intent === "preview" && (
                        <Text as="p">{`${result.awardable} rows will be awarded (${result.points.toLocaleString("en-US")} points); ${result.problems} will be skipped.`}</Text>
                      )}
                      {result.intent === "preview" && result.rows.some((row) => isBadRow(row.outcome)) && (
                        <Text as="p" tone="critical">
                          {`${result.rows.filter((row) => isBadRow(row.outcome)).length} rows need fixing before anything can be applied.`}
                        </Text>
                      )}
                      {result.intent === "preview" && result.awardable > 0 && !result.rows.some((row) => isBadRow(row.outcome)) && (
                        <Form method="post">
                          <input type="hidden" name="intent" value="apply" />
                          <input type="hidden" name="batchId" value={batchId} />
                          <input type="hidden" name="ruleId" value={result.ruleId} />
                          <input type="hidden" name="csv" value={result.csv} />
                          <Button submit variant="primary" loading={busy && navigation.formData?.get("intent") === "apply"}>
                            {`Apply: award ${result.awardable} customers`}
                          </Button>
                        </Form>
                      )}
                    </BlockStack>
                  </div>
                  <DataTable
                    columnContentTypes={["numeric", "text", "text", "text"]}
                    headings={["Line", "Email", "Outcome", "Details"]}
                    rows={result.rows.map((row) => [
                      row.line,
                      row.email,
                      <Badge key="outcome" tone={OUTCOME[row.outcome].tone}>
                        {OUTCOME[row.outcome].label}
                      </Badge>,
                      row.message,
                    ])}
                  />
                </BlockStack>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                One customer, or a review app
              </Text>
              <Text as="p">
                Award one customer from their page in <Link url="/app/customers">Customers</Link>. Review apps award through the API with a key from{" "}
                <Link url="/app/api-keys">API keys</Link>.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
