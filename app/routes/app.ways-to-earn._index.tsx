import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { KIND_NAMES, MAX_PENDING_DAYS } from "../domain/earning-rule-form";
import { parseIdCursor } from "../domain/pagination";
import { EARNING_RULE_KINDS, type EarningRule, type RuleStatus } from "../domain/ways-to-earn";
import { listWaysToEarn, savePendingDays, setCampaignStatus, setRuleStatus } from "../models/ways-to-earn-admin.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const listing = await listWaysToEarn(getRuntime().db, session.shop, new Date());
  return json({
    currencyCode: listing.currencyCode,
    pendingDays: listing.pendingDays,
    rules: listing.rules.map(({ rule, given, wouldHave }) => ({
      id: rule.id,
      kind: rule.kind,
      kindName: KIND_NAMES[rule.kind],
      title: rule.content.en?.title ?? null,
      earns: describeEarning(rule, listing.currencyCode),
      status: rule.status,
      given,
      wouldHave,
    })),
    campaigns: listing.campaigns.map(({ campaign, phase, given, wouldHave }) => ({
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      phase,
      gives:
        campaign.multiplierPercent !== null
          ? `${campaign.multiplierPercent / 100}x points`
          : `+${(campaign.bonusPoints ?? 0).toLocaleString("en-US")} points per order`,
      startsAt: campaign.startsAt,
      endsAt: campaign.endsAt,
      limited: campaign.productIds !== null || campaign.customerTags.length > 0,
      given,
      wouldHave,
    })),
  });
};

/** "1 point per 1 USD", "200 points every 6th order", "50 points (+25 with a photo)". */
function describeEarning(rule: EarningRule, currency: string): string {
  const points = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "point" : "points"}`;
  if (rule.kind === "purchase")
    return rule.pointsPerCurrencyUnit !== null ? `${points(rule.pointsPerCurrencyUnit)} per 1 ${currency}` : `${points(rule.points)} per order`;
  if (rule.kind === "nth_order") return `${points(rule.points)} on every order number ${rule.everyNth} (a stamp card)`;
  if (rule.kind === "review" && rule.photoBonusPoints > 0) return `${points(rule.points)} (+${rule.photoBonusPoints.toLocaleString("en-US")} with a photo)`;
  if (rule.kind === "social") return `${points(rule.points)} for following on ${rule.settings.network ?? "social media"}`;
  return points(rule.points);
}

type ActionData = { ok: true; message: string } | { ok: false; message: string; fieldErrors?: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const data = await request.formData();
  const intent = String(data.get("intent") ?? "");
  const now = new Date().toISOString();
  if (intent === "pending_days") {
    const result = await savePendingDays(db, session.shop, String(data.get("pendingDays") ?? ""), now);
    if (!result.ok) return json<ActionData>({ ok: false, message: "The pending window was not saved.", fieldErrors: result.fieldErrors }, { status: 422 });
    return json<ActionData>({
      ok: true,
      message: result.pendingDays === 0 ? "Order points can be spent at once." : `Order points now wait ${result.pendingDays} days.`,
    });
  }
  if (intent === "rule_status" || intent === "campaign_status") {
    const id = parseIdCursor(String(data.get("id") ?? ""));
    const status = String(data.get("status") ?? "");
    if (id === undefined) return json<ActionData>({ ok: false, message: "No such way to earn in this store." }, { status: 404 });
    const result =
      intent === "rule_status" ? await setRuleStatus(db, session.shop, id, status, now) : await setCampaignStatus(db, session.shop, id, status, now);
    if (!result.ok) {
      if (result.reason === "not_found") return json<ActionData>({ ok: false, message: "No such way to earn in this store." }, { status: 404 });
      if (result.reason === "invalid_status") return json<ActionData>({ ok: false, message: "Choose live, dry run or off." }, { status: 400 });
      return json<ActionData>({ ok: false, message: Object.values(result.fieldErrors).join(" ") }, { status: 422 });
    }
    return json<ActionData>({ ok: true, message: "Saved." });
  }
  return json<ActionData>({ ok: false, message: `Unknown intent "${intent}".` }, { status: 400 });
};

const STATUS_BADGE: Record<RuleStatus, JSX.Element> = {
  live: <Badge tone="success">Live</Badge>,
  dry_run: <Badge tone="info">Dry run</Badge>,
  off: <Badge>Off</Badge>,
};

const PHASE_BADGE = {
  scheduled: <Badge tone="attention">Scheduled</Badge>,
  running: <Badge tone="success">Running</Badge>,
  ended: <Badge>Ended</Badge>,
};

const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

export default function WaysToEarn() {
  const { rules, campaigns, pendingDays } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigate = useNavigate();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [days, setDays] = useState(String(pendingDays));
  const setStatus = (intent: "rule_status" | "campaign_status", id: number, status: RuleStatus) =>
    submit({ intent, id: String(id), status }, { method: "post" });
  const nextStatus = (status: RuleStatus): RuleStatus => (status === "live" ? "off" : "live");
  const fmt = (n: number) => n.toLocaleString("en-US");

  return (
    <Page title="Ways to earn" backAction={{ url: "/app" }} primaryAction={{ content: "Add campaign", url: "/app/campaigns/new" }}>
      <Layout>
        {actionData && (
          <Layout.Section>
            <Banner tone={actionData.ok ? "success" : "critical"} title={actionData.message} />
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "way to earn", plural: "ways to earn" }}
              itemCount={rules.length}
              selectable={false}
              headings={[{ title: "Way to earn" }, { title: "Earns" }, { title: "Status" }, { title: "Given so far" }, { title: "" }]}
            >
              {rules.map((rule, index) => (
                <IndexTable.Row id={String(rule.id)} key={rule.id} position={index} onClick={() => navigate(`/app/ways-to-earn/${rule.id}`)}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">
                      {rule.title ?? rule.kindName}
                    </Text>
                    {rule.title && (
                      <Text as="span" tone="subdued">
                        {" "}
                        ({rule.kindName})
                      </Text>
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{rule.earns}</IndexTable.Cell>
                  <IndexTable.Cell>{STATUS_BADGE[rule.status]}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {rule.wouldHave
                      ? `Would have given ${fmt(rule.wouldHave.points)} points to ${fmt(rule.wouldHave.members)} members in ${fmt(rule.wouldHave.events)} events`
                      : `${fmt(rule.given.points)} points to ${fmt(rule.given.members)} members`}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div onClick={(event) => event.stopPropagation()}>
                      <Button
                        size="slim"
                        onClick={() => setStatus("rule_status", rule.id, nextStatus(rule.status))}
                        accessibilityLabel={`Turn ${rule.kindName} ${rule.status === "live" ? "off" : "on"}`}
                      >
                        {rule.status === "live" ? "Turn off" : "Turn on"}
                      </Button>
                    </div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Add a way to earn
              </Text>
              <InlineStack gap="200" wrap>
                {EARNING_RULE_KINDS.map((kind) => (
                  <Button key={kind} url={`/app/ways-to-earn/new?kind=${kind}`}>
                    {KIND_NAMES[kind]}
                  </Button>
                ))}
              </InlineStack>
              <Text as="p" tone="subdued">
                A shop has at most one sign-up, birthday, newsletter and first order rule. Social follows cannot be verified: the points follow a tap on the
                button, whether or not the shopper really followed. Reviews and custom actions are awarded by your staff on a customer&apos;s page, from a{" "}
                <Button variant="plain" url="/app/awards/bulk">
                  CSV of emails
                </Button>
                , or by your review app through an{" "}
                <Button variant="plain" url="/app/api-keys">
                  API key
                </Button>
                .
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "campaign", plural: "campaigns" }}
              itemCount={campaigns.length}
              selectable={false}
              emptyState={
                <BlockStack gap="200" inlineAlign="center">
                  <Text as="p">No bonus campaigns yet. A campaign multiplies purchase points (2x) or adds a fixed bonus, between two dates.</Text>
                </BlockStack>
              }
              headings={[{ title: "Campaign" }, { title: "Gives" }, { title: "When" }, { title: "Status" }, { title: "Given so far" }, { title: "" }]}
            >
              {campaigns.map((campaign, index) => (
                <IndexTable.Row id={`c${campaign.id}`} key={campaign.id} position={index} onClick={() => navigate(`/app/campaigns/${campaign.id}`)}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">
                      {campaign.name}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {campaign.gives}
                    {campaign.limited ? " (some products or customers)" : ""}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {when(campaign.startsAt)} to {when(campaign.endsAt)}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      {PHASE_BADGE[campaign.phase]}
                      {STATUS_BADGE[campaign.status]}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {campaign.wouldHave
                      ? `Would have given ${fmt(campaign.wouldHave.points)} points in ${fmt(campaign.wouldHave.events)} orders`
                      : `${fmt(campaign.given.points)} points on ${fmt(campaign.given.orders)} orders`}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div onClick={(event) => event.stopPropagation()}>
                      <Button size="slim" onClick={() => setStatus("campaign_status", campaign.id, nextStatus(campaign.status))}>
                        {campaign.status === "live" ? "Turn off" : "Turn on"}
                      </Button>
                    </div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                How campaigns combine
              </Text>
              <List>
                <List.Item>On each product the highest multiplier among the running campaigns applies; campaigns never multiply each other.</List.Item>
                <List.Item>Fixed bonuses add, each once per order.</List.Item>
                <List.Item>
                  Extra points are rounded down once per campaign. Refunds and cancellations take back bonus points in the same share as the rest.
                </List.Item>
                <List.Item>
                  A dry run is evaluated on every real order beside the live ones and credits nobody: use it to see what a change would give first.
                </List.Item>
              </List>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="pending_days" />
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Pending points
                </Text>
                <TextField
                  label="Order points can be spent after"
                  name="pendingDays"
                  type="number"
                  min={0}
                  max={MAX_PENDING_DAYS}
                  suffix="days"
                  value={days}
                  onChange={setDays}
                  autoComplete="off"
                  error={actionData && !actionData.ok ? actionData.fieldErrors?.pendingDays : undefined}
                  helpText={`0 is off: points count at once. With a window (your return period, say), shoppers see the points as pending with the date they arrive, refunds inside the window reduce them, and they can never be spent early.`}
                />
                <InlineStack>
                  <Button submit loading={navigation.state === "submitting"}>
                    Save
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
