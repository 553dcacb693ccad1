/**
 * One owner's migrations never stop another's: core runs first and a core failure stops the
 * run; an org's failed file stops that org's chain only (rolled back, or, without a
 * transaction, stopped where it failed), a refused org is not run at all, and every other
 * org's pending files still apply. On real PostgreSQL (`--db`) and on the embedded PGlite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { run } from '../compiler/cli.ts';
import { type Driver, openDriver, type Queryable } from '../runtime/driver.ts';
import { readMigrations } from '../runtime/files.ts';
import { type MigrationRun, runMigrations } from '../runtime/migrator.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { makeWorkspace, migrationText } from './helpers/migrations.ts';

async function cli(dir: string, args: string[]) {
  const io = captureIo();
  const code = await run(['--cwd', dir, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const table = (owner: string, name: string) => migrationText(owner, name, `CREATE TABLE "${name}" (id int);`, `DROP TABLE "${name}";`);

/** Three owners: core (two files), acme (a good file, one that fails at apply, one after it), globex (two files). */
const THREE_OWNERS: Readonly<Record<string, string>> = {
  '20260101_000000_core_init.sql': table('core', 'clients'),
  '20260101_000001_core_more.sql': table('core', 'core_more'),
  '20260102_000000_custom_acme_first.sql': table('acme', 'acme_first'),
  '20260103_000000_custom_acme_broken.sql': migrationText('acme', 'broken',
    'CREATE TABLE "acme_half" (id int);\nINSERT INTO "acme_half" VALUES (1);\nSELECT 1 / 0;', 'DROP TABLE "acme_half";'),
  '20260104_000000_custom_acme_after.sql': table('acme', 'acme_after'),
  '20260103_000001_custom_globex_first.sql': table('globex', 'globex_first'),
  '20260105_000000_custom_globex_second.sql': table('globex', 'globex_second'),
};

/** A database target for one test: its `--db` arguments and a session to look at it. */
interface Target {
  readonly args: string[];
  session(): Promise<Queryable>;
  done(): Promise<void>;
}

async function pgTarget(): Promise<Target> {
  const db = await createTestDatabase();
  const driver = await openDriver({ kind: 'pg', url: db.url });
  return { args: ['--db', db.url], session: () => driver.connect(), done: () => db.drop() };
}

/** The workspace's embedded database, opened only between CLI runs (one process may hold it). */
function pgliteTarget(dir: string): Target {
  let driver: Driver | undefined;
  return {
    args: [],
    session: async () => {
      driver = await openDriver({ kind: 'pglite', dataDir: path.join(dir, '.schemac', 'pglite') });
      const q = await driver.connect();
      return { ...q, close: async () => driver?.close() };
    },
    done: async () => {},
  };
}

async function look(target: Target, fn: (q: Queryable) => Promise<void>): Promise<void> {
  const q = await target.session();
  try {
    await fn(q);
  } finally {
    await q.close();
  }
}

const ledger = async (q: Queryable) => (await q.query<{ name: string }>('select name from schemac_migrations order by name')).map((r) => r.name);
const exists = async (q: Queryable, rel: string) => (await q.query<{ e: boolean }>(`select to_regclass('public.${rel}') is not null as e`))[0].e;

for (const kind of ['pg', 'pglite'] as const) {
  test(`${kind}: a failing org file stops that org's chain only; core and the other org apply; exit 1 with a summary per owner`, async () => {
    const ws = makeWorkspace(THREE_OWNERS);
    const target = kind === 'pg' ? await pgTarget() : pgliteTarget(ws.dir);
    try {
      const r = await cli(ws.dir, ['migrate', 'up', ...target.args]);
      assert.is(r.code, 1, r.err);
      assert.match(r.out, /failed +20260103_000000_custom_acme_broken\.sql[^]*applied +20260103_000001_custom_globex_first\.sql[^]*skipped +20260104_000000_custom_acme_after\.sql[^]*applied +20260105_000000_custom_globex_second\.sql/);
      assert.match(r.out, /by owner:\n {2}core +2 applied\n {2}acme +1 applied, failed: 20260103_000000_custom_acme_broken\.sql, 1 skipped\n {2}globex +2 applied\n/);
      assert.match(r.err, /acme: 20260103_000000_custom_acme_broken\.sql:5 \(up\) failed: division by zero[^]*rolled back/);
      assert.match(r.err, /1 of 3 owner\(s\) did not finish \(acme\); the other owners' migrations were applied/);
      await look(target, async (q) => {
        assert.equal(await ledger(q), [
          '20260101_000000_core_init.sql', '20260101_000001_core_more.sql', '20260102_000000_custom_acme_first.sql',
          '20260103_000001_custom_globex_first.sql', '20260105_000000_custom_globex_second.sql',
        ]);
        assert.not.ok(await exists(q, 'acme_half'), 'the failed file was rolled back');
        assert.not.ok(await exists(q, 'acme_after'));
        assert.ok(await exists(q, 'globex_second'));
      });

      fs.writeFileSync(path.join(ws.migrations, '20260103_000000_custom_acme_broken.sql'), table('acme', 'acme_half'));
      const fixed = await cli(ws.dir, ['migrate', 'up', ...target.args]);
      assert.is(fixed.code, 0, fixed.err);
      assert.match(fixed.out, /applied +20260103_000000_custom_acme_broken\.sql[^]*applied +20260104_000000_custom_acme_after\.sql[^]*2 applied/);
    } finally {
      await target.done();
      ws.remove();
    }
  });

  test(`${kind}: a no-transaction org file stops where it failed; the other org still applies`, async () => {
    const files = {
      '20260101_000000_core_init.sql': table('core', 'clients'),
      '20260102_000000_custom_acme_steps.sql': migrationText('acme', 'steps',
        'CREATE TABLE "acme_a" (id int);\nCREATE TABLE "acme_b" (id int);\nCREATE TABLE "acme_a" (id int);\nCREATE TABLE "acme_c" (id int);',
        'DROP TABLE IF EXISTS "acme_c";\nDROP TABLE IF EXISTS "acme_b";\nDROP TABLE IF EXISTS "acme_a";', true),
      '20260103_000000_custom_globex_first.sql': table('globex', 'globex_first'),
    };
    const ws = makeWorkspace(files);
    const target = kind === 'pg' ? await pgTarget() : pgliteTarget(ws.dir);
    try {
      const r = await cli(ws.dir, ['migrate', 'up', ...target.args]);
      assert.is(r.code, 1);
      assert.match(r.err, /20260102_000000_custom_acme_steps\.sql:6 \(up\) failed: relation "acme_a" already exists[^]*statements before this one stay applied/);
      assert.match(r.out, /acme +0 applied, failed: 20260102_000000_custom_acme_steps\.sql\n {2}globex +1 applied/);
      await look(target, async (q) => {
        assert.ok(await exists(q, 'acme_a'));
        assert.ok(await exists(q, 'acme_b'));
        assert.not.ok(await exists(q, 'acme_c'), 'nothing after the failed statement ran');
        assert.ok(await exists(q, 'globex_first'));
        assert.equal(await ledger(q), ['20260101_000000_core_init.sql', '20260102_000000_custom_acme_steps.sql', '20260103_000000_custom_globex_first.sql']);
        const running = await q.query<{ name: string }>("select name from schemac_migrations where status = 'running'");
        assert.equal(running.map((r) => r.name), ['20260102_000000_custom_acme_steps.sql'], 'the half-applied file is marked running: up runs it again');
      });
      const status = await cli(ws.dir, ['migrate', 'status', ...target.args]);
      assert.match(status.out, /interrupted +\S+ +20260102_000000_custom_acme_steps\.sql/);
    } finally {
      await target.done();
      ws.remove();
    }
  });
}

test('a failing core file stops every owner: the orgs are blocked, nothing of theirs runs', async () => {
  const ws = makeWorkspace({
    ...THREE_OWNERS,
    '20260101_000001_core_more.sql': migrationText('core', 'more', 'CREATE TABLE "core_more" (id no_such_type);', 'DROP TABLE "core_more";'),
  });
  const target = await pgTarget();
  try {
    const r = await cli(ws.dir, ['migrate', 'up', ...target.args]);
    assert.is(r.code, 1);
    assert.match(r.out, /by owner:\n {2}core +1 applied, failed: 20260101_000001_core_more\.sql\n {2}acme +0 applied, 3 skipped \(core did not finish\)\n {2}globex +0 applied, 2 skipped \(core did not finish\)\n/);
    assert.match(r.err, /core: 20260101_000001_core_more\.sql:3 \(up\) failed: type "no_such_type" does not exist[^]*rolled back/);
    assert.match(r.err, /3 of 3 owner\(s\) did not finish \(core, acme, globex\)\n/);
    await look(target, async (q) => assert.equal(await ledger(q), ['20260101_000000_core_init.sql']));
  } finally {
    await target.done();
    ws.remove();
  }
});

/** Runs `up` through the runtime API on a fresh PostgreSQL database; `fn` looks at it afterwards. */
async function runUp(files: Readonly<Record<string, string>>, refuse: (f: { name: string; owner: string; up: string }) => string | undefined, fn: (run: MigrationRun, q: Queryable) => Promise<void>) {
  const ws = makeWorkspace(files);
  const db = await createTestDatabase();
  const driver = await openDriver({ kind: 'pg', url: db.url });
  try {
    const run = await runMigrations({ driver, files: readMigrations(ws.migrations).files, direction: 'up', refuse });
    const q = await driver.connect();
    try {
      await fn(run, q);
    } finally {
      await q.close();
    }
  } finally {
    await db.drop();
    ws.remove();
  }
}

test('the refuse hook refuses an org\'s whole chain before anything of it runs; the results say why, per owner', async () => {
  const sleeper = migrationText('acme', 'sleep', 'SELECT pg_sleep(0);', 'SELECT 1;');
  const files = { ...THREE_OWNERS, '20260104_000000_custom_acme_broken.sql': sleeper };
  delete (files as Record<string, string>)['20260103_000000_custom_acme_broken.sql'];
  const refuse = (f: { up: string }) => (f.up.includes('pg_sleep') ? 'calls pg_sleep' : undefined);
  await runUp(files, refuse, async (run, q) => {
    assert.equal(run.owners.map((o) => [o.owner, o.status, o.done.length, o.skipped.length]), [
      ['core', 'done', 2, 0], ['acme', 'refused', 0, 3], ['globex', 'done', 2, 0],
    ]);
    const acme = run.owners[1];
    assert.equal(acme.error?.kind, 'refused');
    assert.match(acme.error!.message, '20260104_000000_custom_acme_broken.sql was refused: calls pg_sleep');
    assert.equal(run.error?.kind, 'refused');
    assert.equal(run.results.filter((r) => r.owner === 'acme').map((r) => r.status), ['skipped', 'skipped', 'skipped']);
    assert.not.ok(await exists(q, 'acme_first'), 'the refused org\'s earlier, harmless file did not run either');
    assert.ok(await exists(q, 'globex_second'));
  });
  await runUp(THREE_OWNERS, (f) => (f.owner === 'core' && f.name.includes('more') ? 'core says no' : undefined), async (run, q) => {
    assert.equal(run.results, []);
    assert.equal(run.error?.kind, 'refused');
    assert.match(run.error!.message, 'core_more.sql was refused: core says no');
    assert.equal(await ledger(q), []);
  });
});

test('a malformed org file refuses that org only; a malformed core file still stops the run', async () => {
  const ws = makeWorkspace({
    ...THREE_OWNERS,
    '20260103_000000_custom_acme_broken.sql': '-- schemac: owner=acme description="no sections"\ncreate table acme_x (id int);\n',
  });
  const db = await createTestDatabase();
  try {
    const r = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(r.code, 1);
    assert.match(r.err, /malformed migration 20260103_000000_custom_acme_broken\.sql: no `-- migrate:up` line \(org acme's migrations will not run\)/);
    assert.match(r.out, /acme +0 applied, refused, 2 skipped\n {2}globex +2 applied\n/);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query("select count(*)::int as n from schemac_migrations where owner = 'globex'");
    await c.end();
    assert.equal(rows, [{ n: 2 }]);
    fs.writeFileSync(path.join(ws.migrations, '20260109_000000_core_bad.sql'), 'not a header\n');
    const core = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(core.code, 1);
    assert.match(core.err, /20260109_000000_core_bad\.sql: the first line must be a header[^]*nothing was run/);
  } finally {
    await db.drop();
    ws.remove();
  }
});

test.run();
