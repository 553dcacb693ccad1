-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "widgets"
CREATE TABLE "widgets" (
  "id" serial NOT NULL,
  "name" varchar(100) NOT NULL,
  "price" numeric(10,2) NOT NULL DEFAULT 0,
  "weight" double precision,
  "tags" text[] NOT NULL DEFAULT '{}'::text[],
  "data" jsonb,
  "active" boolean NOT NULL DEFAULT true,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "widgets_pkey" PRIMARY KEY ("id")
);
COMMENT ON TABLE "widgets" IS 'Things we sell.';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop table "widgets"
DROP TABLE "widgets";
