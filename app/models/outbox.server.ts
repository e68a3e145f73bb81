import { prepare } from "../db/prepared";
import type { Db } from "../db/types";
import type { MessageKind } from "../domain/member-messages";

// The outbox (issue 14): every member message, rendered when it is queued, sent by any instance's
// worker. The occasion key is unique per shop, so queueing the same (member, kind, occasion) again
// keeps the one row: a retried webhook, a re-run job or a second instance sends nothing twice.

export interface QueuedMessage {
  shop: string;
  memberId: number;
  kind: MessageKind;
  /** occasionKey(memberId, occasion) from app/domain/member-messages.ts. */
  occasionKey: string;
  toEmail: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
}

const insertMessage = prepare(
  (
    q,
    p: {
      shop: string;
      memberId: number;
      kind: string;
      occasionKey: string;
      toEmail: string;
      locale: string;
      subject: string;
      html: string;
      text: string;
      now: string;
    },
  ) =>
    q
      .insertInto("outbox_messages")
      .values({
        shop: p.shop,
        member_id: p.memberId,
        kind: p.kind,
        occasion_key: p.occasionKey,
        to_email: p.toEmail,
        locale: p.locale,
        subject: p.subject,
        html: p.html,
        text: p.text,
        next_attempt_at: p.now,
        created_at: p.now,
      })
      .onConflict((conflict) => conflict.columns(["shop", "occasion_key"]).doNothing()),
);

/** Queues a message in the caller's transaction; { queued: false } when its occasion already has one. */
export async function queueMessage(db: Db, message: QueuedMessage, now: Date = new Date()): Promise<{ queued: boolean }> {
  const changes = await insertMessage.run(db, { ...message, now: now.toISOString() });
  return { queued: changes === 1 };
}
