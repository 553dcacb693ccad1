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

-- file: 20260101_120000_custom_acme_step_01.sql
-- schemac: owner=acme description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create enum "acme_invoice_status"
CREATE TYPE "acme_invoice_status" AS ENUM ('draft', 'paid');
-- Create table "acme_invoices"
CREATE TABLE "acme_invoices" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "status" "acme_invoice_status" NOT NULL DEFAULT 'draft',
  "amount_cents" bigint NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_invoices_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "acme_invoices_amount_cents_check" CHECK (amount_cents >= 0)
);
-- Add foreign key "acme_invoices_client_id_fkey" on "acme_invoices"
ALTER TABLE "acme_invoices" ADD CONSTRAINT "acme_invoices_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "acme_invoices_client_id_created_at_idx" on "acme_invoices"
CREATE INDEX "acme_invoices_client_id_created_at_idx" ON "acme_invoices" ("client_id", "created_at");
-- Create trigger "acme_invoices_set_updated_at" on "acme_invoices" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_invoices_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_invoices_set_updated_at" BEFORE UPDATE ON "acme_invoices" FOR EACH ROW EXECUTE FUNCTION "acme_invoices_set_updated_at"();
-- Enable row-level security on "acme_invoices"
ALTER TABLE "acme_invoices" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoices" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_invoices_tenant_isolation" ON "acme_invoices" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Disable row-level security on "acme_invoices"
DROP POLICY "acme_invoices_tenant_isolation" ON "acme_invoices";
ALTER TABLE "acme_invoices" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoices" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "acme_invoices_set_updated_at" on "acme_invoices"
DROP TRIGGER "acme_invoices_set_updated_at" ON "acme_invoices";
DROP FUNCTION "acme_invoices_set_updated_at"();
-- Drop index "acme_invoices_client_id_created_at_idx" on "acme_invoices"
DROP INDEX "acme_invoices_client_id_created_at_idx";
-- Drop foreign key "acme_invoices_client_id_fkey" on "acme_invoices"
ALTER TABLE "acme_invoices" DROP CONSTRAINT "acme_invoices_client_id_fkey";
-- Drop table "acme_invoices"
DROP TABLE "acme_invoices";
-- Drop enum "acme_invoice_status"
DROP TYPE "acme_invoice_status";

-- file: 20260101_120000_custom_globex_step_01.sql
-- schemac: owner=globex description="step 01"
-- migrate:up
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
-- Add foreign key "globex_shipments_client_id_fkey" on "globex_shipments"
ALTER TABLE "globex_shipments" ADD CONSTRAINT "globex_shipments_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "globex_shipments_client_id_created_at_idx" on "globex_shipments"
CREATE INDEX "globex_shipments_client_id_created_at_idx" ON "globex_shipments" ("client_id", "created_at");
-- Create trigger "globex_shipments_set_updated_at" on "globex_shipments" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "globex_shipments_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "globex_shipments_set_updated_at" BEFORE UPDATE ON "globex_shipments" FOR EACH ROW EXECUTE FUNCTION "globex_shipments_set_updated_at"();
-- Enable row-level security on "globex_shipments"
ALTER TABLE "globex_shipments" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "globex_shipments" FORCE ROW LEVEL SECURITY;
CREATE POLICY "globex_shipments_tenant_isolation" ON "globex_shipments" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Disable row-level security on "globex_shipments"
DROP POLICY "globex_shipments_tenant_isolation" ON "globex_shipments";
ALTER TABLE "globex_shipments" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "globex_shipments" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "globex_shipments_set_updated_at" on "globex_shipments"
DROP TRIGGER "globex_shipments_set_updated_at" ON "globex_shipments";
DROP FUNCTION "globex_shipments_set_updated_at"();
-- Drop index "globex_shipments_client_id_created_at_idx" on "globex_shipments"
DROP INDEX "globex_shipments_client_id_created_at_idx";
-- Drop foreign key "globex_shipments_client_id_fkey" on "globex_shipments"
ALTER TABLE "globex_shipments" DROP CONSTRAINT "globex_shipments_client_id_fkey";
-- Drop table "globex_shipments"
DROP TABLE "globex_shipments";
