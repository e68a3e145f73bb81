import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, InlineStack, Page, Text } from "@shopify/polaris";
import { parseIdCursor } from "../domain/pagination";
import { dismissDeadLetter, listDeadLetters, replayDeadLetter } from "../models/dead-letters.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { PERMANENT_FAILURE_EXPLANATIONS } from "../webhooks/permanent-failures.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const letters = await listDeadLetters(getRuntime().db, session.shop);
  return json({
    deadLetters: letters.map((letter) => ({
      ...letter,
      explanation: PERMANENT_FAILURE_EXPLANATIONS[letter.reason] ?? letter.reason,
    })),
  });
};

type ActionData = { ok: boolean; id: number; message: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const data = await request.formData();
  const id = parseIdCursor(String(data.get("id") ?? ""));
  const notFound = () => new Response("No such unresolved delivery in this store.", { status: 404 });
  if (id === undefined) throw notFound();
  const { db, webhooks } = getRuntime();
  const now = new Date().toISOString();
  if (data.get("intent") === "dismiss") {
    const dismissed = await dismissDeadLetter(db, session.shop, id, now);
    if (!dismissed.ok) throw notFound();
    return json<ActionData>({ ok: true, id, message: "Dismissed: it will not be applied." });
  }
  const replayed = await replayDeadLetter(db, webhooks.apply, session.shop, id, now);
  if (replayed.ok) {
    const message = replayed.outcome === "applied" ? "Replayed: the event is applied." : "It had already been applied; marked replayed.";
    return json<ActionData>({ ok: true, id, message });
  }
  switch (replayed.reason) {
    case "not_found":
      throw notFound();
    case "still_failing":
      return json<ActionData>(
        { ok: false, id, message: `It still cannot be applied: ${PERMANENT_FAILURE_EXPLANATIONS[replayed.failure.reason]}` },
        { status: 422 },
      );
    case "not_applied_now":
      return json<ActionData>({ ok: false, id, message: "The app could not apply it just now. Try again in a minute." }, { status: 503 });
  }
};

const when = (iso: string) => new Date(iso).toUTCString();

export default function DeadLetters() {
  const { deadLetters } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyId = navigation.state !== "idle" ? navigation.formData?.get("id") : null;

  return (
    <Page title="Events that could not be applied" backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          Shopify sends the app an event for every order, refund and customer change. An event that can never be applied as it is (it would fail the same way
          however often Shopify sent it) is kept here with the reason, instead of being retried for hours. Fix the cause, then replay it; or dismiss it.
        </Text>
        {result && <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>}
        {deadLetters.length === 0 ? (
          <Card>
            <EmptyState heading="Every event was applied" image="">
              <p>Events that cannot be applied would appear here.</p>
            </EmptyState>
          </Card>
        ) : (
          deadLetters.map((letter) => (
            <Card key={letter.id}>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center" gap="200">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingSm">
                      {letter.topic}
                    </Text>
                    {letter.resolution === null ? (
                      <Badge tone="critical">Not applied</Badge>
                    ) : letter.resolution === "replayed" ? (
                      <Badge tone="success">Replayed</Badge>
                    ) : (
                      <Badge>Dismissed</Badge>
                    )}
                  </InlineStack>
                  {letter.resolution === null && (
                    <InlineStack gap="200">
                      <Form method="post">
                        <input type="hidden" name="intent" value="replay" />
                        <input type="hidden" name="id" value={letter.id} />
                        <Button submit variant="primary" loading={busyId === String(letter.id)}>
                          Replay
                        </Button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="intent" value="dismiss" />
                        <input type="hidden" name="id" value={letter.id} />
                        <Button submit variant="plain" tone="critical">
                          Dismiss
                        </Button>
                      </Form>
                    </InlineStack>
                  )}
                </InlineStack>
                <Text as="p">{letter.explanation}</Text>
                <Text as="p" tone="subdued">
                  {[
                    `Received ${when(letter.receivedAt)}`,
                    `${letter.attempts} ${letter.attempts === 1 ? "attempt" : "attempts"}, last ${when(letter.lastAttemptAt)}`,
                    letter.resolvedAt ? `${letter.resolution} ${when(letter.resolvedAt)}` : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
                <Text as="p" tone="subdued">
                  Details: {letter.message}
                </Text>
                <Box background="bg-surface-secondary" padding="200" borderRadius="100">
                  <Text as="p" variant="bodySm" breakWord>
                    <code>{letter.payloadExcerpt}</code>
                  </Text>
                </Box>
              </BlockStack>
            </Card>
          ))
        )}
      </BlockStack>
    </Page>
  );
}
