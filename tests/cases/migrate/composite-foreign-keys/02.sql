-- file: 20260102_120000_custom_acme_step_02.sql
-- schemac: owner=acme description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename constraint "acme_orders_client_id_customer_id_fkey" of "acme_orders" to "acme_fk_orders_customer"
ALTER TABLE "acme_orders" RENAME CONSTRAINT "acme_orders_client_id_customer_id_fkey" TO "acme_fk_orders_customer";
-- Add column "referrer_id" to "acme_customers"
ALTER TABLE "acme_customers" ADD COLUMN "referrer_id" integer;
-- Add foreign key "acme_customers_client_id_referrer_id_fkey" on "acme_customers" (NOT VALID: checked for new rows now, validated in the concurrent part)
ALTER TABLE "acme_customers" ADD CONSTRAINT "acme_customers_client_id_referrer_id_fkey" FOREIGN KEY ("client_id", "referrer_id") REFERENCES "acme_customers" ("client_id", "id") ON UPDATE CASCADE NOT VALID;
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop foreign key "acme_customers_client_id_referrer_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" DROP CONSTRAINT IF EXISTS "acme_customers_client_id_referrer_id_fkey";
-- Drop column "referrer_id" from "acme_customers"
ALTER TABLE "acme_customers" DROP COLUMN "referrer_id";
-- Rename constraint "acme_fk_orders_customer" of "acme_orders" to "acme_orders_client_id_customer_id_fkey"
ALTER TABLE "acme_orders" RENAME CONSTRAINT "acme_fk_orders_customer" TO "acme_orders_client_id_customer_id_fkey";

-- file: 20260102_120001_custom_acme_step_02_concurrent.sql
-- schemac: owner=acme description="step 02 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create index "acme_customers_client_id_referrer_id_idx" on "acme_customers" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"acme_customers_client_id_referrer_id_idx"') AND NOT indisvalid) THEN
    DROP INDEX "acme_customers_client_id_referrer_id_idx";
  END IF;
END $schemac$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "acme_customers_client_id_referrer_id_idx" ON "acme_customers" ("client_id", "referrer_id");
-- Validate foreign key "acme_customers_client_id_referrer_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" VALIDATE CONSTRAINT "acme_customers_client_id_referrer_id_fkey";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Make foreign key "acme_customers_client_id_referrer_id_fkey" on "acme_customers" NOT VALID again (dropped and re-added: no scan)
ALTER TABLE "acme_customers" DROP CONSTRAINT IF EXISTS "acme_customers_client_id_referrer_id_fkey", ADD CONSTRAINT "acme_customers_client_id_referrer_id_fkey" FOREIGN KEY ("client_id", "referrer_id") REFERENCES "acme_customers" ("client_id", "id") ON UPDATE CASCADE NOT VALID;
-- Drop index "acme_customers_client_id_referrer_id_idx" on "acme_customers" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "acme_customers_client_id_referrer_id_idx";
