-- file: 20260103_120000_custom_globex_step_03.sql
-- schemac: owner=globex description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create table "globex_carriers"
CREATE TABLE "globex_carriers" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "name" varchar(100) NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "globex_carriers_pkey" PRIMARY KEY ("id")
);
-- Add foreign key "globex_carriers_client_id_fkey" on "globex_carriers"
ALTER TABLE "globex_carriers" ADD CONSTRAINT "globex_carriers_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "globex_carriers_client_id_idx" on "globex_carriers"
CREATE INDEX "globex_carriers_client_id_idx" ON "globex_carriers" ("client_id");
-- Create trigger "globex_carriers_set_updated_at" on "globex_carriers" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "globex_carriers_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "globex_carriers_set_updated_at" BEFORE UPDATE ON "globex_carriers" FOR EACH ROW EXECUTE FUNCTION "globex_carriers_set_updated_at"();
-- Enable row-level security on "globex_carriers"
ALTER TABLE "globex_carriers" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "globex_carriers" FORCE ROW LEVEL SECURITY;
CREATE POLICY "globex_carriers_tenant_isolation" ON "globex_carriers" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Disable row-level security on "globex_carriers"
DROP POLICY "globex_carriers_tenant_isolation" ON "globex_carriers";
ALTER TABLE "globex_carriers" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "globex_carriers" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "globex_carriers_set_updated_at" on "globex_carriers"
DROP TRIGGER "globex_carriers_set_updated_at" ON "globex_carriers";
DROP FUNCTION "globex_carriers_set_updated_at"();
-- Drop index "globex_carriers_client_id_idx" on "globex_carriers"
DROP INDEX "globex_carriers_client_id_idx";
-- Drop foreign key "globex_carriers_client_id_fkey" on "globex_carriers"
ALTER TABLE "globex_carriers" DROP CONSTRAINT "globex_carriers_client_id_fkey";
-- Drop table "globex_carriers"
DROP TABLE "globex_carriers";
