-- CreateTable
CREATE TABLE "rewards" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points_cost" INTEGER NOT NULL,
    "value_minor" BIGINT NOT NULL DEFAULT 0,
    "percent_off" INTEGER NOT NULL DEFAULT 0,
    "max_discount_minor" BIGINT,
    "product_variant_id" TEXT,
    "min_amount_minor" BIGINT,
    "max_amount_minor" BIGINT,
    "minimum_subtotal_minor" BIGINT,
    "code_lifetime_days" INTEGER NOT NULL DEFAULT 30,
    "combines_with_order_discounts" BOOLEAN NOT NULL DEFAULT false,
    "combines_with_product_discounts" BOOLEAN NOT NULL DEFAULT false,
    "combines_with_shipping_discounts" BOOLEAN NOT NULL DEFAULT true,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "redemptions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "reward_id" INTEGER NOT NULL,
    "request_key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "value_minor" BIGINT NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "code" TEXT,
    "shopify_discount_id" TEXT,
    "failure_reason" TEXT,
    "expires_at" DATETIME,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "rewards_shop_enabled_idx" ON "rewards"("shop", "enabled");

-- CreateIndex
CREATE INDEX "redemptions_shop_status_idx" ON "redemptions"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "redemptions_shop_member_id_request_key_key" ON "redemptions"("shop", "member_id", "request_key");

-- CreateIndex
CREATE UNIQUE INDEX "redemptions_shop_code_key" ON "redemptions"("shop", "code");

