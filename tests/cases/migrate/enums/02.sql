-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add value pending to enum "ticket_status" (usable only after this transaction commits; the down migration recreates the type)
ALTER TYPE "ticket_status" ADD VALUE IF NOT EXISTS 'pending' AFTER 'open';
-- Add value archived to enum "ticket_status" (usable only after this transaction commits; the down migration recreates the type)
ALTER TYPE "ticket_status" ADD VALUE IF NOT EXISTS 'archived';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Remove value archived from enum "ticket_status"
ALTER TYPE "ticket_status" RENAME TO "ticket_status_old";
CREATE TYPE "ticket_status" AS ENUM ('open', 'pending', 'closed');
ALTER TABLE "tickets" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "tickets" ALTER COLUMN "status" TYPE "ticket_status" USING "status"::text::"ticket_status";
ALTER TABLE "tickets" ALTER COLUMN "status" SET DEFAULT 'open';
ALTER TABLE "tickets" ALTER COLUMN "history" DROP DEFAULT;
ALTER TABLE "tickets" ALTER COLUMN "history" TYPE "ticket_status"[] USING "history"::text[]::"ticket_status"[];
ALTER TABLE "tickets" ALTER COLUMN "history" SET DEFAULT '{}'::"ticket_status"[];
DROP TYPE "ticket_status_old";
-- Remove value pending from enum "ticket_status"
ALTER TYPE "ticket_status" RENAME TO "ticket_status_old";
CREATE TYPE "ticket_status" AS ENUM ('open', 'closed');
ALTER TABLE "tickets" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "tickets" ALTER COLUMN "status" TYPE "ticket_status" USING "status"::text::"ticket_status";
ALTER TABLE "tickets" ALTER COLUMN "status" SET DEFAULT 'open';
ALTER TABLE "tickets" ALTER COLUMN "history" DROP DEFAULT;
ALTER TABLE "tickets" ALTER COLUMN "history" TYPE "ticket_status"[] USING "history"::text[]::"ticket_status"[];
ALTER TABLE "tickets" ALTER COLUMN "history" SET DEFAULT '{}'::"ticket_status"[];
DROP TYPE "ticket_status_old";
