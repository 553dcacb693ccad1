/**
 * The pieces of adopting a database, one by one: `ignore:` globs (config and comparison),
 * how `pull` writes types and defaults, how a down plans around baselined migrations, and
 * `migrate baseline --to` on real PostgreSQL (the schema at that point made by replaying the
 * files up to it; the later files then applied by `migrate up`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { defaultModel, expressible, renderModelsFile } from '../compiler/emit/index.ts';
import { SNAPSHOT_VERSION, type SnapTable } from '../compiler/ir.ts';
import { matchesTableGlob } from '../compiler/shared/index.ts';
import { baselineFiles } from '../runtime/baseline.ts';
import { compareSchema, type LiveSchema } from '../runtime/introspect.ts';
import { type MigrationFile, parseMigration } from '../runtime/files.ts';
import { type AppliedRow, planRun } from '../runtime/run-plan.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { migrationText } from './helpers/migrations.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

test('ignore: globs match whole table names; * any run, ? one character, the rest literal', () => {
  const cases: Array<[string, string, boolean]> = [
    ['alembic_version', 'alembic_version', true],
    ['alembic_version', 'alembic_versions', false],
    ['legacy_*', 'legacy_orders', true],
    ['legacy_*', 'legacy_', true],
    ['legacy_*', 'orders_legacy_x', false],
    ['t?', 't1', true],
    ['t?', 't12', false],
    ['a.b', 'axb', false],
    ['*', 'anything', true],
  ];
  for (const [glob, name, want] of cases) assert.is(matchesTableGlob(glob, name), want, `${glob} ~ ${name}`);
});

const table = (name: string): SnapTable => ({
  name, comment: null, tenant: 'global', columns: [{ name: 'id', type: 'integer', nullable: false, default: null, comment: null }],
  primaryKey: { name: `${name}_pkey`, columns: ['id'] }, foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null,
});

test('compareSchema leaves out live tables an ignore: glob covers, and only those', () => {
  const live: LiveSchema = {
    tables: ['alembic_version', 'legacy_a', 'clients'].map((n) => ({ ...table(n), rlsEnabled: false, rlsForced: false, policies: [] })),
    enums: [], extensions: [],
  };
  const snapshot = { version: SNAPSHOT_VERSION, owner: 'core', extensions: [], enums: [], tables: [table('clients')] } as const;
  assert.equal(compareSchema([snapshot], live, ['alembic_version', 'legacy_*']), []);
  assert.equal(compareSchema([snapshot], live, ['alembic_version']), ['table "legacy_a" is in the database but in no snapshot']);
});

test('a config ignore: entry that is not a table-name glob is a config error (exit 2)', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-ignore-'));
  try {
    fs.writeFileSync(path.join(ws, 'schemac.config.yaml'), 'ignore: ["Drop Table x"]\n');
    const io = captureIo();
    assert.is(await run(['lint'], io, ws), 2);
    assert.match(io.err(), /ignore/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('pull writes the types models.yaml can express, and refuses the others', () => {
  const enums = new Set(['admin_role']);
  for (const t of ['integer', 'varchar(20)', 'numeric(10,3)', 'numeric', 'timestamp', 'timestamptz', 'text[]', 'vector(1024)', 'halfvec(8)', 'citext', 'admin_role', 'admin_role[]', 'bigserial']) {
    assert.ok(expressible(t, enums), t);
  }
  for (const t of ['point', 'tsvector', 'varchar', 'vector', 'time(3)', 'other_enum', 'character varying(20)']) assert.not.ok(expressible(t, enums), t);
});

test('pull writes defaults as literals where they are, the allowlisted functions as themselves, the rest as {sql}', () => {
  const cases: Array<[string, string, unknown]> = [
    ["'active'::character varying", 'varchar(20)', 'active'],
    ["'it''s'::text", 'text', "it's"],
    ["'{}'::jsonb", 'jsonb', {}],
    ["'{\"a\": 1}'::jsonb", 'jsonb', { a: 1 }],
    ["'[1]'::jsonb", 'jsonb', { value: '[1]' }],
    ["'{}'::text[]", 'text[]', []],
    ['0', 'integer', 0],
    ["'-1'::integer", 'integer', -1],
    ['1.5', 'numeric(10,2)', 1.5],
    ['true', 'boolean', true],
    ['now()', 'timestamp', 'now()'],
    ['CURRENT_TIMESTAMP', 'timestamptz', 'current_timestamp'],
    ['gen_random_uuid()', 'uuid', 'gen_random_uuid()'],
    ["'operator'::admin_role", 'admin_role', 'operator'],
    ["'now()'::text", 'text', { value: 'now()' }],
    ["timezone('utc'::text, now())", 'timestamp', { sql: "timezone('utc'::text, now())" }],
  ];
  for (const [expr, type, want] of cases) assert.equal(defaultModel(expr, type), want, `${expr} (${type})`);
});

test('pull keeps names that differ from the derived ones, and is deterministic', () => {
  const t: SnapTable = {
    ...table('clients'),
    primaryKey: { name: 'pk_clients', columns: ['id'] },
    columns: [...table('clients').columns, { name: 'slug', type: 'varchar(63)', nullable: false, default: null, comment: 'URL name' }],
    uniques: [{ name: 'clients_slug_key', columns: ['slug'] }],
    checks: [{ name: 'clients_slug_check', expr: "slug <> ''" }, { name: 'ck_clients_id', expr: 'id > 0' }],
    indexes: [{ name: 'ix_clients_slug', columns: ['slug'], unique: false, using: 'btree', where: null }],
  };
  const source = { tables: [t], enums: [], extensions: [], indexExtras: new Map() };
  const text = renderModelsFile(source);
  assert.is(renderModelsFile(source), text);
  assert.match(text, /id: \{ type: integer, primary_key: \{ name: pk_clients \} \}/);
  assert.match(text, /slug: \{ type: varchar\(63\), unique: true, comment: URL name \}/);
  assert.match(text, /\n {6}slug: slug <> ''\n/);
  assert.match(text, /ck_clients_id: \{ sql: id > 0, name: ck_clients_id \}/);
  assert.match(text, /- \{ columns: \[ slug \], name: ix_clients_slug \}/);
});

function file(name: string): MigrationFile {
  const owner = /_core_/.test(name) ? 'core' : /_custom_([a-z]+)_/.exec(name)![1];
  const parsed = parseMigration(name, migrationText(owner, name, 'select 1;', 'select 1;'));
  assert.ok(parsed.file, parsed.error);
  return parsed.file!;
}

test('a down stops at a baselined migration, naming it and how to revert what came after', () => {
  const init = file('20260101_000000_core_init.sql');
  const tool = file('20260102_000000_custom_acme_tool.sql');
  const files = [init, tool];
  const applied: AppliedRow[] = [{ name: init.name, owner: 'core', checksum: init.checksum, baselined: true }, { name: tool.name, owner: 'acme', checksum: tool.checksum }];
  const one = planRun({ files, direction: 'down' }, applied);
  assert.ok('files' in one && one.files.map((f) => f.name).join() === tool.name);
  const all = planRun({ files, direction: 'down', to: 'base' }, applied);
  assert.ok('error' in all);
  if ('error' in all) {
    assert.is(all.error.kind, 'baselined');
    assert.match(all.error.message, /migrate down stops at 20260101_000000_core_init\.sql: recorded by migrate baseline/);
    assert.match(all.error.message, /migrate down --to 20260101_000000_core_init\.sql/);
  }
  const last = planRun({ files, direction: 'down' }, applied.slice(0, 1));
  assert.ok('error' in last && /nothing applied after it is left to revert/.test(last.error.message));
});

test('baselineFiles: up to and including --to (with or without .sql), core first; undefined for an unknown name', () => {
  const files = [file('20260101_000000_core_a.sql'), file('20260102_000000_custom_acme_b.sql'), file('20260103_000000_core_c.sql')];
  assert.equal(baselineFiles(files)?.map((f) => f.name), ['20260101_000000_core_a.sql', '20260103_000000_core_c.sql', '20260102_000000_custom_acme_b.sql']);
  assert.equal(baselineFiles(files, '20260102_000000_custom_acme_b')?.map((f) => f.name), ['20260101_000000_core_a.sql', '20260102_000000_custom_acme_b.sql']);
  assert.is(baselineFiles(files, 'nope'), undefined);
});

async function schemac(cwd: string, args: string[], now = '2026-12-07T10:00:00Z') {
  const io = captureIo({ SCHEMAC_NOW: now, DATABASE_URL: '' });
  const code = await run(args, io, cwd);
  return { code, out: io.out(), err: io.err() };
}

test('migrate baseline --to NAME checks the schema at NAME (replayed), records up to it; migrate up applies the rest', async () => {
  const db = await createTestDatabase();
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-baseline-to-'));
  try {
    fs.mkdirSync(path.join(ws, 'schemas', 'core'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'schemac.config.yaml'), 'core: [schemas/core/**/models.yaml]\n');
    const models = path.join(ws, 'schemas', 'core', 'models.yaml');
    fs.writeFileSync(models, CORE_CLIENTS);
    assert.is((await schemac(ws, ['migration', 'init'], '2026-12-01T00:00:00Z')).code, 0);
    fs.writeFileSync(models, `${CORE_CLIENTS}      nickname: text?\n`);
    assert.is((await schemac(ws, ['migration', 'nickname'], '2026-12-02T00:00:00Z')).code, 0);
    const first = fs.readdirSync(path.join(ws, 'generated', 'migrations')).filter((f) => f.endsWith('.sql')).sort()[0];
    // The database another tool built: the first migration's schema, no ledger.
    assert.is((await schemac(ws, ['migrate', 'up', '--db', db.url, '--to', first])).code, 0);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query('drop table schemac_migrations');
    const all = await schemac(ws, ['migrate', 'baseline', '--db', db.url]);
    assert.is(all.code, 1, 'the latest snapshot has nickname; the database does not');
    assert.match(all.out, /column "nickname" is missing/);
    assert.is((await c.query("select to_regclass('schemac_migrations') is null or (select count(*) from schemac_migrations) = 0 as empty")).rows[0].empty, true);
    const to = await schemac(ws, ['migrate', 'baseline', '--db', db.url, '--to', first]);
    assert.is(to.code, 0, to.err + to.out);
    assert.match(to.out, new RegExp(`baselined ${first}`));
    const up = await schemac(ws, ['migrate', 'up', '--db', db.url]);
    assert.is(up.code, 0, up.err);
    assert.match(up.out, /1 applied/);
    const history = await schemac(ws, ['migrate', 'history', '--db', db.url]);
    assert.match(history.out, new RegExp(`${first}  \\(baselined\\)`));
    await c.end();
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    await db.drop();
  }
});

test('pull leaves out what a models file declares and what ignore: covers; --out names the file; the result lints clean', async () => {
  const db = await createTestDatabase();
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-pull-declared-'));
  try {
    fs.mkdirSync(path.join(ws, 'schemas', 'core'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'schemac.config.yaml'), 'core: [schemas/core/**/models.yaml]\nignore: ["legacy_*"]\n');
    fs.writeFileSync(path.join(ws, 'schemas', 'core', 'models.yaml'), CORE_CLIENTS);
    assert.is((await schemac(ws, ['migration', 'init'])).code, 0);
    assert.is((await schemac(ws, ['migrate', 'up', '--db', db.url])).code, 0);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query(`create table legacy_audit (id serial primary key, what text);
      create table orders (id bigserial primary key, client_id uuid not null references clients(id), total numeric(12,2) not null default 0,
        placed_at timestamp not null default now());
      comment on table orders is 'Orders placed by clients'`);
    await c.end();
    const pulled = await schemac(ws, ['pull', '--db', db.url, '--out', 'schemas/core/pulled/models.yaml']);
    assert.is(pulled.code, 0, pulled.err);
    assert.match(pulled.out, /wrote schemas\/core\/pulled\/models\.yaml: 1 table\(s\), 0 enum\(s\)/);
    const text = fs.readFileSync(path.join(ws, 'schemas', 'core', 'pulled', 'models.yaml'), 'utf8');
    assert.not.match(text, /legacy_audit|\n {2}clients:/);
    assert.match(text, /comment: Orders placed by clients/);
    assert.match(text, /client_id:\n {8}type: uuid\n {8}references: \{ table: clients, column: id \}\n/);
    assert.match(text, /fk-needs-index: pulled from an existing database/);
    assert.is((await schemac(ws, ['lint', '--strict'])).code, 0);
    const drift = await schemac(ws, ['diff', '--db', db.url, '--exit-code']);
    assert.is(drift.code, 1, 'orders is not in a snapshot yet');
    assert.not.match(drift.out, /legacy_audit/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    await db.drop();
  }
});

test('migrate baseline needs a database URL, and neither it nor pull creates the embedded database', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-baseline-nodb-'));
  try {
    fs.writeFileSync(path.join(ws, 'schemac.config.yaml'), 'core: [schemas/core/**/models.yaml]\n');
    const r = await schemac(ws, ['migrate', 'baseline']);
    assert.is(r.code, 2);
    assert.match(r.err, /needs --db URL/);
    const embedded = await schemac(ws, ['migrate', 'baseline', '--db', 'embedded']);
    assert.is(embedded.code, 1);
    assert.match(embedded.err, /there is no database to adopt; nothing was recorded/);
    const pull = await schemac(ws, ['pull']);
    assert.is(pull.code, 1);
    assert.match(pull.err, /no embedded database in \.schemac\/pglite: nothing to read/);
    assert.not.ok(fs.existsSync(path.join(ws, '.schemac', 'pglite')), 'neither created the embedded database');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test.run();
