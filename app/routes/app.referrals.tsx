import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Page, Select, Tabs, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { fromMinorUnits } from "../domain/money";
import { parseIdCursor } from "../domain/pagination";
import type { ReferralProgramField, ReferralProgramForm, ReferralStatus } from "../domain/referrals";
import { getReferralProgram, listReferrals, referralCounts, referrerRewardChoices, reviewReferral, saveReferralProgram } from "../models/referrals.server";
import { shopCurrency } from "../models/rewards.server";
import { getRuntime } from "../runtime.server";
import { staffActor } from "../shopify/staff-actor.server";
import { authenticate } from "../shopify.server";

// Referrals: the program's settings (what the friend gets, what the referrer earns, the windows
// and the limits) and every referral with its status; those a fraud rule was not sure of wait
// here for staff to approve or reject.

const FORM_FIELDS: readonly ReferralProgramField[] = [
  "friendOfferKind",
  "friendAmount",
  "friendPercentOff",
  "friendMinimumSubtotal",
  "friendCodeLifetimeDays",
  "referrerRewardKind",
  "referrerPoints",
  "referrerRewardId",
  "cookieDays",
  "windowDays",
  "maxPerReferrerMonth",
  "maxPerReferrerTotal",
  "maxClaimsPerIpWeek",
  "maxClaimsPerDeviceWeek",
  "minimumOrder",
];

// The statuses in lifecycle order (the client bundle cannot import the model's list).
const REFERRAL_STATUSES: readonly ReferralStatus[] = ["claimed", "ordered", "pending", "rewarded", "cancelled", "rejected", "review"];

const isStatus = (value: string | null): value is ReferralStatus => (REFERRAL_STATUSES as readonly string[]).includes(value ?? "");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const url = new URL(request.url);
  const status = url.searchParams.get("status");
  const [program, currency, rewards, list, counted] = await Promise.all([
    getReferralProgram(db, session.shop),
    shopCurrency(db, session.shop),
    referrerRewardChoices(db, session.shop),
    listReferrals(db, session.shop, { status: isStatus(status) ? status : undefined, cursor: parseIdCursor(url.searchParams.get("cursor") ?? "") }),
    referralCounts(db, session.shop),
  ]);
  const optional = (value: number | null) => (value === null ? "" : String(value));
  const money = (minor: number | null) => (minor === null ? "" : fromMinorUnits(minor, currency));
  const form: ReferralProgramForm = {
    enabled: program.enabled ? "true" : "false",
    friendOfferKind: program.friendOfferKind,
    friendAmount: program.friendValueMinor ? money(program.friendValueMinor) : "",
    friendPercentOff: String(program.friendPercentOff),
    friendMinimumSubtotal: money(program.friendMinimumSubtotalMinor),
    friendCodeLifetimeDays: String(program.friendCodeLifetimeDays),
    referrerRewardKind: program.referrerRewardId ? "reward" : "points",
    referrerPoints: program.referrerPoints ? String(program.referrerPoints) : "",
    referrerRewardId: optional(program.referrerRewardId),
    cookieDays: String(program.cookieDays),
    windowDays: optional(program.windowDays),
    maxPerReferrerMonth: optional(program.maxPerReferrerMonth),
    maxPerReferrerTotal: optional(program.maxPerReferrerTotal),
    maxClaimsPerIpWeek: optional(program.maxClaimsPerIpWeek),
    maxClaimsPerDeviceWeek: optional(program.maxClaimsPerDeviceWeek),
    minimumOrder: program.minimumOrderMinor ? money(program.minimumOrderMinor) : "",
  };
  return json({
    form,
    currency,
    rewards,
    status: isStatus(status) ? status : null,
    ...list,
    ...counted,
  });
};

type ActionData =
  | { intent: "settings"; ok: true }
  | { intent: "settings"; ok: false; fieldErrors: Partial<Record<ReferralProgramField, string>> }
  | { intent: "review"; ok: boolean; id: number; message: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const { db } = getRuntime();
  const data = await request.formData();
  const text = (name: string) => String(data.get(name) ?? "");
  if (text("intent") === "review") {
    const actor = staffActor({ session, sessionToken });
    if (!actor) return new Response("Reviews need a signed-in staff member.", { status: 403 });
    const id = parseIdCursor(text("id"));
    const decision = text("decision");
    if (id === undefined || (decision !== "approve" && decision !== "reject")) return new Response("Choose a referral and approve or reject.", { status: 400 });
    const result = await reviewReferral(db, session.shop, id, decision, { id: actor.id, name: actor.name }, new Date());
    if (result.ok)
      return json<ActionData>({ intent: "review", ok: true, id, message: decision === "approve" ? "Approved: the referral goes on." : "Rejected." });
    if (result.reason === "not_found") return new Response("No such referral in this store.", { status: 404 });
    // not_allowed: it is no longer waiting for review (another staff member decided it).
    return json<ActionData>(
      { intent: "review", ok: false, id, message: `This referral is no longer waiting for review (it is ${STATUS_LABELS[result.status].toLowerCase()}).` },
      { status: 409 },
    );
  }
  const form: Partial<ReferralProgramForm> = { enabled: data.get("enabled") === "true" ? "true" : "false" };
  for (const field of FORM_FIELDS) form[field] = text(field);
  const result = await saveReferralProgram(db, session.shop, form, new Date());
  if (result.ok) return json<ActionData>({ intent: "settings", ok: true });
  return json<ActionData>({ intent: "settings", ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
};

/** Each status as the list names it. */
export const STATUS_LABELS: Record<ReferralStatus, string> = {
  claimed: "Claimed",
  ordered: "Ordered",
  pending: "Pending",
  rewarded: "Rewarded",
  cancelled: "Cancelled",
  rejected: "Rejected",
  review: "Waiting for review",
};
const STATUS_TONES: Partial<Record<ReferralStatus, "success" | "critical" | "attention" | "info">> = {
  rewarded: "success",
  rejected: "critical",
  review: "attention",
  pending: "info",
};

const day = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 10) : "");

export default function ReferralsPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [, setSearchParams] = useSearchParams();
  const [form, setForm] = useState(loaded.form);
  const errors = result?.intent === "settings" && !result.ok ? result.fieldErrors : {};
  const set = (field: keyof typeof form) => (value: string) => setForm((current) => ({ ...current, [field]: value }));
  const field = (name: ReferralProgramField, label: string, helpText?: string, suffix?: string) => (
    <TextField
      label={label}
      name={name}
      value={form[name] ?? ""}
      onChange={set(name)}
      error={errors[name]}
      helpText={helpText}
      suffix={suffix}
      autoComplete="off"
    />
  );
  const tabs = [
    { id: "all", content: `All (${Object.values(loaded.counts).reduce((a, b) => a + b, 0)})` },
    ...REFERRAL_STATUSES.map((status) => ({ id: status, content: `${STATUS_LABELS[status]} (${loaded.counts[status]})` })),
  ];
  const selected = loaded.status ? tabs.findIndex((tab) => tab.id === loaded.status) : 0;

  return (
    <Page title="Referrals" backAction={{ url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Form method="post">
            <input type="hidden" name="intent" value="settings" />
            <input type="hidden" name="enabled" value={form.enabled} />
            <BlockStack gap="400">
              {result?.intent === "settings" && result.ok && <Banner tone="success" title="Referral program saved" />}
              {result?.intent === "settings" && !result.ok && (
                <Banner tone="critical" title="The referral program was not saved">
                  <p>Fix the fields marked below and save again.</p>
                </Banner>
              )}
              <Card>
                <BlockStack gap="400">
                  <Checkbox
                    label="Referrals are on"
                    helpText="Members get a link to share; a friend who opens it gets the offer below for their first order."
                    checked={form.enabled === "true"}
                    onChange={(checked) => set("enabled")(checked ? "true" : "false")}
                  />
                  <Text as="h2" variant="headingMd">
                    The friend gets
                  </Text>
                  <FormLayout>
                    <Select
                      label="Offer"
                      name="friendOfferKind"
                      options={[
                        { label: "An amount off", value: "fixed_amount" },
                        { label: "A percentage off", value: "percentage" },
                        { label: "Free shipping", value: "free_shipping" },
                      ]}
                      value={form.friendOfferKind ?? "fixed_amount"}
                      onChange={set("friendOfferKind")}
                      error={errors.friendOfferKind}
                    />
                    {form.friendOfferKind === "fixed_amount" && field("friendAmount", "Amount off", undefined, loaded.currency)}
                    {form.friendOfferKind === "percentage" && field("friendPercentOff", "Percentage off", undefined, "%")}
                    <FormLayout.Group>
                      {field("friendMinimumSubtotal", "Minimum subtotal", "Empty: none.", loaded.currency)}
                      {field("friendCodeLifetimeDays", "Code lasts", "Days from the claim.", "days")}
                    </FormLayout.Group>
                  </FormLayout>
                  <Text as="h2" variant="headingMd">
                    The referrer earns
                  </Text>
                  <FormLayout>
                    <FormLayout.Group>
                      <Select
                        label="Reward"
                        name="referrerRewardKind"
                        options={[
                          { label: "Points", value: "points" },
                          { label: "A reward from the catalogue", value: "reward" },
                        ]}
                        value={form.referrerRewardKind || "points"}
                        onChange={set("referrerRewardKind")}
                        error={errors.referrerRewardKind}
                        helpText="When the friend's first order is paid and its window has passed."
                      />
                      {form.referrerRewardKind === "reward" ? (
                        <Select
                          label="Which reward"
                          name="referrerRewardId"
                          options={[
                            { label: "Choose a reward", value: "" },
                            ...loaded.rewards.map((reward) => ({ label: reward.name, value: String(reward.id) })),
                          ]}
                          value={form.referrerRewardId ?? ""}
                          onChange={set("referrerRewardId")}
                          error={errors.referrerRewardId}
                          helpText="Rewards that are on and give an amount off, a percentage off or free shipping."
                        />
                      ) : (
                        field("referrerPoints", "Points", undefined, "points")
                      )}
                    </FormLayout.Group>
                    {field("minimumOrder", "The friend's order is at least", "Empty or 0: any order.", loaded.currency)}
                  </FormLayout>
                  <Text as="h2" variant="headingMd">
                    Windows and limits
                  </Text>
                  <FormLayout>
                    <FormLayout.Group>
                      {field("cookieDays", "The link is remembered for", "On the friend's browser.", "days")}
                      {field("windowDays", "Reward waits", "After the order, for refunds. Empty: the shop's pending days.", "days")}
                    </FormLayout.Group>
                    <FormLayout.Group>
                      {field("maxPerReferrerMonth", "Rewards per referrer per month", "Empty: no limit.")}
                      {field("maxPerReferrerTotal", "Rewards per referrer in all", "Empty: no limit.")}
                    </FormLayout.Group>
                    <FormLayout.Group>
                      {field("maxClaimsPerIpWeek", "Claims per address per week", "Empty: no limit.")}
                      {field("maxClaimsPerDeviceWeek", "Claims per device per week", "Empty: no limit.")}
                    </FormLayout.Group>
                  </FormLayout>
                  <InlineStack>
                    <Button submit variant="primary" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "settings"}>
                      Save
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            </BlockStack>
          </Form>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Tabs tabs={tabs} selected={Math.max(selected, 0)} onSelect={(index) => setSearchParams(index === 0 ? {} : { status: tabs[index].id })} />
            <BlockStack gap="300">
              <div style={{ padding: "var(--p-space-400)" }}>
                <BlockStack gap="300">
                  <Text as="p" tone="subdued">
                    {loaded.clicks} {loaded.clicks === 1 ? "visit" : "visits"} to referral links.
                  </Text>
                  {result?.intent === "review" && <Banner tone={result.ok ? "success" : "warning"} title={result.message} />}
                  {loaded.referrals.length === 0 && <Text as="p">No referrals yet.</Text>}
                  {loaded.referrals.map((referral) => (
                    <Card key={referral.id}>
                      <BlockStack gap="200">
                        <InlineStack gap="200" align="space-between">
                          <Text as="h3" variant="headingSm">
                            {referral.referrer.name ?? referral.referrer.email ?? `Member ${referral.referrer.memberId}`} referred{" "}
                            {referral.friendEmail || "a friend"}
                          </Text>
                          <Badge tone={STATUS_TONES[referral.status]}>{STATUS_LABELS[referral.status]}</Badge>
                        </InlineStack>
                        <Text as="p" tone="subdued">
                          Claimed {day(referral.claimedAt)}
                          {referral.discountCode ? ` · code ${referral.discountCode}` : ""}
                          {referral.orderId ? ` · order ${referral.orderId}` : ""}
                          {referral.orderTotalMinor !== null ? ` (${fromMinorUnits(referral.orderTotalMinor, loaded.currency)} ${loaded.currency})` : ""}
                          {referral.rewardPoints ? ` · ${referral.rewardPoints} points` : ""}
                          {referral.rewardDueAt && referral.status === "pending" ? ` · due ${day(referral.rewardDueAt)}` : ""}
                          {referral.reviewedBy ? ` · reviewed by ${referral.reviewedBy}` : ""}
                        </Text>
                        {referral.reasons.length > 0 && (
                          <ul>
                            {referral.reasons.map((reason) => (
                              <li key={reason.rule}>{`${reason.reason}${reason.certain ? "" : " (not certain)"}`}</li>
                            ))}
                          </ul>
                        )}
                        {referral.status === "review" && (
                          <InlineStack gap="200">
                            {(["approve", "reject"] as const).map((decision) => (
                              <Form method="post" key={decision}>
                                <input type="hidden" name="intent" value="review" />
                                <input type="hidden" name="id" value={referral.id} />
                                <input type="hidden" name="decision" value={decision} />
                                <Button submit variant={decision === "approve" ? "primary" : undefined} tone={decision === "reject" ? "critical" : undefined}>
                                  {decision === "approve" ? "Approve" : "Reject"}
                                </Button>
                              </Form>
                            ))}
                          </InlineStack>
                        )}
                      </BlockStack>
                    </Card>
                  ))}
                  {loaded.nextCursor && (
                    <InlineStack>
                      <Button
                        url={`/app/referrals?${new URLSearchParams({ ...(loaded.status ? { status: loaded.status } : {}), cursor: String(loaded.nextCursor) })}`}
                      >
                        Older referrals
                      </Button>
                    </InlineStack>
                  )}
                </BlockStack>
              </div>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
