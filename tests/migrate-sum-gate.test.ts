/**
 * `schemac.sum` is a gate at apply time, on real PostgreSQL: a migration edited after the sum
 * (or added without it) refuses its owner before anything runs. A core file's refuses the
 * run (exit 1, nothing applied); an org's refuses that org's chain only, and every other
 * owner still applies; a damaged sum refuses the run; a matching sum applies; no sum at all
 * applies with a warning. The same for `migrate down` and the runtime's `migrateToLatest`.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { renderSum } from '../compiler/engine/index.ts';
import { migrateToLatest } from '../runtime/index.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { BASIC, makeWorkspace, migrationText } from './helpers/migrations.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const CORE_FILE = '20260101_000000_core_init.sql';
const ACME_FILE = '20260102_000000_custom_acme_add_invoice_tables.sql';
const ACME_INDEX = '20260103_000000_custom_acme_index_status.sql';
const GLOBEX_FILE = '20260104_000000_custom_globex_things.sql';
const FILES: Readonly<Record<string, string>> = {
  ...BASIC,
  [GLOBEX_FILE]: migrationText('globex', 'things', 'CREATE TABLE "globex_things" (id int);', 'DROP TABLE "globex_things";'),
};

async function schemac(cwd: string, args: string[]) {
  const io = captureIo({ SCHEMAC_NOW: '2026-03-04T05:06:07Z' });
  const code = await run(args, io, cwd);
  return { code, out: io.out(), err: io.err() };
}

/** A workspace with FILES and the sum `schemac sum` would write for them. */
function summed(): ReturnType<typeof makeWorkspace> {
  const ws = makeWorkspace(FILES);
  writeSum(ws.migrations);
  return ws;
}

function writeSum(dir: string): void {
  const files = fs.readdirSync(dir).filter((n) => n.endsWith('.sql')).map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
  fs.writeFileSync(path.join(dir, 'schemac.sum'), renderSum(files));
}

/** A hand edit: one more statement in the file's up section. */
function edit(dir: string, name: string, sql: string): void {
  const file = path.join(dir, name);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('-- migrate:down', `${sql}\n-- migrate:down`));
}

async function query<R>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as R[];
  } finally {
    await client.end();
  }
}

const tables = async (url: string) => (await query<{ t: string }>(url, "select tablename as t from pg_tables where schemaname = 'public' order by 1")).map((r) => r.t);
const ledger = async (url: string) =>
  (await query<{ name: string }>(url, "select name from schemac_migrations order by name").catch(() => [])).map((r) => r.name);

test('a core file edited after the sum: exit 1, the file named, nothing applied', async () => {
  const ws = summed();
  const db = await createTestDatabase();
  try {
    edit(ws.migrations, CORE_FILE, 'CREATE TABLE "sneaky" (id int);');
    const r = await schemac(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(r.code, 1, r.err);
    assert.match(r.err, `generated/migrations/${CORE_FILE} was edited after generated/migrations/schemac.sum was written; review it, then run \`schemac sum\``);
    assert.match(r.err, /nothing was run; the migrations must match schemac\.sum/);
    assert.equal(await tables(db.url), []);
    const down = await schemac(ws.dir, ['migrate', 'down', '--db', db.url]);
    assert.is(down.code, 1, down.err);
    assert.match(down.err, CORE_FILE);
  } finally {
    ws.remove();
    await db.drop();
  }
});

test("an org's file edited after the sum refuses that org only: core and the other orgs apply", async () => {
  const ws = summed();
  const db = await createTestDatabase();
  try {
    edit(ws.migrations, ACME_INDEX, 'DROP TABLE "acme_invoice_data";');
    const r = await schemac(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(r.code, 1, r.err);
    assert.match(r.err, `generated/migrations/${ACME_INDEX} was edited after generated/migrations/schemac.sum was written; review it, then run \`schemac sum\` (org acme's migrations will not run)`);
    assert.match(r.out, /^ {2}acme +0 applied, refused/m);
    assert.match(r.out, /^ {2}globex +1 applied$/m);
    assert.match(r.err, /1 of 3 owner\(s\) did not finish \(acme\)/);
    assert.equal(await ledger(db.url), [CORE_FILE, GLOBEX_FILE]);
    assert.equal(await tables(db.url), ['clients', 'globex_things', 'notes', 'schemac_lock', 'schemac_migrations']);
  } finally {
    ws.remove();
    await db.drop();
  }
});

test('a file added without the sum is refused like an edited one; `schemac sum` lets both run', async () => {
  const ws = summed();
  const db = await createTestDatabase();
  try {
    const added = '20260105_000000_core_added.sql';
    fs.writeFileSync(path.join(ws.migrations, added), migrationText('core', 'added', 'CREATE TABLE "added" (id int);', 'DROP TABLE "added";'));
    const r = await schemac(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(r.code, 1, r.err);
    assert.match(r.err, `generated/migrations/${added} is not in generated/migrations/schemac.sum`);
    assert.equal(await tables(db.url), []);
    writeSum(ws.migrations);
    const ok = await schemac(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(ok.code, 0, ok.err);
    assert.not.match(ok.err, /schemac\.sum/);
    assert.equal(await ledger(db.url), [...Object.keys(FILES), added].sort());
  } finally {
    ws.remove();
    await db.drop();
  }
});

test('a damaged sum refuses the run; a sum line for a deleted file warns; no sum applies with a warning', async () => {
  const ws = summed();
  const db = await createTestDatabase();
  try {
    const sum = path.join(ws.migrations, 'schemac.sum');
    const good = fs.readFileSync(sum, 'utf8');
    fs.writeFileSync(sum, good.replace(/(core_init\.sql h1:)\S+/, '$1AAAA'));
    const damaged = await schemac(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(damaged.code, 1, damaged.err);
    assert.match(damaged.err, /generated\/migrations\/schemac\.sum is damaged \(edited by hand\?\)/);
    assert.equal(await tables(db.url), []);
    fs.writeFileSync(sum, good);
    fs.rmSync(path.join(ws.migrations, GLOBEX_FILE));
    const deleted = await schemac(ws.dir, ['migrate', 'up', '--db', db.url, '--to', ACME_FILE]);
    assert.is(deleted.code, 0, deleted.err);
    assert.match(deleted.err, `warning: generated/migrations/schemac.sum lists ${GLOBEX_FILE}, which does not exist`);
    fs.rmSync(sum);
    const none = await schemac(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(none.code, 0, none.err);
    assert.match(none.err, /warning: generated\/migrations\/schemac\.sum is missing: the migrations were not checked against it/);
    assert.equal(await ledger(db.url), [CORE_FILE, ACME_FILE, ACME_INDEX]);
  } finally {
    ws.remove();
    await db.drop();
  }
});

test('the workflow: migration writes the sum, a hand edit is refused until `schemac sum`, then it applies', async () => {
  const ws = makeWorkspace({});
  const db = await createTestDatabase();
  try {
    fs.mkdirSync(path.join(ws.dir, 'schemas', 'core'), { recursive: true });
    fs.writeFileSync(path.join(ws.dir, 'schemas', 'core', 'models.yaml'), CORE_CLIENTS);
    assert.is((await schemac(ws.dir, ['migration', 'init'])).code, 0);
    const [name] = fs.readdirSync(ws.migrations).filter((n) => n.endsWith('.sql'));
    edit(ws.migrations, name, `INSERT INTO "clients" ("name") VALUES ('seed');`);
    const refused = await schemac(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(refused.code, 1, refused.err);
    assert.match(refused.err, `generated/migrations/${name} was edited after`);
    assert.equal(await tables(db.url), []);
    assert.is((await schemac(ws.dir, ['sum'])).code, 0);
    const ok = await schemac(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(ok.code, 0, ok.err);
    assert.equal(await query(db.url, 'select name from clients'), [{ name: 'seed' }]);
  } finally {
    ws.remove();
    await db.drop();
  }
});

test("migrateToLatest: an org's edited file refuses that org, a core file's the run; no sum warns through onWarning", async () => {
  const ws = summed();
  const db = await createTestDatabase();
  try {
    edit(ws.migrations, ACME_FILE, 'SELECT 1;');
    const run1 = await migrateToLatest({ url: db.url, migrationsDir: ws.migrations });
    assert.equal(run1.owners.map((o) => [o.owner, o.status]), [['core', 'done'], ['acme', 'refused'], ['globex', 'done']]);
    assert.match(run1.owners[1].error!.message, `${ACME_FILE} was edited after ${ws.migrations}/schemac.sum was written`);
    const applied = fs.readFileSync(path.join(ws.migrations, CORE_FILE));
    edit(ws.migrations, CORE_FILE, 'SELECT 1;');
    const run2 = await migrateToLatest({ url: db.url, migrationsDir: ws.migrations });
    assert.is(run2.error?.kind, 'refused');
    assert.match(run2.error!.message, `${CORE_FILE} was edited after`);
    assert.equal(run2.results, []);
    fs.writeFileSync(path.join(ws.migrations, CORE_FILE), applied);
    fs.rmSync(path.join(ws.migrations, 'schemac.sum'));
    const warnings: string[] = [];
    const run3 = await migrateToLatest({ url: db.url, migrationsDir: ws.migrations, onWarning: (w) => warnings.push(w) });
    assert.is(run3.error, undefined, run3.error?.message);
    assert.is(warnings.length, 1);
    assert.match(warnings[0], 'schemac.sum is missing');
    assert.equal(run3.results.map((r) => [r.name, r.status]), [[ACME_FILE, 'applied'], [ACME_INDEX, 'applied']]);
  } finally {
    ws.remove();
    await db.drop();
  }
});

test.run();
