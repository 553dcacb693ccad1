-- file: 20260103_120000_core_step_03.sql
-- schemac: owner=core description="step 03"
-- migrate:up
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
-- Add primary key "memberships_pkey" on "memberships"
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_pkey" PRIMARY KEY ("account_id", "team", "role");
-- migrate:down
SET lock_timeout = '5s';
-- Drop primary key "memberships_pkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_pkey";
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
