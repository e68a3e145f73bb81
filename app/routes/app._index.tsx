import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineGrid, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { fromMinorUnits } from "../domain/money";
import { countUnresolvedDeadLetters } from "../models/dead-letters.server";
import { getProgram } from "../models/program.server";
import { readShopEarning } from "../models/earning-rules.server";
import { programFigures } from "../models/stats.server";
import { loadExpiryPolicy, pointsExpiringWithin } from "../models/expiry.server";
import { tierContext, tierCounts } from "../models/tiers.server";
import { getReferralProgram, referralFigures } from "../models/referrals.server";
import { tierName } from "../domain/tiers";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const now = new Date();
  const [program, figures, deadLetters, earning, tiers, counts, expiringSoon, referralProgram, referrals] = await Promise.all([
    getProgram(db, session.shop),
    programFigures(db, session.shop, now),
    countUnresolvedDeadLetters(db, session.shop),
    readShopEarning(db, session.shop, now),
    tierContext(db, session.shop),
    tierCounts(db, session.shop),
    pointsExpiringWithin(db, session.shop, 30, now),
    getReferralProgram(db, session.shop),
    referralFigures(db, session.shop, now),
  ]);
  const live = earning.rules.filter((rule) => rule.status === "live");
  const purchase = live.filter((rule) => rule.kind === "purchase");
  return json({
    program: {
      enabled: program.settings.enabled,
      pointsPerCurrencyUnit: purchase.reduce((sum, rule) => sum + (rule.pointsPerCurrencyUnit ?? 0), 0),
      pointsPerOrder: purchase.reduce((sum, rule) => sum + (rule.pointsPerCurrencyUnit === null ? rule.points : 0), 0),
      otherWays: live.length - purchase.length,
      runningCampaigns: earning.campaigns.filter((c) => c.status === "live" && Date.parse(c.startsAt) <= now.getTime() && now.getTime() < Date.parse(c.endsAt))
        .length,
      earnTrigger: program.settings.earnTrigger,
      currencyCode: program.currencyCode,
      minimumOrder: fromMinorUnits(program.settings.minimumOrderMinor, program.currencyCode),
      hasMinimum: program.settings.minimumOrderMinor > 0,
    },
    figures,
    deadLetters,
    // What referrals brought (null: the program is off and never brought anything).
    referrals: referralProgram.enabled || referrals.referredOrders > 0 || referrals.pendingReview > 0 ? referrals : null,
    // Points due to expire in the next 30 days (null: the shop's points do not expire).
    expiringSoon: (await loadExpiryPolicy(db, session.shop)).kind === "off" ? null : expiringSoon,
    // Members per tier, lowest first, when the shop runs tiers.
    tiers: tiers.program
      ? [
          { name: "No tier", members: counts.find((row) => row.tierId === null)?.members ?? 0 },
          ...tiers.program.tiers.map((tier) => ({ name: tierName(tier, "en"), members: counts.find((row) => row.tierId === tier.id)?.members ?? 0 })),
        ]
      : null,
  });
};

const points = (value: number) => value.toLocaleString("en-US");

export default function Home() {
  const { program, figures, deadLetters, tiers, expiringSoon, referrals } = useLoaderData<typeof loader>();
  return (
    <Page title="Loyalty & Rewards">
      <Layout>
        {deadLetters > 0 && (
          <Layout.Section>
            <Banner
              tone="warning"
              title={`${points(deadLetters)} ${deadLetters === 1 ? "event" : "events"} from Shopify could not be applied`}
              action={{ content: "Review and replay", url: "/app/dead-letters" }}
            >
              <p>Points for these orders or customers are not recorded until the cause is fixed and the event replayed.</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Points program
                </Text>
                {program.enabled ? <Badge tone="success">On</Badge> : <Badge tone="critical">Off</Badge>}
              </InlineStack>
              <Text as="p">
                Customers earn {points(program.pointsPerCurrencyUnit)} {program.pointsPerCurrencyUnit === 1 ? "point" : "points"} per 1 {program.currencyCode}{" "}
                spent
                {program.pointsPerOrder > 0 ? ` and ${points(program.pointsPerOrder)} ${program.pointsPerOrder === 1 ? "point" : "points"} per order` : ""},
                when the order is {program.earnTrigger === "paid" ? "paid" : "fulfilled"}
                {program.hasMinimum ? `, on orders of ${program.minimumOrder} ${program.currencyCode} or more` : ""}.
              </Text>
              <Text as="p" tone="subdued">
                {program.otherWays === 1 ? "1 more way to earn" : `${points(program.otherWays)} more ways to earn`} is live
                {program.runningCampaigns > 0
                  ? `; ${points(program.runningCampaigns)} bonus ${program.runningCampaigns === 1 ? "campaign is" : "campaigns are"} running`
                  : ""}
                . <Link url="/app/ways-to-earn">See ways to earn</Link>
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Figure label="Members" value={points(figures.members)} />
            <Figure label="Points outstanding" value={points(figures.pointsOutstanding)} />
            <Figure label="Points earned this month" value={points(figures.pointsEarnedThisMonth)} />
          </InlineGrid>
        </Layout.Section>
        {expiringSoon && (
          <Layout.Section>
            <Card>
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Points expiring in the next 30 days
                </Text>
                <Text as="p" variant="headingLg">
                  {expiringSoon.exact ? "" : "Up to "}
                  {points(expiringSoon.points)}
                </Text>
                <Text as="p" tone="subdued">
                  Held by {points(expiringSoon.members)} {expiringSoon.members === 1 ? "member" : "members"}. <Link url="/app/expiry">See points expiry</Link>
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        {referrals && (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Referrals
                </Text>
                <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                  <ReferralFigure label="Referred orders" value={points(referrals.referredOrders)} />
                  <ReferralFigure
                    label="Referred revenue"
                    value={`${fromMinorUnits(referrals.referredRevenueMinor, program.currencyCode)} ${program.currencyCode}`}
                  />
                  <ReferralFigure label="Rewards cost (points)" value={points(referrals.rewardCostPoints)} />
                  <ReferralFigure label="Waiting for review" value={points(referrals.pendingReview)} />
                </InlineGrid>
                <Link url={referrals.pendingReview > 0 ? "/app/referrals?status=review" : "/app/referrals"}>See referrals</Link>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        {tiers && (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Members per VIP tier
                </Text>
                <InlineGrid columns={{ xs: 2, md: Math.min(6, tiers.length) as 2 | 3 | 4 | 5 | 6 }} gap="400">
                  {tiers.map((tier) => (
                    <BlockStack key={tier.name} gap="100">
                      <Text as="p" tone="subdued">
                        {tier.name}
                      </Text>
                      <Text as="p" variant="headingLg">
                        {points(tier.members)}
                      </Text>
                    </BlockStack>
                  ))}
                </InlineGrid>
                <Link url="/app/tiers">See VIP tiers</Link>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

function ReferralFigure({ label, value }: { label: string; value: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value}
      </Text>
    </BlockStack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}
