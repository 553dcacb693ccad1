import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { BASIC, makeWorkspace, migrationText } from './helpers/migrations.ts';
import pg from 'pg';

async function cli(dir: string, args: string[]) {
  const io = captureIo();
  const code = await run(['--cwd', dir, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

async function query(url: string, sql: string): Promise<any[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const ledger = async (url: string) => (await query(url, 'select name from schemac_migrations order by name')).map((r) => r.name);
const exists = async (url: string, rel: string) => (await query(url, `select to_regclass('public.${rel}') is not null as e`))[0].e;

function pgDump(url: string): string {
  const candidates = ['/usr/lib/postgresql/15/bin/pg_dump', 'pg_dump'];
  const bin = candidates.find((c) => !c.includes('/') || fs.existsSync(c))!;
  return execFileSync(bin, ['--schema-only', '--no-owner', '--no-privileges', url], { encoding: 'utf8' })
    .split('\n').filter((l) => !l.startsWith('--') && !/^\\(un)?restrict /.test(l)).join('\n');
}

let db: TestDatabase;
test.before.each(async () => {
  db = await createTestDatabase();
});
test.after.each(async () => {
  await db.drop();
});

test('up applies every file once, in order, and a second up has nothing to do', async () => {
  const ws = makeWorkspace();
  try {
    const first = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(first.code, 0, first.err);
    assert.match(first.out, /applied +20260101_000000_core_init\.sql[^]*applied +20260102_[^]*applied +20260103_[^]*3 applied/);
    assert.equal(await ledger(db.url), Object.keys(BASIC));
    assert.ok(await exists(db.url, 'acme_invoice_data_status_idx'));
    const [row] = await query(db.url, "select owner, checksum, execution_ms >= 0 as ms from schemac_migrations where name like '%core_init%'");
    assert.equal(row, { owner: 'core', checksum: row.checksum, ms: true });
    assert.match(row.checksum, /^[0-9a-f]{64}$/);
    const again = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(again.code, 0);
    assert.match(again.out, /nothing to apply/);
    const status = await cli(ws.dir, ['migrate', 'status', '--db', db.url]);
    assert.match(status.out, /3 applied, 0 pending/);
    const history = await cli(ws.dir, ['migrate', 'history', '--db', db.url]);
    assert.is(history.out.trim().split('\n').length, 3);
  } finally {
    ws.remove();
  }
});

test('up → down → up leaves an identical schema (pg_dump --schema-only)', async () => {
  const ws = makeWorkspace();
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    const before = pgDump(db.url);
    const down = await cli(ws.dir, ['migrate', 'down', '--to', 'base', '--db', db.url]);
    assert.is(down.code, 0, down.err);
    assert.match(down.out, /reverted +20260103_[^]*reverted +20260102_[^]*reverted +20260101_[^]*3 reverted/);
    assert.equal(await ledger(db.url), []);
    assert.not.ok(await exists(db.url, 'clients'));
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    assert.fixture(pgDump(db.url), before);
  } finally {
    ws.remove();
  }
});

test('down reverts one file by default; --to NAME keeps NAME; --to on up stops after NAME', async () => {
  const ws = makeWorkspace();
  const [first, second, third] = Object.keys(BASIC);
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--to', second.replace('.sql', ''), '--db', db.url])).code, 0);
    assert.equal(await ledger(db.url), [first, second]);
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    assert.is((await cli(ws.dir, ['migrate', 'down', '--db', db.url])).code, 0);
    assert.equal(await ledger(db.url), [first, second]);
    const to = await cli(ws.dir, ['migrate', 'down', '--to', first, '--db', db.url]);
    assert.is(to.code, 0, to.err);
    assert.equal(await ledger(db.url), [first]);
    assert.ok(await exists(db.url, 'clients'));
    assert.not.ok(await exists(db.url, 'acme_invoice_data'));
    void third;
  } finally {
    ws.remove();
  }
});

test('a failing file rolls back to before it and names the file, line, statement and message', async () => {
  const bad = migrationText('acme', 'broken', `
CREATE TABLE "acme_half" (id int);
INSERT INTO "acme_half" VALUES (1);
ALTER TABLE "acme_half" ADD COLUMN "x" no_such_type;`, 'DROP TABLE "acme_half";');
  const ws = makeWorkspace({ ...BASIC, '20260104_000000_custom_acme_broken.sql': bad, '20260105_000000_custom_acme_after.sql': migrationText('acme', 'after', 'select 1;', 'select 1;') });
  try {
    const r = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(r.code, 1);
    assert.match(r.err, /20260104_000000_custom_acme_broken\.sql:5 \(up\) failed: type "no_such_type" does not exist/);
    assert.match(r.err, /statement: ALTER TABLE "acme_half" ADD COLUMN "x" no_such_type/);
    assert.match(r.err, /rolled back/);
    assert.match(r.out, /failed +20260104_[^]*skipped +20260105_/);
    assert.not.ok(await exists(db.url, 'acme_half'));
    assert.equal(await ledger(db.url), Object.keys(BASIC));
  } finally {
    ws.remove();
  }
});

test('an edited applied org file refuses that org\'s chain only; an edited core file stops the run before anything is applied', async () => {
  const ws = makeWorkspace();
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    const edited = path.join(ws.migrations, '20260102_000000_custom_acme_add_invoice_tables.sql');
    fs.appendFileSync(edited, '-- a harmless edit\n');
    fs.writeFileSync(path.join(ws.migrations, '20260104_000000_custom_acme_more.sql'), migrationText('acme', 'more', 'CREATE TABLE "acme_more" (id int);', 'DROP TABLE "acme_more";'));
    fs.writeFileSync(path.join(ws.migrations, '20260109_000000_core_more.sql'), migrationText('core', 'more', 'CREATE TABLE "more" (id int);', 'DROP TABLE "more";'));
    const r = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(r.code, 1);
    assert.match(r.err, /acme: 20260102_000000_custom_acme_add_invoice_tables\.sql was edited after being applied[^\n]*none of acme's pending migrations were applied/);
    assert.match(r.out, /applied +20260109_000000_core_more\.sql[^]*skipped +20260104_000000_custom_acme_more\.sql/);
    assert.match(r.out, /by owner:\n {2}core +1 applied\n {2}acme +0 applied, refused, 1 skipped\n/);
    assert.ok(await exists(db.url, 'more'));
    assert.not.ok(await exists(db.url, 'acme_more'));
    const status = await cli(ws.dir, ['migrate', 'status', '--db', db.url]);
    assert.match(status.out, /changed +\S+ +20260102_000000_custom_acme_add_invoice_tables\.sql/);
    assert.match(status.out, /pending +- +20260104_000000_custom_acme_more\.sql/);

    fs.writeFileSync(edited, BASIC['20260102_000000_custom_acme_add_invoice_tables.sql']);
    fs.appendFileSync(path.join(ws.migrations, '20260101_000000_core_init.sql'), '-- a harmless edit\n');
    const core = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(core.code, 1);
    assert.match(core.err, /20260101_000000_core_init\.sql was edited after being applied[^\n]*nothing was applied/);
    assert.not.ok(await exists(db.url, 'acme_more'), 'an edited core file stops every owner');
  } finally {
    ws.remove();
  }
});

test('a pending file sorting before an applied one of the same owner refuses that owner\'s chain unless --allow-out-of-order', async () => {
  const ws = makeWorkspace();
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    const late = '20260102_120000_custom_acme_late.sql';
    fs.writeFileSync(path.join(ws.migrations, late), migrationText('acme', 'late', 'CREATE TABLE "acme_late" (id int);', 'DROP TABLE "acme_late";'));
    const core = '20260101_120000_core_late_core.sql';
    fs.writeFileSync(path.join(ws.migrations, core), migrationText('core', 'late core', 'CREATE TABLE "late_core" (id int);', 'DROP TABLE "late_core";'));
    const refused = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(refused.code, 1);
    assert.match(refused.err, new RegExp(`${late} is not applied but sorts before 20260103_000000_custom_acme_index_status\\.sql[^]*--allow-out-of-order`));
    assert.ok(await exists(db.url, 'late_core'), 'core is its own chain: a later core file still applies');
    assert.not.ok(await exists(db.url, 'acme_late'));
    const allowed = await cli(ws.dir, ['migrate', 'up', '--allow-out-of-order', '--db', db.url]);
    assert.is(allowed.code, 0, allowed.err);
    assert.ok(await exists(db.url, 'acme_late'));
  } finally {
    ws.remove();
  }
});

test('a core migration added after custom ones were applied is not out of order (separate chains)', async () => {
  const ws = makeWorkspace();
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    fs.writeFileSync(path.join(ws.migrations, '20260102_120000_core_more.sql'), migrationText('core', 'more', 'CREATE TABLE "more" (id int);', 'DROP TABLE "more";'));
    const r = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /applied +20260102_120000_core_more\.sql/);
  } finally {
    ws.remove();
  }
});

test('an irreversible down (a RAISE) fails the revert and keeps the record', async () => {
  const ws = makeWorkspace({
    ...BASIC,
    '20260104_000000_custom_acme_drop.sql': migrationText('acme', 'drop', 'ALTER TABLE "acme_invoice_data" DROP COLUMN "status";',
      `DO $schemac$ BEGIN RAISE EXCEPTION '%', 'irreversible: drop column status'; END $schemac$;`),
  });
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    const r = await cli(ws.dir, ['migrate', 'down', '--db', db.url]);
    assert.is(r.code, 1);
    assert.match(r.err, /20260104_000000_custom_acme_drop\.sql:\d+ \(down\) failed: irreversible: drop column status/);
    assert.is((await ledger(db.url)).length, 4);
  } finally {
    ws.remove();
  }
});

test.run();
