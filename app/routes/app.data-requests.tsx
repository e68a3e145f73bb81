import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { listDataRequests } from "../models/compliance.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const requests = await listDataRequests(getRuntime().db, session.shop);
  return json({
    requests: requests.map((row) => ({
      id: row.id,
      customerId: row.customer_id,
      requestId: row.request_id,
      receivedAt: new Date(row.created_at).toISOString(),
    })),
  });
};

/**
 * The export is fetched rather than linked: inside the Shopify admin, App Bridge adds the
 * session token to fetch requests, which a plain download link would not carry.
 */
async function downloadExport(id: number, customerId: string) {
  const response = await fetch(`/app/data-requests/${id}/download`);
  if (!response.ok) throw new Error(`download failed with status ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `customer-${customerId}-data-request-${id}.json`;
  link.click();
  URL.revokeObjectURL(url);
}

export default function DataRequests() {
  const { requests } = useLoaderData<typeof loader>();
  const [downloading, setDownloading] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const download = async (id: number, customerId: string) => {
    setDownloading(id);
    setError(null);
    try {
      await downloadExport(id, customerId);
    } catch (failure) {
      setError(`The export could not be downloaded (${(failure as Error).message}). Try again.`);
    } finally {
      setDownloading(null);
    }
  };

  return (
    <Page title="Customer data requests" backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          When a customer asks a store for their data, Shopify tells the app. Everything the loyalty program holds about them is exported here for you to send
          on.
        </Text>
        {error && <Banner tone="critical">{error}</Banner>}
        <Card padding="0">
          {requests.length === 0 ? (
            <EmptyState heading="No data requests" image="">
              <p>Requests appear here when Shopify sends one for a customer of this store.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "data request", plural: "data requests" }}
              itemCount={requests.length}
              selectable={false}
              headings={[{ title: "Received" }, { title: "Customer" }, { title: "Request" }, { title: "Export" }]}
            >
              {requests.map((request, index) => (
                <IndexTable.Row id={String(request.id)} key={request.id} position={index}>
                  <IndexTable.Cell>{new Date(request.receivedAt).toUTCString()}</IndexTable.Cell>
                  <IndexTable.Cell>{request.customerId}</IndexTable.Cell>
                  <IndexTable.Cell>{request.requestId}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Button onClick={() => download(request.id, request.customerId)} loading={downloading === request.id}>
                      Download JSON
                    </Button>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
