import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, ChoiceList, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { newOrRecordId, notFoundResponse } from "../components/record-param";
import { useSettingsForm } from "../components/use-settings-form";
import {
  MAX_CODE_LIFETIME_DAYS,
  MAX_POINTS_COST,
  MAX_REWARD_NAME_LENGTH,
  REWARD_KINDS,
  newRewardForm,
  rewardKindLabel,
  rewardToForm,
  type RewardSettingsFieldErrors,
  type RewardSettingsForm,
} from "../domain/reward-settings";
import { createReward, getReward, setRewardEnabled, shopCurrency, updateReward } from "../models/rewards.server";
import { getRuntime } from "../runtime.server";
import { readTierProgramConfig } from "../models/tiers.server";
import { tierName } from "../domain/tiers";
import { authenticate } from "../shopify.server";

const notFound = () => notFoundResponse("reward");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const id = newOrRecordId(params.id, "reward");
  const currencyCode = await shopCurrency(db, session.shop);
  // The shop's VIP tiers, for a reward only some tiers can see and redeem.
  const tiers = (await readTierProgramConfig(db, session.shop))?.tiers.map((tier) => ({ id: tier.id, name: tierName(tier, "en") })) ?? [];
  if (id === "new") return json({ id: null, currencyCode, tiers, form: newRewardForm() });
  const reward = await getReward(db, session.shop, id);
  if (!reward) throw notFound();
  return json({ id: reward.id, currencyCode, tiers, form: rewardToForm(reward, currencyCode) });
};

type ActionData = { ok: true; enabled?: boolean } | { ok: false; fieldErrors: RewardSettingsFieldErrors };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const id = newOrRecordId(params.id, "reward");
  const data = await request.formData();
  const now = new Date().toISOString();
  const intent = String(data.get("intent") ?? "save");

  // Rewards are turned off, never deleted: redemptions refer to them.
  if (intent === "turn_off" || intent === "turn_on") {
    if (id === "new" || !(await setRewardEnabled(db, session.shop, id, intent === "turn_on", now))) throw notFound();
    return json<ActionData>({ ok: true, enabled: intent === "turn_on" });
  }
  if (intent !== "save") return json({ error: `Unknown intent "${intent}".` }, { status: 400 });

  const text = (name: string) => String(data.get(name) ?? "");
  const checked = (name: string) => data.get(name) === "on";
  const form: RewardSettingsForm = {
    name: text("name"),
    kind: text("kind"),
    pointsCost: text("pointsCost"),
    amount: text("amount"),
    percentOff: text("percentOff"),
    maxDiscountAmount: text("maxDiscountAmount"),
    productVariantId: text("productVariantId"),
    stepAmount: text("stepAmount"),
    minAmount: text("minAmount"),
    maxAmount: text("maxAmount"),
    minimumSubtotal: text("minimumSubtotal"),
    codeLifetimeDays: text("codeLifetimeDays"),
    combinesWithOrderDiscounts: checked("combinesWithOrderDiscounts"),
    combinesWithProductDiscounts: checked("combinesWithProductDiscounts"),
    combinesWithShippingDiscounts: checked("combinesWithShippingDiscounts"),
    enabled: checked("enabled"),
    tierIds: text("tierIds"),
  };

  if (id === "new") {
    const result = await createReward(db, session.shop, form, now);
    if (!result.ok) return json<ActionData>({ ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
    return redirect(`/app/rewards/${result.reward.id}`);
  }
  const result = await updateReward(db, session.shop, id, form, now);
  if (!result) throw notFound();
  if (!result.ok) return json<ActionData>({ ok: false, fieldErrors: result.fieldErrors }, { status: 422 });
  return json<ActionData>({ ok: true });
};

export default function RewardPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const submit = useSubmit();
  const { form, setForm, fieldErrors, saving, field } = useSettingsForm<RewardSettingsForm>(loaded.form, actionData);
  const currency = loaded.currencyCode;
  const checkbox = (name: keyof RewardSettingsForm, label: string) => (
    <Checkbox
      label={label}
      name={name}
      checked={Boolean(form[name])}
      onChange={(value) => setForm((current) => ({ ...current, [name]: value }))}
      error={fieldErrors[name]}
    />
  );
  const amountField = (name: keyof RewardSettingsForm, label: string, helpText?: string) => (
    <TextField label={label} suffix={currency} inputMode="decimal" helpText={helpText} {...field(name)} />
  );
  const kind = form.kind;
  const turn = (intent: "turn_on" | "turn_off") => submit({ intent }, { method: "post" });

  return (
    <Page
      title={loaded.id === null ? "Add reward" : loaded.form.name}
      backAction={{ url: "/app/rewards" }}
      secondaryActions={
        loaded.id === null
          ? []
          : loaded.form.enabled
            ? [{ content: "Turn off", destructive: true, onAction: () => turn("turn_off") }]
            : [{ content: "Turn on", onAction: () => turn("turn_on") }]
      }
    >
      <Form method="post">
        <input type="hidden" name="intent" value="save" />
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {actionData?.ok && <Banner tone="success" title="Reward saved" />}
              {actionData && !actionData.ok && (
                <Banner tone="critical" title="The reward was not saved">
                  <p>Fix the fields marked below and save again.</p>
                </Banner>
              )}
              <Card>
                <BlockStack gap="400">
                  <TextField label="Name" maxLength={MAX_REWARD_NAME_LENGTH} showCharacterCount helpText="Shoppers see this name." {...field("name")} />
                  <Select label="Reward" options={REWARD_KINDS.map((value) => ({ label: rewardKindLabel(value), value }))} {...field("kind")} />
                  <TextField
                    label={kind === "variable" ? "Points per step" : "Points cost"}
                    type="number"
                    min={1}
                    max={MAX_POINTS_COST}
                    step={1}
                    helpText={`A whole number from 1 to ${MAX_POINTS_COST.toLocaleString("en-US")}.`}
                    {...field("pointsCost")}
                  />
                  {(kind === "fixed_amount" || kind === "store_credit") &&
                    amountField("amount", kind === "store_credit" ? "Store credit given" : "Amount off the order")}
                  {kind === "percentage" && (
                    <>
                      <TextField label="Percent off" type="number" min={1} max={100} step={1} suffix="%" {...field("percentOff")} />
                      {amountField(
                        "maxDiscountAmount",
                        "Largest discount",
                        "Optional: the most one code takes off an order. Leave blank for no cap. Capped codes are applied by this app's discount function.",
                      )}
                    </>
                  )}
                  {kind === "free_product" && (
                    <TextField
                      label="Product variant"
                      helpText="The variant's id: 123456789 or gid://shopify/ProductVariant/123456789. One unit is free, at its price when the shopper redeems."
                      {...field("productVariantId")}
                    />
                  )}
                  {kind === "variable" && (
                    <>
                      {amountField("stepAmount", "One step is worth", `For example 1.00: each step of points buys this much.`)}
                      {amountField("minAmount", "Smallest amount", "A whole number of steps.")}
                      {amountField("maxAmount", "Largest amount", "A whole number of steps, at least the smallest amount.")}
                    </>
                  )}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Discount code
                  </Text>
                  {amountField("minimumSubtotal", "Minimum order subtotal", "Optional: leave blank for no minimum.")}
                  <TextField
                    label="Code valid for"
                    type="number"
                    min={1}
                    max={MAX_CODE_LIFETIME_DAYS}
                    step={1}
                    suffix="days"
                    helpText={`From 1 to ${MAX_CODE_LIFETIME_DAYS} days. Unused codes then expire and the points are returned.`}
                    {...field("codeLifetimeDays")}
                  />
                  {checkbox("combinesWithOrderDiscounts", "Combines with order discounts")}
                  {checkbox("combinesWithProductDiscounts", "Combines with product discounts")}
                  {checkbox("combinesWithShippingDiscounts", "Combines with shipping discounts")}
                  {checkbox("enabled", "Customers can redeem this reward")}
                </BlockStack>
              </Card>
              {(loaded.tiers.length > 0 || form.tierIds) && (
                <Card>
                  <BlockStack gap="200">
                    <input type="hidden" name="tierIds" value={form.tierIds ?? ""} />
                    <ChoiceList
                      title="Who can redeem"
                      allowMultiple
                      choices={loaded.tiers.map((tier) => ({ label: `${tier.name} members`, value: String(tier.id) }))}
                      selected={(form.tierIds ?? "").split(",").filter(Boolean)}
                      onChange={(selected) => setForm((current) => ({ ...current, tierIds: selected.join(",") }))}
                      error={fieldErrors.tierIds}
                    />
                    <Text as="p" tone="subdued">
                      None ticked: every member. Ticked: only members of those tiers see it in the storefront, checkout and account, and only they can redeem
                      it.
                    </Text>
                  </BlockStack>
                </Card>
              )}
              <Button submit variant="primary" loading={saving}>
                {loaded.id === null ? "Add reward" : "Save"}
              </Button>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
