-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create enum "plan_status"
CREATE TYPE "plan_status" AS ENUM ('draft', 'active', 'closed');
-- Create table "clients"
CREATE TABLE "clients" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" varchar(255) NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);
-- Create trigger "clients_set_updated_at" on "clients" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "clients_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "clients_set_updated_at" BEFORE UPDATE ON "clients" FOR EACH ROW EXECUTE FUNCTION "clients_set_updated_at"();
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop trigger "clients_set_updated_at" on "clients"
DROP TRIGGER "clients_set_updated_at" ON "clients";
DROP FUNCTION "clients_set_updated_at"();
-- Drop table "clients"
DROP TABLE "clients";
-- Drop enum "plan_status"
DROP TYPE "plan_status";

-- file: 20260101_120000_custom_acme_step_01.sql
-- schemac: owner=acme description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "acme_subscriptions"
CREATE TABLE "acme_subscriptions" (
  "id" serial NOT NULL,
  "status" "plan_status" NOT NULL DEFAULT 'draft',
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_subscriptions_pkey" PRIMARY KEY ("id")
);
-- Create index "acme_subscriptions_status_idx" on "acme_subscriptions"
CREATE INDEX "acme_subscriptions_status_idx" ON "acme_subscriptions" ("status") WHERE (status <> 'draft');
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
-- Drop trigger "acme_subscriptions_set_updated_at" on "acme_subscriptions"
DROP TRIGGER "acme_subscriptions_set_updated_at" ON "acme_subscriptions";
DROP FUNCTION "acme_subscriptions_set_updated_at"();
-- Drop index "acme_subscriptions_status_idx" on "acme_subscriptions"
DROP INDEX "acme_subscriptions_status_idx";
-- Drop table "acme_subscriptions"
DROP TABLE "acme_subscriptions";
