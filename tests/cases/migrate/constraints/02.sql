-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_account_id_fkey";
-- Add column "invited_by" to "memberships"
ALTER TABLE "memberships" ADD COLUMN "invited_by" uuid;
-- Add check constraint "accounts_code_check" on "accounts" (NOT VALID: checked for new rows now, validated in the concurrent part)
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_code_check" CHECK (code <> '') NOT VALID;
-- Add check constraint "accounts_email_has_at_check" on "accounts" (NOT VALID: checked for new rows now, validated in the concurrent part)
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_email_has_at_check" CHECK (email LIKE '%@%') NOT VALID;
-- Add foreign key "memberships_account_id_fkey" on "memberships" (NOT VALID: checked for new rows now, validated in the concurrent part)
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE NOT VALID;
-- Add foreign key "memberships_invited_by_fkey" on "memberships" (NOT VALID: checked for new rows now, validated in the concurrent part)
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "accounts" ("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop foreign key "memberships_invited_by_fkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT IF EXISTS "memberships_invited_by_fkey";
-- Drop foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT IF EXISTS "memberships_account_id_fkey";
-- Drop check constraint "accounts_email_has_at_check" on "accounts"
ALTER TABLE "accounts" DROP CONSTRAINT IF EXISTS "accounts_email_has_at_check";
-- Drop check constraint "accounts_code_check" on "accounts"
ALTER TABLE "accounts" DROP CONSTRAINT IF EXISTS "accounts_code_check";
-- Drop column "invited_by" from "memberships"
ALTER TABLE "memberships" DROP COLUMN "invited_by";
-- Add foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE RESTRICT;

-- file: 20260102_120001_core_step_02_concurrent.sql
-- schemac: owner=core description="step 02 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create index "accounts_region_code_key" on "accounts" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"accounts_region_code_key"') AND NOT indisvalid) THEN
    DROP INDEX "accounts_region_code_key";
  END IF;
END $schemac$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "accounts_region_code_key" ON "accounts" ("region", "code");
-- Add unique constraint "accounts_region_code_key" on "accounts" using its index
DO $schemac$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"accounts"'::regclass AND conname = 'accounts_region_code_key') THEN
    ALTER TABLE "accounts" ADD CONSTRAINT "accounts_region_code_key" UNIQUE USING INDEX "accounts_region_code_key";
  END IF;
END $schemac$;
-- Validate check constraint "accounts_code_check" on "accounts"
ALTER TABLE "accounts" VALIDATE CONSTRAINT "accounts_code_check";
-- Validate check constraint "accounts_email_has_at_check" on "accounts"
ALTER TABLE "accounts" VALIDATE CONSTRAINT "accounts_email_has_at_check";
-- Validate foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" VALIDATE CONSTRAINT "memberships_account_id_fkey";
-- Validate foreign key "memberships_invited_by_fkey" on "memberships"
ALTER TABLE "memberships" VALIDATE CONSTRAINT "memberships_invited_by_fkey";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Make foreign key "memberships_invited_by_fkey" on "memberships" NOT VALID again (dropped and re-added: no scan)
ALTER TABLE "memberships" DROP CONSTRAINT IF EXISTS "memberships_invited_by_fkey", ADD CONSTRAINT "memberships_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "accounts" ("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;
-- Make foreign key "memberships_account_id_fkey" on "memberships" NOT VALID again (dropped and re-added: no scan)
ALTER TABLE "memberships" DROP CONSTRAINT IF EXISTS "memberships_account_id_fkey", ADD CONSTRAINT "memberships_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE NOT VALID;
-- Make check constraint "accounts_email_has_at_check" on "accounts" NOT VALID again (dropped and re-added: no scan)
ALTER TABLE "accounts" DROP CONSTRAINT IF EXISTS "accounts_email_has_at_check", ADD CONSTRAINT "accounts_email_has_at_check" CHECK (email LIKE '%@%') NOT VALID;
-- Make check constraint "accounts_code_check" on "accounts" NOT VALID again (dropped and re-added: no scan)
ALTER TABLE "accounts" DROP CONSTRAINT IF EXISTS "accounts_code_check", ADD CONSTRAINT "accounts_code_check" CHECK (code <> '') NOT VALID;
-- Drop unique constraint "accounts_region_code_key" on "accounts"
ALTER TABLE "accounts" DROP CONSTRAINT IF EXISTS "accounts_region_code_key";
-- Drop index "accounts_region_code_key" on "accounts" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "accounts_region_code_key";
