-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create trigger "documents_set_updated_at" on "documents" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "documents_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "documents_set_updated_at" BEFORE UPDATE ON "documents" FOR EACH ROW EXECUTE FUNCTION "documents_set_updated_at"();
-- Enable row-level security on "documents"
ALTER TABLE "documents" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "documents" FORCE ROW LEVEL SECURITY;
CREATE POLICY "documents_tenant_isolation" ON "documents" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Disable row-level security on "documents"
DROP POLICY "documents_tenant_isolation" ON "documents";
ALTER TABLE "documents" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "documents" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "documents_set_updated_at" on "documents"
DROP TRIGGER "documents_set_updated_at" ON "documents";
DROP FUNCTION "documents_set_updated_at"();
