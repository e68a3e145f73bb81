-- CreateIndex
CREATE INDEX "loyalty_orders_shop_customer_id_idx" ON "loyalty_orders"("shop", "customer_id");

