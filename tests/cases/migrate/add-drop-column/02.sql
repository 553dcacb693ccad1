-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add column "title" to "notes"
ALTER TABLE "notes" ADD COLUMN "title" varchar(200);
-- Add column "priority" to "notes"
ALTER TABLE "notes" ADD COLUMN "priority" integer NOT NULL DEFAULT 0;
-- Add column "archived" to "notes"
ALTER TABLE "notes" ADD COLUMN "archived" boolean NOT NULL DEFAULT false;
-- Set the comment of table "notes"
COMMENT ON TABLE "notes" IS 'Free-form notes.';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Restore the comment of table "notes"
COMMENT ON TABLE "notes" IS NULL;
-- Drop column "archived" from "notes"
ALTER TABLE "notes" DROP COLUMN "archived";
-- Drop column "priority" from "notes"
ALTER TABLE "notes" DROP COLUMN "priority";
-- Drop column "title" from "notes"
ALTER TABLE "notes" DROP COLUMN "title";
