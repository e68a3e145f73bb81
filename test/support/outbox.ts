import { typedDatabase } from "../../app/db/connection.server";
import { openPostgres } from "../../app/db/postgres.server";
import { openSqlite } from "../../app/db/sqlite.server";
import type { Database } from "../../app/db/types";
import { occasionKey, type MessageKind } from "../../app/domain/member-messages";
import { queueMessage } from "../../app/models/outbox.server";
import { testDialect, type TestDatabase } from "./database";
import { createMember } from "./members";

/** Another connection to the same database (its own SQLite connection, or its own PostgreSQL pool), as a second app instance has. */
export function secondConnection(database: Pick<TestDatabase, "url">): Database {
  return testDialect === "postgres" ? typedDatabase(openPostgres(database.url, 10)) : typedDatabase(openSqlite(database.url.replace(/^file:/, "")));
}

/** A member with an address and email marketing consent (so every kind may go to them). */
export async function subscribedMember(db: Database, shop: string, email: string) {
  const member = await createMember(db, shop, { email });
  await db.raw.run(`UPDATE "members" SET "marketing_state" = 'SUBSCRIBED', "locale" = 'en' WHERE "id" = ?`, [member.id]);
  return member;
}

/** A rendered message in the outbox, as the composer queues it. */
export async function queueTestMessage(
  db: Database,
  shop: string,
  member: { id: number },
  { email, kind = "points_earned", day = "2026-12-03", subject = "You earned points" }: { email: string; kind?: MessageKind; day?: string; subject?: string },
) {
  const key = occasionKey(member.id, kind === "points_earned" ? { kind, localDate: day } : ({ kind } as never));
  await queueMessage(db, {
    shop,
    memberId: member.id,
    kind,
    occasionKey: key,
    toEmail: email,
    locale: "en",
    subject,
    html: `<p>${subject}</p>`,
    text: subject,
  });
  return key;
}

export const outboxRows = (db: Database, shop: string) =>
  db.raw.all<{
    id: number;
    member_id: number;
    status: string;
    attempts: number;
    message_id: string | null;
    sent_at: string | null;
    last_error: string | null;
    next_attempt_at: string;
  }>(
    `SELECT "id", "member_id", "status", "attempts", "message_id", "sent_at", "last_error", "next_attempt_at" FROM "outbox_messages" WHERE "shop" = ? ORDER BY "id"`,
    [shop],
  );
