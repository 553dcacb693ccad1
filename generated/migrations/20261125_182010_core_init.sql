-- schemac: owner=core description="init"
-- migrate:up
-- Create enum "admin_role"
CREATE TYPE "admin_role" AS ENUM ('owner', 'operator', 'viewer');
-- Create enum "client_status"
CREATE TYPE "client_status" AS ENUM ('active', 'suspended', 'closed');
-- Create enum "tool_call_status"
CREATE TYPE "tool_call_status" AS ENUM ('pending', 'running', 'succeeded', 'failed', 'cancelled');
-- Create table "admins"
CREATE TABLE "admins" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "email" varchar(320) NOT NULL,
  "display_name" varchar(255) NOT NULL,
  "role" "admin_role" NOT NULL DEFAULT 'operator',
  "password_hash" text NOT NULL,
  "last_login_at" timestamptz,
  "disabled_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "admins_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "admins_email_key" UNIQUE ("email")
);
COMMENT ON TABLE "admins" IS 'Platform operators who sign in to the admin console.';
COMMENT ON COLUMN "admins"."password_hash" IS 'Argon2id hash; the password itself is never stored.';
-- Create table "api_keys"
CREATE TABLE "api_keys" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "name" varchar(100) NOT NULL,
  "key_prefix" varchar(16) NOT NULL,
  "key_hash" char(64) NOT NULL,
  "scopes" text[] NOT NULL DEFAULT '{}'::text[],
  "created_by" uuid,
  "last_used_at" timestamptz,
  "expires_at" timestamptz,
  "revoked_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "api_keys_key_hash_key" UNIQUE ("key_hash")
);
COMMENT ON TABLE "api_keys" IS 'Keys a client''s MCP clients authenticate with. Only a SHA-256 hash of the key is stored.';
COMMENT ON COLUMN "api_keys"."name" IS 'Label chosen by the client, e.g. "production".';
COMMENT ON COLUMN "api_keys"."key_prefix" IS 'The first characters of the key, shown in the UI.';
COMMENT ON COLUMN "api_keys"."key_hash" IS 'Hex SHA-256 of the full key.';
-- Create table "clients"
CREATE TABLE "clients" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" varchar(255) NOT NULL,
  "slug" varchar(63) NOT NULL,
  "status" "client_status" NOT NULL DEFAULT 'active',
  "plan" varchar(50) NOT NULL DEFAULT 'free',
  "settings" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "suspended_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "clients_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "clients_slug_key" UNIQUE ("slug"),
  CONSTRAINT "clients_slug_not_empty_check" CHECK (slug <> ''),
  CONSTRAINT "clients_suspended_has_timestamp_check" CHECK (status <> 'suspended' OR suspended_at IS NOT NULL)
);
COMMENT ON TABLE "clients" IS 'Tenants of the platform. Every tenant table''s client_id references this table.';
COMMENT ON COLUMN "clients"."name" IS 'Display name of the client organisation.';
COMMENT ON COLUMN "clients"."slug" IS 'URL-safe identifier used in hostnames.';
-- Create table "resource_configurations"
CREATE TABLE "resource_configurations" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "resource_name" varchar(100) NOT NULL,
  "resource_uri" text NOT NULL,
  "enabled" boolean NOT NULL DEFAULT true,
  "config" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "cache_ttl_seconds" integer NOT NULL DEFAULT 300,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "resource_configurations_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "resource_configurations_client_id_resource_name_key" UNIQUE ("client_id", "resource_name"),
  CONSTRAINT "resource_configurations_cache_ttl_seconds_check" CHECK (cache_ttl_seconds >= 0)
);
COMMENT ON TABLE "resource_configurations" IS 'Per-client settings of each exposed MCP resource.';
COMMENT ON COLUMN "resource_configurations"."resource_uri" IS 'URI template the resource is served under, e.g. acme://customers/{id}.';
-- Create table "system_prompts"
CREATE TABLE "system_prompts" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "name" varchar(100) NOT NULL,
  "version" integer NOT NULL DEFAULT 1,
  "content" text NOT NULL,
  "is_active" boolean NOT NULL DEFAULT false,
  "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "created_by" uuid,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "system_prompts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "system_prompts_client_id_name_version_key" UNIQUE ("client_id", "name", "version"),
  CONSTRAINT "system_prompts_version_check" CHECK (version >= 1)
);
COMMENT ON TABLE "system_prompts" IS 'Versioned system prompts; at most one active version per client and name.';
-- Create table "tool_calls"
CREATE TABLE "tool_calls" (
  "id" bigserial NOT NULL,
  "client_id" uuid NOT NULL,
  "tool_configuration_id" uuid,
  "api_key_id" uuid,
  "tool_name" varchar(100) NOT NULL,
  "status" "tool_call_status" NOT NULL DEFAULT 'pending',
  "arguments" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "result" jsonb,
  "error_message" text,
  "input_tokens" integer,
  "output_tokens" integer,
  "duration_ms" integer,
  "started_at" timestamptz NOT NULL DEFAULT now(),
  "finished_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "tool_calls_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "tool_calls_duration_ms_check" CHECK (duration_ms >= 0),
  CONSTRAINT "tool_calls_finished_after_start_check" CHECK (finished_at IS NULL OR finished_at >= started_at)
);
COMMENT ON TABLE "tool_calls" IS 'One row per tool invocation, for auditing, billing and debugging.';
COMMENT ON COLUMN "tool_calls"."input_tokens" IS 'Model tokens consumed by the call''s input, when known.';
-- Create table "tool_configurations"
CREATE TABLE "tool_configurations" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "client_id" uuid NOT NULL,
  "tool_name" varchar(100) NOT NULL,
  "enabled" boolean NOT NULL DEFAULT true,
  "config" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "secrets_encrypted" bytea,
  "version" integer NOT NULL DEFAULT 1,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "tool_configurations_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "tool_configurations_client_id_tool_name_key" UNIQUE ("client_id", "tool_name"),
  CONSTRAINT "tool_configurations_version_check" CHECK (version >= 1)
);
COMMENT ON TABLE "tool_configurations" IS 'Per-client settings of each enabled tool.';
COMMENT ON COLUMN "tool_configurations"."tool_name" IS 'Registered tool id, e.g. acme/invoice_generator.';
COMMENT ON COLUMN "tool_configurations"."secrets_encrypted" IS 'Tool credentials, encrypted with the client''s data key.';
-- Add foreign key "api_keys_client_id_fkey" on "api_keys"
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "api_keys_created_by_fkey" on "api_keys"
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "admins" ("id") ON DELETE SET NULL;
-- Add foreign key "resource_configurations_client_id_fkey" on "resource_configurations"
ALTER TABLE "resource_configurations" ADD CONSTRAINT "resource_configurations_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "system_prompts_client_id_fkey" on "system_prompts"
ALTER TABLE "system_prompts" ADD CONSTRAINT "system_prompts_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "system_prompts_created_by_fkey" on "system_prompts"
ALTER TABLE "system_prompts" ADD CONSTRAINT "system_prompts_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "admins" ("id") ON DELETE SET NULL;
-- Add foreign key "tool_calls_api_key_id_fkey" on "tool_calls"
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys" ("id") ON DELETE SET NULL;
-- Add foreign key "tool_calls_client_id_fkey" on "tool_calls"
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Add foreign key "tool_calls_tool_configuration_id_fkey" on "tool_calls"
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_tool_configuration_id_fkey" FOREIGN KEY ("tool_configuration_id") REFERENCES "tool_configurations" ("id") ON DELETE SET NULL;
-- Add foreign key "tool_configurations_client_id_fkey" on "tool_configurations"
ALTER TABLE "tool_configurations" ADD CONSTRAINT "tool_configurations_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE;
-- Create index "admins_role_idx" on "admins"
CREATE INDEX "admins_role_idx" ON "admins" ("role") WHERE (disabled_at IS NULL);
-- Create index "api_keys_active_idx" on "api_keys"
CREATE INDEX "api_keys_active_idx" ON "api_keys" ("client_id") WHERE (revoked_at IS NULL);
-- Create index "api_keys_client_id_created_at_idx" on "api_keys"
CREATE INDEX "api_keys_client_id_created_at_idx" ON "api_keys" ("client_id", "created_at");
-- Create index "api_keys_created_by_idx" on "api_keys"
CREATE INDEX "api_keys_created_by_idx" ON "api_keys" ("created_by");
-- Create index "system_prompts_created_by_idx" on "system_prompts"
CREATE INDEX "system_prompts_created_by_idx" ON "system_prompts" ("created_by");
-- Create index "system_prompts_one_active_idx" on "system_prompts"
CREATE UNIQUE INDEX "system_prompts_one_active_idx" ON "system_prompts" ("client_id", "name") WHERE (is_active);
-- Create index "tool_calls_api_key_id_idx" on "tool_calls"
CREATE INDEX "tool_calls_api_key_id_idx" ON "tool_calls" ("api_key_id");
-- Create index "tool_calls_client_id_created_at_idx" on "tool_calls"
CREATE INDEX "tool_calls_client_id_created_at_idx" ON "tool_calls" ("client_id", "created_at");
-- Create index "tool_calls_status_idx" on "tool_calls"
CREATE INDEX "tool_calls_status_idx" ON "tool_calls" ("status") WHERE (status IN ('pending', 'running'));
-- Create index "tool_calls_tool_configuration_id_idx" on "tool_calls"
CREATE INDEX "tool_calls_tool_configuration_id_idx" ON "tool_calls" ("tool_configuration_id");
-- Create index "tool_configurations_config_idx" on "tool_configurations"
CREATE INDEX "tool_configurations_config_idx" ON "tool_configurations" USING gin ("config");
-- Create trigger "admins_set_updated_at" on "admins" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "admins_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "admins_set_updated_at" BEFORE UPDATE ON "admins" FOR EACH ROW EXECUTE FUNCTION "admins_set_updated_at"();
-- Create trigger "api_keys_set_updated_at" on "api_keys" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "api_keys_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "api_keys_set_updated_at" BEFORE UPDATE ON "api_keys" FOR EACH ROW EXECUTE FUNCTION "api_keys_set_updated_at"();
-- Create trigger "clients_set_updated_at" on "clients" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "clients_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "clients_set_updated_at" BEFORE UPDATE ON "clients" FOR EACH ROW EXECUTE FUNCTION "clients_set_updated_at"();
-- Create trigger "resource_configurations_set_updated_at" on "resource_configurations" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "resource_configurations_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "resource_configurations_set_updated_at" BEFORE UPDATE ON "resource_configurations" FOR EACH ROW EXECUTE FUNCTION "resource_configurations_set_updated_at"();
-- Create trigger "system_prompts_set_updated_at" on "system_prompts" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "system_prompts_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "system_prompts_set_updated_at" BEFORE UPDATE ON "system_prompts" FOR EACH ROW EXECUTE FUNCTION "system_prompts_set_updated_at"();
-- Create trigger "tool_calls_set_updated_at" on "tool_calls" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "tool_calls_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "tool_calls_set_updated_at" BEFORE UPDATE ON "tool_calls" FOR EACH ROW EXECUTE FUNCTION "tool_calls_set_updated_at"();
-- Create trigger "tool_configurations_set_updated_at" on "tool_configurations" (sets updated_at to now() on update)
CREATE OR REPLACE FUNCTION "tool_configurations_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER "tool_configurations_set_updated_at" BEFORE UPDATE ON "tool_configurations" FOR EACH ROW EXECUTE FUNCTION "tool_configurations_set_updated_at"();
-- Enable row-level security on "api_keys"
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY "api_keys_tenant_isolation" ON "api_keys" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Enable row-level security on "resource_configurations"
ALTER TABLE "resource_configurations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "resource_configurations" FORCE ROW LEVEL SECURITY;
CREATE POLICY "resource_configurations_tenant_isolation" ON "resource_configurations" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Enable row-level security on "system_prompts"
ALTER TABLE "system_prompts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "system_prompts" FORCE ROW LEVEL SECURITY;
CREATE POLICY "system_prompts_tenant_isolation" ON "system_prompts" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Enable row-level security on "tool_configurations"
ALTER TABLE "tool_configurations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tool_configurations" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tool_configurations_tenant_isolation" ON "tool_configurations" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
-- Disable row-level security on "tool_configurations"
DROP POLICY "tool_configurations_tenant_isolation" ON "tool_configurations";
ALTER TABLE "tool_configurations" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "tool_configurations" DISABLE ROW LEVEL SECURITY;
-- Disable row-level security on "system_prompts"
DROP POLICY "system_prompts_tenant_isolation" ON "system_prompts";
ALTER TABLE "system_prompts" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "system_prompts" DISABLE ROW LEVEL SECURITY;
-- Disable row-level security on "resource_configurations"
DROP POLICY "resource_configurations_tenant_isolation" ON "resource_configurations";
ALTER TABLE "resource_configurations" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "resource_configurations" DISABLE ROW LEVEL SECURITY;
-- Disable row-level security on "api_keys"
DROP POLICY "api_keys_tenant_isolation" ON "api_keys";
ALTER TABLE "api_keys" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "api_keys" DISABLE ROW LEVEL SECURITY;
-- Drop trigger "tool_configurations_set_updated_at" on "tool_configurations"
DROP TRIGGER "tool_configurations_set_updated_at" ON "tool_configurations";
DROP FUNCTION "tool_configurations_set_updated_at"();
-- Drop trigger "tool_calls_set_updated_at" on "tool_calls"
DROP TRIGGER "tool_calls_set_updated_at" ON "tool_calls";
DROP FUNCTION "tool_calls_set_updated_at"();
-- Drop trigger "system_prompts_set_updated_at" on "system_prompts"
DROP TRIGGER "system_prompts_set_updated_at" ON "system_prompts";
DROP FUNCTION "system_prompts_set_updated_at"();
-- Drop trigger "resource_configurations_set_updated_at" on "resource_configurations"
DROP TRIGGER "resource_configurations_set_updated_at" ON "resource_configurations";
DROP FUNCTION "resource_configurations_set_updated_at"();
-- Drop trigger "clients_set_updated_at" on "clients"
DROP TRIGGER "clients_set_updated_at" ON "clients";
DROP FUNCTION "clients_set_updated_at"();
-- Drop trigger "api_keys_set_updated_at" on "api_keys"
DROP TRIGGER "api_keys_set_updated_at" ON "api_keys";
DROP FUNCTION "api_keys_set_updated_at"();
-- Drop trigger "admins_set_updated_at" on "admins"
DROP TRIGGER "admins_set_updated_at" ON "admins";
DROP FUNCTION "admins_set_updated_at"();
-- Drop index "tool_configurations_config_idx" on "tool_configurations"
DROP INDEX "tool_configurations_config_idx";
-- Drop index "tool_calls_tool_configuration_id_idx" on "tool_calls"
DROP INDEX "tool_calls_tool_configuration_id_idx";
-- Drop index "tool_calls_status_idx" on "tool_calls"
DROP INDEX "tool_calls_status_idx";
-- Drop index "tool_calls_client_id_created_at_idx" on "tool_calls"
DROP INDEX "tool_calls_client_id_created_at_idx";
-- Drop index "tool_calls_api_key_id_idx" on "tool_calls"
DROP INDEX "tool_calls_api_key_id_idx";
-- Drop index "system_prompts_one_active_idx" on "system_prompts"
DROP INDEX "system_prompts_one_active_idx";
-- Drop index "system_prompts_created_by_idx" on "system_prompts"
DROP INDEX "system_prompts_created_by_idx";
-- Drop index "api_keys_created_by_idx" on "api_keys"
DROP INDEX "api_keys_created_by_idx";
-- Drop index "api_keys_client_id_created_at_idx" on "api_keys"
DROP INDEX "api_keys_client_id_created_at_idx";
-- Drop index "api_keys_active_idx" on "api_keys"
DROP INDEX "api_keys_active_idx";
-- Drop index "admins_role_idx" on "admins"
DROP INDEX "admins_role_idx";
-- Drop foreign key "tool_configurations_client_id_fkey" on "tool_configurations"
ALTER TABLE "tool_configurations" DROP CONSTRAINT "tool_configurations_client_id_fkey";
-- Drop foreign key "tool_calls_tool_configuration_id_fkey" on "tool_calls"
ALTER TABLE "tool_calls" DROP CONSTRAINT "tool_calls_tool_configuration_id_fkey";
-- Drop foreign key "tool_calls_client_id_fkey" on "tool_calls"
ALTER TABLE "tool_calls" DROP CONSTRAINT "tool_calls_client_id_fkey";
-- Drop foreign key "tool_calls_api_key_id_fkey" on "tool_calls"
ALTER TABLE "tool_calls" DROP CONSTRAINT "tool_calls_api_key_id_fkey";
-- Drop foreign key "system_prompts_created_by_fkey" on "system_prompts"
ALTER TABLE "system_prompts" DROP CONSTRAINT "system_prompts_created_by_fkey";
-- Drop foreign key "system_prompts_client_id_fkey" on "system_prompts"
ALTER TABLE "system_prompts" DROP CONSTRAINT "system_prompts_client_id_fkey";
-- Drop foreign key "resource_configurations_client_id_fkey" on "resource_configurations"
ALTER TABLE "resource_configurations" DROP CONSTRAINT "resource_configurations_client_id_fkey";
-- Drop foreign key "api_keys_created_by_fkey" on "api_keys"
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_created_by_fkey";
-- Drop foreign key "api_keys_client_id_fkey" on "api_keys"
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_client_id_fkey";
-- Drop table "tool_configurations"
DROP TABLE "tool_configurations";
-- Drop table "tool_calls"
DROP TABLE "tool_calls";
-- Drop table "system_prompts"
DROP TABLE "system_prompts";
-- Drop table "resource_configurations"
DROP TABLE "resource_configurations";
-- Drop table "clients"
DROP TABLE "clients";
-- Drop table "api_keys"
DROP TABLE "api_keys";
-- Drop table "admins"
DROP TABLE "admins";
-- Drop enum "tool_call_status"
DROP TYPE "tool_call_status";
-- Drop enum "client_status"
DROP TYPE "client_status";
-- Drop enum "admin_role"
DROP TYPE "admin_role";
