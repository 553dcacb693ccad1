-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add value paid to enum "order_status" (usable only after this transaction commits; the down migration recreates the type)
ALTER TYPE "order_status" ADD VALUE IF NOT EXISTS 'paid' AFTER 'open';
-- Add value void to enum "order_status" (usable only after this transaction commits; the down migration recreates the type)
ALTER TYPE "order_status" ADD VALUE IF NOT EXISTS 'void';
-- Create table "refunds"
CREATE TABLE "refunds" (
  "id" serial NOT NULL,
  "order_id" integer NOT NULL,
  "state" "order_status" NOT NULL,
  CONSTRAINT "refunds_pkey" PRIMARY KEY ("id")
);
-- Add column "settled" to "orders"
ALTER TABLE "orders" ADD COLUMN "settled" "order_status";
-- Add column "history" to "orders"
ALTER TABLE "orders" ADD COLUMN "history" "order_status"[];
-- Alter column "code" of "orders": comment
COMMENT ON COLUMN "orders"."code" IS 'paid or void';
-- Add foreign key "refunds_order_id_fkey" on "refunds"
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders" ("id");
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop foreign key "refunds_order_id_fkey" on "refunds"
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_order_id_fkey";
-- Revert: Alter column "code" of "orders": comment
COMMENT ON COLUMN "orders"."code" IS NULL;
-- Drop column "history" from "orders"
ALTER TABLE "orders" DROP COLUMN "history";
-- Drop column "settled" from "orders"
ALTER TABLE "orders" DROP COLUMN "settled";
-- Drop table "refunds"
DROP TABLE "refunds";
-- Remove value void from enum "order_status"
ALTER TYPE "order_status" RENAME TO "order_status_old";
CREATE TYPE "order_status" AS ENUM ('draft', 'open', 'paid');
ALTER TABLE "orders" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "orders" ALTER COLUMN "status" TYPE "order_status" USING "status"::text::"order_status";
ALTER TABLE "orders" ALTER COLUMN "status" SET DEFAULT 'draft';
DROP TYPE "order_status_old";
-- Remove value paid from enum "order_status"
ALTER TYPE "order_status" RENAME TO "order_status_old";
CREATE TYPE "order_status" AS ENUM ('draft', 'open');
ALTER TABLE "orders" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "orders" ALTER COLUMN "status" TYPE "order_status" USING "status"::text::"order_status";
ALTER TABLE "orders" ALTER COLUMN "status" SET DEFAULT 'draft';
DROP TYPE "order_status_old";

-- file: 20260102_120001_core_step_02_concurrent.sql
-- schemac: owner=core description="step 02 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Set the default of "state" of "refunds" (in this part: it names an enum value the transactional part adds)
ALTER TABLE "refunds" ALTER COLUMN "state" SET DEFAULT 'void';
-- Set the default of "settled" of "orders" (in this part: it names an enum value the transactional part adds)
ALTER TABLE "orders" ALTER COLUMN "settled" SET DEFAULT 'void';
-- Backfill "settled" of "orders" from its default, in batches
DO $schemac$
#variable_conflict use_column
DECLARE n bigint;
BEGIN
  LOOP
    UPDATE "orders" SET "settled" = 'void' WHERE ctid = ANY (ARRAY(SELECT ctid FROM "orders" WHERE "settled" IS NULL LIMIT 1000));
    GET DIAGNOSTICS n = ROW_COUNT;
    COMMIT;
    EXIT WHEN n = 0;
  END LOOP;
END;
$schemac$;
-- Set "settled" of "orders" NOT NULL (through a validated check "orders_settled_not_null", then drop the check)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '"orders"'::regclass AND attname = 'settled' AND NOT attnotnull) AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_settled_not_null') THEN
    ALTER TABLE "orders" ADD CONSTRAINT "orders_settled_not_null" CHECK ("settled" IS NOT NULL) NOT VALID;
  END IF;
END $schemac$;
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_settled_not_null') THEN
    ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_settled_not_null";
  END IF;
END $schemac$;
ALTER TABLE "orders" ALTER COLUMN "settled" SET NOT NULL;
ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_settled_not_null";
-- Set the default of "history" of "orders" (in this part: it names an enum value the transactional part adds)
ALTER TABLE "orders" ALTER COLUMN "history" SET DEFAULT ARRAY['paid']::"order_status"[];
-- Backfill "history" of "orders" from its default, in batches
DO $schemac$
#variable_conflict use_column
DECLARE n bigint;
BEGIN
  LOOP
    UPDATE "orders" SET "history" = ARRAY['paid']::"order_status"[] WHERE ctid = ANY (ARRAY(SELECT ctid FROM "orders" WHERE "history" IS NULL LIMIT 1000));
    GET DIAGNOSTICS n = ROW_COUNT;
    COMMIT;
    EXIT WHEN n = 0;
  END LOOP;
END;
$schemac$;
-- Set the default of "status" of "orders" (in this part: it names an enum value the transactional part adds)
ALTER TABLE "orders" ALTER COLUMN "status" SET DEFAULT 'paid';
-- Create index "orders_code_idx" on "orders" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"orders_code_idx"') AND NOT indisvalid) THEN
    DROP INDEX "orders_code_idx";
  END IF;
END $schemac$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "orders_code_idx" ON "orders" ("code") WHERE (status = 'paid');
-- Create index "refunds_order_id_idx" on "refunds" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"refunds_order_id_idx"') AND NOT indisvalid) THEN
    DROP INDEX "refunds_order_id_idx";
  END IF;
END $schemac$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "refunds_order_id_idx" ON "refunds" ("order_id") WHERE (state = 'void');
-- Add check constraint "refunds_state_check" on "refunds" (NOT VALID, once the enum value it names is committed)
DO $schemac$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"refunds"'::regclass AND conname = 'refunds_state_check') THEN
    ALTER TABLE "refunds" ADD CONSTRAINT "refunds_state_check" CHECK (state IN ('paid', 'void')) NOT VALID;
  END IF;
END $schemac$;
-- Add check constraint "orders_status_check" on "orders" (NOT VALID, once the enum value it names is committed)
DO $schemac$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"orders"'::regclass AND conname = 'orders_status_check') THEN
    ALTER TABLE "orders" ADD CONSTRAINT "orders_status_check" CHECK (status <> 'void') NOT VALID;
  END IF;
END $schemac$;
-- Validate check constraint "refunds_state_check" on "refunds"
ALTER TABLE "refunds" VALIDATE CONSTRAINT "refunds_state_check";
-- Validate check constraint "orders_status_check" on "orders"
ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_status_check";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop check constraint "orders_status_check" on "orders"
ALTER TABLE "orders" DROP CONSTRAINT IF EXISTS "orders_status_check";
-- Drop check constraint "refunds_state_check" on "refunds"
ALTER TABLE "refunds" DROP CONSTRAINT IF EXISTS "refunds_state_check";
-- Drop index "refunds_order_id_idx" on "refunds" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "refunds_order_id_idx";
-- Drop index "orders_code_idx" on "orders" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "orders_code_idx";
-- Restore the default of "status" of "orders"
ALTER TABLE "orders" ALTER COLUMN "status" SET DEFAULT 'draft';
-- Restore the default of "history" of "orders"
ALTER TABLE "orders" ALTER COLUMN "history" DROP DEFAULT;
-- Drop NOT NULL of "settled" of "orders"
ALTER TABLE "orders" ALTER COLUMN "settled" DROP NOT NULL, DROP CONSTRAINT IF EXISTS "orders_settled_not_null";
-- Restore the default of "settled" of "orders"
ALTER TABLE "orders" ALTER COLUMN "settled" DROP DEFAULT;
-- Restore the default of "state" of "refunds"
ALTER TABLE "refunds" ALTER COLUMN "state" DROP DEFAULT;
