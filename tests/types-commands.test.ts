/** `schemac types` and `schemac erd` on a small workspace, in-process. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');


const ACME = `tables:
  acme_invoice_data:
    comment: Invoices created by the invoice_generator tool.
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
      invoice_number: { type: varchar(50), unique: true }
      amount: { type: bigint, comment: Amount in cents, check: amount >= 0 }
      total: numeric(12,2)
      status: { type: acme_invoice_status, default: pending }
      metadata: jsonb?
      tags: text[]?
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
enums:
  acme_invoice_status: [pending, paid, void]
`;

function workspace(files: Record<string, string>): string {
  fs.mkdirSync(path.join(ROOT, 'tests', 'tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'tests', 'tmp', 'types-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const VALID = { 'schemas/core/models.yaml': CORE_CLIENTS, 'schemas/custom_tools/acme/invoices/models.yaml': ACME };

test('types writes generated/db.ts and a module per owner, and the result compiles with a query against it', async () => {
  const dir = workspace(VALID);
  const io = captureIo();
  assert.is(await run(['--cwd', dir, 'types'], io), 0, io.err());
  assert.match(io.out(), 'Wrote generated/db.ts, generated/db/core.ts, generated/db/acme.ts (2 tables)');
  const index = fs.readFileSync(path.join(dir, 'generated', 'db.ts'), 'utf8');
  const acme = fs.readFileSync(path.join(dir, 'generated', 'db', 'acme.ts'), 'utf8');
  assert.match(acme, 'export interface AcmeInvoiceData {');
  assert.match(acme, '  status: Generated<AcmeInvoiceStatus>;');
  assert.match(acme, '  amount: Int8;');
  assert.match(acme, '  tags: string[] | null;');
  assert.match(acme, 'export interface DB {\n  acme_invoice_data: AcmeInvoiceData;\n}\n');
  assert.match(index, 'export interface DB extends\n  DB_core,\n  DB_acme {}\n');
  assert.equal(fs.readdirSync(path.join(dir, 'generated')), ['db', 'db.ts']);
  assert.equal(fs.readdirSync(path.join(dir, 'generated', 'db')), ['acme.ts', 'core.ts']);
  fs.writeFileSync(path.join(dir, 'generated', 'usage.ts'), [
    "import type { Kysely } from 'kysely';",
    "import type { DB } from './db.ts';",
    'declare const db: Kysely<DB>;',
    "export const q = db.selectFrom('acme_invoice_data').select(['id', 'amount']).where('status', '=', 'paid');",
    '// @ts-expect-error: not a status',
    "export const bad = db.selectFrom('acme_invoice_data').selectAll().where('status', '=', 'unpaid');",
  ].join('\n'));
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '--strict', '--noEmit', '--module', 'esnext', '--moduleResolution', 'bundler', '--target', 'es2022',
    '--allowImportingTsExtensions', '--skipLibCheck', '--types', 'node', path.join(dir, 'generated', 'usage.ts')];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('types is deterministic and honours out.types from the config', async () => {
  const dir = workspace({ ...VALID, 'schemac.config.yaml': 'out:\n  types: src/db/types.ts\n' });
  assert.is(await run(['--cwd', dir, 'types'], captureIo()), 0);
  const read = () => ['types.ts', 'types/core.ts', 'types/acme.ts'].map((f) => fs.readFileSync(path.join(dir, 'src', 'db', f), 'utf8'));
  const first = read();
  assert.match(first[0], "export type * from './types/acme.js';");
  const stamps = () => ['types.ts', 'types/core.ts', 'types/acme.ts'].map((f) => fs.statSync(path.join(dir, 'src', 'db', f)).mtimeMs);
  const before = stamps();
  const again = captureIo();
  assert.is(await run(['--cwd', dir, 'types'], again), 0);
  assert.equal(read(), first);
  assert.is(again.out(), 'src/db/types.ts and its modules are up to date (2 tables)\n');
  assert.equal(stamps(), before, 'no file is written again');
  assert.not.ok(fs.existsSync(path.join(dir, 'generated')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('types on invalid models prints the diagnostics, exits 1 and writes nothing', async () => {
  const dir = workspace({ ...VALID, 'schemas/custom_tools/acme/invoices/models.yaml': ACME.replace('type: bigint', 'type: bigintt') });
  const io = captureIo();
  assert.is(await run(['--cwd', dir, 'types'], io), 1);
  assert.match(io.err(), 'models.yaml');
  assert.not.ok(fs.existsSync(path.join(dir, 'generated')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('types with a bad config exits 2; out.types must name a TypeScript file (the modules go in the folder of its name)', async () => {
  const dir = workspace({ ...VALID, 'schemac.config.yaml': 'out: [1, 2]\n' });
  const io = captureIo();
  assert.is(await run(['--cwd', dir, 'types'], io), 2);
  assert.not.ok(fs.existsSync(path.join(dir, 'generated')));
  fs.writeFileSync(path.join(dir, 'schemac.config.yaml'), 'out:\n  types: generated/types\n');
  const folder = captureIo();
  assert.is(await run(['--cwd', dir, 'types'], folder), 2);
  assert.match(folder.err(), "schemac.config.yaml:2:10: error[invalid-value]: 'generated/types' is not valid (a TypeScript file: ends in .ts, .mts or .cts)");
  assert.not.ok(fs.existsSync(path.join(dir, 'generated')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('erd prints the diagram; --org keeps the org and the core tables it references', async () => {
  const dir = workspace(VALID);
  const all = captureIo();
  assert.is(await run(['--cwd', dir, 'erd'], all), 0, all.err());
  assert.ok(all.out().startsWith('erDiagram\n'));
  assert.match(all.out(), '  clients ||..o{ acme_invoice_data : "client_id"\n');
  assert.match(all.out(), '    varchar(255) name\n');
  const org = captureIo();
  assert.is(await run(['--cwd', dir, 'erd', '--org', 'acme'], org), 0, org.err());
  assert.match(org.out(), '  clients {\n    uuid id PK\n  }\n');
  const core = captureIo();
  assert.is(await run(['--cwd', dir, 'erd', '--core'], core), 0);
  assert.not.match(core.out(), 'acme');
  const unknown = captureIo();
  assert.is(await run(['--cwd', dir, 'erd', '--org', 'acm'], unknown), 2);
  assert.match(unknown.err(), "unknown org 'acm'");
  assert.is(await run(['--cwd', dir, 'erd', '--org', 'acme', '--core'], captureIo()), 2);
  assert.not.ok(fs.existsSync(path.join(dir, 'generated')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
