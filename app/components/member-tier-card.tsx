import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

// The member page's VIP tier card: the tier held and why, the qualifying total, the history, and
// staff's manual placement (a reason required, an optional end date).

export interface MemberTierView {
  tierId: number | null;
  tierName: string;
  reachedAt: string | null;
  keptUntil: string | null;
  manual: { until: string | null } | null;
  paidUntil: string | null;
  total: string;
  tiers: { id: number; name: string }[];
  history: { id: number; from: string; to: string; why: string; note: string | null; by: string; at: string }[];
}

export type TierActionResult =
  { ok: true; changed: boolean } | { ok: false; message?: string; fieldErrors: Partial<Record<"tierId" | "reason" | "until" | "idempotencyKey", string>> };

const day = (iso: string) => new Date(iso).toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" });

export function MemberTierCard({ tier, formKey, result, busy }: { tier: MemberTierView; formKey: string; result: TierActionResult | null; busy: boolean }) {
  const [tierId, setTierId] = useState(tier.tierId === null ? "none" : String(tier.tierId));
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const errors = result && !result.ok ? result.fieldErrors : {};
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          VIP tier
        </Text>
        <Text as="p" variant="headingLg">
          {tier.tierName}
        </Text>
        <Text as="p" tone="subdued">
          Qualifying total: {tier.total}
          {tier.reachedAt ? ` · since ${day(tier.reachedAt)}` : ""}
          {tier.keptUntil ? ` · kept until ${day(tier.keptUntil)}` : ""}
        </Text>
        {tier.manual && <Text as="p">Placed by staff{tier.manual.until ? ` until ${day(tier.manual.until)}` : " until changed"}.</Text>}
        {tier.paidUntil && <Text as="p">Paid membership until {day(tier.paidUntil)}.</Text>}
        {result?.ok && <Banner tone={result.changed ? "success" : "info"}>{result.changed ? "Tier changed." : "Already done; nothing changed."}</Banner>}
        {result && !result.ok && (result.message || errors.idempotencyKey) && <Banner tone="critical">{result.message ?? errors.idempotencyKey}</Banner>}
        <Form method="post">
          <BlockStack gap="200">
            <input type="hidden" name="intent" value="tier" />
            <input type="hidden" name="tierKey" value={formKey} />
            <Select
              label="Place in"
              name="tierId"
              options={[{ label: "No tier", value: "none" }, ...tier.tiers.map((t) => ({ label: t.name, value: String(t.id) }))]}
              value={tierId}
              onChange={setTierId}
              error={errors.tierId}
            />
            <TextField
              label="Reason for the tier change"
              name="tierReason"
              value={reason}
              onChange={setReason}
              error={errors.reason}
              autoComplete="off"
              helpText="Required; kept in the tier history."
            />
            <TextField
              label="Until (optional)"
              name="tierUntil"
              type="date"
              value={until}
              onChange={setUntil}
              error={errors.until}
              autoComplete="off"
              helpText="Empty: until staff change it. After the date the member falls back to what they qualify for."
            />
            <Button submit loading={busy} disabled={busy}>
              Change tier
            </Button>
          </BlockStack>
        </Form>
        {tier.history.length > 0 && (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={["When", "Change", "Why", "By"]}
            rows={tier.history.map((h) => [day(h.at), `${h.from} → ${h.to}`, h.note ? `${h.why}: ${h.note}` : h.why, h.by])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
