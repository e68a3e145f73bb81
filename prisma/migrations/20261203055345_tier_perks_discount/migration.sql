-- AlterTable
ALTER TABLE "tier_programs" ADD COLUMN "perks_discount_id" TEXT;

