-- file: 20260103_120000_core_step_03.sql
-- schemac: owner=core description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop column "priority" from "tickets" (the down migration re-adds it; its data is not restored)
ALTER TABLE "tickets" DROP COLUMN "priority";
-- Recreate enum "ticket_status" with values open, closed, archived (values removed or reordered; columns converted through text)
ALTER TYPE "ticket_status" RENAME TO "ticket_status_old";
CREATE TYPE "ticket_status" AS ENUM ('open', 'closed', 'archived');
ALTER TABLE "tickets" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "tickets" ALTER COLUMN "status" TYPE "ticket_status" USING "status"::text::"ticket_status";
ALTER TABLE "tickets" ALTER COLUMN "status" SET DEFAULT 'open';
ALTER TABLE "tickets" ALTER COLUMN "history" DROP DEFAULT;
ALTER TABLE "tickets" ALTER COLUMN "history" TYPE "ticket_status"[] USING "history"::text[]::"ticket_status"[];
ALTER TABLE "tickets" ALTER COLUMN "history" SET DEFAULT '{}'::"ticket_status"[];
DROP TYPE "ticket_status_old";
-- Drop enum "ticket_priority"
DROP TYPE "ticket_priority";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create enum "ticket_priority"
CREATE TYPE "ticket_priority" AS ENUM ('low', 'high');
-- Recreate enum "ticket_status" with its previous values
ALTER TYPE "ticket_status" RENAME TO "ticket_status_old";
CREATE TYPE "ticket_status" AS ENUM ('open', 'pending', 'closed', 'archived');
ALTER TABLE "tickets" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "tickets" ALTER COLUMN "status" TYPE "ticket_status" USING "status"::text::"ticket_status";
ALTER TABLE "tickets" ALTER COLUMN "status" SET DEFAULT 'open';
ALTER TABLE "tickets" ALTER COLUMN "history" DROP DEFAULT;
ALTER TABLE "tickets" ALTER COLUMN "history" TYPE "ticket_status"[] USING "history"::text[]::"ticket_status"[];
ALTER TABLE "tickets" ALTER COLUMN "history" SET DEFAULT '{}'::"ticket_status"[];
DROP TYPE "ticket_status_old";
-- Add column "priority" to "tickets"
ALTER TABLE "tickets" ADD COLUMN "priority" "ticket_priority";
