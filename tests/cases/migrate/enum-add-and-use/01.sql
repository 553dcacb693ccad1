-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create enum "order_status"
CREATE TYPE "order_status" AS ENUM ('draft', 'open');
-- Create table "orders"
CREATE TABLE "orders" (
  "id" serial NOT NULL,
  "status" "order_status" NOT NULL DEFAULT 'draft',
  "code" text NOT NULL,
  CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop table "orders"
DROP TABLE "orders";
-- Drop enum "order_status"
DROP TYPE "order_status";
