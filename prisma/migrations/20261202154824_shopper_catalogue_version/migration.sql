-- AlterTable (a column added in place: redefining "shops" would break the ledger triggers that name it)
ALTER TABLE "shops" ADD COLUMN "catalogue_version" INTEGER NOT NULL DEFAULT 0;

-- Every change to a shop's rewards moves its catalogue version, whoever writes it: shopper reads
-- keep the catalogue in memory and read the version with the member, so no app instance serves
-- a catalogue older than the database's.
CREATE TRIGGER "rewards_move_catalogue_version_on_insert" AFTER INSERT ON "rewards"
BEGIN UPDATE "shops" SET "catalogue_version" = "catalogue_version" + 1 WHERE "domain" = NEW."shop"; END;

CREATE TRIGGER "rewards_move_catalogue_version_on_update" AFTER UPDATE ON "rewards"
BEGIN UPDATE "shops" SET "catalogue_version" = "catalogue_version" + 1 WHERE "domain" IN (OLD."shop", NEW."shop"); END;

CREATE TRIGGER "rewards_move_catalogue_version_on_delete" AFTER DELETE ON "rewards"
BEGIN UPDATE "shops" SET "catalogue_version" = "catalogue_version" + 1 WHERE "domain" = OLD."shop"; END;
