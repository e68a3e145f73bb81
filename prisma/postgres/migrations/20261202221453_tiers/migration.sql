-- AlterTable
ALTER TABLE "members" ADD COLUMN     "paid_tier_id" INTEGER,
ADD COLUMN     "paid_until" TIMESTAMP(3),
ADD COLUMN     "tier_total" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "tier_id" INTEGER,
ADD COLUMN     "tier_kept_until" TIMESTAMP(3),
ADD COLUMN     "tier_manual" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tier_manual_until" TIMESTAMP(3),
ADD COLUMN     "tier_reached_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "loyalty_orders" ADD COLUMN     "tier_counted_minor" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "tier_counted_orders" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "rewards" ADD COLUMN     "tier_ids" TEXT;

-- CreateTable
CREATE TABLE "tier_programs" (
    "shop" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "basis" TEXT NOT NULL DEFAULT 'points_earned',
    "period_kind" TEXT NOT NULL DEFAULT 'lifetime',
    "period_months" INTEGER NOT NULL DEFAULT 12,
    "retention" TEXT NOT NULL DEFAULT 'period_and_next',
    "adjustments_count" BOOLEAN NOT NULL DEFAULT false,
    "tag_prefix" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tier_programs_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "tiers" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "threshold" BIGINT NOT NULL,
    "names" TEXT NOT NULL DEFAULT '{}',
    "multiplier_percent" INTEGER NOT NULL DEFAULT 100,
    "entry_bonus_points" INTEGER NOT NULL DEFAULT 0,
    "birthday_points" INTEGER,
    "free_shipping" BOOLEAN NOT NULL DEFAULT false,
    "member_price_percent" INTEGER NOT NULL DEFAULT 0,
    "member_price_collection_ids" TEXT NOT NULL DEFAULT '[]',
    "paid_product_id" TEXT,
    "paid_variant_id" TEXT,
    "paid_duration_days" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tiers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tier_changes" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "from_tier_id" INTEGER,
    "to_tier_id" INTEGER,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "actor_type" TEXT NOT NULL DEFAULT 'system',
    "actor_id" TEXT,
    "actor_name" TEXT,
    "source_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tier_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tier_activity" (
    "member_id" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "adjusted_points" INTEGER NOT NULL DEFAULT 0,
    "amount_minor" BIGINT NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "tier_activity_pkey" PRIMARY KEY ("member_id","day")
);

-- CreateTable
CREATE TABLE "paid_memberships" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "order_id" TEXT NOT NULL,
    "tier_id" INTEGER NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "ended_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "paid_memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tier_access" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "target_title" TEXT NOT NULL DEFAULT '',
    "min_rank" INTEGER NOT NULL DEFAULT 0,
    "until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tier_access_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tiers_shop_rank_key" ON "tiers"("shop", "rank");

-- CreateIndex
CREATE INDEX "tier_changes_member_id_id_idx" ON "tier_changes"("member_id", "id");

-- CreateIndex
CREATE INDEX "tier_changes_shop_created_at_idx" ON "tier_changes"("shop", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "tier_changes_shop_source_key_key" ON "tier_changes"("shop", "source_key");

-- CreateIndex
CREATE INDEX "tier_activity_shop_day_idx" ON "tier_activity"("shop", "day");

-- CreateIndex
CREATE INDEX "paid_memberships_member_id_idx" ON "paid_memberships"("member_id");

-- CreateIndex
CREATE UNIQUE INDEX "paid_memberships_shop_order_id_tier_id_key" ON "paid_memberships"("shop", "order_id", "tier_id");

-- CreateIndex
CREATE UNIQUE INDEX "tier_access_shop_target_type_target_id_key" ON "tier_access"("shop", "target_type", "target_id");

-- CreateIndex
CREATE INDEX "members_shop_tier_id_idx" ON "members"("shop", "tier_id");


-- Every change to a shop's tiers or tier program moves its program version (as ways to earn do).
CREATE TRIGGER "tiers_move_program_version" AFTER INSERT OR UPDATE OR DELETE ON "tiers"
  FOR EACH ROW EXECUTE FUNCTION "move_program_version"();
CREATE TRIGGER "tier_programs_move_program_version" AFTER INSERT OR UPDATE OR DELETE ON "tier_programs"
  FOR EACH ROW EXECUTE FUNCTION "move_program_version"();

-- The history of tier changes is append-only; rows go only when the shop's data is erased.
CREATE FUNCTION "tier_changes_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM "shops" WHERE "domain" = OLD."shop" AND "redacted_at" IS NOT NULL) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'tier changes are append-only';
END $$;
CREATE TRIGGER "tier_changes_append_only" BEFORE UPDATE OR DELETE ON "tier_changes"
  FOR EACH ROW EXECUTE FUNCTION "tier_changes_append_only"();
