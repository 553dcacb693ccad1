-- file: 20260103_120000_custom_acme_step_03.sql
-- schemac: owner=acme description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop foreign key "acme_customers_client_id_referrer_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" DROP CONSTRAINT "acme_customers_client_id_referrer_id_fkey";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add foreign key "acme_customers_client_id_referrer_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" ADD CONSTRAINT "acme_customers_client_id_referrer_id_fkey" FOREIGN KEY ("client_id", "referrer_id") REFERENCES "acme_customers" ("client_id", "id") ON UPDATE CASCADE;
