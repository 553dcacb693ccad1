-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "clients"
CREATE TABLE "clients" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" varchar(255) NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);
-- Create table "plans"
CREATE TABLE "plans" (
  "id" serial NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);
-- Create trigger "clients_set_updated_at" on "clients" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "clients_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "clients_set_updated_at" BEFORE UPDATE ON "clients" FOR EACH ROW EXECUTE FUNCTION "clients_set_updated_at"();
-- Create trigger "plans_set_updated_at" on "plans" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "plans_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "plans_set_updated_at" BEFORE UPDATE ON "plans" FOR EACH ROW EXECUTE FUNCTION "plans_set_updated_at"();
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop trigger "plans_set_updated_at" on "plans"
DROP TRIGGER "plans_set_updated_at" ON "plans";
DROP FUNCTION "plans_set_updated_at"();
-- Drop trigger "clients_set_updated_at" on "clients"
DROP TRIGGER "clients_set_updated_at" ON "clients";
DROP FUNCTION "clients_set_updated_at"();
-- Drop table "plans"
DROP TABLE "plans";
-- Drop table "clients"
DROP TABLE "clients";

-- file: 20260101_120000_custom_acme_step_01.sql
-- schemac: owner=acme description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create table "acme_subscriptions"
CREATE TABLE "acme_subscriptions" (
  "id" serial NOT NULL,
  "plan_id" integer NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_subscriptions_pkey" PRIMARY KEY ("id")
);
-- Add foreign key "acme_subscriptions_plan_id_fkey" on "acme_subscriptions"
ALTER TABLE "acme_subscriptions" ADD CONSTRAINT "acme_subscriptions_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans" ("id");
-- Create index "acme_subscriptions_plan_id_idx" on "acme_subscriptions"
CREATE INDEX "acme_subscriptions_plan_id_idx" ON "acme_subscriptions" ("plan_id");
-- Create trigger "acme_subscriptions_set_updated_at" on "acme_subscriptions" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_subscriptions_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_subscriptions_set_updated_at" BEFORE UPDATE ON "acme_subscriptions" FOR EACH ROW EXECUTE FUNCTION "acme_subscriptions_set_updated_at"();
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop trigger "acme_subscriptions_set_updated_at" on "acme_subscriptions"
DROP TRIGGER "acme_subscriptions_set_updated_at" ON "acme_subscriptions";
DROP FUNCTION "acme_subscriptions_set_updated_at"();
-- Drop index "acme_subscriptions_plan_id_idx" on "acme_subscriptions"
DROP INDEX "acme_subscriptions_plan_id_idx";
-- Drop foreign key "acme_subscriptions_plan_id_fkey" on "acme_subscriptions"
ALTER TABLE "acme_subscriptions" DROP CONSTRAINT "acme_subscriptions_plan_id_fkey";
-- Drop table "acme_subscriptions"
DROP TABLE "acme_subscriptions";
