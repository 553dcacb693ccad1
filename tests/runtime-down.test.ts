/**
 * `migrate down` on real PostgreSQL and PGlite: one down reverts a whole logical migration
 * (a file the compiler split and its `_concurrent` part) and the database then matches the
 * previous snapshots; `--to` counts whole migrations; `--org` reverts one owner's last one,
 * core's only while no other owner's came after it; a down that would drop a table or a
 * column holding rows is refused before anything runs, naming each with its row count,
 * unless `--allow-destructive`.
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
import { dataDrops, describeDrop } from '../runtime/data-loss.ts';
import { openDriver, type Queryable, wrapPgClient } from '../runtime/driver.ts';
import { type MigrationFile, parseMigration } from '../runtime/files.ts';
import { compareSchema, introspect } from '../runtime/introspect.ts';
import { adminQuery, createTestDatabase, type TestDatabase, urlFor } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { BASIC, makeWorkspace, migrationText } from './helpers/migrations.ts';

async function cli(dir: string, args: string[], env: Record<string, string> = {}) {
  const io = captureIo(env);
  const code = await run(['--cwd', dir, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

async function query<R = any>(url: string, sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const ledger = async (url: string) => (await query<{ name: string }>(url, 'select name from schemac_migrations order by name')).map((r) => r.name);

let db: TestDatabase;
test.before.each(async () => {
  db = await createTestDatabase();
});
test.after.each(async () => {
  await db.drop();
});

// ---------------------------------------------------------------------------
// A pair the compiler writes, reverted by one down.
// ---------------------------------------------------------------------------

const CONFIG = `lint:\n  rules:\n    require-client-id: 'off'\n    require-timestamps: 'off'\n    fk-needs-index: 'off'\n`;
const ORDERS = `tables:
  orders:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      code: varchar(20)?
      total: integer?
`;
/** On the existing table: a column and a check (the transactional part), an index and the check's validation (the concurrent part). */
const ORDERS_PHASED = `tables:
  orders:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      code: { type: varchar(20), nullable: true, index: true }
      total: { type: integer, nullable: true, check: total >= 0 }
      note: text?
`;

function modelsWorkspace(): { dir: string; write(models: string): void; snapshots(): Snapshot[]; migrations(): string[]; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-down-'));
  fs.writeFileSync(path.join(dir, 'schemac.config.yaml'), CONFIG);
  fs.mkdirSync(path.join(dir, 'schemas', 'core'), { recursive: true });
  const gen = (sub: string) => path.join(dir, 'generated', sub);
  return {
    dir,
    write: (models) => fs.writeFileSync(path.join(dir, 'schemas', 'core', 'models.yaml'), models),
    snapshots: () => fs.readdirSync(gen('snapshots')).filter((n) => n.endsWith('.json')).map((n) => parseSnapshot(fs.readFileSync(path.join(gen('snapshots'), n), 'utf8'), n).snapshot!),
    migrations: () => fs.readdirSync(gen('migrations')).filter((n) => n.endsWith('.sql')).sort(),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function migration(dir: string, description: string, at: string): Promise<void> {
  const r = await cli(dir, ['migration', description], { SCHEMAC_NOW: at });
  assert.is(r.code, 0, r.err + r.out);
}

async function matches(q: Queryable, snapshots: readonly Snapshot[], when: string): Promise<void> {
  const problems = compareSchema(snapshots, await introspect(q));
  assert.equal(problems, [], `${when}:\n${problems.join('\n')}`);
}

async function onPg<T>(url: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(wrapPgClient(c));
  } finally {
    await c.end();
  }
}

test('pg: one down reverts a generated migration and its _concurrent part; the database then matches the previous snapshots, and up works again', async () => {
  const ws = modelsWorkspace();
  try {
    ws.write(ORDERS);
    await migration(ws.dir, 'init', '2026-01-01T00:00:00Z');
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    await query(db.url, "insert into orders (code, total) select 'o' || g, g from generate_series(1, 100) g");
    const before = ws.snapshots();
    ws.write(ORDERS_PHASED);
    await migration(ws.dir, 'index code', '2026-01-02T00:00:00Z');
    const [init, main, part] = ws.migrations();
    assert.equal([main, part], ['20260102_000000_core_index_code.sql', '20260102_000001_core_index_code_concurrent.sql']);
    const after = ws.snapshots();
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    await onPg(db.url, (q) => matches(q, after, 'after up'));

    const down = await cli(ws.dir, ['migrate', 'down', '--db', db.url]);
    assert.is(down.code, 0, down.err);
    assert.match(down.out, new RegExp(`reverted +${part}[^]*reverted +${main}[^]*2 reverted`));
    assert.equal(await ledger(db.url), [init]);
    await onPg(db.url, (q) => matches(q, before, 'after one down'));
    assert.equal(await query(db.url, 'select count(*)::int as n from orders'), [{ n: 100 }]);

    const again = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(again.code, 0, again.err);
    await onPg(db.url, (q) => matches(q, after, 'after up again'));
  } finally {
    ws.remove();
  }
});

// ---------------------------------------------------------------------------
// Hand-written pairs: --to, a main file applied without its part, --org.
// ---------------------------------------------------------------------------

const coreFile = (description: string, up: string, down: string, noTransaction = false) => migrationText('core', description, up, down, noTransaction);

/** Core: a table, then two phased migrations (a column, then its index built concurrently). */
const PAIRS: Record<string, string> = {
  '20260101_000000_core_init.sql': coreFile('init', 'CREATE TABLE "t" ("id" int PRIMARY KEY);', 'DROP TABLE "t";'),
  '20260102_000000_core_add_b.sql': coreFile('add b', 'ALTER TABLE "t" ADD COLUMN "b" int;', 'ALTER TABLE "t" DROP COLUMN "b";'),
  '20260102_000001_core_add_b_concurrent.sql': coreFile('add b (concurrent part)', 'CREATE INDEX CONCURRENTLY "t_b_idx" ON "t" ("b");', 'DROP INDEX CONCURRENTLY IF EXISTS "t_b_idx";', true),
  '20260103_000000_core_add_c.sql': coreFile('add c', 'ALTER TABLE "t" ADD COLUMN "c" int;', 'ALTER TABLE "t" DROP COLUMN "c";'),
  '20260103_000001_core_add_c_concurrent.sql': coreFile('add c (concurrent part)', 'CREATE INDEX CONCURRENTLY "t_c_idx" ON "t" ("c");', 'DROP INDEX CONCURRENTLY IF EXISTS "t_c_idx";', true),
};
const [INIT, ADD_B, ADD_B_PART, ADD_C, ADD_C_PART] = Object.keys(PAIRS);

const relExists = async (url: string, rel: string) => (await query(url, `select to_regclass('public.${rel}') is not null as e`))[0].e as boolean;

test('pg: --to counts whole logical migrations; a main file applied without its part is reverted alone; columns of nulls are not data', async () => {
  const ws = makeWorkspace(PAIRS);
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    await query(db.url, 'insert into t (id) select g from generate_series(1, 10) g');
    const to = await cli(ws.dir, ['migrate', 'down', '--to', ADD_B, '--db', db.url]);
    assert.is(to.code, 0, to.err);
    assert.match(to.out, new RegExp(`reverted +${ADD_C_PART}[^]*reverted +${ADD_C}[^]*2 reverted`));
    assert.equal(await ledger(db.url), [INIT, ADD_B, ADD_B_PART], "the named migration's part stays");
    assert.ok(await relExists(db.url, 't_b_idx'));
    assert.not.ok(await relExists(db.url, 't_c_idx'));

    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    const toPart = await cli(ws.dir, ['migrate', 'down', '--to', ADD_B_PART.replace('.sql', ''), '--db', db.url]);
    assert.is(toPart.code, 0, toPart.err);
    assert.equal(await ledger(db.url), [INIT, ADD_B, ADD_B_PART]);

    assert.is((await cli(ws.dir, ['migrate', 'up', '--to', ADD_C, '--db', db.url])).code, 0);
    assert.equal(await ledger(db.url), [INIT, ADD_B, ADD_B_PART, ADD_C]);
    const half = await cli(ws.dir, ['migrate', 'down', '--db', db.url]);
    assert.is(half.code, 0, half.err);
    assert.match(half.out, new RegExp(`reverted +${ADD_C} [^]*1 reverted`));
    assert.equal(await ledger(db.url), [INIT, ADD_B, ADD_B_PART]);
    const pair = await cli(ws.dir, ['migrate', 'down', '--db', db.url]);
    assert.match(pair.out, new RegExp(`reverted +${ADD_B_PART}[^]*reverted +${ADD_B} [^]*2 reverted`));
    assert.equal(await ledger(db.url), [INIT]);
    assert.equal(await query(db.url, 'select count(*)::int as n from t'), [{ n: 10 }]);
  } finally {
    ws.remove();
  }
});

const ORGS: Record<string, string> = {
  ...BASIC,
  '20260104_000000_custom_acme_add_note.sql': migrationText('acme', 'add note', 'ALTER TABLE "acme_invoice_data" ADD COLUMN "note" text;', 'ALTER TABLE "acme_invoice_data" DROP COLUMN "note";'),
  '20260104_000001_custom_acme_add_note_concurrent.sql': migrationText('acme', 'add note (concurrent part)',
    'CREATE INDEX CONCURRENTLY "acme_invoice_data_note_idx" ON "acme_invoice_data" ("note");', 'DROP INDEX CONCURRENTLY IF EXISTS "acme_invoice_data_note_idx";', true),
  '20260105_000000_custom_beta_items.sql': migrationText('beta', 'items',
    'CREATE TABLE "beta_items" ("id" int PRIMARY KEY, "client_id" uuid NOT NULL REFERENCES "clients" ("id"));', 'DROP TABLE "beta_items";'),
};

test('pg: --org reverts that owner\'s last logical migration; core\'s is refused while orgs applied after it; an unknown owner or --org on up is a usage error', async () => {
  const ws = makeWorkspace(ORGS);
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    const all = await ledger(db.url);
    const acme = await cli(ws.dir, ['migrate', 'down', '--org', 'acme', '--db', db.url]);
    assert.is(acme.code, 0, acme.err);
    assert.match(acme.out, /reverted +20260104_000001_custom_acme_add_note_concurrent\.sql[^]*reverted +20260104_000000_custom_acme_add_note\.sql[^]*2 reverted/);
    assert.equal(await ledger(db.url), all.filter((n) => !n.startsWith('20260104_')), "beta's later migration stays");
    assert.ok(await relExists(db.url, 'beta_items'));

    const core = await cli(ws.dir, ['migrate', 'down', '--org', 'core', '--db', db.url]);
    assert.is(core.code, 1);
    assert.match(core.err, /--org core would revert 20260101_000000_core_init\.sql, but other owners' migrations were applied after it and may depend on it: acme \(20260102_000000_custom_acme_add_invoice_tables\.sql, 20260103_000000_custom_acme_index_status\.sql\); beta \(20260105_000000_custom_beta_items\.sql\); nothing was changed/);
    assert.equal((await ledger(db.url)).length, all.length - 2);

    fs.writeFileSync(path.join(ws.migrations, '20260106_000000_core_tags.sql'), coreFile('tags', 'CREATE TABLE "tags" ("id" int);', 'DROP TABLE "tags";'));
    assert.is((await cli(ws.dir, ['migrate', 'up', '--to', '20260106_000000_core_tags', '--db', db.url])).code, 0);
    const latest = await cli(ws.dir, ['migrate', 'down', '--org', 'core', '--format', 'json', '--db', db.url]);
    assert.is(latest.code, 0, latest.err);
    assert.equal(JSON.parse(latest.out).results.map((r: { name: string }) => r.name), ['20260106_000000_core_tags.sql']);

    const unknown = await cli(ws.dir, ['migrate', 'down', '--org', 'acm', '--db', db.url]);
    assert.is(unknown.code, 2);
    assert.match(unknown.err, /--org acm: no such owner \(did you mean 'acme'\?\) \(the owners: core, acme, beta\)/);
    for (const args of [['up', '--org', 'acme'], ['status', '--allow-destructive'], ['up', '--allow-destructive']]) {
      const r = await cli(ws.dir, ['migrate', ...args, '--db', db.url]);
      assert.is(r.code, 2, args.join(' '));
      assert.match(r.err, new RegExp(`migrate ${args[0]}: --${args[1].slice(2)} applies to down only`));
    }
  } finally {
    ws.remove();
  }
});

// ---------------------------------------------------------------------------
// Destructive downs.
// ---------------------------------------------------------------------------

const CLIENT = '11111111-1111-1111-1111-111111111111';

test('pg: a down that would drop tables holding rows is refused, naming each table and its rows, changing nothing; --allow-destructive or empty tables let it run', async () => {
  const ws = makeWorkspace();
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    await query(db.url, `insert into clients (id, name) values ('${CLIENT}', 'a'), (gen_random_uuid(), 'b');
      insert into notes (client_id, body) values ('${CLIENT}', 'x'), ('${CLIENT}', 'y'), ('${CLIENT}', 'z');
      insert into acme_invoice_data (client_id, amount) values ('${CLIENT}', 1)`);
    const all = await ledger(db.url);
    const refused = await cli(ws.dir, ['migrate', 'down', '--to', 'base', '--db', db.url]);
    assert.is(refused.code, 1);
    assert.match(refused.err, /reverting would drop data that is still in the database; nothing was changed:/);
    assert.match(refused.err, /table "acme_invoice_data" holds 1 row \(20260102_000000_custom_acme_add_invoice_tables\.sql:14: DROP TABLE "acme_invoice_data"\)/);
    assert.match(refused.err, /table "notes" holds 3 rows \(20260101_000000_core_init\.sql:\d+: DROP TABLE "notes"\)/);
    assert.match(refused.err, /table "clients" holds 2 rows \(20260101_000000_core_init\.sql:\d+: DROP TABLE "clients"\)/);
    assert.match(refused.err, /--allow-destructive/);
    assert.equal(await ledger(db.url), all, 'nothing was reverted');
    assert.ok(await relExists(db.url, 'acme_invoice_data_status_idx'), 'not even the first file (which drops no data)');

    const json = await cli(ws.dir, ['migrate', 'down', '--to', 'base', '--format', 'json', '--db', db.url]);
    assert.is(json.code, 1);
    const out = JSON.parse(json.out);
    assert.equal(out.results, []);
    assert.is(out.error.kind, 'destructive');
    assert.equal(out.error.drops.map((d: { table: string; rows: number }) => [d.table, d.rows]), [['acme_invoice_data', 1], ['notes', 3], ['clients', 2]]);
    assert.equal(out.error.drops[1], { file: '20260101_000000_core_init.sql', line: out.error.drops[1].line, statement: 'DROP TABLE "notes"', schema: 'public', table: 'notes', rows: 3 });

    const one = await cli(ws.dir, ['migrate', 'down', '--db', db.url]);
    assert.is(one.code, 0, 'the last file drops an index only');
    await query(db.url, 'delete from acme_invoice_data');
    assert.is((await cli(ws.dir, ['migrate', 'down', '--db', db.url])).code, 0, 'an empty table may be dropped');
    const forced = await cli(ws.dir, ['migrate', 'down', '--allow-destructive', '--db', db.url]);
    assert.is(forced.code, 0, forced.err);
    assert.equal(await ledger(db.url), []);
    assert.not.ok(await relExists(db.url, 'clients'));
  } finally {
    ws.remove();
  }
});

test('pg: a down that would drop a column holding values is refused; once the column holds only nulls it runs', async () => {
  const ws = makeWorkspace(PAIRS);
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    await query(db.url, 'insert into t (id, c) select g, case when g <= 3 then g end from generate_series(1, 10) g');
    const refused = await cli(ws.dir, ['migrate', 'down', '--db', db.url]);
    assert.is(refused.code, 1);
    assert.match(refused.err, /column "t"\."c" holds a value in 3 rows \(20260103_000000_core_add_c\.sql:\d+: ALTER TABLE "t" DROP COLUMN "c"\)/);
    assert.equal((await ledger(db.url)).length, 5);
    assert.ok(await relExists(db.url, 't_c_idx'), 'the concurrent part was not reverted either');
    await query(db.url, 'update t set c = null');
    const ok = await cli(ws.dir, ['migrate', 'down', '--db', db.url]);
    assert.is(ok.code, 0, ok.err);
    assert.equal((await ledger(db.url)).length, 3);
  } finally {
    ws.remove();
  }
});

// ---------------------------------------------------------------------------
// What counts as a drop: renames followed, DO blocks, TRUNCATE, CASCADE — on both backends.
// ---------------------------------------------------------------------------

function files(texts: Record<string, [up: string, down: string]>): MigrationFile[] {
  return Object.entries(texts).map(([name, [up, down]]) => {
    const parsed = parseMigration(name, coreFile(name, up, down));
    assert.ok(parsed.file, parsed.error);
    return parsed.file!;
  });
}

/** Each case: the schema and rows set up, the files reverted (in that order), and the drops expected (described). */
const DROP_CASES: { name: string; setup: string; files: Record<string, [string, string]>; expect: string[] }[] = [
  {
    name: 'a table renamed back by a later file, then dropped, is the renamed table',
    setup: 'CREATE TABLE "b" (id int); INSERT INTO "b" VALUES (1), (2);',
    files: { '20260102_000000_core_rename.sql': ['', 'ALTER TABLE "b" RENAME TO "a";'], '20260101_000000_core_create.sql': ['', 'DROP TABLE "a";'] },
    expect: ['table "b" holds 2 rows (20260101_000000_core_create.sql:5: DROP TABLE "a")'],
  },
  {
    name: 'a column renamed, then dropped; a table moved back from another schema, then dropped',
    setup: 'CREATE SCHEMA archive_x; CREATE TABLE archive_x.m (id int, v text); INSERT INTO archive_x.m VALUES (1, \'a\'); CREATE TABLE "k" (id int, w text); INSERT INTO "k" VALUES (1, \'x\');',
    files: {
      '20260103_000000_core_b.sql': ['', 'ALTER TABLE "k" RENAME COLUMN "w" TO "v";\nALTER TABLE "archive_x"."m" SET SCHEMA public;'],
      '20260102_000000_core_a.sql': ['', 'ALTER TABLE "k" DROP COLUMN "v";\nDROP TABLE "m";'],
    },
    expect: [
      'column "k"."w" holds a value in 1 row (20260102_000000_core_a.sql:5: ALTER TABLE "k" DROP COLUMN "v")',
      'table "archive_x"."m" holds 1 row (20260102_000000_core_a.sql:6: DROP TABLE "m")',
    ],
  },
  {
    name: 'a table or column the down itself creates is not data; a column of nulls neither',
    setup: 'CREATE TABLE "p" (id int, n int); INSERT INTO "p" VALUES (1, NULL);',
    files: { '20260101_000000_core_x.sql': ['', 'CREATE TABLE "q" (id int);\nINSERT INTO "q" VALUES (1);\nDROP TABLE "q";\nALTER TABLE "p" ADD COLUMN "z" int DEFAULT 1;\nALTER TABLE "p" DROP COLUMN "z", DROP COLUMN "n";'] },
    expect: [],
  },
  {
    name: 'DROP inside a DO block, TRUNCATE … CASCADE (with the tables referencing it), DROP SCHEMA … CASCADE',
    setup: `CREATE TABLE "d" (id int); INSERT INTO "d" VALUES (1);
      CREATE TABLE "parent" (id int PRIMARY KEY); INSERT INTO "parent" VALUES (1);
      CREATE TABLE "child" (id int, parent_id int REFERENCES "parent"); INSERT INTO "child" VALUES (1, 1), (2, 1);
      CREATE SCHEMA "s"; CREATE TABLE "s"."e" (id int); INSERT INTO "s"."e" VALUES (1), (2), (3); CREATE TABLE "s"."empty" (id int);`,
    files: { '20260101_000000_core_x.sql': ['', 'DO $$ BEGIN IF true THEN DROP TABLE "d"; END IF; END $$;\nTRUNCATE "parent" CASCADE;\nDROP SCHEMA "s" CASCADE;'] },
    expect: [
      'table "d" holds 1 row (20260101_000000_core_x.sql:5: DO $$ BEGIN IF true THEN DROP TABLE "d"; END IF; END $$)',
      'table "parent" holds 1 row (20260101_000000_core_x.sql:6: TRUNCATE "parent" CASCADE)',
      'table "child" holds 2 rows (20260101_000000_core_x.sql:6: TRUNCATE "parent" CASCADE)',
      'table "s"."e" holds 3 rows (20260101_000000_core_x.sql:7: DROP SCHEMA "s" CASCADE)',
    ],
  },
  {
    name: 'DROP TYPE … CASCADE drops the columns of the type, its arrays and its domains; without CASCADE nothing',
    setup: `CREATE TYPE "mood" AS ENUM ('ok', 'sad'); CREATE DOMAIN "mood_d" AS "mood";
      CREATE TABLE "u" (id int, m "mood", ms "mood"[], md "mood_d", other "mood"); INSERT INTO "u" VALUES (1, 'ok', '{sad}', 'ok', NULL);`,
    files: { '20260102_000000_core_y.sql': ['', 'DROP TYPE "mood";'], '20260101_000000_core_x.sql': ['', 'DROP TYPE "mood" CASCADE;'] },
    expect: [
      'column "u"."m" holds a value in 1 row (20260101_000000_core_x.sql:5: DROP TYPE "mood" CASCADE)',
      'column "u"."ms" holds a value in 1 row (20260101_000000_core_x.sql:5: DROP TYPE "mood" CASCADE)',
      'column "u"."md" holds a value in 1 row (20260101_000000_core_x.sql:5: DROP TYPE "mood" CASCADE)',
    ],
  },
];

/** Sets up every case on one fresh database (their objects' names differ) and checks the drops found. */
async function dropCases(q: Queryable, label: string): Promise<void> {
  for (const c of DROP_CASES) {
    await q.exec(c.setup);
    const drops = await dataDrops(q, files(c.files));
    assert.equal(drops.map(describeDrop).sort(), [...c.expect].sort(), `${label}: ${c.name}`);
  }
}

test('pg: the drops found follow renames and moves, see into DO blocks, TRUNCATE and CASCADE, and skip what the down creates', async () => {
  await onPg(db.url, (q) => dropCases(q, 'pg'));
});

test('PGlite: the same drops are found', async () => {
  const driver = await openDriver({ kind: 'pglite' });
  try {
    await dropCases(await driver.connect(), 'PGlite');
  } finally {
    await driver.close();
  }
});

test('pg: a migrating role that owns a table with forced row-level security still sees every row; a role that cannot read the table is refused', async () => {
  const owner = `down_owner_${Date.now().toString(36)}`;
  const stranger = `down_stranger_${Date.now().toString(36)}`;
  await adminQuery(`create role ${owner} login`);
  await adminQuery(`create role ${stranger} login`);
  try {
    await query(db.url, `CREATE TABLE "tenant_rows" (id int, client_id uuid);
      INSERT INTO "tenant_rows" VALUES (1, '${CLIENT}'), (2, gen_random_uuid());
      ALTER TABLE "tenant_rows" ENABLE ROW LEVEL SECURITY; ALTER TABLE "tenant_rows" FORCE ROW LEVEL SECURITY;
      CREATE POLICY "tenant_rows_tenant_isolation" ON "tenant_rows" USING (client_id = nullif(current_setting('app.client_id', true), '')::uuid);
      ALTER TABLE "tenant_rows" OWNER TO ${owner}`);
    const drop = files({ '20260101_000000_core_t.sql': ['', 'DROP TABLE "tenant_rows";'] });
    const as = (role: string) => onPg(urlFor(db.url, db.name, role), (q) => dataDrops(q, drop));
    assert.equal((await as(owner)).map(describeDrop), ['table "tenant_rows" holds 2 rows (20260101_000000_core_t.sql:5: DROP TABLE "tenant_rows")']);
    const [unread] = await as(stranger);
    assert.is(unread.rows, null);
    assert.match(describeDrop(unread), /^table "tenant_rows" may hold rows: they cannot be counted \(query would be affected by row-level security policy for table "tenant_rows"\) \(20260101_000000_core_t\.sql:5: DROP TABLE "tenant_rows"\)$/);
    assert.equal(await query(db.url, 'select relforcerowsecurity as f from pg_class where relname = \'tenant_rows\''), [{ f: true }], 'the count changed nothing');
  } finally {
    await db.drop();
    await adminQuery(`drop role if exists ${owner}`);
    await adminQuery(`drop role if exists ${stranger}`);
  }
});

test('pg: rows are counted up to 1,000,001 and said as "more than 1,000,000"', async () => {
  await query(db.url, 'CREATE TABLE big (id int); INSERT INTO big SELECT g FROM generate_series(1, 1000005) g');
  const drops = await onPg(db.url, (q) => dataDrops(q, files({ '20260101_000000_core_big.sql': ['', 'DROP TABLE big;'] })));
  assert.is(drops[0].rows, 1_000_001);
  assert.match(describeDrop(drops[0]), /^table "big" holds more than 1,000,000 rows/);
});

// ---------------------------------------------------------------------------
// PGlite, through the CLI.
// ---------------------------------------------------------------------------

test('PGlite: one down reverts a pair; a down that would drop rows is refused until --allow-destructive', async () => {
  const seeded = coreFile('init', 'CREATE TABLE "t" ("id" int PRIMARY KEY);\nINSERT INTO "t" VALUES (1), (2);', 'DROP TABLE "t";');
  const ws = makeWorkspace({ ...PAIRS, [INIT]: seeded });
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up'])).code, 0);
    const down = await cli(ws.dir, ['migrate', 'down']);
    assert.is(down.code, 0, down.err);
    assert.match(down.out, new RegExp(`reverted +${ADD_C_PART}[^]*reverted +${ADD_C} [^]*2 reverted`));
    const refused = await cli(ws.dir, ['migrate', 'down', '--to', 'base']);
    assert.is(refused.code, 1);
    assert.match(refused.err, /reverting would drop data that is still in the database; nothing was changed:\n {2}table "t" holds 2 rows \(20260101_000000_core_init\.sql:6: DROP TABLE "t"\)\n/);
    const forced = await cli(ws.dir, ['migrate', 'down', '--to', 'base', '--allow-destructive', '--format', 'json']);
    assert.is(forced.code, 0, forced.err);
    assert.equal(JSON.parse(forced.out).results.map((r: { name: string }) => r.name), [ADD_B_PART, ADD_B, INIT], 'the refused down changed nothing');
  } finally {
    ws.remove();
  }
});

test.run();
