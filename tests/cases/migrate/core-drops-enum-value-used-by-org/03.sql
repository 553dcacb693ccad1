-- file: 20260103_120000_custom_acme_step_03.sql
-- schemac: owner=acme description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop index "acme_subscriptions_status_idx" on "acme_subscriptions"
DROP INDEX "acme_subscriptions_status_idx";
-- Alter column "status" of "acme_subscriptions": default
ALTER TABLE "acme_subscriptions" ALTER COLUMN "status" SET DEFAULT 'active';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Revert: Alter column "status" of "acme_subscriptions": default
ALTER TABLE "acme_subscriptions" ALTER COLUMN "status" SET DEFAULT 'draft';
-- Create index "acme_subscriptions_status_idx" on "acme_subscriptions"
CREATE INDEX "acme_subscriptions_status_idx" ON "acme_subscriptions" ("status") WHERE (status <> 'draft');

-- file: 20260103_120001_custom_acme_step_03_concurrent.sql
-- schemac: owner=acme description="step 03 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create index "acme_subscriptions_status_idx" on "acme_subscriptions" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"acme_subscriptions_status_idx"') AND NOT indisvalid) THEN
    DROP INDEX "acme_subscriptions_status_idx";
  END IF;
END $schemac$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "acme_subscriptions_status_idx" ON "acme_subscriptions" ("status") WHERE (status <> 'closed');
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop index "acme_subscriptions_status_idx" on "acme_subscriptions" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "acme_subscriptions_status_idx";
