-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Alter column "body" of "notes": comment
COMMENT ON COLUMN "notes"."body" IS 'Now described.';
-- Set the comment of table "notes"
COMMENT ON TABLE "notes" IS 'Now described.';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Restore the comment of table "notes"
COMMENT ON TABLE "notes" IS NULL;
-- Revert: Alter column "body" of "notes": comment
COMMENT ON COLUMN "notes"."body" IS NULL;
