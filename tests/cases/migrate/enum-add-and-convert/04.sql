-- file: 20260104_120000_core_step_04.sql
-- schemac: owner=core description="step 04"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Alter column "mood" of "feedback": type
ALTER TABLE "feedback" ALTER COLUMN "mood" TYPE "mood" USING "mood"::text::"mood";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Revert: Alter column "mood" of "feedback": type
ALTER TABLE "feedback" ALTER COLUMN "mood" TYPE text USING "mood"::text::text;
