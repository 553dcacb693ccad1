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
-- Install extension "pg_trgm"
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
-- Create table "acme_notes"
CREATE TABLE "acme_notes" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "body" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_notes_pkey" PRIMARY KEY ("id")
);
-- Add foreign key "acme_notes_client_id_fkey" on "acme_notes"
ALTER TABLE "acme_notes" ADD CONSTRAINT "acme_notes_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "acme_notes_client_id_idx" on "acme_notes"
CREATE INDEX "acme_notes_client_id_idx" ON "acme_notes" ("client_id");
-- Create trigger "acme_notes_set_updated_at" on "acme_notes" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_notes_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_notes_set_updated_at" BEFORE UPDATE ON "acme_notes" FOR EACH ROW EXECUTE FUNCTION "acme_notes_set_updated_at"();
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
-- Drop trigger "acme_notes_set_updated_at" on "acme_notes"
DROP TRIGGER "acme_notes_set_updated_at" ON "acme_notes";
DROP FUNCTION "acme_notes_set_updated_at"();
-- Drop index "acme_notes_client_id_idx" on "acme_notes"
DROP INDEX "acme_notes_client_id_idx";
-- Drop foreign key "acme_notes_client_id_fkey" on "acme_notes"
ALTER TABLE "acme_notes" DROP CONSTRAINT "acme_notes_client_id_fkey";
-- Drop table "acme_notes"
DROP TABLE "acme_notes";
-- Remove extension "pg_trgm"
DROP EXTENSION IF EXISTS "pg_trgm";

-- file: 20260101_120000_custom_globex_step_01.sql
-- schemac: owner=globex description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Install extension "pg_trgm"
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
-- Create table "globex_documents"
CREATE TABLE "globex_documents" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "title" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "globex_documents_pkey" PRIMARY KEY ("id")
);
-- Add foreign key "globex_documents_client_id_fkey" on "globex_documents"
ALTER TABLE "globex_documents" ADD CONSTRAINT "globex_documents_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "globex_documents_client_id_idx" on "globex_documents"
CREATE INDEX "globex_documents_client_id_idx" ON "globex_documents" ("client_id");
-- Create trigger "globex_documents_set_updated_at" on "globex_documents" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "globex_documents_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "globex_documents_set_updated_at" BEFORE UPDATE ON "globex_documents" FOR EACH ROW EXECUTE FUNCTION "globex_documents_set_updated_at"();
-- Enable row-level security on "globex_documents"
ALTER TABLE "globex_documents" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "globex_documents" FORCE ROW LEVEL SECURITY;
CREATE POLICY "globex_documents_tenant_isolation" ON "globex_documents" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Disable row-level security on "globex_documents"
DROP POLICY "globex_documents_tenant_isolation" ON "globex_documents";
ALTER TABLE "globex_documents" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "globex_documents" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "globex_documents_set_updated_at" on "globex_documents"
DROP TRIGGER "globex_documents_set_updated_at" ON "globex_documents";
DROP FUNCTION "globex_documents_set_updated_at"();
-- Drop index "globex_documents_client_id_idx" on "globex_documents"
DROP INDEX "globex_documents_client_id_idx";
-- Drop foreign key "globex_documents_client_id_fkey" on "globex_documents"
ALTER TABLE "globex_documents" DROP CONSTRAINT "globex_documents_client_id_fkey";
-- Drop table "globex_documents"
DROP TABLE "globex_documents";
-- Remove extension "pg_trgm"
DROP EXTENSION IF EXISTS "pg_trgm";
