/**
 * One owner's section of the Kysely types (the body of its module, `generated/db/<owner>.ts`):
 * its enums and table interfaces, rendered as plain text. A section depends on its snapshot,
 * on the names allocated to its owner and on the local names of the enums it takes from other
 * owners; it records the names it used so that a cached section can be checked against a
 * later allocation.
 */
import { compareText } from '../engine/index.ts';
import type { Owner, SnapColumn, SnapEnum, Snapshot, SnapTable } from '../ir.ts';

/** A HelperName is one of the helper types the index declares and a module imports when some column needs it. */
export type HelperName = 'Generated' | 'ArrayType' | 'Int8' | 'Numeric' | 'Timestamp' | 'Json';

/** The helper types in the order a module imports them. */
const HELPER_NAMES: readonly HelperName[] = ['ArrayType', 'Generated', 'Int8', 'Json', 'Numeric', 'Timestamp'];

/** A Section is the body of one owner's module, with everything it took from outside its snapshot. */
export interface Section {
  readonly owner: Owner;
  /** The lines from its first enum or interface to its last alias, each ending in a newline. */
  readonly text: string;
  /** The helper types its columns use. */
  readonly uses: readonly HelperName[];
  /** Every enum name it looked up: SQL name → its local TypeScript name, or null when no owner declares it. */
  readonly enums: readonly (readonly [string, string | null])[];
  /** Its tables: SQL name → TypeScript interface name (the aliases follow from it). */
  readonly tables: readonly (readonly [string, string])[];
}

/**
 * TypeNames are the TypeScript names of every enum and table, each allocated within its owner's
 * module (SQL names are unique across owners, so one map serves them all), and the names more
 * than one module exports.
 */
export interface TypeNames {
  readonly enums: ReadonlyMap<string, string>;
  /** Table name → interface name. */
  readonly tables: ReadonlyMap<string, string>;
  /** A name several modules export → the owner whose export the index keeps (the first, core first). */
  readonly clashes: ReadonlyMap<string, Owner>;
}

/** The names a section is rendered with: its tables', and the local name of each enum it may look up. */
export interface SectionNames {
  readonly enums: { get(name: string): string | undefined };
  readonly tables: ReadonlyMap<string, string>;
}

/** Renders one owner's section. */
export function renderSection(snapshot: Snapshot, names: SectionNames): Section {
  const uses: Record<HelperName, boolean> = { Generated: false, ArrayType: false, Int8: false, Numeric: false, Timestamp: false, Json: false };
  const enums = new Map<string, string | null>();
  const tables: [string, string][] = [];
  const blocks: string[] = [];
  for (const e of sortBy(snapshot.enums, (x) => x.name)) {
    const name = names.enums.get(e.name)!;
    enums.set(e.name, name);
    blocks.push(`export type ${name} = ${e.values.map(tsString).join(' | ')};\n`);
  }
  for (const t of sortBy(snapshot.tables, (x) => x.name)) {
    const name = names.tables.get(t.name)!;
    tables.push([t.name, name]);
    blocks.push(tableInterface(t, name, names, enums, uses), tableAliases(name));
  }
  const text = blocks.join('\n');
  return { owner: snapshot.owner, text, uses: HELPER_NAMES.filter((h) => uses[h]), enums: [...enums], tables };
}

/** True when every name `section` used is still allocated the same way in `names`. */
export function sectionMatches(section: Section, names: SectionNames): boolean {
  return (
    section.enums.every(([sql, ts]) => (names.enums.get(sql) ?? null) === ts) &&
    section.tables.every(([sql, ts]) => names.tables.get(sql) === ts)
  );
}

/** A table's interface; the enums its columns may name are recorded in `seen`. */
function tableInterface(table: SnapTable, name: string, names: SectionNames, seen: Map<string, string | null>, uses: Record<HelperName, boolean>): string {
  let out = docComment(table.comment, '');
  out += `export interface ${name} {\n`;
  for (const c of table.columns) {
    recordEnum(c.type, names, seen);
    out += `${docComment(c.comment, '  ')}  ${tsKey(c.name)}: ${columnType(c, names.enums, uses)};\n`;
  }
  return `${out}}\n`;
}

function tableAliases(name: string): string {
  const [, row, insert, update] = aliasesOf(name);
  return `export type ${row} = Selectable<${name}>;\nexport type ${insert} = Insertable<${name}>;\nexport type ${update} = Updateable<${name}>;\n`;
}

/** Records the enum a column type may name: null when no owner declares it (declaring it later changes the section). */
function recordEnum(type: string, names: SectionNames, seen: Map<string, string | null>): void {
  const { base } = parseType(type);
  if (SCALARS[base] === undefined) seen.set(base, names.enums.get(base) ?? null);
}

/** A comment as a doc comment at an indent: one line, or several; `*\/` cannot end it early. Empty when there is none. */
function docComment(comment: string | null, indent: string): string {
  if (comment === null || comment.trim() === '') return '';
  const lines = comment.trim().split(/\r\n|\r|\n|\u2028|\u2029/).map((l) => l.trimEnd().replace(/\*\//g, '*\\/'));
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l === '' ? '' : ` ${l}`}\n`).join('')}${indent} */\n`;
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
  uuid: STRING, inet: STRING, cidr: STRING, citext: STRING, vector: STRING, halfvec: STRING, sparsevec: STRING,
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
export function columnType(column: SnapColumn, enums: SectionNames['enums'], uses: Record<HelperName, boolean>): string {
  const { base, array } = parseType(column.type);
  const mapped: Mapped = SCALARS[base] ?? { ts: enums.get(base) ?? 'unknown', columnType: false };
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

/** Names a module declares, imports or references itself: a table or enum never takes them. */
const RESERVED = [
  'ColumnType', 'Insertable', 'Selectable', 'Updateable', 'DB', 'Date', 'Buffer',
  'Generated', 'ArrayType', 'ArrayTypeImpl', 'Int8', 'Numeric', 'Timestamp',
  'Json', 'JsonArray', 'JsonObject', 'JsonPrimitive', 'JsonValue',
];

/** What name allocation needs of an owner: its name and the names of its enums and tables. */
export interface NamedParts {
  readonly owner: Owner;
  readonly enums: readonly { readonly name: string }[];
  readonly tables: readonly { readonly name: string }[];
}

/**
 * A NamesMemo keeps allocations beyond this process (the per-user cache), by the key of the
 * names they were made from (every owner's name, enum and table names, in order). What it
 * recalls is used only when it names exactly those enums and tables.
 */
export interface NamesMemo {
  recall(key: string): TypeNames | undefined;
  keep(key: string, names: TypeNames): void;
}

/**
 * Allocates names within each owner: enums then tables, each by name; a clash with another
 * name of the same module gets a `Enum`/`Table` suffix, then a number. Names that several
 * modules export are recorded with the first owner that exports them (`owners` in order).
 */
export function allocateNames(owners: readonly NamedParts[], memo?: NamesMemo): TypeNames {
  const key = owners.map((s) => `${s.owner}\x01${partKey(s.enums)}\x01${partKey(s.tables)}`).join('\x02');
  if (lastAllocation?.key === key) return lastAllocation.names;
  let names = memo?.recall(key);
  if (names === undefined || !covers(names, owners)) {
    names = allocate(owners);
    memo?.keep(key, names);
  }
  lastAllocation = { key, names };
  return names;
}

/** True when `names` names every enum and table of `owners` and nothing else. */
function covers(names: TypeNames, owners: readonly NamedParts[]): boolean {
  let enums = 0;
  let tables = 0;
  for (const s of owners) {
    for (const e of s.enums) if (++enums, typeof names.enums.get(e.name) !== 'string') return false;
    for (const t of s.tables) if (++tables, typeof names.tables.get(t.name) !== 'string') return false;
  }
  return names.enums.size === enums && names.tables.size === tables;
}

/**
 * The last allocation and the names it was made from: a process that renders the types again
 * with the same names (the watcher, after a save that changed columns) reuses it. An owner's
 * part of the key is kept by its list (snapshots are never mutated).
 */
let lastAllocation: { readonly key: string; readonly names: TypeNames } | undefined;
const partKeys = new WeakMap<readonly { readonly name: string }[], string>();

/** The names of a list, joined by NUL (which no PostgreSQL name holds). */
function partKey(items: readonly { readonly name: string }[]): string {
  let key = partKeys.get(items);
  if (key === undefined) partKeys.set(items, (key = items.map((x) => x.name).join('\0')));
  return key;
}

function allocate(owners: readonly NamedParts[]): TypeNames {
  const enums = new Map<string, string>();
  const tables = new Map<string, string>();
  const exporter = new Map<string, Owner>();
  const clashes = new Map<string, Owner>();
  const exported = (name: string, owner: Owner) => {
    const first = exporter.get(name);
    if (first === undefined) exporter.set(name, owner);
    else clashes.set(name, first);
  };
  for (const o of owners) {
    const taken = new Set(RESERVED);
    for (const name of sortedNames(o.enums)) {
      const [ts] = firstFree(pascalCase(name), 'Enum', (n) => [n], taken);
      enums.set(name, ts);
      taken.add(ts);
      exported(ts, o.owner);
    }
    for (const name of sortedNames(o.tables)) {
      const base = pascalCase(name);
      const forms = isFree(base, taken) ? aliasesOf(base) : firstFree(base, 'Table', aliasesOf, taken);
      tables.set(name, forms[0]);
      for (const n of forms) {
        taken.add(n);
        exported(n, o.owner);
      }
    }
  }
  return { enums, tables, clashes };
}

/** The names of some parts, in code-unit order (as `sortBy` would order them). */
function sortedNames(parts: readonly { readonly name: string }[]): string[] {
  return parts.map((x) => x.name).sort(compareText);
}

/** True when none of a table name's forms (see `aliasesOf`) is taken, checked without building them. */
function isFree(base: string, taken: ReadonlySet<string>): boolean {
  return !taken.has(base) && !taken.has(`${base}Row`) && !taken.has(`New${base}`) && !taken.has(`${base}Update`);
}

/** A table interface's name and its Selectable, Insertable and Updateable aliases. */
export function aliasesOf(name: string): string[] {
  return [name, `${name}Row`, `New${name}`, `${name}Update`];
}

/** The forms of the first name none of whose forms is taken: `base`, then `base` + suffix, then numbered. */
function firstFree(base: string, suffix: string, forms: (n: string) => string[], taken: ReadonlySet<string>): string[] {
  for (let i = 0; ; i++) {
    const candidate = forms(i === 0 ? base : `${base}${suffix}${i === 1 ? '' : i}`);
    if (candidate.every((f) => !taken.has(f))) return candidate;
  }
}

/** `acme_invoice_data` → `AcmeInvoiceData`; characters outside [A-Za-z0-9] separate words. */
export function pascalCase(name: string): string {
  let cased = PASCAL.get(name);
  if (cased === undefined) {
    if (PASCAL.size >= PASCAL_MAX) PASCAL.clear();
    PASCAL.set(name, (cased = pascalCaseOf(name)));
  }
  return cased;
}

/** Names cased before: a process that renders the types again (the watcher) cases each name once. */
const PASCAL = new Map<string, string>();
const PASCAL_MAX = 200_000;

function pascalCaseOf(name: string): string {
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

/** Sorts by a string key, in code-unit order. */
export function sortBy<T>(items: readonly T[], key: (x: T) => string): T[] {
  return [...items].sort((a, b) => compareText(key(a), key(b)));
}

