-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "clients"
CREATE TABLE "clients" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" varchar(255) NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);
-- Create table "slots"
CREATE TABLE "slots" (
  "id" serial NOT NULL,
  "starts" time NOT NULL DEFAULT '12:00',
  "day" date NOT NULL DEFAULT '2024-01-01',
  "at_local" timestamp NOT NULL DEFAULT '2024-01-01T10:00:00Z',
  "at_zoned" timestamptz NOT NULL DEFAULT '2024-01-01T10:00:00+02:00',
  "blob" bytea NOT NULL DEFAULT 'abc',
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "slots_pkey" PRIMARY KEY ("id")
);
-- Create trigger "clients_set_updated_at" on "clients" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "clients_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "clients_set_updated_at" BEFORE UPDATE ON "clients" FOR EACH ROW EXECUTE FUNCTION "clients_set_updated_at"();
-- Create trigger "slots_set_updated_at" on "slots" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "slots_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "slots_set_updated_at" BEFORE UPDATE ON "slots" FOR EACH ROW EXECUTE FUNCTION "slots_set_updated_at"();
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop trigger "slots_set_updated_at" on "slots"
DROP TRIGGER "slots_set_updated_at" ON "slots";
DROP FUNCTION "slots_set_updated_at"();
-- Drop trigger "clients_set_updated_at" on "clients"
DROP TRIGGER "clients_set_updated_at" ON "clients";
DROP FUNCTION "clients_set_updated_at"();
-- Drop table "slots"
DROP TABLE "slots";
-- Drop table "clients"
DROP TABLE "clients";
