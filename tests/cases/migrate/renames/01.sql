-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create enum "color"
CREATE TYPE "color" AS ENUM ('red', 'green');
-- Create table "paints"
CREATE TABLE "paints" (
  "id" serial NOT NULL,
  "colour" "color" NOT NULL,
  "hex" char(7) NOT NULL,
  "name" varchar(50) NOT NULL,
  CONSTRAINT "paints_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "paints_name_key" UNIQUE ("name"),
  CONSTRAINT "paints_hex_check" CHECK (hex LIKE '#%')
);
-- Create index "paints_hex_idx" on "paints"
CREATE INDEX "paints_hex_idx" ON "paints" ("hex");
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop index "paints_hex_idx" on "paints"
DROP INDEX "paints_hex_idx";
-- Drop table "paints"
DROP TABLE "paints";
-- Drop enum "color"
DROP TYPE "color";
