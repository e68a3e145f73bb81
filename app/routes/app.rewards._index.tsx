import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { describeRewardValue, rewardKindLabel } from "../domain/reward-settings";
import { listRewards, shopCurrency } from "../models/rewards.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { db } = getRuntime();
  const [rewards, currency] = await Promise.all([listRewards(db, session.shop), shopCurrency(db, session.shop)]);
  return json({
    rewards: rewards.map((reward) => ({
      id: reward.id,
      name: reward.name,
      kind: reward.kind,
      kindLabel: rewardKindLabel(reward.kind),
      pointsCost: reward.pointsCost,
      value: describeRewardValue(reward, currency),
      enabled: reward.enabled,
    })),
  });
};

export default function Rewards() {
  const { rewards } = useLoaderData<typeof loader>();
  const navigate = useNavigate();

  return (
    <Page title="Rewards" backAction={{ url: "/app" }} primaryAction={{ content: "Add reward", url: "/app/rewards/new" }}>
      <Card padding="0">
        {rewards.length === 0 ? (
          <EmptyState heading="No rewards yet" action={{ content: "Add reward", url: "/app/rewards/new" }} image="">
            <p>Rewards are what customers spend their points on.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "reward", plural: "rewards" }}
            itemCount={rewards.length}
            selectable={false}
            headings={[{ title: "Reward" }, { title: "Kind" }, { title: "Points", alignment: "end" }, { title: "Value" }, { title: "Status" }]}
          >
            {rewards.map((reward, index) => (
              <IndexTable.Row id={String(reward.id)} key={reward.id} position={index} onClick={() => navigate(`/app/rewards/${reward.id}`)}>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {reward.name}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{reward.kindLabel}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {reward.pointsCost.toLocaleString("en-US")}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{reward.value}</IndexTable.Cell>
                <IndexTable.Cell>{reward.enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
