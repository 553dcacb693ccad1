-- file: 20260103_120000_custom_acme_step_03.sql
-- schemac: owner=acme description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename constraint "acme_customers_pkey" of "acme_customers" to "acme_pk_customers"
ALTER TABLE "acme_customers" RENAME CONSTRAINT "acme_customers_pkey" TO "acme_pk_customers";
-- Rename index "acme_orders_client_id_customer_id_idx" to "acme_ix_orders_customer"
ALTER INDEX "acme_orders_client_id_customer_id_idx" RENAME TO "acme_ix_orders_customer";
-- Drop foreign key "acme_customers_client_id_referrer_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" DROP CONSTRAINT "acme_customers_client_id_referrer_id_fkey";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add foreign key "acme_customers_client_id_referrer_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" ADD CONSTRAINT "acme_customers_client_id_referrer_id_fkey" FOREIGN KEY ("client_id", "referrer_id") REFERENCES "acme_customers" ("client_id", "id") ON UPDATE CASCADE;
-- Rename index "acme_ix_orders_customer" to "acme_orders_client_id_customer_id_idx"
ALTER INDEX "acme_ix_orders_customer" RENAME TO "acme_orders_client_id_customer_id_idx";
-- Rename constraint "acme_pk_customers" of "acme_customers" to "acme_customers_pkey"
ALTER TABLE "acme_customers" RENAME CONSTRAINT "acme_pk_customers" TO "acme_customers_pkey";
