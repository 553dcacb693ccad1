/**
 * Exactly once through a transaction-pooling PgBouncer (real pgbouncer, started here in
 * front of the test server): ten `schemac migrate up` processes at once apply every file
 * once, one file at a time; the lock is a table lock no other role can take; a waiting run
 * says who holds the lock and gives up after --lock-timeout; a killed runner's lock goes
 * with it. The CLI is the built one (dist/cli.mjs), as a deploy runs it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { adminQuery, createTestDatabase, type TestDatabase, urlFor } from './helpers/db.ts';
import { makeWorkspace, migrationText } from './helpers/migrations.ts';
import { type Pgbouncer, startPgbouncer } from './helpers/pgbouncer.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CLI = path.join(ROOT, 'dist', 'cli.mjs');

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

/** `schemac --cwd dir …args` as its own process. */
function spawnCli(dir: string, args: string[]): { child: ChildProcess; done: Promise<Exit> } {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, '--cwd', dir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err, ms: Date.now() - started })));
  return { child, done };
}

async function query<R = any>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    assert.ok(Date.now() - started < ms, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs `fn` with a fresh PgBouncer (default: transaction pooling), stopped in any case. */
async function withBouncer(fn: (b: Pgbouncer) => Promise<void>, options: Parameters<typeof startPgbouncer>[0] = { poolMode: 'transaction' }): Promise<void> {
  const b = await startPgbouncer(options);
  try {
    await fn(b);
  } catch (e) {
    console.error(`pgbouncer log:\n${b.log()}`);
    throw e;
  } finally {
    await b.stop();
  }
}

const AUDIT = 'create table audit (file text not null, phase text not null, at timestamptz not null default clock_timestamp(), lock_timeout text)';

/** An audit row for `file` (start or end), with the lock_timeout the statement ran with. */
const mark = (file: string, phase: string) => `INSERT INTO audit (file, phase, lock_timeout) VALUES ('${file}', '${phase}', current_setting('lock_timeout'));`;

/**
 * Core files that record when they start and end: transactional ones, and no-transaction
 * ones with a CREATE INDEX CONCURRENTLY (which must not wait for the run's lock holder) and a
 * DO block that commits; every file sets lock_timeout, and its statements must see it.
 */
const AUDITED: Readonly<Record<string, string>> = {
  '20260101_000000_core_a.sql': migrationText('core', 'a',
    `SET lock_timeout = '5s';\n${mark('a', 'start')}\nCREATE TABLE "core_a" (id int);\nSELECT pg_sleep(0.15);\n${mark('a', 'end')}`, 'DROP TABLE "core_a";'),
  '20260101_000001_core_a_concurrent.sql': migrationText('core', 'a (concurrent part)',
    `SET lock_timeout = '5s';\n${mark('a_concurrent', 'start')}\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "core_a_id_idx" ON "core_a" (id);\nSELECT pg_sleep(0.15);\n${mark('a_concurrent', 'end')}`,
    'DROP INDEX CONCURRENTLY IF EXISTS "core_a_id_idx";', true),
  '20260102_000000_core_b.sql': migrationText('core', 'b',
    `SET lock_timeout = '5s';\n${mark('b', 'start')}\nALTER TABLE "core_a" ADD COLUMN "b" int;\nSELECT pg_sleep(0.15);\n${mark('b', 'end')}`, 'ALTER TABLE "core_a" DROP COLUMN "b";'),
  '20260102_000001_core_b_concurrent.sql': migrationText('core', 'b (concurrent part)',
    `SET lock_timeout = '5s';\n${mark('b_concurrent', 'start')}\nDO $$ BEGIN PERFORM pg_sleep(0.1); COMMIT; PERFORM pg_sleep(0.05); END $$;\n${mark('b_concurrent', 'end')}`,
    'SELECT 1;', true),
  '20260103_000000_core_c.sql': migrationText('core', 'c',
    `SET lock_timeout = '5s';\n${mark('c', 'start')}\nCREATE TABLE "core_c" (id int);\nSELECT pg_sleep(0.15);\n${mark('c', 'end')}`, 'DROP TABLE "core_c";'),
};
const AUDITED_NAMES = Object.keys(AUDITED).map((n) => n.replace(/^\d{8}_\d{6}_core_|\.sql$/g, '')).sort();

/** Every file's audit rows exactly once, each file's interval apart from every other's, and every statement with the file's lock_timeout. */
async function assertAudit(url: string): Promise<void> {
  const rows = await query<{ file: string; phase: string; n: number }>(url, 'select file, phase, count(*)::int as n from audit group by 1, 2 order by 1, 2');
  assert.equal(rows, AUDITED_NAMES.flatMap((file) => [{ file, phase: 'end', n: 1 }, { file, phase: 'start', n: 1 }]), 'every file ran exactly once');
  const spans = await query<{ file: string; s: Date; e: Date }>(url,
    "select file, min(at) filter (where phase = 'start') as s, max(at) filter (where phase = 'end') as e from audit group by file order by 2");
  for (let i = 1; i < spans.length; i++) {
    assert.ok(spans[i].s.getTime() >= spans[i - 1].e.getTime(), `${spans[i].file} started before ${spans[i - 1].file} ended`);
  }
  const settings = await query<{ lock_timeout: string }>(url, 'select distinct lock_timeout from audit');
  assert.equal(settings, [{ lock_timeout: '5s' }], "every statement ran with its file's SET lock_timeout");
}

test.before(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
});

/**
 * Ten `migrate up` processes at once through `bouncer` on a fresh database: all exit 0, every
 * file applied by one of them exactly once, one file at a time, the ledger done, no lock left;
 * then a direct run is not blocked. Resolves to the round's figures.
 */
async function tenRunners(bouncer: Pgbouncer, ws: { dir: string }, label: string): Promise<string> {
  const runners = 10;
  const db = await createTestDatabase();
  try {
    await query(db.url, AUDIT);
    const started = Date.now();
    const runs = await Promise.all(Array.from({ length: runners }, () =>
      spawnCli(ws.dir, ['migrate', 'up', '--db', bouncer.url(db.name), '--lock-timeout', '2min']).done));
    for (const r of runs) assert.is(r.code, 0, r.err);
    const applied = runs.flatMap((r) => [...r.out.matchAll(/^applied +(\S+)/gm)].map((m) => m[1])).sort();
    assert.equal(applied, Object.keys(AUDITED).sort(), 'each file is applied by exactly one runner');
    await assertAudit(db.url);
    const ledger = await query(db.url, 'select name, status, count(*) over (partition by name)::int as n from schemac_migrations order by name');
    assert.equal(ledger, Object.keys(AUDITED).sort().map((name) => ({ name, status: 'done', n: 1 })));
    const held = await query(db.url, "select pid from pg_locks where relation = to_regclass('public.schemac_lock')");
    assert.equal(held, [], 'no lock stays behind on a pooled server connection');
    const index = await query(db.url, "select indisvalid from pg_index where indexrelid = to_regclass('core_a_id_idx')");
    assert.equal(index, [{ indisvalid: true }]);
    const ms = Date.now() - started;
    const servers = await serverSettings(bouncer.url(db.name));
    const lingering = servers.filter((s) => s.lt !== '0' || s.sp !== '"$user", public').length;
    const direct = await spawnCli(ws.dir, ['migrate', 'up', '--db', db.url, '--lock-timeout', '5s']).done;
    assert.is(direct.code, 0, direct.err);
    assert.match(direct.out, /nothing to apply/);
    return `${label}: ${runners} runners, ${Object.keys(AUDITED).length} files, all exit 0 in ${ms} ms, ` +
      `${runs.filter((r) => /nothing to apply/.test(r.out)).length} found nothing to apply; ` +
      `${lingering} of ${servers.length} pooled server connections kept a setting of a CONCURRENTLY statement`;
  } finally {
    await db.drop();
  }
}

test('ten migrate up processes through a transaction-pooling PgBouncer apply every file exactly once, one at a time; a direct run is not blocked after', async () => {
  const ws = makeWorkspace(AUDITED);
  try {
    await withBouncer(async (bouncer) => {
      for (let round = 1; round <= 3; round++) console.log(await tenRunners(bouncer, ws, `transaction pooling, round ${round}`));
    });
    await withBouncer(async (bouncer) => console.log(await tenRunners(bouncer, ws, 'session pooling')), { poolMode: 'session', settings: { default_pool_size: 40 } });
  } finally {
    ws.remove();
  }
});

/** lock_timeout and search_path on every server connection of the pool (twenty clients, each in a transaction at once). */
async function serverSettings(url: string): Promise<Array<{ pid: number; lt: string; sp: string }>> {
  const clients = await Promise.all(Array.from({ length: 20 }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('begin');
    return c;
  }));
  try {
    return await Promise.all(clients.map(async (c) =>
      (await c.query("select pg_backend_pid() as pid, current_setting('lock_timeout') as lt, current_setting('search_path') as sp")).rows[0]));
  } finally {
    await Promise.all(clients.map(async (c) => (await c.query('rollback'), await c.end())));
  }
}

test("a file's SET (lock_timeout, search_path) never stays on a pooled server connection: transactional files, and a no-transaction file's statements that may run in a transaction", async () => {
  await withBouncer(async (bouncer) => {
    const db = await createTestDatabase();
    const ws = makeWorkspace({
      '20260101_000000_core_a.sql': migrationText('core', 'a', "SET lock_timeout = '7s';\nSET search_path = pg_temp, public;\nCREATE TABLE public.t (id int);", 'DROP TABLE public.t;'),
      '20260101_000001_core_b.sql': migrationText('core', 'b',
        "SET lock_timeout = '8s';\nSET search_path = pg_temp, public;\nCREATE TABLE public.u (id int);\nALTER TABLE public.u ADD COLUMN lt text DEFAULT current_setting('lock_timeout');\nINSERT INTO public.u (id) VALUES (1);",
        'DROP TABLE public.u;', true),
    });
    const url = bouncer.url(db.name);
    try {
      const r = await spawnCli(ws.dir, ['migrate', 'up', '--db', url]).done;
      assert.is(r.code, 0, r.err);
      assert.equal(await query(db.url, 'select lt from u'), [{ lt: '8s' }], "the no-transaction file's statements ran with its SET");
      const seen = await serverSettings(url);
      assert.is(new Set(seen.map((x) => x.pid)).size, 20, 'twenty distinct server connections');
      for (const x of seen) assert.equal([x.lt, x.sp], ['0', '"$user", public']);
    } finally {
      ws.remove();
      await db.drop();
    }
  });
});

test('no other role can take or block the lock: no privileges on schemac_lock (not even by default privileges); the old advisory key blocks nothing', async () => {
  const db = await createTestDatabase();
  const suffix = randomBytes(3).toString('hex');
  const [stranger, app] = [`schemac_stranger_${suffix}`, `schemac_app_${suffix}`];
  await adminQuery(`create role ${stranger} login; create role ${app} login`);
  const ws = makeWorkspace(AUDITED);
  const advisory = new pg.Client({ connectionString: db.url });
  try {
    await query(db.url, `grant connect on database "${db.name}" to ${stranger}, ${app}; grant usage on schema public to ${stranger}, ${app};
      alter default privileges in schema public grant all on tables to ${app}; ${AUDIT}`);
    const first = await spawnCli(ws.dir, ['migrate', 'up', '--db', db.url]).done;
    assert.is(first.code, 0, first.err);
    for (const role of [stranger, app]) {
      const c = new pg.Client({ connectionString: urlFor(db.url, db.name, role) });
      await c.connect();
      try {
        for (const mode of ['exclusive', 'access share', 'row exclusive']) {
          await c.query('begin');
          const e = await c.query(`lock table public.schemac_lock in ${mode} mode nowait`).then(() => undefined, (x: { code?: string }) => x);
          await c.query('rollback');
          assert.is(e?.code, '42501', `${role} cannot lock schemac_lock in ${mode} mode`);
        }
      } finally {
        await c.end();
      }
    }
    const grants = await query(db.url, "select grantee from information_schema.role_table_grants where table_name = 'schemac_lock' and grantee <> 'postgres'");
    assert.equal(grants, []);
    await advisory.connect();
    await advisory.query("select pg_advisory_lock('32478922351141219'::bigint)");
    await query(db.url, "delete from schemac_migrations where name = '20260103_000000_core_c.sql'; drop table core_c");
    const again = await spawnCli(ws.dir, ['migrate', 'up', '--db', db.url, '--lock-timeout', '2s']).done;
    assert.is(again.code, 0, again.err);
    assert.match(again.out, /applied +20260103_000000_core_c\.sql/);
  } finally {
    await advisory.end();
    ws.remove();
    await db.drop();
    await adminQuery(`drop role ${stranger}; drop role ${app}`);
  }
});

test('a waiting run says who holds the lock (pid, application_name, client, since when) every 5 s and when it gives up after --lock-timeout (exit 1); a bad --lock-timeout is a usage error', async () => {
  await withBouncer(async (bouncer) => {
    const db = await createTestDatabase();
    const ws = makeWorkspace(AUDITED);
    const blocker = new pg.Client({ connectionString: db.url, application_name: 'blocker' });
    try {
      await query(db.url, AUDIT);
      assert.is((await spawnCli(ws.dir, ['migrate', 'up', '--db', db.url]).done).code, 0);
      await blocker.connect();
      await blocker.query('begin; lock table public.schemac_lock in exclusive mode');
      const [{ pid }] = (await blocker.query('select pg_backend_pid() as pid')).rows;
      const holder = `held by server process ${pid} \\(application_name 'blocker', user postgres, client 127\\.0\\.0\\.1, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, [\\d.]+ (ms|s) ago\\)`;

      const short = await spawnCli(ws.dir, ['migrate', 'up', '--db', bouncer.url(db.name), '--lock-timeout', '1s']).done;
      assert.is(short.code, 1, short.err);
      assert.match(short.err, new RegExp(`schemac migrate up: gave up after [\\d.]+ s waiting for the migration lock on postgres://postgres@127\\.0\\.0\\.1:${bouncer.port}/${db.name}: it is ${holder}`));
      assert.match(short.err, /gave up after (1|1\.\d) s/, 'after --lock-timeout 1s, not much more');

      const long = spawnCli(ws.dir, ['migrate', 'up', '--db', bouncer.url(db.name), '--lock-timeout', '6s']);
      await waitFor('the waiting runner to show up as schemac migrate', async () =>
        (await query(db.url, "select 1 from pg_stat_activity where datname = $1 and application_name = 'schemac migrate'", [db.name])).length > 0);
      const waited = await long.done;
      assert.is(waited.code, 1, waited.err);
      assert.match(waited.err, new RegExp(`schemac migrate up: waiting for the migration lock \\([56](\\.\\d)? s so far\\): ${holder}\n`));
      assert.match(waited.err, new RegExp(`gave up after [67](\\.\\d)? s waiting for the migration lock on .*: it is ${holder}`));

      const bad = await spawnCli(ws.dir, ['migrate', 'up', '--db', db.url, '--lock-timeout', 'abc']).done;
      assert.is(bad.code, 2);
      assert.match(bad.err, /schemac migrate up: --lock-timeout 'abc' is not a duration; give a number and a unit: ms, s, min or h \(500ms, 3s, 2min\)/);
      const minutes = await spawnCli(ws.dir, ['migrate', 'up', '--db', db.url, '--lock-timeout', '5m']).done;
      assert.is(minutes.code, 2);
      assert.match(minutes.err, /'5m' is ambiguous \(did you mean '5min' or '5ms'\?\)/);
      await blocker.query('rollback');
      const free = await spawnCli(ws.dir, ['migrate', 'up', '--db', bouncer.url(db.name), '--lock-timeout', '1s']).done;
      assert.is(free.code, 0, free.err);
    } finally {
      await blocker.end().catch(() => {});
      ws.remove();
      await db.drop();
    }
  });
});

/** The SQL of a runner's statement that is running now (through PgBouncer the session is a pooled server connection). */
const running = (db: TestDatabase, like: string) => async () =>
  (await query(db.url, "select 1 from pg_stat_activity where datname = $1 and state = 'active' and query like $2", [db.name, like])).length > 0;

test('a runner killed (SIGKILL) mid-run through PgBouncer: its lock goes at once, the next runner takes it and finishes; an interrupted no-transaction file runs again', async () => {
  await withBouncer(async (bouncer) => {
    const db = await createTestDatabase();
    const slowTx = '20260104_000000_core_slow.sql';
    const slowLoose = '20260105_000000_core_slow_loose.sql';
    const ws = makeWorkspace({
      ...AUDITED,
      [slowTx]: migrationText('core', 'slow', `${mark('slow', 'start')}\nSELECT pg_sleep(30);\n${mark('slow', 'end')}`, 'SELECT 1;'),
      [slowLoose]: migrationText('core', 'slow loose', `${mark('slow_loose', 'start')}\nSELECT pg_sleep(30);\n${mark('slow_loose', 'end')}`, 'SELECT 1;', true),
    });
    const url = bouncer.url(db.name);
    const lockHeld = async () => (await query(db.url, "select 1 from pg_locks where relation = to_regclass('public.schemac_lock') and granted")).length > 0;
    const figures: string[] = [];
    try {
      await query(db.url, AUDIT);
      for (const [file, label] of [[slowTx, 'slow'], [slowLoose, 'slow_loose']]) {
        const statement = 'SELECT pg_sleep(30)%';
        const { child, done } = spawnCli(ws.dir, ['migrate', 'up', '--db', url]);
        await waitFor(`${file} to start`, running(db, statement));
        assert.ok(await lockHeld(), 'the runner holds the lock');
        child.kill('SIGKILL');
        assert.is((await done).signal, 'SIGKILL');
        const released = await waitFor('the lock to be released', async () => !(await lockHeld()), 5000);
        figures.push(`${file}: lock released ${released} ms after the kill`);
        if (file === slowLoose) {
          const status = await spawnCli(ws.dir, ['migrate', 'status', '--db', url]).done;
          assert.match(status.out, new RegExp(`interrupted +\\S+ +${slowLoose}`));
          assert.match(status.err, /1 no-transaction file\(s\) did not finish \(marked "interrupted"\); migrate up runs them again/);
        }
        // The killed statement may still be running on the server for up to a second (client_connection_check_interval).
        await waitFor('the killed statement to end', async () => !(await running(db, statement)()), 5000);
        await query(db.url, "update audit set phase = 'killed' where file = $1 and phase = 'start'", [label]);
        const text = fs.readFileSync(path.join(ws.migrations, file), 'utf8').replace('pg_sleep(30)', 'pg_sleep(0.1)');
        fs.writeFileSync(path.join(ws.migrations, file), text);
        const next = await spawnCli(ws.dir, ['migrate', 'up', '--db', url, '--lock-timeout', '3s', '--to', file]).done;
        assert.is(next.code, 0, next.err);
        assert.match(next.out, new RegExp(`applied +${file}`));
        figures.push(`${file}: next runner exit 0 in ${next.ms} ms`);
      }
      const ledger = await query(db.url, 'select name, status from schemac_migrations order by name');
      assert.equal(ledger, [...Object.keys(AUDITED), slowTx, slowLoose].sort().map((name) => ({ name, status: 'done' })));
      const slow = await query(db.url, "select file, phase, count(*)::int as n from audit where file like 'slow%' group by 1, 2 order by 1, 2");
      assert.equal(slow, [
        { file: 'slow', phase: 'end', n: 1 }, { file: 'slow', phase: 'start', n: 1 },
        { file: 'slow_loose', phase: 'end', n: 1 }, { file: 'slow_loose', phase: 'killed', n: 1 }, { file: 'slow_loose', phase: 'start', n: 1 },
      ], "the killed transactional file left nothing; the killed no-transaction file's first statement stayed and it ran again");
      console.log(figures.join('\n'));
    } finally {
      ws.remove();
      await db.drop();
    }
  });
});

test("a run whose lock's transaction PgBouncer ends (idle_transaction_timeout) stops before its next file, exit 1; the next run finishes", async () => {
  await withBouncer(async (bouncer) => {
    const db = await createTestDatabase();
    const slow = '20260101_000000_core_slow.sql';
    const after = '20260102_000000_core_after.sql';
    const ws = makeWorkspace({
      [slow]: migrationText('core', 'slow', 'CREATE TABLE "slow_things" (id int);\nSELECT pg_sleep(3);', 'DROP TABLE "slow_things";'),
      [after]: migrationText('core', 'after', 'CREATE TABLE "after_things" (id int);', 'DROP TABLE "after_things";'),
    });
    try {
      const r = await spawnCli(ws.dir, ['migrate', 'up', '--db', bouncer.url(db.name)]).done;
      assert.is(r.code, 1, r.err);
      assert.match(r.out, new RegExp(`applied +${slow}[^]*skipped +${after}[^]*core +1 applied, 1 skipped \\(the run lost its lock\\)`));
      assert.match(r.err, new RegExp(`lost the migration lock on postgres://postgres@127\\.0\\.0\\.1:${bouncer.port}/${db.name} \\(its session ended[^)]*\\) before ${after}; nothing more was run`));
      assert.equal(await query(db.url, "select to_regclass('public.after_things') as t"), [{ t: null }]);
      const next = await spawnCli(ws.dir, ['migrate', 'up', '--db', db.url]).done;
      assert.is(next.code, 0, next.err);
      assert.match(next.out, new RegExp(`applied +${after}`));
      assert.equal((await query(db.url, 'select name from schemac_migrations order by name')).map((x) => x.name), [slow, after]);
    } finally {
      ws.remove();
      await db.drop();
    }
  }, { poolMode: 'transaction', settings: { idle_transaction_timeout: 1 } });
});

test("the lock's session shows activity every 5 s: PgBouncer's idle_transaction_timeout of 6 s does not end it during a 9 s file", async () => {
  await withBouncer(async (bouncer) => {
    const db = await createTestDatabase();
    const slow = '20260101_000000_core_slow.sql';
    const after = '20260102_000000_core_after.sql';
    const ws = makeWorkspace({
      [slow]: migrationText('core', 'slow', 'CREATE TABLE "slow_things" (id int);\nSELECT pg_sleep(9);', 'DROP TABLE "slow_things";'),
      [after]: migrationText('core', 'after', 'CREATE TABLE "after_things" (id int);', 'DROP TABLE "after_things";'),
    });
    try {
      const r = await spawnCli(ws.dir, ['migrate', 'up', '--db', bouncer.url(db.name)]).done;
      assert.is(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`applied +${slow}[^]*applied +${after}`));
    } finally {
      ws.remove();
      await db.drop();
    }
  }, { poolMode: 'transaction', settings: { idle_transaction_timeout: 6 } });
});

test.run();
