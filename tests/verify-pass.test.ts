/**
 * A fresh replay of a large history runs each pass of `schemac verify` in a thread of its own,
 * on an instance of PGlite of its own over the work folder (compiler/commands/verify-pass.ts):
 * each pass leaves the folder closed, and the replay finds what one instance finds. Real PGlite
 * throughout; the built CLI (dist/cli.mjs, whose thread is dist/verify-pass.mjs) for the command.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { passTargets, replay, sessionDb, threadDb, THREADS_FROM } from '../compiler/commands/verify.ts';
import { type FileRef, fileRefs, pgliteDriver, readBack, runPass, schemaOf, schemaText } from '../compiler/commands/verify-pass.ts';
import { introspect } from '../runtime/introspect.ts';
import type { Snapshot } from '../compiler/ir.ts';
import { startPglite, wrapPglite } from '../runtime/driver.ts';
import { type MigrationFile, readMigrations } from '../runtime/files.ts';
import { BASE, readLedger } from '../runtime/migrator.ts';
import { ACME_INVOICES, CORE_INIT, makeWorkspace, migrationText } from './helpers/migrations.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CLI = path.join(ROOT, 'dist', 'cli.mjs');
const SETTINGS = { shared_buffers: '16MB' };

/** The files of `texts` written to a folder of their own and read back (a pass reads them again by path). */
function written(texts: Record<string, string>): MigrationFile[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-verify-pass-files-'));
  for (const [name, text] of Object.entries(texts)) fs.writeFileSync(path.join(dir, name), text);
  const { files, errors } = readMigrations(dir);
  if (errors.length) throw new Error(errors.join('\n'));
  folders.push(dir);
  return files;
}
const folders: string[] = [];
test.after(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});
const HISTORY = { '20260101_000000_core_init.sql': CORE_INIT, '20260102_000000_custom_acme_add_invoice_tables.sql': ACME_INVOICES };

function folder(): { dir: string; remove: () => void } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-verify-pass-'));
  return { dir: path.join(base, 'db'), remove: () => fs.rmSync(base, { recursive: true, force: true }) };
}

test('a step is cut into passes of about a chunk of SQL each, in order, the last stopping where the step stops', () => {
  const refs = (sizes: number[]): FileRef[] => sizes.map((bytes, i) => ({ name: `f${i}`, path: `/f${i}`, checksum: '', bytes }));
  assert.equal(passTargets(refs([5, 5, 5]), 'up', undefined, 100), [undefined], 'a small step is one pass');
  assert.equal(passTargets(refs([60, 60, 60, 60]), 'up', undefined, 100), ['f1', undefined], 'up through f1, then the rest');
  assert.equal(passTargets(refs([60, 60, 60, 60]), 'down', BASE, 100), ['f1', BASE], 'revert f3 and f2, then the rest');
  assert.equal(passTargets(refs([60, 60, 60, 60]), 'up', 'f2', 100), ['f1', 'f2']);
  assert.equal(passTargets(refs([60, 60, 60, 60]), 'down', 'f0', 100), ['f1', 'f0']);
  assert.equal(passTargets(refs([500, 500]), 'down', BASE, 100), ['f0', BASE], 'a file larger than a chunk is a pass of its own');
  assert.equal(passTargets(refs([500, 500]), 'down', 'nope', 100), ['nope'], 'a target that names no file is left to the migrator');
  // Replaying the targets over a ledger (how many files are applied) ends where the whole step does,
  // moves one way only, and runs at most a chunk of SQL per pass, or one file.
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 400 }), fc.boolean(), fc.nat(),
    (sizes, chunk, up, at) => {
      const files = refs(sizes);
      const stop = at % (files.length + 1);
      const to = up ? (stop === 0 ? undefined : files[stop - 1]!.name) : stop === 0 ? BASE : files[stop - 1]!.name;
      const goal = up ? (to === undefined ? files.length : stop) : stop;
      let applied = up ? 0 : files.length;
      for (const target of passTargets(files, up ? 'up' : 'down', to, chunk)) {
        const next = target === undefined ? files.length : target === BASE ? 0 : files.findIndex((f) => f.name === target) + 1;
        if (up ? next < applied : next > applied) return false;
        // The files a pass runs, in the order it runs them; all but its last come to less than a chunk.
        const ran = up ? sizes.slice(applied, next) : sizes.slice(next, applied).reverse();
        if (ran.slice(0, -1).reduce((a, b) => a + b, 0) >= chunk) return false;
        applied = next;
      }
      return applied === goal;
    },
  ));
});

test('the schema read back a few hundred tables at a time is the text of the whole introspection', async () => {
  const db = await startPglite();
  try {
    const q = wrapPglite(db);
    const ddl = [`CREATE TYPE "mood" AS ENUM ('a', 'b'); CREATE EXTENSION citext;`];
    for (let i = 0; i < 1100; i++) {
      const n = String(i).padStart(4, '0');
      const ref = i >= 500 ? `, "r" int REFERENCES "t${String(i - 500).padStart(4, '0')}" ("id")` : '';
      ddl.push(`CREATE TABLE "t${n}" ("id" int PRIMARY KEY, "m" mood, "c" citext DEFAULT 'x'${ref}); CREATE INDEX "t${n}_m" ON "t${n}" ("m") WHERE "id" > ${i};`);
    }
    await q.exec(ddl.join('\n'));
    const whole = schemaText(await introspect(q));
    assert.is(whole.length, 1102);
    assert.equal(await readBack(q), whole);
  } finally {
    await db.close();
  }
});

test('each pass runs on an instance of its own in a thread, and leaves the folder closed for the next', async () => {
  const f = folder();
  try {
    const files = written(HISTORY);
    fs.mkdirSync(f.dir);
    assert.equal(await runPass(f.dir, SETTINGS, { op: 'start' }), {});
    assert.ok(fs.existsSync(path.join(f.dir, 'PG_VERSION')), 'an empty folder gets a database (initdb)');
    assert.not.ok(fs.existsSync(`${f.dir}.lock`), 'the folder is given up when the pass ends');
    assert.equal(await runPass(f.dir, SETTINGS, { op: 'migrate', files: fileRefs(files), direction: 'up' }), {});
    const looked = await runPass(f.dir, SETTINGS, { op: 'look' });
    assert.equal(schemaOf(looked.schema!).tables.map((t) => t.name), ['acme_invoice_data', 'clients', 'notes']);
    const db = await startPglite(f.dir);
    try {
      assert.equal((await readLedger(wrapPglite(db))).map((r) => r.name), files.map((x) => x.name), 'this thread opens what the passes left');
    } finally {
      await db.close();
    }
    const down = await runPass(f.dir, SETTINGS, { op: 'migrate', files: fileRefs(files), direction: 'down', to: BASE, look: true });
    assert.equal(schemaOf(down.schema!).tables, [], 'down, and the schema read back in the same pass');
    const bad = written({ '20260103_000000_core_bad.sql': migrationText('core', 'bad', 'SELECT 1/0;', 'SELECT 1;') });
    assert.equal(await runPass(f.dir, SETTINGS, { op: 'migrate', files: fileRefs([...files, ...bad]), direction: 'up' }),
      { error: '20260103_000000_core_bad.sql:3 (up) failed: division by zero\n  statement: SELECT 1/0\n  the file was rolled back; the database is as it was before 20260103_000000_core_bad.sql' });
  } finally {
    f.remove();
  }
});

test('a file changed since the run read it is refused by the pass, and nothing runs', async () => {
  const f = folder();
  try {
    const files = written(HISTORY);
    fs.mkdirSync(f.dir);
    fs.appendFileSync(files[1]!.path, '-- edited\n');
    const r = await runPass(f.dir, SETTINGS, { op: 'migrate', files: fileRefs(files), direction: 'up', look: true });
    assert.equal(r, { error: '20260102_000000_custom_acme_add_invoice_tables.sql changed during the run' });
    assert.equal(schemaOf((await runPass(f.dir, SETTINGS, { op: 'look' })).schema!).tables, [], 'not even the file before it ran');
  } finally {
    f.remove();
  }
});

test('a folder that does not start says so, and is given up', async () => {
  const f = folder();
  try {
    fs.mkdirSync(f.dir);
    fs.writeFileSync(path.join(f.dir, 'PG_VERSION'), 'not a version\n');
    const r = await runPass(f.dir, SETTINGS, { op: 'look' });
    assert.type(r.startError, 'string');
    assert.is(r.schema, undefined);
    assert.not.ok(fs.existsSync(`${f.dir}.lock`));
  } finally {
    f.remove();
  }
});

/** The replay of `texts` against `snapshots`, in threads and in one instance here. */
async function both(texts: Record<string, string>, snapshots: Snapshot[]) {
  const files = written(texts);
  const out = [];
  for (const threaded of [true, false]) {
    const f = folder();
    try {
      fs.mkdirSync(f.dir);
      assert.equal(await runPass(f.dir, SETTINGS, { op: 'start' }), {});
      if (threaded) out.push(await replay(threadDb(f.dir, fileRefs(files)), files, () => snapshots));
      else {
        const db = await startPglite(f.dir, {}, SETTINGS);
        try {
          const session = await sessionDb(pgliteDriver(db), files);
          try {
            out.push(await replay(session, files, () => snapshots));
          } finally {
            await session.close();
          }
        } finally {
          await db.close();
        }
      }
    } finally {
      f.remove();
    }
  }
  return { threads: out[0]!, one: out[1]! };
}

/** A history creating t1 … tn (one integer column each), and the core snapshot it meets. */
function tables(n: number): { texts: Record<string, string>; snapshot: Snapshot } {
  const texts: Record<string, string> = {};
  for (let i = 1; i <= n; i++) texts[`2026010${i}_000000_core_t${i}.sql`] = migrationText('core', `t${i}`, `CREATE TABLE "t${i}" (id int);`, `DROP TABLE "t${i}";`);
  const table = (i: number): Snapshot['tables'][number] => ({
    name: `t${i}`, comment: null, tenant: 'global', columns: [{ name: 'id', type: 'integer', nullable: true, default: null, comment: null }],
    primaryKey: null, foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null,
  });
  return { texts, snapshot: { version: 1, owner: 'core', extensions: [], enums: [], tables: Array.from({ length: n }, (_, i) => table(i + 1)) } };
}

test('a replay in threads finds what one instance finds: a history that holds, one the snapshots do not have, a down that leaves a table, an up that fails', async () => {
  const { texts, snapshot } = tables(2);
  const holds = await both(texts, [snapshot]);
  assert.equal(holds.threads, holds.one);
  assert.equal(holds.threads.problems, []);
  assert.equal(holds.threads.live?.tables.map((t) => t.name), ['t1', 't2']);
  const leaves = await both({ ...texts, '20260103_000000_core_leaves.sql': migrationText('core', 'leaves', 'CREATE TABLE "kept" (id int);', 'SELECT 1;') }, [snapshot]);
  assert.equal(leaves.threads, leaves.one);
  assert.match(leaves.threads.problems.join('\n'), /after every migration, the database differs from the snapshots:[\s\S]*kept/);
  const downLeaves = await both({ '20260101_000000_core_t1.sql': migrationText('core', 't1', 'CREATE TABLE "t1" (id int);', 'SELECT 1;') }, [tables(1).snapshot]);
  assert.equal(downLeaves.threads, downLeaves.one);
  assert.equal(downLeaves.threads.problems, ['after reverting every migration, the database still holds:', 'table "t1"']);
  const fails = await both({ ...texts, '20260103_000000_core_fails.sql': migrationText('core', 'fails', 'CREATE TABLE "t" (id int);\nSELECT 1/0;', 'DROP TABLE "t";') }, [snapshot]);
  assert.equal(fails.threads, fails.one);
  assert.match(fails.threads.problems.join('\n'), /^replaying the migrations failed: 20260103_000000_core_fails\.sql:4 \(up\) failed: division by zero/);
});

test(`verify replays a history of ${THREADS_FROM / 1048576} MiB of SQL or more a thread per pass, from the built CLI, and keeps its image`, () => {
  const pad = `-- ${'x'.repeat(200)}\n`.repeat(Math.ceil(THREADS_FROM / 200));
  const big = migrationText('core', 'padded', `${pad}CREATE TABLE "t1" (id int);`, 'DROP TABLE "t1";');
  const ws = makeWorkspace({ '20260101_000000_core_padded.sql': big });
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-verify-pass-cache-'));
  try {
    const snapshot: Snapshot = {
      version: 1, owner: 'core', extensions: [], enums: [],
      tables: [{ name: 't1', comment: null, tenant: 'global', columns: [{ name: 'id', type: 'integer', nullable: true, default: null, comment: null }], primaryKey: null, foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null }],
    };
    fs.mkdirSync(path.join(ws.dir, 'generated', 'snapshots'), { recursive: true });
    fs.writeFileSync(path.join(ws.dir, 'generated', 'snapshots', 'core.json'), `${JSON.stringify(snapshot, null, 2)}\n`);
    const verify = (...args: string[]) => spawnSync(process.execPath, [CLI, '--cwd', ws.dir, 'verify', ...args], {
      encoding: 'utf8', env: { ...process.env, SCHEMAC_TEST: '', SCHEMAC_NO_CACHE: '', SCHEMAC_CACHE_DIR: cache, SCHEMAC_TRACE: '1', DATABASE_URL: '' },
    });
    const first = verify();
    assert.is(first.status, 0, first.stderr);
    assert.match(first.stderr, /verify: started \(a thread per pass\)/);
    assert.match(first.stdout, /verified 1 migration\(s\) against 1 snapshot\(s\) on a fresh embedded database/);
    const again = verify();
    assert.is(again.status, 0, again.stderr);
    assert.match(again.stdout, /on the embedded database saved after the first 1/, 'the image the threads left is kept and starts');
    fs.writeFileSync(path.join(ws.dir, 'generated', 'snapshots', 'core.json'), `${JSON.stringify({ ...snapshot, tables: [] }, null, 2)}\n`);
    const drift = verify('--full');
    assert.is(drift.status, 1);
    assert.match(drift.stderr, /after every migration, the database differs from the snapshots:[\s\S]*t1/);
  } finally {
    ws.remove();
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test.run();
