import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { fromMinorUnits } from "../domain/money";
import { countUnresolvedDeadLetters } from "../models/dead-letters.server";
import { getProgram } from "../models/program.server";
import { programFigures } from "../models/stats.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const [program, figures, deadLetters] = await Promise.all([
    getProgram(db, session.shop),
    programFigures(db, session.shop, new Date()),
    countUnresolvedDeadLetters(db, session.shop),
  ]);
  return json({
    program: {
      enabled: program.settings.enabled,
      pointsPerCurrencyUnit: program.settings.pointsPerCurrencyUnit,
      earnTrigger: program.settings.earnTrigger,
      currencyCode: program.currencyCode,
      minimumOrder: fromMinorUnits(program.settings.minimumOrderMinor, program.currencyCode),
      hasMinimum: program.settings.minimumOrderMinor > 0,
    },
    figures,
    deadLetters,
  });
};

const points = (value: number) => value.toLocaleString("en-US");

export default function Home() {
  const { program, figures, deadLetters } = useLoaderData<typeof loader>();
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
                spent, when the order is {program.earnTrigger === "paid" ? "paid" : "fulfilled"}
                {program.hasMinimum ? `, on orders of ${program.minimumOrder} ${program.currencyCode} or more` : ""}.
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
      </Layout>
    </Page>
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
