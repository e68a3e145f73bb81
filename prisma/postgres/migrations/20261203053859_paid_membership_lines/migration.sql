-- DropIndex
DROP INDEX "paid_memberships_shop_order_id_tier_id_key";

-- AlterTable
ALTER TABLE "paid_memberships" ADD COLUMN     "days_per_unit" INTEGER NOT NULL,
ADD COLUMN     "line_item_id" TEXT NOT NULL,
ADD COLUMN     "units" INTEGER NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "paid_memberships_shop_order_id_line_item_id_key" ON "paid_memberships"("shop", "order_id", "line_item_id");

