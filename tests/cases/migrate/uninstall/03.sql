-- file: 20260103_120000_custom_acme_step_03.sql
-- schemac: owner=acme description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Restore enum "acme_invoice_status" from schema "archive_acme"
ALTER TYPE "archive_acme"."acme_invoice_status" SET SCHEMA public;
-- Restore table "acme_invoice_lines" from schema "archive_acme" with its rows
ALTER TABLE "archive_acme"."acme_invoice_lines" SET SCHEMA public;
ALTER FUNCTION "archive_acme"."acme_invoice_lines_set_updated_at"() SET SCHEMA public;
-- Restore table "acme_invoices" from schema "archive_acme" with its rows
ALTER TABLE "archive_acme"."acme_invoices" SET SCHEMA public;
ALTER FUNCTION "archive_acme"."acme_invoices_set_updated_at"() SET SCHEMA public;
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Archive table "acme_invoices" into schema "archive_acme"
CREATE SCHEMA IF NOT EXISTS "archive_acme";
ALTER TABLE "acme_invoices" SET SCHEMA "archive_acme";
ALTER FUNCTION "acme_invoices_set_updated_at"() SET SCHEMA "archive_acme";
-- Archive table "acme_invoice_lines" into schema "archive_acme"
CREATE SCHEMA IF NOT EXISTS "archive_acme";
ALTER TABLE "acme_invoice_lines" SET SCHEMA "archive_acme";
ALTER FUNCTION "acme_invoice_lines_set_updated_at"() SET SCHEMA "archive_acme";
-- Archive enum "acme_invoice_status" into schema "archive_acme"
CREATE SCHEMA IF NOT EXISTS "archive_acme";
ALTER TYPE "acme_invoice_status" SET SCHEMA "archive_acme";
