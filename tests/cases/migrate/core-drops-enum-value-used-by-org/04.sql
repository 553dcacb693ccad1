-- file: 20260104_120000_core_step_04.sql
-- schemac: owner=core description="step 04"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Recreate enum "plan_status" with values active, closed (values removed or reordered; columns converted through text)
DROP INDEX "acme_subscriptions_status_idx";
ALTER TYPE "plan_status" RENAME TO "plan_status_old";
CREATE TYPE "plan_status" AS ENUM ('active', 'closed');
ALTER TABLE "acme_subscriptions" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "acme_subscriptions" ALTER COLUMN "status" TYPE "plan_status" USING "status"::text::"plan_status";
ALTER TABLE "acme_subscriptions" ALTER COLUMN "status" SET DEFAULT 'active';
DROP TYPE "plan_status_old";
CREATE INDEX "acme_subscriptions_status_idx" ON "acme_subscriptions" ("status") WHERE (status <> 'closed');
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Recreate enum "plan_status" with its previous values
DROP INDEX "acme_subscriptions_status_idx";
ALTER TYPE "plan_status" RENAME TO "plan_status_old";
CREATE TYPE "plan_status" AS ENUM ('draft', 'active', 'closed');
ALTER TABLE "acme_subscriptions" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "acme_subscriptions" ALTER COLUMN "status" TYPE "plan_status" USING "status"::text::"plan_status";
ALTER TABLE "acme_subscriptions" ALTER COLUMN "status" SET DEFAULT 'active';
DROP TYPE "plan_status_old";
CREATE INDEX "acme_subscriptions_status_idx" ON "acme_subscriptions" ("status") WHERE (status <> 'closed');
