import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diff } from '../compiler/engine/diff.ts';
import { renameHints, toSnapshot } from '../compiler/engine/snapshot.ts';
import { loadWorkspace } from '../compiler/index.ts';
import type { RenameHints, Snapshot, Workspace } from '../compiler/ir.ts';
import { type Config, DEFAULT_CONFIG } from '../compiler/ir.ts';
import { lintChanges, narrows, rewrites } from '../compiler/lint/safety.ts';
import { col, NO_HINTS, snap, table } from './helpers/snapshots.ts';

const SNAP = 'generated/snapshots/core.json';
const MODELS = 'schemas/core/models.yaml';

async function load(yaml: string): Promise<Workspace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-safety-'));
  try {
    fs.mkdirSync(path.join(dir, 'schemas/core'), { recursive: true });
    fs.writeFileSync(path.join(dir, MODELS), yaml);
    const r = await loadWorkspace({ cwd: dir, lint: false });
    assert.ok(r.workspace, JSON.stringify(r.diagnostics));
    return r.workspace;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const config = (rules: Config['lint']['rules'] = {}): Config => ({ ...DEFAULT_CONFIG, root: '/x', lint: { rules, allow: {} } });

/** Lints the diff from `prev` to the models' snapshot; returns `[code, severity, message, span text or file]`. */
async function lint(prev: Snapshot, yaml: string, opts: { allowDestructive?: boolean; config?: Config; hints?: RenameHints } = {}) {
  const ws = await load(yaml);
  const next = toSnapshot(ws, 'core');
  const changes = diff(prev, next, opts.hints ?? renameHints(ws, 'core'));
  const ds = lintChanges(changes, { workspace: ws, config: opts.config ?? config(), owner: 'core', allowDestructive: opts.allowDestructive ?? false, snapshotFile: SNAP });
  return ds.map((d) => [d.code, d.severity, d.message, d.span.file === SNAP ? `${SNAP}@${d.span.start}` : yaml.slice(d.span.start, d.span.end)]);
}

const prevT = (cols = [col('name', 'varchar(50)'), col('n', 'integer')]) => snap([table('t', cols)]);
const T = (columns: string, extra = '') => `tables:\n  t:\n    tenant: global\n${extra}    columns:\n      id: { type: serial, primary_key: true }\n${columns}`;

test('no changes, no findings; widening a varchar or moving to text is neither destructive nor a rewrite', async () => {
  assert.equal(await lint(prevT(), T('      name: varchar(50)\n      n: integer\n')), []);
  assert.equal(await lint(prevT(), T('      name: varchar(80)\n      n: integer\n')), []);
  assert.equal(await lint(prevT(), T('      name: text\n      n: integer\n')), []);
});

test('destructive-change: dropping a table points at the snapshot; --allow-destructive resolves it', async () => {
  const prev = snap([table('t', []), table('gone', [col('x', 'integer')])]);
  const yaml = T('');
  assert.equal(await lint(prev, yaml), [
    ['destructive-change', 'error', 'the plan drops table "gone" and every row in it', `${SNAP}@0`],
  ]);
  assert.equal(await lint(prev, yaml, { allowDestructive: true }), []);
});

test('destructive-change: dropping a column points at its table; a renamed_from is not destructive', async () => {
  const out = await lint(prevT(), T('      name: varchar(50)\n'));
  assert.equal(out, [['destructive-change', 'error', 'the plan drops column "n" of "t" and its data', 't']]);
  assert.equal(await lint(prevT(), T('      name: varchar(50)\n      count: { type: integer, renamed_from: n }\n')), []);
  assert.equal(await lint(snap([table('old_t', [col('name', 'varchar(50)'), col('n', 'integer')])]), T('      name: varchar(50)\n      n: integer\n', '    renamed_from: old_t\n')), []);
});

test('destructive-change and unsafe-migration: narrowing types', async () => {
  assert.equal(await lint(prevT(), T('      name: varchar(20)\n      n: smallint\n')), [
    ['destructive-change', 'error', 'changing "t"."name" from varchar(50) to varchar(20) narrows the type: existing values may not fit', 'name'],
    ['destructive-change', 'error', 'changing "t"."n" from integer to smallint narrows the type: existing values may not fit', 'n'],
    ['unsafe-migration', 'warn', 'changing "t"."name" from varchar(50) to varchar(20) rewrites the table under an ACCESS EXCLUSIVE lock', 'name'],
    ['unsafe-migration', 'warn', 'changing "t"."n" from integer to smallint rewrites the table under an ACCESS EXCLUSIVE lock', 'n'],
  ]);
});

test('unsafe-migration: int → bigint rewrites without being destructive', async () => {
  assert.equal(await lint(prevT(), T('      name: varchar(50)\n      n: bigint\n')), [
    ['unsafe-migration', 'warn', 'changing "t"."n" from integer to bigint rewrites the table under an ACCESS EXCLUSIVE lock', 'n'],
  ]);
});

test('unsafe-migration: a NOT NULL column without default on an existing table; defaults, nullable and serial are fine', async () => {
  const base = '      name: varchar(50)\n      n: integer\n';
  assert.equal(await lint(prevT(), T(`${base}      x: text\n`)), [
    ['unsafe-migration', 'warn', 'adding NOT NULL column "x" without a default to existing table "t" fails when the table has rows', 'x'],
  ]);
  assert.equal(await lint(prevT(), T(`${base}      x: { type: text, default: "" }\n      y: text?\n      z: bigserial\n`)), []);
});

test('unsafe-migration: an index on an existing table is built concurrently by the plan, so it is not reported', async () => {
  const base = '      name: varchar(50)\n      n: integer\n';
  const idx = '    indexes:\n      - columns: [n]\n';
  const yaml = `${T(base)}${idx}  fresh:\n    tenant: global\n    columns:\n      id: { type: serial, primary_key: true }\n      m: { type: integer, index: true }\n`;
  assert.equal(await lint(prevT(), yaml), []);
});

test('config severity overrides apply to safety rules', async () => {
  const yaml = T('      name: varchar(50)\n      n: bigint\n');
  assert.equal(await lint(prevT(), yaml, { config: config({ 'unsafe-migration': 'off' }) }), []);
  assert.equal((await lint(prevT(), yaml, { config: config({ 'unsafe-migration': 'error' }) }))[0][1], 'error');
});

test('enums: removing a value is destructive and a rewrite; appending one is neither', async () => {
  const prev = snap([table('t', [col('s', 'mood')])], { enums: [{ name: 'mood', values: ['ok', 'bad'] }] });
  const yaml = (values: string) => `${T('      s: mood\n')}enums:\n  mood: [${values}]\n`;
  assert.equal(await lint(prev, yaml('ok, bad, great')), []);
  assert.equal(await lint(prev, yaml('ok')), [
    ['destructive-change', 'error', 'the plan removes \'bad\' from enum "mood": rows holding it make the migration fail', 'mood'],
    ['unsafe-migration', 'warn', 'recreating enum "mood" rewrites "t" under an ACCESS EXCLUSIVE lock', 'mood'],
  ]);
  assert.equal(await lint(prev, yaml('ok'), { allowDestructive: true }).then((x) => x.map((d) => d[0])), ['unsafe-migration']);
});

test('narrows and rewrites: type pairs', () => {
  const cases: [string, string, boolean, boolean][] = [
    // from, to, narrows, rewrites
    ['varchar(50)', 'varchar(100)', false, false],
    ['varchar(50)', 'text', false, false],
    ['varchar(50)', 'varchar(10)', true, true],
    ['text', 'varchar(10)', true, true],
    ['integer', 'bigint', false, true],
    ['bigint', 'integer', true, true],
    ['serial', 'integer', false, false],
    ['serial', 'bigint', false, true],
    ['numeric(10,2)', 'numeric(12,2)', false, false],
    ['numeric(10,2)', 'numeric', false, false],
    ['numeric(10,2)', 'numeric(8,2)', true, true],
    ['numeric(10,2)', 'numeric(10,1)', true, true],
    ['integer', 'numeric(12,2)', false, true],
    ['bigint', 'numeric(12,2)', true, true],
    ['numeric', 'integer', true, true],
    ['varchar(20)', 'integer', true, true],
    ['timestamp', 'timestamptz', false, true],
    ['json', 'jsonb', false, true],
    ['integer', 'text', false, true],
    ['mood', 'text', false, true],
    ['text', 'mood', true, true],
    ['text[]', 'text', true, true],
    ['double precision', 'real', true, true],
    ['real', 'double precision', false, true],
  ];
  for (const [from, to, n, r] of cases) {
    assert.is(narrows(from, to), n, `narrows(${from}, ${to})`);
    assert.is(rewrites(from, to), r, `rewrites(${from}, ${to})`);
  }
});

test('lintChanges works on hand-built changes against a workspace without the table', async () => {
  const ws = await load(T(''));
  const changes = diff(snap([table('t', []), table('x', [col('y', 'integer')])]), snap([table('t', [])]), NO_HINTS);
  const ds = lintChanges(changes, { workspace: ws, config: config(), owner: 'core', allowDestructive: false, snapshotFile: SNAP });
  assert.equal(ds.map((d) => [d.code, d.span]), [['destructive-change', { file: SNAP, start: 0, end: 0 }]]);
  assert.match(ds[0].hint ?? '', /renamed_from/);
});

test.run();
