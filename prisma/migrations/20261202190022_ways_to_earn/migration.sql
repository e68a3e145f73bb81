-- AlterTable
ALTER TABLE "ledger_entries" ADD COLUMN "breakdown" TEXT;
ALTER TABLE "ledger_entries" ADD COLUMN "campaign_id" INTEGER;
ALTER TABLE "ledger_entries" ADD COLUMN "rule_id" INTEGER;

-- AlterTable
ALTER TABLE "loyalty_orders" ADD COLUMN "pending_awards" TEXT;
ALTER TABLE "loyalty_orders" ADD COLUMN "pending_until" DATETIME;
ALTER TABLE "loyalty_orders" ADD COLUMN "posted_at" DATETIME;
ALTER TABLE "loyalty_orders" ADD COLUMN "qualifying_number" INTEGER;

-- CreateTable
CREATE TABLE "earning_rules" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'live',
    "points" INTEGER NOT NULL DEFAULT 0,
    "points_per_currency_unit" INTEGER,
    "every_nth" INTEGER,
    "photo_bonus_points" INTEGER NOT NULL DEFAULT 0,
    "limit_count" INTEGER,
    "limit_period" TEXT,
    "starts_at" DATETIME,
    "ends_at" DATETIME,
    "customer_tags" TEXT NOT NULL DEFAULT '[]',
    "settings" TEXT NOT NULL DEFAULT '{}',
    "content" TEXT NOT NULL DEFAULT '{}',
    "position" INTEGER NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'live',
    "starts_at" DATETIME NOT NULL,
    "ends_at" DATETIME NOT NULL,
    "multiplier_percent" INTEGER,
    "bonus_points" INTEGER,
    "product_ids" TEXT NOT NULL DEFAULT '[]',
    "collection_ids" TEXT NOT NULL DEFAULT '[]',
    "collection_product_ids" TEXT NOT NULL DEFAULT '[]',
    "customer_tags" TEXT NOT NULL DEFAULT '[]',
    "content" TEXT NOT NULL DEFAULT '{}',
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "dry_run_awards" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "rule_id" INTEGER,
    "campaign_id" INTEGER,
    "member_id" INTEGER NOT NULL,
    "source_key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "breakdown" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL,
    "last_used_at" DATETIME,
    "revoked_at" DATETIME,
    "revoked_by" TEXT
);

-- CreateTable
CREATE TABLE "api_calls" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "api_key_id" INTEGER NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL
);

-- AlterTable (columns added in place: redefining "shops" or "members" would break the ledger triggers that name them)
ALTER TABLE "shops" ADD COLUMN "program_version" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "shops" ADD COLUMN "pending_days" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "shops" ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE "members" ADD COLUMN "birthday_set_at" DATETIME;
ALTER TABLE "members" ADD COLUMN "origin" TEXT NOT NULL DEFAULT 'webhook';
ALTER TABLE "members" ADD COLUMN "tags" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "members" ADD COLUMN "qualifying_orders" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "members" ADD COLUMN "pending_points" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "members" ADD COLUMN "rule_awards" TEXT NOT NULL DEFAULT '{}';

-- CreateIndex
CREATE INDEX "earning_rules_shop_status_idx" ON "earning_rules"("shop", "status");

-- CreateIndex
CREATE INDEX "campaigns_shop_ends_at_idx" ON "campaigns"("shop", "ends_at");

-- CreateIndex
CREATE INDEX "dry_run_awards_shop_rule_id_idx" ON "dry_run_awards"("shop", "rule_id");

-- CreateIndex
CREATE INDEX "dry_run_awards_shop_campaign_id_idx" ON "dry_run_awards"("shop", "campaign_id");

-- CreateIndex
CREATE UNIQUE INDEX "dry_run_awards_shop_source_key_key" ON "dry_run_awards"("shop", "source_key");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys"("secret_hash");

-- CreateIndex
CREATE INDEX "api_keys_shop_idx" ON "api_keys"("shop");

-- CreateIndex
CREATE INDEX "api_calls_api_key_id_created_at_idx" ON "api_calls"("api_key_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_calls_shop_idempotency_key_key" ON "api_calls"("shop", "idempotency_key");

-- CreateIndex
CREATE INDEX "ledger_entries_member_id_rule_id_created_at_idx" ON "ledger_entries"("member_id", "rule_id", "created_at");

-- CreateIndex
CREATE INDEX "loyalty_orders_pending_until_idx" ON "loyalty_orders"("pending_until");


-- The purchase rule each shop had on its own row becomes its first way to earn, unchanged.
INSERT INTO "earning_rules" ("shop", "kind", "status", "points_per_currency_unit", "created_at", "updated_at")
SELECT "domain", 'purchase', 'live', "points_per_currency_unit", "updated_at", "updated_at" FROM "shops";
ALTER TABLE "shops" DROP COLUMN "points_per_currency_unit";

-- Every change to a shop's ways to earn or campaigns moves its program version (as rewards move
-- catalogue_version): webhooks and shopper reads keep the rules in memory by it.
CREATE TRIGGER "earning_rules_move_program_version_on_insert" AFTER INSERT ON "earning_rules"
BEGIN UPDATE "shops" SET "program_version" = "program_version" + 1 WHERE "domain" = NEW."shop"; END;
CREATE TRIGGER "earning_rules_move_program_version_on_update" AFTER UPDATE ON "earning_rules"
BEGIN UPDATE "shops" SET "program_version" = "program_version" + 1 WHERE "domain" IN (OLD."shop", NEW."shop"); END;
CREATE TRIGGER "earning_rules_move_program_version_on_delete" AFTER DELETE ON "earning_rules"
BEGIN UPDATE "shops" SET "program_version" = "program_version" + 1 WHERE "domain" = OLD."shop"; END;
CREATE TRIGGER "campaigns_move_program_version_on_insert" AFTER INSERT ON "campaigns"
BEGIN UPDATE "shops" SET "program_version" = "program_version" + 1 WHERE "domain" = NEW."shop"; END;
CREATE TRIGGER "campaigns_move_program_version_on_update" AFTER UPDATE ON "campaigns"
BEGIN UPDATE "shops" SET "program_version" = "program_version" + 1 WHERE "domain" IN (OLD."shop", NEW."shop"); END;
CREATE TRIGGER "campaigns_move_program_version_on_delete" AFTER DELETE ON "campaigns"
BEGIN UPDATE "shops" SET "program_version" = "program_version" + 1 WHERE "domain" = OLD."shop"; END;
