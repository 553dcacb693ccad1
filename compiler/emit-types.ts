/**
 * Kysely types from snapshots: the `generated/db.ts` of SPEC §8, in kysely-codegen's
 * conventions. This module builds a flat view model (every name, key and TypeScript type
 * already decided) and renders it through `templates/db.ts.hbs`.
 */
import { CORE } from './ir.ts';
import type { Owner, SnapColumn, SnapEnum, SnapTable, Snapshot } from './ir.ts';
import { render } from './templates.ts';

/** A HelperName is one of the helper types db.ts declares when some column needs it. */
export type HelperName = 'Generated' | 'ArrayType' | 'Int8' | 'Numeric' | 'Timestamp' | 'Json';

/** A ColumnView is one property of a table interface. */
export interface ColumnView {
  /** The property key: the column name, quoted only when it is not an identifier. */
  readonly key: string;
  /** The TypeScript type, e.g. `Generated<number>`, `Timestamp | null`. */
  readonly type: string;
  /** The column's comment as a one-line doc comment, or null. */
  readonly docLine: string | null;
  /** The column's comment as doc comment lines when it has several, else empty. */
  readonly docLines: readonly string[];
}

/** A TableView is one table interface with its Selectable/Insertable/Updateable aliases. */
export interface TableView {
  readonly name: string;
  readonly row: string;
  readonly insert: string;
  readonly update: string;
  readonly docLine: string | null;
  readonly docLines: readonly string[];
  readonly columns: readonly ColumnView[];
}

/** An EnumView is an enum as a union of string literals. */
export interface EnumView {
  readonly name: string;
  /** The literals, quoted, in declared order. */
  readonly values: readonly string[];
}

/** An OwnerView is the enums and tables one owner contributes. */
export interface OwnerView {
  readonly owner: Owner;
  readonly enums: readonly EnumView[];
  readonly tables: readonly TableView[];
}

/** A TypesView is the whole view model of `templates/db.ts.hbs`. */
export interface TypesView {
  /** The names imported from kysely, sorted; empty when nothing is. */
  readonly kyselyImports: readonly string[];
  readonly uses: Readonly<Record<HelperName, boolean>>;
  readonly owners: readonly OwnerView[];
  /** `DB`'s properties: table name (quoted when needed) → interface, sorted by table name. */
  readonly db: readonly { readonly key: string; readonly type: string }[];
}

/** Renders `generated/db.ts` for every owner's snapshot (core first, then orgs by name). */
export function emitTypes(snapshots: readonly Snapshot[]): string {
  return render('db.ts.hbs', typesView(snapshots));
}

/** Builds the view model of `emitTypes`: deterministic whatever the order of `snapshots`; owners with nothing are left out. */
export function typesView(snapshots: readonly Snapshot[]): TypesView {
  const ordered = snapshots
    .filter((s) => s.tables.length > 0 || s.enums.length > 0)
    .sort((a, b) => ownerRank(a.owner) - ownerRank(b.owner) || compare(a.owner, b.owner));
  const names = allocateNames(ordered);
  const uses: Record<HelperName, boolean> = { Generated: false, ArrayType: false, Int8: false, Numeric: false, Timestamp: false, Json: false };
  const owners = ordered.map((s): OwnerView => ({
    owner: s.owner,
    enums: sortBy(s.enums, (e) => e.name).map((e) => ({ name: names.enums.get(e.name)!, values: e.values.map(tsString) })),
    tables: sortBy(s.tables, (t) => t.name).map((t) => tableView(t, names, uses)),
  }));
  const tables = ordered.flatMap((s) => s.tables);
  const db = sortBy(tables, (t) => t.name).map((t) => ({ key: tsKey(t.name), type: names.tables.get(t.name)!.name }));
  return { kyselyImports: kyselyImports(uses, tables.length > 0), uses, owners, db };
}

function tableView(table: SnapTable, names: Names, uses: Record<HelperName, boolean>): TableView {
  const aliases = names.tables.get(table.name)!;
  const columns = table.columns.map((c) => ({ key: tsKey(c.name), type: columnType(c, names.enums, uses), ...doc(c.comment) }));
  return { ...aliases, ...doc(table.comment), columns };
}

function kyselyImports(uses: Readonly<Record<HelperName, boolean>>, anyTable: boolean): string[] {
  if (!anyTable) return [];
  const columnType = uses.Generated || uses.ArrayType || uses.Int8 || uses.Numeric || uses.Timestamp;
  return [...(columnType ? ['ColumnType'] : []), 'Insertable', 'Selectable', 'Updateable'];
}

// ---------------------------------------------------------------------------
// Column types
// ---------------------------------------------------------------------------

/** A Mapped type: its TypeScript text, and the helper it relies on (if any). */
interface Mapped {
  readonly ts: string;
  /** True when `ts` is a ColumnType (arrays of it need `ArrayType`). */
  readonly columnType: boolean;
  readonly helper?: HelperName;
}

const NUMBER: Mapped = { ts: 'number', columnType: false };
const STRING: Mapped = { ts: 'string', columnType: false };
const INT8: Mapped = { ts: 'Int8', columnType: true, helper: 'Int8' };
const TIMESTAMP: Mapped = { ts: 'Timestamp', columnType: true, helper: 'Timestamp' };

/** PostgreSQL type names (canonical and common aliases) → TypeScript. */
const SCALARS: Readonly<Record<string, Mapped>> = {
  smallint: NUMBER, int2: NUMBER, integer: NUMBER, int: NUMBER, int4: NUMBER,
  real: NUMBER, float4: NUMBER, 'double precision': NUMBER, float8: NUMBER,
  serial: NUMBER, serial4: NUMBER,
  bigint: INT8, int8: INT8, bigserial: INT8, serial8: INT8,
  numeric: { ts: 'Numeric', columnType: true, helper: 'Numeric' },
  decimal: { ts: 'Numeric', columnType: true, helper: 'Numeric' },
  boolean: { ts: 'boolean', columnType: false }, bool: { ts: 'boolean', columnType: false },
  text: STRING, varchar: STRING, 'character varying': STRING, char: STRING, character: STRING, bpchar: STRING,
  uuid: STRING, inet: STRING, cidr: STRING, citext: STRING, vector: STRING,
  time: STRING, timetz: STRING, 'time without time zone': STRING, 'time with time zone': STRING, interval: STRING,
  date: TIMESTAMP, timestamp: TIMESTAMP, timestamptz: TIMESTAMP,
  'timestamp without time zone': TIMESTAMP, 'timestamp with time zone': TIMESTAMP,
  json: { ts: 'Json', columnType: false, helper: 'Json' },
  jsonb: { ts: 'Json', columnType: false, helper: 'Json' },
  bytea: { ts: 'Buffer', columnType: false },
};

/** Types whose values the database generates when an INSERT omits them. */
const SERIALS = new Set(['serial', 'serial4', 'bigserial', 'serial8']);

/** The TypeScript type of a column: base type, `[]`, `| null`, then `Generated<>`. */
export function columnType(column: SnapColumn, enums: ReadonlyMap<string, string>, uses: Record<HelperName, boolean>): string {
  const { base, array } = parseType(column.type);
  const mapped = SCALARS[base] ?? (enums.has(base) ? { ts: enums.get(base)!, columnType: false } : { ts: 'unknown', columnType: false });
  if (mapped.helper) uses[mapped.helper] = true;
  let ts = mapped.ts;
  if (array) {
    if (mapped.columnType) uses.ArrayType = true;
    ts = mapped.columnType ? `ArrayType<${ts}>` : `${ts}[]`;
  }
  if (column.nullable) ts = `${ts} | null`;
  if (column.default !== null || (SERIALS.has(base) && !array)) {
    uses.Generated = true;
    ts = `Generated<${ts}>`;
  }
  return ts;
}

/** Parsed type texts: a workspace uses a handful of distinct types across thousands of columns. */
const parsedTypes = new Map<string, { base: string; array: boolean }>();

/** Splits canonical type text into its base name (no modifiers) and whether it is an array. */
export function parseType(type: string): { base: string; array: boolean } {
  let parsed = parsedTypes.get(type);
  if (parsed === undefined) {
    if (parsedTypes.size > 10_000) parsedTypes.clear();
    parsedTypes.set(type, (parsed = parseTypeText(type)));
  }
  return parsed;
}

function parseTypeText(type: string): { base: string; array: boolean } {
  let text = type.trim().toLowerCase();
  const array = text.endsWith('[]');
  while (text.endsWith('[]')) text = text.slice(0, -2).trimEnd();
  const base = text.replace(/\s*\([^)]*\)/g, '').replace(/\s+/g, ' ').replace(/^"(.*)"$/, '$1');
  return { base, array };
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

/** The TypeScript names of every enum and table (with the table's aliases). */
interface Names {
  readonly enums: ReadonlyMap<string, string>;
  readonly tables: ReadonlyMap<string, { name: string; row: string; insert: string; update: string }>;
}

/** Names db.ts declares, imports or references itself: a table or enum never takes them. */
const RESERVED = [
  'ColumnType', 'Insertable', 'Selectable', 'Updateable', 'DB', 'Date', 'Buffer',
  'Generated', 'ArrayType', 'ArrayTypeImpl', 'Int8', 'Numeric', 'Timestamp',
  'Json', 'JsonArray', 'JsonObject', 'JsonPrimitive', 'JsonValue',
];

/** Allocates names: enums then tables, each by name; a clash gets a `Enum`/`Table` suffix, then a number. */
function allocateNames(snapshots: readonly Snapshot[]): Names {
  const taken = new Set(RESERVED);
  const enums = new Map<string, string>();
  for (const e of sortBy(snapshots.flatMap((s) => s.enums), (x: SnapEnum) => x.name)) {
    const name = firstFree(pascalCase(e.name), 'Enum', (n) => [n], taken);
    enums.set(e.name, name);
    taken.add(name);
  }
  const tables = new Map<string, { name: string; row: string; insert: string; update: string }>();
  for (const t of sortBy(snapshots.flatMap((s) => s.tables), (x: SnapTable) => x.name)) {
    const name = firstFree(pascalCase(t.name), 'Table', aliasesOf, taken);
    const [, row, insert, update] = aliasesOf(name);
    tables.set(t.name, { name, row, insert, update });
    for (const n of aliasesOf(name)) taken.add(n);
  }
  return { enums, tables };
}

function aliasesOf(name: string): string[] {
  return [name, `${name}Row`, `New${name}`, `${name}Update`];
}

function firstFree(base: string, suffix: string, forms: (n: string) => string[], taken: ReadonlySet<string>): string {
  const free = (n: string): boolean => forms(n).every((f) => !taken.has(f));
  if (free(base)) return base;
  for (let i = 1; ; i++) {
    const candidate = `${base}${suffix}${i === 1 ? '' : i}`;
    if (free(candidate)) return candidate;
  }
}

/** `acme_invoice_data` → `AcmeInvoiceData`; characters outside [A-Za-z0-9] separate words. */
export function pascalCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  const joined = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  if (joined === '') return 'Unnamed';
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

// ---------------------------------------------------------------------------
// TypeScript text
// ---------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key: bare when it is an identifier, else a string literal. */
export function tsKey(name: string): string {
  return IDENTIFIER.test(name) ? name : tsString(name);
}

/** A single-quoted TypeScript string literal (JSON's escapes, with `'` escaped instead of `"`). */
export function tsString(value: string): string {
  const body = JSON.stringify(value).slice(1, -1).replace(/\\.|'/g, (m) => (m === '\\"' ? '"' : m === "'" ? "\\'" : m));
  return `'${body}'`;
}

/** A comment as doc comment text, one line or several; `*\/` cannot end the comment early. */
function doc(comment: string | null): { docLine: string | null; docLines: string[] } {
  if (comment === null || comment.trim() === '') return { docLine: null, docLines: [] };
  const lines = comment.trim().split(/\r\n|\r|\n|\u2028|\u2029/).map((l) => l.trimEnd().replace(/\*\//g, '*\\/'));
  return lines.length === 1 ? { docLine: lines[0], docLines: [] } : { docLine: null, docLines: lines };
}

function ownerRank(owner: Owner): number {
  return owner === CORE ? 0 : 1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortBy<T>(items: readonly T[], key: (x: T) => string): T[] {
  return [...items].sort((a, b) => compare(key(a), key(b)));
}
