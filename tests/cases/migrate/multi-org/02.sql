-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add column "plan" to "clients"
ALTER TABLE "clients" ADD COLUMN "plan" varchar(50) NOT NULL DEFAULT 'free';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop column "plan" from "clients"
ALTER TABLE "clients" DROP COLUMN "plan";

-- file: 20260102_120000_custom_acme_step_02.sql
-- schemac: owner=acme description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add column "currency" to "acme_invoices"
ALTER TABLE "acme_invoices" ADD COLUMN "currency" char(3) NOT NULL DEFAULT 'USD';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop column "currency" from "acme_invoices"
ALTER TABLE "acme_invoices" DROP COLUMN "currency";
