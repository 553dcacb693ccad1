-- schemac: owner=globex description="add shipment tracking"
-- migrate:up
-- Create enum "globex_shipment_status"
CREATE TYPE "globex_shipment_status" AS ENUM ('created', 'in_transit', 'delivered', 'exception', 'returned');
-- Create table "globex_carrier_credentials"
CREATE TABLE "globex_carrier_credentials" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "carrier_id" integer NOT NULL,
  "account_number" varchar(64),
  "api_token_encrypted" bytea NOT NULL,
  "expires_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "globex_carrier_credentials_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "globex_carrier_credentials_client_id_carrier_id_key" UNIQUE ("client_id", "carrier_id")
);
COMMENT ON TABLE "globex_carrier_credentials" IS 'Each client''s credentials for a carrier''s tracking API.';
COMMENT ON COLUMN "globex_carrier_credentials"."api_token_encrypted" IS 'Carrier API token, encrypted with the client''s data key.';
-- Create table "globex_carriers"
CREATE TABLE "globex_carriers" (
  "id" serial NOT NULL,
  "code" varchar(20) NOT NULL,
  "name" varchar(255) NOT NULL,
  "tracking_url_template" text,
  "active" boolean NOT NULL DEFAULT true,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "globex_carriers_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "globex_carriers_code_key" UNIQUE ("code"),
  CONSTRAINT "globex_carriers_code_format_check" CHECK (code ~ '^[a-z][a-z0-9_]*$')
);
COMMENT ON TABLE "globex_carriers" IS 'Shipping carriers known to the shipment tracker; reference data shared by all clients.';
COMMENT ON COLUMN "globex_carriers"."code" IS 'Short code, e.g. ups or dhl_express.';
COMMENT ON COLUMN "globex_carriers"."tracking_url_template" IS 'URL with a {tracking_number} placeholder.';
-- Create table "globex_shipment_events"
CREATE TABLE "globex_shipment_events" (
  "id" bigserial NOT NULL,
  "client_id" uuid NOT NULL,
  "shipment_id" uuid NOT NULL,
  "event_type" varchar(50) NOT NULL,
  "location" varchar(255),
  "occurred_at" timestamptz NOT NULL,
  "payload" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "globex_shipment_events_pkey" PRIMARY KEY ("id")
);
COMMENT ON TABLE "globex_shipment_events" IS 'Tracking events reported by a carrier for a shipment.';
-- Create table "globex_shipments"
CREATE TABLE "globex_shipments" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "carrier_id" integer NOT NULL,
  "tracking_number" varchar(64) NOT NULL,
  "status" "globex_shipment_status" NOT NULL DEFAULT 'created',
  "origin" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "destination" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "weight_grams" integer,
  "estimated_delivery" date,
  "delivered_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "globex_shipments_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "globex_shipments_client_id_carrier_id_tracking_number_key" UNIQUE ("client_id", "carrier_id", "tracking_number"),
  CONSTRAINT "globex_shipments_delivered_has_timestamp_check" CHECK (status <> 'delivered' OR delivered_at IS NOT NULL),
  CONSTRAINT "globex_shipments_weight_grams_check" CHECK (weight_grams > 0)
);
COMMENT ON TABLE "globex_shipments" IS 'Shipments a client tracks across carriers.';
-- Add foreign key "globex_carrier_credentials_carrier_id_fkey" on "globex_carrier_credentials"
ALTER TABLE "globex_carrier_credentials" ADD CONSTRAINT "globex_carrier_credentials_carrier_id_fkey" FOREIGN KEY ("carrier_id") REFERENCES "globex_carriers" ("id") ON DELETE CASCADE;
-- Add foreign key "globex_carrier_credentials_client_id_fkey" on "globex_carrier_credentials"
ALTER TABLE "globex_carrier_credentials" ADD CONSTRAINT "globex_carrier_credentials_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "globex_shipment_events_client_id_fkey" on "globex_shipment_events"
ALTER TABLE "globex_shipment_events" ADD CONSTRAINT "globex_shipment_events_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "globex_shipment_events_shipment_id_fkey" on "globex_shipment_events"
ALTER TABLE "globex_shipment_events" ADD CONSTRAINT "globex_shipment_events_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "globex_shipments" ("id") ON DELETE CASCADE;
-- Add foreign key "globex_shipments_carrier_id_fkey" on "globex_shipments"
ALTER TABLE "globex_shipments" ADD CONSTRAINT "globex_shipments_carrier_id_fkey" FOREIGN KEY ("carrier_id") REFERENCES "globex_carriers" ("id") ON DELETE RESTRICT;
-- Add foreign key "globex_shipments_client_id_fkey" on "globex_shipments"
ALTER TABLE "globex_shipments" ADD CONSTRAINT "globex_shipments_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "globex_carrier_credentials_carrier_id_idx" on "globex_carrier_credentials"
CREATE INDEX "globex_carrier_credentials_carrier_id_idx" ON "globex_carrier_credentials" ("carrier_id");
-- Create index "globex_shipment_events_client_id_idx" on "globex_shipment_events"
CREATE INDEX "globex_shipment_events_client_id_idx" ON "globex_shipment_events" ("client_id");
-- Create index "globex_shipment_events_payload_idx" on "globex_shipment_events"
CREATE INDEX "globex_shipment_events_payload_idx" ON "globex_shipment_events" USING gin ("payload");
-- Create index "globex_shipment_events_shipment_id_occurred_at_idx" on "globex_shipment_events"
CREATE INDEX "globex_shipment_events_shipment_id_occurred_at_idx" ON "globex_shipment_events" ("shipment_id", "occurred_at");
-- Create index "globex_shipments_carrier_id_idx" on "globex_shipments"
CREATE INDEX "globex_shipments_carrier_id_idx" ON "globex_shipments" ("carrier_id");
-- Create index "globex_shipments_client_id_estimated_delivery_idx" on "globex_shipments"
CREATE INDEX "globex_shipments_client_id_estimated_delivery_idx" ON "globex_shipments" ("client_id", "estimated_delivery") WHERE (status IN ('created', 'in_transit'));
-- Create trigger "globex_carrier_credentials_set_updated_at" on "globex_carrier_credentials" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "globex_carrier_credentials_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "globex_carrier_credentials_set_updated_at" BEFORE UPDATE ON "globex_carrier_credentials" FOR EACH ROW EXECUTE FUNCTION "globex_carrier_credentials_set_updated_at"();
-- Create trigger "globex_carriers_set_updated_at" on "globex_carriers" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "globex_carriers_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "globex_carriers_set_updated_at" BEFORE UPDATE ON "globex_carriers" FOR EACH ROW EXECUTE FUNCTION "globex_carriers_set_updated_at"();
-- Create trigger "globex_shipment_events_set_updated_at" on "globex_shipment_events" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "globex_shipment_events_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "globex_shipment_events_set_updated_at" BEFORE UPDATE ON "globex_shipment_events" FOR EACH ROW EXECUTE FUNCTION "globex_shipment_events_set_updated_at"();
-- Create trigger "globex_shipments_set_updated_at" on "globex_shipments" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "globex_shipments_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "globex_shipments_set_updated_at" BEFORE UPDATE ON "globex_shipments" FOR EACH ROW EXECUTE FUNCTION "globex_shipments_set_updated_at"();
-- Enable row-level security on "globex_carrier_credentials"
ALTER TABLE "globex_carrier_credentials" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "globex_carrier_credentials" FORCE ROW LEVEL SECURITY;
CREATE POLICY "globex_carrier_credentials_tenant_isolation" ON "globex_carrier_credentials" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Enable row-level security on "globex_shipments"
ALTER TABLE "globex_shipments" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "globex_shipments" FORCE ROW LEVEL SECURITY;
CREATE POLICY "globex_shipments_tenant_isolation" ON "globex_shipments" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
-- Disable row-level security on "globex_shipments"
DROP POLICY "globex_shipments_tenant_isolation" ON "globex_shipments";
ALTER TABLE "globex_shipments" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "globex_shipments" DISABLE ROW LEVEL SECURITY;
-- Disable row-level security on "globex_carrier_credentials"
DROP POLICY "globex_carrier_credentials_tenant_isolation" ON "globex_carrier_credentials";
ALTER TABLE "globex_carrier_credentials" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "globex_carrier_credentials" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "globex_shipments_set_updated_at" on "globex_shipments"
DROP TRIGGER "globex_shipments_set_updated_at" ON "globex_shipments";
DROP FUNCTION "globex_shipments_set_updated_at"();
-- Drop trigger "globex_shipment_events_set_updated_at" on "globex_shipment_events"
DROP TRIGGER "globex_shipment_events_set_updated_at" ON "globex_shipment_events";
DROP FUNCTION "globex_shipment_events_set_updated_at"();
-- Drop trigger "globex_carriers_set_updated_at" on "globex_carriers"
DROP TRIGGER "globex_carriers_set_updated_at" ON "globex_carriers";
DROP FUNCTION "globex_carriers_set_updated_at"();
-- Drop trigger "globex_carrier_credentials_set_updated_at" on "globex_carrier_credentials"
DROP TRIGGER "globex_carrier_credentials_set_updated_at" ON "globex_carrier_credentials";
DROP FUNCTION "globex_carrier_credentials_set_updated_at"();
-- Drop index "globex_shipments_client_id_estimated_delivery_idx" on "globex_shipments"
DROP INDEX "globex_shipments_client_id_estimated_delivery_idx";
-- Drop index "globex_shipments_carrier_id_idx" on "globex_shipments"
DROP INDEX "globex_shipments_carrier_id_idx";
-- Drop index "globex_shipment_events_shipment_id_occurred_at_idx" on "globex_shipment_events"
DROP INDEX "globex_shipment_events_shipment_id_occurred_at_idx";
-- Drop index "globex_shipment_events_payload_idx" on "globex_shipment_events"
DROP INDEX "globex_shipment_events_payload_idx";
-- Drop index "globex_shipment_events_client_id_idx" on "globex_shipment_events"
DROP INDEX "globex_shipment_events_client_id_idx";
-- Drop index "globex_carrier_credentials_carrier_id_idx" on "globex_carrier_credentials"
DROP INDEX "globex_carrier_credentials_carrier_id_idx";
-- Drop foreign key "globex_shipments_client_id_fkey" on "globex_shipments"
ALTER TABLE "globex_shipments" DROP CONSTRAINT "globex_shipments_client_id_fkey";
-- Drop foreign key "globex_shipments_carrier_id_fkey" on "globex_shipments"
ALTER TABLE "globex_shipments" DROP CONSTRAINT "globex_shipments_carrier_id_fkey";
-- Drop foreign key "globex_shipment_events_shipment_id_fkey" on "globex_shipment_events"
ALTER TABLE "globex_shipment_events" DROP CONSTRAINT "globex_shipment_events_shipment_id_fkey";
-- Drop foreign key "globex_shipment_events_client_id_fkey" on "globex_shipment_events"
ALTER TABLE "globex_shipment_events" DROP CONSTRAINT "globex_shipment_events_client_id_fkey";
-- Drop foreign key "globex_carrier_credentials_client_id_fkey" on "globex_carrier_credentials"
ALTER TABLE "globex_carrier_credentials" DROP CONSTRAINT "globex_carrier_credentials_client_id_fkey";
-- Drop foreign key "globex_carrier_credentials_carrier_id_fkey" on "globex_carrier_credentials"
ALTER TABLE "globex_carrier_credentials" DROP CONSTRAINT "globex_carrier_credentials_carrier_id_fkey";
-- Drop table "globex_shipments"
DROP TABLE "globex_shipments";
-- Drop table "globex_shipment_events"
DROP TABLE "globex_shipment_events";
-- Drop table "globex_carriers"
DROP TABLE "globex_carriers";
-- Drop table "globex_carrier_credentials"
DROP TABLE "globex_carrier_credentials";
-- Drop enum "globex_shipment_status"
DROP TYPE "globex_shipment_status";
