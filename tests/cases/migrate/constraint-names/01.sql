-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "clients"
CREATE TABLE "clients" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "email" text NOT NULL,
  "amount" integer NOT NULL,
  CONSTRAINT "clients_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "clients_email_key" UNIQUE ("email"),
  CONSTRAINT "clients_amount_check" CHECK (amount > 0)
);
-- Create table "invoices"
CREATE TABLE "invoices" (
  "client_id" uuid NOT NULL,
  "id" integer NOT NULL,
  "code" text NOT NULL,
  "total" integer NOT NULL,
  CONSTRAINT "invoices_pkey" PRIMARY KEY ("client_id", "id"),
  CONSTRAINT "invoices_client_id_code_key" UNIQUE ("client_id", "code"),
  CONSTRAINT "invoices_nonneg_check" CHECK (total >= 0)
);
-- Add foreign key "invoices_client_id_fkey" on "invoices"
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "invoices_total_idx" on "invoices"
CREATE INDEX "invoices_total_idx" ON "invoices" ("total");
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop index "invoices_total_idx" on "invoices"
DROP INDEX "invoices_total_idx";
-- Drop foreign key "invoices_client_id_fkey" on "invoices"
ALTER TABLE "invoices" DROP CONSTRAINT "invoices_client_id_fkey";
-- Drop table "invoices"
DROP TABLE "invoices";
-- Drop table "clients"
DROP TABLE "clients";
