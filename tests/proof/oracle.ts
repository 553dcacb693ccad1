/**
 * The migration oracle: for a sequence of workspace versions, writes each version into a temp
 * workspace, runs the CLI's own `migration` path, applies the new files' up to a real database
 * holding rows, introspects and compares with the snapshots, applies the down and compares
 * with the previous snapshots, then applies up again. Once the whole history is applied, it
 * walks the chain of applied files down and up one file at a time (`walk.ts`), checking the
 * database after every file. A failure caused only by the rows
 * (re-run on an empty database succeeds) is counted, not reported. A step where core drops
 * what an org's snapshot still uses (a table it references, an enum value its default names)
 * must be refused with nothing written; it is then taken in two steps, as the refusal tells
 * the user: first the org lets go, then core drops.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run as runCli } from '../../compiler/cli.ts';
import { parseSnapshot } from '../../compiler/engine/snapshot.ts';
import type { Snapshot } from '../../compiler/ir.ts';
import { quoteIdent as q, quoteLiteral as lit } from '../../compiler/shared/sql.ts';
import type { Queryable } from '../../runtime/driver.ts';
import type { MigrationFile } from '../../runtime/files.ts';
import { orderMigrations, parseMigration } from '../../runtime/files.ts';
import { compareSchema, introspect } from '../../runtime/introspect.ts';
import { captureIo } from '../helpers/io.ts';
import type { MColumn, MTable, MWorkspace } from './model.ts';
import { baseOf, enumOf, renderWorkspace, repair } from './model.ts';
import { applyFile, History, type StepRecord, WalkFailure as StepFailure, type WalkStats } from './walk.ts';

/** What one sequence did: steps run, steps whose data made a statement fail, steps refused, or the failure. */
export interface SequenceResult {
  readonly steps: number;
  readonly dataOnly: number;
  /** Steps `schemac migration` refused as expected (core dropping what an org uses), then split. */
  readonly refused: number;
  /** What the file-by-file walk (and the history's first application) counted. */
  readonly walk: WalkStats;
  readonly failure?: string;
}

/** Counters across a campaign. */
export interface OracleStats { sequences: number; steps: number; dataOnly: number; refused: number; migrations: number; walk: WalkStats }

const CLIENT_ID = '11111111-1111-4111-8111-111111111111';

/**
 * Runs the oracle on one sequence of versions against `db` (its public schema is reset first);
 * `walk` are the moves of the file-by-file walk after the history (none: no walk).
 */
export async function checkSequence(versions: readonly MWorkspace[], db: Queryable, opts: { checkCommand?: boolean; walk?: readonly number[] } = {}): Promise<SequenceResult> {
  const run: Run = { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-proof-')), db, checkCommand: opts.checkCommand === true, migrations: 0, dataOnly: 0, refused: 0, previous: [], history: new History() };
  try {
    await resetSchema(db);
    for (let k = 0; k < versions.length; k++) {
      const where = `step ${k + 1} (${db.kind})`;
      const conflicts = k > 0 ? coreDropConflicts(versions[k - 1], versions[k]) : [];
      if (conflicts.length > 0) {
        await expectRefusal(run, versions[k], conflicts, where);
        const split = keepReferenced(versions[k - 1], versions[k], conflicts);
        await step(run, versions[k - 1], split, `${where}, org side first`);
        await step(run, split, versions[k], `${where}, then core`);
      } else {
        await step(run, versions[k - 1], versions[k], where);
      }
    }
    if (opts.walk !== undefined) await run.history.walk(db, opts.walk, `after step ${versions.length} (${db.kind})`);
    return { steps: versions.length, dataOnly: run.dataOnly, refused: run.refused, walk: run.history.stats };
  } catch (e) {
    const failure = e instanceof StepFailure ? e.message : `internal: ${(e as Error)?.stack ?? String(e)}`;
    return { steps: versions.length, dataOnly: run.dataOnly, refused: run.refused, walk: run.history.stats, failure };
  } finally {
    fs.rmSync(run.dir, { recursive: true, force: true });
  }
}

/** The state of one sequence's run: its workspace folder, database, and what is applied so far. */
interface Run {
  readonly dir: string;
  readonly db: Queryable;
  readonly checkCommand: boolean;
  migrations: number;
  dataOnly: number;
  refused: number;
  previous: Snapshot[];
  /** The files applied so far, the snapshots after each step, and what the walk checks against. */
  readonly history: History;
}

/** Writes `next`, migrates, and round-trips the new files on a database holding rows of `prev` (none for the first version). */
async function step(run: Run, prev: MWorkspace | undefined, next: MWorkspace, where: string): Promise<void> {
  writeVersion(run.dir, next);
  const files = await migrate(run.dir, ++run.migrations, where);
  if (run.checkCommand) await check(run.dir, where);
  const snapshots = readSnapshots(run.dir);
  let record: StepRecord;
  try {
    if (prev) await seed(run.db, prev, next);
    record = await roundTrip(run, files, snapshots, where);
  } catch (e) {
    if (!(e instanceof StepFailure) || !e.fromDatabase) throw e;
    await resetSchema(run.db);
    await applyAll(run.db, run.history.files, 'up', `${where} replay`);
    record = await roundTrip(run, files, snapshots, `${where} (without rows)`);
    run.dataOnly++;
  }
  run.history.commit(files, snapshots, record);
  run.previous = snapshots;
}

/**
 * What core drops in `next` while an org's snapshot (from `prev`) still depends on it: a table
 * an org column references, or an enum value an org column's default names.
 */
export type CoreDropConflict =
  | { readonly kind: 'table'; readonly org: string; readonly table: string; readonly target: string }
  | { readonly kind: 'enumValue'; readonly org: string; readonly table: string; readonly column: string; readonly enum: string; readonly value: string };

/** What `schemac migration` must refuse for the step `prev` → `next`. */
export function coreDropConflicts(prev: MWorkspace, next: MWorkspace): CoreDropConflict[] {
  const kept = (name: string) => next.tables.some((t) => t.owner === 'core' && (t.name === name || t.renamedFrom === name));
  const core = new Set(prev.tables.filter((t) => t.owner === 'core').map((t) => t.name));
  const out: CoreDropConflict[] = [];
  for (const t of prev.tables.filter((x) => x.owner !== 'core')) {
    for (const c of t.columns) {
      if (c.ref && core.has(c.ref.table) && !kept(c.ref.table)) out.push({ kind: 'table', org: t.owner, table: t.name, target: c.ref.table });
      const e = enumOf(prev, c.type);
      const after = e && e.owner === 'core' ? next.enums.find((x) => x.name === e.name) : undefined;
      const value = c.default?.kind === 'literal' ? [c.default.value].flat()[0] : undefined;
      if (e && after && typeof value === 'string' && !after.values.includes(value)) {
        out.push({ kind: 'enumValue', org: t.owner, table: t.name, column: c.name, enum: e.name, value });
      }
    }
  }
  return out;
}

/**
 * `next` with what the conflicts name kept as `prev` had it (the core tables, and the enum
 * values next to the new ones): the org drops its references first.
 */
export function keepReferenced(prev: MWorkspace, next: MWorkspace, conflicts: readonly CoreDropConflict[]): MWorkspace {
  const ws = JSON.parse(JSON.stringify(next)) as MWorkspace;
  for (const name of new Set(conflicts.flatMap((c) => (c.kind === 'table' ? [c.target] : [])))) {
    const table = JSON.parse(JSON.stringify(prev.tables.find((t) => t.name === name)!)) as MTable;
    delete table.renamedFrom;
    for (const c of table.columns) delete c.renamedFrom;
    ws.tables.push(table);
  }
  for (const name of new Set(conflicts.flatMap((c) => (c.kind === 'enumValue' ? [c.enum] : [])))) {
    const e = ws.enums.find((x) => x.name === name)!;
    const before = prev.enums.find((x) => x.name === name)!.values;
    e.values = [...before, ...e.values.filter((v) => !before.includes(v))];
  }
  return repair(ws);
}

/** How the refusal names a conflict. */
function conflictText(c: CoreDropConflict): string {
  return c.kind === 'table'
    ? `${c.org}'s table "${c.table}" still references "${c.target}"`
    : `${c.org}'s column "${c.table}"."${c.column}" in its default still names the value ${lit(c.value)} of the enum "${c.enum}"`;
}

/** Writes `next` and expects `schemac migration` to refuse it, naming each conflict, with every generated file untouched. */
async function expectRefusal(run: Run, next: MWorkspace, conflicts: readonly CoreDropConflict[], where: string): Promise<void> {
  const before = outputs(run.dir);
  writeVersion(run.dir, next);
  const io = captureIo({ SCHEMAC_NOW: new Date(Date.UTC(2026, 0, 1, 0, 0, ++run.migrations)).toISOString() });
  const code = await runCli(['--cwd', run.dir, 'migration', 'refused step', '--all', '--allow-destructive'], io);
  const lines = io.err().split('\n').filter((l) => l.startsWith('schemac migration: core drops what '));
  const unnamed = conflicts.map(conflictText).filter((text) => !lines.some((l) => l.includes(text)));
  const problems = [
    ...(code === 1 ? [] : [`exit ${code}, expected 1`]),
    ...(io.err().includes('refused: core migrations run before every org migration') ? [] : ['no refusal message']),
    ...(unnamed.length === 0 ? [] : [`not named: ${unnamed.join('; ')}`]),
    ...(lines.length === conflicts.length ? [] : [`${lines.length} conflicts named, expected ${conflicts.length}`]),
    ...(sameOutputs(before, outputs(run.dir)) ? [] : ['files were written']),
  ];
  if (problems.length) throw new StepFailure(`${where}: core drops what an org still uses, so schemac migration must refuse and write nothing: ${problems.join('; ')}\n${io.err()}${io.out()}`, false);
  run.refused++;
}

/** Every file outside `schemas/` (generated files, the sum, the types) with its text. */
function outputs(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (r === 'schemas' || r === 'schemac.config.yaml') continue;
      if (e.isDirectory()) walk(r);
      else files.set(r, fs.readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  return files;
}

function sameOutputs(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** Up (file by file, recording what the walk needs), compare; down, compare with the previous snapshots; up again, compare. */
async function roundTrip(run: Run, files: readonly MigrationFile[], snapshots: Snapshot[], where: string): Promise<StepRecord> {
  const { db } = run;
  const record = await run.history.applyStep(db, files, where);
  await expectSchema(db, snapshots, `${where} after up`);
  if (files.some((f) => f.down.includes("'irreversible: "))) return record;
  await applyAll(db, [...files].reverse(), 'down', where);
  await expectSchema(db, run.previous, `${where} after down`);
  await applyAll(db, files, 'up', `${where} (again)`);
  await expectSchema(db, snapshots, `${where} after down and up again`);
  return record;
}

/** Empties the public schema. */
export async function resetSchema(db: Queryable): Promise<void> {
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

function writeVersion(dir: string, ws: MWorkspace): void {
  fs.rmSync(path.join(dir, 'schemas'), { recursive: true, force: true });
  for (const [rel, text] of Object.entries(renderWorkspace(ws))) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

function listMigrations(dir: string): string[] {
  const m = path.join(dir, 'generated', 'migrations');
  return fs.existsSync(m) ? fs.readdirSync(m).filter((n) => n.endsWith('.sql')).sort() : [];
}

async function migrate(dir: string, step: number, where: string): Promise<MigrationFile[]> {
  const before = new Set(listMigrations(dir));
  const io = captureIo({ SCHEMAC_NOW: new Date(Date.UTC(2026, 0, 1, 0, 0, step)).toISOString() });
  const code = await runCli(['--cwd', dir, 'migration', `step ${step}`, '--all', '--allow-destructive'], io);
  if (code !== 0) throw new StepFailure(`${where}: schemac migration exited ${code}\n${io.err()}${io.out()}`, false);
  return orderMigrations(listMigrations(dir).filter((n) => !before.has(n)).map((n) => {
    const parsed = parseMigration(n, fs.readFileSync(path.join(dir, 'generated', 'migrations', n), 'utf8'));
    if (!parsed.file) throw new StepFailure(`${where}: ${n} does not parse: ${parsed.error}`, false);
    return parsed.file;
  }));
}

async function check(dir: string, where: string): Promise<void> {
  const io = captureIo();
  const code = await runCli(['--cwd', dir, 'check'], io);
  if (code !== 0) throw new StepFailure(`${where}: schemac check exited ${code} right after the migration\n${io.err()}${io.out()}`, false);
}

function readSnapshots(dir: string): Snapshot[] {
  const sdir = path.join(dir, 'generated', 'snapshots');
  if (!fs.existsSync(sdir)) return [];
  return fs.readdirSync(sdir).filter((n) => n.endsWith('.json')).sort().map((n) => {
    const parsed = parseSnapshot(fs.readFileSync(path.join(sdir, n), 'utf8'), n);
    if (!parsed.snapshot) throw new StepFailure(`snapshot ${n} does not parse`, false);
    return parsed.snapshot;
  });
}

/** Applies one section of each file: a transactional file inside BEGIN/COMMIT, the others statement by statement. */
export async function applyAll(db: Queryable, files: readonly MigrationFile[], section: 'up' | 'down', where: string): Promise<void> {
  for (const f of files) await applyFile(db, f, section, where);
}

async function expectSchema(db: Queryable, snapshots: readonly Snapshot[], where: string): Promise<void> {
  const live = await introspect(db);
  const problems = compareSchema(snapshots, live);
  if (problems.length) throw new StepFailure(`${where}: the database differs from the snapshots:\n  ${problems.join('\n  ')}`, false);
}

// ---------------------------------------------------------------------------
// Rows: one per table, valid in the version before the step and, where it can be, after.
// ---------------------------------------------------------------------------

/** Empties every table and inserts one row per table of `prev`, with values `next` can keep. */
export async function seed(db: Queryable, prev: MWorkspace, next: MWorkspace): Promise<void> {
  const tables = prev.tables;
  const statements: string[] = [`SELECT set_config('app.client_id', ${lit(CLIENT_ID)}, false);`];
  if (tables.length) statements.push(`TRUNCATE ${tables.map((t) => q(t.name)).join(', ')} RESTART IDENTITY CASCADE;`);
  const inserted = new Set<string>();
  for (const t of dependencyOrder(tables)) {
    const row = rowFor(t, prev, next, inserted);
    if (row === undefined) continue;
    statements.push(`INSERT INTO ${q(t.name)} (${row.map(([c]) => q(c)).join(', ')}) VALUES (${row.map(([, v]) => v).join(', ')});`);
    inserted.add(t.name);
  }
  try {
    await db.exec(statements.join('\n'));
  } catch (e) {
    throw new StepFailure(`seeding failed: ${(e as Error).message}\n${statements.join('\n')}`, false);
  }
}

function dependencyOrder(tables: readonly MTable[]): MTable[] {
  const done = new Set<string>();
  const out: MTable[] = [];
  const visit = (t: MTable, stack: Set<string>): void => {
    if (done.has(t.name) || stack.has(t.name)) return;
    stack.add(t.name);
    for (const c of t.columns) {
      const target = c.ref && tables.find((x) => x.name === c.ref!.table);
      if (target && target !== t) visit(target, stack);
    }
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

function pkValue(t: MTable): string {
  const pk = t.columns.find((c) => c.primaryKey)!;
  if (t.name === 'clients') return lit(CLIENT_ID);
  return baseOf(pk.type) === 'uuid' ? lit('00000000-0000-4000-8000-000000000001') : baseOf(pk.type) === 'text' ? lit('k1') : '1';
}

function rowFor(t: MTable, prev: MWorkspace, next: MWorkspace, inserted: ReadonlySet<string>): [string, string][] | undefined {
  const nextTable = next.tables.find((x) => x.name === t.name || x.renamedFrom === t.name);
  const row: [string, string][] = [];
  for (const c of t.columns) {
    if (c.name === 'client_id' && !inserted.has('clients')) return undefined;
    const v = c.primaryKey ? pkValue(t) : c.name === 'client_id' ? lit(CLIENT_ID) : c.ref ? refValue(t, c, prev, inserted) : valueFor(c, prev, next, nextTable);
    if (v === undefined) return undefined;
    row.push([c.name, v]);
  }
  return row;
}

function refValue(t: MTable, c: MColumn, prev: MWorkspace, inserted: ReadonlySet<string>): string | undefined {
  const target = prev.tables.find((x) => x.name === c.ref!.table);
  if (target && (target === t || inserted.has(target.name))) return pkValue(target);
  return c.nullable ? 'NULL' : undefined;
}

/** Values by type base: one literal that also casts to the related types the edits move to. */
const VALUES: Readonly<Record<string, string>> = {
  smallint: '1', integer: '1', bigint: '1', serial: '1', bigserial: '1', numeric: '1', real: '1', 'double precision': '1',
  boolean: 'true', text: '1', varchar: '1', char: '1', uuid: '00000000-0000-4000-8000-000000000009', date: '2024-01-02',
  time: '03:04:05', timestamp: '2024-01-02 03:04:05', timestamptz: '2024-01-02 03:04:05+00', interval: '1 day',
  json: '{"a": 1}', jsonb: '{"a": 1}', bytea: '\\x01', inet: '10.0.0.1', 'text[]': '{1}', 'varchar[]': '{1}', 'integer[]': '{1}',
};

function valueFor(c: MColumn, prev: MWorkspace, next: MWorkspace, nextTable: MTable | undefined): string | undefined {
  const e = enumOf(prev, c.type);
  if (e === undefined) return lit(VALUES[baseOf(c.type)] ?? '1');
  const after = nextTable?.columns.find((x) => x.name === c.name || x.renamedFrom === c.name);
  const nextEnum = after && enumOf(next, after.type);
  const label = e.values.find((v) => nextEnum === undefined || nextEnum.name !== e.name || nextEnum.values.includes(v));
  if (label === undefined) return c.nullable ? 'NULL' : undefined;
  return c.type.endsWith('[]') ? lit(`{"${label}"}`) : lit(label);
}

/** The versions as models.yaml files, ready to become `tests/cases/migrate/<name>/NN/`. */
export function renderCounterexample(versions: readonly MWorkspace[]): string {
  return versions
    .map((v, i) => Object.entries(renderWorkspace(v)).map(([rel, text]) => `--- ${String(i + 1).padStart(2, '0')}/${rel}\n${text}`).join(''))
    .join('');
}

/** Writes the versions as a golden-case tree under `dir` (`01/`, `02/` …). */
export function writeCounterexample(dir: string, versions: readonly MWorkspace[]): void {
  versions.forEach((v, i) => {
    for (const [rel, text] of Object.entries(renderWorkspace(v))) {
      const file = path.join(dir, String(i + 1).padStart(2, '0'), rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
  });
}
