-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "events"
CREATE TABLE "events" (
  "id" bigserial NOT NULL,
  "kind" varchar(50) NOT NULL,
  "payload" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "deleted_at" timestamptz,
  CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);
-- Create index "events_kind_created_at_idx" on "events"
CREATE INDEX "events_kind_created_at_idx" ON "events" ("kind", "created_at");
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop index "events_kind_created_at_idx" on "events"
DROP INDEX "events_kind_created_at_idx";
-- Drop table "events"
DROP TABLE "events";
