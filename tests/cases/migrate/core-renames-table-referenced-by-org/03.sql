-- file: 20260103_120000_core_step_03.sql
-- schemac: owner=core description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename column "id" of "billing_plans" to "code"
ALTER TABLE "billing_plans" RENAME COLUMN "id" TO "code";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename column "code" of "billing_plans" to "id"
ALTER TABLE "billing_plans" RENAME COLUMN "code" TO "id";
