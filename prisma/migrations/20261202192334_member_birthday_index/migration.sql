-- CreateIndex
CREATE INDEX "members_shop_birthday_idx" ON "members"("shop", "birthday");

