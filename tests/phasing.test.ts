/**
 * Lock-aware phasing on a real PostgreSQL: a migration that adds a foreign key, a check, a
 * NOT NULL, a column with a volatile default, an index and a unique constraint to a table with
 * rows runs through the runtime while another connection keeps writing to that table. No
 * write may wait longer than the migration's lock_timeout, the migration completes, and the
 * database then matches the snapshots. A concurrent part interrupted half-way (a unique index
 * that fails on duplicates) is simply run again once the data is fixed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { parseSnapshot } from '../compiler/engine/snapshot.ts';
import type { Snapshot } from '../compiler/ir.ts';
import { openDriver, wrapPgClient } from '../runtime/driver.ts';
import { readMigrations } from '../runtime/files.ts';
import { compareSchema, introspect } from '../runtime/introspect.ts';
import { runMigrations } from '../runtime/migrator.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';

/** The `SET lock_timeout` every migration touching existing tables starts with (templates/migration.sql.hbs). */
const LOCK_TIMEOUT_MS = 5000;
/** Slack for a loaded test machine on top of the lock timeout. */
const MARGIN_MS = 1500;
const ROWS = 20_000;

const CONFIG = `lint:\n  rules:\n    require-client-id: 'off'\n    require-timestamps: 'off'\n    fk-needs-index: 'off'\n`;

const BEFORE = `tables:
  customers:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      email: text?
  orders:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      customer_id: integer?
      code: varchar(20)?
      total: integer?
`;

const AFTER = `tables:
  customers:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      email: { type: text, nullable: true, unique: true }
  orders:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      customer_id: { type: integer, nullable: true, references: customers.id, index: true }
      code: varchar(20)
      total: { type: integer, nullable: true, check: total >= 0 }
      public_id: { type: uuid, default: gen_random_uuid() }
`;

interface Workspace {
  readonly dir: string;
  write(models: string): void;
}

function workspace(): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-phasing-'));
  fs.writeFileSync(path.join(dir, 'schemac.config.yaml'), CONFIG);
  return {
    dir,
    write(models) {
      fs.mkdirSync(path.join(dir, 'schemas', 'core'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'schemas', 'core', 'models.yaml'), models);
    },
  };
}

async function migration(ws: Workspace, description: string, at: string): Promise<void> {
  const io = captureIo({ SCHEMAC_NOW: at });
  const code = await run(['migration', description], io, ws.dir);
  assert.is(code, 0, io.err() + io.out());
}

async function migrate(url: string, ws: Workspace) {
  const driver = await openDriver({ kind: 'pg', url });
  try {
    const { files, errors } = readMigrations(path.join(ws.dir, 'generated', 'migrations'));
    assert.equal(errors, []);
    return await runMigrations({ driver, files, direction: 'up' });
  } finally {
    await driver.close();
  }
}

function snapshots(ws: Workspace): Snapshot[] {
  const dir = path.join(ws.dir, 'generated', 'snapshots');
  return fs.readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => parseSnapshot(fs.readFileSync(path.join(dir, n), 'utf8'), n).snapshot!);
}

/** Writes until stopped: inserts and updates on `orders`, each write's latency recorded. */
function startWriter(url: string) {
  const latencies: number[] = [];
  const errors: string[] = [];
  let stop = false;
  const client = new pg.Client({ connectionString: url });
  const done = (async () => {
    await client.connect();
    await client.query(`SET statement_timeout = '${LOCK_TIMEOUT_MS * 4}ms'`);
    const deadline = Date.now() + 120_000;
    for (let i = 0; !stop && i < 200_000 && Date.now() < deadline; i++) {
      const started = performance.now();
      try {
        if (i % 2 === 0) await client.query('INSERT INTO orders (customer_id, code, total) VALUES ($1, $2, $3)', [1 + (i % 50), `w${i}`, i]);
        else await client.query('UPDATE orders SET total = total + 1 WHERE id = $1', [1 + ((i * 7919) % 20_000)]);
      } catch (e) {
        errors.push((e as Error).message);
      }
      latencies.push(performance.now() - started);
    }
    await client.end();
  })();
  return { latencies, errors, stop: async () => ((stop = true), await done) };
}

async function seed(url: string, duplicateEmails: boolean): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`INSERT INTO customers (email) SELECT 'c' || g || '@example.com' FROM generate_series(1, 50) g`);
  if (duplicateEmails) await c.query(`INSERT INTO customers (email) VALUES ('c1@example.com')`);
  await c.query(`INSERT INTO orders (customer_id, code, total) SELECT 1 + g % 50, 'o' || g, g FROM generate_series(1, ${ROWS}) g`);
  await c.query('ANALYZE');
  await c.end();
}

async function expectSnapshots(url: string, ws: Workspace): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const problems = compareSchema(snapshots(ws), await introspect(wrapPgClient(c)));
    assert.equal(problems, [], problems.join('\n'));
    const { rows } = await c.query('SELECT count(*)::int AS n, count(DISTINCT public_id)::int AS ids FROM orders');
    assert.is(rows[0].ids, rows[0].n, 'every row has its own public_id');
  } finally {
    await c.end();
  }
}

test('a phased migration runs while a writer keeps writing; no write waits longer than the lock timeout', async () => {
  const db = await createTestDatabase();
  const ws = workspace();
  try {
    ws.write(BEFORE);
    await migration(ws, 'init', '2026-01-01T00:00:00Z');
    assert.is((await migrate(db.url, ws)).error, undefined);
    await seed(db.url, false);
    ws.write(AFTER);
    await migration(ws, 'constraints', '2026-01-02T00:00:00Z');
    const names = fs.readdirSync(path.join(ws.dir, 'generated', 'migrations')).filter((n) => n.endsWith('.sql'));
    assert.ok(names.some((n) => n.endsWith('_concurrent.sql')), names.join(', '));

    const writer = startWriter(db.url);
    await new Promise((r) => setTimeout(r, 200));
    const before = writer.latencies.length;
    const started = performance.now();
    const result = await migrate(db.url, ws);
    const migrationMs = performance.now() - started;
    const during = writer.latencies.length - before;
    await writer.stop();

    assert.is(result.error, undefined, result.error?.message);
    assert.equal(result.results.map((r) => r.status), ['applied', 'applied']);
    assert.equal(writer.errors, []);
    const max = Math.max(...writer.latencies);
    assert.ok(max < LOCK_TIMEOUT_MS + MARGIN_MS, `a write waited ${Math.round(max)} ms`);
    assert.ok(during > 0, 'the writer made progress while the migration ran');
    console.log(`  phasing: ${ROWS} rows, migration ${Math.round(migrationMs)} ms, ${during} writes during it, slowest write ${Math.round(max)} ms`);
    await expectSnapshots(db.url, ws);
  } finally {
    await db.drop();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

test('a concurrent part that failed half-way (a unique index over duplicates) runs again once the data is fixed', async () => {
  const db = await createTestDatabase();
  const ws = workspace();
  try {
    ws.write(BEFORE);
    await migration(ws, 'init', '2026-01-01T00:00:00Z');
    assert.is((await migrate(db.url, ws)).error, undefined);
    await seed(db.url, true);
    ws.write(AFTER);
    await migration(ws, 'constraints', '2026-01-02T00:00:00Z');
    const failed = await migrate(db.url, ws);
    assert.equal(failed.results.map((r) => r.status), ['applied', 'failed']);
    assert.match(failed.error?.message ?? '', /customers_email_key/);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const invalid = await c.query(`SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`);
    assert.is(invalid.rows[0].n, 1, 'the interrupted build left an invalid index');
    await c.query(`DELETE FROM customers WHERE id = (SELECT max(id) FROM customers)`);
    await c.end();
    const again = await migrate(db.url, ws);
    assert.is(again.error, undefined, again.error?.message);
    assert.equal(again.results.map((r) => r.status), ['applied']);
    await expectSnapshots(db.url, ws);
  } finally {
    await db.drop();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
});

test.run();
