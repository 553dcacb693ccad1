-- file: 20260103_120000_core_step_03.sql
-- schemac: owner=core description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop column "title" from "notes" (the down migration re-adds it; its data is not restored)
ALTER TABLE "notes" DROP COLUMN "title";
-- Drop column "archived" from "notes" (the down migration re-adds it; its data is not restored)
ALTER TABLE "notes" DROP COLUMN "archived";
-- Set the comment of table "notes"
COMMENT ON TABLE "notes" IS 'Free-form notes, with a priority.';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Restore the comment of table "notes"
COMMENT ON TABLE "notes" IS 'Free-form notes.';
-- Add column "archived" to "notes"
ALTER TABLE "notes" ADD COLUMN "archived" boolean NOT NULL DEFAULT false;
-- Add column "title" to "notes"
ALTER TABLE "notes" ADD COLUMN "title" varchar(200);
