import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  InlineStack,
  Layout,
  Link,
  Page,
  Pagination,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { STAFF_ACTION_KINDS, type StaffAwardFieldErrors } from "../domain/action-awards";
import { breakdownText, parseBreakdown } from "../domain/breakdown-text";
import type { ManualAdjustmentFieldErrors } from "../domain/manual-adjustment";
import { parseIdCursor } from "../domain/pagination";
import { actionRuleLabel, actionRules, awardByStaff } from "../models/action-awards.server";
import { adjustBalance } from "../models/adjustments.server";
import { ledgerHistoryPage } from "../models/ledger-history.server";
import type { LedgerKind } from "../domain/ledger";
import { getMemberById } from "../models/members.server";
import { loadExpiryPolicy, pointsExpiringFor } from "../models/expiry.server";
import { listRedemptionsForMember, returnUnusedRedemption } from "../models/redemptions.server";
import { shopCurrency } from "../models/rewards.server";
import { loadShopContext } from "../models/shops.server";
import { fromMinorUnits } from "../domain/money";
import { getRuntime } from "../runtime.server";
import { MemberTierCard, type TierActionResult } from "../components/member-tier-card";
import { memberTierForStaff, placeMemberInTier } from "../models/tiers.server";
import { authenticate } from "../shopify.server";
import { staffActor } from "../shopify/staff-actor.server";

const HISTORY_PAGE_SIZE = 25;

const notFound = () => new Response("No such customer in this store.", { status: 404 });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const memberId = parseIdCursor(params.id);
  const member = memberId === undefined ? undefined : await getMemberById(db, session.shop, memberId);
  if (!member) throw notFound();
  const url = new URL(request.url);
  const history = await ledgerHistoryPage(db, session.shop, member.id, {
    limit: HISTORY_PAGE_SIZE,
    olderThan: parseIdCursor(url.searchParams.get("older")),
    newerThan: parseIdCursor(url.searchParams.get("newer")),
  });
  const redemptions = await listRedemptionsForMember(db, session.shop, member.id);
  const currency = await shopCurrency(db, session.shop);
  const shop = await loadShopContext(db, session.shop);
  return json({
    codes: redemptions.map((r) => ({
      id: r.id,
      rewardName: r.rewardName,
      points: r.points,
      value: r.valueMinor > 0 ? `${fromMinorUnits(r.valueMinor, currency)} ${currency}` : null,
      code: r.code,
      status: r.status,
      at: r.createdAt,
      expiresAt: r.expiresAt,
      failureReason: r.failureReason,
    })),
    member: {
      id: member.id,
      customerId: member.customer_id,
      name: [member.first_name, member.last_name].filter(Boolean).join(" ") || null,
      email: member.email,
      balance: member.balance,
      memberSince: new Date(member.created_at).toISOString(),
      redacted: Boolean(member.redacted_at),
      lastActivityAt: member.last_activity_at ? new Date(member.last_activity_at).toISOString() : null,
    },
    // What expires next and when, under the shop's policy (null: nothing will).
    pointsExpiring: await pointsExpiringFor(db, session.shop, await loadExpiryPolicy(db, session.shop), {
      id: member.id,
      balance: member.balance,
      lastActivityAt: member.last_activity_at,
    }),
    entries: history.entries.map((entry) => ({
      id: entry.id,
      kind: entry.kind,
      delta: entry.delta,
      reason: entry.reason,
      customerNote: entry.customer_note,
      by: entry.actor_type === "staff" ? (entry.actor_name ?? `Staff ${entry.actor_id}`) : "Loyalty app",
      at: new Date(entry.created_at).toISOString(),
      // How the entry came to its points ("why 140 points?"), from the ways to earn that made it.
      breakdown: breakdownText(parseBreakdown(entry.breakdown), currency),
    })),
    awardRules: actionRules(shop, STAFF_ACTION_KINDS).map((rule) => ({ id: rule.id, kind: rule.kind, label: actionRuleLabel(rule) })),
    olderThanId: history.olderThanId,
    newerThanId: history.newerThanId,
    // A fresh key per render: submitting this form twice records one adjustment.
    idempotencyKey: crypto.randomUUID(),
    // The same for the award form: one award per rendered form.
    awardKey: crypto.randomUUID(),
    tier: await memberTierForStaff(db, session.shop, member.id, currency),
    tierKey: crypto.randomUUID(),
  });
};

type ActionData =
  | { ok: true; duplicate: boolean; entry: { id: number; delta: number } }
  | { ok: false; fieldErrors: ManualAdjustmentFieldErrors }
  | ({ intent: "tier" } & TierActionResult)
  | { intent: "cancelCode"; ok: true; code: string | null; points: number }
  | { intent: "cancelCode"; ok: false; message: string }
  | { intent: "award"; ok: true; points: number; dryRun: boolean; wouldAward: number; duplicate: boolean; message?: string }
  | { intent: "award"; ok: false; message?: string; fieldErrors: StaffAwardFieldErrors };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const actor = staffActor({ session, sessionToken });
  if (!actor) return new Response("Adjustments need a signed-in staff member.", { status: 403 });
  const memberId = parseIdCursor(params.id);
  if (memberId === undefined) throw notFound();
  const data = await request.formData();
  const text = (name: string) => String(data.get(name) ?? "");
  if (text("intent") === "tier") {
    const tierId = text("tierId");
    const placed = await placeMemberInTier(
      getRuntime().db,
      session.shop,
      { memberId, tierId: tierId === "none" ? null : Number(tierId), reason: text("tierReason"), until: text("tierUntil"), idempotencyKey: text("tierKey") },
      actor,
      new Date().toISOString(),
    );
    if (placed.ok) return json<ActionData>({ intent: "tier", ok: true, changed: placed.changed });
    if (placed.reason === "member_not_found") throw notFound();
    if (placed.reason === "no_program")
      return json<ActionData>({ intent: "tier", ok: false, message: "This store runs no VIP tiers.", fieldErrors: {} }, { status: 409 });
    return json<ActionData>({ intent: "tier", ok: false, fieldErrors: placed.fieldErrors }, { status: 422 });
  }
  if (text("intent") === "cancelCode") {
    // Support cancels an unused code: deleted in Shopify first, then the points come back.
    const { db, shopper } = getRuntime();
    const returned = await returnUnusedRedemption(
      { db, adminFor: shopper.adminFor },
      { shop: session.shop, memberId, redemptionId: Number(text("redemptionId")), outcome: "cancelled", actor },
    );
    if (!returned.ok) {
      if (returned.reason === "redemption_not_found") throw new Response("No such reward code for this customer.", { status: 404 });
      if (returned.reason === "not_returnable") {
        const message = `This code cannot be returned (${returned.status.replace("_", " ")}).`;
        return json<ActionData>({ intent: "cancelCode", ok: false, message }, { status: 409 });
      }
      return json<ActionData>({ intent: "cancelCode", ok: false, message: returned.message }, { status: 502 });
    }
    return json<ActionData>({ intent: "cancelCode", ok: true, code: returned.redemption.code, points: returned.redemption.points });
  }
  if (text("intent") === "award") {
    const form = { ruleId: text("ruleId"), photo: data.get("photo") === "on", reason: text("reason"), awardKey: text("awardKey") };
    const awarded = await awardByStaff(getRuntime().db, session.shop, memberId, form, actor, new Date());
    if (awarded.ok) {
      return json<ActionData>({ intent: "award", ok: true, duplicate: false, points: awarded.points, dryRun: awarded.dryRun, wouldAward: awarded.wouldAward });
    }
    if (awarded.reason === "member_not_found") throw notFound();
    if (awarded.reason === "invalid_fields") return json<ActionData>({ intent: "award", ok: false, fieldErrors: awarded.fieldErrors }, { status: 422 });
    // A second submit of the same form (or a follow already awarded) changes nothing and says so.
    if (awarded.reason === "already_awarded") {
      return json<ActionData>({ intent: "award", ok: true, duplicate: true, points: 0, dryRun: false, wouldAward: 0, message: awarded.message });
    }
    const fieldErrors: StaffAwardFieldErrors = awarded.field === "ruleId" ? { ruleId: awarded.message } : {};
    return json<ActionData>({ intent: "award", ok: false, message: awarded.field === "ruleId" ? undefined : awarded.message, fieldErrors }, { status: 422 });
  }
  const result = await adjustBalance(
    getRuntime().db,
    session.shop,
    {
      memberId,
      points: text("points"),
      reason: text("reason"),
      customerNote: text("customerNote"),
      idempotencyKey: text("idempotencyKey"),
    },
    actor,
    new Date().toISOString(),
  );
  if (!result.ok && result.reason === "member_not_found") throw notFound();
  if (!result.ok) return json<ActionData>({ ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
  return json<ActionData>({
    ok: true,
    duplicate: result.duplicate,
    entry: { id: result.entry.id, delta: result.entry.delta },
  });
};

const KIND_LABELS: Record<LedgerKind, string> = {
  earned: "Earned",
  redeemed: "Redeemed",
  redemption_returned: "Points returned",
  refund_reversal: "Refund",
  cancel_reversal: "Cancellation",
  manual_adjustment: "Manual adjustment",
  order_bonus: "Order bonus",
  campaign_bonus: "Campaign bonus",
  signup: "Sign-up",
  birthday: "Birthday",
  newsletter: "Newsletter",
  social: "Social follow",
  review: "Review",
  custom_action: "Custom action",
  tier_bonus: "VIP tier bonus",
  expired: "Expired",
  win_back_bonus: "Win-back bonus",
  referral: "Referral",
};

const signed = (points: number) => (points > 0 ? `+${points.toLocaleString("en-US")}` : points.toLocaleString("en-US"));
const when = (iso: string) => new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

const CODE_STATUS: Record<string, { label: string; tone?: "success" | "attention" | "critical" | "info" }> = {
  pending: { label: "Being created", tone: "attention" },
  issued: { label: "Unused", tone: "info" },
  used: { label: "Used", tone: "success" },
  expired: { label: "Expired, points returned" },
  cancelled: { label: "Cancelled, points returned" },
  failed: { label: "Not created, points returned", tone: "critical" },
  returning: { label: "Being cancelled", tone: "attention" },
};

export default function CustomerPage() {
  const { member, entries, codes, olderThanId, newerThanId, idempotencyKey, awardKey, awardRules, tier, tierKey, pointsExpiring } =
    useLoaderData<typeof loader>();
  const rawActionData = useActionData<typeof action>() as ActionData | undefined;
  const cancelResult = rawActionData && "intent" in rawActionData && rawActionData.intent === "cancelCode" ? rawActionData : null;
  const awardResult = rawActionData && "intent" in rawActionData && rawActionData.intent === "award" ? rawActionData : null;
  const tierResult = rawActionData && "intent" in rawActionData && rawActionData.intent === "tier" ? (rawActionData as TierActionResult) : null;
  const actionData = rawActionData && !("intent" in rawActionData) ? rawActionData : undefined;
  const navigation = useNavigation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [customerNote, setCustomerNote] = useState("");
  const fieldErrors: ManualAdjustmentFieldErrors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const cancelling = navigation.state === "submitting" && navigation.formData?.get("intent") === "cancelCode";
  const awarding = navigation.state === "submitting" && navigation.formData?.get("intent") === "award";
  const submitting = navigation.state === "submitting" && !cancelling && !awarding;
  const [awardRuleId, setAwardRuleId] = useState("");
  const [awardPhoto, setAwardPhoto] = useState(false);
  const [awardReason, setAwardReason] = useState("");
  const awardFieldErrors: StaffAwardFieldErrors = awardResult && !awardResult.ok ? awardResult.fieldErrors : {};
  const chosenRule = awardRules.find((rule) => String(rule.id) === awardRuleId);

  // A recorded adjustment empties the form, once per answer. Set while rendering (React's way to
  // follow a new prop), not in an effect that would first draw the old values again.
  const [answerSeen, setAnswerSeen] = useState(actionData);
  if (actionData !== answerSeen) {
    setAnswerSeen(actionData);
    if (actionData?.ok) {
      setPoints("");
      setReason("");
      setCustomerNote("");
    }
  }
  const [awardSeen, setAwardSeen] = useState(awardResult);
  if (awardResult !== awardSeen) {
    setAwardSeen(awardResult);
    if (awardResult?.ok && !awardResult.duplicate) {
      setAwardPhoto(false);
      setAwardReason("");
    }
  }

  const pageUrl = (cursor: "older" | "newer", id: number) => {
    const next = new URLSearchParams(params);
    next.delete("older");
    next.delete("newer");
    next.set(cursor, String(id));
    return `?${next.toString()}`;
  };

  const title = member.redacted ? "Redacted customer" : (member.name ?? member.email ?? `Customer ${member.customerId}`);
  return (
    <Page title={title} backAction={{ url: "/app/customers" }}>
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <BlockStack>
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h2" variant="headingMd">
                  Points history
                </Text>
              </div>
              <DataTable
                columnContentTypes={["text", "numeric", "text", "text", "text"]}
                headings={["Date", "Points", "Type", "Reason", "By"]}
                rows={entries.map((entry) => [
                  when(entry.at),
                  signed(entry.delta),
                  KIND_LABELS[entry.kind as LedgerKind] ?? entry.kind,
                  <BlockStack gap="050" key="reason">
                    <Text as="span">{entry.customerNote ? `${entry.reason} (note to customer: ${entry.customerNote})` : entry.reason}</Text>
                    {entry.breakdown && (
                      <Text as="span" tone="subdued" variant="bodySm">
                        {entry.breakdown}
                      </Text>
                    )}
                  </BlockStack>,
                  entry.by,
                ])}
              />
              {entries.length === 0 && (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    No points have moved yet.
                  </Text>
                </div>
              )}
              <div style={{ padding: "var(--p-space-400)" }}>
                <Pagination
                  hasPrevious={newerThanId !== null}
                  onPrevious={() => newerThanId !== null && navigate(pageUrl("newer", newerThanId))}
                  hasNext={olderThanId !== null}
                  onNext={() => olderThanId !== null && navigate(pageUrl("older", olderThanId))}
                />
              </div>
            </BlockStack>
          </Card>
          <div style={{ marginTop: "var(--p-space-400)" }}>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Reward codes
                </Text>
                {cancelResult?.ok && (
                  <Banner tone="success">{`Code ${cancelResult.code ?? ""} cancelled; ${cancelResult.points.toLocaleString("en-US")} points returned.`}</Banner>
                )}
                {cancelResult && !cancelResult.ok && <Banner tone="critical">{cancelResult.message}</Banner>}
                {codes.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No rewards redeemed yet.
                  </Text>
                ) : (
                  <BlockStack gap="200">
                    {codes.map((code) => (
                      <InlineStack key={code.id} align="space-between" blockAlign="center" gap="200">
                        <BlockStack gap="050">
                          <InlineStack gap="200" blockAlign="center">
                            <Text as="span" fontWeight="semibold">
                              {code.rewardName}
                            </Text>
                            <Badge tone={CODE_STATUS[code.status]?.tone}>{CODE_STATUS[code.status]?.label ?? code.status}</Badge>
                          </InlineStack>
                          <Text as="span" tone="subdued">
                            {[
                              code.code ?? "store credit",
                              `${code.points.toLocaleString("en-US")} points`,
                              code.value,
                              `redeemed ${when(code.at)}`,
                              code.status === "issued" && code.expiresAt ? `expires ${when(code.expiresAt)}` : null,
                              code.failureReason,
                            ]
                              .filter(Boolean)
                              .join(" · ")}
                          </Text>
                        </BlockStack>
                        {code.status === "issued" && code.code && (
                          <Form method="post">
                            <input type="hidden" name="intent" value="cancelCode" />
                            <input type="hidden" name="redemptionId" value={code.id} />
                            <Button submit tone="critical" variant="plain" loading={cancelling && navigation.formData?.get("redemptionId") === String(code.id)}>
                              Cancel code
                            </Button>
                          </Form>
                        )}
                      </InlineStack>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            </Card>
          </div>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <InlineStack align="space-between">
                  <Text as="h2" variant="headingMd">
                    Balance
                  </Text>
                  {member.redacted && <Badge>Redacted</Badge>}
                </InlineStack>
                <Text as="p" variant="heading2xl" tone={member.balance < 0 ? "critical" : undefined}>
                  {member.balance.toLocaleString("en-US")} points
                </Text>
                {pointsExpiring && (
                  <Text as="p" tone="caution">
                    {pointsExpiring.points.toLocaleString("en-US")} points expire on {when(pointsExpiring.expiresAt)}
                  </Text>
                )}
                {member.email && <Text as="p">{member.email}</Text>}
                <Text as="p" tone="subdued">
                  Shopify customer {member.customerId} · member since {when(member.memberSince)}
                  {member.lastActivityAt ? ` · last earned or redeemed ${when(member.lastActivityAt)}` : ""}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Adjust points
                  </Text>
                  {actionData?.ok && (
                    <Banner tone="success">
                      {actionData.duplicate ? "This adjustment was already recorded; nothing changed." : `${signed(actionData.entry.delta)} points recorded.`}
                    </Banner>
                  )}
                  {fieldErrors.idempotencyKey && <Banner tone="critical">{fieldErrors.idempotencyKey}</Banner>}
                  <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
                  <TextField
                    label="Points"
                    name="points"
                    value={points}
                    onChange={setPoints}
                    inputMode="numeric"
                    helpText="Positive to add, negative to remove, like 100 or -100."
                    error={fieldErrors.points}
                    autoComplete="off"
                  />
                  <TextField
                    label="Reason"
                    name="reason"
                    value={reason}
                    onChange={setReason}
                    helpText="Shown in the points history."
                    error={fieldErrors.reason}
                    autoComplete="off"
                    requiredIndicator
                  />
                  <TextField
                    label="Note to the customer (optional)"
                    name="customerNote"
                    value={customerNote}
                    onChange={setCustomerNote}
                    multiline={2}
                    error={fieldErrors.customerNote}
                    autoComplete="off"
                  />
                  <Button submit variant="primary" loading={submitting} disabled={submitting}>
                    Record adjustment
                  </Button>
                </BlockStack>
              </Form>
            </Card>
            {tier && (
              <MemberTierCard
                tier={tier}
                formKey={tierKey}
                result={tierResult}
                busy={navigation.state === "submitting" && navigation.formData?.get("intent") === "tier"}
              />
            )}
            <Card>
              <Form method="post">
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Award a way to earn
                  </Text>
                  {awardResult?.ok && (
                    <Banner tone={awardResult.duplicate ? "info" : "success"}>
                      {awardResult.duplicate
                        ? (awardResult.message ?? "Already awarded; nothing changed.")
                        : awardResult.dryRun
                          ? `This way to earn runs in dry run: ${awardResult.wouldAward.toLocaleString("en-US")} points recorded as a dry run, none credited.`
                          : `${signed(awardResult.points)} points awarded.`}
                    </Banner>
                  )}
                  {awardResult && !awardResult.ok && (awardResult.message || awardFieldErrors.awardKey) && (
                    <Banner tone="critical">{awardResult.message ?? awardFieldErrors.awardKey}</Banner>
                  )}
                  {awardRules.length === 0 ? (
                    <Text as="p" tone="subdued">
                      Add a product review, custom action or social follow way to earn to award it here.
                    </Text>
                  ) : (
                    <>
                      <input type="hidden" name="intent" value="award" />
                      <input type="hidden" name="awardKey" value={awardKey} />
                      <Select
                        label="Way to earn"
                        name="ruleId"
                        options={[{ label: "Choose…", value: "" }, ...awardRules.map((rule) => ({ label: rule.label, value: String(rule.id) }))]}
                        value={awardRuleId}
                        onChange={setAwardRuleId}
                        error={awardFieldErrors.ruleId}
                      />
                      {chosenRule?.kind === "review" && <Checkbox label="The review has a photo" name="photo" checked={awardPhoto} onChange={setAwardPhoto} />}
                      <TextField
                        label="Note for the points history (optional)"
                        name="reason"
                        value={awardReason}
                        onChange={setAwardReason}
                        helpText="Kept with the entry; staff see it, customers do not."
                        error={awardFieldErrors.reason}
                        autoComplete="off"
                      />
                      <Button submit loading={awarding} disabled={awarding}>
                        Award
                      </Button>
                    </>
                  )}
                  <Text as="p" tone="subdued">
                    Many customers at once: <Link url="/app/awards/bulk">award from a CSV</Link>. Review apps award through the API with a key from{" "}
                    <Link url="/app/api-keys">API keys</Link>.
                  </Text>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
