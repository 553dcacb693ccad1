-- file: 20260103_120000_custom_acme_step_03.sql
-- schemac: owner=acme description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop foreign key "acme_subscriptions_plan_id_fkey" on "acme_subscriptions"
ALTER TABLE "acme_subscriptions" DROP CONSTRAINT "acme_subscriptions_plan_id_fkey";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add foreign key "acme_subscriptions_plan_id_fkey" on "acme_subscriptions"
ALTER TABLE "acme_subscriptions" ADD CONSTRAINT "acme_subscriptions_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans" ("id");
