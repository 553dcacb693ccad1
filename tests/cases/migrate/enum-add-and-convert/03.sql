-- file: 20260103_120000_core_step_03.sql
-- schemac: owner=core description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add value great to enum "mood" (usable only after this transaction commits; the down migration recreates the type)
ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'great';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Remove value great from enum "mood"
ALTER TYPE "mood" RENAME TO "mood_old";
CREATE TYPE "mood" AS ENUM ('ok');
DROP TYPE "mood_old";
