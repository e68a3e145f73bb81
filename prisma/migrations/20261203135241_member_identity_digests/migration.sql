-- AlterTable
ALTER TABLE "members" ADD COLUMN "address_key" TEXT;
ALTER TABLE "members" ADD COLUMN "phone_key" TEXT;

