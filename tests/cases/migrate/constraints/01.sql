-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "accounts"
CREATE TABLE "accounts" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "email" varchar(320) NOT NULL,
  "region" varchar(10) NOT NULL,
  "code" varchar(10) NOT NULL,
  CONSTRAINT "accounts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "accounts_email_key" UNIQUE ("email")
);
-- Create table "memberships"
CREATE TABLE "memberships" (
  "account_id" uuid NOT NULL,
  "team" text NOT NULL,
  "role" text NOT NULL,
  CONSTRAINT "memberships_pkey" PRIMARY KEY ("account_id", "team")
);
-- Add foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE RESTRICT;
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop foreign key "memberships_account_id_fkey" on "memberships"
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_account_id_fkey";
-- Drop table "memberships"
DROP TABLE "memberships";
-- Drop table "accounts"
DROP TABLE "accounts";
