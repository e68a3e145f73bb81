-- AlterTable
ALTER TABLE "shops" ADD COLUMN     "catalogue_version" INTEGER NOT NULL DEFAULT 0;


-- Every change to a shop's rewards moves its catalogue version, whoever writes it: shopper reads
-- keep the catalogue in memory and read the version with the member, so no app instance serves
-- a catalogue older than the database's.
CREATE FUNCTION "rewards_move_catalogue_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE "shops" SET "catalogue_version" = "catalogue_version" + 1 WHERE "domain" = OLD."shop";
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."shop" <> OLD."shop") THEN
    UPDATE "shops" SET "catalogue_version" = "catalogue_version" + 1 WHERE "domain" = NEW."shop";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "rewards_move_catalogue_version" AFTER INSERT OR UPDATE OR DELETE ON "rewards"
  FOR EACH ROW EXECUTE FUNCTION "rewards_move_catalogue_version"();
