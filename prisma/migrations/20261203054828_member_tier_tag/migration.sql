-- AlterTable
ALTER TABLE "members" ADD COLUMN "tier_tag" TEXT;

