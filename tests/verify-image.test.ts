/**
 * `schemac verify` keeps the database it replayed as an image in `.schemac/verify`, named by
 * the hash of the history it holds: the next run loads the longest cached prefix and runs
 * only the files after it; a changed earlier file, `--full` and an unreadable image all
 * replay from nothing. Real PGlite throughout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { historyKeys, KEEP_IMAGES } from '../compiler/commands/verify-image.ts';
import { builtinTypes, touchedTables, typeName } from '../compiler/commands/verify-scope.ts';
import { startPglite, wrapPglite } from '../runtime/driver.ts';
import { introspect } from '../runtime/introspect.ts';
import type { LiveSchema } from '../runtime/introspect.ts';
import { parseMigration } from '../runtime/files.ts';
import type { SnapColumn, Snapshot, SnapTable } from '../compiler/ir.ts';
import { readMigrations } from '../runtime/files.ts';
import { captureIo } from './helpers/io.ts';
import { makeWorkspace, migrationText } from './helpers/migrations.ts';

async function verify(dir: string, ...args: string[]) {
  const io = captureIo();
  const code = await run(['--cwd', dir, 'verify', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const col = (name: string): SnapColumn => ({ name, type: 'integer', nullable: true, default: null, comment: null });
const table = (name: string, ...columns: string[]): SnapTable => ({
  name, comment: null, tenant: 'global', columns: columns.map(col), primaryKey: null, foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null,
});

/** Migration `i` creates table `t<i>`. */
const create = (i: number) => migrationText('core', `t${i}`, `CREATE TABLE "t${i}" (id int);`, `DROP TABLE "t${i}";`);
const fileName = (i: number) => `2026010${i}_000000_core_t${i}.sql`;

/** A workspace whose history creates t1 … tn, with the matching core snapshot. */
function workspace(n: number) {
  const files: Record<string, string> = {};
  for (let i = 1; i <= n; i++) files[fileName(i)] = create(i);
  const ws = makeWorkspace(files);
  writeSnapshot(ws.dir, Array.from({ length: n }, (_, i) => table(`t${i + 1}`, 'id')));
  return ws;
}

function writeSnapshot(dir: string, tables: SnapTable[]): void {
  const snapshot: Snapshot = { version: 1, owner: 'core', extensions: [], enums: [], tables };
  const out = path.join(dir, 'generated', 'snapshots');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'core.json'), `${JSON.stringify(snapshot, null, 2)}\n`);
}

/** Adds migration i (creating t<i>) and the snapshot of t1 … ti. */
function addMigration(ws: { dir: string; migrations: string }, i: number, text = create(i)): void {
  fs.writeFileSync(path.join(ws.migrations, fileName(i)), text);
  writeSnapshot(ws.dir, Array.from({ length: i }, (_, k) => table(`t${k + 1}`, 'id')));
}

const imageDir = (dir: string) => path.join(dir, '.schemac', 'verify');
const images = (dir: string) => (fs.existsSync(imageDir(dir)) ? fs.readdirSync(imageDir(dir)).filter((n) => /^[0-9a-f]{64}$/.test(n)).sort() : []);
const keyOf = (ws: { migrations: string }) => historyKeys(readMigrations(ws.migrations).files).at(-1)!;

test('the tables new files can touch: by their names, or those of their indexes, constraints, triggers, functions, column types', () => {
  const live = (t: SnapTable, extra: Partial<LiveSchema['tables'][number]> = {}) => ({ ...t, rlsEnabled: false, rlsForced: false, policies: [], ...extra });
  const before: LiveSchema = {
    enums: [{ name: 'mood', values: ['a'] }], extensions: [],
    tables: [
      live(table('plain', 'id')),
      live({ ...table('indexed', 'id'), indexes: [{ name: 'indexed_id_idx', columns: ['id'], unique: false, using: 'btree', where: null }] }),
      live({ ...table('checked', 'id'), checks: [{ name: 'Checked Positive', expr: 'id > 0' }] }),
      live({ ...table('triggered', 'id'), triggers: [{ name: 'tg', kind: 'set_updated_at', function: 'touch_row', columns: [] }] } as SnapTable),
      live({ ...table('moody', 'id'), columns: [{ name: 'm', type: 'mood[]', nullable: true, default: null, comment: null }] }),
      live(table('policed', 'id'), { policies: ['policed_isolation'] }),
      live({ ...table('referring', 'id'), foreignKeys: [{ name: 'referring_id_fkey', columns: ['id'], refTable: 'checked', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }] }),
    ],
  };
  const touched = (up: string, down = 'SELECT 1;') => {
    const { file } = parseMigration('20260109_000000_core_x.sql', migrationText('core', 'x', up, down));
    const set = touchedTables([file!], before, new Set(['integer', 'text']));
    return set === undefined ? undefined : [...set].sort();
  };
  assert.equal(touched('ALTER TABLE PLAIN ADD COLUMN x int;'), ['plain']);
  assert.equal(touched('ALTER TABLE "plain" ADD COLUMN "y" integer;'), ['plain'], 'a built-in type touches no table');
  assert.equal(touched('DROP INDEX "indexed_id_idx";'), ['indexed']);
  assert.equal(touched('ALTER TABLE "x" DROP CONSTRAINT "Checked Positive";'), ['checked']);
  assert.equal(touched('CREATE OR REPLACE FUNCTION touch_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;'), ['triggered']);
  assert.equal(touched(`ALTER TYPE "mood" RENAME TO "feeling";`), ['moody']);
  assert.equal(touched('DROP POLICY policed_isolation ON elsewhere;'), ['policed']);
  assert.equal(touched('CREATE TABLE "new" (id int);', 'DROP TABLE "new";'), []);
  assert.equal(touched('ALTER TABLE "plain" ADD CONSTRAINT "p_fk" FOREIGN KEY (id) REFERENCES "indexed" (id) ON DELETE CASCADE;'), ['indexed', 'plain']);
  assert.equal(touched('DROP TABLE "checked" CASCADE;'), ['checked', 'referring']);
  assert.is(touched('DROP SCHEMA public CASCADE;'), undefined);
  assert.is(touched(`DO $$ BEGIN EXECUTE 'DROP TABLE ' || 'plain'; END $$;`), undefined, 'SQL built at run time may touch anything');
});

test('the built-in types are named as the introspection writes column types, and a type a migration made is not among them', async () => {
  const db = await startPglite();
  try {
    const q = wrapPglite(db);
    await q.exec(`CREATE EXTENSION citext; CREATE TYPE "mood" AS ENUM ('a');
      CREATE TABLE "t" (a integer, b text, c character varying(5), d timestamptz, e mood, f text[], g numeric(10, 2)[], h citext)`);
    const builtins = await builtinTypes(q);
    const types = (await introspect(q)).tables[0]!.columns.map((c) => typeName(c.type));
    assert.equal(types, ['integer', 'text', 'varchar', 'timestamptz', 'mood', 'text', 'numeric', 'citext']);
    assert.equal(types.map((t) => builtins.has(t)), [true, true, true, true, false, true, true, false]);
  } finally {
    await db.close();
  }
});

test('a second run starts from the saved image and runs only the new migration', async () => {
  const ws = workspace(2);
  try {
    const first = await verify(ws.dir);
    assert.is(first.code, 0, first.err);
    assert.match(first.out, /verified 2 migration\(s\) against 1 snapshot\(s\) on a fresh embedded database: up, down and up again/);
    assert.equal(images(ws.dir), [keyOf(ws)]);
    assert.ok(fs.existsSync(path.join(imageDir(ws.dir), keyOf(ws), 'PG_VERSION')), 'the image is a data directory');
    const saved = keyOf(ws);
    addMigration(ws, 3);
    const second = await verify(ws.dir);
    assert.is(second.code, 0, second.err);
    assert.match(second.out, new RegExp(`verified 3 migration\\(s\\) .* saved after the first 2 \\(\\.schemac/verify/${saved}\\): 1 new: up, down and up again`));
    assert.equal(images(ws.dir), [keyOf(ws)], 'the run moved the image on: it now holds the whole history');
    assert.not.ok(fs.existsSync(path.join(imageDir(ws.dir), `${saved}.json`)));
    const third = await verify(ws.dir);
    assert.is(third.code, 0, third.err);
    assert.match(third.out, /saved after the first 3 .*: no new migration, its schema compared with the snapshots/);
  } finally {
    ws.remove();
  }
});

test('the image still meets the snapshots: a snapshot the history does not build fails', async () => {
  const ws = workspace(2);
  try {
    assert.is((await verify(ws.dir)).code, 0);
    writeSnapshot(ws.dir, [table('t1', 'id'), table('t2', 'id', 'extra')]);
    const r = await verify(ws.dir);
    assert.is(r.code, 1);
    assert.match(r.out + r.err, /saved after the first 2|differs from the snapshots/);
    assert.match(r.err, /differs from the snapshots/);
  } finally {
    ws.remove();
  }
});

test('a changed earlier migration is never covered by an image: the history is replayed from nothing', async () => {
  const ws = workspace(2);
  try {
    assert.is((await verify(ws.dir)).code, 0);
    fs.writeFileSync(path.join(ws.migrations, fileName(1)), migrationText('core', 't1', 'CREATE TABLE "t1" (id int, extra int);', 'DROP TABLE "t1";'));
    writeSnapshot(ws.dir, [table('t1', 'id', 'extra'), table('t2', 'id')]);
    const r = await verify(ws.dir);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /on a fresh embedded database/);
  } finally {
    ws.remove();
  }
});

test('a new migration whose down leaves an object behind is caught on the image', async () => {
  const ws = workspace(2);
  try {
    assert.is((await verify(ws.dir)).code, 0);
    addMigration(ws, 3, migrationText('core', 't3', 'CREATE TABLE "t3" (id int);\nALTER TABLE "t1" ADD COLUMN "x" int;', 'DROP TABLE "t3";'));
    writeSnapshot(ws.dir, [table('t1', 'id', 'x'), table('t2', 'id'), table('t3', 'id')]);
    const r = await verify(ws.dir);
    assert.is(r.code, 1);
    assert.match(r.err, /after reverting the new migrations, the database differs from before them:\n\s+table "t1" \(changed\)/);
  } finally {
    ws.remove();
  }
});

test('a new migration that fails gives the image back: the next run starts from it again', async () => {
  const ws = workspace(2);
  try {
    assert.is((await verify(ws.dir)).code, 0);
    const saved = keyOf(ws);
    addMigration(ws, 3, migrationText('core', 't3', 'CREATE TABLE "t3" (id int);\nSELECT 1/0;', 'DROP TABLE "t3";'));
    const bad = await verify(ws.dir);
    assert.is(bad.code, 1);
    assert.match(bad.err, /applying the new migrations failed: .*division by zero/);
    assert.equal(images(ws.dir), [saved], 'the image is back in place, and no work folder is left');
    assert.equal(fs.readdirSync(imageDir(ws.dir)).filter((n) => n.startsWith('work-')), []);
    addMigration(ws, 3);
    const good = await verify(ws.dir);
    assert.is(good.code, 0, good.err);
    assert.match(good.out, new RegExp(`saved after the first 2 \\(\\.schemac/verify/${saved}\\): 1 new`));
  } finally {
    ws.remove();
  }
});

test('--full replays the whole history even when an image holds it', async () => {
  const ws = workspace(2);
  try {
    assert.is((await verify(ws.dir)).code, 0);
    const r = await verify(ws.dir, '--full');
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /verified 2 migration\(s\) against 1 snapshot\(s\) on a fresh embedded database: up, down and up again/);
  } finally {
    ws.remove();
  }
});

/**
 * Migration 2 remembers, outside `public` (which `verify` does not read), that it ran before,
 * and its second up builds `t1` differently: with column `x`, or (in `side_t`, a table the
 * config's `ignore:` keeps out of the snapshots) with column `y`.
 */
function rerunDiffers(ws: { dir: string }, target: 't1 (id, x)' | 'side_t (y)'): void {
  const change = target === 't1 (id, x)' ? 'ALTER TABLE "t1" ADD COLUMN "x" int' : 'ALTER TABLE "side_t" ADD COLUMN "y" int';
  const up = [
    'CREATE SCHEMA IF NOT EXISTS "memory";',
    'CREATE TABLE IF NOT EXISTS "memory"."ran" (n int);',
    'CREATE TABLE "side_t" (id int);',
    `DO $$ BEGIN IF EXISTS (SELECT FROM "memory"."ran") THEN EXECUTE '${change.replaceAll("'", "''")}'; END IF; END $$;`,
    'INSERT INTO "memory"."ran" VALUES (1);',
  ].join('\n');
  const down = target === 't1 (id, x)' ? 'DROP TABLE "side_t";\nALTER TABLE "t1" DROP COLUMN IF EXISTS "x";' : 'DROP TABLE "side_t";';
  fs.writeFileSync(path.join(ws.dir, 'generated', 'migrations', fileName(2)), migrationText('core', 't2', up, down));
  fs.writeFileSync(path.join(ws.dir, 'schemac.config.yaml'), 'ignore: [side_*]\n');
  writeSnapshot(ws.dir, [table('t1', 'id')]);
}

test('a fresh replay whose second up builds another schema fails: against the snapshots, and outside them', async () => {
  for (const [target, expected] of [
    ['t1 (id, x)', /up → down → up did not rebuild the same schema:\n\s+.*"t1".*"x"/],
    ['side_t (y)', /up → down → up did not rebuild the same schema:\n\s+\(differences outside the snapshots\)/],
  ] as const) {
    const ws = workspace(1);
    try {
      rerunDiffers(ws, target);
      const r = await verify(ws.dir);
      assert.is(r.code, 1, `${target}: ${r.out}`);
      assert.match(r.err, expected, target);
      assert.equal(images(ws.dir), [], target);
    } finally {
      ws.remove();
    }
  }
});

test('an image whose description is unreadable is removed with a note and the history replayed', async () => {
  const ws = workspace(2);
  try {
    assert.is((await verify(ws.dir)).code, 0);
    fs.writeFileSync(path.join(imageDir(ws.dir), `${keyOf(ws)}.json`), '{"format":');
    addMigration(ws, 3);
    const r = await verify(ws.dir);
    assert.is(r.code, 0, r.err);
    assert.match(r.err, /the image \.schemac\/verify\/[0-9a-f]{64} cannot be read \(.*JSON.*\); it was removed and its migrations are replayed/);
    assert.match(r.out, /on a fresh embedded database/);
  } finally {
    ws.remove();
  }
});

test('an image whose data directory does not start is removed with a note and the history replayed', async () => {
  const ws = workspace(2);
  try {
    assert.is((await verify(ws.dir)).code, 0);
    const saved = keyOf(ws);
    fs.writeFileSync(path.join(imageDir(ws.dir), saved, 'global', 'pg_control'), 'not a control file');
    addMigration(ws, 3);
    const r = await verify(ws.dir);
    assert.is(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`the image \\.schemac/verify/${saved} does not start \\(.*\\); it was removed and every migration is replayed`));
    assert.match(r.out, /verified 3 migration\(s\) .* on a fresh embedded database/);
    assert.not.ok(images(ws.dir).includes(saved));
    const again = await verify(ws.dir);
    assert.match(again.out, /saved after the first 3 .*: no new migration, its schema compared with the snapshots/, 'the replay kept a good image');
  } finally {
    ws.remove();
  }
});

test(`the folder keeps the last ${KEEP_IMAGES} images of histories that went apart`, async () => {
  const ws = workspace(1);
  try {
    const keys: string[] = [];
    for (let i = 2; i <= KEEP_IMAGES + 2; i++) {
      // Each history replaces t1's file: no image covers a prefix of the next one.
      fs.writeFileSync(path.join(ws.migrations, fileName(1)), migrationText('core', 't1', `CREATE TABLE "t1" (id int); -- ${i}`, 'DROP TABLE "t1";'));
      assert.is((await verify(ws.dir)).code, 0);
      keys.push(keyOf(ws));
    }
    assert.equal(images(ws.dir), keys.slice(-KEEP_IMAGES).sort());
    assert.equal(fs.readdirSync(imageDir(ws.dir)).filter((n) => n.endsWith('.json')).length, KEEP_IMAGES);
    assert.equal(fs.readdirSync(imageDir(ws.dir)).filter((n) => n.endsWith('.tmp') || n.startsWith('work-')), []);
  } finally {
    ws.remove();
  }
});

/** Runs `body` with the per-user cache in a fresh folder (none otherwise, in tests). */
async function withCache(body: (cache: string) => Promise<void>): Promise<void> {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-verify-cache-'));
  const saved = process.env.SCHEMAC_CACHE_DIR;
  process.env.SCHEMAC_CACHE_DIR = cache;
  try {
    await body(cache);
  } finally {
    if (saved === undefined) delete process.env.SCHEMAC_CACHE_DIR;
    else process.env.SCHEMAC_CACHE_DIR = saved;
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

test('a fresh replay starts from a copy of the empty database kept in the per-user cache', async () => {
  await withCache(async (cache) => {
    const ws = workspace(2);
    try {
      const cluster = path.join(cache, 'verify-cluster-v1');
      assert.is((await verify(ws.dir, '--full')).code, 0);
      assert.ok(fs.existsSync(path.join(cluster, 'PG_VERSION')), 'the first fresh replay kept the empty database');
      assert.equal(fs.readdirSync(cache).filter((n) => n.startsWith('verify-cluster')), ['verify-cluster-v1'], 'no temporary folder or lock is left');
      fs.writeFileSync(path.join(cluster, 'marker'), '');
      const r = await verify(ws.dir, '--full');
      assert.is(r.code, 0, r.err);
      assert.match(r.out, /on a fresh embedded database: up, down and up again/);
      assert.ok(fs.existsSync(path.join(imageDir(ws.dir), keyOf(ws), 'marker')), 'the replayed database was the copy');
    } finally {
      ws.remove();
    }
  });
});

test('a kept empty database that does not start is made again, and the run replays as before', async () => {
  await withCache(async (cache) => {
    const ws = workspace(2);
    try {
      const cluster = path.join(cache, 'verify-cluster-v1');
      assert.is((await verify(ws.dir, '--full')).code, 0);
      fs.writeFileSync(path.join(cluster, 'global', 'pg_control'), 'not a control file');
      const r = await verify(ws.dir, '--full');
      assert.is(r.code, 0, r.err);
      assert.match(r.out, /verified 2 migration\(s\) against 1 snapshot\(s\) on a fresh embedded database/);
      assert.not.ok(fs.existsSync(cluster) && fs.readFileSync(path.join(cluster, 'global', 'pg_control'), 'latin1') === 'not a control file', 'the broken copy is gone');
      assert.is((await verify(ws.dir, '--full')).code, 0);
      assert.ok(fs.existsSync(path.join(cluster, 'PG_VERSION')), 'and made again');
    } finally {
      ws.remove();
    }
  });
});

test.run();
