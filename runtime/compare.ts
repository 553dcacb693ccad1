/**
 * Compares the snapshots (what the migrations should have produced) with a live schema
 * read by `introspect`, as human-readable difference lines. Pure: no database here.
 */
import type { SnapColumn, SnapTable, Snapshot } from '../compiler/ir.ts';
import { isIgnoredTable } from '../compiler/shared/index.ts';
import { compareExpr } from './expr.ts';
import type { LiveSchema, LiveTable } from './live-schema.ts';

/**
 * Lines describing every difference between the snapshots and the live schema; [] when equal.
 * `ignore`: the config's table-name globs; live tables they cover are not compared.
 */
export function compareSchema(expected: readonly Snapshot[], everything: LiveSchema, ignore?: readonly string[]): string[] {
  const live = withoutIgnored(everything, ignore);
  const out: string[] = [];
  compareExtensions(expected.flatMap((s) => s.extensions), live.extensions, out);
  compareEnums(expected, live, out);
  const liveTables = new Map(live.tables.map((t) => [t.name, t]));
  const wanted = expected.flatMap((s) => s.tables.map((t) => ({ owner: s.owner, table: t })));
  for (const { owner, table } of [...wanted].sort((a, b) => cmp(a.table.name, b.table.name))) {
    const found = liveTables.get(table.name);
    if (!found) out.push(`table "${table.name}" (${owner}) is missing from the database`);
    else compareTable(table, found, out);
  }
  const known = new Set(wanted.map((w) => w.table.name));
  for (const t of live.tables) if (!known.has(t.name)) out.push(`table "${t.name}" is in the database but in no snapshot`);
  return out;
}

/** The live schema without the tables the config's `ignore:` globs cover. */
export function withoutIgnored(live: LiveSchema, ignore: readonly string[] | undefined): LiveSchema {
  if (!ignore?.length) return live;
  return { ...live, tables: live.tables.filter((t) => !isIgnoredTable(ignore, t.name)) };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const list = (xs: readonly string[]) => `(${xs.join(', ')})`;
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Extensions the database platform installs, not the schema: Citus (a cluster's coordinator
 * and workers carry it, with its catalog tables, views and schemas, which `introspect` leaves
 * out as extension members) and its columnar storage. Never drift when no snapshot names them.
 */
const PLATFORM_EXTENSIONS: ReadonlySet<string> = new Set(['citus', 'citus_columnar']);

function compareExtensions(expected: readonly string[], live: readonly string[], out: string[]): void {
  const want = new Set(expected);
  for (const e of [...want].sort()) if (!live.includes(e)) out.push(`extension "${e}" is not installed`);
  for (const e of live) if (!want.has(e) && !PLATFORM_EXTENSIONS.has(e)) out.push(`extension "${e}" is installed but in no snapshot`);
}

function compareEnums(expected: readonly Snapshot[], live: LiveSchema, out: string[]): void {
  const liveEnums = new Map(live.enums.map((e) => [e.name, e.values]));
  const wanted = expected.flatMap((s) => s.enums);
  for (const e of [...wanted].sort((a, b) => cmp(a.name, b.name))) {
    const values = liveEnums.get(e.name);
    if (!values) out.push(`enum "${e.name}" is missing from the database`);
    else if (!same(e.values, values)) out.push(`enum "${e.name}": values expected ${list(e.values)}, found ${list(values)}`);
  }
  const known = new Set(wanted.map((e) => e.name));
  for (const e of live.enums) if (!known.has(e.name)) out.push(`enum "${e.name}" is in the database but in no snapshot`);
}

function compareTable(want: SnapTable, got: LiveTable, out: string[]): void {
  const at = `table "${want.name}"`;
  if ((want.comment ?? null) !== (got.comment ?? null)) out.push(`${at}: comment expected ${show(want.comment)}, found ${show(got.comment)}`);
  compareColumns(want, got, out);
  comparePrimaryKey(want, got, out);
  compareNamed(at, 'foreign key', want.foreignKeys, got.foreignKeys, fkText, out);
  compareNamed(at, 'unique constraint', want.uniques, got.uniques, (u) => list(u.columns), out);
  compareChecks(want, got, out);
  compareIndexes(want, got, out);
  compareNamed(at, 'trigger', want.triggers, got.triggers, (t) => `${t.function}() ${list(t.columns)}`, out, triggerEqual);
  compareRls(want, got, out);
}

const show = (v: string | null | undefined) => (v === null || v === undefined ? 'none' : JSON.stringify(v));

/**
 * Columns match by name, not position: PostgreSQL appends every added column (and a column a
 * down migration restores) at the end, so a migrated table's order legitimately differs.
 */
function compareColumns(want: SnapTable, got: LiveTable, out: string[]): void {
  const at = `table "${want.name}"`;
  const liveCols = new Map(got.columns.map((c) => [c.name, c]));
  for (const col of want.columns) {
    const found = liveCols.get(col.name);
    if (!found) out.push(`${at}: column "${col.name}" is missing`);
    else compareColumn(`${at} column "${col.name}"`, col, found, out);
  }
  const names = new Set(want.columns.map((c) => c.name));
  for (const c of got.columns) if (!names.has(c.name)) out.push(`${at}: column "${c.name}" is in the database but not in the snapshot`);
}

function compareColumn(at: string, want: SnapColumn, got: SnapColumn, out: string[]): void {
  if (typeKey(want.type) !== typeKey(got.type)) out.push(`${at}: type expected ${want.type}, found ${got.type}`);
  if (want.nullable !== got.nullable) out.push(`${at}: expected ${want.nullable ? 'nullable' : 'not null'}, found ${got.nullable ? 'nullable' : 'not null'}`);
  if ((want.comment ?? null) !== (got.comment ?? null)) out.push(`${at}: comment expected ${show(want.comment)}, found ${show(got.comment)}`);
  if (!exprEqual(want.default, got.default)) out.push(`${at}: default expected ${want.default ?? 'none'}, found ${got.default ?? 'none'}`);
}

/** `char` is `char(1)`; `varchar` spelled `character varying` etc. is handled by introspection. */
function typeKey(type: string): string {
  return type.replace(/\s+/g, ' ').trim().replace(/^char(\[\])*$/, 'char(1)$1').toLowerCase();
}

/** Both absent, or both present and not known to differ (undecidable expressions compare by presence). */
function exprEqual(want: string | null, got: string | null): boolean {
  if (want === null || got === null) return want === got;
  return compareExpr(want, got) !== 'different';
}

function comparePrimaryKey(want: SnapTable, got: LiveTable, out: string[]): void {
  const at = `table "${want.name}"`;
  const w = want.primaryKey;
  const g = got.primaryKey;
  if (w && !g) out.push(`${at}: primary key "${w.name}" is missing`);
  else if (!w && g) out.push(`${at}: primary key "${g.name}" is in the database but not in the snapshot`);
  else if (w && g && (w.name !== g.name || !same(w.columns, g.columns))) {
    out.push(`${at}: primary key expected "${w.name}" ${list(w.columns)}, found "${g.name}" ${list(g.columns)}`);
  }
}

const fkText = (f: SnapTable['foreignKeys'][number]) =>
  `${list(f.columns)} → ${f.refTable}${list(f.refColumns)} on delete ${f.onDelete} on update ${f.onUpdate}`;

function compareNamed<T extends { name: string }>(
  at: string, noun: string, want: readonly T[], got: readonly T[], text: (x: T) => string, out: string[],
  equal: (a: T, b: T) => boolean = (a, b) => text(a) === text(b),
): void {
  const live = new Map(got.map((x) => [x.name, x]));
  for (const w of want) {
    const g = live.get(w.name);
    if (!g) out.push(`${at}: ${noun} "${w.name}" is missing`);
    else if (!equal(w, g)) out.push(`${at}: ${noun} "${w.name}" expected ${text(w)}, found ${text(g)}`);
  }
  const names = new Set(want.map((w) => w.name));
  for (const g of got) if (!names.has(g.name)) out.push(`${at}: ${noun} "${g.name}" is in the database but not in the snapshot`);
}

/** The columns a trigger function sets are read from its body; when none are found, name and function decide. */
function triggerEqual(a: SnapTable['triggers'][number], b: SnapTable['triggers'][number]): boolean {
  if (a.function !== b.function || a.kind !== b.kind) return false;
  return b.columns.length === 0 || same([...a.columns].sort(), [...b.columns].sort());
}

function compareChecks(want: SnapTable, got: LiveTable, out: string[]): void {
  compareNamed(`table "${want.name}"`, 'check', want.checks, got.checks, (c) => c.expr, out, (a, b) => exprEqual(a.expr, b.expr));
}

function compareIndexes(want: SnapTable, got: LiveTable, out: string[]): void {
  const text = (i: SnapTable['indexes'][number]) =>
    `${i.unique ? 'unique ' : ''}using ${i.using} ${list(i.columns)}${i.where ? ` where ${i.where}` : ''}${i.opclasses ? ` opclass ${pairs(i.opclasses)}` : ''}${i.with ? ` with ${pairs(i.with)}` : ''}`;
  const equal = (a: SnapTable['indexes'][number], b: SnapTable['indexes'][number]) =>
    a.unique === b.unique && a.using === b.using && same(a.columns, b.columns) && exprEqual(a.where, b.where) &&
    pairs(a.opclasses) === pairs(b.opclasses) && pairs(a.with) === pairs(b.with);
  compareNamed(`table "${want.name}"`, 'index', want.indexes, got.indexes, text, out, equal);
}

/** `a=x, b=y` in key order; '' for none. */
function pairs(m: Readonly<Record<string, string | number>> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${m![k]}`).join(', ');
}

function compareRls(want: SnapTable, got: LiveTable, out: string[]): void {
  const at = `table "${want.name}"`;
  if (want.rls) {
    if (!got.rlsEnabled) out.push(`${at}: row-level security is not enabled`);
    else if (!got.rlsForced) out.push(`${at}: row-level security is not forced (the table owner bypasses the policy)`);
    if (!got.policies.includes(want.rls.policy)) out.push(`${at}: policy "${want.rls.policy}" is missing`);
    for (const p of got.policies) if (p !== want.rls.policy) out.push(`${at}: policy "${p}" is in the database but not in the snapshot`);
  } else {
    if (got.rlsEnabled) out.push(`${at}: row-level security is enabled but the snapshot has none`);
    for (const p of got.policies) out.push(`${at}: policy "${p}" is in the database but not in the snapshot`);
  }
}
