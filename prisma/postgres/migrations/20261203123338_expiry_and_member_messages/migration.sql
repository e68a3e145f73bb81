-- AlterTable
ALTER TABLE "shops" ADD COLUMN     "account_messages_follow_consent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "expiry_months" INTEGER NOT NULL DEFAULT 12,
ADD COLUMN     "expiry_policy" TEXT NOT NULL DEFAULT 'off',
ADD COLUMN     "expiry_reminder_days" TEXT NOT NULL DEFAULT '[30,7]',
ADD COLUMN     "sender_email" TEXT,
ADD COLUMN     "smtp_url_sealed" TEXT;

-- AlterTable
ALTER TABLE "members" ADD COLUMN     "last_activity_at" TIMESTAMP(3),
ADD COLUMN     "last_order_at" TIMESTAMP(3),
ADD COLUMN     "locale" TEXT,
ADD COLUMN     "marketing_state" TEXT,
ADD COLUMN     "oldest_lot_at" TIMESTAMP(3),
ADD COLUMN     "unsubscribed_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "message_settings" (
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "options" TEXT NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "message_settings_pkey" PRIMARY KEY ("shop","kind")
);

-- CreateTable
CREATE TABLE "message_templates" (
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "message_templates_pkey" PRIMARY KEY ("shop","kind","locale")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "occasion_key" TEXT NOT NULL,
    "to_email" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL,
    "locked_until" TIMESTAMP(3),
    "locked_by" TEXT,
    "last_error" TEXT,
    "message_id" TEXT,
    "sent_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flow_trigger_uses" (
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "flow_trigger_uses_pkey" PRIMARY KEY ("shop","handle")
);

-- CreateIndex
CREATE INDEX "outbox_messages_status_next_attempt_at_idx" ON "outbox_messages"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbox_messages_shop_created_at_idx" ON "outbox_messages"("shop", "created_at");

-- CreateIndex
CREATE INDEX "outbox_messages_member_id_idx" ON "outbox_messages"("member_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_messages_shop_occasion_key_key" ON "outbox_messages"("shop", "occasion_key");

-- CreateIndex
CREATE INDEX "members_shop_last_activity_at_idx" ON "members"("shop", "last_activity_at");

-- CreateIndex
CREATE INDEX "members_shop_oldest_lot_at_idx" ON "members"("shop", "oldest_lot_at");


-- Hand-written: the ledger trigger keeps what points expiry reads, whoever writes an entry. An earn
-- (any entry adding points, but a returned redemption) or a redemption moves last_activity_at on
-- (expiry after inactivity counts from it); any entry adding points is a lot, and the earliest that
-- may still hold points is oldest_lot_at (the expiry job moves it on).
CREATE OR REPLACE FUNCTION "ledger_entries_apply_to_balance"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "members" SET
    "balance" = "balance" + NEW."delta",
    "last_activity_at" = CASE
      WHEN ((NEW."delta" > 0 AND NEW."kind" <> 'redemption_returned') OR NEW."kind" = 'redeemed')
        AND ("last_activity_at" IS NULL OR "last_activity_at" < NEW."created_at") THEN NEW."created_at"
      ELSE "last_activity_at" END,
    "oldest_lot_at" = CASE WHEN NEW."delta" > 0 AND "oldest_lot_at" IS NULL THEN NEW."created_at" ELSE "oldest_lot_at" END
  WHERE "id" = NEW."member_id";
  RETURN NEW;
END $$;

-- Members who joined before: the same facts from their entries.
UPDATE "members" SET
  "last_activity_at" = (SELECT MAX(e."created_at") FROM "ledger_entries" e WHERE e."member_id" = "members"."id"
    AND ((e."delta" > 0 AND e."kind" <> 'redemption_returned') OR e."kind" = 'redeemed')),
  "oldest_lot_at" = (SELECT MIN(e."created_at") FROM "ledger_entries" e WHERE e."member_id" = "members"."id" AND e."delta" > 0);
