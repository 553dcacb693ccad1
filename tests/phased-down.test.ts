/**
 * Down then up of a phased migration, on a real PostgreSQL with rows in the tables. The golden
 * cases `phasing` (every phased kind: a check and a foreign key validated later, a NOT NULL
 * through a check, a volatile default backfilled, a primary key and a unique constraint built
 * concurrently, an index, a foreign key to a key built concurrently) and `enum-add-and-use`
 * (enum values added in the transactional file and used in the concurrent part) are generated
 * by the CLI and applied file by file:
 *
 * - the concurrent part's down brings the database back to exactly the state right after the
 *   transactional file (constraints, their validity, NOT NULL, defaults, indexes), and its up
 *   then runs again; the transactional file's down brings it back to the state before; both
 *   ups then run again;
 * - the re-up's SET NOT NULL uses the validated check: PostgreSQL says "existing constraints
 *   … are sufficient to prove that it does not contain nulls" and never "verifying table";
 * - every statement of the concurrent part, up and down, runs again after an interruption at
 *   any statement: the file is cut before each statement and then run whole; the down of an
 *   up cut anywhere gives back the state after the transactional part too;
 * - an enum value added and used by one migration: a lock held on the table makes the concurrent
 *   part fail after the values were committed; the rerun succeeds.
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
import { openDriver, wrapPgClient } from '../runtime/driver.ts';
import type { MigrationFile } from '../runtime/files.ts';
import { orderMigrations, parseMigration, readMigrations } from '../runtime/files.ts';
import { compareSchema, introspect } from '../runtime/introspect.ts';
import { runMigrations } from '../runtime/migrator.ts';
import { splitStatements } from '../runtime/statements.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';

const CASES = path.join(import.meta.dirname, 'cases', 'migrate');

/** A workspace holding the migrations of a golden case's two steps, and the snapshots after each. */
interface Generated {
  readonly dir: string;
  /** The first step's files, then the second step's transactional file and its concurrent part. */
  readonly first: MigrationFile[];
  readonly main: MigrationFile;
  readonly concurrent: MigrationFile;
  readonly before: Snapshot[];
  readonly after: Snapshot[];
}

async function generate(name: string): Promise<Generated> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `schemac-phased-down-${name}-`));
  const snapshots: Snapshot[][] = [];
  const files: MigrationFile[][] = [];
  for (const step of ['01', '02']) {
    fs.rmSync(path.join(dir, 'schemas'), { recursive: true, force: true });
    fs.cpSync(path.join(CASES, name, step), dir, { recursive: true });
    const seen = new Set(migrationNames(dir));
    const io = captureIo({ SCHEMAC_NOW: `2026-01-${step}T12:00:00Z` });
    assert.is(await run(['migration', `step ${step}`, '--all'], io, dir), 0, io.err() + io.out());
    files.push(orderMigrations(migrationNames(dir).filter((n) => !seen.has(n)).map((n) => readFile(dir, n))));
    snapshots.push(readSnapshots(dir));
  }
  const [main, concurrent] = files[1];
  assert.ok(!main.noTransaction && concurrent.noTransaction && concurrent.name.endsWith('_concurrent.sql'), files[1].map((f) => f.name).join(', '));
  return { dir, first: files[0], main, concurrent, before: snapshots[0], after: snapshots[1] };
}

function migrationNames(dir: string): string[] {
  const folder = path.join(dir, 'generated', 'migrations');
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((n) => n.endsWith('.sql')).sort() : [];
}

function readFile(dir: string, name: string): MigrationFile {
  const parsed = parseMigration(name, fs.readFileSync(path.join(dir, 'generated', 'migrations', name), 'utf8'));
  assert.ok(parsed.file, parsed.error);
  return parsed.file!;
}

function readSnapshots(dir: string): Snapshot[] {
  const folder = path.join(dir, 'generated', 'snapshots');
  return fs.readdirSync(folder).filter((n) => n.endsWith('.json')).sort().map((n) => parseSnapshot(fs.readFileSync(path.join(folder, n), 'utf8'), n).snapshot!);
}

/** The statements of a section, as the runtime cuts them. */
async function statements(sql: string): Promise<string[]> {
  const split = await splitStatements(sql);
  assert.ok(split, 'the section parses');
  return split!.map((s) => s.sql);
}

/** Runs a section as the runtime does: a transactional file whole, a no-transaction file statement by statement. */
async function apply(c: pg.Client, file: MigrationFile, section: 'up' | 'down'): Promise<void> {
  if (!file.noTransaction) {
    await c.query(file[section]);
    return;
  }
  for (const sql of await statements(file[section])) await c.query(sql);
}

/**
 * Everything the catalog says of the public schema, one line per fact: columns (type, NOT NULL,
 * default), constraints (definition, validated), indexes (definition, valid), enums (values).
 * schemac's ledger is left out.
 */
async function catalog(c: pg.Client): Promise<string[]> {
  const { rows } = await c.query<{ fact: string }>(`
    WITH rel AS (SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'schemac\\_%')
    SELECT format('column %s.%s %s not null=%s default=%s', r.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)) AS fact
      FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT format('constraint %s.%s %s validated=%s', r.relname, k.conname, pg_get_constraintdef(k.oid), k.convalidated)
      FROM rel r JOIN pg_constraint k ON k.conrelid = r.oid
    UNION ALL SELECT format('index %s valid=%s', pg_get_indexdef(i.indexrelid), i.indisvalid)
      FROM rel r JOIN pg_index i ON i.indrelid = r.oid
    UNION ALL SELECT format('enum %s %s', t.typname, (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'
    ORDER BY 1`);
  return rows.map((r) => r.fact);
}

async function expectSnapshots(c: pg.Client, snapshots: readonly Snapshot[], where: string): Promise<void> {
  const problems = compareSchema(snapshots, await introspect(wrapPgClient(c)));
  assert.equal(problems, [], `${where}: ${problems.join('\n')}`);
}

async function introspected(c: pg.Client): Promise<unknown> {
  return JSON.parse(JSON.stringify(await introspect(wrapPgClient(c))));
}

/** A fresh database with the first step applied and the second step's seed rows in it. */
async function prepared(g: Generated, name: string): Promise<{ db: TestDatabase; c: pg.Client }> {
  const db = await createTestDatabase();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  for (const f of g.first) await apply(c, f, 'up');
  await c.query(fs.readFileSync(path.join(CASES, name, '02.seed.sql'), 'utf8'));
  return { db, c };
}

async function runAssert(c: pg.Client, name: string): Promise<void> {
  const file = path.join(CASES, name, '02.assert.sql');
  if (fs.existsSync(file)) await c.query(fs.readFileSync(file, 'utf8'));
}

for (const name of ['phasing', 'enum-add-and-use']) {
  test(`${name}: down of the concurrent part gives back the state after the transactional part, down of both the state before; every up runs again`, async () => {
    const g = await generate(name);
    const { db, c } = await prepared(g, name);
    try {
      const before = await catalog(c);
      const beforeLive = await introspected(c);
      await apply(c, g.main, 'up');
      const afterMain = await catalog(c);
      const afterMainLive = await introspected(c);
      await apply(c, g.concurrent, 'up');
      const afterBoth = await catalog(c);
      await expectSnapshots(c, g.after, 'after both ups');
      await runAssert(c, name);

      await apply(c, g.concurrent, 'down');
      assert.equal(await catalog(c), afterMain, 'the concurrent down gives back the catalog right after the transactional part');
      assert.equal(await introspected(c), afterMainLive, 'and the introspected schema');
      const notices = await upWatchingNotNull(c, g.concurrent);
      assert.equal(await catalog(c), afterBoth, 'the concurrent part runs again');
      await runAssert(c, name);
      if (name === 'phasing') assert.equal(notices.length, 3, 'three SET NOT NULL statements ran');

      await apply(c, g.concurrent, 'down');
      await apply(c, g.main, 'down');
      assert.equal(await catalog(c), before, 'both downs give back the catalog before the migration');
      assert.equal(await introspected(c), beforeLive, 'and the introspected schema');
      await expectSnapshots(c, g.before, 'after both downs');
      await apply(c, g.main, 'up');
      await apply(c, g.concurrent, 'up');
      assert.equal(await catalog(c), afterBoth, 'both ups run again');
      await expectSnapshots(c, g.after, 'after both ups again');
      await runAssert(c, name);
    } finally {
      await c.end();
      await db.drop();
      fs.rmSync(g.dir, { recursive: true, force: true });
    }
  });

  test(`${name}: every statement of the concurrent part, up and down, runs again after an interruption before any statement, and the down reverts an interrupted up`, async () => {
    const g = await generate(name);
    const { db, c } = await prepared(g, name);
    try {
      await apply(c, g.main, 'up');
      const afterMain = await catalog(c);
      await apply(c, g.concurrent, 'up');
      const afterBoth = await catalog(c);
      const [up, down] = [await statements(g.concurrent.up), await statements(g.concurrent.down)];
      for (let cut = 1; cut < down.length; cut++) {
        for (const sql of down.slice(0, cut)) await c.query(sql);
        await runWhole(c, down, `the down cut before statement ${cut + 1}`);
        assert.equal(await catalog(c), afterMain, `the down cut before statement ${cut + 1}, then run whole`);
      }
      for (let cut = 1; cut < up.length; cut++) {
        for (const sql of up.slice(0, cut)) await c.query(sql);
        await runWhole(c, down, `the down after the up cut before statement ${cut + 1}`);
        assert.equal(await catalog(c), afterMain, `the up cut before statement ${cut + 1}, then reverted`);
        for (const sql of up.slice(0, cut)) await c.query(sql);
        await runWhole(c, up, `the up cut before statement ${cut + 1}`);
        assert.equal(await catalog(c), afterBoth, `the up cut before statement ${cut + 1}, then run whole`);
        await runAssert(c, name);
        await apply(c, g.concurrent, 'down');
      }
      console.log(`  ${name}: the concurrent part cut before each of its ${up.length} up and ${down.length} down statements, then run again`);
    } finally {
      await c.end();
      await db.drop();
      fs.rmSync(g.dir, { recursive: true, force: true });
    }
  });
}

async function runWhole(c: pg.Client, section: readonly string[], what: string): Promise<void> {
  for (const [i, sql] of section.entries()) {
    await c.query(sql).catch((e: Error) => assert.unreachable(`${what}: statement ${i + 1} fails when run again: ${e.message}\n${sql}`));
  }
}

/**
 * Runs a concurrent part's up with `client_min_messages = debug1` and checks each
 * `ALTER COLUMN … SET NOT NULL`: PostgreSQL proves it from the validated check and does not
 * scan the table (which it would say as "verifying table"). Resolves to those statements' notices.
 */
async function upWatchingNotNull(c: pg.Client, file: MigrationFile): Promise<string[]> {
  const heard: string[] = [];
  const listen = (n: { message?: string }) => void heard.push(n.message ?? '');
  c.on('notice', listen);
  const proofs: string[] = [];
  try {
    await c.query('SET client_min_messages = debug1');
    for (const sql of await statements(file.up)) {
      heard.length = 0;
      await c.query(sql);
      const column = /^ALTER TABLE "([^"]+)" ALTER COLUMN "([^"]+)" SET NOT NULL$/.exec(sql.replace(/;$/, ''));
      if (column === null) continue;
      const [, table, name] = column;
      assert.ok(heard.includes(`existing constraints on column "${table}.${name}" are sufficient to prove that it does not contain nulls`), `${sql}: ${heard.join(' | ')}`);
      assert.not.ok(heard.some((m) => m.startsWith('verifying table')), `${sql} scanned the table under its exclusive lock: ${heard.join(' | ')}`);
      proofs.push(...heard);
    }
  } finally {
    await c.query('RESET client_min_messages');
    c.off('notice', listen);
  }
  return proofs;
}

test('an enum value added and used by one migration: the concurrent part fails on a lock after the value is committed, and the rerun succeeds', async () => {
  const name = 'enum-add-and-use';
  const g = await generate(name);
  const db = await createTestDatabase();
  const files = readMigrations(path.join(g.dir, 'generated', 'migrations'));
  assert.equal(files.errors, []);
  const driver = await openDriver({ kind: 'pg', url: db.url });
  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  try {
    const migrate = (to?: string) => runMigrations({ driver, files: files.files, direction: 'up', ...(to === undefined ? {} : { to }) });
    assert.is((await migrate(g.first.at(-1)!.name)).error, undefined);
    await holder.query(fs.readFileSync(path.join(CASES, name, '02.seed.sql'), 'utf8'));
    assert.is((await migrate(g.main.name)).error, undefined);
    await holder.query('BEGIN');
    await holder.query('SELECT count(*) FROM orders');
    const failed = await migrate();
    assert.equal(failed.results.map((r) => r.status), ['failed']);
    assert.match(failed.error?.message ?? '', /lock timeout/);
    const values = await holder.query(`SELECT array_agg(enumlabel::text ORDER BY enumsortorder) AS v FROM pg_enum WHERE enumtypid = 'order_status'::regtype`);
    assert.equal(values.rows[0].v, ['draft', 'open', 'paid', 'void'], 'the values were committed by the transactional file');
    await holder.query('COMMIT');
    const again = await migrate();
    assert.is(again.error, undefined, again.error?.message);
    assert.equal(again.results.map((r) => [r.name, r.status]), [[g.concurrent.name, 'applied']]);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await expectSnapshots(c, g.after, 'after the rerun');
      await runAssert(c, name);
      const down = await runMigrations({ driver, files: files.files, direction: 'down', to: g.first.at(-1)!.name, allowDestructive: true });
      assert.is(down.error, undefined, down.error?.message);
      await expectSnapshots(c, g.before, 'after the pair is reverted');
      assert.is((await migrate()).error, undefined);
      await expectSnapshots(c, g.after, 'after the pair is applied again');
      await runAssert(c, name);
    } finally {
      await c.end();
    }
  } finally {
    await holder.end();
    await driver.close();
    await db.drop();
    fs.rmSync(g.dir, { recursive: true, force: true });
  }
});

test.run();
