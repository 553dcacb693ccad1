-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "clients"
CREATE TABLE "clients" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);
-- Create table "documents"
CREATE TABLE "documents" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "title" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);
-- Add foreign key "documents_client_id_fkey" on "documents"
ALTER TABLE "documents" ADD CONSTRAINT "documents_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "documents_client_id_idx" on "documents"
CREATE INDEX "documents_client_id_idx" ON "documents" ("client_id");
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop index "documents_client_id_idx" on "documents"
DROP INDEX "documents_client_id_idx";
-- Drop foreign key "documents_client_id_fkey" on "documents"
ALTER TABLE "documents" DROP CONSTRAINT "documents_client_id_fkey";
-- Drop table "documents"
DROP TABLE "documents";
-- Drop table "clients"
DROP TABLE "clients";
