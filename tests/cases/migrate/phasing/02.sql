-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create table "shipments"
CREATE TABLE "shipments" (
  "id" serial NOT NULL,
  "order_id" integer NOT NULL,
  "customer_email" text NOT NULL,
  CONSTRAINT "shipments_pkey" PRIMARY KEY ("id")
);
-- Add column "public_id" to "orders" (nullable and without its volatile default first: no table rewrite)
ALTER TABLE "orders" ADD COLUMN "public_id" uuid;
ALTER TABLE "orders" ALTER COLUMN "public_id" SET DEFAULT gen_random_uuid();
COMMENT ON COLUMN "orders"."public_id" IS 'Shown to customers';
-- Add column "trace_id" to "orders" (nullable and without its volatile default first: no table rewrite)
ALTER TABLE "orders" ADD COLUMN "trace_id" uuid;
ALTER TABLE "orders" ALTER COLUMN "trace_id" SET DEFAULT gen_random_uuid();
-- Add column "placed_at" to "orders"
ALTER TABLE "orders" ADD COLUMN "placed_at" timestamptz NOT NULL DEFAULT now();
-- Alter column "code" of "orders": NOT VALID check "orders_code_not_null" ahead of NOT NULL
ALTER TABLE "orders" ADD CONSTRAINT "orders_code_not_null" CHECK ("code" IS NOT NULL) NOT VALID;
-- Alter column "name" of "tags": NOT VALID check "tags_name_not_null" ahead of NOT NULL
ALTER TABLE "tags" ADD CONSTRAINT "tags_name_not_null" CHECK ("name" IS NOT NULL) NOT VALID;
-- Add check constraint "orders_total_check" on "orders" (NOT VALID: checked for new rows now, validated in the concurrent part)
ALTER TABLE "orders" ADD CONSTRAINT "orders_total_check" CHECK (total >= 0) NOT VALID;
-- Add foreign key "orders_customer_id_fkey" on "orders" (NOT VALID: checked for new rows now, validated in the concurrent part)
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") NOT VALID;
-- Add foreign key "shipments_order_id_fkey" on "shipments"
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders" ("id");
-- Create index "shipments_order_id_idx" on "shipments"
CREATE INDEX "shipments_order_id_idx" ON "shipments" ("order_id");
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop index "shipments_order_id_idx" on "shipments"
DROP INDEX "shipments_order_id_idx";
-- Drop foreign key "shipments_order_id_fkey" on "shipments"
ALTER TABLE "shipments" DROP CONSTRAINT "shipments_order_id_fkey";
-- Drop foreign key "orders_customer_id_fkey" on "orders"
ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_customer_id_fkey";
-- Drop check constraint "orders_total_check" on "orders"
ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_total_check";
-- Revert column "name" of "tags": drop the check "tags_name_not_null"
ALTER TABLE "tags" DROP CONSTRAINT IF EXISTS "tags_name_not_null";
-- Revert column "code" of "orders": drop the check "orders_code_not_null"
ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_code_not_null";
-- Drop column "placed_at" from "orders"
ALTER TABLE "orders" DROP COLUMN "placed_at";
-- Drop column "trace_id" from "orders"
ALTER TABLE "orders" DROP COLUMN "trace_id";
-- Drop column "public_id" from "orders"
ALTER TABLE "orders" DROP COLUMN "public_id";
-- Drop table "shipments"
DROP TABLE "shipments";

-- file: 20260102_120001_core_step_02_concurrent.sql
-- schemac: owner=core description="step 02 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Backfill "public_id" of "orders" from its default, in batches
DO $schemac$
#variable_conflict use_column
DECLARE n bigint;
BEGIN
  LOOP
    UPDATE "orders" SET "public_id" = gen_random_uuid() WHERE ctid = ANY (ARRAY(SELECT ctid FROM "orders" WHERE "public_id" IS NULL LIMIT 1000));
    GET DIAGNOSTICS n = ROW_COUNT;
    COMMIT;
    EXIT WHEN n = 0;
  END LOOP;
END;
$schemac$;
-- Set "public_id" of "orders" NOT NULL (through a validated check "orders_public_id_not_null", then drop the check)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"orders"'::regclass AND attname = 'public_id' AND NOT attnotnull) AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_public_id_not_null') THEN
    ALTER TABLE "orders" ADD CONSTRAINT "orders_public_id_not_null" CHECK ("public_id" IS NOT NULL) NOT VALID;
  END IF;
END $schemac$;
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_public_id_not_null') THEN
    ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_public_id_not_null";
  END IF;
END $schemac$;
ALTER TABLE "orders" ALTER COLUMN "public_id" SET NOT NULL;
ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_public_id_not_null";
-- Backfill "trace_id" of "orders" from its default, in batches
DO $schemac$
#variable_conflict use_column
DECLARE n bigint;
BEGIN
  LOOP
    UPDATE "orders" SET "trace_id" = gen_random_uuid() WHERE ctid = ANY (ARRAY(SELECT ctid FROM "orders" WHERE "trace_id" IS NULL LIMIT 1000));
    GET DIAGNOSTICS n = ROW_COUNT;
    COMMIT;
    EXIT WHEN n = 0;
  END LOOP;
END;
$schemac$;
-- Set "code" of "orders" NOT NULL (through the validated check "orders_code_not_null", then drop the check)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"orders"'::regclass AND attname = 'code' AND NOT attnotnull) AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_code_not_null') THEN
    ALTER TABLE "orders" ADD CONSTRAINT "orders_code_not_null" CHECK ("code" IS NOT NULL) NOT VALID;
  END IF;
END $schemac$;
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_code_not_null') THEN
    ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_code_not_null";
  END IF;
END $schemac$;
ALTER TABLE "orders" ALTER COLUMN "code" SET NOT NULL;
ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_code_not_null";
-- Set "name" of "tags" NOT NULL (through the validated check "tags_name_not_null", then drop the check)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"tags"'::regclass AND attname = 'name' AND NOT attnotnull) AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"tags"'::regclass AND conname = 'tags_name_not_null') THEN
    ALTER TABLE "tags" ADD CONSTRAINT "tags_name_not_null" CHECK ("name" IS NOT NULL) NOT VALID;
  END IF;
END $schemac$;
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"tags"'::regclass AND conname = 'tags_name_not_null') THEN
    ALTER TABLE "tags" VALIDATE CONSTRAINT "tags_name_not_null";
  END IF;
END $schemac$;
ALTER TABLE "tags" ALTER COLUMN "name" SET NOT NULL;
ALTER TABLE "tags" DROP CONSTRAINT IF EXISTS "tags_name_not_null";
-- Create index "tags_pkey" on "tags" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"tags_pkey"') AND NOT indisvalid) THEN
    DROP INDEX "tags_pkey";
  END IF;
END $schemac$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "tags_pkey" ON "tags" ("name");
-- Create index "customers_email_key" on "customers" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"customers_email_key"') AND NOT indisvalid) THEN
    DROP INDEX "customers_email_key";
  END IF;
END $schemac$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "customers_email_key" ON "customers" ("email");
-- Create index "orders_customer_id_idx" on "orders" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"orders_customer_id_idx"') AND NOT indisvalid) THEN
    DROP INDEX "orders_customer_id_idx";
  END IF;
END $schemac$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_customer_id_idx" ON "orders" ("customer_id");
-- Add primary key "tags_pkey" on "tags" using its index
DO $schemac$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"tags"'::regclass AND conname = 'tags_pkey') THEN
    ALTER TABLE "tags" ADD CONSTRAINT "tags_pkey" PRIMARY KEY USING INDEX "tags_pkey";
  END IF;
END $schemac$;
-- Add unique constraint "customers_email_key" on "customers" using its index
DO $schemac$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"customers"'::regclass AND conname = 'customers_email_key') THEN
    ALTER TABLE "customers" ADD CONSTRAINT "customers_email_key" UNIQUE USING INDEX "customers_email_key";
  END IF;
END $schemac$;
-- Add foreign key "shipments_customer_email_fkey" on "shipments" (NOT VALID, once the key it references exists)
DO $schemac$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"shipments"'::regclass AND conname = 'shipments_customer_email_fkey') THEN
    ALTER TABLE "shipments" ADD CONSTRAINT "shipments_customer_email_fkey" FOREIGN KEY ("customer_email") REFERENCES "customers" ("email") NOT VALID;
  END IF;
END $schemac$;
-- Validate check constraint "orders_total_check" on "orders"
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_total_check";
-- Validate foreign key "orders_customer_id_fkey" on "orders"
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_customer_id_fkey";
-- Validate foreign key "shipments_customer_email_fkey" on "shipments"
ALTER TABLE "shipments" VALIDATE CONSTRAINT "shipments_customer_email_fkey";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Make foreign key "orders_customer_id_fkey" on "orders" NOT VALID again (dropped and re-added: no scan)
ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_customer_id_fkey", ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") NOT VALID;
-- Make check constraint "orders_total_check" on "orders" NOT VALID again (dropped and re-added: no scan)
ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_total_check", ADD CONSTRAINT "orders_total_check" CHECK (total >= 0) NOT VALID;
-- Drop foreign key "shipments_customer_email_fkey" on "shipments"
ALTER TABLE "shipments" DROP CONSTRAINT IF EXISTS "shipments_customer_email_fkey";
-- Drop unique constraint "customers_email_key" on "customers"
ALTER TABLE "customers" DROP CONSTRAINT IF EXISTS "customers_email_key";
-- Drop primary key "tags_pkey" on "tags"
ALTER TABLE "tags" DROP CONSTRAINT IF EXISTS "tags_pkey";
-- Drop index "orders_customer_id_idx" on "orders" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "orders_customer_id_idx";
-- Drop index "customers_email_key" on "customers" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "customers_email_key";
-- Drop index "tags_pkey" on "tags" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "tags_pkey";
-- Drop NOT NULL of "name" of "tags", back to its NOT VALID check "tags_name_not_null"
ALTER TABLE "tags" ALTER COLUMN "name" DROP NOT NULL, DROP CONSTRAINT IF EXISTS "tags_name_not_null", ADD CONSTRAINT "tags_name_not_null" CHECK ("name" IS NOT NULL) NOT VALID;
-- Drop NOT NULL of "code" of "orders", back to its NOT VALID check "orders_code_not_null"
ALTER TABLE "orders" ALTER COLUMN "code" DROP NOT NULL, DROP CONSTRAINT IF EXISTS "orders_code_not_null", ADD CONSTRAINT "orders_code_not_null" CHECK ("code" IS NOT NULL) NOT VALID;
-- Drop NOT NULL of "public_id" of "orders"
ALTER TABLE "orders" ALTER COLUMN "public_id" DROP NOT NULL, DROP CONSTRAINT IF EXISTS "orders_public_id_not_null";
