-- CreateIndex
CREATE UNIQUE INDEX "redemptions_shop_shopify_discount_id_key" ON "redemptions"("shop", "shopify_discount_id");

