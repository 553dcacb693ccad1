/**
 * A models file made from a schema read from a live database (`schemac pull`): tables,
 * enums and extensions in the snapshot IR in, the `models.yaml` text out. Every name is
 * kept: a constraint's or index's name is written (`name:`) where it differs from the one
 * schemac would derive. Pure: the command reads the database and writes the file.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Node } from 'yaml';
import type { SnapColumn, SnapEnum, SnapForeignKey, SnapIndex, SnapTable } from '../ir.ts';
import { checkName, fkeyName, indexName, pkeyName, rlsPolicyName, uniqueName, updatedAtTriggerName } from '../shared/index.ts';

/** IndexExtras are what the snapshot IR does not hold of an index: per-column operator classes (null: the default) and storage parameters. */
export interface IndexExtras {
  readonly opclasses: readonly (string | null)[];
  readonly with: Readonly<Record<string, string>>;
}

/** A PullSource is what `pull` read and writes: the tables, enums and extensions no models file declares. */
export interface PullSource {
  readonly tables: readonly SnapTable[];
  readonly enums: readonly SnapEnum[];
  readonly extensions: readonly string[];
  /** `table.index` → the index's operator classes and storage parameters. */
  readonly indexExtras: ReadonlyMap<string, IndexExtras>;
}

/** An Unsupported is a column whose type models.yaml cannot express. */
export interface Unsupported {
  readonly table: string;
  readonly column: string;
  readonly type: string;
}

/** Lint rules allowed per scope: `table` or `table.column` → rule id → reason. */
export type PulledAllows = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** The reason every allow `pull` writes gives. */
export const PULLED_REASON = 'pulled from an existing database';

const BASE_TYPES = new Set([
  'smallint', 'integer', 'bigint', 'serial', 'bigserial', 'real', 'double precision', 'boolean', 'text', 'uuid', 'date', 'time',
  'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'bytea', 'inet', 'citext',
]);
const SIZED_TYPES = new Set(['varchar', 'char', 'vector', 'halfvec', 'sparsevec']);

/** Whether models.yaml can express a column type (built-ins, pgvector's, an enum the schema holds). */
export function expressible(type: string, enums: ReadonlySet<string>): boolean {
  const m = /^([a-z_][a-z0-9_ ]*?)(?:\((\d+)(?:,(\d+))?\))?(\[\])?$/.exec(type);
  if (!m) return false;
  const [, base, p1, p2] = m;
  if (base === 'numeric') return true;
  if (SIZED_TYPES.has(base)) return p1 !== undefined && p2 === undefined;
  if (BASE_TYPES.has(base)) return p1 === undefined;
  return enums.has(base) && p1 === undefined;
}

/** The columns of the source whose types cannot be expressed, in table and column order. */
export function unsupportedColumns(source: PullSource, knownEnums: ReadonlySet<string>): Unsupported[] {
  const enums = new Set([...knownEnums, ...source.enums.map((e) => e.name)]);
  return source.tables.flatMap((t) =>
    t.columns.filter((c) => !expressible(c.type, enums)).map((c) => ({ table: t.name, column: c.name, type: c.type })),
  );
}

/** The models file's text: the header's lines as comments, then extensions, enums and tables, each sorted by name; deterministic. */
export function renderModelsFile(source: PullSource, allows: PulledAllows = new Map(), header: readonly string[] = []): string {
  const model: Record<string, unknown> = {};
  if (source.extensions.length) model.extensions = [...source.extensions].sort();
  if (source.enums.length) model.enums = Object.fromEntries([...source.enums].sort(byName).map((e) => [e.name, [...e.values]]));
  model.tables = Object.fromEntries([...source.tables].sort(byName).map((t) => [t.name, tableModel(t, source, allows)]));
  const { Document } = yamlPackage();
  const doc = new Document(model);
  compactLeaves(doc.contents as Node);
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  return header.length ? `${header.map((h) => `# ${h}`).join('\n')}\n\n${text}` : text;
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function tableModel(t: SnapTable, source: PullSource, allows: PulledAllows): Record<string, unknown> {
  const single = (cols: readonly string[]) => cols.length === 1;
  const pk = t.primaryKey;
  const uniques = t.uniques.filter((u) => !single(u.columns));
  const fks = t.foreignKeys.filter((f) => !single(f.columns));
  const out: Record<string, unknown> = {};
  if (t.comment) out.comment = t.comment;
  if (!t.columns.some((c) => c.name === 'client_id')) out.tenant = 'global';
  out.columns = Object.fromEntries(t.columns.map((c) => [c.name, columnModel(t, c, allows)]));
  if (pk && !single(pk.columns)) out.primary_key = pk.name === pkeyName(t.name) ? [...pk.columns] : { columns: [...pk.columns], name: pk.name };
  if (uniques.length) {
    out.unique = uniques.map((u) => (u.name === uniqueName(t.name, u.columns) ? [...u.columns] : { columns: [...u.columns], name: u.name }));
  }
  if (fks.length) out.foreign_keys = fks.map((f) => foreignKeyModel(t.name, f));
  if (t.checks.length) out.checks = Object.fromEntries(t.checks.map((c) => checkEntry(t.name, c)));
  if (t.indexes.length) out.indexes = t.indexes.map((i) => indexModel(t.name, i, source.indexExtras.get(`${t.name}.${i.name}`)));
  if (t.rls && t.rls.policy === rlsPolicyName(t.name)) out.rls = true;
  const lint = allowsOf(allows.get(t.name));
  if (lint) out.lint = lint;
  return out;
}

function columnModel(t: SnapTable, c: SnapColumn, allows: PulledAllows): Record<string, unknown> {
  const out: Record<string, unknown> = { type: c.type };
  if (c.nullable) out.nullable = true;
  const pk = t.primaryKey;
  if (pk && pk.columns.length === 1 && pk.columns[0] === c.name) out.primary_key = pk.name === pkeyName(t.name) ? true : { name: pk.name };
  const unique = t.uniques.find((u) => u.columns.length === 1 && u.columns[0] === c.name);
  if (unique) out.unique = unique.name === uniqueName(t.name, [c.name]) ? true : { name: unique.name };
  if (c.default !== null) out.default = defaultModel(c.default, c.type);
  const fk = t.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === c.name);
  if (fk) out.references = referenceModel(t.name, fk);
  if (t.triggers.some((tr) => tr.name === updatedAtTriggerName(t.name) && tr.columns.includes(c.name))) out.on_update = 'now()';
  if (c.comment) out.comment = c.comment;
  const lint = allowsOf(allows.get(`${t.name}.${c.name}`));
  if (lint) out.lint = lint;
  return out;
}

function referenceModel(table: string, f: SnapForeignKey): Record<string, unknown> {
  const out: Record<string, unknown> = { table: f.refTable, column: f.refColumns[0] };
  if (f.onDelete !== 'no action') out.on_delete = f.onDelete;
  if (f.onUpdate !== 'no action') out.on_update = f.onUpdate;
  if (f.name !== fkeyName(table, f.columns)) out.name = f.name;
  return out;
}

function foreignKeyModel(table: string, f: SnapForeignKey): Record<string, unknown> {
  const out: Record<string, unknown> = { columns: [...f.columns], references: { table: f.refTable, columns: [...f.refColumns] } };
  if (f.onDelete !== 'no action') out.on_delete = f.onDelete;
  if (f.onUpdate !== 'no action') out.on_update = f.onUpdate;
  if (f.name !== fkeyName(table, f.columns)) out.name = f.name;
  return out;
}

/** A check keeps its derived name's key (`<t>_<key>_check`), else its own name as the key with `name:`. */
function checkEntry(table: string, c: { name: string; expr: string }): [string, unknown] {
  const prefix = `${table}_`;
  const key = c.name.startsWith(prefix) && c.name.endsWith('_check') ? c.name.slice(prefix.length, -'_check'.length) : '';
  if (/^[a-z_][a-z0-9_]*$/.test(key) && checkName(table, key) === c.name) return [key, c.expr];
  return [c.name, { sql: c.expr, name: c.name }];
}

/** Methods whose operator class is always written (pgvector's: the distance an index serves is part of its meaning). */
const EXPLICIT_OPCLASS = new Set(['hnsw', 'ivfflat']);

function indexModel(table: string, i: SnapIndex, extras: IndexExtras | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { columns: [...i.columns] };
  if (i.unique) out.unique = true;
  if (i.using !== 'btree') out.using = i.using;
  const opclasses = extras?.opclasses ?? [];
  if (opclasses.some((o) => o !== null)) {
    out.opclass = i.columns.length === 1
      ? opclasses[0]
      : Object.fromEntries(i.columns.map((col, n) => [col, opclasses[n]] as const).filter(([, o]) => o !== null));
  }
  const params = Object.entries(extras?.with ?? {});
  if (params.length) out.with = Object.fromEntries(params.map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v]));
  if (i.where) out.where = i.where;
  if (i.name !== indexName(table, i.columns)) out.name = i.name;
  return out;
}

/** Whether an index method's operator classes are always written. */
export function explicitOpclass(method: string): boolean {
  return EXPLICIT_OPCLASS.has(method);
}

function allowsOf(rules: ReadonlyMap<string, string> | undefined): Record<string, unknown> | undefined {
  if (!rules || rules.size === 0) return undefined;
  return { allow: Object.fromEntries([...rules].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

const NUMERIC = /^(smallint|integer|bigint|real|double precision|numeric(\(.*\))?)$/;

/**
 * A default as models.yaml writes it: a literal where PostgreSQL's text is one (`'free'::character
 * varying` → `free`, `0`, `true`, `'{}'::jsonb` → `{}`), the allowlisted functions as themselves,
 * anything else as `{sql: …}`.
 */
export function defaultModel(expr: string, type: string): unknown {
  const text = expr.trim();
  const fn = /^(now\(\)|gen_random_uuid\(\)|current_date|current_timestamp|CURRENT_DATE|CURRENT_TIMESTAMP)$/.exec(text);
  if (fn) return fn[1].toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  const number = /^\(?(-?\d+(?:\.\d+)?)\)?(?:::[a-z ]+)?$/.exec(text);
  if (number && NUMERIC.test(type)) return Number(number[1]);
  const literal = /^'((?:[^']|'')*)'(?:::([a-z_][a-z0-9_ ]*(?:\(\d+(?:,\d+)?\))?(?:\[\])?))?$/.exec(text);
  if (literal) return literalModel(literal[1].replace(/''/g, "'"), type);
  if (/^ARRAY\[\]::/i.test(text) && type.endsWith('[]')) return [];
  return { sql: text };
}

function literalModel(value: string, type: string): unknown {
  if (type === 'json' || type === 'jsonb') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: written as a value below
    }
    return { value };
  }
  if (type.endsWith('[]') && value === '{}') return [];
  if (NUMERIC.test(type) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  // A string that reads as a function call or a keyword is forced to stay a literal.
  return /\(|^(current_|now|true|false|null)/i.test(value) ? { value } : value;
}

/** Columns, index entries, references and short lists in flow style (`{ type: uuid, … }`), the rest in blocks. */
function compactLeaves(root: Node): void {
  const { isMap, isSeq, stringify } = yamlPackage();
  const visit = (node: unknown, depth: number, key: string): void => {
    if (isSeq(node)) {
      if (node.items.every((n) => !isMap(n) && !isSeq(n))) node.flow = true;
      for (const n of node.items) visit(n, depth + 1, key);
    } else if (isMap(node)) {
      const short = stringify(node.toJSON(), { lineWidth: 0 }).length < 100 && depth >= 4 && key !== 'lint' && key !== 'allow';
      if (short) node.flow = true;
      for (const pair of node.items) visit(pair.value, depth + 1, String((pair.key as { value?: unknown })?.value ?? ''));
    }
  };
  visit(root, 0, '');
}

let yaml: typeof Yaml | undefined;

/** The YAML package, loaded on first use: only `pull` writes models files, and every other command would pay for loading it. */
function yamlPackage(): typeof Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml;
}
