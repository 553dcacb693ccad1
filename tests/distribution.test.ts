/**
 * Distribution over Citus (`distribution: { engine: citus, column: client_id }`): the Citus
 * calls a migration emits for new tables (guarded by whether the extension is installed),
 * their place in the file (after every CREATE TABLE, before foreign keys, indexes, triggers
 * and policies), the settings each section sets, downs that drop without undistributing, and
 * the same files applied up and down on plain PostgreSQL. tests/citus.test.ts runs this
 * fixture (`CITUS_FIXTURE`) on a real Citus cluster.
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
import { distributionStatements, ifCitus, withDistribution } from '../compiler/engine/distribution.ts';
import type { Statement } from '../compiler/engine/statement.ts';
import type { SnapTable } from '../compiler/ir.ts';
import { openDriver } from '../runtime/driver.ts';
import { readMigrations } from '../runtime/files.ts';
import { BASE, runMigrations } from '../runtime/migrator.ts';
import { createTestDatabase } from './helpers/db.ts';
import { ACME, ACME_PATH, CITUS_FIXTURE, CORE, EXPOSE } from './helpers/citus-fixture.ts';
import { captureIo } from './helpers/io.ts';

const CITUS = { distribution: { engine: 'citus', column: 'client_id' } } as const;

function workspace(files: Readonly<Record<string, string>>): string {
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
  const guard = (call: string) => `DO $citus$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN PERFORM ${call}; END IF; END $citus$;`;
  assert.equal(got.map((s) => [s.sql, s.reverse]), [
    [guard(`create_reference_table('"acme_rates"')`), ''],
    [guard(`create_distributed_table('"acme_things"', 'client_id')`), ''],
  ]);
  assert.ok(got.every((s) => s.transactional && !s.altersExisting));
  const custom = distributionStatements([changes[0]], { distribution: { engine: 'citus', column: 'tenant_id' } });
  assert.is(custom[0].sql, guard(`create_distributed_table('"acme_things"', 'tenant_id')`));
  assert.is(ifCitus(`f('$citus$')`), `DO $citus1$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN PERFORM f('$citus$'); END IF; END $citus1$;`, 'a tag the body does not hold');
});

test('the Citus calls go right after the last CREATE TABLE of the plan', () => {
  const changes: Change[] = [{ kind: 'AddTable', table: table('a', 'client') }, { kind: 'AddTable', table: table('b', 'global') }];
  const planned = [statement('CREATE TYPE "e" AS ENUM (\'x\');'), statement('CREATE TABLE "a" (\n);'), statement('CREATE TABLE "b" (\n);'), statement('ALTER TABLE "a" ADD CONSTRAINT "a_fkey" FOREIGN KEY ("x") REFERENCES "b" ("id");')];
  const got = withDistribution(planned, changes, CITUS).map((s) => s.sql.split(/[\s(]/)[0] + (s.sql.includes('create_') ? ` ${s.sql.match(/create_\w+/)?.[0]}` : ''));
  assert.equal(got, ['CREATE', 'CREATE', 'CREATE', 'DO create_reference_table', 'DO create_distributed_table', 'ALTER']);
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

test('schemac migration emits create_reference_table / create_distributed_table after CREATE TABLE, the Citus settings first in each section, and a down that drops without undistributing', async () => {
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
    assert.ok(at(core.up, 'CREATE TABLE "currencies"') < at(core.up, `create_reference_table('"clients"')`));
    assert.ok(at(core.up, `create_reference_table('"clients"')`) < at(core.up, `create_reference_table('"currencies"')`));
    assert.ok(at(core.up, `create_reference_table('"currencies"')`) < at(core.up, 'CREATE TRIGGER'));
    assert.not.match(core.up, /create_distributed_table/);
    const lastCreate = Math.max(at(acme.up, 'CREATE TABLE "acme_customers"'), at(acme.up, 'CREATE TABLE "acme_invoices"'));
    const distribute = [at(acme.up, `PERFORM create_distributed_table('"acme_customers"', 'client_id');`), at(acme.up, `PERFORM create_distributed_table('"acme_invoices"', 'client_id');`)];
    const later = ['FOREIGN KEY', 'CREATE INDEX', 'CREATE UNIQUE INDEX', 'CREATE TRIGGER', 'CREATE POLICY'].map((s) => acme.up.indexOf(s)).filter((i) => i >= 0);
    assert.ok(Math.min(...distribute) > lastCreate, 'after every CREATE TABLE');
    assert.ok(later.length >= 4 && Math.max(...distribute) < Math.min(...later), 'before foreign keys, indexes, triggers and policies');
    assert.not.match(acme.up, /create_reference_table/);
    assert.not.match(acme.down, /undistribute_table/, 'dropping a distributed table drops its shards: nothing is copied back first');
    assert.ok(at(acme.down, 'DROP CONSTRAINT "acme_invoices_currency_fkey"') < at(acme.down, 'DROP TABLE "acme_invoices"'));
    const settings = "SET LOCAL citus.multi_shard_modify_mode TO 'sequential'; SET LOCAL citus.enable_unsafe_triggers TO on;";
    for (const section of [core.up, core.down, acme.up, acme.down]) assert.ok(at(section, settings) < at(section, '-- '), 'the Citus settings come before the first step');
    const diff = await cli(dir, 'diff');
    assert.not.match(diff.out, /create_/, 'nothing pending after the migrations');
    fs.appendFileSync(path.join(dir, ACME_PATH), '  acme_notes:\n    primary_key: [client_id, id]\n    columns:\n      id: { type: uuid, default: gen_random_uuid() }\n      client_id: { type: uuid, references: clients.id }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n');
    const next = await cli(dir, 'diff', '--org', 'acme');
    assert.match(next.out, `PERFORM create_distributed_table('"acme_notes"', 'client_id');`);
    assert.not.match(next.out, /acme_invoices/, 'existing tables are not distributed again');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the emitted migrations apply on plain PostgreSQL, up and down: the Citus calls are skipped, the Citus settings are inert', async () => {
  const dir = workspace(CITUS_FIXTURE);
  const db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  try {
    assert.is((await cli(dir, 'migration', 'init', '--all')).exit, 0);
    await client.connect();
    const { files } = readMigrations(path.join(dir, 'generated', 'migrations'));
    assert.is(files.length, 2);
    const driver = await openDriver({ kind: 'pg', url: db.url });
    try {
      const up = await runMigrations({ driver, files, direction: 'up' });
      assert.is(up.error, undefined, JSON.stringify(up.error));
      const tables = await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('clients', 'currencies', 'acme_customers', 'acme_invoices') AND relkind = 'r'`);
      assert.is(tables.rows[0].n, 4);
      const citus = await client.query(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus'`);
      assert.is(citus.rows[0].n, 0, 'plain PostgreSQL');
      const down = await runMigrations({ driver, files, direction: 'down', to: BASE });
      assert.is(down.error, undefined, JSON.stringify(down.error));
      const left = await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('clients', 'currencies', 'acme_customers', 'acme_invoices')`);
      assert.is(left.rows[0].n, 0);
    } finally {
      await driver.close();
    }
  } finally {
    await client.end();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('schemac verify applies the same files on PGlite: up, down and up again', async () => {
  const dir = workspace(CITUS_FIXTURE);
  try {
    assert.is((await cli(dir, 'migration', 'init', '--all')).exit, 0);
    const verify = await cli(dir, 'verify');
    assert.is(verify.exit, 0, verify.out + verify.err);
    assert.match(verify.out, /verified 2 migration/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
