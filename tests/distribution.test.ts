/**
 * Distribution over Citus (`distribution: { engine: citus, column: client_id }`): the Citus
 * calls a migration emits for new tables, their place in the file (after every CREATE TABLE,
 * before foreign keys, indexes, triggers and policies), their reverses, and the migration
 * replayed on real PostgreSQL with stand-in Citus functions that check, as Citus does, that
 * each distributed table's keys include the distribution column.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { run } from '../compiler/cli.ts';
import { loadConfig } from '../compiler/config/load.ts';
import type { Change } from '../compiler/engine/diff.ts';
import { distributionStatements, withDistribution } from '../compiler/engine/distribution.ts';
import type { Statement } from '../compiler/engine/statement.ts';
import type { SnapTable } from '../compiler/ir.ts';
import { openDriver } from '../runtime/driver.ts';
import { readMigrations } from '../runtime/files.ts';
import { BASE, runMigrations } from '../runtime/migrator.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';

const CITUS = { distribution: { engine: 'citus', column: 'client_id' } } as const;

const CORE = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: text
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
  currencies:
    tenant: global
    columns:
      code: { type: char(3), primary_key: true }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

/** acme's tables reference the core currencies by code, so the config exposes it. */
const EXPOSE = 'expose: [clients.id, currencies.code]\n';

const ACME = `tables:
  acme_customers:
    primary_key: [client_id, id]
    columns:
      id: { type: uuid, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      email: varchar(320)
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    unique:
      - [client_id, email]
    rls: true
  acme_invoices:
    primary_key: [client_id, id]
    columns:
      id: { type: uuid, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      currency: { type: char(3), index: true, references: currencies.code }
      number: varchar(50)
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - { columns: [client_id, number], unique: true }
    rls: true
`;

const ACME_PATH = 'schemas/custom_tools/acme/billing/models.yaml';

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-citus-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function cli(dir: string, ...args: string[]): Promise<{ exit: number; out: string; err: string }> {
  const io = captureIo();
  const exit = await run(['--cwd', dir, ...args], io);
  return { exit, out: io.out(), err: io.err() };
}

function migrationFile(dir: string, owner: string): string {
  const folder = path.join(dir, 'generated', 'migrations');
  const name = fs.readdirSync(folder).find((n) => n.includes(`_${owner}_`));
  if (name === undefined) throw new Error(`no migration of ${owner}`);
  return fs.readFileSync(path.join(folder, name), 'utf8');
}

function sections(text: string): { up: string; down: string } {
  const [, rest] = text.split('-- migrate:up\n');
  const [up, down] = rest.split('-- migrate:down\n');
  return { up, down };
}

function table(name: string, tenant: 'client' | 'global'): SnapTable {
  return { name, comment: null, tenant, columns: [], primaryKey: null, foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null };
}

const statement = (sql: string): Statement => ({ sql, reverse: null, comment: sql, transactional: true, altersExisting: false });

test('without distribution configured, no Citus statement is added', () => {
  const changes: Change[] = [{ kind: 'AddTable', table: table('acme_things', 'client') }];
  assert.equal(distributionStatements(changes, {}), []);
  const planned = [statement('CREATE TABLE "acme_things" (\n);')];
  assert.equal(withDistribution(planned, changes, {}), planned);
});

test('new global tables become reference tables before new tenant tables are distributed; each has a reverse', () => {
  const changes: Change[] = [
    { kind: 'AddTable', table: table('acme_things', 'client') },
    { kind: 'AddTable', table: table('acme_rates', 'global') },
    { kind: 'DropTable', table: table('acme_old', 'client') },
  ];
  const got = distributionStatements(changes, CITUS);
  assert.equal(got.map((s) => [s.sql, s.reverse]), [
    [`SELECT create_reference_table('"acme_rates"');`, `SELECT undistribute_table('"acme_rates"');`],
    [`SELECT create_distributed_table('"acme_things"', 'client_id');`, `SELECT undistribute_table('"acme_things"');`],
  ]);
  assert.ok(got.every((s) => s.transactional && !s.altersExisting));
  const custom = distributionStatements([changes[0]], { distribution: { engine: 'citus', column: 'tenant_id' } });
  assert.is(custom[0].sql, `SELECT create_distributed_table('"acme_things"', 'tenant_id');`);
});

test('the Citus calls go right after the last CREATE TABLE of the plan', () => {
  const changes: Change[] = [{ kind: 'AddTable', table: table('a', 'client') }, { kind: 'AddTable', table: table('b', 'global') }];
  const planned = [statement('CREATE TYPE "e" AS ENUM (\'x\');'), statement('CREATE TABLE "a" (\n);'), statement('CREATE TABLE "b" (\n);'), statement('ALTER TABLE "a" ADD CONSTRAINT "a_fkey" FOREIGN KEY ("x") REFERENCES "b" ("id");')];
  const got = withDistribution(planned, changes, CITUS).map((s) => s.sql.split(/[\s(]/)[0] + (s.sql.includes('create_') ? ` ${s.sql.match(/create_\w+/)?.[0]}` : ''));
  assert.equal(got, ['CREATE', 'CREATE', 'CREATE', 'SELECT create_reference_table', 'SELECT create_distributed_table', 'ALTER']);
  const alterOnly: Change[] = [{ kind: 'SetTableComment', table: 'a', from: null, to: 'x' }];
  assert.equal(withDistribution([statement('COMMENT ON TABLE "a" IS \'x\';')], alterOnly, CITUS).length, 1);
});

test('the config option: column defaults to client_id; a wrong engine is a config error', () => {
  const dir = workspace({ 'schemac.config.yaml': 'distribution: { engine: citus }\nrls: true\n' });
  try {
    const loaded = loadConfig(dir);
    assert.equal(loaded.config?.distribution, { engine: 'citus', column: 'client_id' });
    assert.is(loaded.config?.rls, true);
    fs.writeFileSync(path.join(dir, 'schemac.config.yaml'), 'distribution: { engine: yugabyte }\n');
    const bad = loadConfig(dir);
    assert.is(bad.config, undefined);
    assert.ok(bad.diagnostics.some((d) => d.message.includes('citus')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('schemac migration emits create_reference_table / create_distributed_table after CREATE TABLE, and undistribute_table before DROP TABLE in down', async () => {
  const dir = workspace({ 'schemac.config.yaml': `distribution:\n  engine: citus\n  column: client_id\n${EXPOSE}`, 'schemas/core/models.yaml': CORE, [ACME_PATH]: ACME });
  try {
    const lint = await cli(dir, 'lint');
    assert.is(lint.exit, 0, lint.out + lint.err);
    assert.is((await cli(dir, 'migration', 'init')).exit, 0);
    assert.is((await cli(dir, 'migration', 'billing', '--org', 'acme')).exit, 0);
    const core = sections(migrationFile(dir, 'core'));
    const acme = sections(migrationFile(dir, 'custom_acme'));
    const at = (text: string, needle: string) => {
      const i = text.indexOf(needle);
      assert.ok(i >= 0, `missing: ${needle}`);
      return i;
    };
    assert.ok(at(core.up, 'CREATE TABLE "currencies"') < at(core.up, `SELECT create_reference_table('"clients"');`));
    assert.ok(at(core.up, `SELECT create_reference_table('"clients"');`) < at(core.up, `SELECT create_reference_table('"currencies"');`));
    assert.ok(at(core.up, `create_reference_table('"currencies"')`) < at(core.up, 'CREATE TRIGGER'));
    assert.not.match(core.up, /create_distributed_table/);
    const lastCreate = Math.max(at(acme.up, 'CREATE TABLE "acme_customers"'), at(acme.up, 'CREATE TABLE "acme_invoices"'));
    const distribute = [at(acme.up, `SELECT create_distributed_table('"acme_customers"', 'client_id');`), at(acme.up, `SELECT create_distributed_table('"acme_invoices"', 'client_id');`)];
    const later = ['FOREIGN KEY', 'CREATE INDEX', 'CREATE UNIQUE INDEX', 'CREATE TRIGGER', 'CREATE POLICY'].map((s) => acme.up.indexOf(s)).filter((i) => i >= 0);
    assert.ok(Math.min(...distribute) > lastCreate, 'after every CREATE TABLE');
    assert.ok(later.length >= 4 && Math.max(...distribute) < Math.min(...later), 'before foreign keys, indexes, triggers and policies');
    assert.not.match(acme.up, /create_reference_table/);
    assert.ok(at(acme.down, `SELECT undistribute_table('"acme_invoices"');`) < at(acme.down, 'DROP TABLE "acme_invoices"'));
    assert.ok(at(acme.down, 'DROP CONSTRAINT "acme_invoices_currency_fkey"') < at(acme.down, `SELECT undistribute_table('"acme_invoices"');`));
    const diff = await cli(dir, 'diff');
    assert.not.match(diff.out, /create_/, 'nothing pending after the migrations');
    fs.appendFileSync(path.join(dir, ACME_PATH), '  acme_notes:\n    primary_key: [client_id, id]\n    columns:\n      id: { type: uuid, default: gen_random_uuid() }\n      client_id: { type: uuid, references: clients.id }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n');
    const next = await cli(dir, 'diff', '--org', 'acme');
    assert.match(next.out, `SELECT create_distributed_table('"acme_notes"', 'client_id');`);
    assert.not.match(next.out, /acme_invoices/, 'existing tables are not distributed again');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Stand-ins for Citus's functions: each records its call, and create_distributed_table
 * refuses, as Citus does, a table with a primary key or unique index that lacks the column.
 */
const FAKE_CITUS = `
CREATE TABLE citus_calls (n serial, fn text, tbl text, col text, fkeys int);
CREATE FUNCTION create_distributed_table(t regclass, col text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t AND i.indisunique
             AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t AND a.attname = col AND a.attnum = ANY (i.indkey))) THEN
    RAISE EXCEPTION 'cannot create constraint on "%": Distributed relations cannot have UNIQUE constraints that do not include the partition column', t;
  END IF;
  INSERT INTO citus_calls (fn, tbl, col, fkeys) VALUES ('distribute', t::text, col, (SELECT count(*) FROM pg_constraint WHERE conrelid = t AND contype = 'f'));
END $$;
CREATE FUNCTION create_reference_table(t regclass) RETURNS void LANGUAGE sql AS $$
  INSERT INTO citus_calls (fn, tbl, fkeys) VALUES ('reference', t::text, (SELECT count(*) FROM pg_constraint WHERE conrelid = t AND contype = 'f'));
$$;
CREATE FUNCTION undistribute_table(t regclass) RETURNS void LANGUAGE sql AS $$
  INSERT INTO citus_calls (fn, tbl, fkeys) VALUES ('undistribute', t::text, (SELECT count(*) FROM pg_constraint WHERE conrelid = t AND contype = 'f'));
$$;
`;

test('the emitted migrations run on PostgreSQL against stand-in Citus functions, up and down, in the right order', async () => {
  const dir = workspace({ 'schemac.config.yaml': `distribution: { engine: citus }\n${EXPOSE}`, 'schemas/core/models.yaml': CORE, [ACME_PATH]: ACME });
  const db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  try {
    assert.is((await cli(dir, 'migration', 'init', '--all')).exit, 0);
    await client.connect();
    await client.query(FAKE_CITUS);
    const { files } = readMigrations(path.join(dir, 'generated', 'migrations'));
    assert.is(files.length, 2);
    const driver = await openDriver({ kind: 'pg', url: db.url });
    try {
      const up = await runMigrations({ driver, files, direction: 'up' });
      assert.is(up.error, undefined, JSON.stringify(up.error));
      const calls = async () => (await client.query('SELECT fn, tbl, col, fkeys FROM citus_calls ORDER BY n')).rows;
      assert.equal(await calls(), [
        { fn: 'reference', tbl: 'clients', col: null, fkeys: 0 },
        { fn: 'reference', tbl: 'currencies', col: null, fkeys: 0 },
        { fn: 'distribute', tbl: 'acme_customers', col: 'client_id', fkeys: 0 },
        { fn: 'distribute', tbl: 'acme_invoices', col: 'client_id', fkeys: 0 },
      ]);
      await client.query('DELETE FROM citus_calls');
      const down = await runMigrations({ driver, files, direction: 'down', to: BASE });
      assert.is(down.error, undefined, JSON.stringify(down.error));
      assert.equal(await calls(), [
        { fn: 'undistribute', tbl: 'acme_invoices', col: null, fkeys: 0 },
        { fn: 'undistribute', tbl: 'acme_customers', col: null, fkeys: 0 },
        { fn: 'undistribute', tbl: 'currencies', col: null, fkeys: 0 },
        { fn: 'undistribute', tbl: 'clients', col: null, fkeys: 0 },
      ]);
    } finally {
      await driver.close();
    }
  } finally {
    await client.end();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the stand-in refuses what the distribution lint rejects: a unique key without client_id', async () => {
  const dir = workspace({
    'schemac.config.yaml': `distribution: { engine: citus }\n${EXPOSE}lint:\n  allow:\n    distribution: "shows what Citus does without the lint"\n`,
    'schemas/core/models.yaml': CORE,
    [ACME_PATH]: ACME.replace('    primary_key: [client_id, id]\n', '').replace("      id: { type: uuid, default: gen_random_uuid() }\n", '      id: { type: uuid, primary_key: true, default: gen_random_uuid() }\n'),
  });
  const db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  try {
    assert.is((await cli(dir, 'migration', 'init', '--all')).exit, 0);
    await client.connect();
    await client.query(FAKE_CITUS);
    const { files } = readMigrations(path.join(dir, 'generated', 'migrations'));
    const driver = await openDriver({ kind: 'pg', url: db.url });
    try {
      const up = await runMigrations({ driver, files, direction: 'up' });
      assert.match(up.error?.message ?? '', /UNIQUE constraints that do not include the partition column/);
      const tables = await client.query(`SELECT to_regclass('acme_customers') AS t`);
      assert.is(tables.rows[0].t, null, 'the failed file left nothing behind');
    } finally {
      await driver.close();
    }
  } finally {
    await client.end();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
