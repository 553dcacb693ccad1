-- schemac: owner=acme description="add invoice tables"
-- migrate:up
-- Create enum "acme_invoice_status"
CREATE TYPE "acme_invoice_status" AS ENUM ('draft', 'pending', 'paid', 'void');
-- Create table "acme_customers"
CREATE TABLE "acme_customers" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "external_id" varchar(100) NOT NULL,
  "name" varchar(255) NOT NULL,
  "email" varchar(320),
  "tags" text[] NOT NULL DEFAULT '{}'::text[],
  "attributes" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "archived_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_customers_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "acme_customers_client_id_external_id_key" UNIQUE ("client_id", "external_id")
);
COMMENT ON TABLE "acme_customers" IS 'Customers of a client, synced from its CRM.';
COMMENT ON COLUMN "acme_customers"."external_id" IS 'The customer''s id in the client''s CRM.';
-- Create table "acme_invoice_audit_log"
CREATE TABLE "acme_invoice_audit_log" (
  "id" bigserial NOT NULL,
  "client_id" uuid NOT NULL,
  "invoice_id" uuid NOT NULL,
  "action" varchar(50) NOT NULL,
  "actor" varchar(255),
  "changes" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_invoice_audit_log_pkey" PRIMARY KEY ("id")
);
COMMENT ON TABLE "acme_invoice_audit_log" IS 'Append-only history of every change to an invoice.';
-- Create table "acme_invoice_config"
CREATE TABLE "acme_invoice_config" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "stripe_api_key" text NOT NULL,
  "webhook_secret_encrypted" bytea,
  "default_currency" char(3) NOT NULL DEFAULT 'USD',
  "payment_terms_days" integer NOT NULL DEFAULT 30,
  "next_invoice_number" integer NOT NULL DEFAULT 1,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_invoice_config_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "acme_invoice_config_client_id_key" UNIQUE ("client_id"),
  CONSTRAINT "acme_invoice_config_payment_terms_days_check" CHECK (payment_terms_days BETWEEN 0 AND 365)
);
COMMENT ON TABLE "acme_invoice_config" IS 'One row of invoicing settings per client.';
COMMENT ON COLUMN "acme_invoice_config"."stripe_api_key" IS 'Stripe secret key, encrypted with the client''s data key.';
-- Create table "acme_invoices"
CREATE TABLE "acme_invoices" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "customer_id" uuid,
  "invoice_number" varchar(50) NOT NULL,
  "amount_cents" bigint NOT NULL,
  "currency" char(3) NOT NULL DEFAULT 'USD',
  "status" "acme_invoice_status" NOT NULL DEFAULT 'draft',
  "due_date" date,
  "paid_at" timestamptz,
  "stripe_payment_intent_id" varchar(255),
  "line_items" jsonb NOT NULL DEFAULT '[]'::jsonb,
  "metadata" jsonb,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "acme_invoices_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "acme_invoices_client_id_invoice_number_key" UNIQUE ("client_id", "invoice_number"),
  CONSTRAINT "acme_invoices_amount_cents_check" CHECK (amount_cents >= 0),
  CONSTRAINT "acme_invoices_paid_has_timestamp_check" CHECK (status <> 'paid' OR paid_at IS NOT NULL)
);
COMMENT ON TABLE "acme_invoices" IS 'Invoices created by the invoice_generator tool.';
COMMENT ON COLUMN "acme_invoices"."amount_cents" IS 'Total in the currency''s minor unit.';
-- Add foreign key "acme_customers_client_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" ADD CONSTRAINT "acme_customers_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_invoice_audit_log_client_id_fkey" on "acme_invoice_audit_log"
ALTER TABLE "acme_invoice_audit_log" ADD CONSTRAINT "acme_invoice_audit_log_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_invoice_audit_log_invoice_id_fkey" on "acme_invoice_audit_log"
ALTER TABLE "acme_invoice_audit_log" ADD CONSTRAINT "acme_invoice_audit_log_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "acme_invoices" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_invoice_config_client_id_fkey" on "acme_invoice_config"
ALTER TABLE "acme_invoice_config" ADD CONSTRAINT "acme_invoice_config_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_invoices_client_id_fkey" on "acme_invoices"
ALTER TABLE "acme_invoices" ADD CONSTRAINT "acme_invoices_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "acme_invoices_customer_id_fkey" on "acme_invoices"
ALTER TABLE "acme_invoices" ADD CONSTRAINT "acme_invoices_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "acme_customers" ("id") ON DELETE SET NULL;
-- Create index "acme_customers_client_id_email_idx" on "acme_customers"
CREATE INDEX "acme_customers_client_id_email_idx" ON "acme_customers" ("client_id", "email") WHERE (email IS NOT NULL AND archived_at IS NULL);
-- Create index "acme_customers_tags_idx" on "acme_customers"
CREATE INDEX "acme_customers_tags_idx" ON "acme_customers" USING gin ("tags");
-- Create index "acme_invoice_audit_log_client_id_created_at_idx" on "acme_invoice_audit_log"
CREATE INDEX "acme_invoice_audit_log_client_id_created_at_idx" ON "acme_invoice_audit_log" ("client_id", "created_at");
-- Create index "acme_invoice_audit_log_invoice_id_created_at_idx" on "acme_invoice_audit_log"
CREATE INDEX "acme_invoice_audit_log_invoice_id_created_at_idx" ON "acme_invoice_audit_log" ("invoice_id", "created_at");
-- Create index "acme_invoices_client_id_created_at_idx" on "acme_invoices"
CREATE INDEX "acme_invoices_client_id_created_at_idx" ON "acme_invoices" ("client_id", "created_at");
-- Create index "acme_invoices_customer_id_idx" on "acme_invoices"
CREATE INDEX "acme_invoices_customer_id_idx" ON "acme_invoices" ("customer_id");
-- Create index "acme_invoices_metadata_idx" on "acme_invoices"
CREATE INDEX "acme_invoices_metadata_idx" ON "acme_invoices" USING gin ("metadata");
-- Create index "acme_invoices_open_idx" on "acme_invoices"
CREATE INDEX "acme_invoices_open_idx" ON "acme_invoices" ("client_id", "due_date") WHERE (status = 'pending');
-- Create trigger "acme_customers_set_updated_at" on "acme_customers" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_customers_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_customers_set_updated_at" BEFORE UPDATE ON "acme_customers" FOR EACH ROW EXECUTE FUNCTION "acme_customers_set_updated_at"();
-- Create trigger "acme_invoice_config_set_updated_at" on "acme_invoice_config" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_invoice_config_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_invoice_config_set_updated_at" BEFORE UPDATE ON "acme_invoice_config" FOR EACH ROW EXECUTE FUNCTION "acme_invoice_config_set_updated_at"();
-- Create trigger "acme_invoices_set_updated_at" on "acme_invoices" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "acme_invoices_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "acme_invoices_set_updated_at" BEFORE UPDATE ON "acme_invoices" FOR EACH ROW EXECUTE FUNCTION "acme_invoices_set_updated_at"();
-- Enable row-level security on "acme_customers"
ALTER TABLE "acme_customers" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_customers" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_customers_tenant_isolation" ON "acme_customers" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Enable row-level security on "acme_invoices"
ALTER TABLE "acme_invoices" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoices" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_invoices_tenant_isolation" ON "acme_invoices" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
-- Disable row-level security on "acme_invoices"
DROP POLICY "acme_invoices_tenant_isolation" ON "acme_invoices";
ALTER TABLE "acme_invoices" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoices" DISABLE ROW LEVEL SECURITY;
-- Disable row-level security on "acme_customers"
DROP POLICY "acme_customers_tenant_isolation" ON "acme_customers";
ALTER TABLE "acme_customers" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_customers" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "acme_invoices_set_updated_at" on "acme_invoices"
DROP TRIGGER "acme_invoices_set_updated_at" ON "acme_invoices";
DROP FUNCTION "acme_invoices_set_updated_at"();
-- Drop trigger "acme_invoice_config_set_updated_at" on "acme_invoice_config"
DROP TRIGGER "acme_invoice_config_set_updated_at" ON "acme_invoice_config";
DROP FUNCTION "acme_invoice_config_set_updated_at"();
-- Drop trigger "acme_customers_set_updated_at" on "acme_customers"
DROP TRIGGER "acme_customers_set_updated_at" ON "acme_customers";
DROP FUNCTION "acme_customers_set_updated_at"();
-- Drop index "acme_invoices_open_idx" on "acme_invoices"
DROP INDEX "acme_invoices_open_idx";
-- Drop index "acme_invoices_metadata_idx" on "acme_invoices"
DROP INDEX "acme_invoices_metadata_idx";
-- Drop index "acme_invoices_customer_id_idx" on "acme_invoices"
DROP INDEX "acme_invoices_customer_id_idx";
-- Drop index "acme_invoices_client_id_created_at_idx" on "acme_invoices"
DROP INDEX "acme_invoices_client_id_created_at_idx";
-- Drop index "acme_invoice_audit_log_invoice_id_created_at_idx" on "acme_invoice_audit_log"
DROP INDEX "acme_invoice_audit_log_invoice_id_created_at_idx";
-- Drop index "acme_invoice_audit_log_client_id_created_at_idx" on "acme_invoice_audit_log"
DROP INDEX "acme_invoice_audit_log_client_id_created_at_idx";
-- Drop index "acme_customers_tags_idx" on "acme_customers"
DROP INDEX "acme_customers_tags_idx";
-- Drop index "acme_customers_client_id_email_idx" on "acme_customers"
DROP INDEX "acme_customers_client_id_email_idx";
-- Drop foreign key "acme_invoices_customer_id_fkey" on "acme_invoices"
ALTER TABLE "acme_invoices" DROP CONSTRAINT "acme_invoices_customer_id_fkey";
-- Drop foreign key "acme_invoices_client_id_fkey" on "acme_invoices"
ALTER TABLE "acme_invoices" DROP CONSTRAINT "acme_invoices_client_id_fkey";
-- Drop foreign key "acme_invoice_config_client_id_fkey" on "acme_invoice_config"
ALTER TABLE "acme_invoice_config" DROP CONSTRAINT "acme_invoice_config_client_id_fkey";
-- Drop foreign key "acme_invoice_audit_log_invoice_id_fkey" on "acme_invoice_audit_log"
ALTER TABLE "acme_invoice_audit_log" DROP CONSTRAINT "acme_invoice_audit_log_invoice_id_fkey";
-- Drop foreign key "acme_invoice_audit_log_client_id_fkey" on "acme_invoice_audit_log"
ALTER TABLE "acme_invoice_audit_log" DROP CONSTRAINT "acme_invoice_audit_log_client_id_fkey";
-- Drop foreign key "acme_customers_client_id_fkey" on "acme_customers"
ALTER TABLE "acme_customers" DROP CONSTRAINT "acme_customers_client_id_fkey";
-- Drop table "acme_invoices"
DROP TABLE "acme_invoices";
-- Drop table "acme_invoice_config"
DROP TABLE "acme_invoice_config";
-- Drop table "acme_invoice_audit_log"
DROP TABLE "acme_invoice_audit_log";
-- Drop table "acme_customers"
DROP TABLE "acme_customers";
-- Drop enum "acme_invoice_status"
DROP TYPE "acme_invoice_status";
