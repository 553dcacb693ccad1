/**
 * `schemac uninstall <org>/<tool>` on a real PostgreSQL: the tool's tables move to
 * `archive_<org>` with their rows, reinstalling the unchanged models moves them back, and
 * what the command refuses writes nothing.
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

const CORE = `enums:
  currency: [eur, usd]
tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: text
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

const INVOICING = `enums:
  acme_invoice_status: [draft, paid]
tables:
  acme_invoices:
    columns:
      id: { type: bigserial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
      status: { type: acme_invoice_status, default: draft }
      currency: { type: currency, default: eur }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

const NOTES = `tables:
  acme_notes:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
      body: text
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

const REPORTS = `tables:
  acme_reports:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
      invoice_id: { type: bigint, references: acme_invoices.id, index: true }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

const TOOL = 'schemas/custom_tools/acme/invoicing/models.yaml';

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-uninstall-'));
  put(dir, 'schemas/core/models.yaml', CORE);
  put(dir, TOOL, INVOICING);
  put(dir, 'schemas/custom_tools/acme/notes/models.yaml', NOTES);
  return dir;
}

function put(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

async function cli(dir: string, argv: string[], at: string) {
  const io = captureIo({ SCHEMAC_NOW: at });
  const code = await run(argv, io, dir);
  return { code, out: io.out(), err: io.err() };
}

async function migrateUp(url: string, dir: string): Promise<void> {
  const driver = await openDriver({ kind: 'pg', url });
  const { files } = readMigrations(path.join(dir, 'generated', 'migrations'));
  const result = await runMigrations({ driver, files, direction: 'up' });
  await driver.close();
  assert.is(result.error, undefined, result.error?.message);
}

function snapshots(dir: string): Snapshot[] {
  const d = path.join(dir, 'generated', 'snapshots');
  return fs.readdirSync(d).filter((n) => n.endsWith('.json')).map((n) => parseSnapshot(fs.readFileSync(path.join(d, n), 'utf8'), n).snapshot!);
}

function listing(dir: string): string[] {
  return fs.readdirSync(path.join(dir, 'generated', 'migrations')).sort();
}

test('uninstall archives a tool with its rows; reinstalling restores them; refusals write nothing', async () => {
  const db = await createTestDatabase();
  const dir = workspace();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    assert.is((await cli(dir, ['migration', 'init', '--all'], '2026-01-01T00:00:00Z')).code, 0);
    await migrateUp(db.url, dir);
    await c.query(`INSERT INTO clients (name) VALUES ('Acme')`);
    await c.query(`INSERT INTO acme_invoices (client_id, status) SELECT id, 'paid' FROM clients`);
    await c.query(`INSERT INTO acme_invoices (client_id) SELECT id FROM clients`);
    const before = listing(dir);

    const kept = await cli(dir, ['uninstall', 'acme/invoicing'], '2026-01-02T00:00:00Z');
    assert.is(kept.code, 1);
    assert.match(kept.err, /--remove-files/);
    assert.equal(listing(dir), before);

    put(dir, 'schemas/custom_tools/acme/reports/models.yaml', REPORTS);
    const referenced = await cli(dir, ['uninstall', 'acme/invoicing', '--remove-files'], '2026-01-02T00:00:00Z');
    assert.is(referenced.code, 1);
    assert.match(referenced.err, /"acme_reports"."invoice_id" .* references "acme_invoices"/);
    assert.ok(fs.existsSync(path.join(dir, TOOL)), 'a refused uninstall keeps the models file');
    put(dir, 'schemas/custom_tools/acme/reports/models.yaml', REPORTS.replace('invoice_id: { type: bigint, references: acme_invoices.id, index: true }', 'invoice_id: { type: bigint, index: true }')
      .concat('    foreign_keys:\n      - { columns: [invoice_id], references: { table: acme_invoices, columns: [id] } }\n'));
    const tableLevel = await cli(dir, ['uninstall', 'acme/invoicing', '--remove-files'], '2026-01-02T00:00:00Z');
    assert.is(tableLevel.code, 1);
    assert.match(tableLevel.err, /"acme_reports" \("invoice_id"\) .* references "acme_invoices"/);
    assert.equal(listing(dir), before);
    fs.rmSync(path.join(dir, 'schemas/custom_tools/acme/reports'), { recursive: true });

    const done = await cli(dir, ['uninstall', 'acme/invoicing', '--remove-files'], '2026-01-02T00:00:00Z');
    assert.is(done.code, 0, done.err);
    assert.ok(!fs.existsSync(path.join(dir, TOOL)), 'the models file is removed');
    const acme = snapshots(dir).find((s) => s.owner === 'acme')!;
    assert.equal(acme.tables.map((t) => t.name), ['acme_notes']);
    assert.equal(acme.archived?.tables.map((t) => t.name), ['acme_invoices']);
    assert.equal(acme.archived?.enums.map((e) => e.name), ['acme_invoice_status']);
    assert.is((await cli(dir, ['check'], '2026-01-02T00:00:00Z')).code, 0);
    await migrateUp(db.url, dir);
    const archived = await c.query(`SELECT status::text FROM archive_acme.acme_invoices ORDER BY id`);
    assert.equal(archived.rows.map((r) => r.status), ['paid', 'draft']);
    assert.equal(compareSchema(snapshots(dir), await introspect(wrapPgClient(c))), []);

    put(dir, 'schemas/core/models.yaml', CORE.replace('enums:\n  currency: [eur, usd]\n', ''));
    const core = await cli(dir, ['migration', 'drop currency', '--all', '--allow-destructive'], '2026-01-02T12:00:00Z');
    assert.is(core.code, 1, 'core may not drop an enum an archived table still uses');
    assert.match(core.err, /acme's archived table "acme_invoices" \(schema archive_acme\) has column "currency" of the type "currency"/);
    put(dir, 'schemas/core/models.yaml', CORE);

    put(dir, TOOL, INVOICING);
    const back = await cli(dir, ['migration', 'reinstall invoicing', '--org', 'acme'], '2026-01-03T00:00:00Z');
    assert.is(back.code, 0, back.err);
    const text = fs.readFileSync(path.join(dir, 'generated', 'migrations', listing(dir).find((n) => n.includes('reinstall'))!), 'utf8');
    assert.match(text, /ALTER TABLE "archive_acme"\."acme_invoices" SET SCHEMA public;/);
    assert.not.match(text, /CREATE TABLE/);
    assert.is(snapshots(dir).find((s) => s.owner === 'acme')!.archived, undefined);
    await migrateUp(db.url, dir);
    const restored = await c.query(`SELECT status::text FROM acme_invoices ORDER BY id`);
    assert.equal(restored.rows.map((r) => r.status), ['paid', 'draft']);
    await c.query(`INSERT INTO acme_invoices (client_id) SELECT id FROM clients`);
    assert.is((await c.query(`SELECT max(id)::int AS id FROM acme_invoices`)).rows[0].id, 3, 'the sequence moved with its table');
    assert.equal(compareSchema(snapshots(dir), await introspect(wrapPgClient(c))), []);
  } finally {
    await c.end();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('uninstall: usage errors and an unknown org', async () => {
  const dir = workspace();
  try {
    assert.is((await cli(dir, ['uninstall', 'acme'], '2026-01-01T00:00:00Z')).code, 2);
    assert.is((await cli(dir, ['uninstall', 'core/x'], '2026-01-01T00:00:00Z')).code, 2);
    const unknown = await cli(dir, ['uninstall', 'globex/x'], '2026-01-01T00:00:00Z');
    assert.is(unknown.code, 2);
    assert.match(unknown.err, /unknown org 'globex'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
