-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create enum "ticket_priority"
CREATE TYPE "ticket_priority" AS ENUM ('low', 'high');
-- Create enum "ticket_status"
CREATE TYPE "ticket_status" AS ENUM ('open', 'closed');
-- Create table "tickets"
CREATE TABLE "tickets" (
  "id" serial NOT NULL,
  "status" "ticket_status" NOT NULL DEFAULT 'open',
  "history" "ticket_status"[] NOT NULL DEFAULT '{}'::"ticket_status"[],
  "priority" "ticket_priority",
  CONSTRAINT "tickets_pkey" PRIMARY KEY ("id")
);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop table "tickets"
DROP TABLE "tickets";
-- Drop enum "ticket_status"
DROP TYPE "ticket_status";
-- Drop enum "ticket_priority"
DROP TYPE "ticket_priority";
