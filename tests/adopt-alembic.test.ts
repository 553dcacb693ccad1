/**
 * Taking over a database Alembic built (tests/fixtures/alembic-platform, seven revisions):
 * `alembic upgrade head` on real PostgreSQL 15, then `schemac pull`, lint clean, one baseline
 * migration, `diff --db` clean, `migrate up` refused with a hint, `migrate baseline` (refused
 * on drift, recorded when clean), an org's tool migrated on top with the rows intact, down
 * stopping at the baseline, and a fresh database built from the same files dumping equal to
 * the adopted one apart from column order. Then the same on PGlite, from Alembic's offline SQL.
 *
 * Two variants of the fixture: `basic` (PostgreSQL's own constraint names, no pgvector) needs
 * nothing schemac lacks; `full` (SQLAlchemy's pk_/uq_/fk_/ck_ names, vector(1024) with HNSW
 * and IVFFlat) needs constraint `name:`, pgvector types and `hnsw`/`ivfflat` indexes with
 * `opclass:`/`with:` in the front end: it is skipped, naming what is missing, until they are.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import { parse } from 'yaml';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { loadWorkspace } from '../compiler/index.ts';
import { startPglite } from '../runtime/driver.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures', 'alembic-platform');
const PYTHON = '/usr/bin/python3';
const PG_BIN = '/usr/lib/postgresql/15/bin';

type Variant = 'basic' | 'full';

/** Why Alembic cannot run here (python3-alembic, python3-sqlalchemy, python3-psycopg2), or undefined. */
function alembicMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import alembic, sqlalchemy, psycopg2'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `Alembic is not installed (apt-get install python3-alembic python3-sqlalchemy python3-psycopg2): ${r.stderr.trim().split('\n').at(-1)}`;
}

/** Why pgvector cannot be used on the test server, or undefined. */
async function pgvectorMissing(url: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = (await c.query("select 1 from pg_available_extensions where name = 'vector'")).rows;
    return rows.length ? undefined : 'pgvector is not installed in the test PostgreSQL (../shared/pg-extensions/build.sh)';
  } finally {
    await c.end();
  }
}

/**
 * What the front end of this build cannot yet read of the syntax the full variant's pulled
 * file uses, found by loading a small workspace that uses each feature; [] when it reads all.
 */
async function missingFrontEndFeatures(): Promise<string[]> {
  const probes: Record<string, string> = {
    'constraint names (unique: { name })': `tables:\n  t:\n    tenant: global\n    columns:\n      id: { type: uuid, primary_key: { name: pk_t } }\n      a: { type: text, unique: { name: uq_t_a } }\n`,
    'pgvector types (vector(n))': `extensions: [vector]\ntables:\n  t:\n    tenant: global\n    columns:\n      id: { type: uuid, primary_key: true }\n      e: vector(3)\n`,
    'hnsw indexes with opclass: and with:': `extensions: [vector]\ntables:\n  t:\n    tenant: global\n    columns:\n      id: { type: uuid, primary_key: true }\n      e: vector(3)\n    indexes:\n      - { columns: [e], using: hnsw, opclass: vector_cosine_ops, with: { m: 16, ef_construction: 64 } }\n`,
  };
  const missing: string[] = [];
  for (const [feature, models] of Object.entries(probes)) {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-probe-'));
    try {
      fs.mkdirSync(path.join(ws, 'schemas', 'core'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'schemac.config.yaml'), 'core: [schemas/core/**/models.yaml]\n');
      fs.writeFileSync(path.join(ws, 'schemas', 'core', 'models.yaml'), models);
      const loaded = await loadWorkspace({ cwd: ws, lint: false });
      if (loaded.diagnostics.some((d) => d.severity === 'error')) missing.push(feature);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  }
  return missing;
}

function alembic(variant: Variant, args: string[], url: string): string {
  return execFileSync(PYTHON, ['-m', 'alembic', '-x', `url=${url}`, ...args], {
    cwd: FIXTURE, encoding: 'utf8', env: { ...process.env, PLATFORM_VARIANT: variant, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function schemac(cwd: string, args: string[]) {
  const io = captureIo({ SCHEMAC_NOW: '2026-12-07T10:00:00Z', DATABASE_URL: '' });
  const code = await run(args, io, cwd);
  return { code, out: io.out(), err: io.err() };
}

async function sql<T = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

function workspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-adopt-'));
  fs.writeFileSync(
    path.join(ws, 'schemac.config.yaml'),
    'core: [schemas/core/**/models.yaml]\ncustom: ["schemas/custom_tools/{org}/**/models.yaml"]\nignore: [alembic_version]\n',
  );
  return ws;
}

const ORG_TOOL = `tables:
  acme_invoices:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
      number: varchar(32)
      amount_cents: { type: bigint, default: 0 }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    unique:
      - [client_id, number]
`;

/**
 * `pg_dump --schema-only` with each CREATE TABLE's column lines sorted, an index's storage
 * parameters sorted (`WITH (m='16', ef_construction='64')` is a set: PostgreSQL keeps the order
 * it was given), and the dump's own noise left out.
 */
function dump(url: string): string {
  const text = execFileSync(path.join(PG_BIN, 'pg_dump'), ['--schema-only', '--no-owner', '--no-privileges', '-T', 'alembic_version', url], { encoding: 'utf8' });
  const lines = text.split('\n').filter((l) => !l.startsWith('--') && !/^SET |^SELECT pg_catalog.set_config|^\\(un)?restrict /.test(l));
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    if (!/^CREATE TABLE /.test(lines[i])) continue;
    const body: string[] = [];
    while (i + 1 < lines.length && !/^\);/.test(lines[i + 1])) body.push(lines[++i].replace(/,$/, ''));
    out.push(...body.sort());
  }
  const sortedWith = (line: string) => line.replace(/ WITH \(([^()]*)\);$/, (_, params: string) => ` WITH (${params.split(', ').sort().join(', ')});`);
  return out.map((l) => (/^CREATE (UNIQUE )?INDEX /.test(l) ? sortedWith(l) : l)).join('\n').replace(/\n{2,}/g, '\n');
}

/** The whole adoption on real PostgreSQL; returns nothing, asserts along the way. */
async function adoptOnPostgres(variant: Variant): Promise<void> {
  const adopted = await createTestDatabase();
  const fresh = await createTestDatabase();
  const ws = workspace();
  try {
    alembic(variant, ['upgrade', 'head'], adopted.url);
    await sql(adopted.url, "insert into clients (name, slug) values ('Acme', 'acme'), ('Globex', 'globex')");
    await sql(adopted.url, "insert into tool_calls (client_id, tool_name, duration_ms) select id, 'search', 12 from clients");

    const pulled = await schemac(ws, ['pull', '--db', adopted.url]);
    assert.is(pulled.code, 0, pulled.err + pulled.out);
    const models = fs.readFileSync(path.join(ws, 'schemas', 'core', 'models.yaml'), 'utf8');
    assert.not.match(models, /alembic_version/, 'ignored table not pulled');
    assert.match(models, /name: ix_clients_status/, 'Alembic index names kept');
    assert.match(models, /pulled from an existing database/, 'lint debts allowed with the reason');
    if (variant === 'full') {
      assert.match(models, /name: uq_client_tool/);
      assert.match(models, /name: pk_clients/);
      assert.match(models, /name: fk_api_keys_client_id_clients/);
      assert.match(models, /vector\(1024\)/);
      assert.match(models, /opclass: vector_cosine_ops/);
    }
    const again = await schemac(ws, ['pull', '--db', adopted.url]);
    assert.is(again.code, 1, 'no overwrite without --force');
    assert.match(again.err, /exists; pass --force/);

    const lint = await schemac(ws, ['lint', '--strict']);
    assert.is(lint.code, 0, lint.err + lint.out);
    const init = await schemac(ws, ['migration', 'init']);
    assert.is(init.code, 0, init.err + init.out);
    const drift = await schemac(ws, ['diff', '--db', adopted.url, '--exit-code']);
    assert.is(drift.code, 0, drift.out + drift.err);
    assert.match(drift.out, /No drift/);

    const up = await schemac(ws, ['migrate', 'up', '--db', adopted.url]);
    assert.is(up.code, 1);
    assert.match(up.err, /already exists/);
    assert.match(up.err, /schemac migrate baseline --db URL/);

    await sql(adopted.url, 'alter table clients add column nickname text');
    const refused = await schemac(ws, ['migrate', 'baseline', '--db', adopted.url]);
    assert.is(refused.code, 1);
    assert.match(refused.out, /table "clients": column "nickname" is in the database but not in the snapshot/);
    const ledger = await sql<{ n: number }>(adopted.url, 'select count(*)::int as n from schemac_migrations');
    assert.is(ledger[0].n, 0, 'drift records nothing');
    await sql(adopted.url, 'alter table clients drop column nickname');

    const baselined = await schemac(ws, ['migrate', 'baseline', '--db', adopted.url]);
    assert.is(baselined.code, 0, baselined.err + baselined.out);
    assert.match(baselined.out, /1 baselined/);
    const status = await schemac(ws, ['migrate', 'status', '--db', adopted.url]);
    assert.match(status.out, /^baselined /m);
    assert.match(status.out, /1 applied \(1 baselined\), 0 pending/);

    fs.mkdirSync(path.join(ws, 'schemas', 'custom_tools', 'acme', 'invoices'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'schemas', 'custom_tools', 'acme', 'invoices', 'models.yaml'), ORG_TOOL);
    const tool = await schemac(ws, ['migration', 'invoices', '--org', 'acme']);
    assert.is(tool.code, 0, tool.err + tool.out);
    const applied = await schemac(ws, ['migrate', 'up', '--db', adopted.url]);
    assert.is(applied.code, 0, applied.err + applied.out);
    await sql(adopted.url, "insert into acme_invoices (client_id, number) select id, 'INV-001' from clients");
    const rows = await sql<{ clients: number; calls: number; invoices: number }>(
      adopted.url,
      'select (select count(*)::int from clients) as clients, (select count(*)::int from tool_calls) as calls, (select count(*)::int from acme_invoices) as invoices',
    );
    assert.equal(rows[0], { clients: 2, calls: 2, invoices: 2 });

    const clean = await schemac(ws, ['diff', '--db', adopted.url, '--exit-code']);
    assert.is(clean.code, 0, clean.out + clean.err);

    const built = await schemac(ws, ['migrate', 'up', '--db', fresh.url]);
    assert.is(built.code, 0, built.err + built.out);
    assert.fixture(dump(fresh.url), dump(adopted.url));

    await sql(adopted.url, 'delete from acme_invoices');
    const downTool = await schemac(ws, ['migrate', 'down', '--db', adopted.url]);
    assert.is(downTool.code, 0, downTool.err + downTool.out);
    const downBase = await schemac(ws, ['migrate', 'down', '--db', adopted.url]);
    assert.is(downBase.code, 1);
    assert.match(downBase.err, /migrate down stops at .*init.*: recorded by migrate baseline/);
    const still = await sql<{ n: number }>(adopted.url, 'select count(*)::int as n from clients');
    assert.is(still[0].n, 2, 'the baselined schema and its rows stay');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    await adopted.drop();
    await fresh.drop();
  }
}

const missingAlembic = alembicMissing();

test('basic variant on PostgreSQL: pull, lint clean, baseline, an org tool on top, a fresh build dumps the same', async () => {
  if (missingAlembic) return console.log(`skipped: ${missingAlembic}`);
  await adoptOnPostgres('basic');
});

test('full variant on PostgreSQL (SQLAlchemy names, pgvector): the same adoption', async () => {
  if (missingAlembic) return console.log(`skipped: ${missingAlembic}`);
  const probe: TestDatabase = await createTestDatabase();
  const noVector = await pgvectorMissing(probe.url).finally(() => probe.drop());
  if (noVector) return console.log(`skipped: ${noVector}`);
  const missing = await missingFrontEndFeatures();
  if (missing.length) return console.log(`skipped: this schemac's front end does not accept yet: ${missing.join('; ')}`);
  await adoptOnPostgres('full');
});

test('pull writes the full variant\'s names and pgvector indexes even where the front end cannot read them yet', async () => {
  if (missingAlembic) return console.log(`skipped: ${missingAlembic}`);
  const db = await createTestDatabase();
  const ws = workspace();
  try {
    if (await pgvectorMissing(db.url)) return console.log('skipped: pgvector is not installed in the test PostgreSQL');
    alembic('full', ['upgrade', 'head'], db.url);
    const pulled = await schemac(ws, ['pull', '--db', db.url]);
    const models = fs.readFileSync(path.join(ws, 'schemas', 'core', 'models.yaml'), 'utf8');
    const doc = parse(models) as { extensions: string[]; tables: Record<string, any> };
    const t = doc.tables;
    assert.equal(doc.extensions, ['vector']);
    assert.equal(t.clients.columns.slug, { type: 'varchar(63)', unique: { name: 'uq_clients_slug' } });
    assert.equal(t.clients.columns.id, { type: 'uuid', primary_key: { name: 'pk_clients' }, default: 'gen_random_uuid()' });
    assert.equal(t.api_keys.columns.client_id.references, { table: 'clients', column: 'id', on_delete: 'cascade', name: 'fk_api_keys_client_id_clients' });
    assert.equal(t.tool_configurations.unique, [{ columns: ['client_id', 'tool_name'], name: 'uq_client_tool' }]);
    assert.equal(t.tool_calls.checks, { ck_tool_calls_duration_nonneg: { sql: 'duration_ms >= 0', name: 'ck_tool_calls_duration_nonneg' } });
    assert.equal(t.tool_calls.columns.id, { type: 'bigserial', primary_key: { name: 'pk_tool_calls' } });
    assert.equal(t.youtube_chunks.columns.embedding, { type: 'vector(1024)' });
    assert.equal(t.knowledge_base.columns.embedding, { type: 'vector(1024)', nullable: true });
    assert.equal(t.youtube_chunks.indexes, [
      { columns: ['embedding'], using: 'hnsw', opclass: 'vector_cosine_ops', with: { m: 16, ef_construction: 64 }, name: 'ix_youtube_chunks_embedding' },
    ]);
    assert.equal(t.knowledge_base.indexes[1], { columns: ['embedding'], using: 'ivfflat', opclass: 'vector_l2_ops', with: { lists: 100 }, name: 'ix_knowledge_base_embedding' });
    assert.equal(t.clients.columns.settings.default, {});
    assert.equal(t.clients.columns.status.default, 'active');
    const missing = await missingFrontEndFeatures();
    assert.is(pulled.code, missing.length ? 1 : 0, pulled.err);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    await db.drop();
  }
});

test('pull refuses unsupported types, naming file, table, column and type, and writes nothing; --skip-unsupported leaves them out', async () => {
  const db = await createTestDatabase();
  const ws = workspace();
  try {
    await sql(db.url, 'create table places (id integer primary key, spot point, name text not null)');
    const refused = await schemac(ws, ['pull', '--db', db.url]);
    assert.is(refused.code, 1);
    assert.match(refused.err, /schemas\/core\/models\.yaml: table "places" column "spot": type point cannot be written in models\.yaml/);
    assert.not.ok(fs.existsSync(path.join(ws, 'schemas', 'core', 'models.yaml')), 'nothing written');
    const skipped = await schemac(ws, ['pull', '--db', db.url, '--skip-unsupported']);
    assert.is(skipped.code, 0, skipped.err);
    const models = fs.readFileSync(path.join(ws, 'schemas', 'core', 'models.yaml'), 'utf8');
    assert.not.match(models, /spot/);
    assert.match(models, /name: \{ type: text \}/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    await db.drop();
  }
});

/** The adoption on the embedded PGlite database, from Alembic's offline SQL (`upgrade head --sql`). */
async function adoptOnPglite(variant: Variant): Promise<void> {
  const ws = workspace();
  try {
    const ddl = alembic(variant, ['upgrade', 'head', '--sql'], 'postgresql://offline/platform');
    const db = await startPglite(path.join(ws, '.schemac', 'pglite'));
    await db.exec(ddl);
    await db.exec("insert into clients (name, slug) values ('Acme', 'acme')");
    await db.close();
    const pulled = await schemac(ws, ['pull', '--db', 'embedded']);
    assert.is(pulled.code, 0, pulled.err + pulled.out);
    assert.is((await schemac(ws, ['lint', '--strict'])).code, 0);
    assert.is((await schemac(ws, ['migration', 'init'])).code, 0);
    const drift = await schemac(ws, ['diff', '--db', 'embedded', '--exit-code']);
    assert.is(drift.code, 0, drift.out + drift.err);
    const baselined = await schemac(ws, ['migrate', 'baseline', '--db', 'embedded']);
    assert.is(baselined.code, 0, baselined.err + baselined.out);
    const status = await schemac(ws, ['migrate', 'status']);
    assert.match(status.out, /^baselined /m);
    const up = await schemac(ws, ['migrate', 'up']);
    assert.is(up.code, 0, up.err);
    assert.match(up.out, /nothing to apply/);
    const check = await startPglite(path.join(ws, '.schemac', 'pglite'));
    const rows = await check.query<{ n: number }>('select count(*)::int as n from clients');
    await check.close();
    assert.is(rows.rows[0].n, 1);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

/** Why the embedded PGlite cannot create pgvector's extension, or undefined. */
async function pgliteVectorMissing(): Promise<string | undefined> {
  const db = await startPglite();
  try {
    await db.exec('create extension if not exists vector');
    return undefined;
  } catch (e) {
    return `the embedded PGlite does not load pgvector: ${(e as Error).message}`;
  } finally {
    await db.close();
  }
}

test('basic variant on PGlite: Alembic\'s offline SQL run on the embedded database, then pull, baseline and diff --db embedded', async () => {
  if (missingAlembic) return console.log(`skipped: ${missingAlembic}`);
  await adoptOnPglite('basic');
});

test('full variant on PGlite (SQLAlchemy names, pgvector): the same', async () => {
  if (missingAlembic) return console.log(`skipped: ${missingAlembic}`);
  const noVector = await pgliteVectorMissing();
  if (noVector) return console.log(`skipped: ${noVector}`);
  const missing = await missingFrontEndFeatures();
  if (missing.length) return console.log(`skipped: this schemac's front end does not accept yet: ${missing.join('; ')}`);
  await adoptOnPglite('full');
});

test.run();
