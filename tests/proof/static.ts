/**
 * The static oracle: random literal defaults, `{sql:}` defaults, checks, index methods and
 * column names across the models language's types, each judged twice. schemac lints a
 * workspace holding all of them; PostgreSQL gets each one alone, the way the migration would
 * give it (a default added to a table that has a row, a check added to it, an index built
 * on it, a table created with the name). Whatever lint accepts must apply; whatever lint
 * refuses must fail on PostgreSQL, unless its message is a documented over-approximation
 * (tests/helpers/over-approximations.ts). Then the accepted ones together go through
 * `schemac migration` and apply on a database whose table has a row, and a row of defaults
 * is inserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { run as runCli } from '../../compiler/cli.ts';
import { renderDefault } from '../../compiler/engine/snapshot.ts';
import { parseType } from '../../compiler/front/type-ref.ts';
import { loadWorkspace } from '../../compiler/index.ts';
import type { DefaultDef, TypeRef } from '../../compiler/ir.ts';
import type { Queryable } from '../../runtime/driver.ts';
import type { MigrationFile } from '../../runtime/files.ts';
import { parseMigration } from '../../runtime/files.ts';
import { documented } from '../helpers/over-approximations.ts';
import { captureIo } from '../helpers/io.ts';
import { applyAll } from './oracle.ts';

/** The codes of the static checks this oracle judges (other refusals, e.g. the allowlist's, are not its business). */
const STATIC_CODES = new Set(['invalid-literal', 'type-mismatch', 'invalid-default', 'invalid-index', 'reserved-column']);

const TYPES = [
  'smallint', 'integer', 'bigint', 'numeric', 'numeric(4,2)', 'real', 'double precision', 'boolean', 'text', 'varchar(3)', 'char(2)', 'uuid',
  'date', 'time', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'bytea', 'inet', 'integer[]', 'text[]', 'jsonb[]', 'p_mood', 'p_mood[]',
] as const;

/** Texts near each type's literals, valid and not, and from other types. */
const TEXTS = [
  '1', '-5', '40000', '2147483648', '1.5', '99.99', '99.999', '99.995', '1e3', 'NaN', 'Infinity', 'abc', '', ' ', 'yes', 'of', 'not-a-bool', 't',
  '00000000-0000-0000-0000-000000000001', '{00000000000000000000000000000001}', '2020-02-29', '2020-02-30', '2021-02-29', '0000-01-01', 'today',
  '12:00', '24:00', '25:00', '23:59:60', '2024-01-01 10:00:00+02', '2024-01-01 10:00+16', '2024-01-01T10:00:00Z', '1 day', '1 fortnight-ish',
  'P1DT2H', '1:75', '1 day 2 days', '\\x0102', '\\xZZ', '\\400', '{"a":1}', '{"a":', '[1,2]', '"\\u0000"', '10.0.0.1', '10.0.0.1/40', '::1',
  '{1,2}', '{a}', '{}', '{{1},{2}}', 'happy', 'sad', 'angry', 'ab', 'abcd',
];

const OPERATORS = ['=', '<>', '<', '>=', '+', '-', '||', '~', '~~', '@>', '->>', '?'];
const FUNCTIONS = ['lower', 'length', 'abs', 'round', 'date_trunc', 'jsonb_typeof', 'cardinality', 'md5', 'upper', 'trunc', 'btrim'];
const METHODS = ['btree', 'hash', 'gin', 'gist', 'brin'] as const;
const NAMES = ['xmin', 'ctid', 'tableoid', 'cmax', 'oid', 'value', 'xmax_at', 'name'];

/** An Item is one thing the oracle judges, on its own column `c<i>` of type `type`. */
export type Item =
  | { readonly kind: 'literal'; readonly type: string; readonly value: unknown }
  | { readonly kind: 'sqlDefault'; readonly type: string; readonly sql: string }
  | { readonly kind: 'check'; readonly type: string; readonly sql: string }
  | { readonly kind: 'index'; readonly type: string; readonly method: (typeof METHODS)[number]; readonly unique: boolean; readonly pair: boolean }
  | { readonly kind: 'name'; readonly type: string; readonly name: string };

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** One text of TEXTS, sometimes mutated. */
const text: fc.Arbitrary<string> = fc.tuple(fc.nat(TEXTS.length - 1), fc.nat(20), fc.nat(9)).map(([i, at, c]) => {
  const t = TEXTS[i];
  if (c > 6) return t;
  const ch = '0123456789-:. ex{},"'[(at + c) % 20];
  return c < 3 ? t.slice(0, at % (t.length + 1)) + ch + t.slice(at % (t.length + 1)) : t.slice(0, at % (t.length + 1)) + t.slice((at % (t.length + 1)) + 1);
});

/** A YAML value of a literal default: a text, a number, a boolean, a list or a map. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: text },
  { weight: 2, arbitrary: fc.constantFrom(0, 7, -1, 1.5, 99.99, 99.999, 1e39, 32768, 2147483648, Number.NaN, Number.POSITIVE_INFINITY) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.array(fc.oneof(text, fc.constantFrom(1, 2, 1.5)), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom({ a: 1 }, { a: '\u0000' }, {}) },
);

const type = fc.constantFrom(...TYPES);

const item: fc.Arbitrary<Item> = fc.oneof(
  fc.record({ kind: fc.constant('literal' as const), type, value }),
  fc.record({
    kind: fc.constant('sqlDefault' as const),
    type,
    sql: fc.oneof(text.map(quote), fc.tuple(text, fc.constantFrom(...TYPES)).map(([t, to]) => `${quote(t)}::${to.replace(/\(.*\)/, '')}`), fc.constantFrom('1 + 2', "'a' || 'b'", '1.5', '-7', 'now()', 'true', '70000')),
  }),
  fc.record({
    kind: fc.constant('check' as const),
    type,
    sql: fc.oneof(
      fc.tuple(fc.constantFrom(...OPERATORS), text).map(([op, t]) => `$c ${op} ${quote(t)}`),
      fc.tuple(fc.constantFrom(...FUNCTIONS), fc.constantFrom(...OPERATORS), text).map(([f, op, t]) => `${f}($c) ${op} ${quote(t)}`),
      fc.tuple(text, text).map(([a, b]) => `$c IN (${quote(a)}, ${quote(b)})`),
      fc.tuple(text, text).map(([a, b]) => `$c BETWEEN ${quote(a)} AND ${quote(b)}`),
      fc.constantFrom('$c', 'NOT $c', '$c IS NOT NULL', '$c + 1 > 0', "$c || 'x' <> ''"),
    ),
  }),
  fc.record({ kind: fc.constant('index' as const), type, method: fc.constantFrom(...METHODS), unique: fc.boolean(), pair: fc.boolean() }),
  fc.record({ kind: fc.constant('name' as const), type, name: fc.constantFrom(...NAMES) }),
);

/** A table's worth of items. */
export const itemsArb: fc.Arbitrary<Item[]> = fc.array(item, { minLength: 1, maxLength: 4 });

/** The column name of item `i` (a name item's own name, suffixed when an earlier item took it). */
function columnName(it: Item, i: number, items?: readonly Item[]): string {
  if (it.kind !== 'name') return `c${i}`;
  const taken = (items ?? []).slice(0, i).some((x) => x.kind === 'name' && x.name === it.name);
  return taken ? `${it.name}_${i}` : it.name;
}

/** The models.yaml files: core's clients, the enum p_mood and t_static with one column per item. */
export function renderStatic(items: readonly Item[]): Record<string, string> {
  const columns: Record<string, unknown> = { id: { type: 'serial', primary_key: true } };
  const indexes: unknown[] = [];
  items.forEach((it, i) => {
    const c: Record<string, unknown> = { type: it.type, nullable: true };
    if (it.kind === 'literal') c.default = it.value !== null && typeof it.value === 'object' && !Array.isArray(it.value) ? { value: it.value } : it.value;
    if (it.kind === 'sqlDefault') c.default = { sql: it.sql };
    if (it.kind === 'check') c.check = it.sql.replace(/\$c/g, columnName(it, i, items));
    if (it.kind === 'index') indexes.push({ name: `t_static_c${i}_idx`, columns: it.pair ? [columnName(it, i, items), 'id'] : [columnName(it, i, items)], using: it.method, ...(it.unique ? { unique: true } : {}) });
    columns[columnName(it, i, items)] = c;
  });
  columns.created_at = { type: 'timestamptz', default: 'now()' };
  columns.updated_at = { type: 'timestamptz', default: 'now()', on_update: 'now()' };
  const table: Record<string, unknown> = { tenant: 'global', columns };
  if (indexes.length) table.indexes = indexes;
  const core = {
    tables: {
      clients: { tenant: 'global', columns: { id: { type: 'uuid', primary_key: true, default: 'gen_random_uuid()' }, created_at: { type: 'timestamptz', default: 'now()' }, updated_at: { type: 'timestamptz', default: 'now()', on_update: 'now()' } } },
      t_static: table,
    },
    enums: { p_mood: ['happy', 'sad'] },
  };
  return { 'schemac.config.yaml': 'lint:\n  rules:\n    prefer-jsonb: "off"\n    prefer-timestamptz: "off"\n    fk-needs-index: "off"\n    unsafe-migration: "off"\n', 'schemas/core/models.yaml': stringify(core, { lineWidth: 0 }) };
}

/** What one run found: items refused over-approximately (documented), and any failure. */
export interface StaticResult {
  readonly items: number;
  /** Whether every item was accepted and the whole table migrated and applied. */
  readonly applied: boolean;
  readonly refused: number;
  readonly overApproximate: string[];
  readonly failure?: string;
}

/** Counters across a campaign. */
export interface StaticStats { runs: number; items: number; refused: number; overApproximate: number; applied: number; examples: Set<string> }

/** Judges one table of items with schemac and PostgreSQL. */
export async function checkItems(items: readonly Item[], db: Queryable): Promise<StaticResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-static-'));
  try {
    const files = renderStatic(items);
    write(dir, files);
    const loaded = await loadWorkspace({ cwd: dir });
    const source = files['schemas/core/models.yaml'];
    const refusals = new Map<number, string>();
    const others: string[] = [];
    for (const d of loaded.diagnostics.filter((x) => x.severity === 'error')) {
      const i = itemAt(source, d.span.start, items);
      if (STATIC_CODES.has(d.code) && i !== undefined) refusals.set(i, refusals.get(i) ?? `${d.code}: ${d.message}`);
      else others.push(`${d.code}: ${d.message}`);
    }
    const overApproximate: string[] = [];
    const problems: string[] = [];
    await resetProbe(db);
    for (const [i, it] of items.entries()) {
      if (others.length > 0 && !refusals.has(i)) continue;
      const pgError = await probe(db, it, i, items);
      const refusal = refusals.get(i);
      const shown = `${JSON.stringify(it)}`;
      if (refusal === undefined && pgError !== undefined) problems.push(`lint accepts ${shown}, PostgreSQL refuses it: ${pgError}`);
      if (refusal !== undefined && pgError === undefined) {
        if (documented(refusal)) overApproximate.push(`${shown}: ${refusal}`);
        else problems.push(`lint refuses ${shown} (${refusal}), PostgreSQL takes it`);
      }
    }
    const whole = problems.length === 0 && refusals.size === 0 && others.length === 0;
    if (whole) {
      const applied = await migrateAndApply(dir, db, items);
      if (applied !== undefined) problems.push(applied);
    }
    return { items: items.length, applied: whole, refused: refusals.size, overApproximate, failure: problems.length ? `${problems.join('\n')}\n--- models.yaml\n${source}` : undefined };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), t);
  }
}

/** The item whose column's lines hold `offset` (the column `c<i>` or the index `t_static_c<i>_idx`). */
function itemAt(source: string, offset: number, items: readonly Item[]): number | undefined {
  const line = source.slice(source.lastIndexOf('\n', offset - 1) + 1, source.indexOf('\n', offset) < 0 ? undefined : source.indexOf('\n', offset));
  const index = /t_static_c(\d+)_idx/.exec(line);
  if (index) return Number(index[1]);
  const names = items.map((it, i) => columnName(it, i, items));
  let best: number | undefined;
  let at = -1;
  names.forEach((n, i) => {
    const found = source.lastIndexOf(`\n      ${n}:`, offset);
    if (found > at) [at, best] = [found, i];
  });
  return best;
}

/** Drops and recreates the probe's enum and leaves the database empty. */
async function resetProbe(db: Queryable): Promise<void> {
  await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE TYPE p_mood AS ENUM ('happy', 'sad');");
}

/** PostgreSQL's error for one item alone, as the migration would give it to a table that has a row; undefined when it applies. */
async function probe(db: Queryable, it: Item, i: number, items: readonly Item[]): Promise<string | undefined> {
  const parsed = parseType(it.type, { file: '', start: 0, end: 0 });
  const t = parsed.type!;
  const col = `"${columnName(it, i, items)}"`;
  const sql = typeSql(t);
  const statements = [`CREATE TABLE probe (id serial PRIMARY KEY, ${it.kind === 'name' ? col : 'c'} ${sql})`, 'INSERT INTO probe DEFAULT VALUES'];
  if (it.kind === 'literal' || it.kind === 'sqlDefault') {
    const d: DefaultDef = it.kind === 'literal' ? { kind: 'literal', value: it.value, span: { file: '', start: 0, end: 0 } } : { kind: 'sql', fragment: { kind: 'fragment', sql: it.sql, span: { file: '', start: 0, end: 0 } }, span: { file: '', start: 0, end: 0 } };
    let rendered: string;
    try {
      rendered = renderDefault(d, t);
    } catch (e) {
      return `the default cannot be rendered: ${(e as Error).message}`;
    }
    statements.push(`ALTER TABLE probe ADD COLUMN d ${sql} DEFAULT ${rendered}`, 'INSERT INTO probe DEFAULT VALUES');
  }
  if (it.kind === 'check') statements.push(`UPDATE probe SET c = ${sample(t)}`, `ALTER TABLE probe ADD CONSTRAINT k CHECK (${it.sql.replace(/\$c/g, 'c')})`);
  if (it.kind === 'index') statements.push(`UPDATE probe SET c = ${sample(t)}`, `INSERT INTO probe (c) VALUES (${sample(t, 1)})`, `CREATE ${it.unique ? 'UNIQUE ' : ''}INDEX ON probe USING ${it.method} (c${it.pair ? ', id' : ''})`);
  await db.exec('BEGIN');
  try {
    for (const s of statements) await db.exec(s);
    return undefined;
  } catch (e) {
    // A check the probe's row violates applies on a table without such rows: data, not types.
    return /violated by some row/.test((e as Error).message) ? undefined : (e as Error).message;
  } finally {
    await db.exec('ROLLBACK');
  }
}

function typeSql(t: TypeRef): string {
  return t.base === 'enum' ? `p_mood${t.array ? '[]' : ''}` : t.sql;
}

/** A value of the type for the probe's rows: the first (`which` 0) or another one. */
function sample(t: TypeRef, which: 0 | 1 = 0): string {
  const values: Record<string, [string, string]> = {
    boolean: ['true', 'false'], text: ["'a'", "'b'"], varchar: ["'a'", "'b'"], char: ["'a'", "'b'"], uuid: ['gen_random_uuid()', 'gen_random_uuid()'],
    date: ["'2024-01-01'", "'2024-01-02'"], time: ["'10:00'", "'11:00'"], timestamp: ["'2024-01-01 10:00'", "'2024-01-02 10:00'"],
    timestamptz: ["'2024-01-01 10:00Z'", "'2024-01-02 10:00Z'"], interval: ["'1 day'", "'2 days'"], json: [`'{"a":1}'`, `'{"b":2}'`], jsonb: [`'{"a":1}'`, `'{"b":2}'`],
    bytea: ["'\\x01'", "'\\x02'"], inet: ["'10.0.0.1'", "'10.0.0.2'"], enum: ["'happy'", "'sad'"],
  };
  const v = (values[t.base] ?? ['1', '2'])[which];
  return t.array ? `ARRAY[${v}]::${typeSql(t)}` : `${v}::${typeSql(t)}`;
}

/** `schemac migration` for the workspace (all accepted), applied to a database where t_static has a row; then a row of defaults. */
async function migrateAndApply(dir: string, db: Queryable, items: readonly Item[]): Promise<string | undefined> {
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  write(dir, renderStatic([]));
  const first = await migration(dir, 1);
  if (typeof first === 'string') return first;
  write(dir, renderStatic(items));
  const second = await migration(dir, 2);
  if (typeof second === 'string') return second;
  try {
    await applyAll(db, first, 'up', 'the table');
    await db.exec('INSERT INTO t_static DEFAULT VALUES');
    await applyAll(db, second, 'up', 'the items');
    await db.exec('INSERT INTO t_static DEFAULT VALUES');
    return undefined;
  } catch (e) {
    if (/violated by some row/.test((e as Error).message)) return undefined;
    return `lint accepts every item, but the migration or a row of defaults fails: ${(e as Error).message}\n${second.map((f) => f.up).join('\n')}`;
  }
}

async function migration(dir: string, step: number): Promise<MigrationFile[] | string> {
  const before = new Set(listMigrations(dir));
  const io = captureIo({ SCHEMAC_NOW: new Date(Date.UTC(2026, 0, 1, 0, 0, step)).toISOString() });
  const code = await runCli(['--cwd', dir, 'migration', `step ${step}`, '--all', '--allow-destructive'], io);
  if (code !== 0) return `lint accepts every item, but schemac migration exits ${code}: ${io.err()}`;
  const files: MigrationFile[] = [];
  for (const n of listMigrations(dir).filter((x) => !before.has(x))) {
    const parsed = parseMigration(n, fs.readFileSync(path.join(dir, 'generated', 'migrations', n), 'utf8'));
    if (!parsed.file) return `${n} does not parse: ${parsed.error}`;
    files.push(parsed.file);
  }
  return files;
}

function listMigrations(dir: string): string[] {
  const m = path.join(dir, 'generated', 'migrations');
  return fs.existsSync(m) ? fs.readdirSync(m).filter((n) => n.endsWith('.sql')).sort() : [];
}
