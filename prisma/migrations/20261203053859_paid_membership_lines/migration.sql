-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_paid_memberships" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "order_id" TEXT NOT NULL,
    "line_item_id" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "days_per_unit" INTEGER NOT NULL,
    "tier_id" INTEGER NOT NULL,
    "starts_at" DATETIME NOT NULL,
    "ends_at" DATETIME NOT NULL,
    "ended_at" DATETIME,
    "created_at" DATETIME NOT NULL
);
INSERT INTO "new_paid_memberships" ("created_at", "ended_at", "ends_at", "id", "member_id", "order_id", "shop", "starts_at", "tier_id") SELECT "created_at", "ended_at", "ends_at", "id", "member_id", "order_id", "shop", "starts_at", "tier_id" FROM "paid_memberships";
DROP TABLE "paid_memberships";
ALTER TABLE "new_paid_memberships" RENAME TO "paid_memberships";
CREATE INDEX "paid_memberships_member_id_idx" ON "paid_memberships"("member_id");
CREATE UNIQUE INDEX "paid_memberships_shop_order_id_line_item_id_key" ON "paid_memberships"("shop", "order_id", "line_item_id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

