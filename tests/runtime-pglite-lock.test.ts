/**
 * The embedded database is one process's at a time: `schemac migrate` and an application's
 * `createDb` on one `.schemac/pglite`, each a real process of its own. The second waits for
 * the first, up to `--lock-timeout` (`lockWaitMs`), then exits 1 naming the first's pid; a
 * lock left by a process that is gone is taken over; status, history, down and dry runs never
 * create the database; the folder is beside the config file, not in the cwd.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { parseDuration } from '../compiler/shared/index.ts';
import { lockFileOf } from '../runtime/data-dir-lock.ts';
import { openDriver } from '../runtime/driver.ts';
import { introspect } from '../runtime/introspect.ts';
import { readLedger } from '../runtime/migrator.ts';
import { captureIo } from './helpers/io.ts';
import { BASIC, makeWorkspace, migrationText } from './helpers/migrations.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ENV = (() => {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  delete env.SCHEMAC_LOCK_WAIT_MS;
  return env;
})();

interface Done { code: number | null; out: string; err: string; ms: number }

/** A process of its own: its pid, its stdin, its output so far, and its end. */
function spawnNode(args: string[]) {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: ENV });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<Done>((resolve) => child.on('close', (code) => resolve({ code, out, err, ms: Date.now() - started })));
  /** Resolves once the process printed `re` (on stdout or stderr); the machine may be slow, so no deadline short of the test's. */
  const printed = async (re: RegExp, what: string): Promise<void> => {
    while (!re.test(out) && !re.test(err)) {
      if (child.exitCode !== null) throw new Error(`${what}: exited ${child.exitCode} before printing ${re}: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { pid: child.pid!, done, printed, say: (line: string) => child.stdin.write(`${line}\n`), end: () => child.stdin.end() };
}

const migrate = (dir: string, ...args: string[]) => spawnNode([path.join(ROOT, 'compiler/bin.ts'), '--cwd', dir, 'migrate', ...args]);

/** An application process on the folder (tests/helpers/hold-pglite.ts), once it has loaded: `go` opens it, `end()` lets it go. */
async function app(dataDir: string, waitMs?: number) {
  const p = spawnNode([path.join(ROOT, 'tests/helpers/hold-pglite.ts'), dataDir, ...(waitMs === undefined ? [] : [String(waitMs)])]);
  await p.printed(/^ready$/m, 'the application');
  return p;
}

/** An application process that holds the folder until `end()`. */
async function holding(dataDir: string) {
  const p = await app(dataDir);
  p.say('go');
  await p.printed(/^holding/m, 'the application');
  return p;
}

async function cli(cwd: string, args: string[]) {
  const io = captureIo();
  const code = await run(args, io, cwd);
  return { code, out: io.out(), err: io.err() };
}

/** Rounds of the concurrency trial (PGLITE_LOCK_ROUNDS; default 2: each round is two whole runs on PGlite). */
const ROUNDS = Number(process.env.PGLITE_LOCK_ROUNDS ?? 2);

const dataDirOf = (dir: string) => path.join(dir, '.schemac', 'pglite');
const since = (pid: number) => new RegExp(`the embedded database in \\.schemac/pglite is in use by pid ${pid} \\(since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('migrate waits for an application holding the embedded database, then exits 1 naming its pid', async () => {
  const ws = makeWorkspace();
  try {
    const holder = await holding(dataDirOf(ws.dir));
    const r = await migrate(ws.dir, 'up', '--lock-timeout', '1500ms').done;
    assert.is(r.code, 1, r.err);
    assert.match(r.err, since(holder.pid));
    assert.match(r.err, /waiting up to 1\.5 s/);
    assert.match(r.err, /gave up after waiting 1\.5 s/);
    assert.ok(r.ms >= 1500, `it waited (${r.ms} ms)`);
    assert.not.match(r.out, /applied/);
    holder.end();
    assert.is((await holder.done).code, 0);
  } finally {
    ws.remove();
  }
});

test('an application waits for migrate, then rejects naming its pid; with a longer wait it opens once migrate is done', async () => {
  const slow = migrationText('core', 'slow', 'CREATE TABLE "slow_things" (id int);\nSELECT pg_sleep(8);', 'DROP TABLE "slow_things";');
  const ws = makeWorkspace({ ...BASIC, '20260104_000000_core_slow.sql': slow });
  try {
    const [impatient, patient] = await Promise.all([app(dataDirOf(ws.dir), 500), app(dataDirOf(ws.dir), 600_000)]);
    const m = migrate(ws.dir, 'up');
    await m.printed(/applied +20260101_000000_core_init/, 'migrate');
    impatient.say('go');
    patient.say('go');
    const gaveUp = await impatient.done;
    assert.is(gaveUp.code, 1, gaveUp.out);
    assert.match(gaveUp.err, new RegExp(`the embedded database in ${escape(dataDirOf(ws.dir))} is in use by pid ${m.pid} \\(since `));
    assert.match(gaveUp.err, /gave up after waiting 500 ms/);
    const migrated = await m.done;
    assert.is(migrated.code, 0, migrated.err);
    assert.match(migrated.out, /4 applied/);
    await patient.printed(/^holding/m, 'the patient application');
    patient.end();
    assert.is((await patient.done).code, 0);
  } finally {
    ws.remove();
  }
});

test('migrate succeeds when the holder lets go within --lock-timeout', async () => {
  const ws = makeWorkspace();
  try {
    const holder = await holding(dataDirOf(ws.dir));
    const m = migrate(ws.dir, 'up', '--lock-timeout', '10min');
    await m.printed(/waiting up to 600 s/, 'migrate');
    holder.end();
    const r = await m.done;
    assert.is(r.code, 0, r.err);
    assert.match(r.err, since(holder.pid));
    assert.match(r.out, /3 applied/);
    assert.is((await holder.done).code, 0);
    assert.not.ok(fs.existsSync(lockFileOf(dataDirOf(ws.dir))), 'the lock file is gone');
  } finally {
    ws.remove();
  }
});

test('a lock left by a process that is gone is taken over: a dead pid, or a live pid that started later', async () => {
  const ws = makeWorkspace();
  try {
    const dead = spawnNode(['-e', '0']);
    dead.end();
    await dead.done;
    const lock = lockFileOf(dataDirOf(ws.dir));
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    const stale = { pid: dead.pid, hostname: os.hostname(), since: '2026-01-01T00:00:00.000Z', token: 'stale' };
    fs.writeFileSync(lock, JSON.stringify(stale));
    const first = await migrate(ws.dir, 'up', '--lock-timeout', '0s').done;
    assert.is(first.code, 0, first.err);
    assert.not.match(first.err, /in use/);
    assert.match(first.out, /3 applied/);
    // A live pid (this test's) whose start is not the recorded one: the pid was reused.
    fs.writeFileSync(lock, JSON.stringify({ ...stale, pid: process.pid, processStart: '1' }));
    const second = await migrate(ws.dir, 'status', '--lock-timeout', '0s').done;
    assert.is(second.code, 0, second.err);
    assert.match(second.out, /3 applied, 0 pending/);
    assert.not.ok(fs.existsSync(lock), 'the lock file is gone');
  } finally {
    ws.remove();
  }
});

test('a lock of a live process on another host is never taken over; the message says how to clear it', async () => {
  const ws = makeWorkspace();
  try {
    const lock = lockFileOf(dataDirOf(ws.dir));
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, JSON.stringify({ pid: 4242, hostname: 'elsewhere.example', since: '2026-01-01T00:00:00.000Z', token: 't' }));
    const r = await cli(ws.dir, ['migrate', 'up', '--lock-timeout', '200ms']);
    assert.is(r.code, 1, r.err);
    assert.match(r.err, /in use by pid 4242 on host elsewhere\.example \(since 2026-01-01T00:00:00\.000Z\); gave up after waiting 200 ms; if that process is gone, delete \.schemac\/pglite\.lock/);
    assert.not.ok(fs.existsSync(dataDirOf(ws.dir)), 'nothing was created');
  } finally {
    ws.remove();
  }
});

test('--lock-timeout is a duration: 500ms, 3s, 2min, 1h (2m is ambiguous); anything else is a usage error (exit 2) before anything opens', async () => {
  const cases: [string, number | undefined][] = [
    ['500ms', 500], ['3s', 3000], ['1.5s', 1500], ['2min', 120_000], ['2m', undefined], ['1h', 3_600_000], ['0s', 0],
    ['3', undefined], ['-1s', undefined], ['3x', undefined], ['s', undefined], ['', undefined],
  ];
  for (const [text, ms] of cases) assert.is(parseDuration(text), ms, text);
  const ws = makeWorkspace();
  try {
    const r = await cli(ws.dir, ['migrate', 'up', '--lock-timeout', '3x']);
    assert.is(r.code, 2);
    assert.match(r.err, "--lock-timeout '3x' is not a duration; give a number and a unit: ms, s, min or h");
    assert.not.ok(fs.existsSync(path.join(ws.dir, '.schemac')), 'nothing was created');
  } finally {
    ws.remove();
  }
});

test('status, history, down and up --dry-run never create the embedded database', async () => {
  const ws = makeWorkspace();
  try {
    const status = await cli(ws.dir, ['migrate', 'status']);
    assert.is(status.code, 0, status.err);
    assert.match(status.err, /no embedded database in \.schemac\/pglite yet \(migrate up creates it\)/);
    assert.match(status.out, /^pending +- +20260101_000000_core_init\.sql$/m);
    assert.match(status.out, /0 applied, 3 pending/);
    assert.is((await cli(ws.dir, ['migrate', 'status', '--exit-code'])).code, 1);
    const json = await cli(ws.dir, ['migrate', 'status', '--format', 'json']);
    assert.is(JSON.parse(json.out).pending, 3);
    const history = await cli(ws.dir, ['migrate', 'history']);
    assert.is(history.code, 0, history.err);
    assert.match(history.out, /no migration has been applied/);
    const down = await cli(ws.dir, ['migrate', 'down']);
    assert.is(down.code, 0, down.err);
    assert.match(down.out, /nothing to revert/);
    const dry = await cli(ws.dir, ['migrate', 'up', '--dry-run']);
    assert.is(dry.code, 0, dry.err);
    assert.match(dry.out, /3 file\(s\) would be applied/);
    assert.not.ok(fs.existsSync(path.join(ws.dir, '.schemac')), 'nothing was created');
  } finally {
    ws.remove();
  }
});

test('the embedded database is beside the config file, and messages name it relative to the cwd', async () => {
  const ws = makeWorkspace();
  const sub = path.join(ws.dir, 'sub');
  try {
    fs.mkdirSync(sub);
    fs.renameSync(path.join(ws.dir, 'generated'), path.join(sub, 'generated'));
    fs.writeFileSync(path.join(sub, 'schemac.config.yaml'), '');
    const up = await cli(ws.dir, ['--config', 'sub/schemac.config.yaml', 'migrate', 'up']);
    assert.is(up.code, 0, up.err);
    assert.match(up.err, /using the embedded PGlite database in sub\/\.schemac\/pglite/);
    assert.ok(fs.existsSync(path.join(sub, '.schemac', 'pglite', 'PG_VERSION')));
    assert.not.ok(fs.existsSync(path.join(ws.dir, '.schemac')), 'nothing in the cwd');
    const status = await cli(sub, ['migrate', 'status']);
    assert.match(status.err, /using the embedded PGlite database in \.schemac\/pglite/);
    assert.match(status.out, /3 applied, 0 pending/);
  } finally {
    ws.remove();
  }
});

test('concurrency: rounds of two migrate up processes started together on a fresh embedded database', async () => {
  const reference = makeWorkspace();
  const expected = await (async () => {
    assert.is((await migrate(reference.dir, 'up').done).code, 0);
    return schemaOf(dataDirOf(reference.dir));
  })();
  reference.remove();
  const names = Object.keys(BASIC).sort();
  const waits: number[] = [];
  const times: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const ws = makeWorkspace();
    try {
      const runs = await Promise.all([migrate(ws.dir, 'up').done, migrate(ws.dir, 'up').done]);
      for (const r of runs) assert.is(r.code, 0, `round ${round}: ${r.err}`);
      const applied = runs.flatMap((r) => [...r.out.matchAll(/^applied +(\S+)/gm)].map((m) => m[1])).sort();
      assert.equal(applied, names, `round ${round}: every file applied once`);
      assert.is(runs.filter((r) => /nothing to apply/.test(r.out)).length, 1, `round ${round}: the other found nothing to do`);
      waits.push(runs.filter((r) => /is in use by pid \d+/.test(r.err)).length);
      times.push(runs.map((r) => `${(r.ms / 1000).toFixed(1)}`).join('/'));
      const got = await schemaOf(dataDirOf(ws.dir));
      assert.equal(got.ledger, names, `round ${round}: the ledger`);
      assert.equal(got.schema, expected.schema, `round ${round}: the schema`);
    } finally {
      ws.remove();
    }
  }
  assert.is(waits.reduce((a, b) => a + b, 0) >= 1, true, `at least one round had a process wait (${waits.join(', ')})`);
  process.stdout.write(`\n  concurrency: ${ROUNDS} rounds of 2 processes, all exit 0, ${waits.reduce((a, b) => a + b, 0)} waited, ledger and schema complete each time; seconds per round (each process): ${times.join(', ')}\n`);
});

/** The ledger's names and the introspected schema of an embedded database (an intact catalog reads back in full). */
async function schemaOf(dataDir: string): Promise<{ ledger: string[]; schema: unknown }> {
  const driver = await openDriver({ kind: 'pglite', dataDir });
  const q = await driver.connect();
  try {
    const ledger = (await readLedger(q)).map((r) => r.name).sort();
    const [{ n }] = await q.query<{ n: number }>('select count(*)::int as n from pg_class c join pg_namespace s on s.oid = c.relnamespace');
    assert.ok(n > 0);
    return { ledger, schema: await introspect(q) };
  } finally {
    await q.close();
    await driver.close();
  }
}

test.run();
