-- CreateIndex
CREATE INDEX "members_shop_last_order_at_idx" ON "members"("shop", "last_order_at");

