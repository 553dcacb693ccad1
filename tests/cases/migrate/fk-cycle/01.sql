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
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop table "clients"
DROP TABLE "clients";

-- file: 20260101_120000_custom_acme_step_01.sql
-- schemac: owner=acme description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create table "acme_projects"
CREATE TABLE "acme_projects" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "lead_task_id" uuid,
  "name" text NOT NULL,
  CONSTRAINT "acme_projects_pkey" PRIMARY KEY ("id")
);
-- Create table "acme_tasks"
CREATE TABLE "acme_tasks" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "project_id" uuid NOT NULL,
  "title" text NOT NULL,
  CONSTRAINT "acme_tasks_pkey" PRIMARY KEY ("id")
);
-- Add foreign key "acme_projects_client_id_fkey" on "acme_projects"
ALTER TABLE "acme_projects" ADD CONSTRAINT "acme_projects_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_projects_lead_task_id_fkey" on "acme_projects"
ALTER TABLE "acme_projects" ADD CONSTRAINT "acme_projects_lead_task_id_fkey" FOREIGN KEY ("lead_task_id") REFERENCES "acme_tasks" ("id") ON DELETE SET NULL;
-- Add foreign key "acme_tasks_project_id_fkey" on "acme_tasks"
ALTER TABLE "acme_tasks" ADD CONSTRAINT "acme_tasks_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "acme_projects" ("id") ON DELETE CASCADE;
-- Enable row-level security on "acme_projects"
ALTER TABLE "acme_projects" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_projects" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_projects_tenant_isolation" ON "acme_projects" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Disable row-level security on "acme_projects"
DROP POLICY "acme_projects_tenant_isolation" ON "acme_projects";
ALTER TABLE "acme_projects" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_projects" DISABLE ROW LEVEL SECURITY;
-- Drop foreign key "acme_tasks_project_id_fkey" on "acme_tasks"
ALTER TABLE "acme_tasks" DROP CONSTRAINT "acme_tasks_project_id_fkey";
-- Drop foreign key "acme_projects_lead_task_id_fkey" on "acme_projects"
ALTER TABLE "acme_projects" DROP CONSTRAINT "acme_projects_lead_task_id_fkey";
-- Drop foreign key "acme_projects_client_id_fkey" on "acme_projects"
ALTER TABLE "acme_projects" DROP CONSTRAINT "acme_projects_client_id_fkey";
-- Drop table "acme_tasks"
DROP TABLE "acme_tasks";
-- Drop table "acme_projects"
DROP TABLE "acme_projects";
