import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, DataTable, InlineStack, Layout, Page, Select, Tabs, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { SHOPPER_LOCALES, SHOPPER_LOCALE_NAMES, type ShopperLocale } from "../domain/earning-rule-form";
import { MESSAGE_KINDS, type MessageKind } from "../domain/member-messages";
import { checkTemplate } from "../domain/message-templates";
import {
  messageKindView,
  messagesPage,
  saveMessageKind,
  saveMessageRules,
  saveSmtpSettings,
  type MessageKindFieldErrors,
} from "../models/message-admin.server";
import { messageLocale, previewMessage, sendTestMessage } from "../models/messages.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

// Messages: each kind on or off with its options, subject and body per language checked at the
// field, a preview with a real member in a sandboxed frame, a test to the staff's own address,
// the shop's SMTP server and the latest outbox rows with their failures.

const kindOf = (value: unknown): MessageKind => ((MESSAGE_KINDS as readonly string[]).includes(String(value)) ? (value as MessageKind) : "welcome");
const localeOf = (value: unknown): ShopperLocale => messageLocale(typeof value === "string" ? value : null);
const memberIdOf = (value: unknown) => (/^\d{1,12}$/.test(String(value ?? "")) ? Number(value) : null);
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const params = new URL(request.url).searchParams;
  const kind = kindOf(params.get("kind"));
  const locale = localeOf(params.get("locale"));
  const memberId = memberIdOf(params.get("member"));
  const page = await messagesPage(db, session.shop);
  const preview = await previewMessage(db, session.shop, kind, locale, { memberId });
  return json({
    ...page,
    kind: await messageKindView(db, session.shop, kind),
    preview: { locale, memberId, ...preview },
    staffEmail: session.onlineAccessInfo?.associated_user?.email ?? page.smtp.sender.replace(/^.*<([^>]+)>$/, "$1"),
  });
};

type ActionData =
  | { ok: true; intent: string; sentTo?: string; preview?: { subject: string; html: string } }
  | { ok: false; intent: string; fieldErrors: Record<string, { message: string }> };

const fieldError = (message: string) => ({ message, line: null, variable: null });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const data = await request.formData();
  const text = (name: string) => (data.has(name) ? String(data.get(name)) : undefined);
  const intent = text("intent") ?? "";
  const kind = kindOf(text("kind"));
  const locale = localeOf(text("locale"));
  const now = new Date();
  const fail = (fieldErrors: Record<string, { message: string }>) => json<ActionData>({ ok: false, intent, fieldErrors }, { status: 422 });

  if (intent === "save_kind") {
    const form = Object.fromEntries([...data.keys()].map((name) => [name, text(name)]));
    const result = await saveMessageKind(db, session.shop, kind, form, now.toISOString());
    return result.ok ? json<ActionData>({ ok: true, intent }) : fail(result.fieldErrors);
  }
  if (intent === "save_rules") {
    await saveMessageRules(db, session.shop, { accountMessagesFollowConsent: text("accountMessagesFollowConsent") === "on" });
    return json<ActionData>({ ok: true, intent });
  }
  if (intent === "save_smtp") {
    const result = await saveSmtpSettings(db, session.shop, {
      smtpUrl: text("smtpUrl") ?? "",
      sender: text("sender") ?? "",
      useAppServer: text("useAppServer") === "on",
    });
    if (result.ok) return json<ActionData>({ ok: true, intent });
    return fail(Object.fromEntries(Object.entries(result.fieldErrors).map(([name, message]) => [name, fieldError(message!)])));
  }
  if (intent === "preview" || intent === "send_test") {
    const subject = text(`subject_${locale}`) ?? "";
    const body = text(`body_${locale}`) ?? "";
    const errors: MessageKindFieldErrors = {};
    for (const [field, value] of [
      ["subject", subject],
      ["body", body],
    ] as const) {
      const check = checkTemplate(field, value);
      if (!check.ok) errors[`${field}_${locale}`] = { message: check.message, line: check.line, variable: check.variable };
    }
    const toEmail = (text("testEmail") ?? "").trim();
    if (intent === "send_test" && !ADDRESS.test(toEmail)) errors.testEmail = fieldError("Enter the address the test goes to.");
    if (Object.keys(errors).length > 0) return fail(errors);
    const memberId = memberIdOf(text("member"));
    if (intent === "preview") {
      const preview = await previewMessage(db, session.shop, kind, locale, { memberId, template: { subject, body }, now });
      return json<ActionData>({ ok: true, intent, preview: { subject: preview.subject, html: preview.html } });
    }
    await db.transaction((tx) => sendTestMessage(tx, session.shop, kind, locale, { toEmail, memberId, template: { subject, body }, now }));
    return json<ActionData>({ ok: true, intent, sentTo: toEmail });
  }
  return json<ActionData>({ ok: false, intent, fieldErrors: { intent: fieldError("Unknown action.") } }, { status: 400 });
};

const STATUS_TONE: Record<string, "success" | "critical" | "warning" | "info"> = { sent: "success", failed: "critical", bounced: "critical", queued: "info" };

export default function MessagesPage() {
  const loaded = useLoaderData<typeof loader>();
  // A kind's fields start from what is saved for it: choosing another kind starts its editor afresh.
  return <MessagesEditor key={loaded.kind.kind} loaded={loaded} />;
}

function MessagesEditor({ loaded }: { loaded: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const previewFetcher = useFetcher<typeof action>();
  const [searchParams, setSearchParams] = useSearchParams();
  const kind = loaded.kind;
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const errors = (actionData && !actionData.ok ? actionData.fieldErrors : {}) as Record<string, { message: string }>;
  const errorOf = (name: string) => errors[name]?.message;

  const [tab, setTab] = useState(SHOPPER_LOCALES.indexOf(loaded.preview.locale));
  const locale = SHOPPER_LOCALES[tab];
  const [templates, setTemplates] = useState(kind.templates);
  const [enabled, setEnabled] = useState(kind.enabled);
  const [days, setDays] = useState(String(kind.options.days ?? ""));
  const [bonusPoints, setBonusPoints] = useState(String(kind.options.bonusPoints ?? ""));
  const [reminderDays, setReminderDays] = useState(loaded.expiryReminderDays.join(", "));
  const [member, setMember] = useState(loaded.preview.memberId ? String(loaded.preview.memberId) : "");
  const [testEmail, setTestEmail] = useState(loaded.staffEmail);
  const [followConsent, setFollowConsent] = useState(loaded.accountMessagesFollowConsent);
  const [smtpUrl, setSmtpUrl] = useState("");
  const [sender, setSender] = useState(loaded.smtp.sender);
  const [useAppServer, setUseAppServer] = useState(!loaded.smtp.own);

  const fetched = previewFetcher.data && previewFetcher.data.ok ? previewFetcher.data.preview : undefined;
  const previewHtml = fetched?.html ?? loaded.preview.html;
  const previewErrors = (previewFetcher.data && !previewFetcher.data.ok ? previewFetcher.data.fieldErrors : {}) as Record<string, { message: string }>;
  const setTemplate = (field: "subject" | "body", value: string) =>
    setTemplates((current) => ({ ...current, [locale]: { ...current[locale], [field]: value } }));

  const rows = loaded.outbox.map((row) => [
    new Date(row.createdAt).toLocaleString("en"),
    row.kind,
    row.toEmail,
    row.subject,
    <Badge key={row.id} tone={STATUS_TONE[row.status]}>
      {row.status}
    </Badge>,
    String(row.attempts),
    row.lastError ?? "",
  ]);

  return (
    <Page title="Messages" backAction={{ url: "/app" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {actionData?.ok && actionData.intent === "send_test" && <Banner tone="success" title={`Test queued to ${actionData.sentTo}`} />}
            {actionData?.ok && actionData.intent !== "send_test" && <Banner tone="success" title="Saved" />}
            {actionData && !actionData.ok && (
              <Banner tone="critical" title="Nothing was saved">
                <p>Fix the fields marked below and try again.</p>
              </Banner>
            )}
            <Card>
              <BlockStack gap="300">
                <Select
                  label="Message"
                  options={loaded.kinds.map((entry) => ({
                    label: `${entry.label}${entry.enabled ? " (on)" : ""}${entry.marketing ? " · marketing" : ""}`,
                    value: entry.kind,
                  }))}
                  value={kind.kind}
                  onChange={(value) => {
                    const next = new URLSearchParams(searchParams);
                    next.set("kind", value);
                    setSearchParams(next);
                  }}
                />
                {kind.marketing && (
                  <Text as="p" tone="subdued">
                    A marketing message: it goes only to customers who agreed to receive email marketing.
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Form method="post">
              <input type="hidden" name="intent" value="save_kind" />
              <input type="hidden" name="kind" value={kind.kind} />
              <input type="hidden" name="locale" value={locale} />
              <input type="hidden" name="member" value={member} />
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    {kind.label}
                  </Text>
                  <Checkbox label="Send this message" name="enabled" checked={enabled} onChange={setEnabled} />
                  {kind.kind === "win_back" && (
                    <InlineStack gap="400">
                      <TextField
                        label="Days without an order"
                        name="days"
                        inputMode="numeric"
                        value={days}
                        onChange={setDays}
                        error={errorOf("days")}
                        autoComplete="off"
                      />
                      <TextField
                        label="Bonus points with it"
                        name="bonusPoints"
                        inputMode="numeric"
                        helpText="0 for none."
                        value={bonusPoints}
                        onChange={setBonusPoints}
                        error={errorOf("bonusPoints")}
                        autoComplete="off"
                      />
                    </InlineStack>
                  )}
                  {kind.kind === "tier_at_risk" && (
                    <TextField
                      label="Days before the tier would be lost"
                      name="days"
                      inputMode="numeric"
                      helpText="Members whose total does not keep their tier hear this many days before it ends."
                      value={days}
                      onChange={setDays}
                      error={errorOf("days")}
                      autoComplete="off"
                    />
                  )}
                  {kind.kind === "points_expiring" && (
                    <TextField
                      label="Remind this many days before points expire"
                      name="reminderDays"
                      helpText="Separate with commas, like 30, 7. The last chance message goes a day before."
                      value={reminderDays}
                      onChange={setReminderDays}
                      error={errorOf("reminderDays")}
                      autoComplete="off"
                    />
                  )}
                  <Tabs
                    tabs={SHOPPER_LOCALES.map((code) => ({
                      id: `locale-${code}`,
                      content: `${SHOPPER_LOCALE_NAMES[code]}${errors[`subject_${code}`] || errors[`body_${code}`] ? " (fix)" : templates[code].custom ? " (edited)" : ""}`,
                    }))}
                    selected={tab}
                    onSelect={setTab}
                  />
                  {SHOPPER_LOCALES.map((code) => (
                    <div key={code} style={{ display: code === locale ? "block" : "none" }} dir={code === "he" || code === "ar" ? "rtl" : "ltr"}>
                      <BlockStack gap="300">
                        <TextField
                          label={`Subject (${SHOPPER_LOCALE_NAMES[code]})`}
                          name={`subject_${code}`}
                          value={templates[code].subject}
                          onChange={(value) => setTemplate("subject", value)}
                          error={errorOf(`subject_${code}`) ?? previewErrors[`subject_${code}`]?.message}
                          autoComplete="off"
                        />
                        <TextField
                          label={`Body (${SHOPPER_LOCALE_NAMES[code]})`}
                          name={`body_${code}`}
                          multiline={10}
                          monospaced
                          value={templates[code].body}
                          onChange={(value) => setTemplate("body", value)}
                          error={errorOf(`body_${code}`) ?? previewErrors[`body_${code}`]?.message}
                          helpText="Liquid: {{ first_name }}, {{ points }}, {{ balance }}, {{ reward }}, {{ expiry_date }}, {{ tier }}, {{ shop_name }}, {{ shop_url }}. A blank line starts a paragraph."
                          autoComplete="off"
                        />
                      </BlockStack>
                    </div>
                  ))}
                  <InlineStack gap="300">
                    <Button submit variant="primary" loading={busy("save_kind")}>
                      Save
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            </Form>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Preview and test
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="send_test" />
                  <input type="hidden" name="kind" value={kind.kind} />
                  <input type="hidden" name="locale" value={locale} />
                  <input type="hidden" name={`subject_${locale}`} value={templates[locale].subject} />
                  <input type="hidden" name={`body_${locale}`} value={templates[locale].body} />
                  <BlockStack gap="300">
                    <Select
                      label="Preview with member"
                      name="member"
                      options={[
                        { label: "An example member", value: "" },
                        ...loaded.members.map((entry) => ({ label: `${entry.label} (${entry.email})`, value: String(entry.id) })),
                      ]}
                      value={member}
                      onChange={setMember}
                    />
                    <InlineStack gap="300" blockAlign="end">
                      <Button
                        onClick={() => {
                          const form = new FormData();
                          form.set("intent", "preview");
                          form.set("kind", kind.kind);
                          form.set("locale", locale);
                          form.set("member", member);
                          form.set(`subject_${locale}`, templates[locale].subject);
                          form.set(`body_${locale}`, templates[locale].body);
                          previewFetcher.submit(form, { method: "post" });
                        }}
                        loading={previewFetcher.state !== "idle"}
                      >
                        Preview
                      </Button>
                      <TextField
                        label="Send a test to"
                        name="testEmail"
                        type="email"
                        value={testEmail}
                        onChange={setTestEmail}
                        error={errorOf("testEmail")}
                        autoComplete="email"
                      />
                      <Button submit loading={busy("send_test")}>
                        Send a test to me
                      </Button>
                    </InlineStack>
                  </BlockStack>
                </Form>
                <iframe
                  title="Message preview"
                  sandbox=""
                  srcDoc={previewHtml}
                  style={{ width: "100%", height: "560px", border: "1px solid #e1e3e5", borderRadius: "8px" }}
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Recent messages
                </Text>
                {rows.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No messages yet.
                  </Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "text", "text", "text", "numeric", "text"]}
                    headings={["Queued", "Message", "To", "Subject", "Status", "Attempts", "Last error"]}
                    rows={rows}
                  />
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Form method="post">
              <input type="hidden" name="intent" value="save_rules" />
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Consent
                  </Text>
                  <Checkbox
                    label="Account messages follow email marketing consent too"
                    helpText="Marketing messages (reward nudges, win-back, referrals) always do. With this on, welcome, points, tier, birthday and expiry messages go only to subscribed customers as well."
                    name="accountMessagesFollowConsent"
                    checked={followConsent}
                    onChange={setFollowConsent}
                  />
                  <Button submit loading={busy("save_rules")}>
                    Save
                  </Button>
                </BlockStack>
              </Card>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="save_smtp" />
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Email delivery
                  </Text>
                  {loaded.smtp.unreadable && <Banner tone="warning" title="The saved SMTP server cannot be read with this app's secret. Enter it again." />}
                  <Checkbox label="Send through the app's email server" name="useAppServer" checked={useAppServer} onChange={setUseAppServer} />
                  {!useAppServer && (
                    <>
                      <TextField
                        label="SMTP server URL"
                        name="smtpUrl"
                        type="password"
                        placeholder={loaded.smtp.server ?? "smtps://user:password@smtp.example.com:465"}
                        helpText={loaded.smtp.server ? `Saved: ${loaded.smtp.server}. Leave blank to keep it.` : "Kept encrypted."}
                        value={smtpUrl}
                        onChange={setSmtpUrl}
                        error={errorOf("smtpUrl")}
                        autoComplete="off"
                      />
                      <TextField
                        label="Sender"
                        name="sender"
                        placeholder="Your Shop <rewards@your-shop.com>"
                        value={sender}
                        onChange={setSender}
                        error={errorOf("sender")}
                        autoComplete="off"
                      />
                    </>
                  )}
                  <Button submit loading={busy("save_smtp")}>
                    Save
                  </Button>
                </BlockStack>
              </Card>
            </Form>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
