/**
 * An org hand-edits its generated migration to touch core (or another org) and runs
 * `schemac sum`: `sum`, `check` and `migrate up` refuse it, naming the file, line and column
 * of the statement and the object; `sum` writes nothing, and `migrate up` runs none of that
 * org's files while every other owner's apply (real PostgreSQL). A benign hand-written
 * backfill on the org's own table passes all three.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const ACME = `tables:
  acme_invoices:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      number: varchar(50)?
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - columns: [client_id]
`;

const GLOBEX = `tables:
  globex_orders:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - columns: [client_id]
`;

function write(ws: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
  fs.writeFileSync(path.join(ws, rel), text);
}

async function schemac(ws: string, args: string[]) {
  const io = captureIo({ SCHEMAC_NOW: '2026-02-03T04:05:06Z' });
  const code = await run(args, io, ws);
  return { code, out: io.out(), err: io.err() };
}

/** A workspace with core, acme and globex, migrated once (`migration init --all`); the path of acme's migration. */
async function migrated(): Promise<{ ws: string; acme: string }> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-ownership-'));
  write(ws, 'schemas/core/models.yaml', CORE_CLIENTS);
  write(ws, 'schemas/custom_tools/acme/invoicing/models.yaml', ACME);
  write(ws, 'schemas/custom_tools/globex/orders/models.yaml', GLOBEX);
  const init = await schemac(ws, ['migration', 'init', '--all']);
  assert.is(init.code, 0, init.err);
  return { ws, acme: 'generated/migrations/20260203_040506_custom_acme_init.sql' };
}

/** Puts `sql` as the last statement of the migration's up section; resolves to its 1-based line. */
function handEdit(ws: string, file: string, sql: string): number {
  const full = path.join(ws, file);
  const text = fs.readFileSync(full, 'utf8');
  const down = text.indexOf('-- migrate:down');
  fs.writeFileSync(full, `${text.slice(0, down)}${sql}\n${text.slice(down)}`);
  return text.slice(0, down).split('\n').length;
}

/** The owners of the applied migrations, and which of the tables the hostile statements aim at exist. */
async function applied(url: string): Promise<{ owners: string[]; clients: boolean; globexOrders: boolean }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ledger = (await client.query(`SELECT to_regclass('schemac_migrations') IS NOT NULL AS ok`)).rows[0].ok as boolean;
    const owners = ledger ? (await client.query('SELECT owner FROM schemac_migrations ORDER BY owner')).rows.map((r) => r.owner as string) : [];
    const exists = async (t: string) => (await client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [t])).rows[0].ok as boolean;
    return { owners, clients: await exists('clients'), globexOrders: await exists('globex_orders') };
  } finally {
    await client.end();
  }
}

const HOSTILE: readonly (readonly [string, string, number])[] = [
  ['DELETE FROM clients;', 'table "clients"', 13],
  ['UPDATE acme_invoices SET number = (SELECT name FROM public.clients LIMIT 1);', 'table "public"."clients"', 53],
  ['DROP TABLE "globex_orders";', 'table "globex_orders"', 1],
  ['SELECT pg_read_file(\'/etc/passwd\');', 'pg_read_file()', 8],
  ['SET ROLE postgres;', 'SET ROLE', 1],
];

for (const [sql, object, column] of HOSTILE) {
  test(`a hand-edited org migration (${sql}): sum, check and migrate up refuse it at file:line:col; sum writes nothing, up applies every other owner's`, async () => {
    const { ws, acme } = await migrated();
    const sumFile = path.join(ws, 'generated/migrations/schemac.sum');
    const sumBefore = fs.readFileSync(sumFile, 'utf8');
    const line = handEdit(ws, acme, sql);
    const where = `${acme}:${line}:${column}`;

    const sum = await schemac(ws, ['sum']);
    assert.is(sum.code, 1, sum.out);
    assert.ok(sum.err.includes(where), `${where} not in:\n${sum.err}`);
    assert.ok(sum.err.includes(object), sum.err);
    assert.match(sum.err, /error\[migration-ownership\]: acme's migration \(migrate:up\)/);
    assert.is(fs.readFileSync(sumFile, 'utf8'), sumBefore, 'sum must write nothing');

    const check = await schemac(ws, ['check']);
    assert.is(check.code, 1, check.out);
    assert.ok(check.err.includes(where), `${where} not in:\n${check.err}`);
    assert.match(check.err, /statement of org migrations touches objects their org does not own/);

    const db = await createTestDatabase();
    try {
      const up = await schemac(ws, ['migrate', 'up', '--db', db.url]);
      assert.is(up.code, 1, up.out);
      assert.ok(up.err.includes(where), `${where} not in:\n${up.err}`);
      assert.match(up.err, /schemac migrate up: refused acme's migrations: they touch objects the org does not own \(see above\); acme's migrations will not run; the other owners' still do/);
      assert.equal(await applied(db.url), { owners: ['core', 'globex'], clients: true, globexOrders: true }, 'acme refused; core and globex applied');
    } finally {
      await db.drop();
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
}

test('a hostile statement in the down section is refused too', async () => {
  const { ws, acme } = await migrated();
  const full = path.join(ws, acme);
  const text = fs.readFileSync(full, 'utf8');
  fs.writeFileSync(full, `${text.trimEnd()}\nTRUNCATE clients;\n`);
  const line = text.trimEnd().split('\n').length + 1;
  const sum = await schemac(ws, ['sum']);
  assert.is(sum.code, 1);
  assert.ok(sum.err.includes(`${acme}:${line}:1`), sum.err);
  assert.match(sum.err, /acme's migration \(migrate:down\) runs TRUNCATE/);
  fs.rmSync(ws, { recursive: true, force: true });
});

test('a benign hand-written backfill on the org\'s own table passes sum, check and migrate up', async () => {
  const { ws, acme } = await migrated();
  handEdit(ws, acme, `UPDATE acme_invoices SET number = 'INV-' || left(id::text, 8) WHERE number IS NULL;\nCREATE INDEX acme_invoices_number_idx ON acme_invoices (number);`);
  const sum = await schemac(ws, ['sum']);
  assert.is(sum.code, 0, sum.err);
  assert.match(sum.out, /Wrote generated\/migrations\/schemac\.sum/);
  const check = await schemac(ws, ['check']);
  assert.is(check.code, 0, check.err);
  const db = await createTestDatabase();
  try {
    const up = await schemac(ws, ['migrate', 'up', '--db', db.url]);
    assert.is(up.code, 0, up.err);
    assert.equal(await applied(db.url), { owners: ['acme', 'core', 'globex'], clients: true, globexOrders: true });
  } finally {
    await db.drop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test.run();
