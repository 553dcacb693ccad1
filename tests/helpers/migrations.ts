/** Hand-written migration files and throwaway workspaces for the runtime tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The text of a migration file. */
export function migrationText(owner: string, description: string, up: string, down: string, noTransaction = false): string {
  const header = `-- schemac: owner=${owner} description=${JSON.stringify(description)}\n`;
  return `${header}${noTransaction ? '-- schemac:no-transaction\n' : ''}-- migrate:up\n${up.trim()}\n-- migrate:down\n${down.trim()}\n`;
}

/** A core schema: clients, an enum, a tenant table with RLS, an index, a trigger and a check. */
export const CORE_INIT = migrationText('core', 'init', `
CREATE TABLE "clients" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "name" text NOT NULL,
  CONSTRAINT "clients_pkey" PRIMARY KEY ("id")
);
CREATE TYPE "note_kind" AS ENUM ('plain', 'todo');
CREATE TABLE "notes" (
  "id" serial NOT NULL,
  "client_id" uuid NOT NULL,
  "kind" "note_kind" NOT NULL DEFAULT 'plain',
  "body" varchar(200) NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "notes_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "notes_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE,
  CONSTRAINT "notes_body_check" CHECK (length(body) > 0)
);
CREATE INDEX "notes_client_id_idx" ON "notes" ("client_id");
CREATE OR REPLACE FUNCTION "notes_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $schemac$
BEGIN
  NEW."updated_at" := now();
  RETURN NEW;
END;
$schemac$;
CREATE TRIGGER "notes_set_updated_at" BEFORE UPDATE ON "notes" FOR EACH ROW EXECUTE FUNCTION "notes_set_updated_at"();
ALTER TABLE "notes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "notes" FORCE ROW LEVEL SECURITY;
CREATE POLICY "notes_tenant_isolation" ON "notes"
  USING ("client_id" = nullif(current_setting('app.client_id', true), '')::uuid)
  WITH CHECK ("client_id" = nullif(current_setting('app.client_id', true), '')::uuid);
`, `
DROP POLICY "notes_tenant_isolation" ON "notes";
DROP TRIGGER "notes_set_updated_at" ON "notes";
DROP FUNCTION "notes_set_updated_at"();
DROP TABLE "notes";
DROP TYPE "note_kind";
DROP TABLE "clients";
`);

/** An org's table referencing core. */
export const ACME_INVOICES = migrationText('acme', 'add invoice tables', `
CREATE TABLE "acme_invoice_data" (
  "id" bigserial NOT NULL,
  "client_id" uuid NOT NULL,
  "amount" integer NOT NULL,
  "status" varchar(50) NOT NULL DEFAULT 'pending',
  CONSTRAINT "acme_invoice_data_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "acme_invoice_data_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE,
  CONSTRAINT "acme_invoice_data_amount_check" CHECK (amount >= 0)
);
COMMENT ON TABLE "acme_invoice_data" IS 'Invoices.';
`, `DROP TABLE "acme_invoice_data";`);

/** An index built concurrently: must run outside a transaction. */
export const ACME_STATUS_INDEX = migrationText('acme', 'index status',
  `CREATE INDEX CONCURRENTLY "acme_invoice_data_status_idx" ON "acme_invoice_data" ("status") WHERE status <> 'paid';`,
  `DROP INDEX CONCURRENTLY "acme_invoice_data_status_idx";`, true);

/** The default fixture set: name → text. */
export const BASIC: Readonly<Record<string, string>> = {
  '20260101_000000_core_init.sql': CORE_INIT,
  '20260102_000000_custom_acme_add_invoice_tables.sql': ACME_INVOICES,
  '20260103_000000_custom_acme_index_status.sql': ACME_STATUS_INDEX,
};

/** A temp workspace whose `generated/migrations` holds `files`; `remove()` deletes it. */
export function makeWorkspace(files: Readonly<Record<string, string>> = BASIC): { dir: string; migrations: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-rt-'));
  const migrations = path.join(dir, 'generated', 'migrations');
  fs.mkdirSync(migrations, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(migrations, name), text);
  return { dir, migrations, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
