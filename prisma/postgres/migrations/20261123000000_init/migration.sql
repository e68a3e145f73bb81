-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shops" (
    "domain" TEXT NOT NULL,
    "installed_at" TIMESTAMP(3) NOT NULL,
    "uninstalled_at" TIMESTAMP(3),
    "redacted_at" TIMESTAMP(3),
    "currency_code" TEXT NOT NULL DEFAULT 'USD',
    "program_enabled" BOOLEAN NOT NULL DEFAULT true,
    "points_per_currency_unit" INTEGER NOT NULL DEFAULT 1,
    "minimum_order_minor" BIGINT NOT NULL DEFAULT 0,
    "earn_trigger" TEXT NOT NULL DEFAULT 'paid',
    "excluded_product_ids" TEXT NOT NULL DEFAULT '[]',
    "excluded_collection_ids" TEXT NOT NULL DEFAULT '[]',
    "excluded_collection_product_ids" TEXT NOT NULL DEFAULT '[]',
    "excluded_customer_tags" TEXT NOT NULL DEFAULT '[]',
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shops_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "members" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "email" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "redacted_at" TIMESTAMP(3),
    "profile_updated_at" TEXT,

    CONSTRAINT "members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "delta" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "source_key" TEXT NOT NULL,
    "order_id" TEXT,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_name" TEXT,
    "reason" TEXT NOT NULL,
    "customer_note" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "loyalty_orders" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "order_name" TEXT,
    "customer_id" TEXT,
    "currency_code" TEXT NOT NULL DEFAULT '',
    "earning_lines" TEXT NOT NULL DEFAULT '[]',
    "basis_minor" BIGINT NOT NULL DEFAULT 0,
    "earned_points" INTEGER NOT NULL DEFAULT 0,
    "reversed_points" INTEGER NOT NULL DEFAULT 0,
    "earned_at" TIMESTAMP(3),
    "cancelled_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "loyalty_orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_refunds" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "refund_id" TEXT NOT NULL,
    "lines" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "order_refunds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_receipts" (
    "webhook_id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "webhook_receipts_pkey" PRIMARY KEY ("webhook_id")
);

-- CreateTable
CREATE TABLE "data_requests" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "export" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "data_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "members_shop_email_idx" ON "members"("shop", "email");

-- CreateIndex
CREATE INDEX "members_shop_last_name_idx" ON "members"("shop", "last_name");

-- CreateIndex
CREATE UNIQUE INDEX "members_shop_customer_id_key" ON "members"("shop", "customer_id");

-- CreateIndex
CREATE INDEX "ledger_entries_member_id_id_idx" ON "ledger_entries"("member_id", "id");

-- CreateIndex
CREATE INDEX "ledger_entries_shop_created_at_idx" ON "ledger_entries"("shop", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_shop_source_key_key" ON "ledger_entries"("shop", "source_key");

-- CreateIndex
CREATE UNIQUE INDEX "loyalty_orders_shop_order_id_key" ON "loyalty_orders"("shop", "order_id");

-- CreateIndex
CREATE INDEX "order_refunds_shop_order_id_idx" ON "order_refunds"("shop", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "order_refunds_shop_refund_id_key" ON "order_refunds"("shop", "refund_id");

-- CreateIndex
CREATE INDEX "webhook_receipts_shop_idx" ON "webhook_receipts"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "data_requests_shop_request_id_key" ON "data_requests"("shop", "request_id");

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "members"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written invariants (Prisma cannot express these). If a later migration redefines one of
-- these tables, it must re-create what is below.

-- A ledger entry moves points: never zero, never absurd.
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_valid_delta"
  CHECK ("delta" <> 0 AND "delta" BETWEEN -1000000000 AND 1000000000);

-- The cached balance changes only with, and exactly by, its ledger entry.
CREATE FUNCTION "ledger_entries_apply_to_balance"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "members" SET "balance" = "balance" + NEW."delta" WHERE "id" = NEW."member_id";
  RETURN NEW;
END $$;
CREATE TRIGGER "ledger_entries_apply_to_balance" AFTER INSERT ON "ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION "ledger_entries_apply_to_balance"();

-- Append-only: corrections are new entries. Rows go only when the shop's data is erased (shop/redact).
CREATE FUNCTION "ledger_entries_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (
    SELECT 1 FROM "shops" WHERE "domain" = OLD."shop" AND "redacted_at" IS NOT NULL
  ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'ledger entries are append-only';
END $$;
CREATE TRIGGER "ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "ledger_entries"
  FOR EACH ROW EXECUTE FUNCTION "ledger_entries_append_only"();
