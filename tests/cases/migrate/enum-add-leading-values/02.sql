-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add value paid to enum "status" (usable only after this transaction commits; the down migration recreates the type)
ALTER TYPE "status" ADD VALUE IF NOT EXISTS 'paid' BEFORE 'draft';
-- Add value void to enum "status" (usable only after this transaction commits; the down migration recreates the type)
ALTER TYPE "status" ADD VALUE IF NOT EXISTS 'void' BEFORE 'paid';
-- Add value pending to enum "status" (usable only after this transaction commits; the down migration recreates the type)
ALTER TYPE "status" ADD VALUE IF NOT EXISTS 'pending' AFTER 'draft';
-- Add value archived to enum "status" (usable only after this transaction commits; the down migration recreates the type)
ALTER TYPE "status" ADD VALUE IF NOT EXISTS 'archived';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Remove value archived from enum "status"
ALTER TYPE "status" RENAME TO "status_old";
CREATE TYPE "status" AS ENUM ('void', 'paid', 'draft', 'pending', 'open');
ALTER TABLE "clients" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "clients" ALTER COLUMN "status" TYPE "status" USING "status"::text::"status";
ALTER TABLE "clients" ALTER COLUMN "status" SET DEFAULT 'draft';
DROP TYPE "status_old";
-- Remove value pending from enum "status"
ALTER TYPE "status" RENAME TO "status_old";
CREATE TYPE "status" AS ENUM ('void', 'paid', 'draft', 'open');
ALTER TABLE "clients" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "clients" ALTER COLUMN "status" TYPE "status" USING "status"::text::"status";
ALTER TABLE "clients" ALTER COLUMN "status" SET DEFAULT 'draft';
DROP TYPE "status_old";
-- Remove value void from enum "status"
ALTER TYPE "status" RENAME TO "status_old";
CREATE TYPE "status" AS ENUM ('paid', 'draft', 'open');
ALTER TABLE "clients" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "clients" ALTER COLUMN "status" TYPE "status" USING "status"::text::"status";
ALTER TABLE "clients" ALTER COLUMN "status" SET DEFAULT 'draft';
DROP TYPE "status_old";
-- Remove value paid from enum "status"
ALTER TYPE "status" RENAME TO "status_old";
CREATE TYPE "status" AS ENUM ('draft', 'open');
ALTER TABLE "clients" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "clients" ALTER COLUMN "status" TYPE "status" USING "status"::text::"status";
ALTER TABLE "clients" ALTER COLUMN "status" SET DEFAULT 'draft';
DROP TYPE "status_old";
