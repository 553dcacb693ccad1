-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename constraint "clients_pkey" of "clients" to "pk_clients"
ALTER TABLE "clients" RENAME CONSTRAINT "clients_pkey" TO "pk_clients";
-- Rename constraint "clients_email_key" of "clients" to "uq_clients_email"
ALTER TABLE "clients" RENAME CONSTRAINT "clients_email_key" TO "uq_clients_email";
-- Rename constraint "clients_amount_check" of "clients" to "ck_amount"
ALTER TABLE "clients" RENAME CONSTRAINT "clients_amount_check" TO "ck_amount";
-- Rename constraint "invoices_pkey" of "invoices" to "pk_invoices"
ALTER TABLE "invoices" RENAME CONSTRAINT "invoices_pkey" TO "pk_invoices";
-- Rename constraint "invoices_client_id_fkey" of "invoices" to "fk_invoices_client"
ALTER TABLE "invoices" RENAME CONSTRAINT "invoices_client_id_fkey" TO "fk_invoices_client";
-- Rename constraint "invoices_client_id_code_key" of "invoices" to "uq_invoices_code"
ALTER TABLE "invoices" RENAME CONSTRAINT "invoices_client_id_code_key" TO "uq_invoices_code";
-- Rename constraint "invoices_nonneg_check" of "invoices" to "ck_invoices_nonneg"
ALTER TABLE "invoices" RENAME CONSTRAINT "invoices_nonneg_check" TO "ck_invoices_nonneg";
-- Rename index "invoices_total_idx" to "ix_invoices_total"
ALTER INDEX "invoices_total_idx" RENAME TO "ix_invoices_total";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename index "ix_invoices_total" to "invoices_total_idx"
ALTER INDEX "ix_invoices_total" RENAME TO "invoices_total_idx";
-- Rename constraint "ck_invoices_nonneg" of "invoices" to "invoices_nonneg_check"
ALTER TABLE "invoices" RENAME CONSTRAINT "ck_invoices_nonneg" TO "invoices_nonneg_check";
-- Rename constraint "uq_invoices_code" of "invoices" to "invoices_client_id_code_key"
ALTER TABLE "invoices" RENAME CONSTRAINT "uq_invoices_code" TO "invoices_client_id_code_key";
-- Rename constraint "fk_invoices_client" of "invoices" to "invoices_client_id_fkey"
ALTER TABLE "invoices" RENAME CONSTRAINT "fk_invoices_client" TO "invoices_client_id_fkey";
-- Rename constraint "pk_invoices" of "invoices" to "invoices_pkey"
ALTER TABLE "invoices" RENAME CONSTRAINT "pk_invoices" TO "invoices_pkey";
-- Rename constraint "ck_amount" of "clients" to "clients_amount_check"
ALTER TABLE "clients" RENAME CONSTRAINT "ck_amount" TO "clients_amount_check";
-- Rename constraint "uq_clients_email" of "clients" to "clients_email_key"
ALTER TABLE "clients" RENAME CONSTRAINT "uq_clients_email" TO "clients_email_key";
-- Rename constraint "pk_clients" of "clients" to "clients_pkey"
ALTER TABLE "clients" RENAME CONSTRAINT "pk_clients" TO "clients_pkey";
