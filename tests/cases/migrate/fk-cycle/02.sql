-- file: 20260102_120000_custom_acme_step_02.sql
-- schemac: owner=acme description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop foreign key "acme_projects_lead_task_id_fkey" on "acme_projects"
ALTER TABLE "acme_projects" DROP CONSTRAINT "acme_projects_lead_task_id_fkey";
-- Drop foreign key "acme_tasks_project_id_fkey" on "acme_tasks"
ALTER TABLE "acme_tasks" DROP CONSTRAINT "acme_tasks_project_id_fkey";
-- Drop table "acme_tasks" (the down migration recreates it empty)
DROP TABLE "acme_tasks";
-- Drop column "lead_task_id" from "acme_projects" (the down migration re-adds it; its data is not restored)
ALTER TABLE "acme_projects" DROP COLUMN "lead_task_id";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Add column "lead_task_id" to "acme_projects"
ALTER TABLE "acme_projects" ADD COLUMN "lead_task_id" uuid;
-- Create table "acme_tasks"
CREATE TABLE "acme_tasks" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "project_id" uuid NOT NULL,
  "title" text NOT NULL,
  CONSTRAINT "acme_tasks_pkey" PRIMARY KEY ("id")
);
-- Add foreign key "acme_tasks_project_id_fkey" on "acme_tasks"
ALTER TABLE "acme_tasks" ADD CONSTRAINT "acme_tasks_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "acme_projects" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_projects_lead_task_id_fkey" on "acme_projects"
ALTER TABLE "acme_projects" ADD CONSTRAINT "acme_projects_lead_task_id_fkey" FOREIGN KEY ("lead_task_id") REFERENCES "acme_tasks" ("id") ON DELETE SET NULL;
