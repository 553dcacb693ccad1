-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename table "plans" to "billing_plans"
ALTER TABLE "plans" RENAME TO "billing_plans";
-- Rename constraint "plans_pkey" of "billing_plans" to "billing_plans_pkey"
ALTER TABLE "billing_plans" RENAME CONSTRAINT "plans_pkey" TO "billing_plans_pkey";
-- Drop trigger "plans_set_updated_at" on "billing_plans"
DROP TRIGGER "plans_set_updated_at" ON "billing_plans";
DROP FUNCTION "plans_set_updated_at"();
-- Create trigger "billing_plans_set_updated_at" on "billing_plans" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "billing_plans_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "billing_plans_set_updated_at" BEFORE UPDATE ON "billing_plans" FOR EACH ROW EXECUTE FUNCTION "billing_plans_set_updated_at"();
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop trigger "billing_plans_set_updated_at" on "billing_plans"
DROP TRIGGER "billing_plans_set_updated_at" ON "billing_plans";
DROP FUNCTION "billing_plans_set_updated_at"();
-- Create trigger "plans_set_updated_at" on "billing_plans"
CREATE OR REPLACE FUNCTION "plans_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "plans_set_updated_at" BEFORE UPDATE ON "billing_plans" FOR EACH ROW EXECUTE FUNCTION "plans_set_updated_at"();
-- Rename constraint "billing_plans_pkey" of "billing_plans" to "plans_pkey"
ALTER TABLE "billing_plans" RENAME CONSTRAINT "billing_plans_pkey" TO "plans_pkey";
-- Rename table "billing_plans" to "plans"
ALTER TABLE "billing_plans" RENAME TO "plans";
