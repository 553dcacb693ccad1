-- file: 20260104_120000_core_step_04.sql
-- schemac: owner=core description="step 04"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop table "plans" (the down migration recreates it empty)
DROP TABLE "plans";
DROP FUNCTION "plans_set_updated_at"();
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create table "plans"
CREATE TABLE "plans" (
  "id" serial NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);
CREATE OR REPLACE FUNCTION "plans_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "plans_set_updated_at" BEFORE UPDATE ON "plans" FOR EACH ROW EXECUTE FUNCTION "plans_set_updated_at"();
