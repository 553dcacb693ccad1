-- file: 20260103_120000_core_step_03.sql
-- schemac: owner=core description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop foreign key "memberships_invited_by_fkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_invited_by_fkey";
-- Drop check constraint "accounts_code_check" on "accounts"
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_code_check";
-- Drop check constraint "accounts_email_has_at_check" on "accounts"
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_email_has_at_check";
-- Drop unique constraint "accounts_email_key" on "accounts"
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_email_key";
-- Drop primary key "memberships_pkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_pkey";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add primary key "memberships_pkey" on "memberships"
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_pkey" PRIMARY KEY ("account_id", "team");
-- Add unique constraint "accounts_email_key" on "accounts"
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_email_key" UNIQUE ("email");
-- Add check constraint "accounts_email_has_at_check" on "accounts"
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_email_has_at_check" CHECK (email LIKE '%@%');
-- Add check constraint "accounts_code_check" on "accounts"
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_code_check" CHECK (code <> '');
-- Add foreign key "memberships_invited_by_fkey" on "memberships"
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "accounts" ("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- file: 20260103_120001_core_step_03_concurrent.sql
-- schemac: owner=core description="step 03 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create index "memberships_pkey" on "memberships" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"memberships_pkey"') AND NOT indisvalid) THEN
    DROP INDEX "memberships_pkey";
  END IF;
END $schemac$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "memberships_pkey" ON "memberships" ("account_id", "team", "role");
-- Add primary key "memberships_pkey" on "memberships" using its index
DO $schemac$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"memberships"'::regclass AND conname = 'memberships_pkey') THEN
    ALTER TABLE "memberships" ADD CONSTRAINT "memberships_pkey" PRIMARY KEY USING INDEX "memberships_pkey";
  END IF;
END $schemac$;
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop primary key "memberships_pkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT IF EXISTS "memberships_pkey";
-- Drop index "memberships_pkey" on "memberships" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "memberships_pkey";
