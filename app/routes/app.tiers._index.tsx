import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useRef } from "react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useSettingsForm } from "../components/use-settings-form";
import { SHOPPER_LOCALES, SHOPPER_LOCALE_NAMES } from "../domain/earning-rule-form";
import { MAX_TIERS, retentionStatement, tierField, tierProgramToForm, validateTierForm, type TierFieldErrors } from "../domain/tier-form";
import type { TierPeriod, TierRetention } from "../domain/tiers";
import { previewTierProgram, readTierProgramConfig, saveTierProgram, tierCounts, tierRecomputeProgress, type TierPreview } from "../models/tiers.server";
import { getRuntime } from "../runtime.server";
import { checkTierReferences } from "../models/tier-references.server";
import { adminGraphqlFromRemix } from "../shopify/admin-api.server";
import { authenticate } from "../shopify.server";

// The Tiers page: what qualifies, over which window, how long a reached tier is kept, the tiers and
// their perks; a preview of a change on the shop's real members before it is saved, and the
// recompute's progress after.

/** The admin's required language for tier names (shoppers in other languages fall back to it). */
const PRIMARY_LOCALE = "en";

async function shopCurrency(shop: string) {
  const row = await getRuntime().db.query.selectFrom("shops").select(["currency_code"]).where("domain", "=", shop).executeTakeFirst();
  return row?.currency_code ?? "USD";
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const currencyCode = await shopCurrency(session.shop);
  const program = await readTierProgramConfig(db, session.shop);
  const counts = await tierCounts(db, session.shop);
  return json({
    currencyCode,
    saved: program !== null,
    form: tierProgramToForm(program, currencyCode),
    tiers: (program?.tiers ?? []).map((tier) => ({ id: tier.id, rank: tier.rank, name: tier.names[PRIMARY_LOCALE] ?? Object.values(tier.names)[0] ?? "" })),
    counts,
    progress: await tierRecomputeProgress(db, session.shop),
  });
};

type ActionData =
  | { ok: true; intent: "save" }
  | { ok: true; intent: "preview"; preview: TierPreview; names: Record<number, string> }
  | { ok: false; fieldErrors: TierFieldErrors; formError?: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const { db } = getRuntime();
  const data = await request.formData();
  const intent = String(data.get("intent") ?? "save");
  if (intent !== "save" && intent !== "preview") return json({ error: `Unknown intent "${intent}".` }, { status: 400 });
  const form = Object.fromEntries([...data.entries()].map(([key, value]) => [key, String(value)]));
  const result = validateTierForm(form, { currency: await shopCurrency(session.shop), primaryLocale: PRIMARY_LOCALE });
  if (!result.ok) return json<ActionData>({ ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
  const now = new Date().toISOString();
  if (intent === "preview") {
    const candidate = { ...result.program, tiers: result.program.tiers.map((tier, index) => ({ ...tier, id: -(index + 1) })) };
    const preview = await previewTierProgram(db, session.shop, candidate, now);
    const names = Object.fromEntries(result.program.tiers.map((tier) => [tier.rank, tier.names[PRIMARY_LOCALE] ?? ""]));
    return json<ActionData>({ ok: true, intent: "preview", preview, names });
  }
  const references = await checkTierReferences(adminGraphqlFromRemix(admin), result.program.tiers);
  if (!references.ok) {
    if (references.reason === "invalid_fields") return json<ActionData>({ ok: false, fieldErrors: references.fieldErrors }, { status: 422 });
    return json<ActionData>({ ok: false, fieldErrors: {}, formError: references.formError }, { status: 503 });
  }
  await saveTierProgram(db, session.shop, result.program, now);
  return json<ActionData>({ ok: true, intent: "save" });
};

const BASIS_OPTIONS = [
  { label: "Points earned (not points spent)", value: "points_earned" },
  { label: "Amount spent (merchandise, net of refunds)", value: "amount_spent" },
  { label: "Number of orders", value: "orders" },
];

export default function TiersPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { form, setForm, fieldErrors, saving, field } = useSettingsForm<Record<string, string>>(
    loaded.form,
    actionData as { ok: boolean; fieldErrors?: Record<string, string> } | undefined,
  );
  const errors = fieldErrors as TierFieldErrors;
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const send = (intent: "preview" | "save") => {
    if (!formRef.current) return;
    const data = new FormData(formRef.current);
    data.set("intent", intent);
    submit(data, { method: "post" });
  };
  const count = Number(form.tierCount) || 0;
  const check = (name: string, label: string, helpText?: string) => (
    <Checkbox
      label={label}
      helpText={helpText}
      name={name}
      checked={form[name] === "on"}
      onChange={(checked) => setForm({ ...form, [name]: checked ? "on" : "" })}
    />
  );
  const period: TierPeriod =
    form.periodKind === "rolling"
      ? { kind: "rolling", months: Number(form.periodMonths) || 12 }
      : form.periodKind === "calendar_year"
        ? { kind: "calendar_year" }
        : { kind: "lifetime" };
  const thresholdLabel =
    form.basis === "amount_spent" ? `Spend at least (${loaded.currencyCode})` : form.basis === "orders" ? "Orders at least" : "Points earned at least";
  const nameOfTier = (id: number | null) => (id === null ? "No tier" : (loaded.tiers.find((tier) => tier.id === id)?.name ?? "A removed tier"));
  const preview = actionData?.ok && actionData.intent === "preview" ? actionData : null;

  return (
    <Page
      title="VIP tiers"
      subtitle="Status members work towards: each tier earns faster and unlocks more."
      secondaryActions={[{ content: "Members-only products", url: "/app/tiers/access" }]}
    >
      <Form method="post" ref={formRef} onSubmit={(event) => (event.preventDefault(), send("save"))}>
        <input type="hidden" name="tierCount" value={String(count)} />
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {actionData?.ok && actionData.intent === "save" && (
                <Banner tone="success" title="Saved">
                  <p>Every member is being placed again by the new rules; the program keeps running meanwhile.</p>
                </Banner>
              )}
              {actionData && !actionData.ok && (
                <Banner tone="critical" title="Nothing was saved">
                  <p>{actionData.formError ?? errors.tiers ?? "Fix the fields marked below and try again."}</p>
                </Banner>
              )}
              {loaded.progress?.running && (
                <Card>
                  <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">
                      Placing members by the new rules
                    </Text>
                    <ProgressBar progress={loaded.progress.total ? Math.min(100, (100 * loaded.progress.done) / loaded.progress.total) : 0} />
                    <Text as="p" tone="subdued">
                      {loaded.progress.done.toLocaleString("en-US")} of {loaded.progress.total.toLocaleString("en-US")} members. Orders arriving meanwhile are
                      counted as usual.
                    </Text>
                  </BlockStack>
                </Card>
              )}
              <Card>
                <BlockStack gap="400">
                  {check("enabled", "Tiers are on", "Off: nobody moves between tiers and shoppers see none.")}
                  <Select label="What counts towards a tier" options={BASIS_OPTIONS} {...field("basis")} error={errors.basis} />
                  <InlineGrid columns={2} gap="400">
                    <Select
                      label="Counted over"
                      options={[
                        { label: "Lifetime", value: "lifetime" },
                        { label: "Calendar year", value: "calendar_year" },
                        { label: "Rolling months", value: "rolling" },
                      ]}
                      {...field("periodKind")}
                      error={errors.periodKind}
                    />
                    {form.periodKind === "rolling" && (
                      <TextField label="Months" type="number" min={1} max={36} {...field("periodMonths")} error={errors.periodMonths} />
                    )}
                  </InlineGrid>
                  <Select
                    label="A reached tier is kept"
                    options={[
                      { label: "For the rest of its period and the whole next one", value: "period_and_next" },
                      { label: "Only while the total still qualifies", value: "rolling" },
                    ]}
                    {...field("retention")}
                    error={errors.retention}
                    helpText={retentionStatement(period, (form.retention as TierRetention) || "period_and_next")}
                  />
                  {form.basis === "points_earned" &&
                    check(
                      "adjustmentsCount",
                      "Staff adjustments count towards points earned",
                      "Off: points staff add or remove by hand never move a member's tier.",
                    )}
                  <TextField
                    label="Customer tag prefix"
                    helpText='Optional. "VIP: " keeps one tag like "VIP: Gold" on each member, for Shopify segments and Klaviyo flows.'
                    {...field("tagPrefix")}
                    error={errors.tagPrefix}
                  />
                  <Text as="p" tone="subdued">
                    Upgrades happen as soon as an order, refund or award reaches a threshold. Refunds and cancellations count against the total. Only the daily
                    evaluation moves a member down. A tier&apos;s multiplier and a campaign&apos;s add their extras: a 1.5x member in a 2x campaign earns 2.5x.
                  </Text>
                </BlockStack>
              </Card>
              {Array.from({ length: count }, (_, index) => {
                const f = (name: Parameters<typeof tierField>[1]) => {
                  const key = tierField(index, name);
                  return { ...field(key), value: form[key] ?? "", error: errors[key] };
                };
                return (
                  <Card key={index}>
                    <BlockStack gap="400">
                      <Text as="h2" variant="headingMd">
                        Tier {index + 1}
                        {form[tierField(index, "name_en")] ? `: ${form[tierField(index, "name_en")]}` : ""}
                      </Text>
                      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
                        {SHOPPER_LOCALES.map((locale) => (
                          <TextField key={locale} label={`Name (${SHOPPER_LOCALE_NAMES[locale]})`} maxLength={40} {...f(`name_${locale}`)} />
                        ))}
                      </InlineGrid>
                      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
                        <TextField label={thresholdLabel} {...f("threshold")} />
                        <TextField label="Points multiplier on purchases" helpText="1 to 10, such as 1.5" {...f("multiplier")} />
                        <TextField label="Entry bonus points" helpText="Once per member per period" type="number" min={0} {...f("entryBonusPoints")} />
                        <TextField
                          label="Birthday points"
                          helpText="Paid in place of the birthday way to earn's points, which must be on. Empty: the same as everyone."
                          type="number"
                          min={0}
                          {...f("birthdayPoints")}
                        />
                        <TextField label="Member price (% off)" type="number" min={0} max={90} {...f("memberPricePercent")} />
                        <TextField label="Member price collections" helpText="Collection IDs; empty: every product" {...f("memberPriceCollections")} />
                      </InlineGrid>
                      {check(
                        tierField(index, "freeShipping"),
                        "Free shipping on every order",
                        "Applied at checkout with member prices by the automatic discount “VIP tier perks” (Shopify admin › Discounts), made when a tier first has one of them; nobody types a code.",
                      )}
                      <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                        <TextField
                          label="Paid membership product or variant"
                          helpText="gid://shopify/Product/… or …/ProductVariant/…; optional. Buying it holds this tier for the days below per unit; a refund ends it."
                          {...f("paidProduct")}
                        />
                        <TextField label="Membership lasts (days)" type="number" min={1} {...f("paidDurationDays")} />
                      </InlineGrid>
                    </BlockStack>
                  </Card>
                );
              })}
              <InlineStack gap="300">
                <Button disabled={count >= MAX_TIERS} onClick={() => setForm({ ...form, tierCount: String(count + 1) })}>
                  Add a tier
                </Button>
                <Button disabled={count <= 1} tone="critical" onClick={() => setForm({ ...form, tierCount: String(count - 1) })}>
                  Remove the top tier
                </Button>
              </InlineStack>
              {preview && (
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      What saving would do
                    </Text>
                    <Text as="p">
                      Of {preview.preview.members.toLocaleString("en-US")} members, {preview.preview.up.toLocaleString("en-US")} move up,{" "}
                      {preview.preview.down.toLocaleString("en-US")} move down and {preview.preview.same.toLocaleString("en-US")} stay.
                    </Text>
                    <DataTable
                      columnContentTypes={["text", "numeric", "numeric"]}
                      headings={["Tier", "Members now", "After saving"]}
                      rows={preview.preview.perRank.map((row) => [
                        row.rank === 0 ? "No tier" : (preview.names[row.rank] ?? `Tier ${row.rank}`),
                        row.before.toLocaleString("en-US"),
                        row.after.toLocaleString("en-US"),
                      ])}
                    />
                    {preview.preview.examples.length > 0 && (
                      <DataTable
                        columnContentTypes={["text", "numeric", "text", "text"]}
                        headings={["Member", "Qualifying total", "From", "To"]}
                        rows={preview.preview.examples.map((example) => [
                          example.name,
                          example.total.toLocaleString("en-US"),
                          example.fromRank === 0 ? "No tier" : (preview.names[example.fromRank] ?? `Tier ${example.fromRank}`),
                          example.toRank === 0 ? "No tier" : (preview.names[example.toRank] ?? `Tier ${example.toRank}`),
                        ])}
                      />
                    )}
                  </BlockStack>
                </Card>
              )}
              <InlineStack gap="300">
                <Button onClick={() => send("preview")} loading={saving}>
                  Preview on real members
                </Button>
                <Button submit variant="primary" loading={saving}>
                  Save
                </Button>
              </InlineStack>
            </BlockStack>
          </Layout.Section>
          {loaded.saved && (
            <Layout.Section variant="oneThird">
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Members per tier
                  </Text>
                  <DataTable
                    columnContentTypes={["text", "numeric"]}
                    headings={["Tier", "Members"]}
                    rows={loaded.counts.map((row) => [nameOfTier(row.tierId), row.members.toLocaleString("en-US")])}
                  />
                </BlockStack>
              </Card>
            </Layout.Section>
          )}
        </Layout>
      </Form>
    </Page>
  );
}
