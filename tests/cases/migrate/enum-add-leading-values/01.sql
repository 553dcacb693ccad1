-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
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
-- Drop table "clients"
DROP TABLE "clients";
-- Drop enum "status"
DROP TYPE "status";
