-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create enum "status"
CREATE TYPE "status" AS ENUM ('draft', 'open');
-- Create table "clients"
CREATE TABLE "clients" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" varchar(200) NOT NULL,
  "status" "status" NOT NULL DEFAULT 'draft',
  CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);
COMMENT ON TABLE "clients" IS 'Tenants.';
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop table "clients"
DROP TABLE "clients";
-- Drop enum "status"
DROP TYPE "status";
