-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Alter column "value" of "measurements": type, comment
ALTER TABLE "measurements" ALTER COLUMN "value" TYPE bigint USING "value"::bigint;
COMMENT ON COLUMN "measurements"."value" IS 'The raw reading in micro-units.';
-- Alter column "label" of "measurements": type, comment
ALTER TABLE "measurements" ALTER COLUMN "label" TYPE varchar(100) USING "label"::varchar(100);
COMMENT ON COLUMN "measurements"."label" IS 'Shown in reports.';
-- Alter column "note" of "measurements": NOT VALID check "measurements_note_not_null" ahead of NOT NULL
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_note_not_null" CHECK ("note" IS NOT NULL) NOT VALID;
-- Alter column "unit" of "measurements": default
ALTER TABLE "measurements" ALTER COLUMN "unit" SET DEFAULT 'g';
-- Alter column "ratio" of "measurements": type
ALTER TABLE "measurements" ALTER COLUMN "ratio" TYPE double precision USING "ratio"::double precision;
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Revert: Alter column "ratio" of "measurements": type
ALTER TABLE "measurements" ALTER COLUMN "ratio" TYPE real USING "ratio"::real;
-- Revert: Alter column "unit" of "measurements": default
ALTER TABLE "measurements" ALTER COLUMN "unit" SET DEFAULT 'kg';
-- Revert column "note" of "measurements": drop the check "measurements_note_not_null"
ALTER TABLE "measurements" DROP CONSTRAINT IF EXISTS "measurements_note_not_null";
-- Revert: Alter column "label" of "measurements": type, comment
ALTER TABLE "measurements" ALTER COLUMN "label" TYPE varchar(50) USING "label"::varchar(50);
COMMENT ON COLUMN "measurements"."label" IS NULL;
-- Revert: Alter column "value" of "measurements": type, comment
ALTER TABLE "measurements" ALTER COLUMN "value" TYPE integer USING "value"::integer;
COMMENT ON COLUMN "measurements"."value" IS 'The raw reading.';

-- file: 20260102_120001_core_step_02_concurrent.sql
-- schemac: owner=core description="step 02 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Set "note" of "measurements" NOT NULL (through the validated check "measurements_note_not_null", then drop the check)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"measurements"'::regclass AND attname = 'note' AND NOT attnotnull) AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"measurements"'::regclass AND conname = 'measurements_note_not_null') THEN
    ALTER TABLE "measurements" ADD CONSTRAINT "measurements_note_not_null" CHECK ("note" IS NOT NULL) NOT VALID;
  END IF;
END $schemac$;
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"measurements"'::regclass AND conname = 'measurements_note_not_null') THEN
    ALTER TABLE "measurements" VALIDATE CONSTRAINT "measurements_note_not_null";
  END IF;
END $schemac$;
ALTER TABLE "measurements" ALTER COLUMN "note" SET NOT NULL;
ALTER TABLE "measurements" DROP CONSTRAINT IF EXISTS "measurements_note_not_null";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop NOT NULL of "note" of "measurements", back to its NOT VALID check "measurements_note_not_null"
ALTER TABLE "measurements" ALTER COLUMN "note" DROP NOT NULL, DROP CONSTRAINT IF EXISTS "measurements_note_not_null", ADD CONSTRAINT "measurements_note_not_null" CHECK ("note" IS NOT NULL) NOT VALID;
