-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "measurements"
CREATE TABLE "measurements" (
  "id" serial NOT NULL,
  "value" integer NOT NULL,
  "label" varchar(50) NOT NULL,
  "note" text,
  "unit" varchar(10) NOT NULL DEFAULT 'kg',
  "ratio" real,
  CONSTRAINT "measurements_pkey" PRIMARY KEY ("id")
);
COMMENT ON COLUMN "measurements"."value" IS 'The raw reading.';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop table "measurements"
DROP TABLE "measurements";
