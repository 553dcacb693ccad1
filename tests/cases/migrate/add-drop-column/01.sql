-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "notes"
CREATE TABLE "notes" (
  "id" serial NOT NULL,
  "body" text NOT NULL,
  CONSTRAINT "notes_pkey" PRIMARY KEY ("id")
);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop table "notes"
DROP TABLE "notes";
