import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Change, diff } from '../compiler/engine/diff.ts';
import { isVolatileDefault, notNullCheckName } from '../compiler/engine/phase.ts';
import { plan } from '../compiler/engine/plan.ts';
import { parseSnapshot, serializeSnapshot } from '../compiler/engine/snapshot.ts';
import type { Statement } from '../compiler/engine/statement.ts';
import { emptySnapshot, type Snapshot } from '../compiler/ir.ts';
import { col, hints, NO_HINTS, snap, table } from './helpers/snapshots.ts';

/** Plans the diff of two snapshots. */
function planOf(prev: Snapshot, next: Snapshot, h = NO_HINTS): Statement[] {
  return plan(diff(prev, next, h), { prev, next });
}

const one = (prev: Snapshot, next: Snapshot, h = NO_HINTS): Statement => {
  const s = planOf(prev, next, h);
  assert.is(s.length, 1, s.map((x) => x.comment).join('; '));
  return s[0];
};

const clients = table('clients', [col('name', 'text', { comment: "client's name" })], { comment: 'Tenants' });

test('create table: columns, pk, uniques, checks inline, comments after; reverse drops it', () => {
  const t = table('invoices', [
    col('client_id', 'uuid'),
    col('number', 'varchar(50)'),
    col('amount', 'numeric(10,2)', { default: '0', nullable: true }),
    col('status', 'invoice_status', { default: "'pending'" }),
  ], {
    uniques: [{ name: 'invoices_number_key', columns: ['number'] }],
    checks: [{ name: 'invoices_amount_check', expr: 'amount >= 0' }],
    comment: 'Invoices',
  });
  const s = one(emptySnapshot('core'), snap([t]));
  assert.is(s.sql, [
    'CREATE TABLE "invoices" (',
    '  "id" serial NOT NULL,',
    '  "client_id" uuid NOT NULL,',
    '  "number" varchar(50) NOT NULL,',
    '  "amount" numeric(10,2) DEFAULT 0,',
    '  "status" "invoice_status" NOT NULL DEFAULT \'pending\',',
    '  CONSTRAINT "invoices_pkey" PRIMARY KEY ("id"),',
    '  CONSTRAINT "invoices_number_key" UNIQUE ("number"),',
    '  CONSTRAINT "invoices_amount_check" CHECK (amount >= 0)',
    ');',
    'COMMENT ON TABLE "invoices" IS \'Invoices\';',
  ].join('\n'));
  assert.is(s.reverse, 'DROP TABLE "invoices";');
  assert.is(s.comment, 'Create table "invoices"');
  assert.is(s.transactional, true);
  assert.is(s.altersExisting, false);
});

test('foreign keys come after every table is created, so a cycle works; order is by phase then name', () => {
  const fk = (from: string, to: string) => ({ name: `${from}_${to}_id_fkey`, columns: [`${to}_id`], refTable: to, refColumns: ['id'], onDelete: 'set null' as const, onUpdate: 'cascade' as const });
  const a = table('a', [col('b_id', 'integer', { nullable: true })], { foreignKeys: [fk('a', 'b')] });
  const b = table('b', [col('a_id', 'integer', { nullable: true })], { foreignKeys: [fk('b', 'a')] });
  const s = planOf(emptySnapshot('core'), snap([a, b]));
  assert.equal(s.map((x) => x.comment), [
    'Create table "a"', 'Create table "b"', 'Add foreign key "a_b_id_fkey" on "a"', 'Add foreign key "b_a_id_fkey" on "b"',
  ]);
  assert.is(s[2].sql, 'ALTER TABLE "a" ADD CONSTRAINT "a_b_id_fkey" FOREIGN KEY ("b_id") REFERENCES "b" ("id") ON DELETE SET NULL ON UPDATE CASCADE;');
  assert.is(s[2].reverse, 'ALTER TABLE "a" DROP CONSTRAINT "a_b_id_fkey";');
  const down = planOf(snap([a, b]), emptySnapshot('core'));
  assert.equal(down.map((x) => x.comment), [
    'Drop foreign key "a_b_id_fkey" on "a"', 'Drop foreign key "b_a_id_fkey" on "b"',
    'Drop table "a" (the down migration recreates it empty)', 'Drop table "b" (the down migration recreates it empty)',
  ]);
});

test('a foreign key from a new table to an existing one alters an existing table', () => {
  const t = table('notes', [col('client_id', 'integer')], {
    foreignKeys: [{ name: 'notes_client_id_fkey', columns: ['client_id'], refTable: 'clients', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' }],
  });
  const s = planOf(snap([clients]), snap([clients, t]));
  assert.equal(s.map((x) => x.altersExisting), [false, true]);
});

test('drop table: drops the trigger function too; the reverse recreates table, indexes, trigger and RLS', () => {
  const t = table('t', [col('client_id', 'uuid'), col('updated_at', 'timestamptz', { default: 'now()', comment: 'touched' })], {
    indexes: [{ name: 't_client_id_idx', columns: ['client_id'], unique: false, using: 'hash', where: null }],
    triggers: [{ name: 't_set_updated_at', kind: 'set_updated_at', function: 't_set_updated_at', columns: ['updated_at'] }],
    rls: { policy: 't_tenant_isolation' },
  });
  const s = one(snap([t]), snap([]));
  assert.is(s.sql, 'DROP TABLE "t";\nDROP FUNCTION "t_set_updated_at"();');
  assert.is(s.reverse, [
    'CREATE TABLE "t" (',
    '  "id" serial NOT NULL,',
    '  "client_id" uuid NOT NULL,',
    '  "updated_at" timestamptz NOT NULL DEFAULT now(),',
    '  CONSTRAINT "t_pkey" PRIMARY KEY ("id")',
    ');',
    'COMMENT ON COLUMN "t"."updated_at" IS \'touched\';',
    'CREATE INDEX "t_client_id_idx" ON "t" USING hash ("client_id");',
    'CREATE OR REPLACE FUNCTION "t_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$',
    'BEGIN',
    '  NEW."updated_at" := now();',
    '  RETURN NEW;',
    'END;',
    '$fn$;',
    'CREATE TRIGGER "t_set_updated_at" BEFORE UPDATE ON "t" FOR EACH ROW EXECUTE FUNCTION "t_set_updated_at"();',
    'ALTER TABLE "t" ENABLE ROW LEVEL SECURITY;',
    'ALTER TABLE "t" FORCE ROW LEVEL SECURITY;',
    'CREATE POLICY "t_tenant_isolation" ON "t" USING ("client_id" = NULLIF(current_setting(\'app.client_id\', true), \'\')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting(\'app.client_id\', true), \'\')::uuid);',
  ].join('\n'));
});

test('add and drop column; the drop says its data is not restored', () => {
  const a = table('t', [col('x', 'integer')]);
  const b = table('t', [col('x', 'integer'), col('y', 'status[]', { nullable: true, default: "'{}'::\"status\"[]", comment: 'why' })]);
  const add = one(snap([a]), snap([b]));
  assert.is(add.sql, 'ALTER TABLE "t" ADD COLUMN "y" "status"[] DEFAULT \'{}\'::"status"[];\nCOMMENT ON COLUMN "t"."y" IS \'why\';');
  assert.is(add.reverse, 'ALTER TABLE "t" DROP COLUMN "y";');
  assert.is(add.altersExisting, true);
  const drop = one(snap([b]), snap([a]));
  assert.is(drop.sql, add.reverse);
  assert.is(drop.reverse, add.sql);
  assert.match(drop.comment, /data is not restored/);
});

test('alter column: type with USING around the default, nullability, default, comment; reverse swaps', () => {
  const a = table('t', [col('n', 'integer', { default: '0' })]);
  const b = table('t', [col('n', 'bigint', { nullable: true, default: '1', comment: 'count' })]);
  const s = one(snap([a]), snap([b]));
  assert.is(s.comment, 'Alter column "n" of "t": type, nullable, default, comment');
  assert.is(s.sql, [
    'ALTER TABLE "t" ALTER COLUMN "n" DROP DEFAULT;',
    'ALTER TABLE "t" ALTER COLUMN "n" TYPE bigint USING "n"::bigint;',
    'ALTER TABLE "t" ALTER COLUMN "n" SET DEFAULT 1;',
    'ALTER TABLE "t" ALTER COLUMN "n" DROP NOT NULL;',
    'COMMENT ON COLUMN "t"."n" IS \'count\';',
  ].join('\n'));
  assert.is(s.reverse, [
    'ALTER TABLE "t" ALTER COLUMN "n" DROP DEFAULT;',
    'ALTER TABLE "t" ALTER COLUMN "n" TYPE integer USING "n"::integer;',
    'ALTER TABLE "t" ALTER COLUMN "n" SET DEFAULT 0;',
    'ALTER TABLE "t" ALTER COLUMN "n" SET NOT NULL;',
    'COMMENT ON COLUMN "t"."n" IS NULL;',
  ].join('\n'));
});

test('alter column: dropping a default, and converting to an enum through text', () => {
  const a = table('t', [col('s', 'text', { default: "'x'" })]);
  const b = table('t', [col('s', 'mood')]);
  assert.is(one(snap([a]), snap([b])).sql, [
    'ALTER TABLE "t" ALTER COLUMN "s" DROP DEFAULT;',
    'ALTER TABLE "t" ALTER COLUMN "s" TYPE "mood" USING "s"::text::"mood";',
  ].join('\n'));
  const c = table('t', [col('s', 'text')]);
  assert.is(one(snap([a]), snap([c])).sql, 'ALTER TABLE "t" ALTER COLUMN "s" DROP DEFAULT;');
  assert.is(one(snap([a]), snap([c])).reverse, 'ALTER TABLE "t" ALTER COLUMN "s" SET DEFAULT \'x\';');
});

test('alter column: becoming serial creates a sequence past the largest value; leaving serial drops its default', () => {
  const s = one(snap([table('t', [col('id', 'serial')])]), snap([table('t', [col('id', 'bigint')])]));
  assert.is(s.sql, 'ALTER TABLE "t" ALTER COLUMN "id" DROP DEFAULT;\nALTER TABLE "t" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;');
  assert.is(s.reverse, [
    'ALTER TABLE "t" ALTER COLUMN "id" TYPE integer USING "id"::integer;',
    'CREATE SEQUENCE IF NOT EXISTS "t_id_seq" AS integer OWNED BY "t"."id";',
    'SELECT setval(\'"t_id_seq"\', COALESCE(max("id"), 0) + 1, false) FROM "t";',
    'ALTER TABLE "t" ALTER COLUMN "id" SET DEFAULT nextval(\'"t_id_seq"\');',
  ].join('\n'));
});

test('primary key, unique, check, index statements', () => {
  const a = table('t', [col('a', 'integer'), col('b', 'text')], { primaryKey: null });
  const b = table('t', [col('a', 'integer'), col('b', 'text')], {
    primaryKey: { name: 't_pkey', columns: ['a'] },
    uniques: [{ name: 't_a_b_key', columns: ['a', 'b'] }],
    checks: [{ name: 't_b_check', expr: "b <> ''" }],
    indexes: [{ name: 't_b_idx', columns: ['b'], unique: true, using: 'btree', where: "b <> 'x'" }],
  });
  const s = planOf(snap([a]), snap([b]));
  const last = (sql: string): string => sql.split('\n').filter((l) => !/^(DO|  |END)/.test(l)).join('\n');
  assert.equal(s.map((x) => [x.concurrent === true, last(x.sql)]), [
    [false, 'ALTER TABLE "t" ADD CONSTRAINT "t_b_check" CHECK (b <> \'\') NOT VALID;'],
    [true, 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "t_pkey" ON "t" ("a");'],
    [true, 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "t_a_b_key" ON "t" ("a", "b");'],
    [true, 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "t_b_idx" ON "t" ("b") WHERE (b <> \'x\');'],
    [true, ''],
    [true, ''],
    [true, 'ALTER TABLE "t" VALIDATE CONSTRAINT "t_b_check";'],
  ]);
  assert.match(s[4].sql, /ALTER TABLE "t" ADD CONSTRAINT "t_pkey" PRIMARY KEY USING INDEX "t_pkey";/);
  assert.match(s[5].sql, /ALTER TABLE "t" ADD CONSTRAINT "t_a_b_key" UNIQUE USING INDEX "t_a_b_key";/);
  assert.equal(s.map((x) => x.reverse), [
    'ALTER TABLE "t" DROP CONSTRAINT IF EXISTS "t_b_check";',
    'DROP INDEX CONCURRENTLY IF EXISTS "t_pkey";',
    'DROP INDEX CONCURRENTLY IF EXISTS "t_a_b_key";',
    'DROP INDEX CONCURRENTLY IF EXISTS "t_b_idx";',
    'ALTER TABLE "t" DROP CONSTRAINT IF EXISTS "t_pkey";',
    'ALTER TABLE "t" DROP CONSTRAINT IF EXISTS "t_a_b_key";',
    'ALTER TABLE "t" DROP CONSTRAINT IF EXISTS "t_b_check", ADD CONSTRAINT "t_b_check" CHECK (b <> \'\') NOT VALID;',
  ]);
  const fresh = planOf(snap([]), snap([b]));
  assert.ok(fresh.every((x) => !x.concurrent), 'nothing is phased on a table the plan creates');
  assert.equal(planOf(snap([b]), snap([a])).map((x) => x.comment), [
    'Drop index "t_b_idx" on "t"', 'Drop check constraint "t_b_check" on "t"', 'Drop unique constraint "t_a_b_key" on "t"', 'Drop primary key "t_pkey" on "t"',
  ]);
});

test('gin, gist and brin indexes', () => {
  const idx = (using: 'gin' | 'gist' | 'brin') => ({ name: `t_${using}_idx`, columns: ['c'], unique: false, using, where: null });
  const a = table('t', [col('c', 'jsonb')]);
  const b = table('t', [col('c', 'jsonb')], { indexes: [idx('brin'), idx('gin'), idx('gist')] });
  assert.equal(planOf(snap([a]), snap([b])).map((x) => x.sql.split('\n').at(-1)), [
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS "t_brin_idx" ON "t" USING brin ("c");',
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS "t_gin_idx" ON "t" USING gin ("c");',
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS "t_gist_idx" ON "t" USING gist ("c");',
  ]);
  assert.equal(planOf(snap([]), snap([b])).slice(1).map((x) => x.sql), [
    'CREATE INDEX "t_brin_idx" ON "t" USING brin ("c");',
    'CREATE INDEX "t_gin_idx" ON "t" USING gin ("c");',
    'CREATE INDEX "t_gist_idx" ON "t" USING gist ("c");',
  ]);
});

test('enums: create, add value in position, drop; add value notes the transaction caveat', () => {
  const e1 = { name: 'mood', values: ['ok'] };
  const e2 = { name: 'mood', values: ['bad', 'ok', 'good'] };
  assert.is(one(snap([]), snap([], { enums: [e1] })).sql, 'CREATE TYPE "mood" AS ENUM (\'ok\');');
  const adds = planOf(snap([], { enums: [e1] }), snap([], { enums: [e2] }));
  assert.equal(adds.map((x) => x.sql), ['ALTER TYPE "mood" ADD VALUE IF NOT EXISTS \'bad\' BEFORE \'ok\';', 'ALTER TYPE "mood" ADD VALUE IF NOT EXISTS \'good\';']);
  assert.match(adds[0].comment, /usable only after this transaction commits/);
  assert.is(adds[1].reverse, 'ALTER TYPE "mood" RENAME TO "mood_old";\nCREATE TYPE "mood" AS ENUM (\'bad\', \'ok\');\nDROP TYPE "mood_old";');
  const drop = one(snap([], { enums: [e1] }), snap([]));
  assert.is(drop.sql, 'DROP TYPE "mood";');
  assert.is(drop.reverse, 'CREATE TYPE "mood" AS ENUM (\'ok\');');
});

test('enum recreate: rename, create, convert each column through text and set its default on both sides, drop the old type', () => {
  const t = (dflt: string) => table('t', [col('m', 'mood', { default: dflt }), col('ms', 'mood[]', { nullable: true })]);
  const prev = snap([t("'ok'")], { enums: [{ name: 'mood', values: ['ok', 'meh'] }] });
  const next = snap([t("'fine'")], { enums: [{ name: 'mood', values: ['fine', 'ok'] }] });
  const s = planOf(prev, next);
  assert.equal(s.map((x) => x.comment), [
    'Recreate enum "mood" with values fine, ok (values removed or reordered; columns converted through text)',
  ]);
  assert.is(s[0].sql, [
    'ALTER TYPE "mood" RENAME TO "mood_old";',
    'CREATE TYPE "mood" AS ENUM (\'fine\', \'ok\');',
    'ALTER TABLE "t" ALTER COLUMN "m" DROP DEFAULT;',
    'ALTER TABLE "t" ALTER COLUMN "m" TYPE "mood" USING "m"::text::"mood";',
    'ALTER TABLE "t" ALTER COLUMN "m" SET DEFAULT \'fine\';',
    'ALTER TABLE "t" ALTER COLUMN "ms" TYPE "mood"[] USING "ms"::text[]::"mood"[];',
    'DROP TYPE "mood_old";',
  ].join('\n'));
  assert.match(s[0].reverse!, /CREATE TYPE "mood" AS ENUM \('ok', 'meh'\);\n.*DROP DEFAULT;\n.*USING "m"::text::"mood";\n.*SET DEFAULT 'ok';/);
});

test('triggers and RLS: create and drop with their reverses', () => {
  const trig = { name: 't_set_updated_at', kind: 'set_updated_at' as const, function: 't_set_updated_at', columns: ['updated_at', 'touched_at'] };
  const a = table('t', [col('updated_at', 'timestamptz'), col('touched_at', 'timestamptz')]);
  const b = { ...a, triggers: [trig], rls: { policy: 't_tenant_isolation' } };
  const s = planOf(snap([a]), snap([b]));
  assert.is(s[0].sql, [
    'CREATE OR REPLACE FUNCTION "t_set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $fn$',
    'BEGIN',
    '  NEW."updated_at" := now();',
    '  NEW."touched_at" := now();',
    '  RETURN NEW;',
    'END;',
    '$fn$;',
    'CREATE TRIGGER "t_set_updated_at" BEFORE UPDATE ON "t" FOR EACH ROW EXECUTE FUNCTION "t_set_updated_at"();',
  ].join('\n'));
  assert.is(s[0].reverse, 'DROP TRIGGER "t_set_updated_at" ON "t";\nDROP FUNCTION "t_set_updated_at"();');
  assert.is(s[1].reverse, 'DROP POLICY "t_tenant_isolation" ON "t";\nALTER TABLE "t" NO FORCE ROW LEVEL SECURITY;\nALTER TABLE "t" DISABLE ROW LEVEL SECURITY;');
  const back = planOf(snap([b]), snap([a]));
  assert.equal(back.map((x) => x.comment), ['Disable row-level security on "t"', 'Drop trigger "t_set_updated_at" on "t"']);
  assert.is(back[1].sql, s[0].reverse);
});

test('a column name cannot break out of the trigger body', () => {
  const trig = { name: 't_set_updated_at', kind: 'set_updated_at' as const, function: 't_set_updated_at', columns: ['a$fn$b'] };
  const a = table('t', [col('a$fn$b', 'timestamptz')]);
  const s = one(snap([a]), snap([{ ...a, triggers: [trig] }]));
  assert.match(s.sql, /AS \$fn_\$\nBEGIN\n {2}NEW\."a\$fn\$b" := now\(\);\n {2}RETURN NEW;\nEND;\n\$fn_\$;/);
});

test('table comment, extensions, renames', () => {
  assert.is(one(snap([table('t', [])]), snap([table('t', [], { comment: "it's" })])).sql, 'COMMENT ON TABLE "t" IS \'it\'\'s\';');
  assert.is(one(snap([table('t', [], { comment: 'x' })]), snap([table('t', [])])).sql, 'COMMENT ON TABLE "t" IS NULL;');
  const ext = one(snap([]), snap([], { extensions: ['pgcrypto'] }));
  assert.equal([ext.sql, ext.reverse], ['CREATE EXTENSION IF NOT EXISTS "pgcrypto";', 'DROP EXTENSION IF EXISTS "pgcrypto";']);
  const ren = planOf(snap([table('a', [col('x', 'integer')])]), snap([table('b', [col('y', 'integer')])]), hints({ tables: { b: 'a' }, columns: { 'b.y': 'x' } }));
  assert.equal(ren.map((x) => [x.sql, x.reverse]), [
    ['ALTER TABLE "a" RENAME TO "b";', 'ALTER TABLE "b" RENAME TO "a";'],
    ['ALTER TABLE "b" RENAME COLUMN "x" TO "y";', 'ALTER TABLE "b" RENAME COLUMN "y" TO "x";'],
    ['ALTER TABLE "b" RENAME CONSTRAINT "a_pkey" TO "b_pkey";', 'ALTER TABLE "b" RENAME CONSTRAINT "b_pkey" TO "a_pkey";'],
  ]);
  const enumRen = one(snap([], { enums: [{ name: 'a', values: ['x'] }] }), snap([], { enums: [{ name: 'b', values: ['x'] }] }), hints({ enums: { b: 'a' } }));
  assert.is(enumRen.sql, 'ALTER TYPE "a" RENAME TO "b";');
});

test('hostile names are quoted everywhere', () => {
  const t = table('we"ird', [col('co"l', 'text', { comment: "a'b" })], { indexes: [{ name: 'i"x', columns: ['co"l'], unique: false, using: 'btree', where: null }] });
  const s = planOf(snap([]), snap([t]));
  assert.match(s[0].sql, /CREATE TABLE "we""ird" \(\n {2}"id" serial NOT NULL,\n {2}"co""l" text NOT NULL,/);
  assert.match(s[0].sql, /COMMENT ON COLUMN "we""ird"\."co""l" IS 'a''b';/);
  assert.is(s[1].sql, 'CREATE INDEX "i""x" ON "we""ird" ("co""l");');
});

test('every change kind is planned, in dependency order, deterministically', () => {
  const prev = snap([
    table('gone', [col('x', 'integer')]),
    table('kept', [col('a', 'integer'), col('old', 'text')], { indexes: [{ name: 'kept_a_idx', columns: ['a'], unique: false, using: 'btree', where: null }] }),
  ], { enums: [{ name: 'e_gone', values: ['a'] }], extensions: ['citext'] });
  const next = snap([
    table('kept', [col('a', 'bigint'), col('new', 'text', { nullable: true })]),
    table('fresh', [col('k', 'integer')], { foreignKeys: [{ name: 'fresh_k_fkey', columns: ['k'], refTable: 'kept', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }] }),
  ], { enums: [{ name: 'e_new', values: ['b'] }], extensions: ['pgcrypto'] });
  const changes: Change[] = diff(prev, next, NO_HINTS);
  const s = plan(changes, { prev, next });
  assert.equal(s.map((x) => x.comment), [
    'Install extension "pgcrypto"',
    'Create enum "e_new"',
    'Drop index "kept_a_idx" on "kept"',
    'Drop table "gone" (the down migration recreates it empty)',
    'Drop column "old" from "kept" (the down migration re-adds it; its data is not restored)',
    'Create table "fresh"',
    'Add column "new" to "kept"',
    'Alter column "a" of "kept": type',
    'Add foreign key "fresh_k_fkey" on "fresh"',
    'Drop enum "e_gone"',
    'Remove extension "citext"',
  ]);
  assert.equal(JSON.stringify(plan(changes, { prev, next })), JSON.stringify(s));
  assert.ok(s.every((x) => x.sql.endsWith(';') && x.reverse !== null && x.transactional && !/[\r\n]/.test(x.comment)));
});

test('phasing: volatile defaults, the temporary NOT NULL check name, and what is phased only on existing tables', () => {
  assert.equal(['gen_random_uuid()', '(md5(random()::text))', 'clock_timestamp()'].map(isVolatileDefault), [true, true, true]);
  assert.equal(['now()', 'CURRENT_TIMESTAMP', "'random()'", null].map(isVolatileDefault), [false, false, false, false]);
  assert.is(notNullCheckName('t', 'c'), 't_c_not_null');
  const long = notNullCheckName('a'.repeat(40), 'b'.repeat(30));
  assert.ok(Buffer.byteLength(long) <= 63 && long.endsWith('_not_null') && long === notNullCheckName('a'.repeat(40), 'b'.repeat(30)), long);
  assert.is.not(long, notNullCheckName('a'.repeat(40), 'b'.repeat(31)));
  const a = table('t', [col('x', 'integer', { nullable: true })]);
  const b = table('t', [col('x', 'integer'), col('u', 'uuid', { default: 'gen_random_uuid()' })]);
  const phased = planOf(snap([a]), snap([b]));
  assert.equal(phased.map((x) => x.concurrent === true), [false, false, true, true, true]);
  assert.match(phased[0].sql, /ADD COLUMN "u" uuid;\nALTER TABLE "t" ALTER COLUMN "u" SET DEFAULT gen_random_uuid\(\);$/);
  assert.ok(planOf(snap([]), snap([b])).every((x) => !x.concurrent));
});

test('snapshots: the archive is optional, left out when empty, and round-trips', () => {
  const s = snap([table('t', [col('x', 'integer')])]);
  assert.not.match(serializeSnapshot(s), /archived/);
  assert.is(serializeSnapshot({ ...s, archived: { tables: [], enums: [] } }), serializeSnapshot(s));
  const archived = { ...s, archived: { tables: [table('old', [col('y', 'text')])], enums: [{ name: 'e', values: ['a'] }] } };
  const parsed = parseSnapshot(serializeSnapshot(archived), 'core.json');
  assert.equal(parsed.diagnostics, []);
  assert.is(serializeSnapshot(parsed.snapshot!), serializeSnapshot(archived));
  assert.match(parseSnapshot(serializeSnapshot(s).replace('"tables"', '"archived": {"tables": []},\n  "tables"'), 'core.json').diagnostics[0].message, /archived: missing key "enums"/);
});

test('an archived table whose models come back is restored, then brought up to date, never created', () => {
  const old = table('acme_t', [col('x', 'integer')]);
  const prev = { ...snap([], { owner: 'acme' }), archived: { tables: [old], enums: [] } };
  const next = snap([table('acme_t', [col('x', 'integer'), col('y', 'text', { nullable: true })])], { owner: 'acme' });
  const changes = diff(prev, next, NO_HINTS);
  assert.equal(changes.map((c) => c.kind), ['RestoreTable', 'AddColumn']);
  const s = plan(changes, { prev, next });
  assert.equal(s.map((x) => x.sql), ['ALTER TABLE "archive_acme"."acme_t" SET SCHEMA public;', 'ALTER TABLE "acme_t" ADD COLUMN "y" text;']);
  assert.ok(s.every((x) => x.altersExisting));
});

test.run();
