import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, EmptyState, InlineGrid, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useSettingsForm } from "../components/use-settings-form";
import { parseIdCursor } from "../domain/pagination";
import { MAX_TIER_ACCESS_RULES, tierAccessWho, type TierAccessFieldErrors, type TierAccessStatus } from "../domain/tier-access";
import { addTierAccess, listTierAccess, removeTierAccess } from "../models/tier-access.server";
import { readTierProgramConfig } from "../models/tiers.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

// Members-only products: the shop's rules (a product or collection, who may buy it, until when),
// an add form, and a plain statement of what the theme block can and cannot prevent.

const EMPTY_FORM = { targetType: "product", target: "", title: "", minRank: "0", until: "" };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const now = new Date();
  const program = await readTierProgramConfig(db, session.shop);
  return json({
    rules: await listTierAccess(db, session.shop, now),
    tierOptions: [
      { label: "Any member (signed in)", value: "0" },
      ...(program?.tiers ?? []).map((tier) => ({ label: tierAccessWho({ minRank: tier.rank }, program), value: String(tier.rank) })),
    ],
    tiersOn: Boolean(program?.enabled && program.tiers.length),
    form: EMPTY_FORM,
  });
};

type ActionData =
  | { intent: "add"; ok: true; replaced: boolean }
  | { intent: "add"; ok: false; fieldErrors: TierAccessFieldErrors; formError?: string }
  | { intent: "remove"; ok: true };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const data = await request.formData();
  const intent = String(data.get("intent") ?? "");
  if (intent === "add") {
    const form = Object.fromEntries([...data.entries()].map(([key, value]) => [key, String(value)]));
    const added = await addTierAccess(db, session.shop, form);
    if (added.ok) return json<ActionData>({ intent, ok: true, replaced: added.replaced });
    if (added.reason === "invalid_fields") return json<ActionData>({ intent, ok: false, fieldErrors: added.fieldErrors }, { status: 422 });
    const formError = `A shop keeps at most ${added.limit} members-only rules. Remove one, or put the products in a collection and add that.`;
    return json<ActionData>({ intent, ok: false, fieldErrors: {}, formError }, { status: 422 });
  }
  if (intent === "remove") {
    const id = parseIdCursor(String(data.get("id") ?? ""));
    if (id === undefined || !(await removeTierAccess(db, session.shop, id)).ok) throw new Response("No such members-only rule in this store.", { status: 404 });
    return json<ActionData>({ intent, ok: true });
  }
  return json({ error: `Unknown intent "${intent}".` }, { status: 400 });
};

const NOT_RUNNING: Record<Exclude<TierAccessStatus, "running">, { label: string; tone?: "warning" }> = {
  ended: { label: "Early access over: everyone can buy" },
  tier_missing: { label: "Not shown: that tier was removed", tone: "warning" },
  tiers_off: { label: "Not shown while tiers are off", tone: "warning" },
};

/** A "YYYY-MM-DD" as the page shows it ("10 Dec 2026"); the day is already the shop's, so it is formatted as UTC. */
const day = (key: string) => new Date(`${key}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export default function MembersOnlyPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const added = actionData?.intent === "add" ? actionData : undefined;
  const { field, saving } = useSettingsForm(loaded.form, added);
  const errors: TierAccessFieldErrors = added && !added.ok ? added.fieldErrors : {};
  const removingId = navigation.state !== "idle" && navigation.formData?.get("intent") === "remove" ? navigation.formData.get("id") : null;

  return (
    <Page title="Members-only products" subtitle="Products and collections only members, or only some VIP tiers, may buy." backAction={{ url: "/app/tiers" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Banner tone="info" title="What the theme block can and cannot prevent">
              <List>
                <List.Item>
                  Add the <b>Members only</b> block to your product template in the theme editor. On the product page it tells shoppers who may buy and how to
                  get there (sign in, join, or reach the tier), and hides the page&apos;s Add to cart and Buy it now buttons for everyone else.
                </List.Item>
                <List.Item>
                  It is not a lock. A determined shopper can still reach checkout: with a cart or checkout link, a quick-add button on a collection or search
                  page, another sales channel, or a theme whose buttons the block does not recognise. Shopify will sell them the product.
                </List.Item>
                <List.Item>
                  Member prices and free shipping are applied at checkout only for the buyer&apos;s own tier, so someone who gets through this way pays the full
                  price and gets no member perks.
                </List.Item>
                <List.Item>If an order from a non-member would be a problem, check such orders before you fulfil them.</List.Item>
              </List>
            </Banner>
            {actionData?.ok && (
              <Banner tone="success">
                <p>
                  {actionData.intent === "remove"
                    ? "Removed: everyone can buy it again once your storefront is updated."
                    : actionData.replaced
                      ? "Saved: it replaces the rule this product or collection had."
                      : "Saved. Your storefront shows it shortly."}
                </p>
              </Banner>
            )}
            {added && !added.ok && (
              <Banner tone="critical" title="Nothing was saved">
                <p>{added.formError ?? "Fix the fields marked below and try again."}</p>
              </Banner>
            )}
            {!loaded.tiersOn && loaded.tierOptions.length > 1 && (
              <Banner tone="warning">
                <p>Your VIP tiers are off, so rules for a tier are not shown on the storefront until you turn them on. Members-only rules still are.</p>
              </Banner>
            )}
            <Card>
              {loaded.rules.length === 0 ? (
                <EmptyState heading="Every product is open to everyone" image="">
                  <p>Add a product or a collection below to keep it for members.</p>
                </EmptyState>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["Product or collection", "Who may buy", "Until", ""]}
                  rows={loaded.rules.map((rule) => [
                    <BlockStack key="target" gap="100">
                      <Text as="span">{rule.targetTitle || rule.targetId}</Text>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {rule.targetType === "collection" ? "Collection" : "Product"} {rule.targetTitle ? rule.targetId : ""}
                      </Text>
                    </BlockStack>,
                    <BlockStack key="who" gap="100">
                      <Text as="span">{rule.who}</Text>
                      {rule.status !== "running" && <Badge tone={NOT_RUNNING[rule.status].tone}>{NOT_RUNNING[rule.status].label}</Badge>}
                    </BlockStack>,
                    rule.opensOn ? `Everyone from ${day(rule.opensOn)}` : "For good",
                    <Form key="remove" method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="id" value={rule.id} />
                      <Button
                        submit
                        variant="plain"
                        tone="critical"
                        loading={removingId === String(rule.id)}
                        accessibilityLabel={`Remove ${rule.targetTitle || rule.targetId}`}
                      >
                        Remove
                      </Button>
                    </Form>,
                  ])}
                />
              )}
            </Card>
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="add" />
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Add a product or collection
                  </Text>
                  <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                    <Select
                      label="What"
                      options={[
                        { label: "A product", value: "product" },
                        { label: "A collection (every product in it)", value: "collection" },
                      ]}
                      {...field("targetType")}
                      error={errors.targetType}
                    />
                    <TextField
                      label="ID"
                      helpText="The number at the end of its page's address in your admin, or gid://shopify/Product/… as Shopify shows it."
                      {...field("target")}
                      error={errors.target}
                    />
                    <TextField
                      label="Name in this list"
                      helpText="Optional, for you: shoppers never see it."
                      maxLength={255}
                      {...field("title")}
                      error={errors.title}
                    />
                    <Select label="Who may buy" options={loaded.tierOptions} {...field("minRank")} error={errors.minRank} />
                    <TextField
                      label="Early access until"
                      type="date"
                      helpText="Optional. From this day, in your shop's time zone, everyone can buy. Empty: members only until you remove it."
                      {...field("until")}
                      error={errors.until}
                    />
                  </InlineGrid>
                  <Text as="p" tone="subdued">
                    A product's own rule comes first while it runs; otherwise the strictest rule among its collections applies. One rule per product or
                    collection: adding it again replaces it. At most {MAX_TIER_ACCESS_RULES} rules.
                  </Text>
                  <div>
                    <Button submit variant="primary" loading={saving && navigation.formData?.get("intent") === "add"}>
                      Save rule
                    </Button>
                  </div>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
