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
-- Create table "acme_invoice_lines"
CREATE TABLE "acme_invoice_lines" (
  "id" serial NOT NULL,
  "client_id" uuid NOT NULL,
  "invoice_id" uuid NOT NULL,
  "label" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_invoice_lines_pkey" PRIMARY KEY ("id")
);
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
-- Create table "acme_notes"
CREATE TABLE "acme_notes" (
  "id" serial NOT NULL,
  "client_id" uuid NOT NULL,
  "body" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_notes_pkey" PRIMARY KEY ("id")
);
-- Add foreign key "acme_invoice_lines_client_id_fkey" on "acme_invoice_lines"
ALTER TABLE "acme_invoice_lines" ADD CONSTRAINT "acme_invoice_lines_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_invoice_lines_invoice_id_fkey" on "acme_invoice_lines"
ALTER TABLE "acme_invoice_lines" ADD CONSTRAINT "acme_invoice_lines_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "acme_invoices" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_invoices_client_id_fkey" on "acme_invoices"
ALTER TABLE "acme_invoices" ADD CONSTRAINT "acme_invoices_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_notes_client_id_fkey" on "acme_notes"
ALTER TABLE "acme_notes" ADD CONSTRAINT "acme_notes_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "acme_invoice_lines_client_id_idx" on "acme_invoice_lines"
CREATE INDEX "acme_invoice_lines_client_id_idx" ON "acme_invoice_lines" ("client_id");
-- Create index "acme_invoice_lines_invoice_id_idx" on "acme_invoice_lines"
CREATE INDEX "acme_invoice_lines_invoice_id_idx" ON "acme_invoice_lines" ("invoice_id");
-- Create index "acme_invoices_client_id_created_at_idx" on "acme_invoices"
CREATE INDEX "acme_invoices_client_id_created_at_idx" ON "acme_invoices" ("client_id", "created_at");
-- Create index "acme_notes_client_id_idx" on "acme_notes"
CREATE INDEX "acme_notes_client_id_idx" ON "acme_notes" ("client_id");
-- Create trigger "acme_invoice_lines_set_updated_at" on "acme_invoice_lines" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_invoice_lines_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_invoice_lines_set_updated_at" BEFORE UPDATE ON "acme_invoice_lines" FOR EACH ROW EXECUTE FUNCTION "acme_invoice_lines_set_updated_at"();
-- Create trigger "acme_invoices_set_updated_at" on "acme_invoices" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_invoices_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_invoices_set_updated_at" BEFORE UPDATE ON "acme_invoices" FOR EACH ROW EXECUTE FUNCTION "acme_invoices_set_updated_at"();
-- Create trigger "acme_notes_set_updated_at" on "acme_notes" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_notes_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_notes_set_updated_at" BEFORE UPDATE ON "acme_notes" FOR EACH ROW EXECUTE FUNCTION "acme_notes_set_updated_at"();
-- Enable row-level security on "acme_invoice_lines"
ALTER TABLE "acme_invoice_lines" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoice_lines" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_invoice_lines_tenant_isolation" ON "acme_invoice_lines" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Enable row-level security on "acme_invoices"
ALTER TABLE "acme_invoices" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoices" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_invoices_tenant_isolation" ON "acme_invoices" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Enable row-level security on "acme_notes"
ALTER TABLE "acme_notes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_notes" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_notes_tenant_isolation" ON "acme_notes" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Disable row-level security on "acme_notes"
DROP POLICY "acme_notes_tenant_isolation" ON "acme_notes";
ALTER TABLE "acme_notes" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_notes" DISABLE ROW LEVEL SECURITY;
-- Disable row-level security on "acme_invoices"
DROP POLICY "acme_invoices_tenant_isolation" ON "acme_invoices";
ALTER TABLE "acme_invoices" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoices" DISABLE ROW LEVEL SECURITY;
-- Disable row-level security on "acme_invoice_lines"
DROP POLICY "acme_invoice_lines_tenant_isolation" ON "acme_invoice_lines";
ALTER TABLE "acme_invoice_lines" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoice_lines" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "acme_notes_set_updated_at" on "acme_notes"
DROP TRIGGER "acme_notes_set_updated_at" ON "acme_notes";
DROP FUNCTION "acme_notes_set_updated_at"();
-- Drop trigger "acme_invoices_set_updated_at" on "acme_invoices"
DROP TRIGGER "acme_invoices_set_updated_at" ON "acme_invoices";
DROP FUNCTION "acme_invoices_set_updated_at"();
-- Drop trigger "acme_invoice_lines_set_updated_at" on "acme_invoice_lines"
DROP TRIGGER "acme_invoice_lines_set_updated_at" ON "acme_invoice_lines";
DROP FUNCTION "acme_invoice_lines_set_updated_at"();
-- Drop index "acme_notes_client_id_idx" on "acme_notes"
DROP INDEX "acme_notes_client_id_idx";
-- Drop index "acme_invoices_client_id_created_at_idx" on "acme_invoices"
DROP INDEX "acme_invoices_client_id_created_at_idx";
-- Drop index "acme_invoice_lines_invoice_id_idx" on "acme_invoice_lines"
DROP INDEX "acme_invoice_lines_invoice_id_idx";
-- Drop index "acme_invoice_lines_client_id_idx" on "acme_invoice_lines"
DROP INDEX "acme_invoice_lines_client_id_idx";
-- Drop foreign key "acme_notes_client_id_fkey" on "acme_notes"
ALTER TABLE "acme_notes" DROP CONSTRAINT "acme_notes_client_id_fkey";
-- Drop foreign key "acme_invoices_client_id_fkey" on "acme_invoices"
ALTER TABLE "acme_invoices" DROP CONSTRAINT "acme_invoices_client_id_fkey";
-- Drop foreign key "acme_invoice_lines_invoice_id_fkey" on "acme_invoice_lines"
ALTER TABLE "acme_invoice_lines" DROP CONSTRAINT "acme_invoice_lines_invoice_id_fkey";
-- Drop foreign key "acme_invoice_lines_client_id_fkey" on "acme_invoice_lines"
ALTER TABLE "acme_invoice_lines" DROP CONSTRAINT "acme_invoice_lines_client_id_fkey";
-- Drop table "acme_notes"
DROP TABLE "acme_notes";
-- Drop table "acme_invoices"
DROP TABLE "acme_invoices";
-- Drop table "acme_invoice_lines"
DROP TABLE "acme_invoice_lines";
-- Drop enum "acme_invoice_status"
DROP TYPE "acme_invoice_status";
