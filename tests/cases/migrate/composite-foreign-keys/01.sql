-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "clients"
CREATE TABLE "clients" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);
-- Create trigger "clients_set_updated_at" on "clients" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "clients_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "clients_set_updated_at" BEFORE UPDATE ON "clients" FOR EACH ROW EXECUTE FUNCTION "clients_set_updated_at"();
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop trigger "clients_set_updated_at" on "clients"
DROP TRIGGER "clients_set_updated_at" ON "clients";
DROP FUNCTION "clients_set_updated_at"();
-- Drop table "clients"
DROP TABLE "clients";

-- file: 20260101_120000_custom_acme_step_01.sql
-- schemac: owner=acme description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create table "acme_customers"
CREATE TABLE "acme_customers" (
  "client_id" uuid NOT NULL,
  "id" integer NOT NULL,
  "name" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_customers_pkey" PRIMARY KEY ("client_id", "id")
);
-- Create table "acme_orders"
CREATE TABLE "acme_orders" (
  "id" bigserial NOT NULL,
  "client_id" uuid NOT NULL,
  "customer_id" integer NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_orders_pkey" PRIMARY KEY ("id")
);
-- Add foreign key "acme_customers_client_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" ADD CONSTRAINT "acme_customers_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_orders_client_id_customer_id_fkey" on "acme_orders"
ALTER TABLE "acme_orders" ADD CONSTRAINT "acme_orders_client_id_customer_id_fkey" FOREIGN KEY ("client_id", "customer_id") REFERENCES "acme_customers" ("client_id", "id") ON DELETE CASCADE;
-- Add foreign key "acme_orders_client_id_fkey" on "acme_orders"
ALTER TABLE "acme_orders" ADD CONSTRAINT "acme_orders_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "acme_orders_client_id_customer_id_idx" on "acme_orders"
CREATE INDEX "acme_orders_client_id_customer_id_idx" ON "acme_orders" ("client_id", "customer_id");
-- Create trigger "acme_customers_set_updated_at" on "acme_customers" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_customers_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_customers_set_updated_at" BEFORE UPDATE ON "acme_customers" FOR EACH ROW EXECUTE FUNCTION "acme_customers_set_updated_at"();
-- Create trigger "acme_orders_set_updated_at" on "acme_orders" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_orders_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_orders_set_updated_at" BEFORE UPDATE ON "acme_orders" FOR EACH ROW EXECUTE FUNCTION "acme_orders_set_updated_at"();
-- Enable row-level security on "acme_customers"
ALTER TABLE "acme_customers" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_customers" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_customers_tenant_isolation" ON "acme_customers" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Enable row-level security on "acme_orders"
ALTER TABLE "acme_orders" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_orders" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_orders_tenant_isolation" ON "acme_orders" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Disable row-level security on "acme_orders"
DROP POLICY "acme_orders_tenant_isolation" ON "acme_orders";
ALTER TABLE "acme_orders" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_orders" DISABLE ROW LEVEL SECURITY;
-- Disable row-level security on "acme_customers"
DROP POLICY "acme_customers_tenant_isolation" ON "acme_customers";
ALTER TABLE "acme_customers" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_customers" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "acme_orders_set_updated_at" on "acme_orders"
DROP TRIGGER "acme_orders_set_updated_at" ON "acme_orders";
DROP FUNCTION "acme_orders_set_updated_at"();
-- Drop trigger "acme_customers_set_updated_at" on "acme_customers"
DROP TRIGGER "acme_customers_set_updated_at" ON "acme_customers";
DROP FUNCTION "acme_customers_set_updated_at"();
-- Drop index "acme_orders_client_id_customer_id_idx" on "acme_orders"
DROP INDEX "acme_orders_client_id_customer_id_idx";
-- Drop foreign key "acme_orders_client_id_fkey" on "acme_orders"
ALTER TABLE "acme_orders" DROP CONSTRAINT "acme_orders_client_id_fkey";
-- Drop foreign key "acme_orders_client_id_customer_id_fkey" on "acme_orders"
ALTER TABLE "acme_orders" DROP CONSTRAINT "acme_orders_client_id_customer_id_fkey";
-- Drop foreign key "acme_customers_client_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" DROP CONSTRAINT "acme_customers_client_id_fkey";
-- Drop table "acme_orders"
DROP TABLE "acme_orders";
-- Drop table "acme_customers"
DROP TABLE "acme_customers";
