-- AlterTable
ALTER TABLE "members" ADD COLUMN "synced_points" INTEGER;

-- CreateIndex
CREATE INDEX "members_shop_synced_points_idx" ON "members"("shop", "synced_points");

