-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Recreate enum "priority" with values normal, high (values removed or reordered; columns converted through text)
ALTER TYPE "priority" RENAME TO "priority_old";
CREATE TYPE "priority" AS ENUM ('normal', 'high');
ALTER TABLE "acme_invoices" ALTER COLUMN "priority" DROP DEFAULT;
ALTER TABLE "acme_invoices" ALTER COLUMN "priority" TYPE "priority" USING "priority"::text::"priority";
ALTER TABLE "acme_invoices" ALTER COLUMN "priority" SET DEFAULT 'normal';
DROP TYPE "priority_old";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Recreate enum "priority" with its previous values
ALTER TYPE "priority" RENAME TO "priority_old";
CREATE TYPE "priority" AS ENUM ('low', 'normal', 'high');
ALTER TABLE "acme_invoices" ALTER COLUMN "priority" DROP DEFAULT;
ALTER TABLE "acme_invoices" ALTER COLUMN "priority" TYPE "priority" USING "priority"::text::"priority";
ALTER TABLE "acme_invoices" ALTER COLUMN "priority" SET DEFAULT 'normal';
DROP TYPE "priority_old";
