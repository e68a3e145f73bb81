-- AlterTable
ALTER TABLE "members" ADD COLUMN "referral_code" TEXT;

-- CreateTable
CREATE TABLE "referral_programs" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "friend_offer_kind" TEXT NOT NULL DEFAULT 'fixed_amount',
    "friend_value_minor" BIGINT NOT NULL DEFAULT 0,
    "friend_percent_off" INTEGER NOT NULL DEFAULT 0,
    "friend_minimum_subtotal_minor" BIGINT,
    "friend_code_lifetime_days" INTEGER NOT NULL DEFAULT 30,
    "referrer_points" INTEGER NOT NULL DEFAULT 0,
    "referrer_reward_id" INTEGER,
    "cookie_days" INTEGER NOT NULL DEFAULT 30,
    "window_days" INTEGER,
    "max_per_referrer_month" INTEGER,
    "max_per_referrer_total" INTEGER,
    "max_claims_per_ip_week" INTEGER DEFAULT 10,
    "max_claims_per_device_week" INTEGER DEFAULT 10,
    "minimum_order_minor" BIGINT NOT NULL DEFAULT 0,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "referrals" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "referrer_member_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "friend_email" TEXT NOT NULL,
    "friend_email_key" TEXT NOT NULL,
    "friend_customer_id" TEXT,
    "discount_code" TEXT,
    "discount_id" TEXT,
    "ip_hash" TEXT,
    "device_hash" TEXT,
    "status" TEXT NOT NULL DEFAULT 'claimed',
    "reasons" TEXT NOT NULL DEFAULT '[]',
    "order_id" TEXT,
    "order_total_minor" BIGINT,
    "reward_points" INTEGER,
    "reward_code" TEXT,
    "reward_due_at" DATETIME,
    "reviewed_by" TEXT,
    "reviewed_at" DATETIME,
    "claimed_at" DATETIME NOT NULL,
    "ordered_at" DATETIME,
    "rewarded_at" DATETIME,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "referral_clicks" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "referrer_member_id" INTEGER NOT NULL,
    "ip_hash" TEXT,
    "created_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "referrals_shop_referrer_member_id_idx" ON "referrals"("shop", "referrer_member_id");

-- CreateIndex
CREATE INDEX "referrals_shop_status_idx" ON "referrals"("shop", "status");

-- CreateIndex
CREATE INDEX "referrals_shop_discount_code_idx" ON "referrals"("shop", "discount_code");

-- CreateIndex
CREATE INDEX "referrals_shop_ip_hash_claimed_at_idx" ON "referrals"("shop", "ip_hash", "claimed_at");

-- CreateIndex
CREATE INDEX "referrals_shop_device_hash_claimed_at_idx" ON "referrals"("shop", "device_hash", "claimed_at");

-- CreateIndex
CREATE UNIQUE INDEX "referrals_shop_friend_email_key_key" ON "referrals"("shop", "friend_email_key");

-- CreateIndex
CREATE UNIQUE INDEX "referrals_shop_order_id_key" ON "referrals"("shop", "order_id");

-- CreateIndex
CREATE INDEX "referral_clicks_shop_referrer_member_id_created_at_idx" ON "referral_clicks"("shop", "referrer_member_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "members_shop_referral_code_key" ON "members"("shop", "referral_code");

