/**
 * Tenant isolation, end to end on real PostgreSQL: an org's models (whose tenant tables
 * always get row-level security) are compiled into migrations by the CLI, applied by the
 * runtime, and then exercised by a non-owner role through `withClient`. Client A can
 * neither read, update, delete nor write as client B, nor detect B's rows: uniques that
 * include client_id do not collide across clients, and counts see only A's rows. A table
 * that the tenant-unique lint would reject (allowed here) shows the leak the rule prevents.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Generated, type Kysely, sql } from 'kysely';
import pg from 'pg';
import { run } from '../compiler/cli.ts';
import { createDb, migrateToLatest, withClient } from '../runtime/index.ts';
import { adminQuery, createTestDatabase, urlFor } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';

const CORE = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: text
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

const TS = `      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

/** acme's tables: none says \`rls\`, so all but the global one inherit the workspace default. */
const ACME = `tables:
  acme_invoices:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      invoice_number: varchar(50)
      amount_cents: { type: bigint, default: 0 }
${TS}    unique:
      - [client_id, invoice_number]
  acme_events:
    columns:
      id: { type: bigserial, primary_key: true }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
${TS}  acme_coupons:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
      code: { type: varchar(20), unique: true }
${TS}  acme_currencies:
    tenant: global
    columns:
      code: { type: char(3), primary_key: true }
${TS}`;

interface DB {
  acme_invoices: { id: Generated<string>; client_id: string; invoice_number: string; amount_cents: Generated<string> };
  acme_events: { id: Generated<string>; client_id: string };
  acme_coupons: { id: Generated<string>; client_id: string; code: string };
  acme_currencies: { code: string };
}

async function cli(dir: string, ...args: string[]): Promise<{ exit: number; text: string }> {
  const io = captureIo();
  const exit = await run(['--cwd', dir, ...args], io);
  return { exit, text: io.out() + io.err() };
}

/** The SQLSTATE of what `fn` throws, or 'ok' when it does not throw. */
async function outcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? (e as Error).message;
  }
}

/** A workspace with `rls: true`, its migrations written by the CLI. */
async function compiledWorkspace(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-tenancy-'));
  const config = 'rls: true\nlint:\n  allow:\n    tenant-unique: "shows the probe a serial key allows and the leak of a global unique"\n';
  const files = { 'schemac.config.yaml': config, 'schemas/core/models.yaml': CORE, 'schemas/custom_tools/acme/billing/models.yaml': ACME };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const lint = await cli(dir, 'lint');
  assert.is(lint.exit, 0, lint.text);
  const made = await cli(dir, 'migration', 'init', '--all');
  assert.is(made.exit, 0, made.text);
  return dir;
}

test('every org tenant table gets a policy, global ones none; core may opt out, an org may not', async () => {
  const dir = await compiledWorkspace();
  try {
    const folder = path.join(dir, 'generated', 'migrations');
    const acme = fs.readFileSync(path.join(folder, fs.readdirSync(folder).find((n) => n.includes('_custom_acme_'))!), 'utf8');
    const policies = [...acme.matchAll(/CREATE POLICY "(\w+)"/g)].map((m) => m[1]).sort();
    assert.equal(policies, ['acme_coupons_tenant_isolation', 'acme_events_tenant_isolation', 'acme_invoices_tenant_isolation']);
    fs.writeFileSync(path.join(dir, 'schemac.config.yaml'), 'rls: true\nlint:\n  allow:\n    tenant-unique: "checked above"\n');
    const drafts = (name: string, reference: string) => `  ${name}:\n    rls: false\n    columns:\n      id: { type: uuid, primary_key: true, default: gen_random_uuid() }\n      client_id: { type: uuid, index: true, references: ${reference} }\n${TS}`;
    fs.appendFileSync(path.join(dir, 'schemas/core/models.yaml'), drafts('core_drafts', 'clients.id'));
    const core = await cli(dir, 'diff', '--core');
    assert.match(core.text, 'CREATE TABLE "core_drafts"');
    assert.not.match(core.text, 'ROW LEVEL SECURITY', "core's rls: false opts out of the default");
    fs.appendFileSync(path.join(dir, 'schemas/custom_tools/acme/billing/models.yaml'), drafts('acme_drafts', 'clients.id'));
    const org = await cli(dir, 'diff', '--org', 'acme');
    assert.is(org.exit, 1);
    assert.match(org.text, /schemas\/custom_tools\/acme\/billing\/models\.yaml:\d+:5: error\[invalid-rls\]: table 'acme_drafts' sets rls: false, but an org's tables cannot turn row-level security off/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a non-owner role through withClient can neither read, write nor detect another client\'s rows', async () => {
  const dir = await compiledWorkspace();
  const db = await createTestDatabase();
  const role = `schemac_tenant_${randomBytes(3).toString('hex')}`;
  const [a, b] = [randomUUID(), randomUUID()];
  let app: Kysely<DB> | undefined;
  try {
    const migrated = await migrateToLatest({ url: db.url, migrationsDir: path.join(dir, 'generated', 'migrations') });
    assert.is(migrated.error, undefined, JSON.stringify(migrated.error));
    await adminQuery(`create role ${role} login`);
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    await owner.query(`grant usage on schema public to ${role};
      grant select, insert, update, delete on all tables in schema public to ${role};
      grant usage on all sequences in schema public to ${role};
      insert into clients (id, name) values ('${a}', 'A'), ('${b}', 'B');`);
    app = createDb<DB>({ pool: new pg.Pool({ connectionString: urlFor(db.url, db.name, role), max: 1 }) });
    const dbApp = app;
    const asA = <T>(fn: (trx: Kysely<DB>) => Promise<T>) => withClient(dbApp, a, fn);
    const asB = <T>(fn: (trx: Kysely<DB>) => Promise<T>) => withClient(dbApp, b, fn);

    const bInvoice = await asB((t) => t.insertInto('acme_invoices').values({ client_id: b, invoice_number: 'INV-7', amount_cents: '500' }).returning('id').executeTakeFirstOrThrow());
    await asB((t) => t.insertInto('acme_invoices').values({ client_id: b, invoice_number: 'INV-8' }).execute());
    await asA((t) => t.insertInto('acme_invoices').values({ client_id: a, invoice_number: 'INV-1' }).execute());

    // read: A sees only its own rows, by query, by B's id, and by count.
    assert.equal(await asA((t) => t.selectFrom('acme_invoices').select('invoice_number').execute()), [{ invoice_number: 'INV-1' }]);
    assert.equal(await asA((t) => t.selectFrom('acme_invoices').selectAll().where('id', '=', bInvoice.id).execute()), []);
    assert.equal(await asA((t) => t.selectFrom('acme_invoices').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()), { n: '1' });

    // write: updates and deletes of B's row touch nothing; A cannot insert as B or move its row to B.
    const updated = await asA((t) => t.updateTable('acme_invoices').set({ amount_cents: '0' }).where('id', '=', bInvoice.id).executeTakeFirst());
    assert.is(updated.numUpdatedRows, 0n);
    const deleted = await asA((t) => t.deleteFrom('acme_invoices').where('id', '=', bInvoice.id).executeTakeFirst());
    assert.is(deleted.numDeletedRows, 0n);
    assert.equal(await asB((t) => t.selectFrom('acme_invoices').select(['invoice_number', 'amount_cents']).where('id', '=', bInvoice.id).execute()), [{ invoice_number: 'INV-7', amount_cents: '500' }]);
    assert.is(await outcome(() => asA((t) => t.insertInto('acme_invoices').values({ client_id: b, invoice_number: 'INV-99' }).execute())), '42501');
    assert.is(await outcome(() => asA((t) => t.updateTable('acme_invoices').set({ client_id: b }).where('invoice_number', '=', 'INV-1').execute())), '42501');

    // detect: B's invoice number is free for A (the unique includes client_id), while A's own duplicate is refused.
    assert.is(await outcome(() => asA((t) => t.insertInto('acme_invoices').values({ client_id: a, invoice_number: 'INV-7' }).execute())), 'ok');
    assert.is(await outcome(() => asA((t) => t.insertInto('acme_invoices').values({ client_id: a, invoice_number: 'INV-7' }).execute())), '23505');

    // outside withClient, and as a client that does not exist, nothing is visible.
    assert.equal(await dbApp.selectFrom('acme_invoices').selectAll().execute(), []);
    assert.equal(await withClient(dbApp, randomUUID(), (t) => t.selectFrom('acme_invoices').selectAll().execute()), []);
    const setting = await sql<{ v: string | null }>`select current_setting('app.client_id', true) as v`.execute(dbApp);
    assert.ok(!setting.rows[0].v, 'app.client_id does not outlive the transaction');
    assert.is(await outcome(() => sql`alter table acme_invoices disable row level security`.execute(dbApp)), '42501', 'only the owner may turn RLS off');

    // a global unique leaks B's value (tenant-unique rejects it; allowed by the workspace config for this table). A serial
    // key, which the rule exempts, tells A only that a number is taken: the sequence already told A how many rows every client made.
    await asB((t) => t.insertInto('acme_coupons').values({ client_id: b, code: 'B-SECRET' }).execute());
    assert.is(await outcome(() => asA((t) => t.insertInto('acme_coupons').values({ client_id: a, code: 'B-SECRET' }).execute())), '23505', "a global unique reveals B's code");
    const event = await asB((t) => t.insertInto('acme_events').values({ client_id: b }).returning('id').executeTakeFirstOrThrow());
    assert.is(await outcome(() => asA((t) => t.insertInto('acme_events').values({ id: event.id, client_id: a }).execute())), '23505', 'a serial number is taken');
    assert.is(await outcome(() => asA((t) => t.insertInto('acme_events').values({ id: String(Number(event.id) + 1000), client_id: a }).execute())), 'ok');

    // global tables have no policy: every client reads them.
    await owner.query(`insert into acme_currencies (code) values ('EUR')`);
    assert.equal(await asA((t) => t.selectFrom('acme_currencies').select('code').execute()), [{ code: 'EUR' }]);
    await owner.end();
  } finally {
    await app?.destroy();
    await db.drop();
    await adminQuery(`drop role if exists ${role}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
