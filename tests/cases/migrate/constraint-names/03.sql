-- file: 20260103_120000_core_step_03.sql
-- schemac: owner=core description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename constraint "uq_clients_email" of "clients" to "clients_email_key"
ALTER TABLE "clients" RENAME CONSTRAINT "uq_clients_email" TO "clients_email_key";
-- Rename constraint "pk_invoices" of "invoices" to "pk_invoices_2"
ALTER TABLE "invoices" RENAME CONSTRAINT "pk_invoices" TO "pk_invoices_2";
-- Drop check constraint "ck_amount" on "clients"
ALTER TABLE "clients" DROP CONSTRAINT "ck_amount";
-- Add check constraint "ck_amount" on "clients" (NOT VALID: checked for new rows now, validated in the concurrent part)
ALTER TABLE "clients" ADD CONSTRAINT "ck_amount" CHECK (amount >= 0) NOT VALID;
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop check constraint "ck_amount" on "clients"
ALTER TABLE "clients" DROP CONSTRAINT IF EXISTS "ck_amount";
-- Add check constraint "ck_amount" on "clients"
ALTER TABLE "clients" ADD CONSTRAINT "ck_amount" CHECK (amount > 0);
-- Rename constraint "pk_invoices_2" of "invoices" to "pk_invoices"
ALTER TABLE "invoices" RENAME CONSTRAINT "pk_invoices_2" TO "pk_invoices";
-- Rename constraint "clients_email_key" of "clients" to "uq_clients_email"
ALTER TABLE "clients" RENAME CONSTRAINT "clients_email_key" TO "uq_clients_email";

-- file: 20260103_120001_core_step_03_concurrent.sql
-- schemac: owner=core description="step 03 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Validate check constraint "ck_amount" on "clients"
ALTER TABLE "clients" VALIDATE CONSTRAINT "ck_amount";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Make check constraint "ck_amount" on "clients" NOT VALID again (dropped and re-added: no scan)
ALTER TABLE "clients" DROP CONSTRAINT IF EXISTS "ck_amount", ADD CONSTRAINT "ck_amount" CHECK (amount >= 0) NOT VALID;
