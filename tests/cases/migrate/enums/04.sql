-- file: 20260104_120000_core_step_04.sql
-- schemac: owner=core description="step 04"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop column "status" from "tickets" (the down migration re-adds it; its data is not restored)
ALTER TABLE "tickets" DROP COLUMN "status";
-- Drop column "history" from "tickets" (the down migration re-adds it; its data is not restored)
ALTER TABLE "tickets" DROP COLUMN "history";
-- Drop enum "ticket_status"
DROP TYPE "ticket_status";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create enum "ticket_status"
CREATE TYPE "ticket_status" AS ENUM ('open', 'closed', 'archived');
-- Add column "history" to "tickets"
ALTER TABLE "tickets" ADD COLUMN "history" "ticket_status"[] NOT NULL DEFAULT '{}'::"ticket_status"[];
-- Add column "status" to "tickets"
ALTER TABLE "tickets" ADD COLUMN "status" "ticket_status" NOT NULL DEFAULT 'open';
