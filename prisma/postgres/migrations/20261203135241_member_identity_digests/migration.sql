-- AlterTable
ALTER TABLE "members" ADD COLUMN     "address_key" TEXT,
ADD COLUMN     "phone_key" TEXT;

