/**
 * Citus for real: a coordinator and two workers on this machine (../shared/pg-extensions/
 * citus-cluster.sh), the migrations schemac writes applied as generated, no hand-written SQL
 * and no setting beyond what docs/citus.md says. Skipped, saying so, when Citus is not
 * installed. Steps, in order (each prints its time):
 *
 *  1. the distribution fixture (tests/helpers/citus-fixture.ts) up, down to the base, up again;
 *     a unique key without client_id refused by Citus itself;
 *  2. the bundled workspace (the repository's schemas/) with `distribution:` on, its models
 *     made distributable as the lint's hints say, lint clean; init; `migrate up`;
 *  3. citus_tables: every tenant table distributed by client_id in one colocation group, every
 *     global table a reference table; shards on both workers;
 *  4. withClient as a non-superuser role: reads and writes isolated per client, with one client
 *     on each worker (router queries) and across both (multi-shard), refused for another
 *     client's id; the updated_at triggers on a reference and on a distributed table;
 *  5. an evolution: a column, an index, a new distributed table (and, once the models language
 *     has `foreign_keys:`, a composite key through client_id; skipped with a message until then);
 *  6. `diff --db` clean; `down` to the base leaves nothing on the workers; `up` again;
 *  7. `uninstall` of a tool: its distributed tables move to the archive schema, still distributed.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'kysely';
import pg from 'pg';
import { parseDocument, type Document, isMap, isScalar, YAMLMap } from 'yaml';
import { run } from '../compiler/cli.ts';
import { createDb, withClient } from '../runtime/index.ts';
import { CITUS_FIXTURE } from './helpers/citus-fixture.ts';
import { captureIo } from './helpers/io.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SCRIPTS = path.resolve(ROOT, '..', 'shared', 'pg-extensions');
const PGLIB = '/usr/lib/postgresql/15/lib';
const citusInstalled = fs.existsSync(path.join(PGLIB, 'citus.so'));
const clusterScripts = fs.existsSync(path.join(SCRIPTS, 'citus-cluster.sh')) && fs.existsSync(path.join(SCRIPTS, 'citus-stop.sh'));

/** Whether the models language has table-level composite foreign keys (`foreign_keys:`), read from its schema at run time. */
const hasForeignKeys = (() => {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'models.schema.json'), 'utf8')) as unknown;
  return JSON.stringify(schema).includes('"foreign_keys"');
})();
const NO_FOREIGN_KEYS = 'skipped: composite foreign keys through client_id — the models language has no `foreign_keys:` yet';

interface Cluster {
  dir: string;
  url: string;
  workers: { port: number; url: string }[];
}

let cluster: Cluster | undefined;
const timings: [string, number][] = [];

// a failed step must not leave the cluster running
process.on('exit', () => stopCluster());

function startCluster(): Cluster {
  const dir = fs.mkdtempSync(path.join('/tmp', 'schemac-citus-'));
  fs.chmodSync(dir, 0o755);
  const r = spawnSync('bash', [path.join(SCRIPTS, 'citus-cluster.sh'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`citus-cluster.sh failed: ${r.stderr}`);
  const env = Object.fromEntries([...fs.readFileSync(path.join(dir, 'cluster.env'), 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  return {
    dir,
    url: env.DATABASE_URL,
    workers: [
      { port: Number(env.WORKER1_PORT), url: env.WORKER1_URL },
      { port: Number(env.WORKER2_PORT), url: env.WORKER2_URL },
    ],
  };
}

function stopCluster(): void {
  if (cluster === undefined) return;
  spawnSync('bash', [path.join(SCRIPTS, 'citus-stop.sh'), cluster.dir], { encoding: 'utf8' });
  fs.rmSync(cluster.dir, { recursive: true, force: true });
  cluster = undefined;
}

async function step(name: string, fn: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  await fn();
  const ms = Math.round(performance.now() - t0);
  timings.push([name, ms]);
  console.log(`  step: ${name} (${ms} ms)`);
}

async function cli(dir: string, ...args: string[]): Promise<{ exit: number; out: string; err: string }> {
  const io = captureIo();
  const exit = await run(['--cwd', dir, ...args], io);
  return { exit, out: io.out(), err: io.err() };
}

async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

function writeWorkspace(files: Readonly<Record<string, string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-citus-ws-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Every table of the cluster Citus manages: name → type, distribution column, colocation group. */
async function citusTables(url: string): Promise<Map<string, { type: string; column: string; colocation: number }>> {
  const rows = await query<{ table_name: string; citus_table_type: string; distribution_column: string; colocation_id: number }>(
    url, 'select table_name::text, citus_table_type, distribution_column, colocation_id from citus_tables',
  );
  return new Map(rows.map((r) => [r.table_name, { type: r.citus_table_type, column: r.distribution_column, colocation: r.colocation_id }]));
}

/** The tables (shards included) a worker holds in public. */
async function workerTables(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`set citus.show_shards_for_app_name_prefixes = '*'`);
    const { rows } = await c.query<{ n: string }>(`select c.relname::text as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind in ('r', 'p') order by 1`);
    return rows.map((r) => r.n);
  } finally {
    await c.end();
  }
}

/** Drops everything a step left in the cluster's database (the next step starts from an empty schema). */
async function resetDatabase(url: string): Promise<void> {
  const tables = await query<{ n: string }>(url, `select relname::text as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public' and relkind in ('r', 'p')`);
  for (const t of tables) await query(url, `drop table if exists "${t.n.replace(/"/g, '""')}" cascade`);
}

// ---------------------------------------------------------------------------
// The bundled workspace, made distributable as the distribution lint's hints say.
// ---------------------------------------------------------------------------

const CLIENT_ID = 'client_id';

/** Every models.yaml of the repository's workspace, relative to the repository. */
function bundledModelFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name === 'models.yaml') out.push(rel);
    }
  };
  walk('schemas');
  return out.sort();
}

/**
 * A models file's text with its tenant tables distributable: the key of each includes
 * client_id (`primary_key: [client_id, id]`, uniques per client), a reference to another
 * tenant table becomes a composite key through client_id (`foreign_keys:`, when the language
 * has it; else the reference is dropped, the column kept, as the hint's first option), and
 * no such key sets client_id (a refused ON DELETE SET NULL becomes NO ACTION).
 */
function distributable(text: string, tenantTables: ReadonlySet<string>): string {
  const doc = parseDocument(text);
  const tables = doc.get('tables');
  if (!isMap(tables)) return text;
  for (const pair of tables.items) {
    const name = String((pair.key as { value: unknown }).value);
    if (!tenantTables.has(name) || !isMap(pair.value)) continue;
    const table = pair.value;
    const columns = table.get('columns');
    if (!isMap(columns)) continue;
    for (const cp of columns.items) {
      const column = String((cp.key as { value: unknown }).value);
      const def = cp.value;
      if (!isMap(def) || column === CLIENT_ID) continue;
      if (def.get('primary_key') === true) {
        def.delete('primary_key');
        table.set('primary_key', flowSeq(doc, [CLIENT_ID, column]));
      }
      if (def.get('unique') === true) {
        def.delete('unique');
        const uniques = table.get('unique');
        const entry = flowSeq(doc, [CLIENT_ID, column]);
        if (uniques === undefined) table.set('unique', doc.createNode([entry]));
        else (uniques as { add(v: unknown): void }).add(entry);
        const lint = def.get('lint');
        if (isMap(lint)) def.delete('lint');
      }
      const ref = def.get('references');
      const target = isScalar(ref) ? String(ref.value).split('.') : isMap(ref) ? [String(ref.get('table')), String(ref.get('column'))] : undefined;
      if (target === undefined || !tenantTables.has(target[0])) continue;
      def.delete('references');
      if (/key|secret|token|password/.test(column)) {
        // the sensitive-plaintext rule trusts a column that references a table; this one now names a row by its id
        def.set('lint', doc.createNode({ allow: { 'sensitive-plaintext': `the id of a ${target[0]} row, not a secret` } }));
      }
      if (!hasForeignKeys) continue;
      const onDelete = isMap(ref) ? ref.get('on_delete') : undefined;
      const fk: Record<string, unknown> = { columns: [CLIENT_ID, column], references: { table: target[0], columns: [CLIENT_ID, target[1]] } };
      if (onDelete !== undefined && onDelete !== 'set null' && onDelete !== 'set default') fk.on_delete = onDelete;
      if (def.get('index') === true) {
        // the fk-needs-index rule wants an index led by the key's columns
        def.delete('index');
        const indexes = table.get('indexes');
        const entry = doc.createNode({ columns: [CLIENT_ID, column] });
        if (indexes === undefined) table.set('indexes', doc.createNode([entry]));
        else (indexes as { add(v: unknown): void }).add(entry);
      }
      const fks = table.get('foreign_keys');
      if (fks === undefined) table.set('foreign_keys', doc.createNode([fk]));
      else (fks as { add(v: unknown): void }).add(doc.createNode(fk));
    }
  }
  return doc.toString();
}

function flowSeq(doc: Document, items: string[]): unknown {
  const node = doc.createNode(items) as { flow?: boolean };
  node.flow = true;
  return node;
}

/** The tenant tables of the workspace's files (a table is a tenant table unless `tenant: global`). */
function tenantTablesOf(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const text of texts) {
    const tables = parseDocument(text).get('tables');
    if (!isMap(tables)) continue;
    for (const pair of (tables as YAMLMap).items) {
      if (isMap(pair.value) && pair.value.get('tenant') !== 'global') out.add(String((pair.key as { value: unknown }).value));
    }
  }
  return out;
}

function bundledWorkspace(): string {
  const files = bundledModelFiles();
  const texts = files.map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'));
  const tenant = tenantTablesOf(texts);
  const out: Record<string, string> = { 'schemac.config.yaml': 'distribution: { engine: citus }\nrls: true\n' };
  files.forEach((f, i) => (out[f] = distributable(texts[i], tenant)));
  return writeWorkspace(out);
}

// ---------------------------------------------------------------------------
// The suite.
// ---------------------------------------------------------------------------

if (!citusInstalled || !clusterScripts) {
  test('Citus suite', () => {
    console.log(citusInstalled
      ? `skipped: the cluster scripts are not in ${SCRIPTS} (citus-cluster.sh, citus-stop.sh)`
      : 'skipped: Citus is not installed — run ../shared/pg-extensions/build.sh');
  });
  test.run();
} else {
  suite();
}

function suite(): void {
  let ws = '';
  const app = `schemac_app`;
  const appUrl = () => cluster!.url.replace('postgres://postgres@', `postgres://${app}@`);

  test.after(() => {
    stopCluster();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
    console.log(`  timings: ${timings.map(([n, ms]) => `${n} ${ms} ms`).join('; ')}`);
  });

  test('a coordinator and two workers start', async () => {
    await step('start the cluster', async () => {
      cluster = startCluster();
      const workers = await query<{ n: number }>(cluster.url, 'select count(*)::int as n from citus_get_active_worker_nodes()');
      assert.is(workers[0].n, 2);
    });
  });

  test('the distribution fixture runs on Citus as generated: up, down to the base, up again; Citus refuses a key without client_id', async () => {
    const c = cluster!;
    const dir = writeWorkspace(CITUS_FIXTURE);
    try {
      await step('fixture: init, up', async () => {
        assert.is((await cli(dir, 'migration', 'init', '--all')).exit, 0);
        const up = await cli(dir, 'migrate', 'up', '--db', c.url);
        assert.is(up.exit, 0, up.out + up.err);
        const tables = await citusTables(c.url);
        assert.equal(tables.get('clients')?.type, 'reference');
        assert.equal(tables.get('currencies')?.type, 'reference');
        assert.equal(tables.get('acme_invoices')?.column, 'client_id');
        assert.is(tables.get('acme_invoices')?.colocation, tables.get('acme_customers')?.colocation);
      });
      await step('fixture: down to the base, up again', async () => {
        const down = await cli(dir, 'migrate', 'down', '--to', 'base', '--allow-destructive', '--db', c.url);
        assert.is(down.exit, 0, down.out + down.err);
        assert.is((await citusTables(c.url)).size, 0);
        const up = await cli(dir, 'migrate', 'up', '--db', c.url);
        assert.is(up.exit, 0, up.out + up.err);
        assert.is((await citusTables(c.url)).size, 4);
        assert.is((await cli(dir, 'migrate', 'down', '--to', 'base', '--allow-destructive', '--db', c.url)).exit, 0);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const bad = writeWorkspace({
      ...CITUS_FIXTURE,
      'schemac.config.yaml': `${CITUS_FIXTURE['schemac.config.yaml']}lint:\n  allow:\n    distribution: "shows what Citus does without the lint"\n`,
      'schemas/custom_tools/acme/billing/models.yaml': CITUS_FIXTURE['schemas/custom_tools/acme/billing/models.yaml']
        .replace('    primary_key: [client_id, id]\n', '')
        .replace('      id: { type: uuid, default: gen_random_uuid() }\n', '      id: { type: uuid, primary_key: true, default: gen_random_uuid() }\n'),
    });
    try {
      await step('fixture: a key without client_id', async () => {
        assert.is((await cli(bad, 'migration', 'init', '--all')).exit, 0);
        const up = await cli(bad, 'migrate', 'up', '--db', c.url);
        assert.is.not(up.exit, 0);
        assert.match(up.err, /partition column|distribution column/);
        const left = await query<{ t: string | null }>(c.url, `select to_regclass('acme_customers')::text as t`);
        assert.is(left[0].t, null, 'the failed file left nothing behind');
        assert.is((await cli(bad, 'migrate', 'down', '--to', 'base', '--allow-destructive', '--db', c.url)).exit, 0);
      });
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
      await resetDatabase(c.url);
    }
  });

  test('the bundled workspace with distribution on: lint clean, init, migrate up', async () => {
    const c = cluster!;
    await step('bundled: lint, init', async () => {
      ws = bundledWorkspace();
      const lint = await cli(ws, 'lint');
      assert.is(lint.exit, 0, lint.out + lint.err);
      assert.not.match(lint.out + lint.err, /distribution/);
      const init = await cli(ws, 'migration', 'init', '--all');
      assert.is(init.exit, 0, init.out + init.err);
    });
    await step('bundled: migrate up', async () => {
      const up = await cli(ws, 'migrate', 'up', '--db', c.url);
      assert.is(up.exit, 0, up.out + up.err);
    });
  });

  test('citus_tables: every tenant table distributed by client_id in one colocation group, every global table a reference table; shards on both workers', async () => {
    const c = cluster!;
    await step('bundled: citus_tables, shards', async () => {
      const tables = await citusTables(c.url);
      const texts = bundledModelFiles().map((f) => fs.readFileSync(path.join(ws, f), 'utf8'));
      const tenant = tenantTablesOf(texts);
      const all = new Set<string>();
      for (const text of texts) {
        const t = parseDocument(text).get('tables');
        if (isMap(t)) for (const p of t.items) all.add(String((p.key as { value: unknown }).value));
      }
      assert.ok(tenant.size >= 8 && all.size > tenant.size, `tenant ${tenant.size} of ${all.size}`);
      const groups = new Set<number>();
      for (const name of all) {
        const got = tables.get(name);
        assert.ok(got, `${name} is a Citus table`);
        if (tenant.has(name)) {
          assert.equal([got.type, got.column], ['distributed', 'client_id'], name);
          groups.add(got.colocation);
        } else {
          assert.is(got.type, 'reference', name);
        }
      }
      assert.is(groups.size, 1, 'one colocation group');
      assert.is(tables.size, all.size, 'nothing else is distributed');
      const ports = await query<{ port: number; n: number }>(c.url, `select nodeport as port, count(*)::int as n from citus_shards where citus_table_type = 'distributed' group by 1`);
      assert.equal(new Set(ports.map((p) => p.port)), new Set(c.workers.map((w) => w.port)), 'shards on both workers');
    });
  });

  test('withClient as a non-superuser role: isolated per client on each worker and across both; refused for another client; updated_at triggers', async () => {
    const c = cluster!;
    const db = createDb<Record<string, Record<string, unknown>>>({ pool: new pg.Pool({ connectionString: appUrl(), max: 2 }) });
    try {
      await step('withClient: one client per worker', async () => {
        await query(c.url, `create role ${app} login; grant usage on schema public to ${app};
          grant select, insert, update, delete on all tables in schema public to ${app};
          grant usage on all sequences in schema public to ${app};`);
        const super_ = await query<{ s: boolean }>(appUrl(), `select rolsuper as s from pg_roles where rolname = current_user`);
        assert.is(super_[0].s, false);
        // one client whose rows live on each worker
        const byWorker = new Map<number, string>();
        for (let i = 0; i < 200 && byWorker.size < 2; i++) {
          const id = randomUUID();
          const [row] = await query<{ port: number }>(c.url, `select nodeport as port from citus_shards where shardid = get_shard_id_for_distribution_column('acme_invoices', $1::uuid)`, [id]);
          if (!byWorker.has(row.port)) byWorker.set(row.port, id);
        }
        assert.is(byWorker.size, 2, 'a client on each worker');
        const clients = [...byWorker.entries()];
        for (const [, id] of clients) await query(c.url, `insert into clients (id, name, slug) values ($1, $2, $2)`, [id, `c${id.slice(0, 8)}`]);
        for (const [port, id] of clients) {
          await withClient(db, id, async (trx) => {
            await trx.insertInto('acme_invoices').values({ client_id: id, invoice_number: `n-${port}`, amount_cents: 100 }).execute();
          });
        }
        for (const [port, id] of clients) {
          const routed = await withClient(db, id, async (trx) => {
            const plan = await sql<{ 'QUERY PLAN': string }>`explain select invoice_number from acme_invoices where client_id = ${id}`.execute(trx);
            const rows = await trx.selectFrom('acme_invoices').select('invoice_number').where('client_id', '=', id).execute();
            const all = await trx.selectFrom('acme_invoices').select('invoice_number').execute();
            return { plan: plan.rows.map((r) => r['QUERY PLAN']).join('\n'), rows, all };
          });
          assert.match(routed.plan, new RegExp(`port=${port}\\b`), 'routed to the worker that holds the client');
          assert.match(routed.plan, /Task Count: 1\b/);
          assert.equal(routed.rows, [{ invoice_number: `n-${port}` }]);
          assert.equal(routed.all, [{ invoice_number: `n-${port}` }], 'a multi-shard query over both workers sees only the client\'s rows');
        }
        const outside = await db.selectFrom('acme_invoices').selectAll().execute();
        assert.equal(outside, [], 'outside withClient no row is visible');
        const [[, a], [, b]] = clients;
        try {
          await withClient(db, a, (trx) => trx.insertInto('acme_invoices').values({ client_id: b, invoice_number: 'sneaky', amount_cents: 1 }).execute());
          assert.unreachable('a row for another client was written');
        } catch (e) {
          assert.match((e as Error).message, /row-level security/);
        }
        const updated = await withClient(db, a, (trx) => trx.updateTable('acme_invoices').set({ amount_cents: 5 }).where('client_id', '=', b).execute());
        assert.is(Number(updated[0].numUpdatedRows), 0, 'another client\'s rows cannot be updated');
      });
      await step('updated_at triggers on a reference and a distributed table', async () => {
        const [id] = (await query<{ id: string }>(c.url, `select id from clients order by id limit 1`)).map((r) => r.id);
        await query(c.url, `update clients set name = 'renamed' where id = $1`, [id]);
        const ref = await query<{ moved: boolean }>(c.url, `select updated_at > created_at as moved from clients where id = $1`, [id]);
        assert.is(ref[0].moved, true, 'reference table');
        const moved = await withClient(db, id, async (trx) => {
          await trx.updateTable('acme_invoices').set({ amount_cents: 7 }).execute();
          return (await sql<{ moved: boolean }>`select bool_and(updated_at > created_at) as moved from acme_invoices`.execute(trx)).rows[0].moved;
        });
        assert.is(moved, true, 'distributed table');
      });
    } finally {
      await db.destroy();
    }
  });

  test('an evolution: a column, an index, a new distributed table (and a composite key when the language has it)', async () => {
    const c = cluster!;
    const file = path.join(ws, 'schemas/custom_tools/acme/invoice_generator/models.yaml');
    await step('evolution: column, index, new distributed table', async () => {
      const doc = parseDocument(fs.readFileSync(file, 'utf8'));
      const invoices = doc.getIn(['tables', 'acme_invoices']) as YAMLMap;
      (invoices.get('columns') as YAMLMap).set('reference', doc.createNode({ type: 'varchar(40)', nullable: true }));
      (invoices.get('indexes') as { add(v: unknown): void }).add(doc.createNode({ columns: [CLIENT_ID, 'reference'] }));
      const notes: Record<string, unknown> = {
        primary_key: [CLIENT_ID, 'id'],
        columns: {
          id: { type: 'uuid', default: 'gen_random_uuid()' },
          client_id: { type: 'uuid', references: { table: 'clients', column: 'id', on_delete: 'cascade' } },
          invoice_id: { type: 'uuid', index: true },
          body: 'text',
          created_at: { type: 'timestamptz', default: 'now()' },
          updated_at: { type: 'timestamptz', default: 'now()', on_update: 'now()' },
        },
        rls: true,
      };
      if (hasForeignKeys) {
        notes.foreign_keys = [{ columns: [CLIENT_ID, 'invoice_id'], references: { table: 'acme_invoices', columns: [CLIENT_ID, 'id'] }, on_delete: 'cascade' }];
        notes.indexes = [{ columns: [CLIENT_ID, 'invoice_id'] }];
        delete (notes.columns as Record<string, Record<string, unknown>>).invoice_id.index;
      }
      (doc.get('tables') as YAMLMap).set('acme_invoice_notes', doc.createNode(notes));
      fs.writeFileSync(file, doc.toString());
      const lint = await cli(ws, 'lint');
      assert.is(lint.exit, 0, lint.out + lint.err);
      const before = new Set(fs.readdirSync(path.join(ws, 'generated', 'migrations')));
      const m = await cli(ws, 'migration', 'evolve', '--org', 'acme');
      assert.is(m.exit, 0, m.out + m.err);
      const written = fs.readdirSync(path.join(ws, 'generated', 'migrations')).filter((n) => !before.has(n) && n.endsWith('.sql'));
      const texts = written.map((n) => fs.readFileSync(path.join(ws, 'generated', 'migrations', n), 'utf8'));
      const concurrent = texts.find((t) => t.includes('-- schemac:no-transaction'));
      assert.ok(concurrent?.includes('CREATE INDEX CONCURRENTLY'), 'the index on the existing table is built concurrently, in its own file');
      assert.not.match(concurrent ?? '', /SET LOCAL citus/, 'no SET LOCAL outside a transaction');
      assert.ok(texts.some((t) => t.includes("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'")), 'the transactional part runs in sequential mode');
      const up = await cli(ws, 'migrate', 'up', '--db', c.url);
      assert.is(up.exit, 0, up.out + up.err);
      const tables = await citusTables(c.url);
      assert.equal(tables.get('acme_invoice_notes')?.column, 'client_id');
      assert.is(tables.get('acme_invoice_notes')?.colocation, tables.get('acme_invoices')?.colocation, 'colocated with the other tenant tables');
      const shardColumns = await query<{ ok: boolean }>(c.url, `select bool_and(success and result = '1') as ok from run_command_on_shards('acme_invoices', $$select count(*) from information_schema.columns where table_name = '%s' and column_name = 'reference'$$)`);
      assert.is(shardColumns[0].ok, true, 'the new column is on every shard');
      const idx = await query<{ n: number }>(c.url, `select count(*)::int as n from pg_indexes where tablename = 'acme_invoices' and indexdef like '%(client_id, reference)%'`);
      assert.is(idx[0].n, 1);
    });
    if (!hasForeignKeys) {
      console.log(`  ${NO_FOREIGN_KEYS}`);
      return;
    }
    await step('evolution: composite foreign key through client_id', async () => {
      const fks = await query<{ def: string }>(c.url, `select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'acme_invoice_notes'::regclass and contype = 'f' and confrelid = 'acme_invoices'::regclass`);
      assert.equal(fks.map((f) => f.def), ['FOREIGN KEY (client_id, invoice_id) REFERENCES acme_invoices(client_id, id) ON DELETE CASCADE']);
      const [id] = (await query<{ id: string }>(c.url, `select client_id as id from acme_invoices limit 1`)).map((r) => r.id);
      const db = createDb<Record<string, Record<string, unknown>>>({ pool: new pg.Pool({ connectionString: appUrl(), max: 1 }) });
      try {
        await withClient(db, id, async (trx) => {
          const [inv] = await trx.selectFrom('acme_invoices').select('id').execute();
          await trx.insertInto('acme_invoice_notes').values({ client_id: id, invoice_id: inv.id, body: 'x' }).execute();
        });
        try {
          await withClient(db, id, (trx) => trx.insertInto('acme_invoice_notes').values({ client_id: id, invoice_id: randomUUID(), body: 'x' }).execute());
          assert.unreachable('a note for a missing invoice was written');
        } catch (e) {
          assert.match((e as Error).message, /foreign key/);
        }
      } finally {
        await db.destroy();
      }
    });
  });

  test('diff --db is clean; down to the base leaves nothing on the workers; up again', async () => {
    const c = cluster!;
    await step('diff --db', async () => {
      const diff = await cli(ws, 'diff', '--db', c.url);
      assert.is(diff.exit, 0, diff.out + diff.err);
      assert.match(diff.out, /No drift/);
    });
    await step('down to the base', async () => {
      const down = await cli(ws, 'migrate', 'down', '--to', 'base', '--allow-destructive', '--db', c.url);
      assert.is(down.exit, 0, down.out + down.err);
      assert.is((await citusTables(c.url)).size, 0);
      for (const w of c.workers) assert.equal(await workerTables(w.url), [], `nothing left on the worker on port ${w.port}`);
    });
    await step('up again', async () => {
      const up = await cli(ws, 'migrate', 'up', '--db', c.url);
      assert.is(up.exit, 0, up.out + up.err);
      const diff = await cli(ws, 'diff', '--db', c.url);
      assert.is(diff.exit, 0, diff.out + diff.err);
    });
  });

  test('uninstall: a tool\'s distributed tables move to the archive schema with their rows, still distributed', async () => {
    const c = cluster!;
    await step('uninstall acme/invoice_generator', async () => {
      const tenant = await query<{ id: string }>(c.url, `insert into clients (name, slug) values ('u', 'u') returning id`);
      await query(c.url, `insert into acme_invoices (client_id, invoice_number, amount_cents) values ($1, 'kept', 1)`, [tenant[0].id]);
      const u = await cli(ws, 'uninstall', 'acme/invoice_generator', '--remove-files');
      assert.is(u.exit, 0, u.out + u.err);
      const up = await cli(ws, 'migrate', 'up', '--db', c.url);
      assert.is(up.exit, 0, up.out + up.err);
      const archived = await query<{ t: string; type: string }>(c.url, `select table_name::text as t, citus_table_type as type from citus_tables where table_name::text like 'archive_acme.%' order by 1`);
      assert.ok(archived.some((a) => a.t === 'archive_acme.acme_invoices' && a.type === 'distributed'), JSON.stringify(archived));
      const rows = await query<{ n: number }>(c.url, `select count(*)::int as n from archive_acme.acme_invoices where invoice_number = 'kept'`);
      assert.is(rows[0].n, 1, 'the rows moved with the table');
      const diff = await cli(ws, 'diff', '--db', c.url);
      assert.is(diff.exit, 0, diff.out + diff.err);
    });
  });

  test.run();
}
