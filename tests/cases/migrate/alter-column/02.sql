-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET lock_timeout = '5s';
-- Alter column "value" of "measurements": type, comment
ALTER TABLE "measurements" ALTER COLUMN "value" TYPE bigint USING "value"::bigint;
COMMENT ON COLUMN "measurements"."value" IS 'The raw reading in micro-units.';
-- Alter column "label" of "measurements": type, comment
ALTER TABLE "measurements" ALTER COLUMN "label" TYPE varchar(100) USING "label"::varchar(100);
COMMENT ON COLUMN "measurements"."label" IS 'Shown in reports.';
-- Alter column "note" of "measurements": nullable
ALTER TABLE "measurements" ALTER COLUMN "note" SET NOT NULL;
-- Alter column "unit" of "measurements": default
ALTER TABLE "measurements" ALTER COLUMN "unit" SET DEFAULT 'g';
-- Alter column "ratio" of "measurements": type
ALTER TABLE "measurements" ALTER COLUMN "ratio" TYPE double precision USING "ratio"::double precision;
-- migrate:down
SET lock_timeout = '5s';
-- Revert: Alter column "ratio" of "measurements": type
ALTER TABLE "measurements" ALTER COLUMN "ratio" TYPE real USING "ratio"::real;
-- Revert: Alter column "unit" of "measurements": default
ALTER TABLE "measurements" ALTER COLUMN "unit" SET DEFAULT 'kg';
-- Revert: Alter column "note" of "measurements": nullable
ALTER TABLE "measurements" ALTER COLUMN "note" DROP NOT NULL;
-- Revert: Alter column "label" of "measurements": type, comment
ALTER TABLE "measurements" ALTER COLUMN "label" TYPE varchar(50) USING "label"::varchar(50);
COMMENT ON COLUMN "measurements"."label" IS NULL;
-- Revert: Alter column "value" of "measurements": type, comment
ALTER TABLE "measurements" ALTER COLUMN "value" TYPE integer USING "value"::integer;
COMMENT ON COLUMN "measurements"."value" IS 'The raw reading.';
