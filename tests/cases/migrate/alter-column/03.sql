-- file: 20260103_120000_core_step_03.sql
-- schemac: owner=core description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Alter column "value" of "measurements": comment
COMMENT ON COLUMN "measurements"."value" IS NULL;
-- Alter column "label" of "measurements": type
ALTER TABLE "measurements" ALTER COLUMN "label" TYPE text USING "label"::text;
-- Alter column "note" of "measurements": nullable
ALTER TABLE "measurements" ALTER COLUMN "note" DROP NOT NULL;
-- Alter column "unit" of "measurements": default
ALTER TABLE "measurements" ALTER COLUMN "unit" DROP DEFAULT;
-- Alter column "ratio" of "measurements": default
ALTER TABLE "measurements" ALTER COLUMN "ratio" SET DEFAULT 1.5;
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Revert: Alter column "ratio" of "measurements": default
ALTER TABLE "measurements" ALTER COLUMN "ratio" DROP DEFAULT;
-- Revert: Alter column "unit" of "measurements": default
ALTER TABLE "measurements" ALTER COLUMN "unit" SET DEFAULT 'g';
-- Revert: Alter column "note" of "measurements": nullable
ALTER TABLE "measurements" ALTER COLUMN "note" SET NOT NULL;
-- Revert: Alter column "label" of "measurements": type
ALTER TABLE "measurements" ALTER COLUMN "label" TYPE varchar(100) USING "label"::varchar(100);
-- Revert: Alter column "value" of "measurements": comment
COMMENT ON COLUMN "measurements"."value" IS 'The raw reading in micro-units.';
