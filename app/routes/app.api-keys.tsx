import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { API_ACTION_KINDS } from "../domain/action-awards";
import { MAX_API_KEY_NAME_LENGTH } from "../domain/api-keys";
import { parseIdCursor } from "../domain/pagination";
import { actionRuleLabel, actionRules } from "../models/action-awards.server";
import { createApiKey, listApiKeys, revokeApiKey } from "../models/api-keys.server";
import { loadShopContext } from "../models/shops.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { staffActor } from "../shopify/staff-actor.server";

// The keys review apps and the merchant's systems use for POST /api/v1/awards: made here (the
// full key shown once), listed by their prefix, revoked with who and when.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db, config } = getRuntime();
  const shop = await loadShopContext(db, session.shop);
  return json({
    keys: await listApiKeys(db, session.shop),
    endpoint: `${config.appUrl}/api/v1/awards`,
    rules: actionRules(shop, API_ACTION_KINDS).map((rule) => ({ id: rule.id, label: actionRuleLabel(rule) })),
  });
};

type ActionData =
  | { intent: "create"; ok: true; created: { id: number; name: string; prefix: string; key: string } }
  | { intent: "create"; ok: false; fieldErrors: { name: string } }
  | { intent: "revoke"; ok: true; id: number };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const actor = staffActor({ session, sessionToken });
  if (!actor) return new Response("API keys are managed by a signed-in staff member.", { status: 403 });
  const { db } = getRuntime();
  const data = await request.formData();
  const intent = String(data.get("intent") ?? "");
  const now = new Date().toISOString();
  if (intent === "create") {
    const created = await createApiKey(db, session.shop, String(data.get("name") ?? ""), actor, now);
    if (!created.ok) return json<ActionData>({ intent, ok: false, fieldErrors: { name: created.message } }, { status: 422 });
    return json<ActionData>({ intent, ok: true, created: { id: created.id, name: created.name, prefix: created.prefix, key: created.key } });
  }
  if (intent === "revoke") {
    const id = parseIdCursor(String(data.get("id") ?? ""));
    if (id === undefined || !(await revokeApiKey(db, session.shop, id, actor, now))) {
      throw new Response("No such active API key in this store.", { status: 404 });
    }
    return json<ActionData>({ intent, ok: true, id });
  }
  return json({ error: `Unknown intent "${intent}".` }, { status: 400 });
};

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC" : "Never";

export default function ApiKeysPage() {
  const { keys, endpoint, rules } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const [name, setName] = useState("");
  const [copied, setCopied] = useState(false);
  const created = actionData?.intent === "create" && actionData.ok ? actionData.created : null;
  const nameError = actionData?.intent === "create" && !actionData.ok ? actionData.fieldErrors.name : undefined;
  const creating = navigation.state === "submitting" && navigation.formData?.get("intent") === "create";

  // A new key empties the name field, once per answer (set while rendering, as the customer page does).
  const [answerSeen, setAnswerSeen] = useState(actionData);
  if (actionData !== answerSeen) {
    setAnswerSeen(actionData);
    setCopied(false);
    if (created) setName("");
  }

  return (
    <Page title="API keys" backAction={{ url: "/app" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {created && (
              <Banner tone="success" title={`Key "${created.name}" created`}>
                <BlockStack gap="200">
                  <p>Copy it now: this is the only time the full key is shown. We keep only a fingerprint of it, so a lost key cannot be shown again.</p>
                  <TextField label="API key" labelHidden value={created.key} readOnly autoComplete="off" monospaced selectTextOnFocus />
                  <InlineStack gap="200" blockAlign="center">
                    <Button
                      onClick={() => {
                        void navigator.clipboard?.writeText(created.key).then(() => setCopied(true));
                      }}
                    >
                      Copy key
                    </Button>
                    {copied && <Text as="span">Copied.</Text>}
                  </InlineStack>
                </BlockStack>
              </Banner>
            )}
            {actionData?.intent === "revoke" && <Banner tone="info">The key was revoked: calls with it are now refused.</Banner>}
            <Card padding="0">
              <BlockStack>
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="h2" variant="headingMd">
                    Keys
                  </Text>
                </div>
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text", "text"]}
                  headings={["Name", "Key", "Created", "Last used", "Status", ""]}
                  rows={keys.map((key) => [
                    key.name,
                    <Text as="span" key="prefix" fontWeight="medium">{`lyl_${key.prefix}_…`}</Text>,
                    `${when(key.createdAt)} by ${key.createdBy}`,
                    when(key.lastUsedAt),
                    key.revokedAt ? (
                      <Text as="span" key="status" tone="subdued">{`Revoked ${when(key.revokedAt)} by ${key.revokedBy ?? "staff"}`}</Text>
                    ) : (
                      <Badge key="status" tone="success">
                        Active
                      </Badge>
                    ),
                    key.revokedAt ? (
                      ""
                    ) : (
                      <Form method="post" key="revoke">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="id" value={key.id} />
                        <Button submit tone="critical" variant="plain">
                          Revoke
                        </Button>
                      </Form>
                    ),
                  ])}
                />
                {keys.length === 0 && (
                  <div style={{ padding: "var(--p-space-400)" }}>
                    <Text as="p" tone="subdued">
                      No keys yet.
                    </Text>
                  </div>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Create a key
                  </Text>
                  <input type="hidden" name="intent" value="create" />
                  <TextField
                    label="Name"
                    name="name"
                    value={name}
                    onChange={setName}
                    maxLength={MAX_API_KEY_NAME_LENGTH}
                    helpText="What will use it, like Judge.me or Our ERP: one key per system, so one can be revoked alone."
                    error={nameError}
                    autoComplete="off"
                  />
                  <Button submit variant="primary" loading={creating}>
                    Create key
                  </Button>
                </BlockStack>
              </Form>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  How a key is used
                </Text>
                <Text as="p">
                  Review apps and your own systems award a product review or a custom action with <code>POST {endpoint}</code>, the header{" "}
                  <code>Authorization: Bearer &lt;key&gt;</code> and a JSON body: <code>customerId</code> or <code>email</code>, <code>ruleId</code>,{" "}
                  <code>idempotencyKey</code> (the review&apos;s id), optionally <code>photo</code> and <code>note</code>.
                </Text>
                {rules.length > 0 ? (
                  <List>
                    {rules.map((rule) => (
                      <List.Item key={rule.id}>{`ruleId ${rule.id}: ${rule.label}`}</List.Item>
                    ))}
                  </List>
                ) : (
                  <Text as="p" tone="subdued">
                    Add a product review or custom way to earn first: its id is the ruleId.
                  </Text>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
