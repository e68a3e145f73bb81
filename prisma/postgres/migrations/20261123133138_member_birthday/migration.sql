-- AlterTable
ALTER TABLE "members" ADD COLUMN     "birthday" TEXT;

