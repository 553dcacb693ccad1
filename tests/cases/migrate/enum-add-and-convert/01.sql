-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create enum "mood"
CREATE TYPE "mood" AS ENUM ('ok');
-- Create table "feedback"
CREATE TABLE "feedback" (
  "id" serial NOT NULL,
  "mood" text NOT NULL,
  CONSTRAINT "feedback_pkey" PRIMARY KEY ("id")
);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop table "feedback"
DROP TABLE "feedback";
-- Drop enum "mood"
DROP TYPE "mood";
