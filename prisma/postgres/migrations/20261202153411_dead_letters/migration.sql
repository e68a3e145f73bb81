-- CreateTable
CREATE TABLE "dead_letters" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "webhook_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "customer_id" TEXT,
    "reason" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "received_at" TIMESTAMP(3) NOT NULL,
    "last_attempt_at" TIMESTAMP(3) NOT NULL,
    "resolved_at" TIMESTAMP(3),
    "resolution" TEXT,

    CONSTRAINT "dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "dead_letters_webhook_id_key" ON "dead_letters"("webhook_id");

-- CreateIndex
CREATE INDEX "dead_letters_shop_resolved_at_idx" ON "dead_letters"("shop", "resolved_at");

