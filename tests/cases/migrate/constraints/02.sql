-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET lock_timeout = '5s';
-- Drop foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_account_id_fkey";
-- Add column "invited_by" to "memberships"
ALTER TABLE "memberships" ADD COLUMN "invited_by" uuid;
-- Add unique constraint "accounts_region_code_key" on "accounts"
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_region_code_key" UNIQUE ("region", "code");
-- Add check constraint "accounts_code_check" on "accounts"
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_code_check" CHECK (code <> '');
-- Add check constraint "accounts_email_has_at_check" on "accounts"
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_email_has_at_check" CHECK (email LIKE '%@%');
-- Add foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE;
-- Add foreign key "memberships_invited_by_fkey" on "memberships"
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "accounts" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- migrate:down
SET lock_timeout = '5s';
-- Drop foreign key "memberships_invited_by_fkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_invited_by_fkey";
-- Drop foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_account_id_fkey";
-- Drop check constraint "accounts_email_has_at_check" on "accounts"
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_email_has_at_check";
-- Drop check constraint "accounts_code_check" on "accounts"
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_code_check";
-- Drop unique constraint "accounts_region_code_key" on "accounts"
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_region_code_key";
-- Drop column "invited_by" from "memberships"
ALTER TABLE "memberships" DROP COLUMN "invited_by";
-- Add foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE RESTRICT;
