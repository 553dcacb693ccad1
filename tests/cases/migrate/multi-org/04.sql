-- file: 20260104_120000_custom_globex_step_04.sql
-- schemac: owner=globex description="step 04"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop foreign key "globex_carriers_client_id_fkey" on "globex_carriers"
ALTER TABLE "globex_carriers" DROP CONSTRAINT "globex_carriers_client_id_fkey";
-- Drop foreign key "globex_shipments_client_id_fkey" on "globex_shipments"
ALTER TABLE "globex_shipments" DROP CONSTRAINT "globex_shipments_client_id_fkey";
-- Drop table "globex_carriers" (the down migration recreates it empty)
DROP TABLE "globex_carriers";
DROP FUNCTION "globex_carriers_set_updated_at"();
-- Drop table "globex_shipments" (the down migration recreates it empty)
DROP TABLE "globex_shipments";
DROP FUNCTION "globex_shipments_set_updated_at"();
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create table "globex_shipments"
CREATE TABLE "globex_shipments" (
  "id" bigserial NOT NULL,
  "client_id" uuid NOT NULL,
  "tracking_number" varchar(64) NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "globex_shipments_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "globex_shipments_client_id_tracking_number_key" UNIQUE ("client_id", "tracking_number")
);
CREATE INDEX "globex_shipments_client_id_created_at_idx" ON "globex_shipments" ("client_id", "created_at");
CREATE OR REPLACE FUNCTION "globex_shipments_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "globex_shipments_set_updated_at" BEFORE UPDATE ON "globex_shipments" FOR EACH ROW EXECUTE FUNCTION "globex_shipments_set_updated_at"();
ALTER TABLE "globex_shipments" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "globex_shipments" FORCE ROW LEVEL SECURITY;
CREATE POLICY "globex_shipments_tenant_isolation" ON "globex_shipments" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Create table "globex_carriers"
CREATE TABLE "globex_carriers" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "name" varchar(100) NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "globex_carriers_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "globex_carriers_client_id_idx" ON "globex_carriers" ("client_id");
CREATE OR REPLACE FUNCTION "globex_carriers_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "globex_carriers_set_updated_at" BEFORE UPDATE ON "globex_carriers" FOR EACH ROW EXECUTE FUNCTION "globex_carriers_set_updated_at"();
ALTER TABLE "globex_carriers" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "globex_carriers" FORCE ROW LEVEL SECURITY;
CREATE POLICY "globex_carriers_tenant_isolation" ON "globex_carriers" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Add foreign key "globex_shipments_client_id_fkey" on "globex_shipments"
ALTER TABLE "globex_shipments" ADD CONSTRAINT "globex_shipments_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "globex_carriers_client_id_fkey" on "globex_carriers"
ALTER TABLE "globex_carriers" ADD CONSTRAINT "globex_carriers_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
