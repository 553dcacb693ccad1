-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename column "touched_at" of "notes" to "changed_at"
ALTER TABLE "notes" RENAME COLUMN "touched_at" TO "changed_at";
-- Drop trigger "notes_set_updated_at" on "notes"
DROP TRIGGER "notes_set_updated_at" ON "notes";
DROP FUNCTION "notes_set_updated_at"();
-- Create trigger "notes_set_updated_at" on "notes" (sets updated_at, changed_at to now() on update)
CREATE OR REPLACE FUNCTION "notes_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  NEW."changed_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "notes_set_updated_at" BEFORE UPDATE ON "notes" FOR EACH ROW EXECUTE FUNCTION "notes_set_updated_at"();
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop trigger "notes_set_updated_at" on "notes"
DROP TRIGGER "notes_set_updated_at" ON "notes";
DROP FUNCTION "notes_set_updated_at"();
-- Create trigger "notes_set_updated_at" on "notes"
CREATE OR REPLACE FUNCTION "notes_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  NEW."touched_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "notes_set_updated_at" BEFORE UPDATE ON "notes" FOR EACH ROW EXECUTE FUNCTION "notes_set_updated_at"();
-- Rename column "changed_at" of "notes" to "touched_at"
ALTER TABLE "notes" RENAME COLUMN "changed_at" TO "touched_at";
