import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { run } from '../compiler/cli.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { BASIC, makeWorkspace, migrationText } from './helpers/migrations.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function spawnMigrate(dir: string, url: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'compiler/bin.ts'), '--cwd', dir, 'migrate', 'up', '--db', url], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out, err })));
  return { child, done };
}

async function query(url: string, sql: string, params: unknown[] = []): Promise<any[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

// Slow files are core's: an org's migration may not call pg_sleep (runtime/ownership.ts).
const SLOW = migrationText('core', 'slow', 'CREATE TABLE "slow_things" (id int);\nSELECT pg_sleep(0.5);', 'DROP TABLE "slow_things";');

test('ten migrate up processes started at once all succeed and apply each file exactly once', async () => {
  const db = await createTestDatabase();
  const files = { ...BASIC, '20260104_000000_core_slow.sql': SLOW };
  const ws = makeWorkspace(files);
  try {
    const runs = await Promise.all(Array.from({ length: 10 }, () => spawnMigrate(ws.dir, db.url).done));
    for (const r of runs) assert.is(r.code, 0, r.err);
    const applied = runs.flatMap((r) => [...r.out.matchAll(/^applied +(\S+)/gm)].map((m) => m[1])).sort();
    assert.equal(applied, Object.keys(files).sort());
    const rows = await query(db.url, 'select name, count(*)::int as n from schemac_migrations group by name order by name');
    assert.equal(rows, Object.keys(files).sort().map((name) => ({ name, n: 1 })));
    assert.is(runs.filter((r) => /nothing to apply/.test(r.out)).length, 9);
  } finally {
    ws.remove();
    await db.drop();
  }
});

test('a migrator killed (SIGKILL) inside a slow file leaves neither its objects nor its record; the next run applies it', async () => {
  const db = await createTestDatabase();
  const slow = '20260104_000000_core_very_slow.sql';
  const ws = makeWorkspace({ ...BASIC, [slow]: migrationText('core', 'very slow', 'CREATE TABLE "slow_things" (id int);\nSELECT pg_sleep(5);', 'DROP TABLE "slow_things";') });
  try {
    const { child, done } = spawnMigrate(ws.dir, db.url);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await query(db.url, "select 1 from pg_stat_activity where state = 'active' and query like 'SELECT pg_sleep(5)%' and datname = $1", [db.name]);
      if (rows.length) break;
      assert.ok(Date.now() < deadline, 'the slow statement never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    const killed = await done;
    assert.is(killed.signal, 'SIGKILL');
    const names = (await query(db.url, 'select name from schemac_migrations order by name')).map((r) => r.name);
    assert.equal(names, ['20260101_000000_core_init.sql'], 'core runs first: the org files wait behind the slow core file');
    assert.equal(await query(db.url, "select to_regclass('public.slow_things') as t"), [{ t: null }]);
    const io = captureIo();
    const code = await run(['--cwd', ws.dir, 'migrate', 'up', '--db', db.url], io);
    assert.is(code, 0, io.err());
    assert.match(io.out(), new RegExp(`applied +${slow}`));
    assert.equal(await query(db.url, "select to_regclass('public.slow_things')::text as t"), [{ t: 'slow_things' }]);
    assert.equal((await query(db.url, 'select count(*)::int as n from schemac_migrations'))[0].n, 4);
  } finally {
    ws.remove();
    await db.drop();
  }
});

test.run();
