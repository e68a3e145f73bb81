import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, EmptyState, IndexTable, Page, Pagination, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { parseIdCursor } from "../domain/pagination";
import { searchMembers } from "../models/members.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

const PAGE_SIZE = 25;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const query = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
  const page = await searchMembers(getRuntime().db, session.shop, {
    query,
    limit: PAGE_SIZE,
    afterId: parseIdCursor(url.searchParams.get("after")),
    beforeId: parseIdCursor(url.searchParams.get("before")),
  });
  return json({
    query,
    members: page.members.map((member) => ({
      id: member.id,
      name: [member.first_name, member.last_name].filter(Boolean).join(" ") || null,
      email: member.email,
      customerId: member.customer_id,
      balance: member.balance,
      redacted: Boolean(member.redacted_at),
    })),
    nextAfterId: page.nextAfterId,
    previousBeforeId: page.previousBeforeId,
  });
};

export default function Customers() {
  const { query, members, nextAfterId, previousBeforeId } = useLoaderData<typeof loader>();
  const [search, setSearch] = useState(query);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const pageUrl = (cursor: "after" | "before", id: number) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    next.set(cursor, String(id));
    return `?${next.toString()}`;
  };

  return (
    <Page title="Customers" backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <Card>
          <Form method="get">
            <TextField
              label="Search customers"
              labelHidden
              name="q"
              value={search}
              onChange={setSearch}
              placeholder="Search by email or name"
              autoComplete="off"
              clearButton
              onClearButtonClick={() => setSearch("")}
            />
          </Form>
        </Card>
        <Card padding="0">
          {members.length === 0 ? (
            <EmptyState heading={query ? `No customers match "${query}"` : "No members yet"} image="">
              <p>Customers join the program when they place an order that earns points.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "customer", plural: "customers" }}
              itemCount={members.length}
              selectable={false}
              headings={[{ title: "Customer" }, { title: "Email" }, { title: "Balance", alignment: "end" }]}
            >
              {members.map((member, index) => (
                <IndexTable.Row id={String(member.id)} key={member.id} position={index} onClick={() => navigate(`/app/customers/${member.id}`)}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">
                      {member.redacted ? "Redacted customer" : (member.name ?? `Customer ${member.customerId}`)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{member.email ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {member.balance.toLocaleString("en-US")}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        <Pagination
          hasPrevious={previousBeforeId !== null}
          onPrevious={() => previousBeforeId !== null && navigate(pageUrl("before", previousBeforeId))}
          hasNext={nextAfterId !== null}
          onNext={() => nextAfterId !== null && navigate(pageUrl("after", nextAfterId))}
        />
      </BlockStack>
    </Page>
  );
}
