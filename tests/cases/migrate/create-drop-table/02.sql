-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create table "gadgets"
CREATE TABLE "gadgets" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "widget_id" integer NOT NULL,
  "serial_number" varchar(40) NOT NULL,
  "bought_on" date NOT NULL DEFAULT CURRENT_DATE,
  CONSTRAINT "gadgets_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "gadgets_serial_number_key" UNIQUE ("serial_number")
);
-- Add foreign key "gadgets_widget_id_fkey" on "gadgets"
ALTER TABLE "gadgets" ADD CONSTRAINT "gadgets_widget_id_fkey" FOREIGN KEY ("widget_id") REFERENCES "widgets" ("id") ON DELETE CASCADE;
-- Create index "gadgets_widget_id_idx" on "gadgets"
CREATE INDEX "gadgets_widget_id_idx" ON "gadgets" ("widget_id");
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop index "gadgets_widget_id_idx" on "gadgets"
DROP INDEX "gadgets_widget_id_idx";
-- Drop foreign key "gadgets_widget_id_fkey" on "gadgets"
ALTER TABLE "gadgets" DROP CONSTRAINT "gadgets_widget_id_fkey";
-- Drop table "gadgets"
DROP TABLE "gadgets";
