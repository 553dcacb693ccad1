/**
 * Named constraints and composite foreign keys against a real PostgreSQL: `diff --db`
 * compares constraints by name, so a database whose constraint carries another name (or
 * whose composite key lost a column) is drift, and the migrations' up applies, their down
 * reverts to an empty schema.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { parseMigration } from '../runtime/files.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const STAMPS = `      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

const ACME = `tables:
  acme_customers:
    columns:
      client_id: { type: uuid, references: { table: clients, column: id, on_delete: cascade, name: acme_fk_customer_client } }
      id: { type: integer }
      code: text
      score: { type: integer, check: { sql: "score >= 0", name: acme_ck_score } }
${STAMPS}    primary_key: { columns: [client_id, id], name: acme_pk_customers }
    unique:
      - { columns: [client_id, code], name: acme_uq_customer_code }
  acme_orders:
    columns:
      id: { type: serial, primary_key: { name: acme_pk_orders } }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      customer_id: integer
${STAMPS}    indexes:
      - { columns: [client_id, customer_id], name: acme_ix_orders_customer }
    foreign_keys:
      - columns: [client_id, customer_id]
        references: { table: acme_customers, columns: [client_id, id] }
        on_delete: cascade
        name: acme_fk_orders_customer
`;

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-cons-pg-'));
  const files: Record<string, string> = { 'schemas/core/models.yaml': CORE_CLIENTS, 'schemas/custom_tools/acme/shop/models.yaml': ACME };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function schemac(ws: string, args: string[]) {
  const io = captureIo({ SCHEMAC_NOW: '2026-02-03T04:05:06Z' });
  const code = await run(args, io, ws);
  return { code, out: io.out(), err: io.err() };
}

function migrations(ws: string): { up: string; down: string }[] {
  const dir = path.join(ws, 'generated', 'migrations');
  return fs.readdirSync(dir).filter((n) => n.endsWith('.sql')).sort().map((n) => {
    const parsed = parseMigration(n, fs.readFileSync(path.join(dir, n), 'utf8'));
    assert.ok(parsed.file, parsed.error);
    return parsed.file!;
  });
}

test('diff --db compares constraints by name: a renamed or narrowed constraint is drift; up then down leaves nothing', async () => {
  const ws = workspace();
  const made = await schemac(ws, ['migration', 'init', '--all']);
  assert.is(made.code, 0, made.err);
  const db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const files = migrations(ws);
    for (const f of files) await client.query(f.up);
    const clean = await schemac(ws, ['diff', '--db', db.url, '--exit-code']);
    assert.is(clean.code, 0, clean.err + clean.out);
    const { rows } = await client.query<{ conname: string; n: number }>(
      "select conname::text, array_length(conkey, 1) as n from pg_constraint where conname like 'acme_%' order by conname",
    );
    assert.equal(rows, [
      { conname: 'acme_ck_score', n: 1 }, { conname: 'acme_fk_customer_client', n: 1 }, { conname: 'acme_fk_orders_customer', n: 2 },
      { conname: 'acme_orders_client_id_fkey', n: 1 }, { conname: 'acme_pk_customers', n: 2 }, { conname: 'acme_pk_orders', n: 1 }, { conname: 'acme_uq_customer_code', n: 2 },
    ]);

    await client.query('ALTER TABLE acme_customers RENAME CONSTRAINT acme_uq_customer_code TO acme_customers_code_key');
    const renamed = await schemac(ws, ['diff', '--db', db.url, '--exit-code']);
    assert.is(renamed.code, 1, renamed.err);
    assert.match(renamed.out, /acme_uq_customer_code/);
    await client.query('ALTER TABLE acme_customers RENAME CONSTRAINT acme_customers_code_key TO acme_uq_customer_code');

    await client.query('ALTER TABLE acme_orders DROP CONSTRAINT acme_fk_orders_customer');
    await client.query('ALTER TABLE acme_orders ADD CONSTRAINT acme_fk_orders_customer FOREIGN KEY (client_id) REFERENCES clients (id)');
    const narrowed = await schemac(ws, ['diff', '--db', db.url, '--exit-code']);
    assert.is(narrowed.code, 1, narrowed.err);
    assert.match(narrowed.out, /acme_fk_orders_customer/);
    await client.query('ALTER TABLE acme_orders DROP CONSTRAINT acme_fk_orders_customer');
    await client.query('ALTER TABLE acme_orders ADD CONSTRAINT acme_fk_orders_customer FOREIGN KEY (client_id, customer_id) REFERENCES acme_customers (client_id, id) ON DELETE CASCADE');
    assert.is((await schemac(ws, ['diff', '--db', db.url, '--exit-code'])).code, 0);

    for (const f of [...files].reverse()) await client.query(f.down);
    const left = await client.query("select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public'");
    assert.is(left.rows[0].n, 0, 'the downs leave nothing behind');
  } finally {
    await client.end();
    await db.drop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test.run();
